/*
 * cmd_entities.c: `attache entities`, which shows the people,
 * organisations and places the indexer finds in a text
 * (att_entities_extract()), and with --conll tags CoNLL-2003 token-per-line
 * input with the built-in tagger (att_ner_tag()) so that any CoNLL scorer
 * can check it.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char help_text[] =
    "Usage: attache entities [--json | --tsv] [FILE | -]\n"
    "       attache entities --conll [FILE | -]\n"
    "\n"
    "Prints the people, organisations and places found in a text, as the\n"
    "indexer finds them: each mention with its byte offsets, its type, the\n"
    "entity's canonical id and name, and how it was recognised (dictionary,\n"
    "tagger, acronym, coreference, demonym), then each entity once with its\n"
    "number of mentions.  The text is read from FILE, or from standard input\n"
    "when FILE is - or missing; it must be UTF-8.\n"
    "\n"
    "Options:\n"
    "  --json       one JSON object: {\"mentions\": [{\"start\", \"end\", \"type\",\n"
    "               \"id\", \"name\", \"text\", \"how\"}...], \"entities\": [{\"type\",\n"
    "               \"id\", \"name\", \"mentions\"}...]}\n"
    "  --tsv        one mention per line: start, end, type, id, name, how,\n"
    "               text, separated by tabs, without a header\n"
    "  --conll      read CoNLL-2003 input (a token per line, its first column;\n"
    "               blank lines between sentences, -DOCSTART- between\n"
    "               documents) and print each line with the predicted IOB2 tag\n"
    "               appended as a last column, as conlleval reads it\n"
    "  -h, --help   this help\n"
    "\n"
    "Examples:\n"
    "  attache entities corpus/samples/000_46bc87c280a925bc.txt\n"
    "  echo 'Tehrik-i-Taliban Pakistan (TTP) attacked.' | attache entities --json\n"
    "  attache entities --conll eng.testb | python3 tests/eval/conlleval.py\n"
    "\n"
    "Exit status: 0 success, 2 usage, 7 the input cannot be read or is not\n"
    "UTF-8 text, 11 out of memory, 12 the built-in dictionary or model is\n"
    "missing.\n";

/* Reads all of `f` into a NUL-terminated buffer; NULL on error (errno). */
static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                errno = e ? e : EIO;
                return NULL;
            }
            break;
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- plain text ------------------------------------------------------------ */

