/*
 * reader_text.c: the plain-text article reader, att_text_parse().
 *
 * The format (docs/FORMATS.md), as in corpus/ and the sample articles:
 *
 *   Source: UN General Debate      optional leading metadata lines,
 *   Date: 2024-09                  "Key: value" with a known key
 *                                  (Categories, Date, Source, Author,
 *   Title of the article           URL, Language, Tags; any case)
 *   Title of the article           the first substantive line is the title;
 *                                  the same line repeated next is dropped
 *   Body text ...                  everything after it is the body
 *
 * A Categories line is kept as the article's tags.  A first line longer
 * than TITLE_MAX bytes is not a title (the text has none) and stays body.
 * The bytes are first decoded to clean UTF-8 (common/decode.c: encodings,
 * byte-order marks, mojibake, control characters).
 *
 * Articles saved from web pages carry the page's furniture, which is not
 * article text and must not be indexed as body: "Scroll to Top", share
 * buttons, "Also read: ..." links, an author box ("Name / Website | +
 * posts / bio"), the comment form ("Leave a Reply / Your email address
 * will not be published...").  att_text_strip_furniture() removes it from
 * the body with three kinds of rules, all on whole lines compared in lower
 * case (the lists below): a line that is furniture on its own is removed
 * wherever it is; a line that starts the page's tail (the comment form,
 * an author box, post navigation) removes itself and everything after
 * it; a weaker tail marker ("Related posts", "12 comments") does so only
 * in the second half of the body, where a page's tail is.  A line that
 * continues a paragraph (the line before it is text that does not end a
 * sentence) is never furniture: text wrapped at a fixed width can leave
 * "share." alone on a line.  Lines of article text are never rewritten: the body is the kept lines, byte for
 * byte, so the highlighter's offsets point into exactly the stored text.
 */
#include "readers.h"

#include "../common/index.h"
#include "../common/record.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_MAX 300

typedef struct line {
    const char *p; /* first non-blank byte */
    size_t n;      /* length without surrounding white space */
    size_t next;   /* offset just past the line's newline */
} line;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Reads the line starting at `at`, trimmed. */
static line get_line(const char *s, size_t len, size_t at)
{
    size_t end = at;
    while (end < len && s[end] != '\n')
        end++;
    line l;
    l.next = end < len ? end + 1 : end;
    size_t a = at, b = end;
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    /* A non-breaking space (U+00A0) at either end is blank too. */
    while (b - a >= 2 && (unsigned char)s[a] == 0xC2 && (unsigned char)s[a + 1] == 0xA0)
        a += 2;
    l.p = s + a;
    l.n = b - a;
    return l;
}

static const char *const meta_keys[] = {"categories", "date", "source",
                                        "author", "url", "language", "tags"};

/* If `l` is a metadata line, returns its key's index and sets *val. */
static int meta_key(line l, line *val)
{
    for (size_t k = 0; k < sizeof meta_keys / sizeof meta_keys[0]; k++) {
        size_t kn = strlen(meta_keys[k]);
        if (l.n > kn && strncasecmp(l.p, meta_keys[k], kn) == 0 &&
            l.p[kn] == ':') {
            const char *v = l.p + kn + 1;
            size_t vn = l.n - kn - 1;
            while (vn && is_space(*v)) {
                v++;
                vn--;
            }
            val->p = v;
            val->n = vn;
            return (int)k;
        }
    }
    return -1;
}

ATT_API att_status att_text_parse(att_article **out, const char *id,
                                  const char *text, size_t len)
{
    if (!out)
        return att_error_set(ATT_INVALID, "att_text_parse: out is NULL");
    *out = NULL;
    if (!text)
        return att_error_set(ATT_INVALID, "att_text_parse: text is NULL");
    att_status st = att_id_check(id);
    if (st)
        return st;
    att_input in = {id, id, NULL, 0};
    att_skip_reason why;
    return att_read_text(out, text, len, &in, NULL, &why);
}

static att_status parse(att_article **out, const char *text, size_t len);

