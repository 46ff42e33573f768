#!/usr/bin/env bash
# Scores quire's HTML main-content extraction on the ScrapingHub article-extraction benchmark
# (../shared/data/html-extraction: pages and their hand-made article text; README there gives the
# metric, which benchmarks/html_extraction.py implements). Runs `quire convert --text` on every page and
# prints the score of the tuning pages (ids 0-b), of the held-out pages (ids c-f), and last, of all pages:
#   html: precision P recall R f1 F
# usage: benchmarks/html_extraction.sh [DIR]   (QUIRE=path/to/quire, WORST=N lists the N worst tuning
# pages, MIN_F1=F exits 1 when the F1 of all pages is below F, as the ctest does)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../shared/data/html-extraction}
quire=${QUIRE:-$here/../build/quire}
[ -f "$dir/ground-truth.json" ] && [ -d "$dir/html" ] || { echo "html_extraction.sh: no benchmark in $dir (skipped)" >&2; exit 77; }
[ -x "$quire" ] || { echo "html_extraction.sh: no quire binary at $quire (build first, or set QUIRE)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/quire-html-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pages" "$work/pred"
for gz in "$dir"/html/*.html.gz; do
  id=$(basename "$gz" .html.gz)
  gzip -dc "$gz" > "$work/pages/$id.html"
  # A page quire refuses (no text) scores as empty text, as the benchmark counts it.
  "$quire" convert --text "$work/pages/$id.html" > "$work/pred/$id.txt" 2> "$work/pred/$id.err" || true
done
py=python3
"$py" "$here/html_extraction.py" "$dir/ground-truth.json" "$work/pred" --split tune --worst "${WORST:-0}" \
  --label "html (tuning pages, ids 0-b)"
"$py" "$here/html_extraction.py" "$dir/ground-truth.json" "$work/pred" --split held-out \
  --label "html (held-out pages, ids c-f)"
line=$("$py" "$here/html_extraction.py" "$dir/ground-truth.json" "$work/pred")
echo "$line"
if [ -n "${MIN_F1:-}" ]; then
  f1=${line##* }
  "$py" -c "import sys; sys.exit(0 if float('$f1') >= float('$MIN_F1') else 1)" ||
    { echo "html_extraction.sh: f1 $f1 is below the floor $MIN_F1" >&2; exit 1; }
fi
