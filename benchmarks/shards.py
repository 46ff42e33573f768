#!/usr/bin/env python3
"""Indexing into shards (issue 14): quire with 1 and N shards against SQLite FTS5, in one run.

Usage: benchmarks/shards.py [--speeches N] [--shards 1,2] [--flush 1000] [--repeat R] [--compact]
                            [--quire build/quire] [--data ../shared/data/ungdc] [--keep DIR]

Unpacks the first N speeches (2,000: 48.9 MB) as benchmarks/ungdc.py does, indexes them with SQLite
FTS5 (ungdc.py's indexer: porter unicode61, one row per paragraph) and with `quire index --metadata
benchmarks/ungdc/metadata.xml --shards K` for each K (tagging on, durable commits), each a child
process of its own (its peak RSS is its own), R times in turns (FTS5, quire 1, quire 2, FTS5, ...).
--flush takes XAPIAN_FLUSH_THRESHOLD values, comma-separated: every quire run is made with each.
--compact then times the query set (benchmarks/queries/ungdc.jsonl, `quire batch --threads 1`) on
the last index of the most shards before and after `xapian-compact --multipass` of each shard.
Prints one Markdown table: the median of the R runs per configuration.
"""
import argparse
import importlib.util
import os
import resource
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

here = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("ungdc", here / "ungdc.py")
ungdc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ungdc)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speeches", type=int, default=2000)
    ap.add_argument("--shards", default="1,2")
    ap.add_argument("--flush", default="1000", help="XAPIAN_FLUSH_THRESHOLD values, comma-separated")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--compact", action="store_true")
    ap.add_argument("--quire", default=str(here.parent / "build" / "quire"))
    ap.add_argument("--data", default=str(here.parent.parent / "shared" / "data" / "ungdc"))
    ap.add_argument("--keep", help="work folder (kept)")
    args = ap.parse_args()
    archive = pathlib.Path(args.data) / "ungdc-txt.tar.xz"
    if not archive.exists():
        print(f"shards: skipped: {archive} not found")
        sys.exit(77)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="quire-shards-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "speeches"
    if not folder.exists():
        subprocess.run(["tar", "-xJf", str(archive), "-C", str(work)], check=True)
        folder.mkdir()
        for s in sorted((work / "TXT").rglob("*.txt"))[:args.speeches]:
            os.link(s, folder / s.name)
        shutil.rmtree(work / "TXT")
    shutil.copy(here / "ungdc" / "metadata.xml", work / "metadata.xml")
    shutil.copy(pathlib.Path(args.data) / "speakers_by_session.tsv", work / "speakers_by_session.tsv")
    mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6

    configs = [("SQLite FTS5", None, None)]
    for k in args.shards.split(","):
        for f in args.flush.split(","):
            configs.append((f"quire, {k} shard{'s' if k != '1' else ''}, flush {f}", int(k), f))
    runs = {c[0]: [] for c in configs}
    last = {}
    def cpu():
        u = resource.getrusage(resource.RUSAGE_CHILDREN)
        return u.ru_utime + u.ru_stime

    for r in range(args.repeat):
        for name, shards, flush in configs:
            c0 = cpu()
            if shards is None:
                db = work / "fts5.db"
                db.unlink(missing_ok=True)
                secs, rss, _ = ungdc.run_child([sys.executable, "-c", ungdc.FTS5_INDEX, str(db), str(folder)], None)
            else:
                db = work / f"quire-{shards}-{flush}"
                shutil.rmtree(db, ignore_errors=True)
                os.environ["XAPIAN_FLUSH_THRESHOLD"] = flush
                secs, rss, _ = ungdc.run_child([args.quire, "index", "--shards", str(shards), "--db", str(db),
                                                "--metadata", str(work / "metadata.xml"), str(folder)], None)
                last[shards] = db
            runs[name].append((secs, rss, ungdc.size_of(db), cpu() - c0))
            print(f"run {r + 1}: {name}: {secs:.1f} s, {mb / secs:.2f} MB/s, {rss:.0f} MB RSS, "
                  f"{runs[name][-1][3]:.1f} s CPU", file=sys.stderr)
    fts = statistics.median(r[0] for r in runs["SQLite FTS5"])
    fts_size = statistics.median(r[2] for r in runs["SQLite FTS5"])
    print(f"{args.speeches} speeches, {mb:.1f} MB, median of {args.repeat} run(s), load average "
          f"{os.getloadavg()[0]:.2f} at the end\n")
    print("| engine | seconds | MB/s | x FTS5 | CPU s | index MB | x FTS5 | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, _, _ in configs:
        secs = statistics.median(r[0] for r in runs[name])
        size = statistics.median(r[2] for r in runs[name])
        rss = max(r[1] for r in runs[name])
        cpu_s = statistics.median(r[3] for r in runs[name])
        print(f"| {name} | {secs:.1f} | {mb / secs:.2f} | {fts / secs:.3f} | {cpu_s:.1f} | {size / 1e6:.0f} | "
              f"{size / fts_size:.2f} | {rss:.0f} |")

    if args.compact:
        shards = max(last)
        db = last[shards]
        _, quire_qs, _ = ungdc.load_queries(str(here / "queries" / "ungdc.jsonl"), False, 0, "or")
        qfile = work / "queries.jsonl"
        qfile.write_text("".join(__import__("json").dumps(q) + "\n" for q in quire_qs))

        def batch():
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                subprocess.run([args.quire, "batch", "--threads", "1", "--db", str(db), str(qfile)],
                               stdout=subprocess.DEVNULL, check=True)
                t = time.perf_counter() - t0
                best = t if best is None else min(best, t)
            return best

        before, size_before = batch(), ungdc.size_of(db)
        t0 = time.perf_counter()
        parts = [db / f"shard{k}" for k in range(shards)] if shards > 1 else [db]
        for p in parts:
            if shards == 1:
                break
            out = p.with_name(p.name + ".compact")
            subprocess.run(["xapian-compact", "--multipass", str(p), str(out)], check=True,
                           stdout=subprocess.DEVNULL)
            shutil.rmtree(p)
            out.rename(p)
        compact_secs = time.perf_counter() - t0
        after, size_after = batch(), ungdc.size_of(db)
        print(f"\nxapian-compact --multipass of {shards} shards: {compact_secs:.1f} s, "
              f"{size_before / 1e6:.0f} -> {size_after / 1e6:.0f} MB; {len(quire_qs)} queries "
              f"(quire batch --threads 1, best of 3): {before:.2f} s before, {after:.2f} s after")


if __name__ == "__main__":
    main()
