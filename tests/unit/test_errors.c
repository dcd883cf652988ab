/* test_errors.c: status names and the per-thread last-error record. */
#include "helpers.h"

#include <pthread.h>

Test(errors, strerror_names_are_distinct_and_known)
{
    for (int i = 0; i < ATT_STATUS_COUNT; i++) {
        const char *s = att_strerror((att_status)i);
        cr_assert_not_null(s);
        cr_assert_gt(strlen(s), 0);
        cr_assert_str_neq(s, "unknown status", "status %d has no name", i);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(s, att_strerror((att_status)j),
                              "statuses %d and %d share a name", i, j);
    }
    cr_assert_eq(ATT_STATUS_COUNT, ATT_INTERNAL + 1);
}

Test(errors, strerror_unknown_values)
{
    cr_assert_str_eq(att_strerror((att_status)ATT_STATUS_COUNT), "unknown status");
    cr_assert_str_eq(att_strerror((att_status)-1), "unknown status");
    cr_assert_str_eq(att_strerror((att_status)9999), "unknown status");
}

Test(errors, strerror_specific_names)
{
    cr_assert_str_eq(att_strerror(ATT_OK), "success");
    cr_assert_str_eq(att_strerror(ATT_LOCKED), "index is locked");
}

Test(errors, fresh_thread_has_no_error)
{
    cr_assert_str_eq(att_last_error(), "");
    cr_assert_eq(att_last_status(), ATT_OK);
    cr_assert_eq(att_last_error_position(), -1);
}

Test(errors, failure_records_status_and_message)
{
    att_index *ix = (att_index *)0x1;
    att_status st = att_index_open(&ix, "/nonexistent/attache-test-index", ATT_OPEN_READ);
    cr_assert_eq(st, ATT_NOT_FOUND);
    cr_assert_null(ix, "out must be NULL on failure");
    cr_assert_eq(att_last_status(), ATT_NOT_FOUND);
    cr_assert_not_null(strstr(att_last_error(), "/nonexistent/attache-test-index"),
                       "message should name the path: %s", att_last_error());
    cr_assert_eq(att_last_error_position(), -1);
}

Test(errors, success_does_not_clear_last_error)
{
    cr_assert_eq(att_index_open(NULL, "/x", ATT_OPEN_READ), ATT_INVALID);
    char before[1024];
    snprintf(before, sizeof before, "%s", att_last_error());
    cr_assert_gt(strlen(before), 0);
    att_article *a = NULL;
    cr_assert_eq(att_text_parse(&a, "x", "Title\nBody", 10), ATT_OK);
    att_article_free(a);
    cr_assert_eq(att_last_status(), ATT_INVALID);
    cr_assert_str_eq(att_last_error(), before);
}

Test(errors, query_error_position_then_reset_by_other_failure)
{
    char dir[64], db[4096];
    tmpdir_make(dir, "unit");
    tmpdir_path(db, dir, "db");
    att_index *ix = th_open_writer(db);
    att_results *r = NULL;
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    cr_assert_eq(att_search(&r, ix, "peace (talks", &o), ATT_QUERY_SYNTAX);
    cr_assert_null(r);
    cr_assert_eq(att_last_status(), ATT_QUERY_SYNTAX);
    cr_assert_eq(att_last_error_position(), 6);
    /* A later failure without a position resets it to -1. */
    cr_assert_eq(att_index_delete(ix, "nope"), ATT_NOT_FOUND);
    cr_assert_eq(att_last_status(), ATT_NOT_FOUND);
    cr_assert_eq(att_last_error_position(), -1);
    att_index_close(ix);
    tmpdir_rm_rf(dir);
}

static void *thread_fn(void *arg)
{
    long *out = arg;
    out[0] = (long)att_last_status();
    out[1] = (long)strlen(att_last_error());
    att_index_open(NULL, NULL, 0);
    out[2] = (long)att_last_status();
    return NULL;
}

Test(errors, last_error_is_per_thread)
{
    cr_assert_eq(att_index_delete(NULL, "x"), ATT_INVALID);
    att_article *a = NULL;
    cr_assert_eq(att_text_parse(&a, "x", "", 0), ATT_NOT_FOUND);
    long res[3] = {-5, -5, -5};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, thread_fn, res), 0);
    pthread_join(t, NULL);
    cr_assert_eq(res[0], ATT_OK, "a new thread starts with no error");
    cr_assert_eq(res[1], 0);
    cr_assert_eq(res[2], ATT_INVALID);
    cr_assert_eq(att_last_status(), ATT_NOT_FOUND, "other thread's error leaked");
}

Test(errors, version_string)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", ATT_VERSION_MAJOR, ATT_VERSION_MINOR,
             ATT_VERSION_PATCH);
    cr_assert_str_eq(att_version(), want);
}

Test(errors, free_and_close_accept_null)
{
    att_index_close(NULL);
    att_article_free(NULL);
    att_results_free(NULL);
    cr_assert_null(att_index_path(NULL));
}
