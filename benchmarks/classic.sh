#!/usr/bin/env bash
# Ranking quality on a classic test collection: benchmarks/classic.sh NAME [RUNFILE]
# NAME is cisi, cran, med, cacm, adi, npl or lisa, read from ${IR_COLLECTIONS:-../shared/data/ir-collections}/NAME.
# Last line: "NAME: ndcg@10 X map Y recall@100 Z". PEERS=1 adds plain Xapian's and SQLite FTS5's lines.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benchmarks/classic.sh cisi|cran|med|cacm|adi|npl|lisa [RUNFILE]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
QUIRE=${QUIRE:-$here/../build/quire}
XAPIAN_PLAIN=${XAPIAN_PLAIN:-$here/../build/benchmarks/xapian-plain}
collections=${IR_COLLECTIONS:-$here/../../shared/data/ir-collections}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. "$here/ranking_lib.sh"

name=$1
import_collection "$name" "$collections/$name"
run_quire "$WORK/quire.run"
if [ "${PEERS:-0}" = 1 ]; then
  run_peers
  echo "plain-xapian: ndcg@10 map recall@100 $(measures "$WORK/xapian.run" "$WORK/qrels")"
  echo "fts5: ndcg@10 map recall@100 $(measures "$WORK/fts5.run" "$WORK/qrels")"
fi
[ -n "${2:-}" ] && cp "$WORK/quire.run" "$2"
read -r ndcg map recall < <(measures "$WORK/quire.run" "$WORK/qrels")
echo "$name: ndcg@10 $ndcg map $map recall@100 $recall"
