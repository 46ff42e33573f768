#!/usr/bin/env python3
"""Speed at scale on the UN General Debate corpus: quire, SQLite FTS5 and plain Xapian, in one run.

Usage: benchmarks/ungdc.py [--speeches N | --all] [--smoke] [--queries FILE] [--keep DIR] [--reuse]
                           [--quire build/quire] [--peer build/benchmarks/xapian-plain]
                           [--data ../shared/data/ungdc] [--semantics or,and] [--per-kind N] [--passes N]
                           [--no-cold] [--batch-runs N] [--quire-before OLD/quire] [--without ENGINE]
                           [--check-semantics] [--report-only]

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
MSet::snippet() (plus ValueCountMatchSpy over every match for the facets kind). Bare words are asked
twice, OR'ed and AND'ed, the same way in every engine (--semantics): quire and Xapian get "w1 AND w2",
FTS5 "w1" AND "w2" (a hyphenated word is a phrase of its pieces in all three). FTS5 matches with the
Porter stemmer on every word, Xapian with Snowball's English stemmer on words not capitalised (phrases
unstemmed); --check-semantics counts each query's matching paragraphs in FTS5 and plain Xapian (the
same rows) to show how far apart that puts them. Latency is timed inside each engine's process per
query, as wall-clock time and as the CPU time of the answering thread (which other programs holding
the cores do not inflate; on a shared machine it is the figure to compare): "cold" is the first pass
after the page cache was dropped (when this runs as root; otherwise the first pass in a fresh
process), "warm" the faster of two later passes, the engines taking turns (quire, FTS5, Xapian,
quire, FTS5, Xapian) so that load from elsewhere falls on all of them. --quire-before times an older
quire build in the same turns. Batch throughput is all queries with `quire batch --threads 1` and
`--threads 2`, taking turns, with each run's wall-clock and CPU seconds and the load average.

--smoke runs 150 speeches and 5 queries of each kind (OR and AND), the semantics check and one batch
run of each: a test that everything runs, asserting nothing about time. Prints Markdown tables.
"""
import argparse
import json
import math
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
        t0, c0 = time.perf_counter(), time.thread_time()
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
        out.write(f"{q['id']}\t{(time.perf_counter() - t0) * 1000}\t{(time.thread_time() - c0) * 1000}\n")
"""

FTS5_COUNT = r"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for line in open(sys.argv[2]):
    q = json.loads(line)
    print(f"{q['id']}\t{con.execute('SELECT count(*) FROM p WHERE p MATCH ?', [q['fts']]).fetchone()[0]}")
"""

KINDS = ["common", "rare", "phrase", "name", "filter", "facets", "passages"]


def fts5_words(text, op):
    """Bare words in FTS5 syntax, joined by op; a word with a hyphen ("co-operation") is a phrase of its
    pieces, as Xapian's QueryParser reads it."""
    parts = []
    for word in text.split():
        pieces = re.findall(r"[^\W_]+", word)
        if pieces:
            parts.append('"' + " ".join(pieces) + '"')
    return f" {op} ".join(parts)


def load_queries(path, smoke, per_kind, semantics):
    """The query set, and each query in quire's batch form and in the peers' form. With AND in
    semantics, every query of bare words is also asked with AND between its words, in every engine
    (id with "+and"): quire and plain Xapian "w1 AND w2", FTS5 "w1" AND "w2"."""
    queries = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    if smoke:
        per_kind = 5
    if per_kind:
        queries = [q for k in KINDS for q in [q for q in queries if q["kind"] == k][:per_kind]]
    asked = []
    semantics = semantics.split(",")
    for q in queries:
        phrase = q["query"].startswith('"')
        if "or" in semantics or phrase:
            asked.append(dict(q, semantics="phrase" if phrase else "OR"))
        if "and" in semantics and not phrase:
            asked.append(dict(q, id=q["id"] + "+and", semantics="AND"))
    quire, peer = [], []
    for q in asked:
        text = q["query"]
        if q["semantics"] == "AND":
            text = " AND ".join(text.split())
        j = {"id": q["id"], "query": text, "limit": 10}
        for key in ("filters", "facets", "passages"):
            if key in q:
                j[key] = q[key]
        quire.append(j)
        p = {"id": q["id"], "query": text}
        if q["semantics"] == "phrase":
            p["fts"] = '"' + " ".join(re.findall(r"[^\W_]+", text)) + '"'
        else:
            p["fts"] = fts5_words(q["query"], q["semantics"])
        f = q.get("filters", {})
        if "by" in f:
            p["by"] = f["by"]
        if "published" in f:
            decade = int(f["published"][:4])
            p["from"], p["to"] = decade, decade + 9
        if q.get("facets"):
            p["facets"] = True
        peer.append(p)
    return asked, quire, peer


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


