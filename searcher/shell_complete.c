/*
 * shell_complete.c: the prompt's Tab key (libedit's readline interface).
 *
 * What completes, by where the cursor is:
 *  - the first word, after ':': the commands (":fil" → ":filter ");
 *  - the argument of :sort (date, relevance), :facets (on, off) and
 *    :unfilter (the filters in force);
 *  - in a query (or the argument of :filter), a word without ':': the
 *    field names (title:, source:, id:, date:, person:, org:, place:),
 *    and when no field name starts so, the words of the index's
 *    vocabulary, most frequent first, from the second letter on;
 *  - after person:, org:, place: and source:, the names the index holds
 *    (att_complete(): "place:Pak" → "place:Pakistan"; a name with a space
 *    comes in quotes, person:"Ishaq Dar"); after title:, words.
 * A sign (+, -) or = before the word is kept.
 *
 * How it meets libedit.  libedit finds the word to replace by scanning
 * back to a break character (here space, tab and '(', so that quotes and
 * colons stay in the word) and replaces it with the first entry of the
 * list returned, the others being listed on a second Tab.  The word this
 * file completes is found with quotes in mind ("Ishaq D is one word), so
 * when libedit's word is shorter, each candidate is cut to libedit's part.
 * The first entry is the candidates' longest common start when it extends
 * what was typed, else what was typed (nothing changes; Tab again lists).
 * rl_attempted_completion_over is always set: libedit must never fall back
 * to completing file names.
 */
#include "shell.h"

#include <editline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static shell *session;

static const char *const FIELDS[] = {"title:", "source:", "id:",   "date:",
                                     "person:", "org:",   "place:", NULL};

typedef struct cands {
    char **v;
    size_t n, cap;
} cands;

static void cands_free(cands *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* Adds lead + a + b (b may be NULL); false if out of memory. */
static bool add(cands *c, const char *lead, size_t lead_len, const char *a,
                const char *b)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    size_t la = strlen(a), lb = b ? strlen(b) : 0;
    char *s = malloc(lead_len + la + lb + 1);
    if (!s)
        return false;
    memcpy(s, lead, lead_len);
    memcpy(s + lead_len, a, la);
    if (b)
        memcpy(s + lead_len + la, b, lb);
    s[lead_len + la + lb] = '\0';
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i], s) == 0) { /* once each */
            free(s);
            return true;
        }
    c->v[c->n++] = s;
    return true;
}

/* Whether a value must be quoted after a field: anything but letters,
 * digits, '-', '.', '_' and non-ASCII characters would end the value or
 * mean something else. */
static bool needs_quotes(const char *v)
{
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
            return true;
    }
    return false;
}

/* The vocabulary's words that start with `typed`, as lead + the word,
 * keeping the letters as typed when the word starts with them. */
static bool words(cands *c, const char *lead, size_t lead_len,
                  const char *typed)
{
    att_complete_options o = ATT_COMPLETE_OPTIONS_INIT;
    o.max = 100;
    att_completions *cs = NULL;
    if (att_complete(&cs, session->ix, ATT_COMPLETE_WORD, typed, &o) != ATT_OK)
        return true; /* nothing to offer */
    size_t tl = strlen(typed);
    bool ok = true;
    for (size_t i = 0; ok && i < att_completions_count(cs); i++) {
        const char *w = att_completions_get(cs, i)->text;
        if (strncasecmp(w, typed, tl) == 0)
            ok = add(c, lead, lead_len, typed, w + tl);
        else
            ok = add(c, lead, lead_len, w, NULL);
    }
    att_completions_free(cs);
    return ok;
}

/* Names of `field` that start with `typed` (an opening quote is kept). */
static bool names(cands *c, const char *lead, size_t lead_len,
                  att_complete_field field, const char *typed)
{
    bool quoted = *typed == '"';
    if (quoted)
        typed++;
    att_complete_options o = ATT_COMPLETE_OPTIONS_INIT;
    o.max = 100;
    att_completions *cs = NULL;
    if (att_complete(&cs, session->ix, field, typed, &o) != ATT_OK)
        return true;
    bool ok = true;
    for (size_t i = 0; ok && i < att_completions_count(cs); i++) {
        const char *t = att_completions_get(cs, i)->text;
        if (strchr(t, '"'))
            continue; /* cannot be quoted */
        if (quoted || needs_quotes(t)) {
            size_t n = strlen(t);
            char *q = malloc(n + 3);
            if (!q)
                return false;
            q[0] = '"';
            memcpy(q + 1, t, n);
            q[n + 1] = '"';
            q[n + 2] = '\0';
            ok = add(c, lead, lead_len, q, NULL);
            free(q);
        } else {
            ok = add(c, lead, lead_len, t, NULL);
        }
    }
    att_completions_free(cs);
    return ok;
}

