#!/usr/bin/env python3
"""conlleval.py: our own scorer of named-entity tagging in CoNLL format,
written to give the figures of the CoNLL shared tasks' conlleval script
(the Perl one, 2004 version) for entity-level precision, recall and F1.

It owns the conventions:

  Input   One token per line, columns separated by white space (or by
          --delimiter); the last column is the predicted tag and the one
          before it the gold tag (conlleval's convention: "token ... gold
          guess").  A blank line ends a sentence; a line whose first
          column is -DOCSTART- is scored like any other line (its tags are
          O), as conlleval does.  Every line of a file must have the same
          number of columns, at least two.
  Tags    O, or PREFIX-TYPE with PREFIX one of B, I, E, S, L, U (L is read
          as E and U as S); a bare type-less tag other than O is an error.
          Chunks are read with conlleval's start-of-chunk and end-of-chunk
          rules, so IOB1 (the CoNLL-2003 data: I- after O starts a chunk,
          B- only between two chunks of the same type), IOB2 (B- on every
          start) and IOE/IOBES all work, and may even be mixed:
            a chunk starts at B or S; at I or E after O, E or S;
            and wherever the type changes;
            a chunk ends before B or S, before O, after E or S,
            and wherever the type changes.
  Score   A predicted chunk is correct when a gold chunk has exactly the
          same first token, last token and type.  Precision = correct /
          predicted, recall = correct / gold, F1 = 2PR / (P + R) (0 when
          P + R is 0), in percent.  Accuracy counts tokens whose two tags
          are equal (sentence boundaries are not tokens).
  Types   --types PER,ORG,LOC scores only chunks of those types: chunks of
          other types (MISC) are dropped from both sides before counting,
          so a predicted PER chunk over a gold MISC one still counts as a
          false positive.  --subset PER,ORG,LOC keeps every type in the
          table and adds an "overall" line for the subset.

Command line:
  conlleval.py [--types T,..] [--subset T,..] [--delimiter C] [FILE]
  (FILE or standard input).  The report looks like conlleval's.
  Exit status 0, or 2 with file:line on malformed input.
Python 3 standard library only.
"""
import argparse
import sys


class FormatError(ValueError):
    pass


def split_tag(tag, where=""):
    """'B-PER' -> ('B', 'PER'); 'O' -> ('O', ''); L/U read as E/S."""
    if tag == "O":
        return "O", ""
    prefix, sep, typ = tag.partition("-")
    if not sep or not typ or prefix not in ("B", "I", "E", "S", "L", "U"):
        raise FormatError(f"{where}bad tag {tag!r} (want O or B-/I-/E-/S-TYPE)")
    return {"L": "E", "U": "S"}.get(prefix, prefix), typ


def start_of_chunk(prev_tag, tag, prev_type, typ):
    """conlleval's startOfChunk."""
    if tag in ("B", "S"):
        return True
    if tag in ("I", "E") and prev_tag in ("O", "E", "S"):
        return True
    if tag != "O" and prev_type != typ:
        return True
    return False


def end_of_chunk(prev_tag, tag, prev_type, typ):
    """conlleval's endOfChunk."""
    if prev_tag in ("B", "I") and tag in ("B", "S", "O"):
        return True
    if prev_tag in ("E", "S"):
        return True
    if prev_tag != "O" and prev_type != typ:
        return True
    return False


def chunks(tags, where=None):
    """The chunks of one sentence's tag sequence: a list of
    (first, last, type) with token indices inclusive."""
    out = []
    prev_tag, prev_type = "O", ""
    start = None
    for i, t in enumerate(tags):
        w = f"{where[i]}: " if where else ""
        tag, typ = split_tag(t, w)
        if start is not None and end_of_chunk(prev_tag, tag, prev_type, typ):
            out.append((start, i - 1, prev_type))
            start = None
        if start_of_chunk(prev_tag, tag, prev_type, typ):
            start = i
        prev_tag, prev_type = tag, typ
    if start is not None:
        out.append((start, len(tags) - 1, prev_type))
    return out


def read_sentences(lines, name="<input>", delimiter=None):
    """Yields sentences as lists of (gold, guess, where) from CoNLL lines."""
    sent = []
    ncols = None
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        cols = line.split(delimiter) if delimiter else line.split()
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        where = f"{name}:{lineno}"
        if cols[0] == "-DOCSTART-":
            # Whatever its other columns say, and however many.
            sent.append(("O", "O", where))
            continue
        if len(cols) < 2:
            raise FormatError(f"{where}: want at least 2 columns (gold and guess), got {len(cols)}")
        if ncols is None:
            ncols = len(cols)
        elif len(cols) != ncols:
            raise FormatError(f"{where}: {len(cols)} columns, earlier lines have {ncols}")
        sent.append((cols[-2], cols[-1], where))
    if sent:
        yield sent


