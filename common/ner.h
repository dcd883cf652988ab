/*
 * ner.h: the statistical named-entity tagger (ner.c), inside the library.
 *
 * The tagger labels CoNLL-2003-style tokens (att_etoken, entity_dict.h)
 * with IOB2 tags for persons, organisations, locations and miscellaneous
 * names.  It is a linear-chain model trained as an averaged structured
 * perceptron by indexer/ner_train.c on the CoNLL-2003 English data, in two
 * stages: the second stage sees the first stage's labels of the other
 * occurrences of each word in the document.  Its model is a file
 * (corpus/ner/model.bin; the format is at the top of ner.c) that the
 * library embeds (common/embedded.c).
 *
 * The feature extraction is here and only here: the trainer asks this
 * module for each token's feature hashes, so a model always sees at tag
 * time exactly the features it was trained on.  Dictionary features come
 * from att_dict_marks() (entity_dict.h), computed by the caller.
 */
#ifndef ATT_NER_H
#define ATT_NER_H

#include "entity_dict.h"
#include "internal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The tags the tagger outputs (IOB2). */
enum {
    ATT_NER_O = 0,
    ATT_NER_B_PER, ATT_NER_I_PER,
    ATT_NER_B_ORG, ATT_NER_I_ORG,
    ATT_NER_B_LOC, ATT_NER_I_LOC,
    ATT_NER_B_MISC, ATT_NER_I_MISC,
    ATT_NER_NTAGS
};

/* Entity types, in the order of the tags above. */
enum {
    ATT_NER_PER = 0, ATT_NER_ORG, ATT_NER_LOC, ATT_NER_MISC, ATT_NER_NTYPES
};

/* The IOB2 tag of a type (ATT_NER_PER...), B- or I-. */
#define ATT_NER_TAG(type, inside) ((uint8_t)(1 + 2 * (type) + ((inside) ? 1 : 0)))
/* The type of a non-O tag; whether it is an I- tag. */
#define ATT_NER_TAG_TYPE(tag) (((tag) - 1) / 2)
#define ATT_NER_TAG_INSIDE(tag) (((tag) - 1) % 2 == 1)

/* "O", "B-PER", ... "I-MISC"; "?" for another value.  Static string. */
const char *att_ner_tag_name(uint8_t tag);
/* The tag of a name ("B-LOC"), or -1. */
int att_ner_tag_from_name(const char *s, size_t n);

typedef struct att_ner_model att_ner_model;

/* Reads a model file's bytes (copied: `bytes` need not outlive the model).
 * ATT_OK; ATT_CORRUPT with the reason (bad magic, unknown version, a
 * feature set this library does not compute, truncated, bad checksum,
 * inconsistent tables); ATT_NO_MEMORY.  An empty file is ATT_CORRUPT too
 * ("empty model").  Ownership: *out belongs to the caller; release it with
 * att_ner_model_free(). */
att_status att_ner_model_load(att_ner_model **out, const void *bytes,
                              size_t len);
void att_ner_model_free(att_ner_model *m);

/* The hash (att_hash64) of the dictionary text the model was trained with,
 * or 0 when it was trained without dictionary features (then it ignores
 * the marks it is given). */
uint64_t att_ner_model_dict_hash(const att_ner_model *m);
/* The number of stages (1 or 2) and weight rows, for messages. */
unsigned att_ner_model_stages(const att_ner_model *m);
size_t att_ner_model_features(const att_ner_model *m);

/* The built-in model (the bytes of common/embedded.c), loaded once per
 * process (thread-safe).  NULL with the error set (ATT_INTERNAL) when the
 * library was built without a model or the model cannot be read. */
const att_ner_model *att_ner_builtin(void);

/* A tagger: the scratch memory one thread needs to tag documents with a
 * model (the model is shared, read-only).  Not thread-safe: one per
 * thread.  ATT_OK, ATT_NO_MEMORY. */
typedef struct att_ner_tagger att_ner_tagger;
att_status att_ner_tagger_new(att_ner_tagger **out, const att_ner_model *m);
void att_ner_tagger_free(att_ner_tagger *t);

