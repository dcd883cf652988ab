#!/usr/bin/env python3
"""Reuters-21578 place evaluation (`make eval-places`, docs/EVALUATION.md).

Each Reuters story carries hand-assigned <PLACES> tags: the countries it is
about.  We index the stories with the real `attache` binary, read each
story's place facets back through the public API (eval-places: a search
`id:N` with facets), bring every place to country level (a city or region
counts as the country the dictionary puts it in: `part-of`), and compare
the set of countries with the gold set, story by story:

    precision = correct story-country pairs / predicted pairs
    recall    = correct story-country pairs / gold pairs

(micro-averaged over the stories that have at least one gold place).  Gold
place names are mapped to dictionary ids through the dictionary's own names
and aliases (corpus/entities/*.tsv), plus the few 1987 names listed in
GOLD_IDS below; a gold place that maps to no id counts as missed.

The stories are converted as `make bench` converts them
(tests/bench/make-corpora.py) into build/eval/places/; nothing is copied
elsewhere.
"""
import argparse
import collections
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Reuters' 1987 place names whose dictionary id the names alone do not give.
GOLD_IDS = {
    "usa": "usa", "uk": "gbr", "ussr": "sun", "west-germany": "deu",
    "east-germany": "ddr", "uae": "are", "ivory-coast": "civ",
    "kampuchea": "khm", "burma": "mmr", "zaire": "cod", "congo": "cog",
    "trinidad-tobago": "tto", "vatican": "vat", "western-samoa": "wsm",
    "yemen-arab-republic": "yem", "yemen-demo-republic": "ymd",
    "netherlands-antilles": "ant", "macao": "mac", "hong-kong": "hkg",
    "swaziland": "swz", "czechoslovakia": "csk", "yugoslavia": "yug",
    "south-korea": "kor", "north-korea": "prk", "taiwan": "twn",
    "us-virgin-islands": "vir", "british-virgin-islands": "vgb",
}

COUNTRY_CLASSES = {"country", "observer-state", "territory", "former-country"}


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def load_dictionary():
    places = {}   # id -> {"class", "part_of", "names"}
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "entities", "*.tsv"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                eid, etype, kind, value = line.rstrip("\n").split("\t")
                if etype != "place":
                    continue
                p = places.setdefault(eid, {"class": "", "part_of": None, "names": []})
                if kind == "class":
                    p["class"] = value
                elif kind == "part-of":
                    p["part_of"] = value
                elif kind in ("name", "alias", "abbr"):
                    p["names"].append(value)
    by_name = {}
    for eid, p in places.items():
        if p["class"] not in COUNTRY_CLASSES:
            continue
        for n in p["names"] + [eid]:
            by_name.setdefault(fold(n), eid)
    return places, by_name


def country_of(pid, places):
    seen = set()
    while pid in places and pid not in seen:
        seen.add(pid)
        if places[pid]["class"] in COUNTRY_CLASSES:
            return pid
        pid = places[pid]["part_of"]
    return None


def convert(data, out):
    """The stories as tests/bench/make-corpora.py writes them."""
    if os.path.exists(os.path.join(out, ".complete")):
        return
    spec = importlib.util.spec_from_file_location(
        "make_corpora", os.path.join(ROOT, "tests", "bench", "make-corpora.py"))
    mc = importlib.util.module_from_spec(spec)
    sys.argv = [sys.argv[0]]
    spec.loader.exec_module(mc)
    mc.DATA = data
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    n = mc.reuters(out)
    mc.stamp(out, n)


def gold_places(corpus):
    gold = {}
    for fn in sorted(os.listdir(corpus)):
        if not fn.endswith(".txt"):
            continue
        with open(os.path.join(corpus, fn), encoding="utf-8") as f:
            for line in f:
                if line.startswith("Tags:"):
                    tags = [t.strip() for t in line[5:].split(",") if t.strip()]
                    if tags:
                        gold[fn[:-4]] = tags
                    break
                if not line.strip():
                    break
    return gold


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--reuse", action="store_true",
                    help="keep an index built by an earlier run")
    ap.add_argument("--errors", type=int, default=15,
                    help="how many of the commonest misses to list")
    a = ap.parse_args()
    work = os.path.join(a.build, "eval", "places")
    corpus = os.path.join(work, "reuters")
    index = os.path.join(work, "index")
    prog = os.path.join(a.build, "attache")
    tool = os.path.join(a.build, "eval", "eval-places")
    convert(a.data, corpus)
    if not (a.reuse and os.path.isdir(index)):
        if os.path.exists(index):
            shutil.rmtree(index)
        # Exit 9: some input skipped (Reuters has one empty story).
        rc = subprocess.run([prog, "index", "--quiet", "--db", index, corpus]).returncode
        if rc not in (0, 9):
            raise SystemExit(f"places.py: attache index failed ({rc})")
    places, by_name = load_dictionary()
    gold_raw = gold_places(corpus)
    unmapped = collections.Counter()
    gold = {}
    for sid, tags in gold_raw.items():
        ids = set()
        for t in tags:
            g = GOLD_IDS.get(t) or by_name.get(fold(t))
            if g is None:
                unmapped[t] += 1
                g = "?" + t
            ids.add(g)
        gold[sid] = ids
    ids_in = "".join(f"{sid}\n" for sid in sorted(gold)).encode()
    run = subprocess.run([tool, index], input=ids_in, capture_output=True, check=True)
    pred = {}
    other = 0
    for line in run.stdout.decode().splitlines():
        parts = line.split("\t")
        cs = set()
        for pid in parts[1:]:
            c = country_of(pid, places)
            if c:
                cs.add(c)
            else:
                other += 1
        pred[parts[0]] = cs
    tp = fp = fn = 0
    missed = collections.Counter()
    extra = collections.Counter()
    for sid, g in gold.items():
        p = pred.get(sid, set())
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        missed.update(g - p)
        extra.update(p - g)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    report = {
        "stories": len(gold), "gold_pairs": tp + fn, "predicted_pairs": tp + fp,
        "correct": tp, "precision": round(prec, 4), "recall": round(rec, 4),
        "f1": round(f1, 4), "unmapped_gold": dict(unmapped),
        "places_not_in_a_country": other,
    }
    print(f"Reuters-21578 places, {len(gold)} stories with gold <PLACES>, "
          f"country level")
    print(f"  precision {prec:.3f}  recall {rec:.3f}  F1 {f1:.3f}  "
          f"({tp} correct of {tp + fp} predicted, {tp + fn} gold)")
    if unmapped:
        print("  gold names with no dictionary id (counted as missed): " +
              ", ".join(f"{k} ({v})" for k, v in unmapped.most_common()))
    print("  commonest misses: " +
          ", ".join(f"{k} {v}" for k, v in missed.most_common(a.errors)))
    print("  commonest extras: " +
          ", ".join(f"{k} {v}" for k, v in extra.most_common(a.errors)))
    with open(os.path.join(work, "report.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
    print(f"  written to {os.path.join(work, 'report.json')}")


if __name__ == "__main__":
    main()
