/* test_entity_dict.c: the entity dictionary (common/entity_dict.c) and the
 * tokens it reads (common/etokens.c), on a small dictionary written here:
 * the file format's checks with file:line messages, longest matches, the
 * capitalisation rules (abbreviations as written, capitalised words only
 * where the name is capitalised), a leading "the", possessives, several
 * senses of one name, demonyms, the query-side lookups, and the tokeniser's
 * CoNLL-style tokens and sentence starts. */
#include "helpers.h"

#include "entities.h"
#include "entity_dict.h"

static att_analyzer *an;

static void setup(void) { cr_assert_eq(att_analyzer_new(&an), ATT_OK); }
static void teardown(void) { att_analyzer_free(an); }

TestSuite(entity_dict, .init = setup, .fini = teardown);

static const char DICT[] =
    "# a test dictionary\n"
    "pak\tplace\tname\tPakistan\n"
    "pak\tplace\tclass\tcountry\n"
    "pak\tplace\tdemonym\tPakistani\n"
    "pak\tplace\tcapital\tislamabad\n"
    "tur\tplace\tname\tT\xc3\xbcrkiye\n"
    "tur\tplace\talias\tTurkey\n"
    "tur\tplace\talias\tTurkiye\n"
    "tur\tplace\tdemonym\tTurkish\n"
    "tcd\tplace\tname\tChad\n"
    "islamabad\tplace\tname\tIslamabad\n"
    "islamabad\tplace\tpart-of\tpak\n"
    "ttp\torg\tname\tTehrik-i-Taliban Pakistan\n"
    "ttp\torg\tabbr\tTTP\n"
    "ttp\torg\talias\tPakistani Taliban\n"
    "ttp\torg\talias\tTehreek-e-Taliban Pakistan\n"
    "ttp\torg\talias\tTehreek-e-Taliban\n"
    "tribune\torg\tname\tThe Express Tribune\n"
    "usa\tplace\tname\tUnited States\n"
    "usa\tplace\tabbr\tU.S.\n"
    "usa\tplace\tabbr\tUS\n"
    "who\torg\tname\tWorld Health Organization\n"
    "who\torg\tabbr\tWHO\n"
    "washington\tplace\tname\tWashington\n"
    "george-washington\tperson\tname\tGeorge Washington\n"
    "george-washington\tperson\talias\tWashington\n";

static att_dict *load(void)
{
    att_dict *d = NULL;
    cr_assert_eq(att_dict_load(&d, DICT, sizeof DICT - 1, "test.tsv", an),
                 ATT_OK, "%s", att_last_error());
    return d;
}

/* The matches in `text` as "first-token+count:id[,id]" joined by spaces. */
static char *scan(const att_dict *d, const char *text)
{
    att_etoken *t = NULL;
    size_t n = 0, cap = 0;
    cr_assert_eq(att_etokenize(text, strlen(text), &t, &n, &cap), ATT_OK);
    att_dict_match *m = NULL;
    size_t nm = 0;
    cr_assert_eq(att_dict_scan(d, an, t, n, &m, &nm), ATT_OK);
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < nm; i++) {
        char one[128];
        snprintf(one, sizeof one, "%s%.*s", i ? " " : "",
                 (int)(t[m[i].start + m[i].n - 1].text + t[m[i].start + m[i].n - 1].len -
                       t[m[i].start].text),
                 t[m[i].start].text);
        strcat(out, one);
        for (size_t k = 0; k < m[i].n_entities; k++) {
            snprintf(one, sizeof one, "%c%s%s", k ? ',' : '=',
                     att_dict_entity_at(d, m[i].entities[k])->id,
                     m[i].kinds[k] == ATT_DKIND_DEMONYM ? "(demonym)" : "");
            strcat(out, one);
        }
    }
    free(m);
    free(t);
    return out;
}