att_status att_read_text(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_decode_stats *ds,
                         att_skip_reason *why)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    att_status st = att_decode(bytes, n, &text, &len, ds);
    if (st) {
        *why = st == ATT_ENCODING ? ATT_SKIP_BINARY : ATT_SKIP_INVALID;
        return st;
    }
    st = parse(out, text, len);
    free(text);
    if (st) {
        *why = st == ATT_NOT_FOUND ? ATT_SKIP_EMPTY : ATT_SKIP_INVALID;
        return st;
    }
    if ((st = att_article_finish(*out, in, why))) {
        att_article_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- web-page furniture ------------------------------------------------ */

/* What a line of a body copied from a web page can be. */
enum {
    FURN_NONE = 0,
    FURN_LINE,     /* furniture on its own line: removed wherever it is */
    FURN_TAIL,     /* starts the page's tail (comment form, author box,
                      post navigation): it and all after it go */
    FURN_WEAK,     /* starts a tail ("Related posts", "5 comments") only in
                      the second half of the body */
    FURN_AUTHOR    /* an author box's marker ("Website | + posts"): a tail,
                      and the short line before it (the name) goes too */
};

/* Lines that are furniture on their own, compared lower-cased with runs
 * of white space as one space and trailing ':' '.' '*' '…' cut. */
static const char *const line_exact[] = {
    "scroll to top", "back to top", "go to top", "to top", "top",
    "share", "share this", "share this:", "share this article",
    "share this story", "share this post", "share article", "share it",
    "like this", "like", "loading", "print", "print this page",
    "print article", "email", "e-mail", "facebook", "twitter", "x",
    "whatsapp", "linkedin", "telegram", "reddit", "pinterest", "tumblr",
    "pocket", "tweet", "follow us", "subscribe", "subscribe now", "sign up",
    "advertisement", "advertisements", "sponsored", "sponsored content",
    "skip to content", "skip to main content", "menu", "main menu",
    "toggle navigation", "search", "home", "previous article",
    "next article", "previous post", "next post", "previous story",
    "next story", "read more", "continue reading", "read the full story",
    "click to print", "click to email", "copy link", "copied",
};

/* Prefixes of furniture lines (the line at most SHORT_LINE bytes). */
static const char *const line_prefix[] = {
    "click to share on ", "click to email a link", "share on ",
    "share via ", "follow us on ", "also read", "read also", "read more:",
    "read more at", "see also:", "for more read", "for more news",
    "related:", "tags:", "filed under", "posted in ", "subscribe to ",
    "sign up for ", "click here to ", "originally published",
    "this article was originally published", "photo:", "image:",
    "file photo", "featured image",
};

/* Lines that start the page's tail. */
static const char *const tail_exact[] = {
    "leave a reply", "leave a comment", "post a comment", "add a comment",
    "post comment", "submit comment", "cancel reply", "post navigation",
    "comment navigation", "write a comment", "join the conversation",
};
static const char *const tail_prefix[] = {
    "your email address will not be published",
    "you must be logged in to post a comment", "comments are closed",
    "save my name, email, and website",
};
static const char *const weak_exact[] = {
    "comments", "related", "related posts", "related articles",
    "related stories", "related news", "related content",
    "you may also like", "you might also like", "more stories",
    "more from", "read next", "recommended", "recommended for you",
    "more like this", "popular posts", "trending", "latest news",
    "about the author",
};

/* Words that make a line of share buttons ("Facebook Twitter WhatsApp"). */
static const char *const share_words[] = {
    "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram",
    "email", "e-mail", "mail", "reddit", "pinterest", "print", "share",
    "tumblr", "pocket", "messenger", "copy", "link", "tweet", "flipboard",
    "threads", "bluesky", "sms",
};

#define SHORT_LINE 160

static bool in_list(const char *s, size_t n, const char *const *list,
                    size_t count, bool prefix)
{
    /* Every body line goes through here: compare a first byte before
     * anything else. */
    for (size_t i = 0; i < count; i++) {
        if (!n || list[i][0] != s[0])
            continue;
        size_t k = strlen(list[i]);
        if (prefix ? (n >= k && memcmp(s, list[i], k) == 0)
                   : (n == k && memcmp(s, list[i], k) == 0))
            return true;
    }
    return false;
}

#define IN(list, pre) in_list(lc, n, list, sizeof list / sizeof *list, pre)

/* Lower-cases the line into lc (ASCII only; runs of white space as one
 * space; trailing ':' '.' '*' and "…" cut).  Returns the length, or
 * SIZE_MAX when the line is too long to be furniture. */
static size_t normalise_line(const char *s, size_t n, char *lc, size_t cap)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            space = o > 0;
            continue;
        }
        if (o + 2 >= cap)
            return SIZE_MAX;
        if (space)
            lc[o++] = ' ';
        space = false;
        lc[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (;;) {
        if (o && (lc[o - 1] == ':' || lc[o - 1] == '.' || lc[o - 1] == '*' ||
                  lc[o - 1] == ' '))
            o--;
        else if (o >= 3 && memcmp(lc + o - 3, "\xe2\x80\xa6", 3) == 0)
            o -= 3;
        else
            break;
    }
    lc[o] = '\0';
    return o;
}