static int print_text(const char *name, const char *text, size_t len,
                      int format, bool color)
{
    if (memchr(text, '\0', len)) {
        cli_error("%s: binary data (a NUL byte at offset %zu), not text", name,
                  (size_t)((const char *)memchr(text, '\0', len) - text));
        return EXIT_INPUT;
    }
    att_entities *e = NULL;
    att_status st = att_entities_extract(&e, text, len);
    if (st) {
        if (st == ATT_ENCODING) {
            cli_error("%s: %s", name, att_last_error());
            return EXIT_INPUT;
        }
        cli_report();
        return cli_exit_code(st);
    }
    size_t n = att_entities_count(e);
    /* The entities, each once, in order of first mention. */
    size_t *first = calloc(n ? n : 1, sizeof *first), n_ent = 0;
    size_t *count = calloc(n ? n : 1, sizeof *count);
    if (!first || !count) {
        free(first);
        free(count);
        att_entities_free(e);
        cli_error("out of memory");
        return EXIT_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++) {
        const att_mention *m = att_entities_get(e, i);
        size_t k = 0;
        while (k < n_ent) {
            const att_mention *f = att_entities_get(e, first[k]);
            if (f->type == m->type && strcmp(f->id, m->id) == 0)
                break;
            k++;
        }
        if (k == n_ent)
            first[n_ent++] = i;
        count[k]++;
    }
    int rc = EXIT_OK;
    if (format == 'j') {
        json_t *ms = json_array(), *es = json_array();
        for (size_t i = 0; ms && i < n; i++) {
            const att_mention *m = att_entities_get(e, i);
            json_array_append_new(
                ms, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s%, s:s}", "start",
                              (json_int_t)m->start, "end", (json_int_t)m->end,
                              "type", att_entity_type_name(m->type), "id",
                              m->id, "name", m->name, "text", text + m->start,
                              m->end - m->start, "how", m->how));
        }
        for (size_t k = 0; es && k < n_ent; k++) {
            const att_mention *m = att_entities_get(e, first[k]);
            json_array_append_new(
                es, json_pack("{s:s, s:s, s:s, s:I}", "type",
                              att_entity_type_name(m->type), "id", m->id,
                              "name", m->name, "mentions",
                              (json_int_t)count[k]));
        }
        json_t *o = json_pack("{s:o, s:o}", "mentions", ms, "entities", es);
        if (!o || json_dumpf(o, stdout, JSON_COMPACT) != 0) {
            cli_error("out of memory");
            rc = EXIT_NO_MEMORY;
        }
        putchar('\n');
        json_decref(o);
    } else if (format == 't') {
        for (size_t i = 0; i < n; i++) {
            const att_mention *m = att_entities_get(e, i);
            printf("%zu\t%zu\t%s\t%s\t%s\t%s\t", m->start, m->end,
                   att_entity_type_name(m->type), m->id, m->name, m->how);
            for (size_t b = m->start; b < m->end; b++)
                putchar(text[b] == '\t' || text[b] == '\n' || text[b] == '\r'
                            ? ' '
                            : text[b]);
            putchar('\n');
        }
    } else {
        const char *on = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
        const char *dim = color ? "\033[2m" : "";
        for (size_t i = 0; i < n; i++) {
            const att_mention *m = att_entities_get(e, i);
            printf("%7zu-%-7zu %-6s %s", m->start, m->end,
                   att_entity_type_name(m->type), on);
            for (size_t b = m->start; b < m->end; b++)
                putchar(text[b] == '\n' || text[b] == '\r' ? ' ' : text[b]);
            printf("%s -> %s [%s] %s(%s)%s\n", off, m->name, m->id, dim, m->how,
                   off);
        }
        static const att_entity_type order[] = {
            ATT_ENTITY_PERSON, ATT_ENTITY_ORG, ATT_ENTITY_PLACE};
        static const char *const heading[] = {"People", "Organisations",
                                              "Places"};
        if (n)
            putchar('\n');
        for (size_t t = 0; t < 3; t++) {
            bool any = false;
            for (size_t k = 0; k < n_ent; k++) {
                const att_mention *m = att_entities_get(e, first[k]);
                if (m->type != order[t])
                    continue;
                printf("%s%s%s%s %s (%zu)", any ? "," : "", any ? "" : on,
                       any ? "" : heading[t], any ? "" : ":", m->name,
                       count[k]);
                if (!any)
                    fputs(off, stdout);
                any = true;
            }
            if (any)
                putchar('\n');
        }
        if (!n)
            printf("No entities found in %s.\n", name);
    }
    free(first);
    free(count);
    att_entities_free(e);
    return rc;
}

/* ---- CoNLL --------------------------------------------------------------- */

typedef struct conll_doc {
    char **lines;         /* every input line of the document, as read */
    size_t n_lines, cap_lines;
    const char **tokens;  /* the token lines' first columns */
    size_t *lens;
    unsigned char *starts;
    size_t *line_of;      /* token -> its line */
    size_t n, cap;
} conll_doc;

static bool doc_push_line(conll_doc *d, char *line)
{
    if (d->n_lines == d->cap_lines) {
        size_t cap = d->cap_lines ? d->cap_lines * 2 : 256;
        char **p = realloc(d->lines, cap * sizeof *p);
        if (!p)
            return false;
        d->lines = p;
        d->cap_lines = cap;
    }
    d->lines[d->n_lines++] = line;
    return true;
}

static bool doc_push_token(conll_doc *d, const char *tok, size_t len,
                           bool start)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        const char **t = realloc(d->tokens, cap * sizeof *t);
        if (t)
            d->tokens = t;
        size_t *l = t ? realloc(d->lens, cap * sizeof *l) : NULL;
        if (l)
            d->lens = l;
        unsigned char *s = l ? realloc(d->starts, cap) : NULL;
        if (s)
            d->starts = s;
        size_t *lo = s ? realloc(d->line_of, cap * sizeof *lo) : NULL;
        if (!lo)
            return false;
        d->line_of = lo;
        d->cap = cap;
    }
    d->tokens[d->n] = tok;
    d->lens[d->n] = len;
    d->starts[d->n] = start;
    d->line_of[d->n] = d->n_lines - 1;
    d->n++;
    return true;
}

