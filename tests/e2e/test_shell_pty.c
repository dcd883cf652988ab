/* test_shell_pty.c: `attache shell` as a person uses it, on a terminal.
 *
 * Each test runs build/attache shell under a pseudo-terminal (forkpty(),
 * 100 columns by 30 rows, TERM=xterm, HOME and XDG_STATE_HOME in a
 * temporary directory), types keys into it and reads what it writes, as
 * a terminal would show it: the results with their escape sequences, the
 * prompt, what Tab completion put on the line (seen through the command
 * that then ran), the pager's output.  An index of corpus/samples plus
 * three dated articles is built per test.  The last tests drive the same
 * commands through a pipe: plain output, no escape sequences.
 *
 * Why forkpty rather than tmux: the test reads the exact bytes the
 * program writes, so "bold on a terminal, nothing with NO_COLOR" is a
 * check of the escape sequences themselves (tmux's capture-pane redraws
 * the screen and drops or rewrites them); it waits for a given text
 * instead of sleeping and polling a screen, so it is quick and not timing
 * dependent; and it needs no server shared between tests that Criterion
 * runs in parallel.
 */
#include "e2e.h"

#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <time.h>

static char dir[64], db[4096], home[4096], state[4096], docs[4096];

/* Dated articles for :sort date.  By relevance d1 comes first (the word
 * most often, short); by date d2 (2025), d3 (2024), d1 (2023). */
static const struct {
    const char *name, *text;
} DATED[] = {
    {"d1.txt", "Date: 2023-03-01\n\nZebrafinch truce\n\n"
               "Zebrafinch zebrafinch zebrafinch.\n"},
    {"d2.txt", "Date: 2025-06-01\n\nA later accord\n\n"
               "The zebrafinch accord of 2025 was signed in Doha after long "
               "talks between the two delegations and their mediators.\n"},
    {"d3.txt", "Date: 2024-01-01\n\nThe middle accord\n\n"
               "A zebrafinch accord of 2024, signed after months of talks "
               "between delegations, mediators and observers.\n"},
};

static void setup(void)
{
    tmpdir_make(dir, "e2e-pty");
    tmpdir_path(db, dir, "db");
    tmpdir_path(home, dir, "home");
    tmpdir_path(state, dir, "home/state");
    tmpdir_path(docs, dir, "dated");
    cr_assert_eq(mkdir(home, 0700), 0);
    cr_assert_eq(mkdir(docs, 0700), 0);
    for (size_t i = 0; i < sizeof DATED / sizeof *DATED; i++) {
        char p[4096];
        tmpdir_path(p, docs, DATED[i].name);
        e2e_write(p, DATED[i].text, strlen(DATED[i].text));
    }
    char samples[4096];
    snprintf(samples, sizeof samples, "%s", e2e_samples());
    e2e_result r = e2e_run(NULL, "index", "--db", db, samples, docs, NULL);
    cr_assert_eq(r.status, 0, "index failed (%d): %s", r.status, r.err);
    e2e_free(&r);
}

/* ---- a program on a pseudo-terminal -------------------------------------- */

typedef struct term {
    pid_t pid;
    int fd;
    char *buf;      /* everything the program wrote (NUL-terminated) */
    size_t len, cap;
    size_t mark;    /* where the answer to the last keys starts */
    int status;     /* exit status once ended, else -1 */
} term;

#define TIMEOUT_MS 20000

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Starts `attache shell --db DB --limit LIMIT` on a new pseudo-terminal,
 * with the environment entries `env` ("NAME=value", NULL-terminated; may
 * be NULL) added to a clean one. */
static void term_start(term *t, const char *limit, const char *const *env)
{
    memset(t, 0, sizeof *t);
    t->status = -1;
    t->cap = 1 << 16;
    t->buf = malloc(t->cap);
    cr_assert_not_null(t->buf);
    t->buf[0] = '\0';
    const char *bin = e2e_bin();
    struct winsize ws = {30, 100, 0, 0};
    fflush(stdout);
    fflush(stderr);
    t->pid = forkpty(&t->fd, NULL, NULL, &ws);
    cr_assert_neq(t->pid, -1, "forkpty: %s", strerror(errno));
    if (t->pid == 0) {
        setenv("HOME", home, 1);
        setenv("XDG_STATE_HOME", state, 1);
        setenv("TERM", "xterm", 1);
        unsetenv("NO_COLOR");
        unsetenv("ATTACHE_DB");
        unsetenv("PAGER");
        unsetenv("LESS");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        execl(bin, bin, "shell", "--db", db, "--limit", limit, (char *)NULL);
        _exit(127);
    }
}

