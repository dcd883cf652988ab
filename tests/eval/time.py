#!/usr/bin/env python3
"""time.py: the TIME test collection (1963 TIME magazine world news) for the
ranking evaluation: parsing TIME.ALL, TIME.QUE, TIME.REL(.ALL) and TIME.STP
exactly as ../shared/data/time/README.md describes them, and writing what
the harness feeds Attaché and the evaluator.

It owns:
  * the record / query / judgment parsers and the docno mapping;
  * the article files, build/eval/time/docs/<docno>.txt, in Attaché's
    plain-text format (docs/FORMATS.md);
  * queries.tsv (qid<TAB>text, the TIME text verbatim on one line) and the
    TREC qrels files qrels.rel and qrels.rel.all ("qid 0 docno 1").

The data is for research only: nothing here is ever written into the
repository, only under build/eval/.

Command line:
  time.py prepare [--data DIR] [--out DIR] [--title none|first-line]
  time.py check   [--data DIR]      parse everything, print the counts

The module is named after the collection, which clashes with the standard
library's `time` (a built-in module, so `import time` never reaches this
file): the other scripts load it by path (eval.py's load_time_module()).
Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import sys

# --- the docno mapping ------------------------------------------------------
#
# Judgment numbers are 1-based positions in the original 425-article
# sequence; TIME.ALL has 423 records.  Ids 1-370 are the id-th record and
# ids >= 378 are record id - 2: two articles are missing somewhere among
# ids 371-377 (README.md checks this by query/record word overlap).
# Records 371-375 (1-based) therefore have unknown judgment numbers; they
# keep their record numbers, 371-375.  No judgment names any id from 371
# to 377, so the choice cannot change a score: those five articles are
# simply never relevant.
N_RECORDS = 423
FIRST_SHIFTED_RECORD = 376       # record 376 is judgment id 378
UNKNOWN_IDS = range(371, 378)    # ids no judgment may use
MAX_DOCNO = 425


def docno_of_record(rec):
    """Judgment number (as an int) of the 1-based record number `rec`."""
    if not 1 <= rec <= N_RECORDS:
        raise ValueError(f"record {rec} out of range 1-{N_RECORDS}")
    return rec + 2 if rec >= FIRST_SHIFTED_RECORD else rec


def record_of_docno(docno):
    """1-based record number of judgment id `docno`; ValueError for the ids
    whose article is missing or unknown (371-377) or out of range."""
    if docno in UNKNOWN_IDS or not 1 <= docno <= MAX_DOCNO:
        raise ValueError(f"judgment id {docno} has no known record")
    return docno - 2 if docno >= 378 else docno


# --- TIME.ALL -----------------------------------------------------------------

# The header, as README.md gives it: article number, mm/dd/yy (one header
# has a space for the second slash), page; spacing varies.
HEADER_RE = re.compile(
    r"^\*TEXT\s+(\d{3})\s+(\d\d)/(\d\d)[/ ](\d\d)\s+PAGE\s+(\d{3})\s*$")
STOP_RE = re.compile(r"^\*STOP\s*$")


class Record:
    """One article of TIME.ALL."""

    def __init__(self, number, article, month, day, year, page, lines):
        self.number = number          # 1-based position in TIME.ALL
        self.article = article        # the *TEXT number (never a join key)
        self.date = f"19{year}-{month}-{day}"   # as printed, never corrected
        self.page = page
        self.lines = lines            # non-empty text lines, stripped

    @property
    def docno(self):
        return str(docno_of_record(self.number))


def parse_all(text):
    """Parses TIME.ALL into a list of Records (in file order).  A record's
    body is every line after its header up to the next header, an optional
    *STOP line, or the end of the file; the text is double-spaced, so the
    empty lines are dropped."""
    records = []
    cur = None
    stopped = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("*"):
            m = HEADER_RE.match(line)
            if m:
                if stopped:
                    raise ValueError(f"TIME.ALL line {n}: record after *STOP")
                art, mm, dd, yy, page = m.groups()
                cur = Record(len(records) + 1, art, mm, dd, yy, page, [])
                records.append(cur)
                continue
            if STOP_RE.match(line):
                stopped = True
                cur = None
                continue
            raise ValueError(f"TIME.ALL line {n}: unrecognised header {line!r}")
        if not line.strip():
            continue
        if cur is None:
            raise ValueError(f"TIME.ALL line {n}: text outside a record")
        cur.lines.append(line.strip())
    return records


# --- articles in Attaché's plain-text format ------------------------------------
#
# The format (indexer/reader_text.c, docs/FORMATS.md): optional metadata
# lines ("Date: YYYY-MM-DD"), then the first non-blank line is the title,
# unless it is longer than 300 bytes: then the article has no title and all
# of it is body.  There is no way to write an empty title (blank lines are
# skipped), so that long-first-line rule is the format's only title-less
# form.
#
# A TIME record has no clean title: its first line runs the section label
# and the headline into the text ("SOUTH VIET NAM : THE NEW REGIME FOR A
# WHILE, SAIGON LOOKED ...").  Two ways to write it:
#
#   "none" (the default)  the whole text unwrapped onto one line (the lines
#       are typewriter wrapping, the text has no paragraph marks), which is
#       over 300 bytes for every record (the shortest is 430), so the
#       reader stores no title and every word counts once, as body;
#   "first-line"  the first line as the title, the rest as one body line:
#       the label, the headline and the first words of the article then
#       weigh ATT_TITLE_WDF times in BM25 (common/xapian/schema.h).
#
# "none" is the faithful one: it invents no structure the data does not
# have.  eval.py --title compares the two (docs/EVALUATION.md records it).
TITLE_MODES = ("none", "first-line")
TITLE_MAX = 300   # indexer/reader_text.c
META_RE = re.compile(r"^\s*(categories|date|source|author|url|language|tags):",
                     re.IGNORECASE)


def article_text(rec, title="none"):
    """The plain-text article file for a record."""
    if title not in TITLE_MODES:
        raise ValueError(f"title mode {title!r}: one of {TITLE_MODES}")
    if not rec.lines:
        raise ValueError(f"record {rec.number} has no text")
    # A first text line that looked like "Key: value" would be read as
    # metadata; TIME has none (its colons are spaced: "NAM : THE").
    if META_RE.match(rec.lines[0]):
        raise ValueError(f"record {rec.number}: first line reads as metadata")
    head = f"Date: {rec.date}\n\n"
    if title == "none":
        body = " ".join(rec.lines)
        if len(body.encode()) <= TITLE_MAX:
            raise ValueError(f"record {rec.number}: too short to be title-less")
        return head + body + "\n"
    return head + rec.lines[0] + "\n\n" + " ".join(rec.lines[1:]) + "\n"


# --- TIME.QUE -------------------------------------------------------------------

FIND_RE = re.compile(r"^\*FIND\s+(\d+)\s*$")


def parse_queries(text):
    """Parses TIME.QUE into [(qid, text)], qid a string, text on one line
    with its white space collapsed.  A query runs from its *FIND line to the
    next one or the end of the file; the numbers must run 1, 2, 3 ..."""
    queries = []
    cur = None
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("*"):
            m = FIND_RE.match(line)
            if not m:
                raise ValueError(f"TIME.QUE line {n}: unrecognised {line!r}")
            qid = int(m.group(1))
            if qid != len(queries) + 1:
                raise ValueError(f"TIME.QUE line {n}: query {qid} out of order")
            cur = [str(qid), []]
            queries.append(cur)
            continue
        if not line.strip():
            continue
        if cur is None:
            raise ValueError(f"TIME.QUE line {n}: text before the first *FIND")
        cur[1].append(line)
    out = []
    for qid, lines in queries:
        q = " ".join(" ".join(lines).split())
        if not q:
            raise ValueError(f"TIME.QUE: query {qid} is empty")
        out.append((qid, q))
    return out


# --- TIME.REL, TIME.REL.ALL -----------------------------------------------------


def parse_rel(text, name="TIME.REL"):
    """Parses a judgment file (either layout: numbers separated by any white
    space) into {qid: [docno, ...]}, docnos as strings in file order.  A
    line with no numbers after its qid gives an empty list."""
    rel = {}
    for n, line in enumerate(text.split("\n"), 1):
        f = line.split()
        if not f:
            continue
        if not all(x.isdigit() for x in f):
            raise ValueError(f"{name} line {n}: not numbers: {line!r}")
        qid = str(int(f[0]))
        if qid in rel:
            raise ValueError(f"{name} line {n}: query {qid} twice")
        docs = []
        for x in f[1:]:
            d = int(x)
            record_of_docno(d)      # raises for 371-377 and out of range
            if str(d) in docs:
                raise ValueError(f"{name} line {n}: document {d} twice")
            docs.append(str(d))
        rel[qid] = docs
    return rel


def parse_stop(text):
    """TIME.STP: one word a line, double-spaced; returns a set, lower case."""
    return {w.lower() for w in text.split()}


# --- the collection ---------------------------------------------------------------


def data_dir(data=None):
    """The TIME directory: DATA/time, DATA defaulting like tests/bench/bench.py
    (BENCH_DATA, else ../shared/data relative to the repository root)."""
    if data is None:
        data = os.environ.get("BENCH_DATA") or default_data()
    return os.path.join(data, "time")


def default_data():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(repo, "..", "shared", "data")


def _read(d, name):
    with open(os.path.join(d, name), encoding="ascii") as f:
        return f.read()


class Collection:
    """Everything in the TIME directory, parsed."""

    def __init__(self, d):
        self.dir = d
        self.records = parse_all(_read(d, "TIME.ALL"))
        if len(self.records) != N_RECORDS:
            raise ValueError(f"TIME.ALL: {len(self.records)} records, "
                             f"expected {N_RECORDS}")
        self.queries = parse_queries(_read(d, "TIME.QUE"))
        self.rel = parse_rel(_read(d, "TIME.REL"), "TIME.REL")
        self.rel_all = parse_rel(_read(d, "TIME.REL.ALL"), "TIME.REL.ALL")
        self.stop = parse_stop(_read(d, "TIME.STP"))

    def counts(self):
        def pairs(r):
            return sum(len(v) for v in r.values())
        return {
            "records": len(self.records),
            "queries": len(self.queries),
            "rel_lines": len(self.rel),
            "rel_judged_queries": sum(1 for v in self.rel.values() if v),
            "rel_pairs": pairs(self.rel),
            "rel_all_lines": len(self.rel_all),
            "rel_all_pairs": pairs(self.rel_all),
            "stop_words": len(self.stop),
        }


# The counts README.md verifies; `check` and prepare() compare against them.
EXPECTED = {"records": 423, "queries": 83, "rel_lines": 82,
            "rel_judged_queries": 79, "rel_pairs": 253, "rel_all_lines": 83,
            "rel_all_pairs": 324, "stop_words": 340}


def write_qrels(path, rel):
    """TREC qrels, "qid 0 docno 1", queries and documents in numeric order.
    Queries without relevant documents get no line."""
    with open(path, "w") as f:
        for qid in sorted(rel, key=int):
            for d in sorted(rel[qid], key=int):
                f.write(f"{qid} 0 {d} 1\n")


def prepare(data=None, out="build/eval/time", title="none"):
    """Writes OUT/docs/<docno>.txt (a fresh directory), OUT/queries.tsv,
    OUT/qrels.rel and OUT/qrels.rel.all.  Returns the Collection."""
    c = Collection(data_dir(data))
    got = c.counts()
    if got != EXPECTED:
        raise ValueError(f"TIME counts {got} differ from README.md's {EXPECTED}")
    docs = os.path.join(out, "docs")
    if os.path.isdir(docs):
        shutil.rmtree(docs)
    os.makedirs(docs)
    for r in c.records:
        with open(os.path.join(docs, r.docno + ".txt"), "w") as f:
            f.write(article_text(r, title))
    with open(os.path.join(out, "queries.tsv"), "w") as f:
        for qid, q in c.queries:
            f.write(f"{qid}\t{q}\n")
    write_qrels(os.path.join(out, "qrels.rel"), c.rel)
    write_qrels(os.path.join(out, "qrels.rel.all"), c.rel_all)
    return c


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="write the articles, queries and qrels")
    p.add_argument("--data", help="the shared data directory (holds time/)")
    p.add_argument("--out", default="build/eval/time")
    p.add_argument("--title", choices=TITLE_MODES, default="none")
    k = sub.add_parser("check", help="parse the collection and print its counts")
    k.add_argument("--data")
    a = ap.parse_args(argv)
    d = data_dir(a.data)
    if not os.path.isfile(os.path.join(d, "TIME.ALL")):
        print(f"time.py: the TIME collection is not at {d} "
              "(set BENCH_DATA to the shared data directory)", file=sys.stderr)
        return 2
    if a.cmd == "check":
        got = Collection(d).counts()
        for key, v in got.items():
            mark = "" if EXPECTED[key] == v else f"  (README.md: {EXPECTED[key]})"
            print(f"{key:20} {v}{mark}")
        return 0 if got == EXPECTED else 1
    c = prepare(a.data, a.out, a.title)
    print(f"time.py: {len(c.records)} articles, {len(c.queries)} queries -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
