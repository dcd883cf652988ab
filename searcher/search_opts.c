/*
 * search_opts.c: parsing of the search options that `attache search` and
 * `attache batch` share (search_opts.h).  Each value is checked here and
 * a bad one reported in the CLI's one-line form, so the two commands
 * accept the same values with the same messages.
 */
#include "search_opts.h"

#include "cli.h"

#include <stdlib.h>
#include <string.h>

void search_opts_init(search_opts *s)
{
    const att_search_options init = ATT_SEARCH_OPTIONS_INIT;
    s->o = init;
    s->limit_given = s->facets_given = s->facet_date_given = false;
}

int search_opts_parse(search_opts *s, int c, const char *arg)
{
    att_search_options *o = &s->o;
    switch (c) {
    case SOPT_LIMIT:
        if (!cli_parse_size(arg, 100000, &o->limit)) {
            cli_error("--limit needs a number from 0 to 100000, not \"%s\"", arg);
            return -1;
        }
        s->limit_given = true;
        return 1;
    case SOPT_OFFSET:
        if (!cli_parse_size(arg, 100000000, &o->offset)) {
            cli_error("--offset needs a non-negative number, not \"%s\"", arg);
            return -1;
        }
        return 1;
    case SOPT_SORT:
        if (strcmp(arg, "relevance") == 0)
            o->sort = ATT_SORT_RELEVANCE;
        else if (strcmp(arg, "date") == 0)
            o->sort = ATT_SORT_DATE;
        else {
            cli_error("--sort takes relevance or date, not \"%s\"", arg);
            return -1;
        }
        return 1;
    case SOPT_ANY: o->default_op = ATT_DEFAULT_OR; return 1;
    case SOPT_ALL_COPIES: o->flags |= ATT_SEARCH_ALL_COPIES; return 1;
    case SOPT_COUNT_REPEATS: o->flags |= ATT_SEARCH_COUNT_REPEATS; return 1;
    case SOPT_BM25: {
        char *end = NULL;
        o->bm25_k1 = strtod(arg, &end);
        if (!end || *end != ',' || o->bm25_k1 < 0 || o->bm25_k1 > 100 ||
            ((o->bm25_b = strtod(end + 1, &end)), *end) || o->bm25_b < 0 ||
            o->bm25_b > 1 || end == arg) {
            cli_error("--bm25 takes K1,B with K1 from 0 to 100 and B from "
                      "0 to 1, as in --bm25 1.2,0.75, not \"%s\"",
                      arg);
            return -1;
        }
        return 1;
    }
    case SOPT_WEIGHTING: { /* NAME or NAME,PARAM */
        char name[16];
        const char *comma = strchr(arg, ',');
        size_t n = comma ? (size_t)(comma - arg) : strlen(arg);
        char *end = NULL;
        if (n < sizeof name) {
            memcpy(name, arg, n);
            name[n] = '\0';
        }
        if (n >= sizeof name || att_weighting_parse(&o->weighting, name) ||
            (comma && ((o->weighting_param = strtod(comma + 1, &end)),
                       end == comma + 1 || *end ||
                       o->weighting_param < 0 || o->weighting_param > 1e6 ||
                       (o->weighting == ATT_WEIGHT_LM_JM &&
                        o->weighting_param >= 1)))) {
            cli_error("--weighting takes a name (bm25, bm25+, lm, lm-jm, "
                      "dph, dlh, pl2, inl2) and an optional parameter, as "
                      "in --weighting lm,1000 (lm-jm's below 1), not "
                      "\"%s\"", arg);
            return -1;
        }
        return 1;
    }
    case SOPT_FACETS: {
        size_t nf = 10;
        if (arg && !cli_parse_size(arg, 10000, &nf)) {
            cli_error("--facets takes a number from 0 to 10000, as in "
                      "--facets=20, not \"%s\"", arg);
            return -1;
        }
        o->facets = (unsigned)nf;
        s->facets_given = true;
        return 1;
    }
    case SOPT_FACET_DATE:
        if (strcmp(arg, "auto") == 0)
            o->facet_date_unit = ATT_DATE_AUTO;
        else if (strcmp(arg, "year") == 0)
            o->facet_date_unit = ATT_DATE_YEAR;
        else if (strcmp(arg, "month") == 0)
            o->facet_date_unit = ATT_DATE_MONTH;
        else if (strcmp(arg, "day") == 0)
            o->facet_date_unit = ATT_DATE_DAY;
        else {
            cli_error("--facet-date takes auto, year, month or day, not "
                      "\"%s\"", arg);
            return -1;
        }
        s->facet_date_given = true;
        return 1;
    default: return 0;
    }
}

void search_opts_finish(search_opts *s)
{
    if (s->facet_date_given && !s->facets_given)
        s->o.facets = 10;
}
