#!/usr/bin/env bash
# Ranking quality on a BEIR collection: benchmarks/beir.sh DIR SPLIT [RUNFILE]
# Indexes DIR/corpus.jsonl with quire, runs the queries judged in DIR/qrels/SPLIT.tsv through
# quire batch, scores the run with quire eval, and writes the run to RUNFILE when given.
# Last line: "beir: ndcg@10 X map Y recall@100 Z". Set PEERS=1 to also print plain Xapian's and
# SQLite FTS5's figures on the same documents and queries (lines before the last).
# Needs build/quire (QUIRE= to use another), python3, and for PEERS build/benchmarks/xapian-plain.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: benchmarks/beir.sh DIR SPLIT [RUNFILE]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
QUIRE=${QUIRE:-$here/../build/quire}
XAPIAN_PLAIN=${XAPIAN_PLAIN:-$here/../build/benchmarks/xapian-plain}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. "$here/ranking_lib.sh"

dir=$1 split=$2 qrels="$1/qrels/$2.tsv"
import_collection beir "$dir" "$split"
run_quire "$WORK/quire.run"
if [ "${PEERS:-0}" = 1 ]; then
  run_peers
  echo "plain-xapian: ndcg@10 map recall@100 $(measures "$WORK/xapian.run" "$qrels")"
  echo "fts5: ndcg@10 map recall@100 $(measures "$WORK/fts5.run" "$qrels")"
fi
[ -n "${3:-}" ] && cp "$WORK/quire.run" "$3"
read -r ndcg map recall < <(measures "$WORK/quire.run" "$qrels")
echo "beir: ndcg@10 $ndcg map $map recall@100 $recall"
