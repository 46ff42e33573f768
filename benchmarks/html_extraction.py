#!/usr/bin/env python3
"""Scores extracted article text against the ground truth of the ScrapingHub article-extraction
benchmark, the way its README describes the published evaluate.py: tokens are runs of Unicode word
characters (case kept), shingles are runs of 4 tokens counted as a multiset, per-document precision
and recall from the shingle overlap, macro-averaged over the documents, F1 the harmonic mean of the
two means.

usage: html_extraction.py TRUTH_JSON PRED_DIR [--split all|tune|held-out] [--worst N]
PRED_DIR holds <id>.txt, quire's extracted text for page <id> (a missing file counts as empty).
The split is by the page id (a SHA-256): ids starting with 0-b are the tuning pages, c-f held out.
"""
import argparse
import collections
import json
import os
import re
import sys

WORD = re.compile(r"\w+")


def shingles(text):
    tokens = WORD.findall(text)
    if not tokens:
        return collections.Counter()
    if len(tokens) < 4:
        return collections.Counter([tuple(tokens)])
    return collections.Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def score_one(truth, pred):
    t, p = shingles(truth), shingles(pred)
    tp = sum(min(c, p[s]) for s, c in t.items())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return None, None
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


def in_split(doc_id, split):
    if split == "all":
        return True
    tune = doc_id[0] in "0123456789ab"
    return tune if split == "tune" else not tune


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("pred_dir")
    ap.add_argument("--split", default="all", choices=["all", "tune", "held-out"])
    ap.add_argument("--label", default="html")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    args = ap.parse_args()
    with open(args.truth, encoding="utf-8") as f:
        truth = json.load(f)
    precisions, recalls, per_page = [], [], []
    for doc_id in sorted(truth):
        if not in_split(doc_id, args.split):
            continue
        path = os.path.join(args.pred_dir, doc_id + ".txt")
        pred = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                pred = f.read()
        p, r = score_one(truth[doc_id]["articleBody"], pred)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        pp, rr = p or 0.0, r or 0.0
        per_page.append((2 * pp * rr / (pp + rr) if pp + rr else 0.0, pp, rr, doc_id))
    if not recalls:
        print("html_extraction.py: no pages scored", file=sys.stderr)
        return 1
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    for f, p, r, doc_id in sorted(per_page)[:args.worst]:
        print(f"  {doc_id[:12]} f1 {f:.3f} p {p:.3f} r {r:.3f}  {truth[doc_id]['url']}", file=sys.stderr)
    print(f"{args.label}: precision {precision:.3f} recall {recall:.3f} f1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