/* Tags a document: toks[0, n) with their sentence starts (token 0 always
 * starts one); marks[i] are the token's dictionary bits from
 * att_dict_marks() (NULL: none); out[i] becomes an ATT_NER_ tag, and the
 * tags form valid IOB2 (no I- after O, chunks end at sentence ends).
 * ATT_OK, ATT_NO_MEMORY, ATT_INVALID (a NULL pointer with n > 0). */
att_status att_ner_tagger_run(att_ner_tagger *t, const att_etoken *toks,
                              size_t n, const uint16_t *marks, uint8_t *out);

/* The same with a tagger made and freed for the call. */
att_status att_ner_tag_doc(const att_ner_model *m, const att_etoken *toks,
                           size_t n, const uint16_t *marks, uint8_t *out);

/* ---- for the trainer (indexer/ner_train.c) ------------------------------- */

/* The model's internal labels: BILOU.  State 0 is O; a type's states are
 * B (first of several), I (inside), L (last), U (a one-token name). */
#define ATT_NER_NSTATES 17
enum { ATT_NER_POS_B = 0, ATT_NER_POS_I, ATT_NER_POS_L, ATT_NER_POS_U };
#define ATT_NER_STATE(type, pos) (1 + 4 * (type) + (pos))
#define ATT_NER_STATE_TYPE(s) (((s) - 1) / 4)   /* s > 0 */
#define ATT_NER_STATE_POS(s) (((s) - 1) % 4)    /* s > 0 */

/* Whether state `to` may follow state `from` (-1: the sentence start), and
 * whether a sentence may end in state s. */
bool att_ner_transition_ok(int from, int to);
bool att_ner_final_ok(int s);

/* IOB2 tags of one document <-> BILOU states; sentence starts end names.
 * Tags that are not valid IOB2 (an I- after O) are read as IOB2 would
 * repair them (a new name starts). */
void att_ner_tags_to_states(const uint8_t *tags, const att_etoken *toks,
                            size_t n, uint8_t *states);
void att_ner_states_to_tags(const uint8_t *states, size_t n, uint8_t *tags);

/* A document's features.  att_ner_doc_set() prepares the token- and
 * document-level values (the tokens and marks must stay valid until the
 * next set); att_ner_doc_set_stage1() gives it the first stage's states
 * (ATT_NER_NSTATES values) for the second stage's features; then
 * att_ner_doc_features() writes token i's feature hashes for stage 0 or 1
 * (at most ATT_NER_MAX_FEATURES, none of them 0) and returns their number.
 * Dictionary features are computed when `marks` is not NULL. */
#define ATT_NER_MAX_FEATURES 128
typedef struct att_ner_doc att_ner_doc;
att_status att_ner_doc_new(att_ner_doc **out);
void att_ner_doc_free(att_ner_doc *d);
att_status att_ner_doc_set(att_ner_doc *d, const att_etoken *toks, size_t n,
                           const uint16_t *marks);
void att_ner_doc_set_stage1(att_ner_doc *d, const uint8_t *states);
size_t att_ner_doc_features(const att_ner_doc *d, size_t i, unsigned stage,
                            uint64_t *out);

/* One stage's trained weights, for att_ner_model_encode(). */
typedef struct att_ner_stage_weights {
    size_t n_features;
    const uint64_t *keys;    /* distinct feature hashes (non-zero) */
    const double *weights;   /* n_features x ATT_NER_NSTATES */
    const double *trans;     /* (ATT_NER_NSTATES + 1) x ATT_NER_NSTATES;
                                row ATT_NER_NSTATES is from the start */
} att_ner_stage_weights;

/* Writes a model file (appended to `out`): the weights are quantised to
 * 16 bits, and a feature whose quantised weights are all within `prune`
 * steps of zero is left out.  ATT_OK, ATT_NO_MEMORY, ATT_INVALID (no
 * stage, more than 2, or a zero key). */
att_status att_ner_model_encode(att_buf *out,
                                const att_ner_stage_weights *stages,
                                size_t n_stages, uint64_t dict_hash,
                                unsigned prune);

#ifdef __cplusplus
}
#endif

#endif /* ATT_NER_H */