/* Candidates for `word`, a word of a query. */
static bool query_word(cands *c, const char *word)
{
    size_t lead = strspn(word, "+-=");
    const char *rest = word + lead;
    const char *colon = strchr(rest, ':');
    if (!colon) {
        size_t n = strlen(rest);
        for (int i = 0; FIELDS[i]; i++)
            if (strncasecmp(FIELDS[i], rest, n) == 0 &&
                !add(c, word, lead, FIELDS[i], NULL))
                return false;
        if (c->n) {
            rl_completion_append_character = '\0'; /* the value follows */
            return true;
        }
        return n < 2 || words(c, word, lead, rest);
    }
    size_t fl = (size_t)(colon - rest) + 1; /* the field with its colon */
    static const struct {
        const char *name;
        att_complete_field field;
    } NAMED[] = {{"person:", ATT_COMPLETE_PERSON},
                 {"org:", ATT_COMPLETE_ORG},
                 {"place:", ATT_COMPLETE_PLACE},
                 {"source:", ATT_COMPLETE_SOURCE}};
    for (size_t i = 0; i < sizeof NAMED / sizeof *NAMED; i++)
        if (strlen(NAMED[i].name) == fl &&
            strncasecmp(rest, NAMED[i].name, fl) == 0)
            return names(c, word, lead + fl, NAMED[i].field, colon + 1);
    if (fl == 6 && strncasecmp(rest, "title:", 6) == 0 && strlen(colon + 1) >= 2)
        return words(c, word, lead + fl, colon + 1);
    return true;
}

/* Candidates from a fixed list that start with `word`. */
static bool from_list(cands *c, const char *const *list, size_t n,
                      const char *word)
{
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++)
        if (strncasecmp(list[i], word, wl) == 0 && !add(c, "", 0, list[i], NULL))
            return false;
    return true;
}

/* The start of the word that ends at `end`: after the last space, tab or
 * '(' that is not between quotes. */
static size_t word_start(const char *line, size_t end)
{
    size_t w = 0;
    bool quoted = false;
    for (size_t i = 0; i < end; i++) {
        char ch = line[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == ' ' || ch == '\t' || ch == '('))
            w = i + 1;
    }
    return w;
}

static bool candidates(cands *c, const char *line, size_t w0, size_t end)
{
    char *word = strndup(line + w0, end - w0);
    if (!word)
        return false;
    size_t first = strspn(line, " \t");
    size_t cmd_len = strcspn(line + first, " \t");
    bool ok = true;
    if (line[first] != ':') {
        ok = query_word(c, word);
    } else if (w0 <= first) { /* the command itself */
        size_t n = 0;
        while (shell_commands[n])
            n++;
        ok = from_list(c, shell_commands, n, word);
    } else {
        const char *cmd = line + first;
#define IS(name) (cmd_len == strlen(name) && strncmp(cmd, name, cmd_len) == 0)
        static const char *const SORTS[] = {"date", "relevance"};
        static const char *const ONOFF[] = {"on", "off"};
        if (IS(":sort"))
            ok = from_list(c, SORTS, 2, word);
        else if (IS(":facets"))
            ok = from_list(c, ONOFF, 2, word);
        else if (IS(":unfilter"))
            ok = from_list(c, (const char *const *)session->filters,
                           session->n_filters, word);
        else if (IS(":filter"))
            ok = query_word(c, word);
#undef IS
    }
    free(word);
    return ok;
}

/* The longest common start of the candidates, never ending inside a
 * UTF-8 character. */
static size_t common_start(const cands *c)
{
    size_t n = strlen(c->v[0]);
    for (size_t i = 1; i < c->n; i++) {
        size_t k = 0;
        while (k < n && c->v[i][k] == c->v[0][k])
            k++;
        n = k;
    }
    while (n && ((unsigned char)c->v[0][n] & 0xC0) == 0x80)
        n--;
    return n;
}

static char **complete(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1;
    rl_completion_append_character = ' ';
    const char *line = rl_line_buffer;
    if (!session || !line || start < 0 || end < start ||
        (size_t)end > strlen(line))
        return NULL;
    size_t w0 = word_start(line, (size_t)end);
    cands c = {0};
    if (!candidates(&c, line, w0, (size_t)end) || !c.n) {
        cands_free(&c);
        return NULL;
    }
    /* Cut each candidate to the part libedit replaces, [start, end). */
    size_t s0 = (size_t)start;
    for (size_t i = 0; i < c.n; i++) {
        char *v = c.v[i];
        char *cut = NULL;
        if (s0 >= w0) {
            size_t skip = s0 - w0;
            if (strlen(v) >= skip && strncasecmp(v, line + w0, skip) == 0)
                cut = strdup(v + skip);
        } else {
            size_t pre = w0 - s0, n = strlen(v);
            if ((cut = malloc(pre + n + 1)) != NULL) {
                memcpy(cut, line + s0, pre);
                memcpy(cut + pre, v, n + 1);
            }
        }
        free(v);
        c.v[i] = cut;
        if (!cut) { /* cannot be written in libedit's terms: dropped */
            memmove(c.v + i, c.v + i + 1, (c.n - i - 1) * sizeof *c.v);
            c.n--;
            i--;
        }
    }
    if (!c.n) {
        cands_free(&c);
        return NULL;
    }
    char **m = calloc(c.n + 2, sizeof *m);
    if (!m) {
        cands_free(&c);
        return NULL;
    }
    if (c.n == 1) {
        m[0] = c.v[0];
        free(c.v);
        return m;
    }
    size_t lcd = common_start(&c), tl = strlen(text);
    if (lcd >= tl && strncasecmp(c.v[0], text, tl) == 0)
        m[0] = strndup(c.v[0], lcd);
    else
        m[0] = strdup(text);
    if (!m[0]) {
        free(m);
        cands_free(&c);
        return NULL;
    }
    memcpy(m + 1, c.v, c.n * sizeof *m);
    free(c.v);
    return m;
}

void shell_complete_init(shell *s)
{
    session = s;
    rl_attempted_completion_function = complete;
    rl_basic_word_break_characters = " \t\n(";
}
