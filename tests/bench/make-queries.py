#!/usr/bin/env python3
"""make-queries.py: writes the benchmark query mix (tests/bench/queries.txt)
from fixed word lists and a fixed seed, so the mix is reproducible and
reviewable.  Run it only to change the mix; the harness reads the committed
file.

The mix (286 queries) covers every construct of Attaché's query language
that the benchmark measures, each in a form that Attaché, the raw-Xapian
reference (tests/bench/ref_xapian.cc, QueryParser) and the FTS5 reference
(tests/bench/ref_fts5.c, after its translation) read with the same
meaning, or as close as the engine allows:

  construct    count  written as
  words           50  oil
  AND             62  oil opec (50 of two words, 12 of three)
  phrase          40  "interest rates"
  OR              20  oil OR coffee
  NOT             12  oil NOT coffee
  title:          12  title:oil
  NEAR            24  oil NEAR/5 prices, oil NEAR prices (= NEAR/10)
  ADJ             12  interest ADJ/3 rates
  wildcard        24  export* (10, and 4 broad: pro*), oil export* (6),
                      title:bank* (2), (export* OR import*) (2)
  date            30  date:1987-03 alone (10), or with words (12), a
                      phrase (3), a NEAR pair (2), an OR group (2) or a
                      wildcard (1); half Reuters' 1987, half the later
                      years of the UN and presidential speeches
  entity          --  (not yet: see ENTITY_FILTERS below)

How each construct is kept the same in the three engines (the head
comments of the references say the same from their side):

- AND is juxtaposition everywhere.  OR is only ever written between two
  single terms, or in parentheses beside a filter ("(oil OR gas)
  date:1987-03"): Attaché binds OR tighter than AND, QueryParser looser,
  and parentheses make both read the same.
- NEAR/n and ADJ/n join exactly two words, never a chain: for two words
  Attaché and QueryParser build the same Xapian window (n + 1 positions:
  the words at most n positions apart), and FTS5 gets NEAR("a" "b", n-1)
  (at most n-1 tokens between them).  For a chain of k words Attaché's
  window is n(k-1)+1 but QueryParser's n+k-1, so chains are left out.
  FTS5 has no ordered proximity: ADJ/n is approximated by NEAR (in either
  order), and QueryParser matches NEAR/ADJ words (and phrases) on their
  unstemmed forms while Attaché and FTS5 match stems.
- Wildcards: a trailing * after at least 3 letters.  Attaché expands it
  over the index's vocabulary to at most the 256 most frequent words;
  ref-xapian uses FLAG_WILDCARD with set_max_expansion(256,
  WILDCARD_LIMIT_MOST_FREQUENT) over its unstemmed terms; FTS5 has no
  limit and matches the prefix against its *stems* (the porter tokenizer
  stems the prefix too: soy* becomes soi*, unemploy* unemploi*, and
  negotiat* finds nothing because the stem of "negotiations" is
  "negoti").  So the prefixes below were chosen, by comparing counts on
  Reuters, among those that are a prefix of the stems of the words they
  are meant to find and that the stemmer leaves alone; for them the three
  engines match the same articles, give or take a few where the engines
  split words differently, except where the 256-word limit cuts in (pro*
  and con* pass it on Reuters and on the UN speeches; on Reuters Attaché
  finds 9,608 and 8,733 articles, ref-xapian 9,601 and 8,666, FTS5
  9,620 and 8,838).
- Dates (date:): every engine keeps the article's date from the file's
  Date: line as YYYYMMDD with 00 for an unknown month or day (UN speeches
  are dated by month, 2015-09 -> 20150900), and reads the query's date
  value as Attaché's searcher/query_date.c does: a lower end is padded with
  00, an upper end to the last day (12, 31), either end may be open.  So
  date:2015-09 and date:2015 take in a speech dated 2015-09, but
  date:2015-09-01..2015-09-30 does not (20150900 is before 20150901); the
  mix's day ends are Reuters' days, or 2020-01-01.., which cuts no month.
  Reuters-21578 is dated 1987-02-26 to 1987-10-20 (229 stories in
  February, 11,544 in March, 5,661 in April, 2,552 in June, 1,592 in
  October), the UN speeches 1998-09 to 2024-09 (about 190 a year), the US
  presidential speeches 1945-2020 by day; BBC News and AG News carry no
  date.  DATES_1987 and DATES_LATER hold large and small subsets of each.  Relative dates
  (date:last-7-days) are left out: they depend on the day the benchmark
  runs.
"""
import random