def run_timed(cmd):
    """Runs cmd with its output dropped; returns (wall-clock seconds, user + system CPU seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"ungdc: {' '.join(map(str, cmd[:3]))} failed")
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def fmt(x):
    return x if isinstance(x, str) else f"{x:.2f}"


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


def fresh(path):
    """`path` with the file of an earlier run removed: quire batch --timings refuses to replace a file."""
    path.unlink(missing_ok=True)
    return path


def read_timings(path, column=1):
    """id -> milliseconds: wall-clock (column 1) or the answering thread's CPU time (column 2)."""
    return {line.split("\t")[0]: float(line.split("\t")[column]) for line in open(path) if line.strip()}


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
    ap.add_argument("--per-kind", type=int, default=0, help="only the first N queries of each kind")
    ap.add_argument("--semantics", default="or,and", help="or, and, or both (or,and): how bare words are joined")
    ap.add_argument("--passes", type=int, default=2, help="warm passes (the fastest time of each query counts)")
    ap.add_argument("--no-cold", action="store_true", help="no cold pass")
    ap.add_argument("--batch-runs", type=int, default=3, help="runs of the batch throughput test per thread count")
    ap.add_argument("--without", help="engines left out, comma-separated (\"plain Xapian\")")
    ap.add_argument("--report-only", action="store_true",
                    help="with --keep --reuse: tables from the timing files already in the folder, nothing run")
    ap.add_argument("--check-semantics", action="store_true",
                    help="count each query's matches in FTS5 and plain Xapian (what the query text means)")
    ap.add_argument("--quire-before", help="another quire binary (an older build) timed in the same run")
    args = ap.parse_args()
    if args.passes < 1 or args.batch_runs < 1:
        ap.error("--passes and --batch-runs take 1 or more")
    if not set(args.semantics.split(",")) <= {"or", "and"}:
        ap.error("--semantics takes or, and, or or,and")
    if args.smoke:
        args.speeches = 150
        args.batch_runs = 1
        args.check_semantics = True  # runs the count path too

    archive = pathlib.Path(args.data) / "ungdc-txt.tar.xz"
    if not archive.exists():
        print(f"ungdc: skipped: {archive} not found")
        sys.exit(77)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="quire-ungdc-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and all((work / n).exists() for n in ("quire", "fts5.db", "speeches"))
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
        queries, quire_qs, peer_qs = load_queries(args.queries, args.smoke, args.per_kind, args.semantics)
        (work / "quire.jsonl").write_text("".join(json.dumps(q) + "\n" for q in quire_qs))
        (work / "peer.jsonl").write_text("".join(json.dumps(q) + "\n" for q in peer_qs))
        n = len(queries)
        quire_cmd = lambda binary, t: [binary, "batch", "--db", str(work / "quire"), "--threads", "1",
                                       "--timings", str(t), str(work / "quire.jsonl")]
        engines = {"quire": lambda t: quire_cmd(args.quire, t)}
        if args.quire_before:
            engines["quire before"] = lambda t: quire_cmd(args.quire_before, t)
        engines["SQLite FTS5"] = lambda t: [sys.executable, "-c", FTS5_QUERY, str(work / "fts5.db"),
                                            str(work / "peer.jsonl"), "10", str(t)]
        engines["plain Xapian"] = lambda t: [args.peer, "latency", str(work / "xapian"), str(work / "peer.jsonl"),
                                             "10", str(t)]
        if args.without:
            for name in args.without.split(","):
                engines.pop(name.strip(), None)
        loads = []  # (pass, engine, 1-minute load average when it ended)
        cold, warm, cpu, dropped = {}, {}, {}, True
        if not args.no_cold:
            for name, cmd in engines.items():
                if not args.report_only:
                    dropped = drop_caches() and dropped
                    run_child(cmd(fresh(work / f"{name}.cold")))
                cold[name] = read_timings(work / f"{name}.cold")
                loads.append(("cold", name, os.getloadavg()[0]))
        for rep in range(args.passes):
            for name, cmd in engines.items():
                if not args.report_only:
                    run_child(cmd(fresh(work / f"{name}.warm{rep}")))
                t = read_timings(work / f"{name}.warm{rep}")
                warm[name] = {k: min(v, warm.get(name, t)[k]) for k, v in t.items()}
                t = read_timings(work / f"{name}.warm{rep}", 2)
                cpu[name] = {k: min(v, cpu.get(name, t)[k]) for k, v in t.items()}
                loads.append((f"warm {rep + 1}", name, os.getloadavg()[0]))
        for name in engines:
            for label, t in (("cold", cold.get(name)), ("warm", warm[name])):
                if t is not None and len(t) != n:
                    sys.exit(f"ungdc: {name} {label}: {len(t)} timings, expected {n}")

        # What the queries mean: FTS5's and plain Xapian's exact matches (both one row per paragraph), no filters.
        if args.check_semantics:
            counts = {}
            for name, cmd in (("SQLite FTS5", [sys.executable, "-c", FTS5_COUNT, str(work / "fts5.db")]),
                              ("plain Xapian", [args.peer, "count", str(work / "xapian")])):
                out = subprocess.run(cmd + [str(work / "peer.jsonl")], check=True, capture_output=True, text=True)
                counts[name] = {l.split("\t")[0]: int(l.split("\t")[1]) for l in out.stdout.splitlines()}
            print("Matching paragraphs, FTS5 vs plain Xapian (same rows), per semantics: queries, equal counts, "
                  "median and worst ratio Xapian/FTS5")
            print()
            for sem in ("OR", "AND", "phrase"):
                ids = [q["id"] for q in queries if q["semantics"] == sem]
                if not ids:
                    continue
                ratios = sorted(counts["plain Xapian"][i] / max(1, counts["SQLite FTS5"][i]) for i in ids)
                equal = sum(counts["plain Xapian"][i] == counts["SQLite FTS5"][i] for i in ids)
                worst = max(ids, key=lambda i: abs(math.log((counts["plain Xapian"][i] + 1) /
                                                            (counts["SQLite FTS5"][i] + 1))))
                print(f"- {sem}: {len(ids)} queries, {equal} equal, median ratio {statistics.median(ratios):.3f}, "
                      f"range {ratios[0]:.3f}-{ratios[-1]:.3f}; furthest apart {worst} "
                      f"({counts['SQLite FTS5'][worst]} vs {counts['plain Xapian'][worst]})")
            print()

        # Batch throughput, one thread and two, taking turns; CPU time from the child's rusage.
        batch = {1: [], 2: []}
        for _ in range(0 if args.report_only else args.batch_runs):
            for threads in (1, 2):
                secs, used = run_timed([args.quire, "batch", "--db", str(work / "quire"), "--threads", str(threads),
                                        str(work / "quire.jsonl")])
                batch[threads].append((secs, used, os.getloadavg()[0]))

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
        print(f"{n} queries, top 10 with highlighted snippets; {how if cold else 'no cold pass'} and warm (fastest of "
              f"{args.passes} passes) latency in ms, timed in each engine's process. Bare words asked with OR "
              "between them and with AND, the same in every engine.")
        print()
        if not args.report_only:
            print("load average (1 min) after each pass: " +
                  "; ".join(f"{p} {name} {l:.1f}" for p, name, l in loads))
        print()
        print("Wall-clock ms (cold: first pass after the cache was dropped; warm: fastest of the passes), then the "
              "CPU ms of the answering thread (fastest of the warm passes), which load from elsewhere does not "
              "inflate; ratios to FTS5 in the same rows.")
        print()
        print("| kind | words | engine | cold p50 | cold p95 | cold mean | warm p50 | warm p95 | warm mean | "
              "CPU p50 | CPU p95 | CPU p99 | CPU mean | CPU p95 x FTS5 | CPU mean x FTS5 | warm p95 x FTS5 | "
              "warm mean x FTS5 |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        groups = [(k, m) for k in KINDS + ["all"] for m in ("OR", "AND", "phrase")]
        for kind, sem in groups:
            ids = [q["id"] for q in queries if kind in ("all", q["kind"]) and q["semantics"] == sem]
            if not ids:
                continue
            f, fc = stats([warm["SQLite FTS5"][i] for i in ids]), stats([cpu["SQLite FTS5"][i] for i in ids])
            for name in engines:
                c = stats([cold[name][i] for i in ids]) if cold else ("-",) * 4
                w = stats([warm[name][i] for i in ids])
                u = stats([cpu[name][i] for i in ids])
                print(f"| {kind} | {sem} | {name} | {fmt(c[0])} | {fmt(c[1])} | {fmt(c[3])} | {w[0]:.2f} | {w[1]:.2f} | "
                      f"{w[3]:.2f} | {u[0]:.2f} | {u[1]:.2f} | {u[2]:.2f} | {u[3]:.2f} | {u[1] / fc[1]:.2f} | "
                      f"{u[3] / fc[3]:.2f} | {w[1] / f[1]:.2f} | {w[3] / f[3]:.2f} |")
        print()
        if set(args.semantics.split(",")) == {"or", "and"}:
            # As a person types bare words into each: quire ORs them (ranked), FTS5 ANDs them.
            print("As typed (bare words, each engine's own default: quire OR, FTS5 AND), CPU ms (fastest warm pass):")
            print()
            print("| kind | quire p50 | quire p95 | quire mean | FTS5 p50 | FTS5 p95 | FTS5 mean | p95 x FTS5 | mean x FTS5 |")
            print("|---|---|---|---|---|---|---|---|---|")
            for kind in KINDS + ["all"]:
                ids = [q["id"] for q in queries if kind in ("all", q["kind"]) and q["semantics"] == "OR"]
                if not ids:
                    continue
                w = stats([cpu["quire"][i] for i in ids])
                f = stats([cpu["SQLite FTS5"][i + "+and"] for i in ids])
                print(f"| {kind} | {w[0]:.2f} | {w[1]:.2f} | {w[3]:.2f} | {f[0]:.2f} | {f[1]:.2f} | {f[3]:.2f} | "
                      f"{w[1] / f[1]:.2f} | {w[3] / f[3]:.2f} |")
            print()
        if args.report_only:
            return
        print(f"quire batch, all {n} queries, {args.batch_runs} runs each, taking turns (wall s / CPU s / load):")
        for threads in (1, 2):
            runs = ", ".join(f"{s:.1f}/{c:.1f}/{l:.1f}" for s, c, l in batch[threads])
            print(f"  {threads} thread(s): {runs}")
        best = {t: min(s for s, _, _ in batch[t]) for t in (1, 2)}
        med = {t: statistics.median(s for s, _, _ in batch[t]) for t in (1, 2)}
        bcpu = {t: statistics.median(c for _, c, _ in batch[t]) for t in (1, 2)}
        print(f"  best: {n / best[1]:.0f} queries/s on 1 thread, {n / best[2]:.0f} on 2 ({best[1] / best[2]:.2f}x); "
              f"median: {med[1] / med[2]:.2f}x; CPU per query {bcpu[1] / n * 1000:.2f} ms on 1, "
              f"{bcpu[2] / n * 1000:.2f} ms on 2")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
