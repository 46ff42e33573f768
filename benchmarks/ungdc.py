#!/usr/bin/env python3
"""Speed at scale on the UN General Debate corpus: quire, SQLite FTS5 and plain Xapian, in one run.

Usage: benchmarks/ungdc.py [--speeches N | --all] [--queries N] [--smoke]
                           [--quire build/quire] [--peer build/benchmarks/xapian-plain]
                           [--data ../shared/data/ungdc]

Unpacks the corpus to a temporary folder and takes the first N speeches in path order (sessions from
1946 on; --all takes all 10,952). Each engine indexes the same text, one passage or row per paragraph
(a line of a speech file), in a child process of its own, so its peak RSS is its own:
  quire         `quire index --metadata` (benchmarks/ungdc/metadata.xml): reading, cleaning, passages,
                tagging (actors, themes, dates, quotes), country/year/session/speaker from the file name
                and speakers_by_session.tsv, positions; durable commits
  SQLite FTS5   porter unicode61, one row per paragraph with country and year columns, one transaction
  plain Xapian  TermGenerator defaults (English stemmer), one document per paragraph, country and year
                as boolean terms, one commit (build/benchmarks/xapian-plain index-rows)
Then each engine answers the same generated queries (words, phrases, a country filter, a country and
decade filter), top 10 with highlighting: quire with facets by country and year as well (passage mode),
FTS5 with bm25() and snippet(), plain Xapian with MSet::snippet(). Latency is timed inside each engine's
process per query: "cold" is the first run after the page cache was dropped (when this runs as root;
otherwise the first run in a fresh process), "warm" the second. Batch QPS is all queries over both
cores: `quire batch --threads 2`, and two processes each taking half for the peers.

--smoke runs 150 speeches and 40 queries: a test that everything runs, asserting nothing about time.
Prints Markdown tables.
"""
import argparse
import json
import os
import pathlib
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FTS5_INDEX = r"""
import pathlib, sqlite3, sys
db, folder = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, country UNINDEXED, year UNINDEXED, text,"
            " tokenize='porter unicode61')")
rows = 0
with con:
    for f in sorted(pathlib.Path(folder).glob("*.txt")):
        country, _, year = f.stem.split("_")
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                con.execute("INSERT INTO p VALUES (?, ?, ?, ?)", (f.stem, country, int(year), line))
                rows += 1
con.close()
print(rows)
"""

FTS5_QUERY = r"""
import json, sqlite3, sys, time
db, queries, limit, timings = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
con = sqlite3.connect(db)
with open(timings, "w") as out:
    for line in open(queries):
        q = json.loads(line)
        t0 = time.perf_counter()
        sql = "SELECT doc, snippet(p, 3, '<b>', '</b>', '...', 24), bm25(p) FROM p WHERE p MATCH ?"
        args = [q["fts"]]
        if "by" in q:
            sql += " AND country = ?"
            args.append(q["by"])
        if "from" in q:
            sql += " AND year BETWEEN ? AND ?"
            args += [q["from"], q["to"]]
        rows = con.execute(sql + " ORDER BY rank LIMIT ?", args + [limit]).fetchall()
        out.write(f"{q['id']}\t{(time.perf_counter() - t0) * 1000}\n")
"""

WORDS = ["disarmament", "apartheid", "colonialism", "decolonization", "refugees", "Kashmir", "Palestine",
         "Cyprus", "Korea", "Vietnam", "Congo", "atomic", "trade", "famine", "peacekeeping", "veto",
         "sanctions", "Israel", "Suez", "Berlin", "Hungary", "Algeria", "Rhodesia", "Namibia", "Angola",
         "Cuba", "hunger", "inflation", "debt", "aid", "terrorism", "environment", "oil", "population",
         "education", "independence", "sovereignty", "aggression", "trusteeship", "tariffs", "famine",
         "drought", "plebiscite", "partition", "armistice", "blockade", "missiles", "fishing", "boundary"]
PHRASES = ["right of self-determination", "general and complete disarmament", "United Nations Charter",
           "nuclear weapons", "human rights", "economic and social development", "peaceful coexistence",
           "racial discrimination", "developing countries", "international peace and security",
           "Security Council", "Middle East", "South Africa", "arms race", "trust territories",
           "atomic energy", "colonial peoples", "outer space", "world peace", "technical assistance"]
COUNTRIES = ["PAK", "IND", "USA", "GBR", "FRA", "CHN", "EGY", "BRA", "ARG", "CAN", "AUS", "POL", "YUG",
             "IDN", "MEX", "IRN", "TUR", "SWE", "JPN", "RUS"]


