/*
 * reader_ninjs.c: IPTC ninjs ("News in JSON") items, the JSON news agencies
 * deliver: one item per line of a feed file or one per file (reader_jsonl.c
 * parses the JSON and calls att_ninjs_fill()).  The fields read (ninjs 1.x
 * names, and the ninjs 2.x plural forms where they differ):
 *
 *   uri                        id (and url, when it is an http(s) URL)
 *   headline / headlines[0]    title
 *   body_text, body_html,      body: plain text as it is; HTML through
 *   bodies[] (2.x)             libxml2 (reader_html.c), paragraphs kept
 *   versioncreated,            date: the first present, in this order
 *   firstcreated, contentcreated
 *   byline, by                 author
 *   language                   language
 *   source, copyrightholder,   source: the first present
 *   infosources[0].name
 *   subject[].name             tags
 *   person / people,           given entities (names), merged with those
 *   organisation /             found in the text (docs/ENTITIES.md)
 *   organisations,
 *   place / places, located
 *
 * An item without body text (a picture item, say) is skipped: there is
 * nothing to search.
 */
#include "readers.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool att_ninjs_is(const json_t *o)
{
    static const char *const ninjs_keys[] = {
        "uri", "headline", "headlines", "body_text", "body_html", "bodies",
        "versioncreated", "firstcreated", "byline"};
    if (json_object_get(o, "body") || json_object_get(o, "title"))
        return false;
    for (size_t i = 0; i < sizeof ninjs_keys / sizeof *ninjs_keys; i++)
        if (json_object_get(o, ninjs_keys[i]))
            return true;
    return false;
}

/* HTML into the body. */
static att_status take_html(const char **dst, const json_t *v,
                            att_decode_stats *ds)
{
    if (!json_is_string(v) || !json_string_length(v))
        return ATT_OK;
    char *text = NULL;
    size_t n = 0;
    att_status st = att_html_fragment_text(json_string_value(v),
                                           json_string_length(v), &text, &n);
    if (st)
        return st;
    size_t c = att_text_clean_controls(text, &n);
    if (ds)
        ds->controls += c;
    free((char *)*dst);
    *dst = text;
    return ATT_OK;
}

/* The first of several fields that is a string. */
static const json_t *first_string(const json_t *o, const char *const *keys,
                                  size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(o, keys[i]);
        if (json_is_string(v) && json_string_length(v))
            return v;
    }
    return NULL;
}

#define FIRST(o, ...)                                                       \
    first_string((o), (const char *const[]){__VA_ARGS__},                  \
                 sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

/* ninjs 2.x: bodies [{"contenttype": "text/plain", "value": ...}]. */
static att_status take_bodies(att_article *a, const json_t *bodies,
                              att_decode_stats *ds)
{
    if (!json_is_array(bodies))
        return ATT_OK;
    const json_t *html = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(bodies, i, e) {
        const json_t *ct = json_object_get(e, "contenttype");
        const json_t *v = json_object_get(e, "value");
        if (!json_is_string(v))
            continue;
        const char *t = json_is_string(ct) ? json_string_value(ct) : "text/plain";
        if (strncasecmp(t, "text/plain", 10) == 0)
            return att_json_text(&a->body, v, false, ds);
        if (!html && strncasecmp(t, "text/html", 9) == 0)
            html = v;
    }
    return html ? take_html(&a->body, html, ds) : ATT_OK;
}

att_status att_ninjs_fill(att_article *a, const json_t *o, att_decode_stats *ds)
{
    att_status st;
    const json_t *uri = json_object_get(o, "uri");
    if ((st = att_json_text(&a->id, uri, false, ds)))
        return st;
    if (a->id && (strncasecmp(a->id, "http://", 7) == 0 ||
                  strncasecmp(a->id, "https://", 8) == 0) &&
        !(a->url = att_strdup(a->id)))
        return att_error_nomem();

    const json_t *headline = json_object_get(o, "headline");
    if (!json_is_string(headline)) {
        const json_t *hs = json_object_get(o, "headlines");
        const json_t *h0 = json_is_array(hs) ? json_array_get(hs, 0) : NULL;
        headline = json_is_object(h0) ? json_object_get(h0, "value") : h0;
    }
    if ((st = att_json_text(&a->title, headline, false, ds)))
        return st;

    const json_t *bt = json_object_get(o, "body_text");
    if (json_is_string(bt) && json_string_length(bt))
        st = att_json_text(&a->body, bt, false, ds);
    else if (json_object_get(o, "body_html"))
        st = take_html(&a->body, json_object_get(o, "body_html"), ds);
    else
        st = take_bodies(a, json_object_get(o, "bodies"), ds);
    if (st)
        return st;

    if ((st = att_json_text(&a->date, FIRST(o, "versioncreated", "firstcreated",
                                            "contentcreated"), false, ds)) ||
        (st = att_json_text(&a->author, FIRST(o, "byline", "by"), false, ds)) ||
        (st = att_json_text(&a->language, json_object_get(o, "language"), false, ds)) ||
        (st = att_json_text(&a->source, FIRST(o, "source", "copyrightholder"),
                            false, ds)))
        return st;
    if (!a->source) {
        const json_t *is = json_object_get(o, "infosources");
        const json_t *i0 = json_is_array(is) ? json_array_get(is, 0) : NULL;
        if (json_is_object(i0) &&
            (st = att_json_text(&a->source, json_object_get(i0, "name"), false, ds)))
            return st;
    }

    /* subject: tags, by name, joined with ", " */
    const json_t *subj = json_object_get(o, "subject");
    if (!subj)
        subj = json_object_get(o, "subjects");
    const char *names = NULL;
    if ((st = att_json_names(&names, subj)))
        return st;
    if (names) {
        for (char *p = (char *)names; *p; p++)
            if (*p == '\n' || *p == ',')
                *p = *p == '\n' ? ',' : ' ';
        /* "a,b" -> "a, b": tags are comma-separated, spaced as the other
         * readers write them */
        att_buf b = ATT_BUF_INIT;
        for (const char *p = names; *p && !st; p++)
            st = *p == ',' ? att_buf_puts(&b, ", ") : att_buf_putc(&b, *p);
        free((char *)names);
        if (st) {
            att_buf_free(&b);
            return st;
        }
        free((char *)a->tags);
        a->tags = b.data;
    }

    if ((st = att_json_names(&a->people, json_object_get(o, "person"))) ||
        (st = att_json_names(&a->people, json_object_get(o, "people"))) ||
        (st = att_json_names(&a->organisations, json_object_get(o, "organisation"))) ||
        (st = att_json_names(&a->organisations, json_object_get(o, "organisations"))) ||
        (st = att_json_names(&a->places, json_object_get(o, "place"))) ||
        (st = att_json_names(&a->places, json_object_get(o, "places"))) ||
        (st = att_json_names(&a->places, json_object_get(o, "located"))))
        return st;
    return ATT_OK;
}
