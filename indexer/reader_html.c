/*
 * reader_html.c: HTML article pages, att_read_html(), through libxml2's
 * HTML parser (which recovers from what browsers recover from: unclosed
 * elements, a page cut short), and the text of HTML fragments for ninjs
 * body_html.
 *
 * Metadata, each field from the first source that has it:
 *   title     og:title, twitter:title, the schema.org JSON-LD article's
 *             headline, the first <h1> of the article, <title>
 *   date      article:published_time, JSON-LD datePublished, <meta> date
 *             names (date, pubdate, publishdate, dc.date, dcterms.created,
 *             sailthru.date, parsely-pub-date, ...), itemprop
 *             datePublished, the first <time datetime> of the article;
 *             then a date in the file name (readers.c)
 *   author    <meta name=author>, JSON-LD author(s), article:author
 *             (unless a URL), parsely-author / sailthru.author
 *   source    og:site_name, JSON-LD publisher.name, application-name
 *   url       <link rel=canonical>, og:url, JSON-LD url / mainEntityOfPage
 *   language  <html lang>, Content-Language, og:locale, JSON-LD inLanguage
 *   tags      article:tag, JSON-LD keywords, <meta name=keywords /
 *             news_keywords>
 *
 * The body is the text of the article's element: the element with
 * itemprop=articleBody, else the <article> with the most text, else
 * <main> (or role=main), else <body>.  Inside it, navigation, scripts and
 * boilerplate are left out: the elements script, style, noscript,
 * template, nav, header, footer, aside, form, button, iframe, svg,
 * figure, media and form controls; elements hidden (hidden,
 * aria-hidden=true, display:none); elements whose role is navigation,
 * banner, contentinfo, complementary, search or dialog; and elements
 * whose class or id has a word of boilerplate (comment, share, social,
 * related, sidebar, newsletter, subscribe, advert, ad, promo, breadcrumb,
 * author, byline, nav, menu, footer, cookie, popup, modal, widget, tags,
 * meta, print, skip, ...: the list skip_words below).  Block elements become paragraphs (a blank
 * line between them), <br> a line break, runs of white space one space.
 * The text then goes through the plain-text reader's furniture rules
 * (reader_text.c), and a first paragraph equal to the title is dropped.
 *
 * Encoding: a page with a byte-order mark, or that declares no charset
 * (or UTF-8), is decoded like every input (common/decode.c: UTF-16,
 * Windows-1252 fall-back, mojibake repair) and parsed as UTF-8.  A page
 * that declares another charset (<meta charset>, http-equiv Content-Type,
 * <?xml encoding?>) is converted by libxml2 from that charset; one that
 * libxml2 cannot convert is skipped as an unknown encoding.
 *
 * libxml2 reports its own errors through per-thread handlers; they are
 * silenced around each parse (and restored), because the library never
 * prints.
 */
#include "readers.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PARSE_OPTS                                                          \
    (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |      \
     HTML_PARSE_NONET | HTML_PARSE_COMPACT)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void) { xmlInitParser(); }

void att_html_init(void) { pthread_once(&init_once, init_libxml); }

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* libxml2's error handlers of this thread, silenced while we parse. */
typedef struct saved_handlers {
    xmlGenericErrorFunc gen;
    void *gen_ctx;
    xmlStructuredErrorFunc st;
    void *st_ctx;
} saved_handlers;

static void silence(saved_handlers *s)
{
    pthread_once(&init_once, init_libxml);
    s->gen = xmlGenericError;
    s->gen_ctx = xmlGenericErrorContext;
    s->st = xmlStructuredError;
    s->st_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

static void restore(const saved_handlers *s)
{
    xmlSetGenericErrorFunc(s->gen_ctx, s->gen);
    xmlSetStructuredErrorFunc(s->st_ctx, s->st);
}

/* ---- small DOM helpers ---------------------------------------------------- */

static bool is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name &&
           strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value (borrowed from the tree), or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcasecmp((const char *)a->name, name) == 0) {
            const xmlNode *c = a->children;
            if (c && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
                return (const char *)c->content;
            return "";
        }
    return NULL;
}

