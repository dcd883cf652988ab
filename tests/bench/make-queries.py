#!/usr/bin/env python3
"""make-queries.py: writes the benchmark query mix (tests/bench/queries.txt)
from fixed word lists and a fixed seed, so the mix is reproducible and
reviewable, and the same mix as the references run it
(tests/bench/queries-ref.txt, line for line: entity names spelt out, see
below).  Run it to change the mix, and after a change to the entity
dictionary (corpus/entities/): the harness reads the committed files, and
`make-queries.py --check`, which bench.py runs first, fails when they are
not what this script would write now.  `-v` lists the translated lines.

The mix (321 queries) covers every construct of Attaché's query language
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
  entity          29  place:Japan, org:OPEC, person:"Ronald Reagan"
                      alone (10), with a word (12: place:Iran oil),
                      two of a type, both required (5: place:Iran
                      place:Iraq), with a date (2)
  entity names     6  "Soviet Union", OPEC, GATT talks, IMF Brazil:
   in plain words     names that Attaché expands to the entity's
                      other names (ENTITY_WORDS)

The 286 queries before the entity issue are drawn exactly as they were
(the same seed, the same draws, the same shuffle); the 35 entity queries,
shuffled by a generator of their own, go in after every 8th of them
(lines 9, 18, ..., 315), so that the older queries keep their order.

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
- Entities (person:, org:, place:): the references have no entity
  recogniser, so queries-ref.txt spells each entity filter out as a user
  of the raw engine would: the OR of the phrases of the entity's name,
  aliases and abbreviations in the dictionary (person:"Ronald Reagan" ->
  Reagan; org:IMF -> ("International Monetary Fund" OR IMF)), and two
  filters become two such groups, both required.  Both references match
  them as case-insensitive words, so an abbreviation or one-word name
  that is an ordinary English word (ORDINARY_WORDS: US, WHO, IS, Fed,
  and U.S., which Xapian reads as the word "us") is left out; so are
  demonyms (Attaché counts "Japanese" as Japan only before a word that is
  not capitalised, a context the references cannot write), duplicates,
  and phrases that contain another of the names ("Islamic Republic of
  Iran" beside "Iran": they find nothing more).  In Attaché a filter
  never ranks; in the references the group ranks like any words.  So on
  Reuters, where "U.S." is far more common than "United States", the
  references find under a third of what place:"United States" finds
  (raw Xapian 1,202 and FTS5 1,210 articles of Attaché's 4,213; counted
  on Reuters with quest, FTS5's count(*) and attache search --all-copies
  --facets, so that copies are not collapsed and the totals are exact).  Most other filters come within 20%
  (place:Japan: Attaché 1,427, raw Xapian 1,262, FTS5 1,331; org:OPEC
  136, 146, 152; person:"Ronald Reagan" 556, 549, 595), Attaché finding
  more through demonyms and the tagger (place:Kuwait 120, 97, 98) and
  fewer where the name is part of a longer one that is another entity
  (org:"United Nations" 59, 87, 93: "U.N. Security Council").
- Names in plain words: where Attaché expands required words or the
  words of an OR (not the operand of NOT, not NEAR/ADJ words, not fields
  or wildcards) because they are one of a dictionary entity's names (in
  any case; an abbreviation only as written; the longest run of up to 6
  adjacent words, or a quoted phrase), the references get those words
  ORed with the entity's other names, by the rules above: OPEC ->
  (OPEC OR "Organization of the Petroleum Exporting Countries" OR ...),
  iran -> (iran OR Persia).  That applies to the 286 older queries too
  (36 of them name a country or an organisation: america, china,
  "united nations"...), since Attaché has expanded them since the entity
  issue; a line with nothing to add stays as it is (japan: every other
  name of Japan contains it).
- Parentheses: QueryParser reads "software (opec OR ...)" as the AND of
  the two; ref_fts5.c writes that AND out, since FTS5 takes juxtaposition
  as AND only between strings and phrases.
"""
import glob, os, random, re, sys, unicodedata

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

