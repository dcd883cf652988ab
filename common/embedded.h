/*
 * embedded.h: the data files built into the library, so that it needs no
 * data directory at run time: the entity dictionary (the .tsv files of corpus/entities/,
 * concatenated) and the named-entity tagger's model (corpus/ner/model.bin).
 * common/embedded.c includes the bytes at build time (.incbin).
 */
#ifndef ATT_EMBEDDED_H
#define ATT_EMBEDDED_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The bytes of the built-in dictionary and model; *len gets their length. */
const char *att_builtin_dictionary_text(size_t *len);
const unsigned char *att_builtin_model_bytes(size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* ATT_EMBEDDED_H */
