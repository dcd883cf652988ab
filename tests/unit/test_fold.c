/* test_fold.c: the analysis chain's folding (common/analyze.c), as tables:
 * what each script and typographic habit folds to, and proof that a
 * document and a query made of the same text yield identical terms, so
 * that what a desk editor types finds what the wire wrote. */
#include "helpers.h"

#include <criterion/parameterized.h>

#include "analyze.h"
#include "../../searcher/query_parse.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(fold, .init = setup, .fini = teardown);

/* Appends each token's form (or stem) to a space-separated list. */
typedef struct joined {
    att_buf b;
    bool stems;
} joined;

static att_status join(void *ctx, const att_token *t)
{
    joined *j = ctx;
    att_status st = ATT_OK;
    if (j->b.len)
        st = att_buf_putc(&j->b, ' ');
    if (!st)
        st = j->stems ? att_buf_append(&j->b, t->stem, t->stem_len)
                      : att_buf_append(&j->b, t->form, t->form_len);
    return st;
}

static char *analyse(const char *text, bool stems)
{
    joined j = {ATT_BUF_INIT, stems};
    cr_assert_eq(att_analyze(an, text, strlen(text), join, &j), ATT_OK, "%s",
                 att_last_error());
    if (!j.b.data)
        cr_assert_eq(att_buf_reserve(&j.b, 1), ATT_OK);
    j.b.data[j.b.len] = '\0';
    return j.b.data;
}

/* Arrays, not pointers: Criterion copies each parameter into a freshly
 * started test process, where the table's string addresses differ. */
typedef struct fold_case {
    char what[64];
    char text[128];
    char folded[128];
} fold_case;

static const fold_case fold_table[] = {
    {"Latin diacritics", "Café naïve résumé façade Ångström",
     "cafe naive resume facade angstrom"},
    {"Latin letters without a decomposition", "Đoković Ðakovo œuvre Æsir",
     "dokovic dakovo oeuvre aesir"},
    {"Turkish (dotted and dotless i, locale-neutral)",
     "Türkiye İstanbul ISPARTA Kılıçdaroğlu Iğdır ŞANLIURFA",
     "turkiye istanbul isparta kilicdaroglu igdir sanliurfa"},
    {"Polish", "Łódź Wałęsa Gdańsk ŻÓŁĆ", "lodz walesa gdansk zolc"},
    {"German", "Straße STRASSE Müller Österreich",
     "strasse strasse muller osterreich"},
    {"Nordic", "Øresund Ærøskøbing Þórshöfn Åland Søren",
     "oresund aeroskobing thorshofn aland soren"},
    {"Cyrillic (BGN/PCGN romanisation)",
     "Лавров Хрущёв Москва Зеленский Зеленський Мариуполь",
     "lavrov khrushchev moskva zelenskiy zelenskiy mariupol"},
    {"Greek", "Αθήνα Τσίπρας ΣΙΓΜΑ Ελλάδα", "athena tsipras sigma ellada"},
    {"curly apostrophes and quotes",
     "Pakistan’s don’t ‘quoted’ “Kabul” Pakistan‘s Pakistanʼs",
     "pakistan's don't quoted kabul pakistan's pakistan's"},
    {"dashes and Unicode hyphens", "Tehrik‐i‐Taliban — Tehrik–e–Taliban",
     "tehrik i taliban tehrik e taliban"},
    {"compatibility forms (NFKC)", "ﬁnal ＮＡＴＯ", "final nato"},
    {"soft hyphen inside a word", "nego\xc2\xadtiations", "negotiations"},
    {"ASCII fast path", "The UN's Security Council", "the un's security council"},
};

ParameterizedTestParameters(fold, table)
{
    return cr_make_param_array(fold_case, fold_table,
                               sizeof fold_table / sizeof fold_table[0]);
}

ParameterizedTest(const fold_case *c, fold, table)
{
    char *got = analyse(c->text, false);
    cr_assert_str_eq(got, c->folded, "%s: \"%s\" folded to \"%s\", expected \"%s\"",
                     c->what, c->text, got, c->folded);
    free(got);
}

