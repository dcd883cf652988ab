#!/usr/bin/env bash
# import-ungdc.sh: regenerates corpus/ungdc-79/ from the UN General Debate
# Corpus (session 79, 2024) in ../shared/data/ungdc.  A maintainer tool: it
# is not needed to build or use the engine, only to reproduce the bundled
# files.  It owns corpus/ungdc-79/ and rewrites it whole (idempotent).
#
# Each output file is an article in our plain-text format (docs/FORMATS.md):
#   Source: UN General Debate
#   Date: 2024-09            (the debate's month; the day of each speech is unknown)
#   Author: <speaker>, <post>    (from speakers_1998-2024.csv; omitted if none)
#   Language: en
#
#   <Country>: statement to the 79th session of the UN General Assembly General Debate
#
#   <the speech, verbatim but for: leading BOM removed, trailing spaces cut,
#    runs of 3+ blank lines made 2>
# Country names come from Debian's iso-codes (iso_3166-1.json), not from the
# CSV, which has typos.  Needs python3 and the iso-codes package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-$here/../../../shared/data/ungdc}
out=$here/../ungdc-79
session_dir="$src/Session 79 - 2024"
[ -d "$session_dir" ] || { echo "import-ungdc.sh: no $session_dir" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
python3 - "$session_dir" "$src/speakers_1998-2024.csv" \
    /usr/share/iso-codes/json/iso_3166-1.json "$out" <<'PY'
import csv, json, os, re, sys
sess, speakers_csv, iso_json, out = sys.argv[1:5]
names = {}
for c in json.load(open(iso_json, encoding="utf-8"))["3166-1"]:
    names[c["alpha_3"]] = c.get("common_name") or c["name"]
names["EU"] = "European Union"
speakers, csv_country = {}, {}
with open(speakers_csv, encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        if row["Session"].strip() != "79":
            continue
        code = row["ISO Code"].strip()
        name = row["Name of Person Speaking"].strip()
        post = row["Post"].strip()
        csv_country[code] = row["Country"].strip()
        if name:
            speakers[code] = f"{name}, {post}" if post else name
no_speaker, no_iso = [], []
for fn in sorted(os.listdir(sess)):
    if not fn.endswith(".txt"):
        continue
    code = fn.split("_")[0]
    text = open(os.path.join(sess, fn), encoding="utf-8").read()
    text = text.lstrip("\ufeff")
    lines = [l.rstrip() for l in text.split("\n")]
    body = re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines)).strip("\n")
    country = names.get(code)
    if country is None:
        country = csv_country.get(code, code)
        no_iso.append(code)
    head = ["Source: UN General Debate", "Date: 2024-09"]
    if code in speakers:
        head.append("Author: " + speakers[code])
    else:
        no_speaker.append(fn)
    head.append("Language: en")
    title = f"{country}: statement to the 79th session of the UN General Assembly General Debate"
    with open(os.path.join(out, fn), "w", encoding="utf-8") as f:
        f.write("\n".join(head) + "\n\n" + title + "\n\n" + body + "\n")
print(f"import-ungdc.sh: wrote {len([n for n in os.listdir(out)])} files")
if no_speaker:
    print("no speaker row:", " ".join(no_speaker))
if no_iso:
    print("not in iso-codes (CSV name used):", " ".join(no_iso))
PY
