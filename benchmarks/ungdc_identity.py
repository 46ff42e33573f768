#!/usr/bin/env python3
"""Who is who, when, on the UN General Debate Corpus: indexes UNGDC with benchmarks/ungdc/metadata.xml and
checks, for every (code, year) in the archive, that quire reads the code as the state in force that year
(benchmarks/ungdc/states_in_force.tsv, written by hand) and that by: finds the speech, by the code and
by the state's name; then counts anachronistic actor tags (a state tagged in a year before it existed, or
after it ceased when no successor link documents it), passages before 2012 tagged Xi Jinping, and speaker
labels that start with a function word of schemas/speakers.xml.

  python3 benchmarks/ungdc_identity.py              # all 10,952 speeches (benchmarks/ungdc_identity.sh)
  python3 benchmarks/ungdc_identity.py --ci         # about 250 speeches around the changes of state (ctest)

Exit status: 0 when every check holds (with --ci; without it, 0 whatever the figures), 1 when one does
not, 2 on bad usage, 77 when ../shared/data/ungdc is not there.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The CI subset: every speech of these (code, years), chosen around each change of state and name,
# plus every speech of 1990, the year of the German and Yemeni unifications.
CI_PICKS = {
    "RUS": [1965, 1985, 1991, 1992, 2000], "CHN": [1960, 1969, 1971, 1972, 1980], "DEU": [1975, 1989, 1990, 1991],
    "DDR": [1975, 1989], "YEM": [1960, 1985, 1989, 1990, 1995], "YMD": [1975, 1989],
    "YUG": [1970, 1991, 2001, 2005], "SRB": [2006, 2010], "MNE": [2006], "CSK": [1980, 1992], "CZE": [1993],
    "SVK": [1993], "COD": [1961, 1980, 1997, 2000], "COG": [1962, 1980], "MMR": [1960, 1995],
    "KHM": [1976, 1984, 2000], "BFA": [1975, 1984, 1990], "BEN": [1970, 1980], "TZA": [1963, 1964, 1980],
    "LKA": [1960, 1975], "SWZ": [1980, 2020], "EGY": [1955, 1958, 1961, 1962, 1975], "SYR": [1957, 1962],
    "MYS": [1960, 1962, 1963, 1970], "ZMB": [1964, 1970], "ZWE": [1980, 1985], "GHA": [1957, 1960],
    "NAM": [1990, 2000], "IND": [1965, 2000], "USA": [1965, 2000], "PAK": [1965, 1971], "EU": [2011],
    "UZB": [1992], "KAZ": [1992], "BGD": [1974], "ERI": [1993], "SSD": [2011], "GNB": [1976],
}
CI_YEARS = {1990}


def fail(msg, code=2):
    print("ungdc_identity: " + msg, file=sys.stderr)
    sys.exit(code)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode not in (0, 1):
        fail("%s failed (%d): %s" % (" ".join(cmd[:3]), r.returncode, r.stderr.strip()[:500]), 1)
    return r.stdout


def expected_table(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t") or not line.strip():
                continue
            code, lo, hi, actor = line.rstrip("\n").split("\t")[:4]
            rows.setdefault(code, []).append((int(lo), int(hi), actor))
    return rows


def expected(rows, code, year):
    for lo, hi, actor in rows.get(code, []):
        if (lo == 0 or year >= lo) and (hi == 0 or year <= hi):
            return actor
    return None


def gazetteer(path):
    """id -> (name, from, to, has successors) for every actor of actors.xml."""
    root = ET.parse(path).getroot()
    actors, preds = {}, set()
    for a in root.findall("actor"):
        # from/to are YYYY or YYYY-MM-DD; speeches are dated by year, so the year is what counts here.
        actors[a.get("id")] = [a.findtext("name"), int(a.get("from", "0")[:4]), int(a.get("to", "0")[:4]), False,
                               a.get("type")]
        preds.update((a.get("predecessors") or "").split())
    for p in preds:
        if p in actors:
            actors[p][3] = True
    return actors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ci", action="store_true", help="about 250 speeches around the changes, asserting")
    ap.add_argument("--quire", default=os.path.join(ROOT, "build", "quire"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "ungdc"))
    ap.add_argument("--work", help="folder to unpack and index in (default: a new one under /tmp, removed)")
    ap.add_argument("--details", type=int, default=20, help="list at most N failures of each kind")
    a = ap.parse_args()
    archive = os.path.join(a.data, "ungdc-txt.tar.xz")
    if not os.path.exists(archive):
        print("skipped: %s is not there" % archive)
        return 77
    if not os.access(a.quire, os.X_OK):
        fail("no quire at %s (build first)" % a.quire)
    work = a.work or tempfile.mkdtemp(prefix="ungdc-identity-")
    os.makedirs(work, exist_ok=True)
    try:
        return check(a, archive, work)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


def check(a, archive, work):
    names = [n for n in run(["tar", "-tJf", archive]).split("\n") if n.endswith(".txt")]
    speech = re.compile(r"([A-Z]+)_(\d+)_(\d{4})\.txt$")
    files = []
    for n in names:
        m = speech.search(n)
        if not m:
            continue
        code, session, year = m.group(1), m.group(2), int(m.group(3))  # the id keeps "09" as written
        if a.ci and year not in CI_YEARS and year not in CI_PICKS.get(code, []):
            continue
        files.append((n, code, session, year))
    if not a.ci and os.path.isdir(os.path.join(work, "TXT")):
        pass  # unpacked before (--work): indexing again is incremental
    else:
        subprocess.run(["tar", "-xJf", archive, "-C", work] + [f[0] for f in files], check=True)
    shutil.copy(os.path.join(HERE, "ungdc", "metadata.xml"), work)
    shutil.copy(os.path.join(a.data, "speakers_by_session.tsv"), work)
    db = os.path.join(work, "index")
    r = subprocess.run([a.quire, "index", "--db", db, "--metadata", os.path.join(work, "metadata.xml"),
                        os.path.join(work, "TXT")], capture_output=True, text=True)
    if r.returncode != 0:
        fail("quire index failed: " + r.stderr.strip()[:1000], 1)
    print(r.stdout.strip().split("\n")[-1])

    rows = expected_table(os.path.join(HERE, "ungdc", "states_in_force.tsv"))
    actors = gazetteer(os.path.join(ROOT, "schemas", "actors.xml"))
    years = sorted({f[3] for f in files})

    # 1. The state each speech is filed under, and 2. by: by code and by name, in one batch.
    queries = []
    for y in years:
        queries.append({"id": "year/%d" % y, "query": "published:%d" % y, "limit": 1000})
    pairs = sorted({(f[1], f[3]) for f in files})
    for code, y in pairs:
        want = expected(rows, code, y)
        queries.append({"id": "code/%s/%d" % (code, y), "query": "by:%s published:%d" % (code, y), "limit": 50})
        if want and want in actors:
            queries.append({"id": "name/%s/%d" % (code, y),
                            "query": 'by:"%s" published:%d' % (actors[want][0], y), "limit": 1000})
    out = run([a.quire, "batch", "--db", db, "-"], input="\n".join(json.dumps(q) for q in queries) + "\n")
    answers = {}
    for line in out.split("\n"):
        if not line.strip():
            continue
        j = json.loads(line)
        answers[j["id"]] = j
    filed = {}  # doc id -> by ids
    for y in years:
        for hit in answers["year/%d" % y].get("results", []):
            filed[hit["id"]] = hit.get("by", [])

    wrong_state, wrong_code, wrong_name, unknown = [], [], [], []
    for path, code, session, y in files:
        doc = "UNGDC_%s_%s_%d" % (code, session, y)
        want = expected(rows, code, y)
        if want is None:
            unknown.append(doc)
            continue
        got = filed.get(doc)
        if got != [want]:
            wrong_state.append("%s: filed as %s, the state in force is %s" % (doc, got, want))
        by_code = answers.get("code/%s/%d" % (code, y), {})
        ids = {h["id"] for h in by_code.get("results", [])}
        others = [h["id"] for h in by_code.get("results", []) if not h["id"].startswith("UNGDC_%s_" % code)]
        if doc not in ids or others:
            wrong_code.append("%s: by:%s published:%d gives %s" % (doc, code, y, sorted(ids)[:5]))
        by_name = answers.get("name/%s/%d" % (code, y), {})
        if doc not in {h["id"] for h in by_name.get("results", [])}:
            wrong_name.append('%s: by:"%s" published:%d misses it' % (doc, actors[want][0], y))

    # 3. Anachronistic tags: actor facets year by year.
    before, after, after_linked, xi = {}, {}, {}, 0
    # 4. Speaker labels that start with a word of speakers.xml's <function> list ("As", "the", "His").
    with open(os.path.join(ROOT, "schemas", "speakers.xml"), encoding="utf-8") as f:
        function_words = set(re.findall(r"<function>([^<]+)</function>", f.read()))
    speakers, bad_speakers = set(), {}
    for y in years:
        j = json.loads(run([a.quire, "facets", "--db", db, "--json", "--facets", "actor,speaker", "--facet-limit",
                            "10000", "published:%d" % y]))
        for f in j["facets"].get("speaker", []):
            speakers.add(f["label"])
            words = f["label"].split()
            if words and words[0].lower().strip(".,") in function_words:
                bad_speakers[f["label"]] = bad_speakers.get(f["label"], 0) + f["passages"]
        for f in j["facets"].get("actor", []):
            info = actors.get(f["id"])
            if not info:
                continue
            name, lo, hi, linked, kind = info
            if kind not in ("state", "territory", "organisation", "person"):
                continue
            if lo and y < lo:
                before[(f["id"], y)] = f["passages"]
            elif hi and y > hi:
                (after_linked if linked else after)[(f["id"], y)] = f["passages"]
            if f["id"] == "xi-jinping" and y < 2012:
                xi += f["passages"]

    n = len(files)
    print("UNGDC identity: %d speeches, %d (code, year) pairs, %d years" % (n, len(pairs), len(years)))
    print("filed under the state in force: %d of %d" % (n - len(wrong_state) - len(unknown), n))
    print("by:CODE published:YEAR gives the speech and only that code's: %d of %d" % (n - len(wrong_code), n))
    print("by:\"NAME OF THE STATE IN FORCE\" published:YEAR gives the speech: %d of %d" % (n - len(wrong_name), n))
    print("codes with no expected state (states_in_force.tsv): %d" % len(unknown))
    print("anachronistic tags, before the actor existed: %d passages (%d actor-years)" %
          (sum(before.values()), len(before)))
    print("anachronistic tags, after it ceased, no successor link: %d passages (%d actor-years)" %
          (sum(after.values()), len(after)))
    print("tags after it ceased through a documented predecessor link (allowed): %d passages (%d actor-years)" %
          (sum(after_linked.values()), len(after_linked)))
    print("passages before 2012 tagged Xi Jinping: %d" % xi)
    print("speaker labels starting with a function word: %d of %d labels (%d passages)" %
          (len(bad_speakers), len(speakers), sum(bad_speakers.values())))
    for title, items in (("filed wrong", wrong_state), ("by:CODE wrong", wrong_code), ("by:NAME wrong", wrong_name),
                         ("no expectation", unknown)):
        for line in items[:a.details]:
            print("  %s: %s" % (title, line))
    for title, d in (("before existence", before), ("after cessation", after), ("speaker label", bad_speakers)):
        for key, c in sorted(d.items(), key=lambda kv: -kv[1])[:a.details]:
            print("  %s: %s (%d passages)" % (title, key if isinstance(key, str) else "%s in %d" % key, c))
    ok = not (wrong_state or wrong_code or wrong_name or unknown or before or after or xi or bad_speakers)
    if a.ci:
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