/* A line of share buttons: two or more share words, separated by spaces
 * or '|', '/', '-', '·', '•'. */
static bool share_line(const char *lc, size_t n)
{
    size_t words = 0, i = 0;
    while (i < n) {
        while (i < n && (lc[i] == ' ' || lc[i] == '|' || lc[i] == '/' ||
                         lc[i] == '-' || (unsigned char)lc[i] >= 0x80))
            i++; /* separators, including '·' and '•' */
        size_t a = i;
        while (i < n && lc[i] != ' ' && lc[i] != '|' && lc[i] != '/' &&
               (unsigned char)lc[i] < 0x80)
            i++;
        if (i == a)
            continue;
        if (!in_list(lc + a, i - a, share_words,
                     sizeof share_words / sizeof *share_words, false))
            return false;
        words++;
    }
    return words >= 2;
}

/* "12 comments", "3 responses", "5 thoughts on ..." */
static bool count_line(const char *lc, size_t n)
{
    size_t i = 0;
    while (i < n && lc[i] >= '0' && lc[i] <= '9')
        i++;
    if (i == 0 || i >= n || lc[i] != ' ')
        return false;
    const char *w = lc + i + 1;
    size_t wn = n - i - 1;
    return (wn >= 7 && memcmp(w, "comment", 7) == 0) ||
           (wn >= 8 && memcmp(w, "response", 8) == 0) ||
           (wn >= 11 && memcmp(w, "thoughts on", 11) == 0) ||
           (wn >= 7 && memcmp(w, "replies", 7) == 0);
}

static int furniture_kind(const char *s, size_t len)
{
    char lc[SHORT_LINE + 8];
    if (len == 0)
        return FURN_NONE;
    size_t n = normalise_line(s, len, lc, sizeof lc);
    if (n == SIZE_MAX) {
        /* Long lines: only the comment form's notice. */
        char head[64];
        size_t h = normalise_line(s, len < 48 ? len : 48, head, sizeof head);
        if (h != SIZE_MAX && in_list(head, h, tail_prefix,
                                     sizeof tail_prefix / sizeof *tail_prefix,
                                     true))
            return FURN_TAIL;
        return FURN_NONE;
    }
    if (n == 0)
        return FURN_NONE;
    if ((n >= 7 && memcmp(lc + n - 7, "+ posts", 7) == 0) ||
        (n >= 6 && memcmp(lc + n - 6, "+posts", 6) == 0) ||
        (n >= 14 && memcmp(lc, "view all posts", 14) == 0))
        return FURN_AUTHOR;
    if (IN(tail_exact, false) || IN(tail_prefix, true))
        return FURN_TAIL;
    if (IN(weak_exact, false) || count_line(lc, n))
        return FURN_WEAK;
    if (IN(line_exact, false) || IN(line_prefix, true) || share_line(lc, n))
        return FURN_LINE;
    return FURN_NONE;
}

bool att_text_is_furniture(const char *s, size_t n)
{
    return furniture_kind(s, n) == FURN_LINE;
}

/* Furniture that can stand where the title would: the exact lines and
 * share buttons ("Skip to content", "Menu"), not the prefixes, since a
 * title may well start "Photo: ..." or "Also read ...". */
static bool title_furniture(const char *s, size_t len)
{
    char lc[SHORT_LINE + 8];
    size_t n = normalise_line(s, len, lc, sizeof lc);
    if (n == SIZE_MAX || n == 0)
        return false;
    return IN(line_exact, false) || share_line(lc, n);
}

