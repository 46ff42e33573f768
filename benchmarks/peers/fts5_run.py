#!/usr/bin/env python3
"""The SQLite FTS5 peer for benchmarks/ranking.sh: indexes {"id", "text"} JSON Lines into an in-memory
FTS5 table (porter stemmer over unicode61, FTS5's bm25() with its fixed k1 = 1.2, b = 0.75) and prints a
TREC run for id<TAB>query lines. A query is its words joined with OR, each quoted, since FTS5's own
query syntax would read a claim's punctuation and AND/OR/NOT as operators.

Usage: fts5_run.py DOCS.jsonl QUERIES.tsv LIMIT > RUN
"""
import json
import re
import sqlite3
import sys


def main():
    docs, queries, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, text, tokenize='porter unicode61')")
    with open(docs, encoding="utf-8") as f, con:
        con.executemany("INSERT INTO d(id, text) VALUES (?, ?)",
                        ((j["id"], j["text"]) for j in map(json.loads, filter(str.strip, f))))
    out = sys.stdout
    with open(queries, encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            words = re.findall(r"\w+", text)
            if not words:
                continue
            match = " OR ".join('"%s"' % w for w in words)
            rows = con.execute("SELECT id, bm25(d) FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT ?", (match, limit))
            for rank, (doc, score) in enumerate(rows, 1):
                out.write(f"{qid} Q0 {doc} {rank} {-score:.6f} fts5\n")


if __name__ == "__main__":
    main()
