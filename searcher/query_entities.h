/*
 * query_entities.h: entities in queries (query_entities.c): the fields
 * person:, org: and place:, and the expansion of plain words that name an
 * entity of the dictionary.
 */
#ifndef ATT_QUERY_ENTITIES_H
#define ATT_QUERY_ENTITIES_H

#include "../common/analyze.h"
#include "../common/qtree.h"

/* The filter for a person:/org:/place: value (type: att_etype), text at
 * byte `qpos` of the query.  ATT_OK with *out set; ATT_QUERY_SYNTAX when
 * the value has no word; ATT_NO_MEMORY; ATT_INTERNAL (no dictionary). */
att_status att_qentity_filter(att_analyzer *an, int type, const char *text,
                              size_t len, size_t qpos, att_qnode **out);

/* Replaces, among list's kids, each run of adjacent plain words (or a
 * quoted phrase) that names a dictionary entity by a synonym of those
 * words (ANDed when and_mode, else ORed) and the entity's term.  `q` is
 * the query text the kids' src offsets point into. */
att_status att_qentity_expand(att_analyzer *an, const char *q, att_qnode *list,
                              bool and_mode);

#endif