# Entity filters (person:, org:, place:): every name must be one the
# dictionary (corpus/entities/*.tsv) holds for that type; main() fails if
# one is missing.  Reuters' 1987 places, organisations and people, and the
# UN debates' (Afghanistan, the United Nations, Kofi Annan): alone, with a
# word, two of a type (both must hold) and with a date.
ENTITY_FILTERS = [
    # alone (10)
    'place:Japan', 'place:"United States"', 'place:Kuwait', 'place:Afghanistan',
    'place:Tokyo', 'org:OPEC', 'org:"European Community"', 'org:"United Nations"',
    'person:"Ronald Reagan"', 'person:"Kofi Annan"',
    # with a word (12)
    'place:Brazil debt', 'place:Iran oil', 'place:"Saudi Arabia" prices',
    'place:London gold', 'org:IMF loan', 'org:"World Bank" poverty',
    'org:GATT agriculture', 'org:"Security Council" sanctions',
    'person:"James Baker" dollar', 'person:"Yasuhiro Nakasone" trade',
    'person:"Paul Volcker" rates', 'person:"Mikhail Gorbachev" arms',
    # two of a type (5)
    'place:Japan place:"United States"', 'place:Iran place:Iraq',
    'place:Israel place:Syria', 'org:IMF org:"World Bank"',
    'person:"Ronald Reagan" person:"Mikhail Gorbachev"',
    # with a date (2)
    'place:Japan date:1987-04', 'org:"United Nations" date:2010..',
]

# Plain words that name a dictionary entity: Attaché also finds the
# articles that name it otherwise (docs/QUERY-SYNTAX.md, "Names in plain
# words"), so these exercise that expansion.  main() fails if one names
# nothing or if its expansion adds nothing for the references.
ENTITY_WORDS = ['"Soviet Union"', 'OPEC', 'GATT talks', '"European Community" farm',
                'IMF Brazil', 'Britain']

# Abbreviations and one-word names that are ordinary English words once
# the references fold case and drop the dots (Xapian reads "U.S." as the
# word "us"): the references would match the word, so the translation
# leaves them out.  Short function words, and the dictionary's entries
# that are words (IS, WHO, US, Fed, LeT, Dawn, and the state
# abbreviations Mass., Ill., Miss., Wash., Man., Ore.).
ORDINARY_WORDS = set("""a am an as at be by do go he if in is it me my no of on or
so to up us we who can may will aid art bar bid cap win sun fed let dawn
mass ill miss wash man ore""".split())

SEED = 20261123
DICTIONARY = "corpus/entities"
OUT = "tests/bench/queries.txt"
OUT_REF = "tests/bench/queries-ref.txt"


