#!/usr/bin/env python3
"""make-queries.py: writes the benchmark query mix (tests/bench/queries.txt)
from fixed word lists and a fixed seed, so the mix is reproducible and
reviewable.  Every query uses only syntax that Attaché, Xapian's
QueryParser and FTS5 (after ref-fts5's translation) all read the same way:
words (AND between them), "phrases", OR, binary NOT and title:word.
Run it only to change the mix; the harness reads the committed file."""
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


def main():
    r = random.Random(20261123)
    qs = []
    qs += r.sample(WORDS, 60)
    qs += [" ".join(r.sample(WORDS, 2)) for _ in range(70)]
    qs += [f'"{p}"' for p in PHRASES]
    qs += [f"{a} OR {b}" for a, b in (r.sample(WORDS, 2) for _ in range(25))]
    qs += [" ".join(r.sample(WORDS, 3)) for _ in range(15)]
    qs += [f"{a} NOT {b}" for a, b in (r.sample(WORDS, 2) for _ in range(15))]
    qs += [f"title:{w}" for w in r.sample(WORDS, 15)]
    r.shuffle(qs)
    with open("tests/bench/queries.txt", "w") as f:
        f.write("# The benchmark query mix: written by tests/bench/make-queries.py.\n")
        f.write("\n".join(qs) + "\n")
    print(f"{len(qs)} queries")


if __name__ == "__main__":
    main()