/* The terms a query makes of `q`, in order, space-separated: the leaves of
 * the tree as att_qnode_describe() prints them, PHRASE dropped, and the
 * other operators too unless `ops`. */
static char *query_terms(const char *q, bool ops)
{
    att_qnode *t = NULL;
    att_qparse_opts o = {.no_expansion = true}; /* the words' own terms */
    cr_assert_eq(att_query_parse_ex(an, q, &o, &t), ATT_OK, "[%s]: %s", q,
                 att_last_error());
    att_buf d = ATT_BUF_INIT;
    cr_assert_eq(att_qnode_describe(t, &d), ATT_OK);
    att_qnode_free(t);
    att_buf out = ATT_BUF_INIT;
    const char *p = d.data;
    while (*p) {
        while (*p == '(' || *p == ')' || *p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != ')')
            e++;
        bool op = (e - p == 6 && strncmp(p, "PHRASE", 6) == 0) ||
                  (!ops && e - p == 3 && strncmp(p, "AND", 3) == 0);
        if (e > p && !op) {
            if (out.len)
                cr_assert_eq(att_buf_putc(&out, ' '), ATT_OK);
            cr_assert_eq(att_buf_append(&out, p, (size_t)(e - p)), ATT_OK);
        }
        p = e;
    }
    att_buf_free(&d);
    if (!out.data)
        cr_assert_eq(att_buf_reserve(&out, 1), ATT_OK);
    out.data[out.len] = '\0';
    return out.data;
}

typedef struct same_case {
    char article[48]; /* as the wire wrote it */
    char typed[48];   /* as an editor types it */
} same_case;

static const same_case same_table[] = {
    {"Türkiye", "turkiye"},
    {"Łódź", "lodz"},
    {"Лавров", "Lavrov"},
    {"Pakistan’s", "Pakistan's"},
    {"peace talks", "peace talk"},
    {"İstanbul", "istanbul"},
    {"Kılıçdaroğlu", "Kilicdaroglu"},
    {"Straße", "strasse"},
    {"Øresund", "oresund"},
    {"Хрущёв", "Khrushchev"},
    {"Αθήνα", "Athena"},
    {"Tehrik‐i‐Taliban", "Tehrik-i-Taliban"},
    {"ＮＡＴＯ", "NATO"},
    {"José", "JOSE"},
};

ParameterizedTestParameters(fold, document_and_query_agree)
{
    return cr_make_param_array(same_case, same_table,
                               sizeof same_table / sizeof same_table[0]);
}

/* The document side (the stems the indexer posts, att_analyze) equals the
 * query side (the terms the parser makes) for the article's own text, for
 * it quoted with straight and with curly quotes, and for what is typed. */
ParameterizedTest(const same_case *c, fold, document_and_query_agree)
{
    char *doc = analyse(c->article, true);
    char quoted[256], curly[256];
    snprintf(quoted, sizeof quoted, "\"%s\"", c->article);
    snprintf(curly, sizeof curly, "“%s”", c->article);
    const char *queries[] = {c->article, quoted, curly, c->typed};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char *q = query_terms(queries[i], false);
        cr_assert_str_eq(q, doc, "document \"%s\" -> [%s] but query [%s] -> [%s]",
                         c->article, doc, queries[i], q);
        free(q);
    }
    free(doc);
}

/* Operators and field names survive the chain: they are read before any
 * word is folded, and typographic quotes delimit phrases. */
Test(fold, operators_and_fields_survive)
{
    char *q = query_terms("title:Türkiye AND „Łódź talks” OR Лавров", true);
    cr_assert_str_eq(q, "Sturkiy AND lodz talk OR lavrov", "got %s", q);
    free(q);
    q = query_terms("«peace talks» NOT ＮＡＴＯ", true);
    cr_assert_str_eq(q, "peac talk AND_NOT nato", "got %s", q);
    free(q);
}