/* The next node of a depth-first walk under `root`, descending into n's
 * children when `down`. */
static const xmlNode *next_node(const xmlNode *n, const xmlNode *root, bool down)
{
    if (down && n->children)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* ---- what is not article text -------------------------------------------- */

static const char *const skip_elements[] = {
    "script", "style", "noscript", "template", "nav", "header", "footer",
    "aside", "form", "button", "iframe", "svg", "figure", "video", "audio",
    "canvas", "object", "embed", "map", "dialog", "menu", "select", "input",
    "textarea", "label", "head", "title", "meta", "link", "picture",
    "source", "math",
};

static const char *const skip_roles[] = {
    "navigation", "banner", "contentinfo", "complementary", "search",
    "dialog", "alert", "menu", "menubar", "toolbar",
};

/* Words of a class or id that mark boilerplate. */
static const char *const skip_words[] = {
    "comment", "comments", "respond", "reply", "share", "sharing",
    "sharedaddy", "social", "related", "relatedposts", "sidebar",
    "newsletter", "subscribe", "subscription", "signup", "advert",
    "advertisement", "ad", "ads", "adsbygoogle", "sponsored", "promo",
    "breadcrumb", "breadcrumbs", "author", "byline", "bio", "navigation",
    "nav", "navbar", "menu", "footer", "cookie", "cookies", "consent",
    "popup", "modal", "overlay", "widget", "skip", "sr", "visually",
    "print", "tags", "tag", "meta", "toolbar", "pagination", "pager",
    "disqus", "outbrain", "taboola", "recirc", "trending", "popular",
    "banner",
};

static bool word_in(const char *w, size_t n, const char *const *list,
                    size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
            return true;
    return false;
}

/* Whether a class or id value has a boilerplate word: words are split at
 * anything but letters and digits ("comments-area" has "comments"). */
static bool boilerplate_name(const char *v)
{
    if (!v)
        return false;
    const char *p = v;
    while (*p) {
        while (*p && !((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') &&
               !(*p >= '0' && *p <= '9'))
            p++;
        const char *w = p;
        while (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
               (*p >= '0' && *p <= '9'))
            p++;
        if (p > w && word_in(w, (size_t)(p - w), skip_words,
                             sizeof skip_words / sizeof *skip_words))
            return true;
    }
    return false;
}

static bool hidden_style(const char *style)
{
    if (!style)
        return false;
    for (const char *p = style; *p; p++)
        if (strncasecmp(p, "display", 7) == 0) {
            const char *q = p + 7;
            while (*q == ' ' || *q == ':')
                q++;
            if (strncasecmp(q, "none", 4) == 0)
                return true;
        }
    return false;
}

static bool skipped(const xmlNode *n)
{
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
        return true;
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (word_in((const char *)n->name, strlen((const char *)n->name),
                skip_elements, sizeof skip_elements / sizeof *skip_elements))
        return true;
    if (attr(n, "hidden"))
        return true;
    const char *v = attr(n, "aria-hidden");
    if (v && strcasecmp(v, "true") == 0)
        return true;
    v = attr(n, "role");
    if (v && word_in(v, strlen(v), skip_roles, sizeof skip_roles / sizeof *skip_roles))
        return true;
    return hidden_style(attr(n, "style")) || boilerplate_name(attr(n, "class")) ||
           boilerplate_name(attr(n, "id"));
}

static const char *const block_elements[] = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
    "tr", "hr", "address", "figcaption", "details", "summary", "center",
    "body", "caption", "tbody", "thead",
};

static bool is_block(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE &&
           word_in((const char *)n->name, strlen((const char *)n->name),
                   block_elements, sizeof block_elements / sizeof *block_elements);
}

/* ---- text ------------------------------------------------------------------ */

typedef struct text_out {
    att_buf b;
    int brk;      /* 0 none, 1 line break, 2 paragraph break pending */
    bool space;   /* a space is pending */
    int pre;      /* inside <pre> */
    att_status st;
} text_out;

static void out_break(text_out *t, int kind)
{
    if (kind > t->brk)
        t->brk = kind;
    t->space = false;
}

static void out_text(text_out *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !t->st; i++) {
        char c = s[i];
        bool white = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (t->pre && (c == '\n')) {
            out_break(t, 1);
            continue;
        }
        if (white) {
            if (t->b.len)
                t->space = true;
            continue;
        }
        /* U+00A0 no-break space counts as a space */
        if ((unsigned char)c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            if (t->b.len)
                t->space = true;
            i++;
            continue;
        }
        if (t->b.len && t->brk) {
            t->st = att_buf_puts(&t->b, t->brk == 2 ? "\n\n" : "\n");
        } else if (t->b.len && t->space) {
            t->st = att_buf_putc(&t->b, ' ');
        }
        t->brk = 0;
        t->space = false;
        if (!t->st)
            t->st = att_buf_putc(&t->b, c);
    }
}

static void leave(text_out *t, const xmlNode *n)
{
    if (is_block(n))
        out_break(t, 2);
    if (is_el(n, "pre") && t->pre)
        t->pre--;
}

/* The text under `root` (root itself is not tested for skipping).  An
 * explicit walk with enter and leave steps, so that a deeply nested page
 * cannot exhaust the stack. */
static att_status node_text(const xmlNode *root, att_buf *out)
{
    text_out t = {ATT_BUF_INIT, 0, false, 0, ATT_OK};
    const xmlNode *n = root->children;
    while (n && !t.st) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                out_text(&t, (const char *)n->content,
                         strlen((const char *)n->content));
        } else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
            if (is_el(n, "br")) {
                out_break(&t, 1);
            } else {
                if (is_block(n))
                    out_break(&t, 2);
                else if ((is_el(n, "td") || is_el(n, "th")) && t.b.len)
                    t.space = true;
                if (is_el(n, "pre"))
                    t.pre++;
                if (n->children) {
                    n = n->children; /* enter */
                    continue;
                }
                leave(&t, n);
            }
        }
        /* To the next sibling, leaving the elements that end here. */
        while (n) {
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n || n == root) {
                n = NULL;
                break;
            }
            leave(&t, n);
        }
    }
    if (t.st) {
        att_buf_free(&t.b);
        return t.st;
    }
    if (!t.b.data && (t.st = att_buf_reserve(&t.b, 0)))
        return t.st;
    t.b.data[t.b.len] = '\0';
    *out = t.b;
    return ATT_OK;
}

