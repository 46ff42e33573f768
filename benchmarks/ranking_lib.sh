# Shared by beir.sh, classic.sh and ranking.sh: import a test collection, run its queries through
# quire batch (and, when asked, the plain-Xapian and SQLite FTS5 peers), score with quire eval.
# Sourced, not run. Expects QUIRE (the quire binary) and WORK (a scratch folder) to be set.

# import_collection FORMAT DIR [SPLIT]: index into $WORK/index; queries, judgments and documents beside it.
import_collection() {
  local split=()
  [ -n "${3:-}" ] && split=(--split "$3")
  # quire refuses to replace an existing output: these are this script's own files from a run before.
  rm -f "$WORK/queries.tsv" "$WORK/qrels" "$WORK/docs.jsonl"
  "$QUIRE" import "$1" "$2" "${split[@]}" --rebuild --db "$WORK/index" --queries "$WORK/queries.tsv" \
    --qrels "$WORK/qrels" --documents "$WORK/docs.jsonl" >&2
}

# measures RUN QRELS: prints "ndcg@10 map recall@100" to four decimals.
measures() {
  "$QUIRE" eval --json "$1" "$2" |
    python3 -c 'import json,sys; a=json.load(sys.stdin)["all"]; print("%.4f %.4f %.4f" % (a["ndcg@10"], a["map"], a["recall@100"]))'
}

# run_quire RUNFILE [quire batch options...]: quire's default ranking, top 1000 per query.
run_quire() {
  local run=$1
  shift
  "$QUIRE" batch --db "$WORK/index" --format trec --limit 1000 --plain "$@" "$WORK/queries.tsv" > "$run"
}

# run_peers: $WORK/xapian.run and $WORK/fts5.run over the same documents and queries.
run_peers() {
  local here
  here=$(dirname "${BASH_SOURCE[0]}")
  "$XAPIAN_PLAIN" index "$WORK/xapian" "$WORK/docs.jsonl" 2>/dev/null
  "$XAPIAN_PLAIN" search "$WORK/xapian" "$WORK/queries.tsv" 1000 > "$WORK/xapian.run"
  python3 "$here/peers/fts5_run.py" "$WORK/docs.jsonl" "$WORK/queries.tsv" 1000 > "$WORK/fts5.run"
}
