/*
 * embedded.c: the data files compiled into the library (embedded.h): the
 * entity dictionary, as the concatenation of the .tsv files of corpus/entities/ that
 * the Makefile writes to $(BUILD)/gen/entities.tsv, and the tagger's model
 * corpus/ner/model.bin.  The assembler's .incbin copies the bytes into
 * .rodata at build time; the symbols are hidden, so they are not part of
 * the shared library's interface.  The Makefile passes the two paths as
 * ATT_EMBED_DICTIONARY and ATT_EMBED_MODEL and makes this object depend on
 * the files.
 */
#include "embedded.h"

#ifndef ATT_EMBED_DICTIONARY
#error "ATT_EMBED_DICTIONARY must name the dictionary file (see the Makefile)"
#endif
#ifndef ATT_EMBED_MODEL
#error "ATT_EMBED_MODEL must name the model file (see the Makefile)"
#endif

#define ATT_INCBIN(sym, file)                                               \
    __asm__(".section .rodata\n"                                            \
            ".hidden " #sym "\n.global " #sym "\n"                          \
            ".hidden " #sym "_end\n.global " #sym "_end\n"                  \
            ".balign 16\n" #sym ":\n"                                       \
            ".incbin \"" file "\"\n" #sym "_end:\n"                         \
            ".byte 0\n"                                                     \
            ".previous\n")

ATT_INCBIN(att_embed_dictionary, ATT_EMBED_DICTIONARY);
ATT_INCBIN(att_embed_model, ATT_EMBED_MODEL);

extern const char att_embed_dictionary[], att_embed_dictionary_end[];
extern const unsigned char att_embed_model[], att_embed_model_end[];

const char *att_builtin_dictionary_text(size_t *len)
{
    *len = (size_t)(att_embed_dictionary_end - att_embed_dictionary);
    return att_embed_dictionary;
}

const unsigned char *att_builtin_model_bytes(size_t *len)
{
    *len = (size_t)(att_embed_model_end - att_embed_model);
    return att_embed_model;
}
