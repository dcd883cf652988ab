#!/usr/bin/env python3
"""make-corpora.py: converts the research corpora in ../shared/data into the
plain-text article format (docs/FORMATS.md) that Attaché and both benchmark
references read, under OUT (build/bench/corpora by default):

  reuters/   Reuters-21578, one file per story (21,578), NEWID as name
  ungdc/     UN General Debate sessions 53-79 (5,155 speeches)
  scale/     >= 100,000 articles: reuters x4 + ungdc + bbc + ag_news +
             us_presidential_speeches, each copy under its own directory so
             every article has a distinct id (hard links, no extra space)
  large/     (only with --large) scale x10, for the memory-bound check

The corpora are research-only: they are converted under build/, never into
the repository.  Idempotent: a corpus whose stamp file is present is kept.
Owned by the benchmark harness (tests/bench/); not part of the product.
"""
import csv, html, os, re, sys, shutil

DATA = None
OUT = None
MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(s):
    """Control characters (Reuters' &#3; and friends, form feeds) out."""
    return CTRL.sub(" ", s)


def write_article(path, meta, title, body):
    head = "".join(f"{k}: {v}\n" for k, v in meta if v)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + ("\n" if head else "") + title.strip() + "\n\n" +
                body.strip("\n") + "\n")


def stamp_ok(d):
    return os.path.exists(os.path.join(d, ".complete"))


def stamp(d, n):
    with open(os.path.join(d, ".complete"), "w") as f:
        f.write(f"{n}\n")


def tag(story, name):
    m = re.search(rf"<{name}>(.*?)</{name}>", story, re.S)
    return m.group(1) if m else None


def reuters(out):
    src = os.path.join(DATA, "reuters21578")
    n = 0
    for i in range(22):
        raw = open(os.path.join(src, f"reut2-{i:03d}.sgm"), encoding="latin-1").read()
        for story in raw.split("</REUTERS>"):
            m = re.search(r'NEWID="(\d+)"', story)
            if not m:
                continue
            newid = int(m.group(1))
            date = ""
            d = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})", tag(story, "DATE") or "")
            if d and d.group(2) in MONTHS:
                date = f"{d.group(3)}-{MONTHS[d.group(2)]:02d}-{int(d.group(1)):02d}"
            places = re.findall(r"<D>(.*?)</D>", tag(story, "PLACES") or "")
            text = tag(story, "TEXT") or ""
            if not text:
                m2 = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", story, re.S)
                text = m2.group(1) if m2 else ""
            title = tag(text, "TITLE")
            body = tag(text, "BODY")
            if title is None and body is None:
                body = re.sub(r"<[^>]+>", "", text)
                title = ""
            dateline = tag(text, "DATELINE") or ""
            title = clean(html.unescape(title or "")).strip()
            body = clean(html.unescape((dateline.strip() + " " if dateline.strip() else "") + (body or "")))
            body = "\n".join(l.rstrip() for l in body.split("\n"))
            if not title:  # UNPROC: the first line of the text is the title
                lines = body.strip().split("\n", 1)
                title = lines[0].strip()
                body = lines[1] if len(lines) > 1 else ""
            write_article(os.path.join(out, f"{newid:05d}.txt"),
                          [("Source", "Reuters"), ("Date", date),
                           ("Tags", ", ".join(places))], title, body)
            n += 1
    return n


def ungdc(out):
    src = os.path.join(DATA, "ungdc")
    n = 0
    for sess in sorted(os.listdir(src)):
        m = re.match(r"Session (\d+) - (\d{4})$", sess)
        if not m:
            continue
        year = m.group(2)
        for fn in sorted(os.listdir(os.path.join(src, sess))):
            if not fn.endswith(".txt"):
                continue
            text = open(os.path.join(src, sess, fn), encoding="utf-8").read()
            text = clean(text.lstrip("\ufeff").replace("\r\n", "\n"))
            code = fn.split("_")[0]
            write_article(os.path.join(out, fn),
                          [("Source", "UN General Debate"), ("Date", year + "-09"),
                           ("Language", "en")],
                          f"{code}: statement to session {m.group(1)} ({year}) "
                          "of the UN General Assembly General Debate", text)
            n += 1
    return n


