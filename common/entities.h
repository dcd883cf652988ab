/*
 * entities.h: entity extraction inside the library: an article's text
 * becomes mentions of canonical entities (people, organisations, places),
 * as docs/ENTITIES.md describes for users.  The indexer (docbuild.c) turns
 * them into filter terms and facet records; att_entities_extract() and
 * `attache entities` show them.
 *
 * An extractor holds what one thread needs (an analyser, scratch arrays);
 * the dictionary and the tagger's model are the built-in ones, shared.
 */
#ifndef ATT_ENTITIES_H
#define ATT_ENTITIES_H

#include "entity_dict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Cuts text into CoNLL-style tokens with sentence starts (etokens.c),
 * appending to the growable array (*toks, *n, *cap).  Token offsets are
 * relative to `text`. */
att_status att_etokenize(const char *text, size_t len, att_etoken **toks,
                         size_t *n, size_t *cap);

/* One distinct entity of a text. */
typedef struct att_eentity {
    att_etype type;
    const char *id;       /* canonical id (no tab, newline or upper case) */
    const char *name;     /* display name */
    uint32_t mentions;    /* how many times the text mentions it */
    int32_t dict;         /* the dictionary entity, or -1 */
} att_eentity;

/* One mention. */
typedef struct att_emention {
    uint32_t entity;      /* index into the result's entities */
    uint32_t field;       /* which of the texts given it is in */
    size_t start, end;    /* byte range in that text */
    const char *how;      /* "dictionary", "tagger", "acronym",
                             "coreference", "demonym" */
} att_emention;

typedef struct att_eresult {
    const att_eentity *entities;
    size_t n_entities;
    const att_emention *mentions;  /* in text order */
    size_t n_mentions;
} att_eresult;

typedef struct att_extractor att_extractor;

/* ATT_OK; ATT_NO_MEMORY; ATT_INTERNAL (the built-in dictionary or model
 * cannot be loaded: the message says why). */
att_status att_extractor_new(att_extractor **out);
void att_extractor_free(att_extractor *x);

/* Extracts the entities of the texts (an article's title and body: one
 * document, so a name defined in one is known in the other; each text
 * starts a sentence).  The result lives in the extractor until its next
 * call.  ATT_OK, ATT_NO_MEMORY, ATT_INTERNAL. */
att_status att_extract(att_extractor *x, const char *const *texts,
                       const size_t *lens, size_t n_texts,
                       const att_eresult **out);

#ifdef __cplusplus
}
#endif

#endif /* ATT_ENTITIES_H */