/* Reads what is there to read within `ms`; false at the end of output. */
static bool term_read(term *t, int ms)
{
    struct pollfd p = {t->fd, POLLIN, 0};
    int n = poll(&p, 1, ms);
    if (n <= 0)
        return true;
    if (t->cap - t->len < 4097) {
        t->cap *= 2;
        t->buf = realloc(t->buf, t->cap);
        cr_assert_not_null(t->buf);
    }
    ssize_t got = read(t->fd, t->buf + t->len, 4096);
    if (got <= 0) /* EIO: the program closed the terminal */
        return false;
    t->len += (size_t)got;
    t->buf[t->len] = '\0';
    return true;
}

/* Waits until `needle` appears at or after offset `from`; returns its
 * offset.  Fails the test, showing what was written, after TIMEOUT_MS. */
static size_t term_expect_from(term *t, size_t from, const char *needle)
{
    long end = now_ms() + TIMEOUT_MS;
    for (;;) {
        const char *hit = from <= t->len ? strstr(t->buf + from, needle) : NULL;
        if (hit)
            return (size_t)(hit - t->buf);
        long left = end - now_ms();
        cr_assert_gt(left, 0, "timed out waiting for \"%s\"; it wrote:\n%s",
                     needle, t->buf + (from <= t->len ? from : t->len));
        cr_assert(term_read(t, (int)(left < 200 ? left : 200)),
                  "the program ended before \"%s\"; it wrote:\n%s", needle,
                  t->buf + (from <= t->len ? from : t->len));
    }
}

static size_t term_expect(term *t, const char *needle)
{
    return term_expect_from(t, t->mark, needle);
}

/* Waits until the line editor reads the terminal in raw mode.  libedit
 * prints its prompt before it leaves canonical mode, and keys that arrive
 * in between are read by the terminal's line discipline instead (Ctrl-D
 * would become an end of file there and never reach the editor): a
 * person is never that fast, a test is.  The mode is read on the slave
 * side, opened for the moment (kept open, it would hide the end of the
 * program from the master). */
static void term_wait_raw(term *t)
{
    const char *name = ptsname(t->fd);
    cr_assert_not_null(name, "ptsname: %s", strerror(errno));
    long end = now_ms() + TIMEOUT_MS;
    for (;;) {
        int s = open(name, O_RDWR | O_NOCTTY);
        cr_assert_geq(s, 0, "open %s: %s", name, strerror(errno));
        struct termios tio;
        int rc = tcgetattr(s, &tio);
        close(s);
        cr_assert_eq(rc, 0, "tcgetattr: %s", strerror(errno));
        if (!(tio.c_lflag & ICANON))
            return;
        cr_assert_gt(end - now_ms(), 0, "the prompt never read the keys");
        cr_assert(term_read(t, 5), "the program ended; it wrote:\n%s",
                  t->buf + t->mark);
    }
}

/* Waits until the program is blocked reading the terminal (read(2): 0
 * is its number in /proc/PID/syscall on Linux).  A Ctrl-C must reach it
 * there to end libedit's read: one that arrives while libedit is still
 * echoing the last keys is only noted, and the line is abandoned at the
 * next key, which a person types and a test does not.  Without the file
 * (another kernel), it returns at once. */
static void term_wait_reading(term *t)
{
    char path[64], buf[32];
    snprintf(path, sizeof path, "/proc/%d/syscall", (int)t->pid);
    long end = now_ms() + TIMEOUT_MS;
    for (;;) {
        FILE *f = fopen(path, "r");
        if (!f)
            return;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        if (strncmp(buf, "0 ", 2) == 0)
            return;
        cr_assert_gt(end - now_ms(), 0, "the program never waited for keys");
        cr_assert(term_read(t, 2), "the program ended; it wrote:\n%s", t->buf + t->mark);
    }
}