/* The text of an element as one line (a title, an <h1>). */
static char *inline_text(const xmlNode *n)
{
    att_buf b;
    if (node_text(n, &b))
        return NULL;
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] == '\n')
            b.data[i] = ' ';
    /* collapse the "  " a paragraph break left */
    size_t o = 0;
    for (size_t i = 0; i < b.len; i++)
        if (!(b.data[i] == ' ' && o && b.data[o - 1] == ' '))
            b.data[o++] = b.data[i];
    b.data[o] = '\0';
    if (!o) {
        att_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* ---- metadata --------------------------------------------------------------- */

typedef struct page {
    const char *og_title, *tw_title, *og_site, *og_url, *og_locale;
    const char *published, *meta_date, *itemprop_date, *art_author;
    const char *meta_author, *other_author, *keywords, *app_name;
    const char *canonical, *html_lang, *content_lang;
    att_buf art_tags;          /* article:tag values, ", "-joined */
    const xmlNode *title_el, *body_el, *main_el, *article_body;
    const xmlNode *articles[16];
    size_t n_articles;
    json_t *ld;                /* the JSON-LD article object (a reference) */
    json_t *ld_docs[8];        /* parsed JSON-LD scripts (owned) */
    size_t n_ld;
} page;

static bool ld_is_article(const json_t *o)
{
    static const char *const types[] = {
        "NewsArticle", "Article", "ReportageNewsArticle",
        "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
        "ReviewNewsArticle", "BlogPosting", "Report", "ScholarlyArticle",
        "LiveBlogPosting", "TechArticle", "SocialMediaPosting"};
    const json_t *t = json_object_get(o, "@type");
    size_t i;
    json_t *e;
    if (json_is_string(t)) {
        for (size_t k = 0; k < sizeof types / sizeof *types; k++)
            if (strcmp(json_string_value(t), types[k]) == 0)
                return true;
    } else if (json_is_array(t)) {
        json_array_foreach(t, i, e) {
            if (!json_is_string(e))
                continue;
            for (size_t k = 0; k < sizeof types / sizeof *types; k++)
                if (strcmp(json_string_value(e), types[k]) == 0)
                    return true;
        }
    }
    return false;
}

/* The article object in a JSON-LD value: itself, in an array, or in an
 * object's "@graph". */
static json_t *ld_find(json_t *v, int depth)
{
    if (depth > 3 || !v)
        return NULL;
    if (json_is_object(v)) {
        if (ld_is_article(v))
            return v;
        return ld_find(json_object_get(v, "@graph"), depth + 1);
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            json_t *f = ld_find(e, depth + 1);
            if (f)
                return f;
        }
    }
    return NULL;
}

