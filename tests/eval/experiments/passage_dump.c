/*
 * passage_dump.c: the third round's idea 1 prototype's input
 * (passage.py; docs/EVALUATION.md, "Third round of ideas").  Runs the
 * engine's own analyser (common/analyze.c: ICU words, Snowball English
 * stems, positions as the indexer numbers them) over the TIME articles and
 * queries that eval.py wrote, so that passage.py in Python sees exactly the
 * engine's terms.  An experiment: it uses the library's internal headers,
 * unlike eval_run.c.
 *
 *   passage-dump DOCS_DIR QUERIES.tsv > terms.txt
 *
 * Output: "D <id> <pos>:<stem> ..." per article (the id as the run names
 * it: the file name without ".txt"; the body as att_text_parse() reads
 * it), then "Q <qid> <stem> ..." per query: its words' stems with the
 * engine's stop words (searcher/stopwords.c, on the folded form) dropped,
 * each distinct stem once, in question order.
 *
 * Build (from the repository root, after make):
 *   cc -std=c11 -O2 -Icommon -Isearcher -o build/eval/passage-dump \
 *      tests/eval/experiments/passage_dump.c build/libattache.a \
 *      $(pkg-config --libs xapian-core icu-i18n icu-uc jansson libxml-2.0) \
 *      -lstemmer -lstdc++ -lm -lpthread
 */
#define _POSIX_C_SOURCE 200809L
#include "analyze.h"
#include "stopwords.h"

#include <attache.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int query;       /* 1: drop stop words and repeats */
    char **seen;
    size_t n_seen;
} dump_ctx;

static att_status take(void *vctx, const att_token *t)
{
    dump_ctx *c = vctx;
    if (c->query) {
        if (att_stopword(t->form, t->form_len))
            return ATT_OK;
        for (size_t i = 0; i < c->n_seen; i++)
            if (strlen(c->seen[i]) == t->stem_len &&
                memcmp(c->seen[i], t->stem, t->stem_len) == 0)
                return ATT_OK;
        c->seen = realloc(c->seen, (c->n_seen + 1) * sizeof *c->seen);
        c->seen[c->n_seen++] = strndup(t->stem, t->stem_len);
        printf(" %.*s", (int)t->stem_len, t->stem);
    } else {
        printf(" %u:%.*s", (unsigned)t->pos, (int)t->stem_len, t->stem);
    }
    return ATT_OK;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t r;
    while ((r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: passage-dump DOCS_DIR QUERIES.tsv\n");
        return 2;
    }
    att_analyzer *an = NULL;
    if (att_analyzer_new(&an)) {
        fprintf(stderr, "passage-dump: no analyser\n");
        return 1;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".txt"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        att_article *a = NULL;
        if (!text || att_text_parse(&a, e->d_name, text, len)) {
            fprintf(stderr, "passage-dump: %s: %s\n", path, att_last_error());
            return 1;
        }
        printf("D %.*s", (int)(nl - 4), e->d_name);
        dump_ctx c = {0, NULL, 0};
        if (a->title && a->title_len)
            fprintf(stderr, "passage-dump: %s has a title (not expected)\n",
                    path);
        att_analyze(an, a->body, a->body_len, take, &c);
        printf("\n");
        att_article_free(a);
        free(text);
    }
    closedir(d);
    FILE *q = fopen(argv[2], "r");
    if (!q) {
        perror(argv[2]);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, q)) > 0) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        printf("Q %s", line);
        dump_ctx c = {1, NULL, 0};
        att_analyze(an, tab + 1, strlen(tab + 1), take, &c);
        printf("\n");
        for (size_t i = 0; i < c.n_seen; i++)
            free(c.seen[i]);
        free(c.seen);
    }
    free(line);
    fclose(q);
    att_analyzer_free(an);
    return 0;
}
