#!/usr/bin/env python3
"""Scores PDF text extraction against reference texts: `quire convert --text` and `pdftotext` on the same
PDFs in one run. Each PDF <ID>.pdf in DIR comes with <ID>.md, CRS's HTML edition of the same text
(../shared/data/pdf-reftext/README.md). The reference is the .md body (web furniture, the contents
lists and the disclaimer dropped, links and table markers removed, as that README suggests); both
extractions are scored by bag-of-words precision, recall and F1 (words: lower-case runs of letters and
digits), summed over all files (micro average). Also the share of each extraction's lines that are
running headers, footers or page numbers (lines that repeat on 3+ pages or are a bare number).
Usage: benchmarks/pdf_extraction.py [--quire build/quire] DIR
Prints one line per file, then `pdf: quire precision P recall R f1 F` and the same for pdftotext."""
import argparse
import collections
import os
import re
import subprocess
import sys

WORD = re.compile(r"[a-z0-9]+")


def reference_text(md):
    lines = md.split("\n")
    # Drop the header and the web furniture: up to the [Listen](...) line; for reports (with a
    # "# Contents" list) up to the third '---' line.
    listen = next((i for i, l in enumerate(lines) if "[Listen](" in l), None)
    seps = [i for i, l in enumerate(lines) if l.strip() == "---"]
    start = 0
    if any(l.startswith("# Contents") for l in lines) and len(seps) >= 3:
        start = seps[2] + 1
    elif listen is not None:
        start = listen + 1
        # In short products the title and "Updated <date>" follow the link on its line.
        tail = lines[listen].split(")", 1)[1] if ")" in lines[listen] else ""
        lines[listen] = tail
        start = listen
    body = lines[start:]
    out = []
    for l in body:
        if "Disclaimer:" in l:
            break
        l = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", l)
        l = re.sub(r"^\s*\|\s?", "", l)
        l = l.replace("|", " ")
        out.append(l)
    return "\n".join(out)


def words(text):
    return collections.Counter(WORD.findall(text.lower()))


def furniture_share(text):
    pages = text.split("\f")
    lines = [l.strip() for l in text.replace("\f", "\n").split("\n") if l.strip()]
    if not lines:
        return 0.0
    key = lambda l: re.sub(r"\d+", "#", l.lower())
    on_pages = collections.defaultdict(set)
    for i, p in enumerate(pages):
        for l in p.split("\n"):
            if l.strip():
                on_pages[key(l.strip())].add(i)
    bad = 0
    for l in lines:
        k = key(l)
        if re.fullmatch(r"(page\s+)?[0-9ivx]{1,5}", l.lower()) or (len(on_pages[k]) >= 3 and len(l) < 120):
            bad += 1
    return bad / len(lines)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.stdout.decode("utf-8", "replace"), r.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", default=os.path.join(os.path.dirname(__file__), "..", "build", "quire"))
    ap.add_argument("dir")
    a = ap.parse_args()
    ids = sorted(f[:-4] for f in os.listdir(a.dir) if f.endswith(".pdf") and os.path.exists(os.path.join(a.dir, f[:-4] + ".md")))
    if not ids:
        sys.exit("pdf_extraction: no <ID>.pdf with <ID>.md in " + a.dir)
    totals = {"quire": [0, 0, 0], "pdftotext": [0, 0, 0]}
    furn = {"quire": [], "pdftotext": []}
    print("%-12s %28s %28s" % ("file", "quire P/R/F1", "pdftotext P/R/F1"))
    for i in ids:
        pdf = os.path.join(a.dir, i + ".pdf")
        with open(os.path.join(a.dir, i + ".md"), encoding="utf-8") as f:
            ref = words(reference_text(f.read()))
        outs = {"quire": run([a.quire, "convert", "--text", pdf])[0], "pdftotext": run(["pdftotext", "-enc", "UTF-8", pdf, "-"])[0]}
        row = []
        for name, text in outs.items():
            got = words(text)
            common = sum((got & ref).values())
            t = totals[name]
            t[0] += common
            t[1] += sum(got.values())
            t[2] += sum(ref.values())
            p = common / max(1, sum(got.values()))
            r = common / max(1, sum(ref.values()))
            row.append("%.3f/%.3f/%.3f" % (p, r, 2 * p * r / max(1e-9, p + r)))
            # quire prints paragraphs, not pages: its furniture is judged by lines repeated 3+ times.
            furn[name].append(furniture_share(text))
        print("%-12s %28s %28s" % (i, row[0], row[1]))
    for name in ("quire", "pdftotext"):
        c, g, r = totals[name]
        p, rc = c / max(1, g), c / max(1, r)
        f1 = 2 * p * rc / max(1e-9, p + rc)
        print("pdf: %s precision %.3f recall %.3f f1 %.3f (furniture lines %.1f%%)" % (
            name, p, rc, f1, 100 * sum(furn[name]) / len(furn[name])))


if __name__ == "__main__":
    main()