WORDS = """oil trade bank minister talks government president security peace
war election economy market prices crisis tax budget debt inflation growth
sanctions ceasefire treaty nuclear refugees climate summit agreement dollar
export import tariff currency reserves loan default strike union coalition
parliament vote reform corruption military troops border conflict terrorism
terrorist weapons missile embassy ambassador diplomat negotiations dialogue
development poverty hunger famine drought health pandemic vaccine education
women children rights justice court sovereignty independence occupation
israel palestine iran iraq syria afghanistan pakistan india china russia
ukraine japan germany france britain africa europe america brazil mexico
canada turkey egypt saudi nigeria kenya ethiopia sudan somalia yemen libya
korea vietnam indonesia venezuela cuba argentina chile opec gatt nato
coffee sugar wheat grain cocoa gold copper shares profit dividend merger
acquisition takeover earnings quarter revenue oilseed soybean shipping
football film music technology internet software mobile""".split()

PHRASES = ["trade deficit", "interest rates", "united nations", "security council",
           "prime minister", "oil prices", "central bank", "human rights",
           "climate change", "nuclear weapons", "foreign minister", "general assembly",
           "sustainable development", "peace process", "middle east", "european union",
           "debt crisis", "stock exchange", "money supply", "joint venture",
           "net profit", "crude oil", "trade talks", "free trade", "arms control",
           "international community", "economic growth", "world bank",
           "international monetary fund", "two state solution", "rule of law",
           "small island developing states", "cold war", "exchange rate",
           "budget deficit", "civil war", "finance minister", "nuclear test",
           "weapons of mass destruction", "african union"]

# Pairs of words that stand near each other in news and speeches (in the
# order they usually come, for ADJ), so that NEAR/ADJ queries find something.
NEAR_PAIRS = [("oil", "prices"), ("interest", "rates"), ("trade", "deficit"),
              ("crude", "oil"), ("central", "bank"), ("security", "council"),
              ("human", "rights"), ("climate", "change"), ("nuclear", "weapons"),
              ("prime", "minister"), ("finance", "minister"), ("stock", "exchange"),
              ("money", "supply"), ("peace", "process"), ("debt", "crisis"),
              ("grain", "exports"), ("coffee", "quota"), ("sugar", "production"),
              ("wheat", "sales"), ("dollar", "yen"), ("opec", "output"),
              ("bank", "loans"), ("tax", "reform"), ("budget", "deficit"),
              ("merger", "agreement"), ("shares", "stake"), ("profit", "quarter"),
              ("arms", "control"), ("developing", "countries"),
              ("international", "community"), ("sustainable", "development"),
              ("economic", "growth"), ("exchange", "rate"), ("gold", "reserves"),
              ("trade", "talks"), ("tariffs", "imports"), ("refugees", "camps"),
              ("poverty", "hunger"), ("terrorism", "international"),
              ("joint", "venture")]

# Wildcard prefixes (at least 3 letters): each is a prefix of the stems of
# the words it should find and is left alone by the porter stemmer, so
# FTS5's prefix query over stems matches what Attaché and ref-xapian find
# over words (see the head comment).  BROAD: short prefixes of many words
# (the costliest wildcards; pro* and con* pass the 256-word limit).
PREFIXES = """negot econom export import terror nucle minist agricult petrol
refin invest sanction diplom democra inflat currenc privat subsid telecom
comput secur militar refuge elect parliament bank tax dollar crud tariff
reform vaccin climat environ sustain develop wheat cocoa coff steel merg
acqui divid earn profit recess strik interven peacekeep humanitar migra
corrupt weapon disarm prolif""".split()
BROAD = ["inter", "trans", "pro", "con"]