static void meta_tag(page *pg, const xmlNode *n)
{
    const char *content = attr(n, "content");
    if (!content || !*content)
        return;
    const char *prop = attr(n, "property");
    const char *name = attr(n, "name");
    const char *ip = attr(n, "itemprop");
    const char *he = attr(n, "http-equiv");
    const char *k = prop ? prop : name;
#define TAKE(field) do { if (!pg->field) pg->field = content; } while (0)
    if (k) {
        if (!strcasecmp(k, "og:title")) TAKE(og_title);
        else if (!strcasecmp(k, "twitter:title")) TAKE(tw_title);
        else if (!strcasecmp(k, "og:site_name")) TAKE(og_site);
        else if (!strcasecmp(k, "og:url")) TAKE(og_url);
        else if (!strcasecmp(k, "og:locale")) TAKE(og_locale);
        else if (!strcasecmp(k, "article:published_time")) TAKE(published);
        else if (!strcasecmp(k, "article:author")) TAKE(art_author);
        else if (!strcasecmp(k, "author")) TAKE(meta_author);
        else if (!strcasecmp(k, "parsely-author") || !strcasecmp(k, "sailthru.author") ||
                 !strcasecmp(k, "byl") || !strcasecmp(k, "dc.creator"))
            TAKE(other_author);
        else if (!strcasecmp(k, "keywords") || !strcasecmp(k, "news_keywords"))
            TAKE(keywords);
        else if (!strcasecmp(k, "application-name")) TAKE(app_name);
        else if (!strcasecmp(k, "article:tag")) {
            if (pg->art_tags.len)
                att_buf_puts(&pg->art_tags, ", ");
            att_buf_puts(&pg->art_tags, content);
        } else if (!strcasecmp(k, "date") || !strcasecmp(k, "pubdate") ||
                   !strcasecmp(k, "publishdate") || !strcasecmp(k, "publish-date") ||
                   !strcasecmp(k, "publish_date") || !strcasecmp(k, "dc.date") ||
                   !strcasecmp(k, "dc.date.issued") || !strcasecmp(k, "dcterms.date") ||
                   !strcasecmp(k, "dcterms.created") || !strcasecmp(k, "dcterms.issued") ||
                   !strcasecmp(k, "article.published") || !strcasecmp(k, "sailthru.date") ||
                   !strcasecmp(k, "parsely-pub-date") ||
                   !strcasecmp(k, "original-publish-date") ||
                   !strcasecmp(k, "publication_date") || !strcasecmp(k, "og:pubdate"))
            TAKE(meta_date);
    }
    if (ip && !strcasecmp(ip, "datePublished"))
        TAKE(itemprop_date);
    if (he && !strcasecmp(he, "content-language"))
        TAKE(content_lang);
#undef TAKE
}

