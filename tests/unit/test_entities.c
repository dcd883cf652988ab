/* test_entities.c: the canonicalisation rules of the entity pipeline
 * (common/entities.c), one test per rule, through att_entities_extract()
 * with the built-in dictionary and tagger: dictionary aliases and
 * transliterations; a name inside a longer name is not counted; acronyms
 * defined in the text; later short forms of a person and shorter/longer
 * forms of one name; an ambiguous surname left out; demonyms only where they
 * stand for the country; headings; capitalised common words the text
 * also writes in lower case; and the API's argument checks.  The
 * sentences are written for these tests. */
#include "helpers.h"

/* "type:id:how:text" of every mention, one per line (static buffer). */
static const char *run(const char *text)
{
    att_entities *e = NULL;
    cr_assert_eq(att_entities_extract(&e, text, strlen(text)), ATT_OK, "%s",
                 att_last_error());
    static char out[8192];
    out[0] = '\0';
    for (size_t i = 0; i < att_entities_count(e); i++) {
        const att_mention *m = att_entities_get(e, i);
        char line[512];
        cr_assert(m->start < m->end && m->end <= strlen(text));
        snprintf(line, sizeof line, "%s:%s:%s:%.*s\n",
                 att_entity_type_name(m->type), m->id, m->how,
                 (int)(m->end - m->start), text + m->start);
        strncat(out, line, sizeof out - strlen(out) - 1);
    }
    cr_assert_null(att_entities_get(e, att_entities_count(e)));
    att_entities_free(e);
    return out;
}

static void has(const char *out, const char *line)
{
    cr_assert(strstr(out, line), "\"%s\" not in:\n%s", line, out);
}

static void lacks(const char *out, const char *what)
{
    cr_assert(!strstr(out, what), "\"%s\" unexpectedly in:\n%s", what, out);
}

Test(entities, dictionary_aliases_and_transliterations)
{
    const char *o = run("Tehrik-e-Taliban Pakistan fighters crossed from "
                        "Afghanistan, officials in T\xc3\xbcrkiye and Turkey said.");
    has(o, "org:tehrik-i-taliban-pakistan:dictionary:Tehrik-e-Taliban Pakistan\n");
    has(o, "place:tur:dictionary:T\xc3\xbcrkiye\n");
    has(o, "place:tur:dictionary:Turkey\n");
    has(o, "place:afg:dictionary:Afghanistan\n");
}

Test(entities, a_name_inside_a_longer_name_is_not_counted)
{
    const char *o = run("The Times of India said the Bank of England and "
                        "Pakistan Television agreed.");
    lacks(o, "place:ind:");
    lacks(o, "place:gbr:");
    lacks(o, "place:pak:");
}

Test(entities, acronyms_defined_in_the_text)
{
    const char *o = run("The Balochistan Liberation Army (BLA) and the "
                        "Tehrik-i-Taliban Pakistan (TeTP) claimed it; TeTP "
                        "later denied, and BLA said nothing.");
    /* TeTP is the text's own acronym for a dictionary organisation. */
    cr_assert_eq(strstr(o, "org:tehrik-i-taliban-pakistan:acronym:TeTP\n") != NULL, 1,
                 "%s", o);
    const char *first = strstr(o, ":acronym:TeTP\n");
    cr_assert(first && strstr(first + 1, ":acronym:TeTP\n"), "%s", o);
    /* The BLA mentions are all one entity. */
    const char *bla = strstr(o, ":BLA\n");
    cr_assert(bla, "%s", o);
}