class Counts:
    def __init__(self):
        self.gold = {}      # type -> gold chunks
        self.found = {}     # type -> predicted chunks
        self.correct = {}   # type -> correct chunks
        self.tokens = 0
        self.tokens_correct = 0

    def add_sentence(self, sent, types=None):
        gold_tags = [g for g, _, _ in sent]
        guess_tags = [p for _, p, _ in sent]
        where = [w for _, _, w in sent]
        self.tokens += len(sent)
        self.tokens_correct += sum(1 for g, p in zip(gold_tags, guess_tags) if g == p)
        g = chunks(gold_tags, where)
        p = chunks(guess_tags, where)
        if types is not None:
            g = [c for c in g if c[2] in types]
            p = [c for c in p if c[2] in types]
        gs = set(g)
        for c in g:
            self.gold[c[2]] = self.gold.get(c[2], 0) + 1
        for c in p:
            self.found[c[2]] = self.found.get(c[2], 0) + 1
            if c in gs:
                self.correct[c[2]] = self.correct.get(c[2], 0) + 1

    def types(self):
        return sorted(set(self.gold) | set(self.found))

    def prf(self, types=None):
        """(precision, recall, f1) in percent over `types` (None: all)."""
        ts = self.types() if types is None else list(types)
        c = sum(self.correct.get(t, 0) for t in ts)
        f = sum(self.found.get(t, 0) for t in ts)
        g = sum(self.gold.get(t, 0) for t in ts)
        p = 100.0 * c / f if f else 0.0
        r = 100.0 * c / g if g else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f1

    def totals(self, types=None):
        ts = self.types() if types is None else list(types)
        return (sum(self.gold.get(t, 0) for t in ts),
                sum(self.found.get(t, 0) for t in ts),
                sum(self.correct.get(t, 0) for t in ts))


def evaluate(lines, name="<input>", types=None, delimiter=None):
    """Counts for CoNLL lines; `types` restricts the chunks scored."""
    counts = Counts()
    for sent in read_sentences(lines, name, delimiter):
        counts.add_sentence(sent, types)
    return counts


def report(counts, subset=None, label=None):
    g, f, c = counts.totals()
    p, r, f1 = counts.prf()
    acc = 100.0 * counts.tokens_correct / counts.tokens if counts.tokens else 0.0
    out = []
    if label:
        out.append(label)
    out.append(f"processed {counts.tokens} tokens with {g} phrases; "
               f"found: {f} phrases; correct: {c}.")
    out.append(f"accuracy: {acc:6.2f}%; precision: {p:6.2f}%; "
               f"recall: {r:6.2f}%; FB1: {f1:6.2f}")
    for t in counts.types():
        tp, tr, tf = counts.prf([t])
        out.append(f"{t:>17}: precision: {tp:6.2f}%; recall: {tr:6.2f}%; "
                   f"FB1: {tf:6.2f}  {counts.found.get(t, 0)}")
    if subset:
        sp, sr, sf = counts.prf(subset)
        sg, sfound, sc = counts.totals(subset)
        out.append(f"overall {'+'.join(subset)}: precision: {sp:6.2f}%; "
                   f"recall: {sr:6.2f}%; FB1: {sf:6.2f}  "
                   f"(gold {sg}, found {sfound}, correct {sc})")
    return "\n".join(out) + "\n"


def parse_types(s):
    ts = [t for t in s.split(",") if t]
    if not ts:
        raise argparse.ArgumentTypeError("empty type list")
    return ts


def main(argv=None):
    ap = argparse.ArgumentParser(description="Entity-level P/R/F1 of CoNLL-format tagging (conlleval conventions).")
    ap.add_argument("file", nargs="?", help="CoNLL file (default: standard input)")
    ap.add_argument("--types", type=parse_types, help="score only these types, e.g. PER,ORG,LOC")
    ap.add_argument("--subset", type=parse_types, help="add an overall line for these types")
    ap.add_argument("--delimiter", "-d", help="column separator (default: white space)")
    ap.add_argument("--label", help="a first line for the report")
    a = ap.parse_args(argv)
    try:
        if a.file:
            with open(a.file, encoding="utf-8") as fh:
                counts = evaluate(fh, a.file, a.types, a.delimiter)
        else:
            counts = evaluate(sys.stdin, "<stdin>", a.types, a.delimiter)
    except FormatError as e:
        print(f"conlleval.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"conlleval.py: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(report(counts, a.subset, a.label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
