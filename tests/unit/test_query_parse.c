/* test_query_parse.c: the query parser (searcher/query_parse.h), checked
 * through the tree shapes att_qnode_describe() prints. */
#include "helpers.h"

#include "../../searcher/query_parse.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(qparse, .init = setup, .fini = teardown);

/* Parses q, which must succeed, and compares the tree's description. */
static void shape(const char *q, const char *want)
{
    att_qnode *t = NULL;
    /* The tree as parsed; the entity expansion has a test of its own. */
    att_qparse_opts o = {.no_expansion = true};
    att_status st = att_query_parse_ex(an, q, &o, &t);
    cr_assert_eq(st, ATT_OK, "[%s]: %s", q, att_last_error());
    cr_assert_not_null(t);
    att_buf b = ATT_BUF_INIT;
    cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
    att_qnode_free(t);
    cr_assert_str_eq(b.data, want, "[%s] gave %s, expected %s", q, b.data, want);
    att_buf_free(&b);
}

/* Parses q, which must fail with `st` at byte `pos`. */
static void fails(const char *q, att_status want, long pos)
{
    att_qnode *t = (att_qnode *)0x1;
    att_status st = att_query_parse(an, q, &t);
    cr_assert_eq(st, want, "[%s]: got %s", q, att_strerror(st));
    cr_assert_null(t, "[%s]: tree must be NULL on failure", q);
    cr_assert_eq(att_last_error_position(), pos, "[%s]: position %ld, expected %ld (%s)",
                 q, att_last_error_position(), pos, att_last_error());
}

Test(qparse, single_word_is_stemmed_term)
{
    shape("Negotiations", "negoti");
}

Test(qparse, implicit_and)
{
    shape("ceasefire talks", "(ceasefir AND talk)");
    shape("a AND b", "(a AND b)");
}

Test(qparse, or_binds_tighter_than_and)
{
    shape("taliban pakistan OR afghanistan",
          "(taliban AND (pakistan OR afghanistan))");
    shape("a OR b c OR d", "((a OR b) AND (c OR d))");
    shape("(a b) OR c", "((a AND b) OR c)");
}

Test(qparse, not_forms)
{
    shape("taliban NOT afghan", "(taliban AND_NOT afghan)");
    shape("taliban AND NOT afghan", "(taliban AND_NOT afghan)");
    shape("taliban -afghan", "(taliban AND_NOT afghan)");
    shape("a -b -c", "(a AND_NOT (b OR c))");
    shape("NOT afghan", "(<all> AND_NOT afghan)");
    shape("-afghan", "(<all> AND_NOT afghan)");
    shape("+taliban", "taliban");
}

Test(qparse, lower_case_operators_are_words)
{
    shape("war and peace", "(war AND and AND peac)");
    shape("this or that", "(this AND or AND that)");
    shape("not now", "(not AND now)");
}

Test(qparse, phrases)
{
    shape("\"open war\"", "(open PHRASE war)");
    shape("\xe2\x80\x9copen war\xe2\x80\x9d", "(open PHRASE war)");
    shape("\"talks\"", "talk");
    shape("Afghanistan-Pakistan", "(afghanistan PHRASE pakistan)");
    shape("\"open war\" Pakistan", "((open PHRASE war) AND pakistan)");
    shape("-\"open war\" peace", "(peac AND_NOT (open PHRASE war))");
}

Test(qparse, fields)
{
    shape("title:Istanbul", "Sistanbul");
    shape("title:\"peace talks\"", "(Speac PHRASE Stalk)");
    shape("source:Reuters", "filter:XSRCreuters");
    shape("source:\"Associated Press\"", "filter:XSRCassociated-press");
    shape("id:002_703b6955b0d8f8ed", "filter:Q002_703b6955b0d8f8ed");
    shape("TITLE:talks", "Stalk");
    shape("talks source:ap", "(talk AND filter:XSRCap)");
    /* A colon not followed by a value is not a field. */
    shape("ratio: 3", "(ratio AND 3)");
}

Test(qparse, punctuation_words_dropped)
{
    shape("talks ... !", "talk");
}