# date: values.  DATES_1987: Reuters by year, month, week, day and open
# ranges, large and small (on Reuters: 1987 all 21,578; 1987-03 11,544;
# 1987-02 229; 1987-03-07..1987-03-08 15; 1987-10-19 740; 1987-06-01..
# 4,144 plus every later UN and presidential speech).  DATES_LATER: the UN
# speeches (dated by month: 2015-09 is one session, about 190 speeches) and
# the presidential speeches (by day, 1945-2020), which only the ungdc and
# scale corpora hold; some take in Reuters as well (..2000, 1945..1989).
# Half the date queries draw from each, so that every corpus has both
# large and small date subsets to answer.
DATES_1987 = ["1987", "1987-03", "1987-04", "1987-06", "1987-10", "1987-02",
              "1987-03-01..1987-03-31", "1987-03-02..1987-03-06",
              "1987-03-07..1987-03-08", "1987-04-07", "1987-10-19",
              "1987-02-26..1987-03-04", "1987-06-01..", "1987-04-10..",
              "..1987-02-28", "..1987-03-15", "1987-03..1987-04"]
DATES_LATER = ["2001", "2015-09", "2010-09", "1998..2004", "2015..",
               "2020-01-01..", "..2000", "2008..2012", "1960..1979",
               "1945..1989"]

# Entity filters (person:, org:, place:) come with the entity issue: their
# queries go here, and into the mix below, when Attaché and both references
# can answer them.
ENTITY_FILTERS = []


def main():
    r = random.Random(20261123)
    qs = []
    # Words, AND, phrases, OR, NOT, title: (as before the query-language issue).
    qs += r.sample(WORDS, 50)
    qs += [" ".join(r.sample(WORDS, 2)) for _ in range(50)]
    qs += [" ".join(r.sample(WORDS, 3)) for _ in range(12)]
    qs += [f'"{p}"' for p in PHRASES]
    qs += [f"{a} OR {b}" for a, b in (r.sample(WORDS, 2) for _ in range(20))]
    qs += [f"{a} NOT {b}" for a, b in (r.sample(WORDS, 2) for _ in range(12))]
    qs += [f"title:{w}" for w in r.sample(WORDS, 12)]
    # NEAR (two words; bare NEAR is NEAR/10) and ADJ (two words, in order).
    for a, b in r.sample(NEAR_PAIRS, 24):
        n = r.choice([2, 3, 5, 5, 10, 0])
        qs.append(f"{a} NEAR {b}" if n == 0 else f"{a} NEAR/{n} {b}")
    for a, b in r.sample(NEAR_PAIRS, 12):
        qs.append(f"{a} ADJ/{r.choice([2, 3, 4])} {b}")
    # Wildcards: alone (the broad ones too), with a word, in the title, ORed.
    wild = r.sample(PREFIXES, 24)
    qs += [f"{p}*" for p in wild[:10]] + [f"{p}*" for p in BROAD]
    qs += [f"{w} {p}*" for p, w in zip(wild[10:16], r.sample(WORDS, 6))]
    qs += [f"title:{p}*" for p in wild[16:18]]
    qs += [f"({a}* OR {b}*)" for a, b in (wild[18:20], wild[20:22])]
    # Dates: alone, then with words, a phrase, a NEAR pair, an OR group and
    # a wildcard; half from each list of dates.
    dates = r.sample(DATES_1987, 15) + r.sample(DATES_LATER, 10) + r.sample(DATES_LATER, 5)
    d_alone = dates[0:5] + dates[15:20]
    d_other = dates[5:15] + dates[20:30]
    r.shuffle(d_other)
    qs += [f"date:{d}" for d in d_alone]
    qs += [f"{w} date:{d}" for w, d in zip(r.sample(WORDS, 12), d_other[0:12])]
    qs += [f'"{p}" date:{d}' for p, d in zip(r.sample(PHRASES, 3), d_other[12:15])]
    qs += [f"{a} NEAR/5 {b} date:{d}" for (a, b), d in zip(r.sample(NEAR_PAIRS, 2), d_other[15:17])]
    qs += [f"({a} OR {b}) date:{d}" for (a, b), d in
           zip((r.sample(WORDS, 2) for _ in range(2)), d_other[17:19])]
    qs += [f"{p}* date:{d}" for p, d in zip(wild[22:23], d_other[19:20])]
    # Entity filters: none yet (ENTITY_FILTERS).
    qs += ENTITY_FILTERS
    r.shuffle(qs)
    with open("tests/bench/queries.txt", "w") as f:
        f.write("# The benchmark query mix: written by tests/bench/make-queries.py.\n")
        f.write("\n".join(qs) + "\n")
    print(f"{len(qs)} queries")


if __name__ == "__main__":
    main()