def make_queries(n, years):
    """n queries, a quarter each: words, a phrase, words with a country, words with a country and a decade."""
    rnd = random.Random(7)
    decades = sorted({y // 10 * 10 for y in years})
    out = []
    for i in range(n):
        kind = ("words", "phrase", "country", "decade")[min(3, i * 4 // n)] if n >= 8 else "words"
        q = {"id": f"q{i + 1:03d}"}
        if kind == "phrase":
            p = rnd.choice(PHRASES)
            q["text"], q["fts"] = f'"{p}"', f'"{p}"'
        else:
            words = rnd.sample(WORDS, rnd.choice((1, 1, 2)))
            q["text"] = " ".join(words)
            q["fts"] = " OR ".join(f'"{w}"' for w in words)
        if kind in ("country", "decade"):
            q["by"] = rnd.choice(COUNTRIES)
        if kind == "decade":
            d = rnd.choice(decades)
            q["from"], q["to"] = d, d + 9
        out.append(q)
    return out


def run_child(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (seconds, peak RSS of that child in MB, its stdout when captured)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        if code != 0:
            sys.exit(f"ungdc: {' '.join(map(str, cmd[:3]))} failed ({code}): {err.read()[-2000:]}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024.0, out.read()


def run_parallel(cmds):
    """Runs the commands at once; returns the wall-clock seconds until all are done."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for c in cmds]
    for p, c in zip(procs, cmds):
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"ungdc: {' '.join(map(str, c[:3]))} failed ({p.returncode}): {err[-2000:]}")
    return time.perf_counter() - t0


def size_of(path):
    p = pathlib.Path(path)
    return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def drop_caches():
    """Drops the page cache if allowed; True if it was."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def percentiles(timings_file, expected):
    ms = [float(line.split("\t")[1]) for line in open(timings_file) if line.strip()]
    if len(ms) != expected:
        sys.exit(f"ungdc: {timings_file} has {len(ms)} timings, expected {expected}")
    ms.sort()
    pick = lambda p: ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]
    return pick(50), pick(95), pick(99), statistics.mean(ms)


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = pathlib.Path(__file__).resolve().parent
    ap.add_argument("--speeches", type=int, default=2000)
    ap.add_argument("--all", action="store_true", help="every speech (about 200 MB)")
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--smoke", action="store_true", help="150 speeches, 40 queries: checks that it all runs")
    ap.add_argument("--quire", default=str(here.parent / "build" / "quire"))
    ap.add_argument("--peer", default=str(here.parent / "build" / "benchmarks" / "xapian-plain"))
    ap.add_argument("--data", default=str(here.parent.parent / "shared" / "data" / "ungdc"))
    ap.add_argument("--keep", help="keep the work folder here (indexes, queries, timings)")
    args = ap.parse_args()
    if args.smoke:
        args.speeches, args.queries = 150, 40

    archive = pathlib.Path(args.data) / "ungdc-txt.tar.xz"
    if not archive.exists():
        print(f"ungdc: skipped: {archive} not found")
        sys.exit(77)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="quire-ungdc-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["tar", "-xJf", str(archive), "-C", str(work)], check=True)
        speeches = sorted((work / "TXT").rglob("*.txt"))
        if not args.all:
            speeches = speeches[:args.speeches]
        folder = work / "speeches"
        folder.mkdir()
        for s in speeches:
            os.link(s, folder / s.name)
        shutil.rmtree(work / "TXT")
        shutil.copy(here / "ungdc" / "metadata.xml", work / "metadata.xml")
        shutil.copy(pathlib.Path(args.data) / "speakers_by_session.tsv", work / "speakers_by_session.tsv")
        mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        years = set()
        with open(work / "rows.tsv", "w") as rows:
            for f in sorted(folder.iterdir()):
                country, _, year = f.stem.split("_")
                years.add(int(year))
                for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
                    if line.strip():
                        rows.write(f"{f.stem}\t{country}\t{year}\t{line.replace(chr(9), ' ')}\n")

        # Indexing.
        index = []
        secs, rss, out = run_child([sys.executable, "-c", FTS5_INDEX, str(work / "fts5.db"), str(folder)], None)
        index.append(("SQLite FTS5", secs, rss, int(out.strip()), size_of(work / "fts5.db")))
        secs, rss, out = run_child([args.quire, "index", "--db", str(work / "quire"), "--metadata",
                                    str(work / "metadata.xml"), str(folder)], None)
        index.append(("quire", secs, rss, int(out.split(" passages")[0].rsplit(" ", 1)[1]), size_of(work / "quire")))
        secs, rss, out = run_child([args.peer, "index-rows", str(work / "xapian"), str(work / "rows.tsv")], None)
        index.append(("plain Xapian", secs, rss, int(out.strip()), size_of(work / "xapian")))

        # Queries, the same for each engine in its own syntax.
        queries = make_queries(args.queries, years)
        with open(work / "quire.jsonl", "w") as qf, open(work / "peer.jsonl", "w") as pf:
            for q in queries:
                filters = {}
                if "by" in q:
                    filters["by"] = q["by"]
                if "from" in q:
                    filters["published"] = f"{q['from']}..{q['to']}"
                qf.write(json.dumps({"id": q["id"], "query": q["text"], "filters": filters,
                                     "facets": ["by", "published"], "limit": 10, "passages": True}) + "\n")
                pf.write(json.dumps({k: q[k] for k in ("id", "by", "from", "to", "fts") if k in q} |
                                    {"query": q["text"]}) + "\n")
        n = len(queries)
        engines = {
            "quire": lambda qs, t: [args.quire, "batch", "--db", str(work / "quire"), "--threads", "1",
                                    "--timings", str(t), str(qs)],
            "SQLite FTS5": lambda qs, t: [sys.executable, "-c", FTS5_QUERY, str(work / "fts5.db"), str(qs), "10", str(t)],
            "plain Xapian": lambda qs, t: [args.peer, "latency", str(work / "xapian"), str(qs), "10", str(t)],
        }
        inputs = {"quire": work / "quire.jsonl", "SQLite FTS5": work / "peer.jsonl", "plain Xapian": work / "peer.jsonl"}
        latency, dropped = {}, True
        for name, cmd in engines.items():
            dropped = drop_caches() and dropped
            run_child(cmd(inputs[name], work / f"{name}.cold"))
            run_child(cmd(inputs[name], work / f"{name}.warm"))
            latency[name] = (percentiles(work / f"{name}.cold", n), percentiles(work / f"{name}.warm", n))

        # Batch throughput on both cores.
        qps = {}
        qps["quire"] = n / run_parallel([[args.quire, "batch", "--db", str(work / "quire"), "--threads", "2",
                                          str(inputs["quire"])]])
        lines = open(work / "peer.jsonl").read().splitlines(keepends=True)
        halves = []
        for i in range(2):
            part = work / f"peer.{i}.jsonl"
            part.write_text("".join(lines[i::2]))
            halves.append(part)
        for name in ("SQLite FTS5", "plain Xapian"):
            qps[name] = n / run_parallel([engines[name](h, work / f"{name}.batch{i}") for i, h in enumerate(halves)])

        # Tables.
        fts = index[0]
        rows_total = fts[3]
        print(f"UNGDC: {len(speeches)} speeches ({min(years)}-{max(years)}), {mb:.1f} MB, {rows_total} paragraphs; "
              f"{os.cpu_count()} cores, {cpu_model()}")
        print()
        print("| engine | seconds | MB/s | x FTS5 | passages | passages/s | index MB | x FTS5 | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, secs, rss, count, size in index:
            print(f"| {name} | {secs:.1f} | {mb / secs:.2f} | {fts[1] / secs:.2f} | {count} | {count / secs:.0f} | "
                  f"{size / 1e6:.1f} | {size / fts[4]:.2f} | {rss:.0f} |")
        print()
        cold = "cold (page cache dropped)" if dropped else "first run (page cache not dropped: not root)"
        print(f"{n} queries, top 10 with highlighting; {cold} and warm latency in ms, timed in each engine's process")
        print()
        print("| engine | cold p50 | cold p95 | cold p99 | warm p50 | warm p95 | warm p99 | warm p95 x FTS5 | "
              "batch QPS, 2 cores | x FTS5 |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        fts_warm95 = latency["SQLite FTS5"][1][1]
        for name in ("quire", "SQLite FTS5", "plain Xapian"):
            c, w = latency[name]
            print(f"| {name} | {c[0]:.2f} | {c[1]:.2f} | {c[2]:.2f} | {w[0]:.2f} | {w[1]:.2f} | {w[2]:.2f} | "
                  f"{w[1] / fts_warm95:.2f} | {qps[name]:.0f} | {qps[name] / qps['SQLite FTS5']:.2f} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
