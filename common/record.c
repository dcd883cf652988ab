/*
 * record.c: encoding and decoding of stored records (format in record.h),
 * and att_article_free() for the articles the library hands out (always
 * version 2; "Never pass a caller-built att_article", attache.h).
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

size_t att_article_title_len(const att_article *a)
{
    if (!a->title)
        return 0;
    return a->title_len == (size_t)-1 ? strlen(a->title) : a->title_len;
}

size_t att_article_body_len(const att_article *a)
{
    if (!a->body)
        return 0;
    return a->body_len == (size_t)-1 ? strlen(a->body) : a->body_len;
}

const char *att_article_people(const att_article *a)
{
    return a->version >= 2 ? a->people : NULL;
}

const char *att_article_organisations(const att_article *a)
{
    return a->version >= 2 ? a->organisations : NULL;
}

const char *att_article_places(const att_article *a)
{
    return a->version >= 2 ? a->places : NULL;
}

static att_status put_field(att_buf *out, int tag, const char *p, size_t n)
{
    if (!p)
        return ATT_OK;
    unsigned char hdr[16];
    size_t h = 0;
    hdr[h++] = (unsigned char)tag;
    size_t v = n;
    do {
        unsigned char byte = v & 0x7F;
        v >>= 7;
        hdr[h++] = (unsigned char)(byte | (v ? 0x80 : 0));
    } while (v);
    att_status st = att_buf_append(out, hdr, h);
    return st ? st : att_buf_append(out, p, n);
}

att_status att_record_encode(const att_article *a, att_buf *out)
{
    att_status st;
    const char magic[2] = {'A', 1};
    if ((st = att_buf_append(out, magic, 2)) ||
        (st = put_field(out, ATT_REC_ID, a->id, strlen(a->id))) ||
        (st = put_field(out, ATT_REC_TITLE, a->title, att_article_title_len(a))) ||
        (st = put_field(out, ATT_REC_BODY, a->body, att_article_body_len(a))))
        return st;
    const struct {
        int tag;
        const char *s;
    } rest[] = {{ATT_REC_DATE, a->date},         {ATT_REC_SOURCE, a->source},
                {ATT_REC_URL, a->url},           {ATT_REC_AUTHOR, a->author},
                {ATT_REC_LANGUAGE, a->language}, {ATT_REC_TAGS, a->tags},
                {ATT_REC_PEOPLE, att_article_people(a)},
                {ATT_REC_ORGANISATIONS, att_article_organisations(a)},
                {ATT_REC_PLACES, att_article_places(a)}};
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++)
        if (rest[i].s && (st = put_field(out, rest[i].tag, rest[i].s,
                                         strlen(rest[i].s))))
            return st;
    return ATT_OK;
}

ATT_API void att_article_free(att_article *a)
{
    if (!a)
        return;
    free((char *)a->id);
    free((char *)a->title);
    free((char *)a->body);
    free((char *)a->date);
    free((char *)a->source);
    free((char *)a->url);
    free((char *)a->author);
    free((char *)a->language);
    free((char *)a->tags);
    if (a->version >= 2) {
        free((char *)a->people);
        free((char *)a->organisations);
        free((char *)a->places);
    }
    free(a);
}

att_status att_record_decode(const char *p, size_t len, att_article **out)
{
    *out = NULL;
    if (len < 2 || p[0] != 'A' || p[1] != 1)
        return att_error_set(ATT_CORRUPT, "stored record has an unknown format");
    att_article *a = calloc(1, sizeof *a);
    if (!a)
        return att_error_nomem();
    a->version = ATT_ARTICLE_VERSION;
    size_t i = 2;
    while (i < len) {
        int tag = (unsigned char)p[i++];
        size_t n = 0;
        int shift = 0;
        for (;;) {
            if (i >= len || shift > 56)
                goto corrupt;
            unsigned char byte = (unsigned char)p[i++];
            n |= (size_t)(byte & 0x7F) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        if (n > len - i)
            goto corrupt;
        const char **slot = NULL;
        switch (tag) {
        case ATT_REC_ID: slot = &a->id; break;
        case ATT_REC_TITLE: slot = &a->title; a->title_len = n; break;
        case ATT_REC_BODY: slot = &a->body; a->body_len = n; break;
        case ATT_REC_DATE: slot = &a->date; break;
        case ATT_REC_SOURCE: slot = &a->source; break;
        case ATT_REC_URL: slot = &a->url; break;
        case ATT_REC_AUTHOR: slot = &a->author; break;
        case ATT_REC_LANGUAGE: slot = &a->language; break;
        case ATT_REC_TAGS: slot = &a->tags; break;
        case ATT_REC_PEOPLE: slot = &a->people; break;
        case ATT_REC_ORGANISATIONS: slot = &a->organisations; break;
        case ATT_REC_PLACES: slot = &a->places; break;
        default: break; /* a field from a newer version: skip */
        }
        if (slot) {
            free((char *)*slot);
            if (!(*slot = att_strndup(p + i, n))) {
                att_article_free(a);
                return att_error_nomem();
            }
        }
        i += n;
    }
    if (!a->id)
        goto corrupt;
    if (!a->title)
        a->title_len = 0;
    if (!a->body)
        a->body_len = 0;
    *out = a;
    return ATT_OK;
corrupt:
    att_article_free(a);
    return att_error_set(ATT_CORRUPT, "stored record is malformed");
}
