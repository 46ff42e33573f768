#!/usr/bin/env python3
"""PDF reading speed: pages per second per core of `quire convert --text` (parse in quire's isolated
child process, layout, cleaning) side by side with `pdftotext` on the same PDFs, in one run, each file
REPEAT times, alternating the two. Per core = pages / CPU seconds (user + system of the programs and
their children), so the figure does not depend on how busy the machine is; wall-clock pages/s is
printed too. Usage: benchmarks/pdf_speed.py [--quire build/quire] [--repeat N] DIR...
Ends with `pdf speed: quire P pages/s per core, pdftotext Q pages/s per core`."""
import argparse
import os
import resource
import subprocess
import sys
import time


def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return r.returncode, cpu, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quire", default=os.path.join(os.path.dirname(__file__), "..", "build", "quire"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    pdfs = []
    for d in a.dirs:
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            if f.endswith(".pdf"):
                n = pages_of(p)
                # Only files with text both can read (not the encrypted, scanned or not-a-PDF ones).
                t = subprocess.run(["pdftotext", p, "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                if n > 0 and t.returncode == 0 and t.stdout.strip():
                    pdfs.append((p, n))
    if not pdfs:
        sys.exit("pdf_speed: no readable PDFs")
    tot = {"quire": [0.0, 0.0], "pdftotext": [0.0, 0.0]}
    pages = 0
    for _ in range(a.repeat):
        for p, n in pdfs:
            pages += n
            for name, cmd in (("quire", [a.quire, "convert", "--text", p]), ("pdftotext", ["pdftotext", "-enc", "UTF-8", p, "-"])):
                rc, cpu, wall = timed(cmd)
                if rc != 0:
                    sys.exit("pdf_speed: %s failed on %s" % (name, p))
                tot[name][0] += cpu
                tot[name][1] += wall
    print("%d PDFs, %d pages, %d rounds" % (len(pdfs), pages // a.repeat, a.repeat))
    for name in ("quire", "pdftotext"):
        cpu, wall = tot[name]
        print("%-10s %7.1f pages/s per core (%.2f CPU s)   %7.1f pages/s wall clock" % (name, pages / cpu, cpu, pages / wall))
    print("pdf speed: quire %.0f pages/s per core, pdftotext %.0f pages/s per core" % (pages / tot["quire"][0], pages / tot["pdftotext"][0]))


if __name__ == "__main__":
    main()