typedef struct bline {
    size_t start;  /* offset of the line */
    size_t next;   /* offset past its newline */
    int kind;
    bool blank;
    bool keep;
} bline;

/* Whether a line ends a sentence or a heading's punctuation: . ! ? : ;
 * or a closing quote or bracket after one. */
static bool ends_sentence(const line *l)
{
    size_t n = l->n;
    const unsigned char *p = (const unsigned char *)l->p;
    /* closing quotes and brackets, ASCII or ’ ” (E2 80 99, E2 80 9D) */
    while (n) {
        if (p[n - 1] == '"' || p[n - 1] == '\'' || p[n - 1] == ')' || p[n - 1] == ']')
            n--;
        else if (n >= 3 && p[n - 3] == 0xE2 && p[n - 2] == 0x80 &&
                 (p[n - 1] == 0x99 || p[n - 1] == 0x9D))
            n -= 3;
        else
            break;
    }
    if (!n)
        return true;
    unsigned char c = p[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
        return true;
    return n >= 3 && p[n - 3] == 0xE2 && p[n - 2] == 0x80 && p[n - 1] == 0xA6; /* … */
}

/* A short line that can be an author's name above an author box. */
static bool name_like(const line *l)
{
    if (l->n == 0 || l->n > 60)
        return false;
    char last = l->p[l->n - 1];
    if (last == '.' || last == '!' || last == '?' || last == ':')
        return false;
    size_t words = 1;
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i] == ' ')
            words++;
    return words <= 6;
}

static att_status strip(const char *body, size_t n, bool first_continues,
                        char **out, size_t *out_len);

att_status att_text_strip_furniture(const char *body, size_t n, char **out,
                                    size_t *out_len)
{
    return strip(body, n, false, out, out_len);
}

/* `first_continues`: the body's first line continues the title's line
 * (a title cut out of a wrapped paragraph). */
static att_status strip(const char *body, size_t n, bool first_continues,
                        char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += body[i] == '\n';
    bline *ls = att_malloc_array(count + 1, sizeof *ls);
    if (!ls)
        return att_error_nomem();
    size_t nl = 0;
    for (size_t at = 0; at < n;) {
        line l = get_line(body, n, at);
        ls[nl] = (bline){at, l.next, furniture_kind(l.p, l.n), l.n == 0, true};
        nl++;
        if (l.next == at)
            break;
        at = l.next;
    }
    /* A line that continues a paragraph is text, whatever it says: in
     * text wrapped at a fixed width a sentence can leave "share." or
     * "Print" alone on a line.  It continues one when the line before it
     * is text, not blank, and does not end a sentence. */
    if (nl && first_continues &&
        (ls[0].kind == FURN_LINE || ls[0].kind == FURN_WEAK))
        ls[0].kind = FURN_NONE;
    for (size_t i = 1; i < nl; i++) {
        if ((ls[i].kind != FURN_LINE && ls[i].kind != FURN_WEAK) ||
            ls[i - 1].blank || ls[i - 1].kind != FURN_NONE)
            continue;
        line prev = get_line(body, n, ls[i - 1].start);
        if (!ends_sentence(&prev))
            ls[i].kind = FURN_NONE;
    }
    /* The tail: from the first line that starts one. */
    size_t cut = nl;
    for (size_t i = 0; i < nl; i++) {
        int k = ls[i].kind;
        if (k == FURN_TAIL || k == FURN_AUTHOR ||
            (k == FURN_WEAK && ls[i].start >= n / 2)) {
            cut = i;
            if (k == FURN_AUTHOR) {
                size_t j = i;
                while (j > 0 && ls[j - 1].blank)
                    j--;
                if (j > 0) {
                    line l = get_line(body, n, ls[j - 1].start);
                    if (ls[j - 1].kind == FURN_NONE && name_like(&l) && j - 1 > 0)
                        cut = j - 1;
                }
            }
            break;
        }
    }
    bool changed = cut < nl;
    for (size_t i = 0; i < nl; i++) {
        if (i >= cut || ls[i].kind == FURN_LINE) {
            ls[i].keep = false;
            changed = true;
        }
    }
    /* Where lines were removed, the blank line after them goes too when
     * the kept text before ends with one (or is none): no runs of blank
     * lines, no blank start. */
    bool after_blank = true, removed = false;
    for (size_t i = 0; i < nl; i++) {
        if (!ls[i].keep) {
            removed = true;
            continue;
        }
        if (ls[i].blank && removed && after_blank) {
            ls[i].keep = false;
            continue;
        }
        after_blank = ls[i].blank;
        if (!ls[i].blank)
            removed = false;
    }
    if (!changed) {
        free(ls);
        return ATT_OK;
    }
    att_buf b = ATT_BUF_INIT;
    att_status st = ATT_OK;
    for (size_t i = 0; i < nl && !st; i++)
        if (ls[i].keep)
            st = att_buf_append(&b, body + ls[i].start, ls[i].next - ls[i].start);
    free(ls);
    if (st) {
        att_buf_free(&b);
        return st;
    }
    /* Trailing white space and blank lines, as the reader cuts them. */
    while (b.len && (is_space(b.data[b.len - 1]) || b.data[b.len - 1] == '\n'))
        b.len--;
    if (!b.data && (st = att_buf_reserve(&b, 0)))
        return st;
    b.data[b.len] = '\0';
    *out = b.data;
    *out_len = b.len;
    return ATT_OK;
}

