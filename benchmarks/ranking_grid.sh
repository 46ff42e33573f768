#!/usr/bin/env bash
# Ranking settings side by side (issue 17): each collection of benchmarks/ranking.sh imported once, the
# peers run once, then quire batch once per setting, each given as a label and its options; several quire
# binaries can be compared (label=/path/to/quire:options). Prints one Markdown table of nDCG@10 / MAP.
# Usage: benchmarks/ranking_grid.sh [--data DIR] [--work DIR] 'LABEL[=QUIRE]:OPTIONS' ...
#   e.g. benchmarks/ranking_grid.sh 'default:' 'k3 1:--k3 1' 'main=/tmp/main/quire:'
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../../shared/data
WORK=$(mktemp -d)
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --data) data=$2; shift 2 ;;
    --work) WORK=$2; keep=1; mkdir -p "$WORK"; shift 2 ;;
    *) break ;;
  esac
done
[ "$keep" = 1 ] || trap 'rm -rf "$WORK"' EXIT
QUIRE=${QUIRE:-$here/../build/quire}
XAPIAN_PLAIN=${XAPIAN_PLAIN:-$here/../build/benchmarks/xapian-plain}
. "$here/ranking_lib.sh"
collections="scifact cisi cran med cacm adi npl lisa"
base=$WORK
for c in $collections; do
  WORK=$base/$c
  mkdir -p "$WORK"
  if [ ! -e "$WORK/ready" ]; then
    if [ "$c" = scifact ]; then
      import_collection beir "$data/beir-scifact" train
      cp "$data/beir-scifact/qrels/train.tsv" "$WORK/qrels"
    else
      import_collection "$c" "$data/ir-collections/$c"
    fi
    run_peers
    touch "$WORK/ready"
  fi
done
header="| setting |"
rule="|---|"
for c in $collections; do header+=" $c |"; rule+="---|"; done
echo "$header"
echo "$rule"
row() {
  local label=$1 line="| $1 |"
  shift
  for c in $collections; do
    WORK=$base/$c
    "$@" "$WORK"
    read -r ndcg map _ < <(measures "$WORK/run" "$WORK/qrels")
    line+=" $ndcg/$map |"
  done
  echo "$line"
}
peer() { cp "$1/$peer_run" "$1/run"; }
peer_run=xapian.run row "plain Xapian" peer
peer_run=fts5.run row "FTS5" peer
for setting in "$@"; do
  label=${setting%%:*}
  opts=${setting#*:}
  bin=$QUIRE
  if [[ $label == *=* ]]; then bin=${label#*=}; label=${label%%=*}; fi
  # shellcheck disable=SC2086
  quire_run() { QUIRE=$bin run_quire "$1/run" $opts; }
  row "$label" quire_run
done
