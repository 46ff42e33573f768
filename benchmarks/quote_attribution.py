#!/usr/bin/env python3
"""Scores quire's direct quotations and their speakers on PolNeAR (brat standoff) labels.

Each article's text is split into paragraphs at blank lines and fed to `quire tag --jsonl` (one
passage per paragraph, the year from the file name); quire's quotes come back as code point spans
of each paragraph and are placed in the article.

Gold: every attribution whose Content holds a quotation of three words or more (a direct or mixed
quote; "an “awful” job" is indirect speech with a scare quote) and has a Source. Attributions whose Source is only a pronoun ("he", "she", "they", ...) or that have no
Source are not scored: PolNeAR does not resolve them, and neither side is counted (a quire quote
overlapping only such contents is ignored). When an article has several annotators, the first
annotation file in name order is used.

Predicted: every quire quote that is not a scare quote and has a speaker.

A predicted quote is correct when its span overlaps the Content of a scored gold attribution whose
Source matches the speaker: the speaker's last name (the last word of quire's label) equals one of
the capitalised words of the Source span, possessives ("Clinton's") and titles aside. Precision is
correct predictions over scored predictions; recall is gold attributions overlapped by at least one
correct prediction over all scored gold attributions.

--part tune|holdout splits the articles by a hash of their name (3 in 4 tune, 1 in 4 holdout), so
rules tuned on one part can be checked on the other. The last line is exactly
`quotes: precision P recall R f1 F`.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "his", "hers", "their",
            "who", "this", "that", "one", "me", "us", "its", "himself", "herself"}
QUOTE_MARKS = ("\u201c", "\u201d", '"')
# Words that may be capitalised in a Source without being its name.
NOT_NAMES = {"the", "a", "an", "sen", "sen.", "rep", "rep.", "gov", "gov.", "president", "mr", "mr.", "mrs", "mrs.",
             "ms", "ms.", "dr", "dr.", "former", "secretary", "senator", "gen", "gen.", "vice", "candidate",
             "republican", "democratic", "democrat", "nominee", "presidential", "house", "speaker", "state"}


def part_of(name):
    return "holdout" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 4 == 0 else "tune"


def read_ann(path):
    spans, events = {}, []
    with open(path, encoding="utf-8") as f:
        data = f.read()
    records = re.split(r"\n(?=[TE#]\d+\t)", data)
    for rec in records:
        if not rec.strip():
            continue
        fields = rec.split("\t")
        if rec.startswith("T"):
            kind_and_offsets = fields[1].split(" ", 1)
            pieces = []
            for part in kind_and_offsets[1].split(";"):
                b, e = part.split()
                pieces.append((int(b), int(e)))
            spans[fields[0]] = (kind_and_offsets[0], pieces, fields[2] if len(fields) > 2 else "")
        elif rec.startswith("E"):
            roles = {}
            for pair in fields[1].split():
                role, tid = pair.split(":")
                roles[role] = tid
            events.append(roles)
    return spans, events


def name_words(text):
    """The capitalised words of a Source span that may be a name, lower-cased, possessives dropped."""
    out = set()
    for w in re.findall(r"[\w.'\u2019-]+", text):
        if w[0].isupper() and not re.search(r"['\u2019]s?$", w):
            lw = w.lower().strip(".")
            if lw not in NOT_NAMES:
                out.add(lw)
                for piece in lw.split("-"):
                    out.add(piece)
    return out


SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def last_name(label):
    words = [w for w in re.findall(r"[\w'\u2019-]+", label) if w.lower() not in SUFFIXES]
    return words[-1].lower() if words else ""


def quoted_words(text):
    """The most words inside one pair of quotation marks in `text` (straight or curly)."""
    best = 0
    for m in re.finditer(r"[\u201c\"]([^\u201c\u201d\"]*)(?:[\u201d\"]|$)", text):
        best = max(best, len(m.group(1).split()))
    return best


def overlaps(a, pieces):
    return any(a[0] < e and b < a[1] for b, e in pieces)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--part", choices=["all", "tune", "holdout"], default="all")
    ap.add_argument("--quire", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "quire"))
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong or missed attributions")
    a = ap.parse_args()

    text_dir = os.path.join(a.dir, "text")
    ann_dir = os.path.join(a.dir, "attributions")
    if not os.path.isdir(text_dir) or not os.path.isdir(ann_dir):
        sys.exit(f"quote_attribution: {a.dir} has no text/ and attributions/ folders")
    ann_of = {}
    for f in sorted(os.listdir(ann_dir)):
        if f.endswith(".ann"):
            ann_of.setdefault(f.rsplit("_", 1)[0], f)
    names = sorted(n for n in ann_of if os.path.exists(os.path.join(text_dir, n + ".txt")))
    if a.part != "all":
        names = [n for n in names if part_of(n) == a.part]
    if not names:
        sys.exit(f"quote_attribution: no article with annotations in {a.dir}")

    articles, lines = {}, []
    for n in names:
        with open(os.path.join(text_dir, n + ".txt"), encoding="utf-8") as f:
            text = f.read()
        paragraphs = []  # (start code point, text)
        for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
            paragraphs.append((m.start(), m.group().replace("\n", " ")))
        date = re.search(r"_(\d{4})-", n)
        articles[n] = (text, paragraphs)
        lines.append(json.dumps({"id": n, "passages": [p for _, p in paragraphs],
                                 "year": int(date.group(1)) if date else 0}))
    run = subprocess.run([a.quire, "tag", "--jsonl"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, encoding="utf-8")
    if run.returncode != 0:
        sys.exit(f"quote_attribution: quire tag failed: {run.stderr.strip()}")
    predicted = {}
    for line in run.stdout.splitlines():
        r = json.loads(line)
        paragraphs = articles[r["id"]][1]
        out = []
        for q in r["quotes"]:
            if q["scare"] or "speaker" not in q:
                continue
            start = paragraphs[q["paragraph"] - 1][0]
            out.append(((start + q["begin"], start + q["end"]), q["speaker"]["name"]))
        predicted[r["id"]] = out

    tp = fp = gold_total = gold_found = ignored = unscored_gold = 0
    errors = []
    for n in names:
        spans, events = read_ann(os.path.join(ann_dir, ann_of[n]))
        text = articles[n][0]
        gold = []  # (content pieces, source text or None)
        for ev in events:
            contents = [spans[ev[r]][1] for r in ("Content", "Content2") if r in ev and ev[r] in spans]
            pieces = [p for c in contents for p in c]
            if not pieces or max(quoted_words(text[b:e]) for b, e in pieces) < 3:
                continue
            source = spans[ev["Source"]][2] if "Source" in ev and ev["Source"] in spans else None
            scored = source is not None and not all(w.lower() in PRONOUNS for w in re.findall(r"[\w']+", source))
            gold.append((pieces, source if scored else None))
        gold_total += sum(1 for g in gold if g[1] is not None)
        unscored_gold += sum(1 for g in gold if g[1] is None)
        found = set()
        for span, speaker in predicted.get(n, []):
            hit = [i for i, g in enumerate(gold) if overlaps(span, g[0])]
            scored = [i for i in hit if gold[i][1] is not None]
            if hit and not scored:
                ignored += 1
                continue
            good = [i for i in scored if last_name(speaker) in name_words(gold[i][1])]
            if good:
                tp += 1
                found.update(good)
            else:
                fp += 1
                if len(errors) < a.errors:
                    errors.append(f"{n}: wrong: {speaker!r} for {text[span[0]:span[1]][:60]!r}; gold "
                                  f"{[gold[i][1] for i in scored]}")
        gold_found += len(found)
        for i, g in enumerate(gold):
            if g[1] is not None and i not in found and len(errors) < a.errors:
                b, e = g[0][0]
                context = text[max(0, b - 120):min(len(text), e + 120)].replace("\n", " | ")
                errors.append(f"{n}: missed: {g[1]!r} in {context!r}")
    for e in errors:
        print(e)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = gold_found / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"articles {len(names)} ({a.part}); gold direct quotes {gold_total} scored, {unscored_gold} not scored "
          f"(pronoun or no source); predicted {tp + fp} scored, {ignored} ignored")
    print(f"quotes: precision {precision:.3f} recall {recall:.3f} f1 {f1:.3f}")


if __name__ == "__main__":
    main()