/* One walk over the whole page: metadata, JSON-LD and the candidates for
 * the article's element. */
static void scan_page(page *pg, const xmlNode *root)
{
    for (const xmlNode *n = root; n; ) {
        bool down = true;
        if (n->type == XML_ELEMENT_NODE) {
            if (is_el(n, "html")) {
                const char *l = attr(n, "lang");
                if (l && *l && !pg->html_lang)
                    pg->html_lang = l;
            } else if (is_el(n, "meta")) {
                meta_tag(pg, n);
            } else if (is_el(n, "title")) {
                if (!pg->title_el)
                    pg->title_el = n;
                down = false;
            } else if (is_el(n, "link")) {
                const char *rel = attr(n, "rel"), *href = attr(n, "href");
                if (rel && href && *href && !strcasecmp(rel, "canonical") &&
                    !pg->canonical)
                    pg->canonical = href;
            } else if (is_el(n, "script")) {
                const char *type = attr(n, "type");
                if (type && !strcasecmp(type, "application/ld+json") &&
                    pg->n_ld < sizeof pg->ld_docs / sizeof *pg->ld_docs &&
                    n->children && n->children->content) {
                    const char *js = (const char *)n->children->content;
                    json_t *v = json_loadb(js, strlen(js), 0, NULL);
                    if (v) {
                        pg->ld_docs[pg->n_ld++] = v;
                        if (!pg->ld)
                            pg->ld = ld_find(v, 0);
                    }
                }
                down = false;
            } else if (is_el(n, "style")) {
                down = false;
            } else if (is_el(n, "body")) {
                if (!pg->body_el)
                    pg->body_el = n;
            } else if (is_el(n, "article")) {
                if (pg->n_articles < sizeof pg->articles / sizeof *pg->articles)
                    pg->articles[pg->n_articles++] = n;
            } else if (is_el(n, "main")) {
                if (!pg->main_el)
                    pg->main_el = n;
            }
            if (n->type == XML_ELEMENT_NODE) {
                const char *role = attr(n, "role");
                if (role && !strcasecmp(role, "main") && !pg->main_el)
                    pg->main_el = n;
                const char *ip = attr(n, "itemprop");
                if (ip && !strcasecmp(ip, "articleBody") && !pg->article_body)
                    pg->article_body = n;
            }
        }
        n = next_node(n, root, down);
    }
}

/* A JSON-LD string field (or the "name" of an object, or for arrays the
 * names joined with ", "), as a new string or NULL. */
static char *ld_string(const json_t *v)
{
    if (json_is_string(v))
        return json_string_length(v) ? att_strdup(json_string_value(v)) : NULL;
    if (json_is_object(v)) {
        const json_t *name = json_object_get(v, "name");
        if (!name)
            name = json_object_get(v, "@id");
        return json_is_string(name) ? ld_string(name) : NULL;
    }
    if (json_is_array(v)) {
        att_buf b = ATT_BUF_INIT;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            char *s = ld_string(e);
            if (!s)
                continue;
            if (b.len)
                att_buf_puts(&b, ", ");
            att_buf_puts(&b, s);
            free(s);
        }
        return b.data;
    }
    return NULL;
}

/* Sets *dst to a copy of s if *dst is unset and s is non-empty. */
static att_status take(const char **dst, const char *s)
{
    if (*dst || !s)
        return ATT_OK;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s)
        return ATT_OK;
    char *c = att_strdup(s);
    if (!c)
        return att_error_nomem();
    size_t n = strlen(c);
    while (n && (c[n - 1] == ' ' || c[n - 1] == '\t' || c[n - 1] == '\n' ||
                 c[n - 1] == '\r'))
        c[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (c[i] == '\n' || c[i] == '\r' || c[i] == '\t')
            c[i] = ' ';
    att_text_clean_controls(c, &n);
    *dst = c;
    return ATT_OK;
}

static att_status take_owned(const char **dst, char *s)
{
    att_status st = take(dst, s);
    free(s);
    return st;
}

static bool is_url(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 ||
                 strncasecmp(s, "https://", 8) == 0);
}

