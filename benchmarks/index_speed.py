#!/usr/bin/env python3
"""Indexing speed and size: quire against SQLite FTS5 on the same UNGDC speeches, in one run.

Usage: benchmarks/index_speed.py [--speeches N] [--quire build/quire] [--data ../shared/data/ungdc]

Unpacks the UN General Debate corpus to a temporary folder, takes the N most recent speeches, and
indexes them twice, each in a child process of its own so that peak memory is measured per engine:
  quire   `quire index` on the folder (reading, cleaning, passages, stems, positions; durable commit)
  fts5    SQLite FTS5 (porter tokenizer), one row per paragraph (a line of the speech file), one
          transaction, from Python's sqlite3 module
Prints one Markdown table. MB/s counts the bytes of the speech files; peak RSS is the child's.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

FTS5_CHILD = r"""
import pathlib, sqlite3, sys
db, folder = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, text, tokenize='porter unicode61')")
rows = 0
with con:
    for f in sorted(pathlib.Path(folder).glob("*.txt")):
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                con.execute("INSERT INTO p(doc, text) VALUES (?, ?)", (f.stem, line))
                rows += 1
con.close()
print(rows)
"""


def run_child(cmd):
    """Runs cmd; returns (seconds, peak RSS of that child in MB, its stdout)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0,):
            sys.exit(f"index_speed: {cmd[0]} failed ({proc.returncode}): {proc.stderr.read()}")
        out.seek(0)
        return seconds, usage.ru_maxrss / 1024.0, out.read()


def size_of(path):
    p = pathlib.Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = pathlib.Path(__file__).resolve().parent
    ap.add_argument("--speeches", type=int, default=2000)
    ap.add_argument("--quire", default=str(here.parent / "build" / "quire"))
    ap.add_argument("--data", default=str(here.parent.parent / "shared" / "data" / "ungdc"))
    args = ap.parse_args()

    archive = pathlib.Path(args.data) / "ungdc-txt.tar.xz"
    if not archive.exists():
        sys.exit(f"index_speed: {archive} not found")
    work = pathlib.Path(tempfile.mkdtemp(prefix="quire-bench-"))
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(work / "raw")
        speeches = sorted((work / "raw").rglob("*.txt"))[-args.speeches:]
        folder = work / "speeches"
        folder.mkdir()
        for s in speeches:
            shutil.copy(s, folder / s.name)
        mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6

        rows = []
        secs, rss, out = run_child([sys.executable, "-c", FTS5_CHILD, str(work / "fts5.db"), str(folder)])
        rows.append(("SQLite FTS5 (porter)", secs, rss, int(out.strip()), size_of(work / "fts5.db")))
        secs, rss, out = run_child([args.quire, "index", "--db", str(work / "quire"), str(folder)])
        passages = int(out.split(" passages")[0].rsplit(" ", 1)[1])
        rows.append(("quire", secs, rss, passages, size_of(work / "quire")))

        fts_mbs = mb / rows[0][1]
        print(f"{len(speeches)} UNGDC speeches, {mb:.1f} MB, machine: {os.cpu_count()} cores")
        print()
        print("| engine | seconds | MB/s | x FTS5 | passages | passages/s | index MB | x FTS5 | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, secs, rss, n, size in rows:
            print(f"| {name} | {secs:.2f} | {mb / secs:.2f} | {mb / secs / fts_mbs:.2f} | {n} | {n / secs:.0f} | "
                  f"{size / 1e6:.1f} | {size / rows[0][4]:.2f} | {rss:.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