Test(qparse, syntax_errors_with_positions)
{
    fails("open (war", ATT_QUERY_SYNTAX, 5);
    fails("\"open war", ATT_QUERY_SYNTAX, 0);
    fails("peace \xe2\x80\x9copen war", ATT_QUERY_SYNTAX, 6);
    fails("foo AND", ATT_QUERY_SYNTAX, 4);
    fails("OR foo", ATT_QUERY_SYNTAX, 0);
    fails("AND foo", ATT_QUERY_SYNTAX, 0);
    fails("foo OR", ATT_QUERY_SYNTAX, 4);
    fails("foo OR AND bar", ATT_QUERY_SYNTAX, 4);
    fails("foo NOT", ATT_QUERY_SYNTAX, 4);
    fails("a AND NOT", ATT_QUERY_SYNTAX, 6);
    fails("unknown:field", ATT_QUERY_SYNTAX, 0);
    fails("peace author:smith", ATT_QUERY_SYNTAX, 6);
    fails(")", ATT_QUERY_SYNTAX, 0);
    fails("a b)", ATT_QUERY_SYNTAX, 3);
    fails("()", ATT_QUERY_SYNTAX, 0);
    fails("a (b (c)", ATT_QUERY_SYNTAX, 2);
    fails("a OR -b", ATT_QUERY_SYNTAX, 5);
    fails("bad \xff utf8", ATT_QUERY_SYNTAX, 4);
}

Test(qparse, empty_queries)
{
    fails("", ATT_EMPTY_QUERY, 0);
    fails("...", ATT_EMPTY_QUERY, 0);
    fails("\"   \"", ATT_EMPTY_QUERY, 0);
    fails("  ( ... )  ", ATT_EMPTY_QUERY, 0);
}

Test(qparse, null_query_invalid)
{
    att_qnode *t = NULL;
    cr_assert_eq(att_query_parse(an, NULL, &t), ATT_INVALID);
    cr_assert_null(t);
}

Test(qparse, term_positions_in_query)
{
    att_qnode *t = NULL;
    cr_assert_eq(att_query_parse(an, "peace \"open war\"", &t), ATT_OK);
    cr_assert_eq(t->kind, ATT_Q_AND);
    cr_assert_eq(t->n_kids, 2);
    cr_assert_eq(t->kids[0]->qpos, 0);
    cr_assert_eq(t->kids[1]->kind, ATT_Q_PHRASE);
    cr_assert_eq(t->kids[1]->kids[0]->qpos, 7);
    cr_assert_eq(t->kids[1]->kids[1]->qpos, 12);
    att_qnode_free(t);
}

Test(qparse, near_and_adj)
{
    shape("ceasefire NEAR/5 Doha", "(ceasefir NEAR/6 doha)");
    shape("ceasefire NEAR Doha", "(ceasefir NEAR/11 doha)");
    shape("Istanbul ADJ talks", "(istanbul ADJ/2 talk)");
    shape("a NEAR/3 b NEAR/3 c", "(a NEAR/7 b NEAR/7 c)");
    shape("taliban NEAR/2 kabul OR doha", "((taliban NEAR/3 kabul) OR doha)");
    shape("title:kabul NEAR/2 title:talks", "(Skabul NEAR/3 Stalk)");
    shape("near east", "(near AND east)");
    shape("NEARBY ADJUST", "(nearbi AND adjust)");
}

Test(qparse, near_errors)
{
    fails("talks NEAR/0 Doha", ATT_QUERY_SYNTAX, 6);
    fails("talks NEAR/x Doha", ATT_QUERY_SYNTAX, 6);
    fails("talks NEAR/1001 Doha", ATT_QUERY_SYNTAX, 6);
    fails("talks ADJ/ Doha", ATT_QUERY_SYNTAX, 6);
    fails("NEAR talks", ATT_QUERY_SYNTAX, 0);
    fails("talks NEAR", ATT_QUERY_SYNTAX, 6);
    fails("\"peace talks\" NEAR Doha", ATT_QUERY_SYNTAX, 0);
    fails("talks NEAR (Doha OR Kabul)", ATT_QUERY_SYNTAX, 11);
    fails("talks NEAR -Doha", ATT_QUERY_SYNTAX, 11);
    fails("a NEAR/3 b ADJ/3 c", ATT_QUERY_SYNTAX, 11);
    fails("talks OR NEAR b", ATT_QUERY_SYNTAX, 6);
}