/* og:locale "en_US" -> "en-US" */
static att_status take_locale(const char **dst, const char *loc)
{
    if (*dst || !loc || !*loc)
        return ATT_OK;
    att_status st = take(dst, loc);
    if (!st && *dst)
        for (char *p = (char *)*dst; *p; p++)
            if (*p == '_')
                *p = '-';
    return st;
}

static att_status fill_metadata(att_article *a, page *pg)
{
    att_status st;
    json_t *ld = pg->ld;
    if ((st = take(&a->title, pg->og_title)) || (st = take(&a->title, pg->tw_title)) ||
        (ld && (st = take_owned(&a->title, ld_string(json_object_get(ld, "headline"))))))
        return st;
    if ((st = take(&a->date, pg->published)) ||
        (ld && (st = take_owned(&a->date, ld_string(json_object_get(ld, "datePublished"))))) ||
        (st = take(&a->date, pg->meta_date)) || (st = take(&a->date, pg->itemprop_date)))
        return st;
    if ((st = take(&a->author, pg->meta_author)) ||
        (ld && (st = take_owned(&a->author, ld_string(json_object_get(ld, "author"))))) ||
        (!is_url(pg->art_author) && (st = take(&a->author, pg->art_author))) ||
        (st = take(&a->author, pg->other_author)))
        return st;
    if ((st = take(&a->source, pg->og_site)) ||
        (ld && (st = take_owned(&a->source, ld_string(json_object_get(ld, "publisher"))))) ||
        (st = take(&a->source, pg->app_name)))
        return st;
    if ((st = take(&a->url, pg->canonical)) || (st = take(&a->url, pg->og_url)) ||
        (ld && (st = take_owned(&a->url, ld_string(json_object_get(ld, "url"))))) ||
        (ld && (st = take_owned(&a->url, ld_string(json_object_get(ld, "mainEntityOfPage"))))))
        return st;
    if ((st = take(&a->language, pg->html_lang)) ||
        (st = take(&a->language, pg->content_lang)) ||
        (st = take_locale(&a->language, pg->og_locale)) ||
        (ld && (st = take_owned(&a->language, ld_string(json_object_get(ld, "inLanguage"))))))
        return st;
    if ((pg->art_tags.len && (st = take(&a->tags, pg->art_tags.data))) ||
        (ld && (st = take_owned(&a->tags, ld_string(json_object_get(ld, "keywords"))))) ||
        (st = take(&a->tags, pg->keywords)))
        return st;
    /* A URL found in a JSON-LD "url" may be relative: keep absolute ones. */
    if (a->url && !is_url(a->url) && a->url[0] != '/') {
        free((char *)a->url);
        a->url = NULL;
    }
    return ATT_OK;
}

/* The first element named `name` under root (not inside skipped ones). */
static const xmlNode *find_el(const xmlNode *root, const char *name)
{
    for (const xmlNode *n = root; n;) {
        bool down = true;
        if (n != root && n->type == XML_ELEMENT_NODE && is_el(n, name))
            return n;
        if (n != root && skipped(n))
            down = false;
        n = next_node(n, root, down);
    }
    return NULL;
}

/* ---- the reader -------------------------------------------------------------- */

/* The charset a page declares in its first bytes, or NULL: <meta
 * charset=X>, content="text/html; charset=X", <?xml encoding="X"?>. */