def bbc(out):
    src = os.path.join(DATA, "bbc")
    n = 0
    for cat in sorted(os.listdir(src)):
        d = os.path.join(src, cat)
        if not os.path.isdir(d):
            continue
        os.makedirs(os.path.join(out, cat), exist_ok=True)
        for fn in sorted(os.listdir(d)):
            raw = open(os.path.join(d, fn), "rb").read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            lines = clean(text).split("\n", 1)
            write_article(os.path.join(out, cat, fn),
                          [("Source", "BBC News"), ("Tags", cat)],
                          lines[0], lines[1] if len(lines) > 1 else "")
            n += 1
    return n


def ag_news(out):
    n = 0
    with open(os.path.join(DATA, "ag_news", "test.csv"), encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            n += 1
            title, desc = clean(html.unescape(row[1])), clean(html.unescape(row[2].replace("\\", " ")))
            write_article(os.path.join(out, f"{n:05d}.txt"),
                          [("Source", "AG News")], title, desc)
    return n


def speeches(out):
    src = os.path.join(DATA, "us_presidential_speeches")
    n = 0
    for fn in sorted(os.listdir(src)):
        if fn == "README.md":
            continue  # one speech file has no .txt extension
        text = clean(open(os.path.join(src, fn), encoding="utf-8", errors="replace").read())
        first, _, rest = text.partition("\n")
        title = fn[11:].removesuffix(".txt").replace("-", " ").capitalize() + " (" + first.strip() + ")"
        write_article(os.path.join(out, fn.removesuffix(".txt") + ".txt"), [("Source", "Miller Center"), ("Date", fn[:10])],
                      title, rest)
        n += 1
    return n


def build(name, fn):
    d = os.path.join(OUT, "parts", name) if name not in ("reuters", "ungdc") else os.path.join(OUT, name)
    if stamp_ok(d):
        return int(open(os.path.join(d, ".complete")).read())
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    n = fn(d)
    stamp(d, n)
    print(f"make-corpora: {name}: {n} articles", file=sys.stderr)
    return n


def link_tree(src, dst):
    n = 0
    for root, dirs, files in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(root, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for f in sorted(files):
            if f.startswith("."):
                continue
            os.link(os.path.join(root, f), os.path.join(dst, rel, f))
            n += 1
    return n


def combined(name, parts):
    d = os.path.join(OUT, name)
    if stamp_ok(d):
        return int(open(os.path.join(d, ".complete")).read())
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    n = 0
    for sub, src in parts:
        n += link_tree(src, os.path.join(d, sub))
    stamp(d, n)
    print(f"make-corpora: {name}: {n} articles", file=sys.stderr)
    return n


def main():
    global DATA, OUT
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    large = "--large" in sys.argv
    DATA = args[0] if args else "../shared/data"
    OUT = args[1] if len(args) > 1 else "build/bench/corpora"
    for need in ("reuters21578", "ungdc", "bbc", "ag_news", "us_presidential_speeches"):
        if not os.path.isdir(os.path.join(DATA, need)):
            print(f"make-corpora: {DATA}/{need} is missing; the benchmarks need "
                  "../shared/data (see docs/PERFORMANCE.md)", file=sys.stderr)
            sys.exit(3)
    os.makedirs(OUT, exist_ok=True)
    counts = {"reuters": build("reuters", reuters), "ungdc": build("ungdc", ungdc)}
    for name, fn in (("bbc", bbc), ("ag_news", ag_news), ("speeches", speeches)):
        counts[name] = build(name, fn)
    parts = [(f"reuters{i}", os.path.join(OUT, "reuters")) for i in range(1, 5)]
    parts += [("ungdc", os.path.join(OUT, "ungdc"))]
    parts += [(p, os.path.join(OUT, "parts", p)) for p in ("bbc", "ag_news", "speeches")]
    counts["scale"] = combined("scale", parts)
    if large:
        counts["large"] = combined("large", [(f"copy{i:02d}", os.path.join(OUT, "scale"))
                                             for i in range(1, 11)])
    for k, v in counts.items():
        print(f"{k}\t{v}")


if __name__ == "__main__":
    main()
