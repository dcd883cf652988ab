/*
 * entity_dict.h: the entity dictionary (the .tsv files of corpus/entities/, described
 * for users in docs/ENTITIES.md): loading it, and finding its names in a
 * sequence of tokens.  The indexer's entity extraction (common/entities.c),
 * the query fields person:/org:/place: and the tagger's dictionary
 * features (common/ner.c) all look names up here, so they agree on what
 * the dictionary says.
 *
 * Matching works on the analyser's folded words (common/analyze.h): an
 * alias "Tehrik-i-Taliban Pakistan" is the word sequence "tehrik i taliban
 * pakistan", and a text matches it when its tokens give the same words.  A
 * leading "the" of an alias is ignored; a possessive 's on the text's last
 * word is ignored.  Capitalisation: an `abbr` line matches only with the
 * same bytes as written (TTP, U.S.); other lines match where every word
 * that is capitalised in the alias is capitalised (or upper-case) in the
 * text, so "Chad" the country is not "chad".
 */
#ifndef ATT_ENTITY_DICT_H
#define ATT_ENTITY_DICT_H

#include "analyze.h"
#include "internal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A token of text, as the entity pipeline and the tagger see it: CoNLL
 * style (punctuation separate, "U.S." and hyphenated words whole, a
 * possessive 's separate).  `start` is the byte offset in the text it was
 * cut from (0 for tokens read from a CoNLL file). */
typedef struct att_etoken {
    const char *text;
    size_t len;
    size_t start;
    bool sent_start;     /* the first token of a sentence */
} att_etoken;

typedef enum att_etype {
    ATT_ETYPE_PERSON = 0,
    ATT_ETYPE_ORG = 1,
    ATT_ETYPE_PLACE = 2,
    ATT_ETYPE_COUNT = 3
} att_etype;

/* What a dictionary line says about a name (docs/ENTITIES.md). */
typedef enum att_dkind {
    ATT_DKIND_NAME = 0,
    ATT_DKIND_ALIAS = 1,
    ATT_DKIND_ABBR = 2,
    ATT_DKIND_DEMONYM = 3
} att_dkind;

typedef struct att_dict_entity {
    att_etype type;
    const char *id;      /* stable id, e.g. "tur", "tehrik-i-taliban-pakistan" */
    const char *name;    /* canonical display name, e.g. "Türkiye" */
    const char *cls;     /* class line, e.g. "country", "armed-group" */
    int32_t part_of;     /* index of the containing place, or -1 */
    int32_t capital;     /* index of a country's capital, or -1 */
} att_dict_entity;

typedef struct att_dict att_dict;

/* Parses dictionary text (the concatenation of the TSV files); `what`
 * names it in messages ("corpus/entities/people.tsv" or "built-in").
 * `an` folds the names.  ATT_CORRUPT with "what:line: reason" on a
 * malformed line, ATT_NO_MEMORY, ATT_INTERNAL. */
att_status att_dict_load(att_dict **out, const char *text, size_t len,
                         const char *what, att_analyzer *an);
void att_dict_free(att_dict *d);

/* The dictionary built into the library (loaded once per process, on first
 * use; thread-safe).  NULL with the error set if it cannot be loaded. */
const att_dict *att_dict_builtin(void);

size_t att_dict_count(const att_dict *d);
const att_dict_entity *att_dict_entity_at(const att_dict *d, size_t i);
/* The entity of this type and id, or -1. */
int32_t att_dict_find_id(const att_dict *d, att_etype type, const char *id);

/* One name of the dictionary found in a token sequence: tokens
 * [start, start + n).  `entities` are the dictionary entries with that
 * name (usually one; a name shared by entities of different types, e.g.
 * a city and a person, gives several), each with the kind of line that
 * matched. */
#define ATT_DICT_MAX_SENSES 4
typedef struct att_dict_match {
    size_t start;
    size_t n;
    uint32_t entities[ATT_DICT_MAX_SENSES];
    uint8_t kinds[ATT_DICT_MAX_SENSES];
    uint8_t n_entities;
} att_dict_match;

/* Finds the dictionary's names in toks[0, n): at each token the longest
 * name that starts there, left to right, matches never overlapping.
 * `an` is the caller's analyser (not thread-safe: one per thread).
 * *out is malloc'd (free() it); ATT_OK, ATT_NO_MEMORY, ATT_INTERNAL. */
att_status att_dict_scan(const att_dict *d, att_analyzer *an,
                         const att_etoken *toks, size_t n,
                         att_dict_match **out, size_t *n_out);

/* Per-token dictionary features for the tagger: marks[i] has bit
 * ATT_DMARK_B(t) when a name of type t starts at token i, ATT_DMARK_I(t)
 * when token i is inside one (after its first token), and the demonym
 * bits likewise for demonyms; computed from att_dict_scan(). */
#define ATT_DMARK_B(t) (1u << (2 * (t)))
#define ATT_DMARK_I(t) (1u << (2 * (t) + 1))
#define ATT_DMARK_B_DEMONYM (1u << 6)
#define ATT_DMARK_I_DEMONYM (1u << 7)
att_status att_dict_marks(const att_dict *d, att_analyzer *an,
                          const att_etoken *toks, size_t n, uint16_t *marks);
/* The same marks from matches already found by att_dict_scan(). */
void att_dict_marks_from(const att_dict *d, const att_dict_match *m,
                         size_t nm, size_t n, uint16_t *marks);

/* Looks up a name as a user typed it (query fields person:, org:,
 * place:): case-insensitively (an abbr too), a leading "the" ignored.
 * Returns the entity's index, or -1 when the dictionary does not know the
 * name as an entity of that type. */
int32_t att_dict_lookup(const att_dict *d, att_analyzer *an, att_etype type,
                        const char *name, size_t len);

/* att_dict_lookup() with choices: `type` -1 for any type (the first name
 * listed wins); ATT_DLOOK_ABBR_CASE: an abbr matches only as written
 * ("TTP", not "ttp"); ATT_DLOOK_DEMONYMS: a demonym names its country
 * when nothing else matches. */
#define ATT_DLOOK_ABBR_CASE 1u
#define ATT_DLOOK_DEMONYMS 2u
int32_t att_dict_lookup_ex(const att_dict *d, att_analyzer *an, int type,
                           const char *name, size_t len, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* ATT_ENTITY_DICT_H */