/* ---- the article -------------------------------------------------------- */

/* Parses clean UTF-8 (decoded, no BOM). */
static att_status parse(att_article **out, const char *text, size_t len)
{
    size_t at = 0;

    att_article *a = att_article_new();
    if (!a)
        return att_error_nomem();
    const char **meta_slot[] = {&a->tags, &a->date, &a->source, &a->author,
                                &a->url, &a->language, &a->tags};

    /* Metadata block: known keys at the top, blank lines allowed. */
    line l;
    for (;;) {
        if (at >= len)
            break;
        l = get_line(text, len, at);
        if (l.n == 0) {
            at = l.next;
            continue;
        }
        line val;
        int k = meta_key(l, &val);
        if (k < 0)
            break;
        const char **slot = meta_slot[k];
        free((char *)*slot);
        if (!(*slot = att_strndup(val.p, val.n)))
            goto nomem;
        at = l.next;
    }
    /* Furniture before the title ("Skip to content", "Menu") is not it. */
    for (;;) {
        if (at >= len)
            break;
        l = get_line(text, len, at);
        if (l.n != 0 && !title_furniture(l.p, l.n))
            break;
        at = l.next;
    }
    if (at >= len) {
        att_article_free(a);
        return att_error_set(ATT_NOT_FOUND, "no article text (empty file)");
    }
    /* Title: the first substantive line, unless it is a paragraph. */
    l = get_line(text, len, at);
    bool glued = false; /* the body's first line follows the title's */
    if (l.n <= TITLE_MAX) {
        if (!(a->title = att_strndup(l.p, l.n)))
            goto nomem;
        a->title_len = l.n;
        at = l.next;
        /* The title repeated as the next substantive line is not body. */
        size_t peek = at;
        line m = get_line(text, len, peek);
        while (m.n == 0 && m.next < len && m.next != peek) {
            peek = m.next;
            m = get_line(text, len, peek);
        }
        if (m.n == l.n && memcmp(m.p, l.p, l.n) == 0)
            at = m.next;
        else
            glued = at < len && get_line(text, len, at).n && !ends_sentence(&l);
    }
    /* Body: the rest, from its first non-blank line, trailing space cut,
     * web-page furniture removed. */
    for (;;) {
        if (at >= len)
            break;
        line m = get_line(text, len, at);
        if (m.n)
            break;
        at = m.next;
    }
    size_t end = len;
    while (end > at && (is_space(text[end - 1]) || text[end - 1] == '\n'))
        end--;
    if (end > at) {
        char *clean = NULL;
        size_t clean_len = 0;
        att_status st = strip(text + at, end - at, glued, &clean, &clean_len);
        if (st) {
            att_article_free(a);
            return st;
        }
        if (clean) {
            if (clean_len) {
                a->body = clean;
                a->body_len = clean_len;
            } else {
                free(clean);
            }
        } else {
            if (!(a->body = att_strndup(text + at, end - at)))
                goto nomem;
            a->body_len = end - at;
        }
    }
    *out = a;
    return ATT_OK;
nomem:
    att_article_free(a);
    return att_error_nomem();
}
