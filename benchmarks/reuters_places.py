#!/usr/bin/env python3
"""Actor tagging quality on human labels: quire's state actors against Reuters-21578 PLACES.

Usage: benchmarks/reuters_places.py DIR [--quire build/quire] [--per-code N]

DIR holds the Reuters-21578 XML files (reut2-*.xml). Every story's title, dateline and body go to
`quire tag --jsonl` as three passages, dated 1987 (the collection's year, which selects names such as
"Germany" = West Germany). Each tagged state actor is mapped to a PLACES code with
benchmarks/reuters_places.tsv, and a story is given the codes of its salient actors (see salient()).
Precision, recall and F1 are micro-averaged over (story, code) pairs, stories without PLACES included;
stories marked TOPICS="BYPASS" are left out, because the collection's README_LEWIS.txt says they
"clearly were not indexed" (all 1,043 have empty label fields).
The last line is exactly: places: precision P recall R f1 F
"""
import argparse
import collections
import html
import json
import pathlib
import re
import subprocess
import sys

STORY = re.compile(r"<REUTERS\b(.*?)</REUTERS>", re.S)


def field(story, name):
    m = re.search(rf"<{name}>(.*?)</{name}>", story, re.S)
    return html.unescape(m.group(1)).strip() if m else ""


def read_stories(folder):
    for path in sorted(pathlib.Path(folder).glob("reut2-*.xml")):
        # reut2-017.xml carries a raw 0xFC byte and no encoding declaration: decode what is UTF-8,
        # replace the rest, as quire's own readers do.
        text = path.read_bytes().decode("utf-8", errors="replace")
        for m in STORY.finditer(text):
            s = m.group(1)
            newid = re.search(r'NEWID="(\d+)"', s).group(1)
            # README_LEWIS.txt: TOPICS="BYPASS" stories "clearly were not indexed", so their empty label
            # fields say nothing; they are left out of the scoring.
            if 'TOPICS="BYPASS"' in s[:200]:
                continue
            places = re.findall(r"<D>(.*?)</D>", field(s, "PLACES"))
            yield newid, [field(s, "TITLE"), field(s, "DATELINE"), field(s, "BODY")], places


def salient(actors):
    """The actors a story is about: named in the title or dateline, or named at least twice."""
    return [a for a in actors if a["first_passage"] <= 1 or a["mentions"] >= 2]


def main():
    here = pathlib.Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--quire", default=str(here.parent / "build" / "quire"))
    ap.add_argument("--per-code", type=int, default=0, help="also print the N codes with the most errors")
    args = ap.parse_args()

    mapping = {}
    for line in open(here / "reuters_places.tsv", encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            actor, code = line.rstrip("\n").split("\t")
            mapping[actor] = code
    stories = list(read_stories(args.dir))
    if not stories:
        sys.exit(f"reuters_places: no reut2-*.xml stories in {args.dir}")
    lines = "".join(json.dumps({"id": i, "passages": p, "year": 1987}) + "\n" for i, p, _ in stories)
    out = subprocess.run([args.quire, "tag", "--jsonl"], input=lines, capture_output=True, text=True, check=True).stdout
    tagged = {}
    for line in out.splitlines():
        r = json.loads(line)
        tagged[r["id"]] = {mapping[a["id"]] for a in salient(r["actors"]) if a["id"] in mapping}

    tp = fp = fn = 0
    errors = collections.Counter()
    for newid, _, gold in stories:
        got, want = tagged.get(newid, set()), set(gold)
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        for c in got - want:
            errors[("fp", c)] += 1
        for c in want - got:
            errors[("fn", c)] += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{len(stories)} stories, {tp} correct, {fp} extra, {fn} missed (story, place) pairs")
    for (kind, code), n in errors.most_common(args.per_code):
        print(f"  {kind} {code}: {n}")
    print(f"places: precision {p:.3f} recall {r:.3f} f1 {f:.3f}")


if __name__ == "__main__":
    main()