def fold(text):
    """A name's words as the dictionary compares them: accents and case
    folded, split at anything that is not a letter or digit (hyphens,
    dots, apostrophes), a leading "the" of a longer name dropped."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", t)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(words)


def letters(text):
    """The word characters as written (case kept): how an abbreviation is
    compared when only its written case counts."""
    return tuple(re.findall(r"[A-Za-z0-9]+", text))


class Dictionary:
    """corpus/entities/*.tsv: id<TAB>type<TAB>kind<TAB>value, as
    docs/ENTITIES.md describes it."""

    def __init__(self, path=DICTIONARY):
        self.facts = {}   # (type, id) -> [(kind, value)] in file order
        self.names = {}   # folded name -> [(type, id, kind, value)]
        files = sorted(glob.glob(os.path.join(path, "*.tsv")))
        if not files:
            raise SystemExit(f"make-queries: no dictionary in {path}/")
        for f in files:
            for n, line in enumerate(open(f, encoding="utf-8"), 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) != 4:
                    raise SystemExit(f"make-queries: {f}:{n}: not 4 columns")
                eid, etype, kind, value = cols
                facts = self.facts.setdefault((etype, eid), [])
                if (kind, value) in facts:
                    continue
                facts.append((kind, value))
                if kind in ("name", "alias", "abbr", "demonym"):
                    self.names.setdefault(fold(value), []).append((etype, eid, kind, value))

    def lookup_filter(self, etype, text):
        """The entity a person:/org:/place: filter names, as
        att_qentity_filter() looks it up: any case, an abbreviation too,
        a demonym for a place only when nothing else matches."""
        cands = self.names.get(fold(text), [])
        found = {(t, i) for t, i, k, _ in cands if t == etype and k != "demonym"}
        if not found and etype == "place":
            found = {(t, i) for t, i, k, _ in cands if t == etype}
        if len(found) != 1:
            raise SystemExit(f"make-queries: {etype}:{text}: the dictionary holds "
                             f"{len(found)} such entities ({sorted(found)}); pick a name it holds once")
        return found.pop()

    def lookup_words(self, text):
        """The entity plain words name, as att_qentity_expand() looks it up:
        a name or alias in any case, an abbreviation only as written, no
        demonyms; None if none."""
        cands = self.names.get(fold(text), [])
        found = {(t, i) for t, i, k, v in cands
                 if k in ("name", "alias") or (k == "abbr" and letters(v) == letters(text))}
        if len(found) > 1:
            raise SystemExit(f"make-queries: {text!r} names several entities ({sorted(found)}): "
                             "which one Attaché takes depends on the dictionary's order")
        return found.pop() if found else None

    def alternatives(self, entity, typed=None):
        """What the references search for instead of the entity: the
        typed words (if any), then the entity's name, aliases and
        abbreviations, without the ordinary words, without duplicates and
        without those that contain another one (a phrase that contains
        "Iran" finds nothing "Iran" does not)."""
        alts = [typed] if typed else []
        for kind, value in self.facts[entity]:
            if kind in ("name", "alias", "abbr"):
                if " " not in value.strip() and \
                        re.sub(r"[^A-Za-z0-9]", "", value).lower() in ORDINARY_WORDS:
                    continue
                alts.append(value)
        out, keys = [], []
        for a in alts:
            if fold(a) not in keys:
                out.append(a)
                keys.append(fold(a))
        def inside(small, big):
            return len(small) < len(big) and any(
                big[i:i + len(small)] == small for i in range(len(big) - len(small) + 1))
        keep = [a for a, k in zip(out, keys) if not any(inside(o, k) for o in keys)]
        if not keep:
            raise SystemExit(f"make-queries: {entity}: no name left for the references")
        return keep


def ref_group(alts, typed_run=False):
    """Alternatives as the references read them: a word bare, anything
    else quoted (a run of typed words stays a run, in parentheses), ORed
    in parentheses when there are several."""
    def one(a, first):
        if first and typed_run:
            return a if a.startswith('"') or len(a.split()) == 1 else f"({a})"
        if re.fullmatch(r"[A-Za-z0-9]+", a) and a not in ("OR", "AND", "NOT", "NEAR", "ADJ"):
            return a
        return a if a.startswith('"') else f'"{a}"'
    parts = [one(a, i == 0) for i, a in enumerate(alts)]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


TOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()"]+(?:"[^"]*")?')


def translate(q, d, log=None):
    """A query of the mix as the references get it (the head comment gives
    the rules): entity filters become the OR of the entity's names; plain
    words and phrases that Attaché expands get the entity's other names
    ORed to them.  Anything else is left as written."""
    toks = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(q)]
    def kind(t):
        if t in ("(", ")"):
            return "paren"
        if t in ("OR", "AND", "NOT"):
            return t
        if re.fullmatch(r"(NEAR|ADJ)(/\d+)?", t):
            return "near"
        m = re.fullmatch(r"(person|org|place):(.+)", t)
        if m:
            return "entity"
        if t.startswith('"'):
            return "phrase"
        if re.fullmatch(r"[^\s:*+\-=][^\s:*]*", t):
            return "word"
        return "other"
    kinds = [kind(t) for t, _, _ in toks]
    # Attaché expands required words and the words of an OR, not the
    # operand of NOT nor the words of NEAR/ADJ.
    def expandable(i):
        return (kinds[i] in ("word", "phrase") and not (i and kinds[i - 1] in ("NOT", "near"))
                and not (i + 1 < len(toks) and kinds[i + 1] == "near"))
    edits = []   # (start, end, replacement)
    i = 0
    while i < len(toks):
        t, s, e = toks[i]
        if kinds[i] == "entity":
            etype, name = t.split(":", 1)
            ent = d.lookup_filter(etype, name.strip('"'))
            edits.append((s, e, ref_group(d.alternatives(ent))))
            i += 1
            continue
        if not expandable(i):
            i += 1
            continue
        # The longest run of adjacent plain words from i (up to 6) that
        # names an entity; a phrase stands alone.
        run = 1
        if kinds[i] == "word":
            while (run < 6 and i + run < len(toks) and kinds[i + run] == "word"
                   and expandable(i + run)):
                run += 1
        found = None
        for n in range(run, 0, -1):
            text = q[s:toks[i + n - 1][2]]
            ent = d.lookup_words(text.strip('"'))
            if ent:
                found = (n, text, ent)
                break
        if not found:
            i += 1
            continue
        n, text, ent = found
        alts = d.alternatives(ent, typed=text)
        if len(alts) > 1 or alts[0] != text:
            edits.append((s, toks[i + n - 1][2], ref_group(alts, typed_run=alts[0] == text)))
            if log is not None:
                log.append(f"{text} -> {edits[-1][2]}")
        i += n
    out = q
    for s, e, r in reversed(edits):
        out = out[:s] + r + out[e:]
    return out


def old_mix(r):
    """The 286 queries of the mix before the entity issue, exactly as they
    were (the same draws from `r`, in the same order)."""
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
    r.shuffle(qs)
    return qs


def mix():
    """The query mix, and the same mix as the references get it."""
    d = Dictionary()
    qs = old_mix(random.Random(SEED))
    # The entity queries go in at every k-th place, so that the 286 older
    # ones keep their order (shuffling them in would have moved every
    # query); their own order is shuffled with a generator of its own.
    new = ENTITY_FILTERS + ENTITY_WORDS
    random.Random(SEED + 1).shuffle(new)
    k = len(qs) // len(new)
    out = []
    for i, q in enumerate(qs):
        out.append(q)
        if (i + 1) % k == 0 and (i + 1) // k <= len(new):
            out.append(new[(i + 1) // k - 1])
    assert len(out) == len(qs) + len(new)
    log = []
    ref = [translate(q, d, log) for q in out]
    for q in ENTITY_WORDS:
        if translate(q, d) == q:
            raise SystemExit(f"make-queries: {q!r} gains nothing from the dictionary: "
                             "pick words whose entity has other names")
    return out, ref, log


HEAD = "# The benchmark query mix: written by tests/bench/make-queries.py.\n"
HEAD_REF = ("# The benchmark query mix as the references run it (line for line with\n"
            "# queries.txt; entity names spelt out): written by tests/bench/make-queries.py.\n")


def main():
    qs, ref, log = mix()
    want = {OUT: HEAD + "\n".join(qs) + "\n", OUT_REF: HEAD_REF + "\n".join(ref) + "\n"}
    if sys.argv[1:] == ["--check"]:
        # bench.py runs this first: the references' translation must match
        # the dictionary the library is built with.
        stale = [p for p, text in want.items()
                 if not os.path.exists(p) or open(p, encoding="utf-8").read() != text]
        if stale:
            print(f"make-queries: {' and '.join(stale)} out of date (the dictionary or "
                  "this script changed): run python3 tests/bench/make-queries.py",
                  file=sys.stderr)
            return 1
        return 0
    for p, text in want.items():
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    changed = sum(1 for a, b in zip(qs, ref) if a != b)
    print(f"{len(qs)} queries ({len(ENTITY_FILTERS)} entity filters, {len(ENTITY_WORDS)} "
          f"entity names in plain words); {changed} translated for the references")
    if "-v" in sys.argv[1:]:
        for a, b in zip(qs, ref):
            if a != b:
                print(f"  {a}  ->  {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
