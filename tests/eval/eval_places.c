/*
 * eval_places.c: the place facets of each article of an index, for the
 * Reuters-21578 place evaluation (tests/eval/places.py, `make
 * eval-places`).  Built apart from the product and using only the public
 * API, as a newsroom tool would: for each article id read from standard
 * input (one per line), it searches id:ID with facets and prints
 *     ID <TAB> place-id <TAB> place-id ...
 * (every place facet value of that one article: the places it mentions).
 *
 * Usage: eval-places INDEX < ids
 */
#include <attache.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: eval-places INDEX < ids\n");
        return 2;
    }
    att_index *ix = NULL;
    if (att_index_open(&ix, argv[1], ATT_OPEN_READ) != ATT_OK) {
        fprintf(stderr, "eval-places: %s\n", att_last_error());
        return 5;
    }
    att_search_options o = ATT_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    o.snippets = 0;
    o.facets = 1000;
    o.flags = ATT_SEARCH_ALL_COPIES | ATT_SEARCH_NO_SUGGESTION;
    char line[1200], query[1300];
    int rc = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        snprintf(query, sizeof query, "id:%s", line);
        att_results *r = NULL;
        if (att_search(&r, ix, query, &o) != ATT_OK) {
            fprintf(stderr, "eval-places: %s: %s\n", query, att_last_error());
            rc = 1;
            continue;
        }
        size_t n = 0;
        const att_facet_value *v = att_results_facet(r, ATT_FACET_PLACE, &n);
        fputs(line, stdout);
        for (size_t i = 0; i < n; i++)
            printf("\t%s", v[i].id);
        putchar('\n');
        att_results_free(r);
    }
    att_index_close(ix);
    return rc;
}