Test(entity_dict, loads_entities_and_relations)
{
    att_dict *d = load();
    cr_assert_eq(att_dict_count(d), 10);
    int32_t pak = att_dict_find_id(d, ATT_ETYPE_PLACE, "pak");
    int32_t isb = att_dict_find_id(d, ATT_ETYPE_PLACE, "islamabad");
    cr_assert(pak >= 0 && isb >= 0);
    const att_dict_entity *e = att_dict_entity_at(d, (size_t)pak);
    cr_assert_str_eq(e->name, "Pakistan");
    cr_assert_str_eq(e->cls, "country");
    cr_assert_eq(e->capital, isb);
    cr_assert_eq(att_dict_entity_at(d, (size_t)isb)->part_of, pak);
    cr_assert_eq(att_dict_find_id(d, ATT_ETYPE_ORG, "pak"), -1);
    cr_assert_str_eq(att_dict_entity_at(d, (size_t)att_dict_find_id(
                                               d, ATT_ETYPE_PLACE, "tur"))
                         ->name,
                     "T\xc3\xbcrkiye");
    att_dict_free(d);
}

static void bad(const char *text, const char *want)
{
    att_dict *d = NULL;
    cr_assert_eq(att_dict_load(&d, text, strlen(text), "x.tsv", an),
                 ATT_CORRUPT, "accepted: %s", text);
    cr_assert_null(d);
    cr_assert(strstr(att_last_error(), want), "\"%s\" not in \"%s\"", want,
              att_last_error());
}

Test(entity_dict, rejects_malformed_lines_with_file_and_line)
{
    bad("a\tplace\tname\tA\nb\tplace\tname\n", "x.tsv:2: 3 columns");
    bad("A\tplace\tname\tA\n", "x.tsv:1: bad id");
    bad("a-\tplace\tname\tA\n", "bad id");
    bad("a\tcountry\tname\tA\n", "x.tsv:1: bad type");
    bad("a\tplace\tnick\tA\n", "bad kind");
    bad("a\tplace\tname\tA\na\tplace\tname\tB\n", "x.tsv:2: a second name");
    bad("a\tplace\talias\tA\n", "place a has no name line");
    bad("a\tplace\tname\tA\na\tplace\tpart-of\tzz\n", "x.tsv:2: no place with id \"zz\"");
    bad("a\torg\tname\tA\na\torg\tdemonym\tAn\n", "demonym applies to places");
    bad("a\tplace\tname\t...\n", "has no word");
    bad("a\tplace\tname\t\xff\n", "invalid UTF-8");
}

Test(entity_dict, longest_names_and_case_rules)
{
    att_dict *d = load();
    cr_assert_str_eq(scan(d, "Tehreek-e-Taliban Pakistan (TTP) struck."),
                     "Tehreek-e-Taliban Pakistan=ttp TTP=ttp");
    /* The shorter alias where the longer one does not continue. */
    cr_assert_str_eq(scan(d, "the Tehreek-e-Taliban said"),
                     "Tehreek-e-Taliban=ttp");
    /* Abbreviations only as written; capitalised names only capitalised. */
    cr_assert_str_eq(scan(d, "ttp and the chad and turkey"), "");
    cr_assert_str_eq(scan(d, "Chad and TURKEY"), "Chad=tcd TURKEY=tur");
    cr_assert_str_eq(scan(d, "U.S. and US troops but not us"),
                     "U.S.=usa US=usa");
    cr_assert_str_eq(scan(d, "who said WHO"), "WHO=who");
    /* A leading "the" of a name is not needed; a possessive is its own
     * token and does not stop the match. */
    cr_assert_str_eq(scan(d, "according to Express Tribune"),
                     "Express Tribune=tribune");
    cr_assert_str_eq(scan(d, "Pakistan\xe2\x80\x99s envoy in T\xc3\xbcrkiye"),
                     "Pakistan=pak T\xc3\xbcrkiye=tur");
    /* Demonyms are found, marked as such; the longer org name wins. */
    cr_assert_str_eq(scan(d, "Pakistani officials and the Pakistani Taliban"),
                     "Pakistani=pak(demonym) Pakistani Taliban=ttp");
    /* One name, several entities. */
    cr_assert_str_eq(scan(d, "in Washington"),
                     "Washington=washington,george-washington");
    att_dict_free(d);
}

