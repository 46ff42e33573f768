#!/usr/bin/env python3
"""Speed at scale on the UN General Debate corpus: quire, SQLite FTS5 and plain Xapian, in one run.

Usage: benchmarks/ungdc.py [--speeches N | --all] [--smoke] [--queries FILE] [--keep DIR] [--reuse]
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
                as boolean terms and values, one commit (build/benchmarks/xapian-plain index-rows)
With --keep DIR --reuse, indexes already in DIR are used as they are (no indexing figures then).

Then each engine answers the queries of benchmarks/queries/ungdc.jsonl (350 queries in seven kinds,
see benchmarks/queries/make_queries.py), top 10 with highlighted snippets in all three: quire with
`quire batch --threads 1 --timings` (documents with their best passages, or passages for the
passages kind; facets by country and year for the facets kind, which makes its counts exact), FTS5
with bm25() and snippet() (plus GROUP BY counts for the facets kind), plain Xapian with
MSet::snippet() (plus ValueCountMatchSpy over every match for the facets kind). Bare words are OR'ed
in every engine. Latency is timed inside each engine's process per query: "cold" is the first pass
after the page cache was dropped (when this runs as root; otherwise the first pass in a fresh
process), "warm" the faster of two later passes, the engines taking turns (quire, FTS5, Xapian,
quire, FTS5, Xapian) so that load from elsewhere falls on all of them. Batch throughput is all
queries with `quire batch --threads 1` and `--threads 2` (the faster of two runs each).

--smoke runs 150 speeches and 5 queries of each kind: a test that everything runs, asserting nothing
about time. Prints Markdown tables.
"""
import argparse
import json
import os
import pathlib
import platform
import re
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
        where = " WHERE p MATCH ?"
        args = [q["fts"]]
        if "by" in q:
            where += " AND country = ?"
            args.append(q["by"])
        if "from" in q:
            where += " AND year BETWEEN ? AND ?"
            args += [q["from"], q["to"]]
        sql = "SELECT doc, snippet(p, 3, '<b>', '</b>', '...', 24), bm25(p) FROM p" + where
        rows = con.execute(sql + " ORDER BY rank LIMIT ?", args + [limit]).fetchall()
        if q.get("facets"):
            for column in ("country", "year"):
                con.execute(f"SELECT {column}, count(*), count(DISTINCT doc) FROM p{where} GROUP BY {column}"
                            " ORDER BY 3 DESC LIMIT 10", args).fetchall()
        out.write(f"{q['id']}\t{(time.perf_counter() - t0) * 1000}\n")