Test(qparse, exact_forms)
{
    shape("=talks", "Etalks");
    shape("=Türkiye's", "Eturkiye's");
    shape("=\"peace talks\"", "(Epeace PHRASE Etalks)");
    shape("-=talks kabul", "(kabul AND_NOT Etalks)");
    shape("=talks NEAR/2 doha", "(Etalks NEAR/3 doha)");
    fails("title:=talks", ATT_QUERY_SYNTAX, 6);
    fails("source:=reuters", ATT_QUERY_SYNTAX, 7);
}

Test(qparse, typographic_quotes)
{
    shape("“peace talks”", "(peac PHRASE talk)");
    shape("„peace talks“", "(peac PHRASE talk)");
    shape("«peace talks»", "(peac PHRASE talk)");
    shape("＂peace talks＂", "(peac PHRASE talk)");
    fails("“peace talks", ATT_QUERY_SYNTAX, 0);
}

/* Plain words that name a dictionary entity: a synonym of the words and
 * the entity's term (searcher/query_entities.c), the longest run of
 * adjacent words first; abbreviations only as written; fields, exact
 * forms and excluded words untouched. */
static void expanded(const char *q, const char *want)
{
    att_qnode *t = NULL;
    cr_assert_eq(att_query_parse(an, q, &t), ATT_OK, "[%s]: %s", q,
                 att_last_error());
    att_buf b = ATT_BUF_INIT;
    cr_assert_eq(att_qnode_describe(t, &b), ATT_OK);
    att_qnode_free(t);
    cr_assert_str_eq(b.data, want, "[%s] gave %s, expected %s", q, b.data, want);
    att_buf_free(&b);
}

Test(qparse, entity_names_expand)
{
    expanded("Tehreek-e-Taliban talks",
             "(((tehreek PHRASE e PHRASE taliban) SYNONYM "
             "XOtehrik-i-taliban-pakistan) AND talk)");
    expanded("Pakistani Taliban attacks",
             "(((pakistani AND taliban) SYNONYM XOtehrik-i-taliban-pakistan) "
             "AND attack)");
    expanded("TTP", "(ttp SYNONYM XOtehrik-i-taliban-pakistan)");
    expanded("ttp", "ttp");
    expanded("Afghan authorities", "(afghan AND author)");
    expanded("title:Turkey", "Sturkey");
    expanded("talks -Turkey", "(talk AND_NOT turkey)");
    expanded("\"Pakistani Taliban\"",
             "((pakistani PHRASE taliban) SYNONYM XOtehrik-i-taliban-pakistan)");
}

Test(qparse, entity_fields_canonicalise)
{
    expanded("org:TTP", "filter:XOtehrik-i-taliban-pakistan");
    expanded("org:\"Pakistani Taliban\"", "filter:XOtehrik-i-taliban-pakistan");
    expanded("org:Tehreek-e-Taliban", "filter:XOtehrik-i-taliban-pakistan");
    expanded("place:turkey", "filter:XLtur");
    expanded("place:Afghan", "filter:XLafg");
    expanded("org:\"Some Committee\"", "filter:XOsome-committee");
    expanded("person:\"Ishaq Dar\"",
             "(filter:XPishaq-dar OR filter:XPNishaq-dar)");
    expanded("person:\"Mehdi Qasimov\"",
             "(filter:XPmehdi-qasimov OR filter:XPNmehdi-qasimov)");
    /* Two of a type: both must hold. */
    expanded("place:Qatar place:Turkey", "(filter:XLqat AND filter:XLtur)");
    fails("org:--", ATT_QUERY_SYNTAX, 4);
    fails("place:Kab*", ATT_QUERY_SYNTAX, 6);
}