Test(entity_dict, marks_for_the_tagger)
{
    att_dict *d = load();
    const char *text = "Pakistani Taliban in Turkey";
    att_etoken *t = NULL;
    size_t n = 0, cap = 0;
    cr_assert_eq(att_etokenize(text, strlen(text), &t, &n, &cap), ATT_OK);
    uint16_t marks[8];
    cr_assert_eq(n, 4);
    cr_assert_eq(att_dict_marks(d, an, t, n, marks), ATT_OK);
    cr_assert_eq(marks[0], ATT_DMARK_B(ATT_ETYPE_ORG));
    cr_assert_eq(marks[1], ATT_DMARK_I(ATT_ETYPE_ORG));
    cr_assert_eq(marks[2], 0);
    cr_assert_eq(marks[3], ATT_DMARK_B(ATT_ETYPE_PLACE));
    free(t);
    att_dict_free(d);
}

Test(entity_dict, lookups_as_queries_need_them)
{
    att_dict *d = load();
    int32_t ttp = att_dict_find_id(d, ATT_ETYPE_ORG, "ttp");
    int32_t pak = att_dict_find_id(d, ATT_ETYPE_PLACE, "pak");
    cr_assert_eq(att_dict_lookup(d, an, ATT_ETYPE_ORG, "ttp", 3), ttp);
    cr_assert_eq(att_dict_lookup(d, an, ATT_ETYPE_ORG, "pakistani taliban", 17),
                 ttp);
    cr_assert_eq(att_dict_lookup(d, an, ATT_ETYPE_PLACE, "TTP", 3), -1);
    cr_assert_eq(att_dict_lookup_ex(d, an, -1, "ttp", 3, ATT_DLOOK_ABBR_CASE), -1);
    cr_assert_eq(att_dict_lookup_ex(d, an, -1, "TTP", 3, ATT_DLOOK_ABBR_CASE), ttp);
    cr_assert_eq(att_dict_lookup(d, an, ATT_ETYPE_PLACE, "Pakistani", 9), -1);
    cr_assert_eq(att_dict_lookup_ex(d, an, ATT_ETYPE_PLACE, "Pakistani", 9,
                                    ATT_DLOOK_DEMONYMS), pak);
    cr_assert_eq(att_dict_lookup(d, an, ATT_ETYPE_ORG, "the express tribune", 19),
                 att_dict_find_id(d, ATT_ETYPE_ORG, "tribune"));
    att_dict_free(d);
}

/* The tokens of `text` as "tok tok | tok" with | before sentence starts. */
static char *tokens(const char *text)
{
    att_etoken *t = NULL;
    size_t n = 0, cap = 0;
    cr_assert_eq(att_etokenize(text, strlen(text), &t, &n, &cap), ATT_OK);
    static char out[1024];
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, t[i].sent_start ? " | " : " ");
        strncat(out, t[i].text, t[i].len);
        cr_assert_eq((size_t)(t[i].text - text), t[i].start);
    }
    free(t);
    return out;
}

Test(entity_dict, tokens_in_the_conll_style)
{
    cr_assert_str_eq(tokens("U.S. envoy Mr. Khalilzad's visit (TTP), he said."),
                     "U.S. envoy Mr. Khalilzad 's visit ( TTP ) , he said .");
    cr_assert_str_eq(tokens("\xe2\x80\x9cWe will act.\xe2\x80\x9d Talks resume."),
                     "\xe2\x80\x9c We will act . \xe2\x80\x9d | Talks resume .");
    cr_assert_str_eq(tokens("Pakistan\xe2\x80\x99s army\xe2\x80\x94" "and Kabul"),
                     "Pakistan \xe2\x80\x99s army \xe2\x80\x94 and Kabul");
    cr_assert_str_eq(tokens("Afghanistan-Pakistan talks... in Doha"),
                     "Afghanistan-Pakistan talks ... | in Doha");
    /* A heading line, and a line broken inside a sentence. */
    cr_assert_str_eq(tokens("Historical Context\nThe history of\nAfghanistan is"),
                     "Historical Context | The history of Afghanistan is");
    cr_assert_str_eq(tokens("one\n\nTwo"), "one | Two");
    cr_assert_str_eq(tokens(""), "");
}