"""

KINDS = ["common", "rare", "phrase", "name", "filter", "facets", "passages"]


def load_queries(path, smoke):
    """The query set, and each query in quire's batch form and in the peers' form."""
    queries = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    if smoke:
        queries = [q for k in KINDS for q in [q for q in queries if q["kind"] == k][:5]]
    quire, peer = [], []
    for q in queries:
        j = {"id": q["id"], "query": q["query"], "limit": 10}
        for key in ("filters", "facets", "passages"):
            if key in q:
                j[key] = q[key]
        quire.append(j)
        text = q["query"]
        p = {"id": q["id"], "query": text}
        if text.startswith('"'):
            p["fts"] = '"' + " ".join(re.findall(r"[^\W_]+", text)) + '"'
        else:
            p["fts"] = " OR ".join(f'"{w}"' for w in re.findall(r"[^\W_]+", text))
        f = q.get("filters", {})
        if "by" in f:
            p["by"] = f["by"]
        if "published" in f:
            decade = int(f["published"][:4])
            p["from"], p["to"] = decade, decade + 9
        if q.get("facets"):
            p["facets"] = True
        peer.append(p)
    return queries, quire, peer


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


def read_timings(path):
    return {line.split("\t")[0]: float(line.split("\t")[1]) for line in open(path) if line.strip()}


def stats(ms):
    ms = sorted(ms)
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
    ap.add_argument("--queries", default=str(here / "queries" / "ungdc.jsonl"), help="the query set")
    ap.add_argument("--smoke", action="store_true", help="150 speeches, 5 queries a kind: checks that it all runs")
    ap.add_argument("--quire", default=str(here.parent / "build" / "quire"))
    ap.add_argument("--peer", default=str(here.parent / "build" / "benchmarks" / "xapian-plain"))
    ap.add_argument("--data", default=str(here.parent.parent / "shared" / "data" / "ungdc"))
    ap.add_argument("--keep", help="keep the work folder here (indexes, queries, timings)")
    ap.add_argument("--reuse", action="store_true", help="with --keep: use the indexes already there")
    args = ap.parse_args()
    if args.smoke:
        args.speeches = 150

    archive = pathlib.Path(args.data) / "ungdc-txt.tar.xz"
    if not archive.exists():
        print(f"ungdc: skipped: {archive} not found")
        sys.exit(77)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="quire-ungdc-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and all((work / n).exists() for n in ("quire", "fts5.db", "xapian", "speeches"))
    try:
        folder = work / "speeches"
        if not reuse:
            subprocess.run(["tar", "-xJf", str(archive), "-C", str(work)], check=True)
            speeches = sorted((work / "TXT").rglob("*.txt"))
            if not args.all:
                speeches = speeches[:args.speeches]
            folder.mkdir(exist_ok=True)
            for s in speeches:
                os.link(s, folder / s.name)
            shutil.rmtree(work / "TXT")
            shutil.copy(here / "ungdc" / "metadata.xml", work / "metadata.xml")
            shutil.copy(pathlib.Path(args.data) / "speakers_by_session.tsv", work / "speakers_by_session.tsv")
        speeches = sorted(folder.iterdir())
        mb = sum(f.stat().st_size for f in speeches) / 1e6
        years = {int(f.stem.split("_")[2]) for f in speeches}

        index = []
        if not reuse:
            with open(work / "rows.tsv", "w") as rows:
                for f in speeches:
                    country, _, year = f.stem.split("_")
                    for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
                        if line.strip():
                            rows.write(f"{f.stem}\t{country}\t{year}\t{line.replace(chr(9), ' ')}\n")
            secs, rss, out = run_child([sys.executable, "-c", FTS5_INDEX, str(work / "fts5.db"), str(folder)], None)
            index.append(("SQLite FTS5", secs, rss, int(out.strip()), size_of(work / "fts5.db")))
            secs, rss, out = run_child([args.quire, "index", "--db", str(work / "quire"), "--metadata",
                                        str(work / "metadata.xml"), str(folder)], None)
            index.append(("quire", secs, rss, int(out.split(" passages")[0].rsplit(" ", 1)[1]),
                          size_of(work / "quire")))
            secs, rss, out = run_child([args.peer, "index-rows", str(work / "xapian"), str(work / "rows.tsv")], None)
            index.append(("plain Xapian", secs, rss, int(out.strip()), size_of(work / "xapian")))

        # Queries, the same for each engine in its own syntax.
        queries, quire_qs, peer_qs = load_queries(args.queries, args.smoke)
        (work / "quire.jsonl").write_text("".join(json.dumps(q) + "\n" for q in quire_qs))
        (work / "peer.jsonl").write_text("".join(json.dumps(q) + "\n" for q in peer_qs))
        n = len(queries)
        engines = {
            "quire": lambda t: [args.quire, "batch", "--db", str(work / "quire"), "--threads", "1",
                                "--timings", str(t), str(work / "quire.jsonl")],
            "SQLite FTS5": lambda t: [sys.executable, "-c", FTS5_QUERY, str(work / "fts5.db"),
                                      str(work / "peer.jsonl"), "10", str(t)],
            "plain Xapian": lambda t: [args.peer, "latency", str(work / "xapian"), str(work / "peer.jsonl"), "10",
                                       str(t)],
        }
        cold, warm, dropped = {}, {}, True
        for name, cmd in engines.items():
            dropped = drop_caches() and dropped
            run_child(cmd(work / f"{name}.cold"))
            cold[name] = read_timings(work / f"{name}.cold")
        for rep in range(2):
            for name, cmd in engines.items():
                run_child(cmd(work / f"{name}.warm{rep}"))
                t = read_timings(work / f"{name}.warm{rep}")
                warm[name] = {k: min(v, warm.get(name, t)[k]) for k, v in t.items()}
        for name in engines:
            for label, t in (("cold", cold[name]), ("warm", warm[name])):
                if len(t) != n:
                    sys.exit(f"ungdc: {name} {label}: {len(t)} timings, expected {n}")

        # Batch throughput, one thread and two.
        qps = {}
        for threads in (1, 2):
            best = min(run_parallel([[args.quire, "batch", "--db", str(work / "quire"), "--threads", str(threads),
                                      str(work / "quire.jsonl")]]) for _ in range(2))
            qps[threads] = n / best

        # Tables.
        load = os.getloadavg()
        print(f"UNGDC: {len(speeches)} speeches ({min(years)}-{max(years)}), {mb:.1f} MB; {os.cpu_count()} cores, "
              f"{cpu_model()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")
        print()
        if index:
            fts = index[0]
            print("| engine | seconds | MB/s | x FTS5 | passages | passages/s | index MB | x FTS5 | peak RSS MB |")
            print("|---|---|---|---|---|---|---|---|---|")
            for name, secs, rss, count, size in index:
                print(f"| {name} | {secs:.1f} | {mb / secs:.2f} | {fts[1] / secs:.2f} | {count} | {count / secs:.0f} | "
                      f"{size / 1e6:.1f} | {size / fts[4]:.2f} | {rss:.0f} |")
            print()
        how = "cold (page cache dropped)" if dropped else "first run (page cache not dropped: not root)"
        print(f"{n} queries, top 10 with highlighted snippets; {how} and warm (faster of two passes) latency in ms, "
              "timed in each engine's process")
        print()
        print("| kind | engine | cold p50 | cold p95 | cold p99 | cold mean | warm p50 | warm p95 | warm p99 | "
              "warm mean | warm p95 x FTS5 | warm mean x FTS5 |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for kind in KINDS + ["all"]:
            ids = [q["id"] for q in queries if kind in ("all", q["kind"])]
            if not ids:
                continue
            f = stats([warm["SQLite FTS5"][i] for i in ids])
            for name in engines:
                c = stats([cold[name][i] for i in ids])
                w = stats([warm[name][i] for i in ids])
                print(f"| {kind} | {name} | {c[0]:.2f} | {c[1]:.2f} | {c[2]:.2f} | {c[3]:.2f} | {w[0]:.2f} | "
                      f"{w[1]:.2f} | {w[2]:.2f} | {w[3]:.2f} | {w[1] / f[1]:.2f} | {w[3] / f[3]:.2f} |")
        print()
        print(f"quire batch, all {n} queries: {qps[1]:.0f} queries/s on 1 thread, {qps[2]:.0f} on 2 "
              f"({qps[2] / qps[1]:.2f}x)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