static bool declared_charset(const char *s, size_t n, char *out, size_t cap)
{
    size_t lim = n < 4096 ? n : 4096;
    size_t at = 0;
    while (at < lim && (s[at] == ' ' || s[at] == '\t' || s[at] == '\r' ||
                        s[at] == '\n'))
        at++;
    bool xml_decl = lim - at >= 5 && strncmp(s + at, "<?xml", 5) == 0;
    for (size_t i = 0; i + 8 < lim; i++) {
        size_t klen;
        if (strncasecmp(s + i, "charset", 7) == 0)
            klen = 7;
        else if (strncasecmp(s + i, "encoding", 8) == 0 && xml_decl)
            klen = 8;
        else
            continue;
        size_t j = i + klen;
        while (j < lim && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= lim || s[j] != '=')
            continue;
        j++;
        while (j < lim && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < lim && k + 1 < cap &&
               (((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z') ||
                (s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '_' ||
                s[j] == ':' || s[j] == '.'))
            out[k++] = s[j++];
        out[k] = '\0';
        if (k)
            return true;
    }
    return false;
}

static bool utf8_name(const char *cs)
{
    return !strcasecmp(cs, "utf-8") || !strcasecmp(cs, "utf8") ||
           !strcasecmp(cs, "us-ascii") || !strcasecmp(cs, "ascii");
}

/* Parses the page: into *doc, decoding as the opening comment says. */
static att_status parse_page(htmlDocPtr *doc, const char *bytes, size_t n,
                             att_decode_stats *ds, att_skip_reason *why,
                             char **decoded)
{
    *doc = NULL;
    *decoded = NULL;
    const unsigned char *u = (const unsigned char *)bytes;
    bool bom = n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                          (u[0] == 0xFE && u[1] == 0xFF) ||
                          (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF));
    char cs[64];
    if (!bom && declared_charset(bytes, n, cs, sizeof cs) && !utf8_name(cs)) {
        if (memchr(bytes, '\0', n)) {
            /* let the decoder report where the binary data is */
            char *t = NULL;
            size_t tn;
            att_status st = att_decode(bytes, n, &t, &tn, NULL);
            free(t);
            if (st == ATT_ENCODING) {
                *why = ATT_SKIP_BINARY;
                return st;
            }
        }
        xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(cs);
        if (!h) {
            *why = ATT_SKIP_ENCODING;
            return att_error_set(ATT_ENCODING,
                                 "unknown encoding \"%s\" (declared by the page)",
                                 cs);
        }
        xmlCharEncCloseFunc(h);
        if (n > INT_MAX) {
            *why = ATT_SKIP_TOO_LARGE;
            return att_error_set(ATT_INVALID, "page too large for the HTML parser");
        }
        *doc = htmlReadMemory(bytes, (int)n, NULL, cs, PARSE_OPTS);
        if (ds)
            ds->converted = true;
    } else {
        size_t len = 0;
        att_status st = att_decode(bytes, n, decoded, &len, ds);
        if (st) {
            *why = st == ATT_ENCODING ? ATT_SKIP_BINARY : ATT_SKIP_INVALID;
            return st;
        }
        if (len > INT_MAX) {
            *why = ATT_SKIP_TOO_LARGE;
            return att_error_set(ATT_INVALID, "page too large for the HTML parser");
        }
        *doc = htmlReadMemory(*decoded, (int)len, NULL, "UTF-8",
                              PARSE_OPTS | HTML_PARSE_IGNORE_ENC);
    }
    if (!*doc) {
        *why = ATT_SKIP_MALFORMED;
        return att_error_set(ATT_INVALID, "the HTML parser could not read the page");
    }
    return ATT_OK;
}

/* Drops the body's first paragraph when it is the title (an <h1>). */
static void drop_title_paragraph(att_article *a)
{
    if (!a->title || !a->body)
        return;
    size_t tl = strlen(a->title);
    if (strncmp(a->body, a->title, tl) != 0)
        return;
    const char *rest = a->body + tl;
    if (*rest != '\0' && *rest != '\n')
        return;
    while (*rest == '\n')
        rest++;
    memmove((char *)a->body, rest, strlen(rest) + 1);
    a->body_len = strlen(a->body);
}

att_status att_read_html(att_article **out, const char *bytes, size_t n,
                         const att_input *in, att_decode_stats *ds,
                         att_skip_reason *why)
{
    *out = NULL;
    saved_handlers sh;
    silence(&sh);
    htmlDocPtr doc = NULL;
    char *decoded = NULL;
    page pg;
    memset(&pg, 0, sizeof pg);
    att_article *a = NULL;
    att_buf body = ATT_BUF_INIT;
    att_status st = parse_page(&doc, bytes, n, ds, why, &decoded);
    if (st)
        goto out;
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        *why = ATT_SKIP_EMPTY;
        st = att_error_set(ATT_NOT_FOUND, "no article text (empty page)");
        goto out;
    }
    scan_page(&pg, root);
    if (!(a = att_article_new())) {
        st = att_error_nomem();
        goto out;
    }
    if ((st = fill_metadata(a, &pg))) {
        *why = ATT_SKIP_INVALID;
        goto out;
    }
    /* The article's element. */
    const xmlNode *content = pg.article_body;
    if (!content && pg.n_articles) {
        size_t best = 0;
        for (size_t i = 0; i < pg.n_articles; i++) {
            att_buf t;
            if ((st = node_text(pg.articles[i], &t)))
                goto out;
            if (!content || t.len > best) {
                content = pg.articles[i];
                best = t.len;
            }
            att_buf_free(&t);
        }
    }
    if (!content)
        content = pg.main_el;
    if (!content)
        content = pg.body_el ? pg.body_el : root;
    if (!a->title) {
        const xmlNode *h1 = find_el(content, "h1");
        if (!h1 && pg.body_el)
            h1 = find_el(pg.body_el, "h1");
        char *t = h1 ? inline_text(h1) : NULL;
        if (!t && pg.title_el)
            t = inline_text(pg.title_el);
        if ((st = take_owned(&a->title, t)))
            goto out;
    }
    if ((st = node_text(content, &body)))
        goto out;
    if (!body.len && pg.ld) {
        /* A page whose text only its JSON-LD holds. */
        char *ab = ld_string(json_object_get(pg.ld, "articleBody"));
        if (ab) {
            att_buf_free(&body);
            body.data = ab;
            body.len = body.cap = strlen(ab);
        }
    }
    if (body.len) {
        char *clean = NULL;
        size_t clean_len = 0;
        if ((st = att_text_strip_furniture(body.data, body.len, &clean, &clean_len)))
            goto out;
        if (clean) {
            att_buf_free(&body);
            body.data = clean;
            body.len = body.cap = clean_len;
        }
    }
    if (body.len) {
        size_t c = att_text_clean_controls(body.data, &body.len);
        if (ds)
            ds->controls += c;
        a->body = body.data;
        a->body_len = body.len;
        body = (att_buf)ATT_BUF_INIT;
    }
    a->title_len = a->title ? strlen(a->title) : 0;
    drop_title_paragraph(a);
    if (!a->body || !a->body_len) {
        *why = ATT_SKIP_NO_BODY;
        st = att_error_set(ATT_NOT_FOUND, "no article text in the page");
        goto out;
    }
    st = att_article_finish(a, in, why);
out:
    att_buf_free(&body);
    att_buf_free(&pg.art_tags);
    for (size_t i = 0; i < pg.n_ld; i++)
        json_decref(pg.ld_docs[i]);
    if (doc)
        xmlFreeDoc(doc);
    free(decoded);
    restore(&sh);
    if (st) {
        att_article_free(a);
        return st;
    }
    *out = a;
    return ATT_OK;
}

att_status att_html_fragment_text(const char *html, size_t n, char **out,
                                  size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (n > INT_MAX)
        return att_error_set(ATT_INVALID, "HTML fragment too large");
    saved_handlers sh;
    silence(&sh);
    htmlDocPtr doc = htmlReadMemory(n ? html : " ", n ? (int)n : 1, NULL,
                                   "UTF-8", PARSE_OPTS | HTML_PARSE_IGNORE_ENC);
    att_status st = ATT_OK;
    att_buf b = ATT_BUF_INIT;
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root)
        st = node_text(root, &b);
    if (doc)
        xmlFreeDoc(doc);
    restore(&sh);
    if (st)
        return st;
    if (!b.data && (st = att_buf_reserve(&b, 0)))
        return st;
    b.data[b.len] = '\0';
    *out = b.data;
    *out_len = b.len;
    return ATT_OK;
}