static void term_send(term *t, const char *keys)
{
    term_wait_raw(t);
    t->mark = t->len;
    size_t n = strlen(keys);
    while (n) {
        ssize_t w = write(t->fd, keys, n);
        cr_assert_gt(w, 0, "write to the terminal: %s", strerror(errno));
        keys += w;
        n -= (size_t)w;
    }
}

/* Types `keys`, waits for `needle` in the answer and then for `prompt`
 * after it; returns the answer, from the keys to the prompt (borrowed
 * copy, valid until the next call). */
static const char *term_ask(term *t, const char *keys, const char *needle,
                            const char *prompt)
{
    static char *answer;
    term_send(t, keys);
    size_t at = term_expect(t, needle);
    size_t end = term_expect_from(t, at + strlen(needle), prompt) + strlen(prompt);
    free(answer);
    answer = strndup(t->buf + t->mark, end - t->mark);
    cr_assert_not_null(answer);
    return answer;
}

/* Waits for the program to end; returns its exit status. */
static int term_end(term *t)
{
    long end = now_ms() + TIMEOUT_MS;
    while (term_read(t, 200))
        cr_assert_gt(end - now_ms(), 0, "the program did not end; it wrote:\n%s",
                     t->buf + t->mark);
    close(t->fd);
    t->status = e2e_wait(t->pid);
    return t->status;
}

static void term_free(term *t)
{
    if (t->status < 0) {
        kill(t->pid, SIGKILL);
        close(t->fd);
        e2e_wait(t->pid);
    }
    free(t->buf);
}

/* Whether s holds an SGR escape sequence (colour, bold: ESC [ digits m). */
static bool has_sgr(const char *s)
{
    for (; (s = strchr(s, '\033')) != NULL; s++) {
        size_t k = 1;
        if (s[k++] != '[')
            continue;
        while (s[k] && strchr("0123456789;", s[k]))
            k++;
        if (s[k] == 'm')
            return true;
    }
    return false;
}

/* s without escape sequences and white space (malloc'd): what a reader
 * sees, whatever the line breaks. */
static char *squeeze(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    cr_assert_not_null(o);
    while (*s) {
        if (s[0] == '\033' && s[1] == '[') {
            s += 2;
            while (*s && !(*s >= 0x40 && *s <= 0x7E))
                s++;
            if (*s)
                s++;
        } else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
        } else {
            *w++ = *s++;
        }
    }
    *w = '\0';
    return o;
}

/* The widest line of s, in characters, escape sequences not counted. */
static size_t max_columns(const char *s)
{
    size_t widest = 0, col = 0;
    for (; *s; s++) {
        if (s[0] == '\033' && s[1] == '[') {
            s += 2;
            while (*s && !(*s >= 0x40 && *s <= 0x7E))
                s++;
            if (!*s)
                break;
        } else if (*s == '\n') {
            col = 0;
        } else if (*s != '\r' && ((unsigned char)*s & 0xC0) != 0x80) {
            if (++col > widest)
                widest = col;
        }
    }
    return widest;
}

/* The id of hit `rank` in an answer: the line after "  N. ". */
static char *hit_id(const char *answer, int rank)
{
    char pat[16];
    snprintf(pat, sizeof pat, "%3d. ", rank);
    const char *p = strstr(answer, pat);
    cr_assert_not_null(p, "no hit %d in:\n%s", rank, answer);
    p = strchr(p, '\n');
    cr_assert_not_null(p);
    while (*p == '\n' || *p == '\r' || *p == ' ')
        p++;
    if (strncmp(p, "\033[2m", 4) == 0)
        p += 4;
    size_t n = strcspn(p, " \r\n\033");
    return strndup(p, n);
}

#define PROMPT "attache> "

/* ---- on a terminal -------------------------------------------------------- */