/* Tags the document and prints its lines with the tags; then empties it. */
static int doc_flush(conll_doc *d)
{
    int rc = EXIT_OK;
    const char **tags = NULL;
    if (d->n) {
        tags = malloc(d->n * sizeof *tags);
        if (!tags) {
            cli_error("out of memory");
            rc = EXIT_NO_MEMORY;
        } else if (att_ner_tag(tags, d->tokens, d->lens, d->starts, d->n)) {
            cli_report();
            rc = cli_exit_code(att_last_status());
        }
    }
    size_t t = 0;
    for (size_t i = 0; rc == EXIT_OK && i < d->n_lines; i++) {
        fputs(d->lines[i], stdout);
        if (t < d->n && d->line_of[t] == i)
            printf(" %s", tags[t++]);
        putchar('\n');
    }
    for (size_t i = 0; i < d->n_lines; i++)
        free(d->lines[i]);
    free(tags);
    d->n_lines = 0;
    d->n = 0;
    return rc;
}

static int run_conll(const char *name, FILE *in)
{
    conll_doc d = {0};
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int rc = EXIT_OK;
    bool sent_start = true;
    while (rc == EXIT_OK && (got = getline(&line, &cap, in)) != -1) {
        lineno++;
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (memchr(line, '\0', len)) {
            cli_error("%s: line %zu: binary data (a NUL byte), not CoNLL text",
                      name, lineno);
            rc = EXIT_INPUT;
            break;
        }
        size_t i = 0;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        if (strncmp(line, "-DOCSTART-", 10) == 0) {
            rc = doc_flush(&d);
            fputs(line, stdout);
            putchar('\n');
            sent_start = true;
            continue;
        }
        char *copy = strdup(line);
        if (!copy || !doc_push_line(&d, copy)) {
            free(copy);
            cli_error("out of memory");
            rc = EXIT_NO_MEMORY;
            break;
        }
        if (len == 0) {
            sent_start = true;
            continue;
        }
        if (i == 0) {
            cli_error("%s: line %zu: a token line starts with white space "
                      "(the token is the first column)", name, lineno);
            rc = EXIT_INPUT;
            break;
        }
        if (!doc_push_token(&d, copy, i, sent_start)) {
            cli_error("out of memory");
            rc = EXIT_NO_MEMORY;
            break;
        }
        sent_start = false;
    }
    if (rc == EXIT_OK && ferror(in)) {
        cli_error("%s: %s", name, strerror(errno));
        rc = EXIT_INPUT;
    }
    if (rc == EXIT_OK)
        rc = doc_flush(&d);
    else
        for (size_t i = 0; i < d.n_lines; i++)
            free(d.lines[i]);
    free(line);
    free(d.lines);
    free(d.tokens);
    free(d.lens);
    free(d.starts);
    free(d.line_of);
    return rc;
}

int cmd_entities(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"tsv", no_argument, NULL, 't'},
        {"conll", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int format = 0, c;
    bool conll = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'j':
        case 't':
            format = c;
            break;
        case 'c':
            conll = true;
            break;
        case 'h':
            fputs(help_text, stdout);
            return EXIT_OK;
        default:
            fprintf(stderr, "Try: attache entities --help\n");
            return EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        cli_error("entities reads one FILE (or - for standard input)");
        return EXIT_USAGE;
    }
    if (conll && format) {
        cli_error("--conll prints CoNLL columns; it cannot be combined with "
                  "--json or --tsv");
        return EXIT_USAGE;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "standard input" : path;
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in) {
        cli_error("%s: %s", path, strerror(errno));
        return EXIT_INPUT;
    }
    int rc;
    if (conll) {
        rc = run_conll(name, in);
    } else {
        size_t len = 0;
        char *text = read_all(in, &len);
        if (!text) {
            cli_error("%s: %s", name, strerror(errno));
            rc = errno == ENOMEM ? EXIT_NO_MEMORY : EXIT_INPUT;
        } else {
            rc = print_text(name, text, len, format,
                            cli_use_color(stdout, 0));
            free(text);
        }
    }
    if (!is_stdin)
        fclose(in);
    return rc;
}