Test(entities, later_surname_and_longer_forms_are_one_person)
{
    const char *o = run("The negotiator, Farhan Qadeer Rizvi, arrived in Doha on "
                        "Monday. Rizvi said the talks would last a week. "
                        "Qadeer Rizvi later met the mediators.");
    has(o, "person:farhan-qadeer-rizvi:tagger:Farhan Qadeer Rizvi\n");
    has(o, "person:farhan-qadeer-rizvi:coreference:Rizvi\n");
    has(o, "person:farhan-qadeer-rizvi:coreference:Qadeer Rizvi\n");
    /* A shorter form first, a longer one later: the longer one wins. */
    o = run("Talks were led by Selim Demirkaya. On Tuesday, Ahmet Selim "
            "Demirkaya told reporters that Demirkaya would return.");
    has(o, "person:ahmet-selim-demirkaya:coreference:Selim Demirkaya\n");
    has(o, "person:ahmet-selim-demirkaya:tagger:Ahmet Selim Demirkaya\n");
    has(o, "person:ahmet-selim-demirkaya:coreference:Demirkaya\n");
}

Test(entities, an_ambiguous_surname_is_left_out)
{
    const char *o = run("Nawaz Sharif met Shehbaz Sharif in Lahore. Sharif "
                        "said nothing.");
    cr_assert(strstr(o, ":Nawaz Sharif\n") && strstr(o, ":Shehbaz Sharif\n"),
              "%s", o);
    lacks(o, ":Sharif\n");
}

Test(entities, demonyms_stand_for_the_country_only_alone)
{
    const char *o = run("Afghan authorities met Turkish officials, while the "
                        "Afghan Taliban flew Turkish Airlines.");
    has(o, "place:afg:demonym:Afghan\n");
    has(o, "place:tur:demonym:Turkish\n");
    has(o, "org:afghan-taliban:dictionary:Afghan Taliban\n");
    const char *t = strstr(o, "place:tur:");
    cr_assert(t && !strstr(t + 1, "place:tur:"),
              "Turkish Airlines counted as a place:\n%s", o);
    t = strstr(o, "place:afg:");
    cr_assert(t && !strstr(t + 1, "place:afg:"),
              "the Afghan of Afghan Taliban counted as a place:\n%s", o);
}

Test(entities, headings_take_only_names_known_elsewhere)
{
    const char *o = run("Pakistan Urges Afghan Taliban to End Support at "
                        "Istanbul Talks\n\nDespite Islamabad's demands, the "
                        "talks in Istanbul ended.");
    lacks(o, "person:");
    has(o, "place:pak:dictionary:Pakistan\n");
    has(o, "org:afghan-taliban:dictionary:Afghan Taliban\n");
}

Test(entities, a_capitalised_word_the_text_writes_in_lower_case_is_no_name)
{
    /* Alone, the tagger takes these capitalised common words for names
     * (checked here, so that the test keeps testing the rule). */
    has(run("This Agenda is not just a roadmap for the future."),
        "person:agenda:tagger:Agenda\n");
    has(run("Peace is possible. The Peace we seek is just."),
        "place:peace:tagger:Peace\n");
    /* With the word in lower case elsewhere, they are not. */
    const char *o = run("This Agenda is not just a roadmap for the future. "
                        "Peace is possible. The Peace we seek is just. "
                        "The agenda, the future and peace matter.");
    lacks(o, "agenda");
    lacks(o, "peace");
    /* A name the dictionary holds stays, whatever else the text says. */
    o = run("Officials in Turkey said the turkey was served.");
    has(o, "place:tur:dictionary:Turkey\n");
}

Test(entities, arguments_and_encoding)
{
    att_entities *e = NULL;
    cr_assert_eq(att_entities_extract(NULL, "x", 1), ATT_INVALID);
    cr_assert_eq(att_entities_extract(&e, NULL, 3), ATT_INVALID);
    cr_assert_eq(att_entities_extract(&e, "Kabul \xff", 7), ATT_ENCODING);
    cr_assert(strstr(att_last_error(), "byte 6"), "%s", att_last_error());
    cr_assert_eq(att_entities_extract(&e, "", 0), ATT_OK);
    cr_assert_eq(att_entities_count(e), 0);
    att_entities_free(e);
    att_entities_free(NULL);
    cr_assert_str_eq(att_entity_type_name(ATT_ENTITY_ORG), "org");
    cr_assert_null(att_entity_type_name((att_entity_type)9));
}