Test(shell_pty, results_in_colour_on_a_terminal)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    const char *a = term_ask(&t, "Pakistan\r", "5 results for: Pakistan (showing 1-2)",
                             PROMPT);
    cr_assert_not_null(strstr(a, "  1. "), "numbered hits:\n%s", a);
    cr_assert_not_null(strstr(a, "  2. "), "%s", a);
    cr_assert_null(strstr(a, "  3. "), "two per page: %s", a);
    cr_assert_not_null(strstr(a, "\033[1m"), "bold titles on a terminal:\n%s", a);
    cr_assert_not_null(strstr(a, "\033[1;33mPakistan"),
                       "matches marked in colour:\n%s", a);
    cr_assert_not_null(strstr(a, "(n: next page"), "a hint on the terminal: %s", a);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, no_color_means_no_escapes)
{
    setup();
    term t;
    const char *env[] = {"NO_COLOR=1", "PAGER=cat", NULL};
    term_start(&t, "2", env);
    term_expect(&t, PROMPT);
    const char *a = term_ask(&t, "Pakistan\r", "5 results for: Pakistan", PROMPT);
    cr_assert_not_null(strstr(a, "  1. "), "%s", a);
    cr_assert(!has_sgr(a), "NO_COLOR: no colour or bold:\n%s", a);
    a = term_ask(&t, ":open 1\r", "Pakistan", PROMPT);
    cr_assert(!has_sgr(a), "NO_COLOR: :open plain too:\n%s", a);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, pages_with_n_and_p)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    term_ask(&t, "Pakistan\r", "(showing 1-2)", PROMPT);
    const char *a = term_ask(&t, "n\r", "(showing 3-4)", PROMPT);
    cr_assert_not_null(strstr(a, "  3. "), "%s", a);
    cr_assert_null(strstr(a, "  1. "), "%s", a);
    term_ask(&t, ":more\r", "(showing 5-5)", PROMPT);
    term_ask(&t, "n\r", "No more results (5 in all).", PROMPT);
    term_ask(&t, "p\r", "(showing 3-4)", PROMPT);
    a = term_ask(&t, "p\r", "(showing 1-2)", PROMPT);
    cr_assert_not_null(strstr(a, "  1. "), "%s", a);
    term_ask(&t, "p\r", "This is the first page.", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, open_shows_the_whole_article_with_its_matches)
{
    setup();
    term t;
    const char *env[] = {"PAGER=cat", NULL};
    term_start(&t, "2", env);
    term_expect(&t, PROMPT);
    const char *a = term_ask(&t, "ceasefire\r", "results for: ceasefire", PROMPT);
    char *id = hit_id(a, 1);
    a = term_ask(&t, ":open 1\r", id, PROMPT);
    /* every word of the stored body, in order */
    char path[4096], name[512];
    snprintf(name, sizeof name, "%s.txt", id);
    tmpdir_path(path, e2e_samples(), name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *text = e2e_slurp(f);
    fclose(f);
    char *want = squeeze(strchr(text, '\n') + 1), *got = squeeze(a); /* the body */
    cr_assert_not_null(strstr(got, want), "the whole of %s, read:\n%s", path, a);
    cr_assert_not_null(strstr(a, "\033[1;33mceasefire\033[0m"),
                       "the matches marked:\n%s", a);
    /* wrapped to the terminal's 100 columns */
    cr_assert_leq(max_columns(a), 100, "lines wrapped at 100 columns:\n%s", a);
    free(want);
    free(got);
    free(text);
    free(id);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, open_goes_through_the_pager_when_longer_than_the_screen)
{
    setup();
    term t;
    const char *env[] = {"PAGER=sed -e s/^/PAGED:/", NULL};
    term_start(&t, "2", env);
    term_expect(&t, PROMPT);
    term_ask(&t, "ceasefire\r", "results for: ceasefire", PROMPT);
    const char *a = term_ask(&t, ":open 1\r", "PAGED:", PROMPT);
    cr_assert_gt(e2e_count(a, "PAGED:"), 29, "more lines than the screen:\n%s", a);
    /* a short article is printed as it is */
    a = term_ask(&t, "zebrafinch truce\r", "for: zebrafinch truce", PROMPT);
    a = term_ask(&t, ":open 1\r", "d1 · 2023-03-01", PROMPT);
    cr_assert_null(strstr(a, "PAGED:"), "fits on the screen: no pager:\n%s", a);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, filter_narrows_and_unfilter_restores)
{
    setup();
    term t;
    term_start(&t, "10", NULL);
    term_expect(&t, PROMPT);
    term_ask(&t, "Pakistan\r", "5 results for: Pakistan", PROMPT);
    const char *a = term_ask(&t, ":filter place:Kabul\r",
                             "4 results for: Pakistan AND place:Kabul",
                             "attache [place:Kabul]> ");
    cr_assert_null(strstr(a, "  5. "), "%s", a);
    /* through the query language: org:TTP is the Tehrik-i-Taliban */
    term_ask(&t, ":filter org:TTP\r",
             "4 results for: Pakistan AND place:Kabul AND org:TTP",
             "attache [place:Kabul, org:TTP]> ");
    term_ask(&t, ":filter\r", "Filters: 1. place:Kabul 2. org:TTP",
             "attache [place:Kabul, org:TTP]> ");
    term_ask(&t, ":unfilter place:kabul\r", "5 results for: Pakistan AND org:TTP",
             "attache [org:TTP]> ");
    /* a filter that does not parse is not taken */
    a = term_ask(&t, ":filter date:2024-13\r", "no month 13",
                 "attache [org:TTP]> ");
    term_ask(&t, ":unfilter\r", "5 results for: Pakistan", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, sort_by_date)
{
    setup();
    term t;
    term_start(&t, "10", NULL);
    term_expect(&t, PROMPT);
    const char *a = term_ask(&t, "zebrafinch\r", "3 results for: zebrafinch", PROMPT);
    char *first = hit_id(a, 1);
    cr_assert_str_eq(first, "d1", "by relevance the article that repeats it:\n%s", a);
    free(first);
    a = term_ask(&t, ":sort date\r", "3 results for: zebrafinch",
                 "attache [by date]> ");
    const char *order[] = {"d2", "d3", "d1"};
    for (int i = 0; i < 3; i++) {
        char *id = hit_id(a, i + 1);
        cr_assert_str_eq(id, order[i], "newest first, hit %d:\n%s", i + 1, a);
        free(id);
    }
    a = term_ask(&t, ":sort relevance\r", "3 results for: zebrafinch", PROMPT);
    first = hit_id(a, 1);
    cr_assert_str_eq(first, "d1");
    free(first);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, facets_of_the_results)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    term_ask(&t, "Pakistan\r", "5 results for: Pakistan", PROMPT);
    const char *a = term_ask(&t, ":facets\r", "Facets", PROMPT);
    cr_assert_not_null(strstr(a, "(counted over all 5 results)"), "%s", a);
    cr_assert_not_null(strstr(a, "Places"), "%s", a);
    cr_assert_not_null(strstr(a, "Pakistan"), "%s", a);
    cr_assert_not_null(strstr(a, "Orgs"), "%s", a);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, tab_completes_commands_fields_and_names)
{
    setup();
    term t;
    term_start(&t, "10", NULL);
    term_expect(&t, PROMPT);
    /* :fil<Tab> is :filter (the filter alone is then the search) */
    term_ask(&t, ":fil\tplace:Kabul\r", "4 results for: place:Kabul",
             "attache [place:Kabul]> ");
    term_ask(&t, ":unfilter\r", "No filters left", PROMPT);
    /* pla<Tab> is the field place: */
    term_ask(&t, "pla\tKabul\r", "4 results for: place:Kabul", PROMPT);
    /* place:Pak<Tab>: a place of the index */
    term_ask(&t, "place:Pak\t\r", "5 results for: place:Pakistan", PROMPT);
    /* a name with a space, in quotes, as typed so far */
    term_ask(&t, "person:\"khawaja a\t\r",
             "2 results for: person:\"khawaja Asif\"", PROMPT);
    /* org:TTP<Tab>: the organisation it abbreviates */
    term_ask(&t, "org:TTP\t\r",
             "results for: org:\"Tehrik-i-Taliban Pakistan\"", PROMPT);
    /* words of the index, the letters as typed */
    term_ask(&t, "Istanb\t\r", "results for: Istanbul", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, history_persists_across_sessions)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    term_ask(&t, "ceasefire Istanbul\r", "results for: ceasefire Istanbul", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    char path[4096];
    struct stat sb;
    cr_assert_eq(stat(tmpdir_path(path, state, "attache/history"), &sb), 0,
                 "history kept in $XDG_STATE_HOME/attache/history");

    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    /* the up arrow recalls the last line of the session before */
    term_ask(&t, "\033[A\r", "results for: ceasefire Istanbul", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, ctrl_d_leaves_with_status_0)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, ctrl_c_abandons_the_line)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    term_send(&t, "Kabul");
    term_expect(&t, "Kabul");
    term_wait_reading(&t);
    term_send(&t, "\003");
    term_expect(&t, PROMPT);
    term_ask(&t, "ceasefire\r", "results for: ceasefire (", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0);
    term_free(&t);
    tmpdir_rm_rf(dir);
}

Test(shell_pty, a_bad_query_shows_a_caret_and_the_prompt_goes_on)
{
    setup();
    term t;
    term_start(&t, "2", NULL);
    term_expect(&t, PROMPT);
    const char *a = term_ask(&t, "open (war\r", "at column 6", PROMPT);
    cr_assert_not_null(strstr(a, "unbalanced parenthesis"), "%s", a);
    cr_assert_not_null(strstr(a, "  open (war\r\n       ^"), "the caret:\n%s", a);
    term_ask(&t, "ceasefire\r", "results for: ceasefire", PROMPT);
    term_send(&t, "\004");
    cr_assert_eq(term_end(&t), 0, "the prompt leaves with 0 after an error");
    term_free(&t);
    tmpdir_rm_rf(dir);
}

/* ---- through a pipe ---------------------------------------------------------- */

Test(shell_pipe, commands_work_and_print_plainly)
{
    setup();
    e2e_result r = e2e_run("Pakistan\n:filter place:Kabul\n:facets\n:open 1\n"
                           ":sort date\nn\np\n:unfilter\n:help\n",
                           "shell", "--db", db, "--limit", "2", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(r.err[0], '\0', "%s", r.err);
    cr_assert_null(strchr(r.out, '\033'), "no escapes when not a terminal");
    cr_assert_not_null(strstr(r.out, "5 results for: Pakistan (showing 1-2)"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "4 results for: Pakistan AND place:Kabul (showing 1-2)"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "Facets (counted over all 4 results):"), "%s", r.out);
    cr_assert_not_null(strstr(r.out, "(showing 3-4)"), "n: %s", r.out);
    cr_assert_not_null(strstr(r.out, ":open N"), "the help: %s", r.out);
    cr_assert_null(strstr(r.out, "(n: next page"), "no hints in a script");
    /* :open 1 printed the article as stored, line breaks kept */
    char *id = hit_id(strstr(r.out, "AND place:Kabul"), 1);
    char path[4096], name[512];
    snprintf(name, sizeof name, "%s.txt", id);
    FILE *f = fopen(tmpdir_path(path, e2e_samples(), name), "rb");
    cr_assert_not_null(f);
    char *text = e2e_slurp(f);
    fclose(f);
    const char *body = strchr(text, '\n') + 1;
    cr_assert_not_null(strstr(r.out, body), "the body byte for byte:\n%s", r.out);
    free(text);
    free(id);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}

Test(shell_pipe, errors_set_the_exit_status)
{
    setup();
    e2e_result r = e2e_run("open (war\nceasefire\n", "shell", "--db", db, NULL);
    cr_assert_eq(r.status, 3, "a query error: %d %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "  open (war\n       ^\n"), "%s", r.err);
    cr_assert_not_null(strstr(r.out, "results for: ceasefire"), "went on: %s", r.out);
    e2e_free(&r);
    r = e2e_run(":bogus\n:open 1\n:sort sideways\n", "shell", "--db", db, NULL);
    cr_assert_eq(r.status, 2, "%d %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "unknown command \":bogus\""), "%s", r.err);
    cr_assert_not_null(strstr(r.out, "No query yet"), "%s", r.out);
    cr_assert_not_null(strstr(r.err, ":sort takes date or relevance"), "%s", r.err);
    e2e_free(&r);
    r = e2e_run("ceasefire\n:open 99\n", "shell", "--db", db, NULL);
    cr_assert_eq(r.status, 2, "%d %s", r.status, r.err);
    cr_assert_not_null(strstr(r.err, "there is no result 99"), "%s", r.err);
    e2e_free(&r);
    tmpdir_rm_rf(dir);
}
