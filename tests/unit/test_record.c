/* test_record.c: stored records (common/record.h). */
#include "helpers.h"

#include "record.h"

Test(record, round_trip_all_fields)
{
    att_article a = ATT_ARTICLE_INIT;
    a.id = "dir/article-1";
    a.title = "Pakistan\xe2\x80\x99s talks";
    a.body = "Body with a NUL\0inside";
    a.body_len = 22;
    a.date = "2024-09-12";
    a.source = "Reuters";
    a.url = "https://example.org/x";
    a.author = "Jane Roe";
    a.language = "en";
    a.tags = "politics,asia";
    att_buf b = ATT_BUF_INIT;
    cr_assert_eq(att_record_encode(&a, &b), ATT_OK);
    cr_assert_geq(b.len, 2);
    cr_assert_eq(b.data[0], 'A');
    cr_assert_eq(b.data[1], 1);
    att_article *d = NULL;
    cr_assert_eq(att_record_decode(b.data, b.len, &d), ATT_OK, "%s", att_last_error());
    cr_assert_str_eq(d->id, a.id);
    cr_assert_str_eq(d->title, a.title);
    cr_assert_eq(d->title_len, strlen(a.title));
    cr_assert_eq(d->body_len, 22);
    cr_assert_eq(memcmp(d->body, a.body, 22), 0);
    cr_assert_eq(d->body[22], '\0');
    cr_assert_str_eq(d->date, a.date);
    cr_assert_str_eq(d->source, a.source);
    cr_assert_str_eq(d->url, a.url);
    cr_assert_str_eq(d->author, a.author);
    cr_assert_str_eq(d->language, a.language);
    cr_assert_str_eq(d->tags, a.tags);
    att_article_free(d);
    att_buf_free(&b);
}

Test(record, round_trip_id_only_and_long_field)
{
    att_article a = ATT_ARTICLE_INIT;
    a.id = "x";
    size_t n = 300000; /* needs a 3-byte length varint */
    char *body = malloc(n + 1);
    cr_assert_not_null(body);
    for (size_t i = 0; i < n; i++)
        body[i] = (char)('a' + i % 26);
    body[n] = '\0';
    att_buf b = ATT_BUF_INIT;
    cr_assert_eq(att_record_encode(&a, &b), ATT_OK);
    att_article *d = NULL;
    cr_assert_eq(att_record_decode(b.data, b.len, &d), ATT_OK);
    cr_assert_str_eq(d->id, "x");
    cr_assert_null(d->title);
    cr_assert_null(d->body);
    cr_assert_null(d->date);
    cr_assert_null(d->tags);
    cr_assert_eq(d->title_len, 0);
    cr_assert_eq(d->body_len, 0);
    att_article_free(d);
    b.len = 0;
    a.body = body;
    cr_assert_eq(att_record_encode(&a, &b), ATT_OK);
    cr_assert_eq(att_record_decode(b.data, b.len, &d), ATT_OK);
    cr_assert_eq(d->body_len, n);
    cr_assert_str_eq(d->body, body);
    att_article_free(d);
    att_buf_free(&b);
    free(body);
}

static att_status decode(const char *p, size_t n)
{
    att_article *d = (att_article *)0x1;
    att_status st = att_record_decode(p, n, &d);
    if (st != ATT_OK)
        cr_assert_null(d);
    att_article_free(st == ATT_OK ? d : NULL);
    return st;
}

Test(record, corrupt_inputs)
{
    cr_assert_eq(decode("", 0), ATT_CORRUPT);
    cr_assert_eq(decode("A", 1), ATT_CORRUPT);
    cr_assert_eq(decode("B\x01", 2), ATT_CORRUPT, "bad magic");
    cr_assert_eq(decode("A\x02\x01\x01x", 5), ATT_CORRUPT, "unknown version");
    cr_assert_eq(decode("A\x01", 2), ATT_CORRUPT, "no id");
    cr_assert_eq(decode("A\x01\x01\x05xy", 6), ATT_CORRUPT, "length past the end");
    cr_assert_eq(decode("A\x01\x01", 3), ATT_CORRUPT, "tag without length");
    cr_assert_eq(decode("A\x01\x01\x80", 4), ATT_CORRUPT, "truncated varint");
    cr_assert_eq(decode("A\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01x", 14),
                 ATT_CORRUPT, "overlong varint");
    cr_assert_eq(decode("A\x01\x02\x01T", 5), ATT_CORRUPT, "title but no id");
    cr_assert_eq(att_last_status(), ATT_CORRUPT);
    cr_assert_eq(decode("A\x01\x01\x01x", 5), ATT_OK, "minimal valid record");
}

Test(record, unknown_tags_skipped)
{
    /* id "ab", an unknown tag 200 with 3 bytes, title "T", unknown tag 0. */
    static const char rec[] = "A\x01\x01\x02" "ab" "\xc8\x03zzz" "\x02\x01T" "\x00\x00";
    att_article *d = NULL;
    cr_assert_eq(att_record_decode(rec, sizeof rec - 1, &d), ATT_OK, "%s",
                 att_last_error());
    cr_assert_str_eq(d->id, "ab");
    cr_assert_str_eq(d->title, "T");
    cr_assert_eq(d->title_len, 1);
    cr_assert_null(d->body);
    att_article_free(d);
    /* An unknown tag whose length runs past the end is still corrupt. */
    cr_assert_eq(decode("A\x01\x01\x01x\xc8\x09zz", 9), ATT_CORRUPT);
}

Test(record, lengths_resolved)
{
    att_article a = ATT_ARTICLE_INIT;
    a.title = "Hello";
    a.body = "abcdef";
    a.body_len = 3;
    cr_assert_eq(att_article_title_len(&a), 5);
    cr_assert_eq(att_article_body_len(&a), 3);
    a.title = NULL;
    cr_assert_eq(att_article_title_len(&a), 0);
}
