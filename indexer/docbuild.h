/*
 * docbuild.h: building an index document from an article, apart from
 * writing it, so that several threads can build while one writes.
 */
#ifndef ATT_DOCBUILD_H
#define ATT_DOCBUILD_H

#include "../common/index.h"

/* Checks `a` and builds its document with analyser `an` (one analyser per
 * thread), with exact word forms if `exact` (the index keeps them).  On
 * success *out is the document (free it with
 * att_shim_doc_free() or hand it to att_shim_replace()) and `idterm` holds
 * its unique-id term.  Touches no database; thread-safe for distinct `an`. */
att_status att_doc_build(att_analyzer *an, const att_article *a, bool exact,
                         att_shim_doc **out, att_buf *idterm);

#endif
