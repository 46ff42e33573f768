#!/usr/bin/env bash
# The ranking table in benchmarks/README.md: quire, plain Xapian and SQLite FTS5 on BEIR SciFact (train
# judgments) and the seven classic collections, all measured in this one run.
# Usage: benchmarks/ranking.sh [SHARED_DATA_DIR]   (default ../shared/data)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-$here/../../shared/data}
echo "| collection | quire nDCG@10 | plain Xapian | FTS5 | quire MAP | plain Xapian | FTS5 | quire R@100 | plain Xapian | FTS5 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
row() {
  local name=$1 out
  shift
  out=$(PEERS=1 "$@" 2>/dev/null | tail -3)
  python3 - "$name" "$out" <<'PY'
import sys
name, out = sys.argv[1], sys.argv[2].splitlines()
vals = {}
for line in out:
    label, rest = line.split(":", 1)
    nums = [w for w in rest.split() if w[0].isdigit()]
    vals["xapian" if label == "plain-xapian" else "fts5" if label == "fts5" else "quire"] = nums
q, x, f = vals["quire"], vals["xapian"], vals["fts5"]
print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (name, q[0], x[0], f[0], q[1], x[1], f[1], q[2], x[2], f[2]))
PY
}
row "scifact (train)" "$here/beir.sh" "$data/beir-scifact" train
for c in cisi cran med cacm adi npl lisa; do
  IR_COLLECTIONS=$data/ir-collections row "$c" "$here/classic.sh" "$c"
done
