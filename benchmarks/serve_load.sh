#!/usr/bin/env bash
# quire serve under load, on the 2,000-speech UNGDC index (see ungdc.py for the subset):
#  1. wrk, 16 connections for 30 s, against /api/search with 240 generated queries (ungdc.py's, fixed
#     seed, in documents mode, top 10): throughput and p50/p95/p99 latency; the peer in the same run is
#     the same queries through `quire batch --threads 2` (no HTTP), as queries per second;
#  2. serve_idle.py: 200 idle keep-alive connections held open, then the delay of a new request; and,
#     for comparison, 8 idle connections against a server limited to 8 connection threads
#     (--max-connections 8, what a fixed cpp-httplib pool on this machine has).
#
# usage: benchmarks/serve_load.sh [WORK]   (default /tmp/quire-serve-load; reuses WORK/index if there)
# env: QUIRE (build/quire), DATA (../shared/data/ungdc), DURATION (30), CONNECTIONS (16)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
quire=${QUIRE:-$here/../build/quire}
data=${DATA:-$here/../../shared/data/ungdc}
work=${1:-/tmp/quire-serve-load}
duration=${DURATION:-30}
connections=${CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "serve_load: needs wrk (scripts/install-deps)" >&2; exit 1; }
mkdir -p "$work"

if [ ! -d "$work/index" ]; then
  echo "serve_load: unpacking and indexing 2,000 speeches into $work/index"
  rm -rf "$work/TXT" "$work/speeches"
  tar -xJf "$data/ungdc-txt.tar.xz" -C "$work"
  mkdir "$work/speeches"
  find "$work/TXT" -name '*.txt' | LC_ALL=C sort | head -2000 | while read -r f; do ln "$f" "$work/speeches/"; done
  cp "$here/ungdc/metadata.xml" "$data/speakers_by_session.tsv" "$work/"
  "$quire" index --db "$work/index" --metadata "$work/metadata.xml" "$work/speeches" | tail -1
  rm -rf "$work/TXT"
fi

# The queries: as URL paths for wrk, as JSON Lines for quire batch.
python3 - "$here" "$work" <<'PY'
import json, sys, urllib.parse
sys.path.insert(0, sys.argv[1])
import ungdc
years = set(range(1946, 2024))
with open(sys.argv[2] + "/paths.txt", "w") as paths, open(sys.argv[2] + "/queries.jsonl", "w") as jl:
    for q in ungdc.make_queries(240, years):
        params = [("q", q["text"])]
        filters = {}
        if "by" in q:
            params.append(("by", q["by"])); filters["by"] = q["by"]
        if "from" in q:
            params.append(("published", "%d..%d" % (q["from"], q["to"]))); filters["published"] = "%d..%d" % (q["from"], q["to"])
        paths.write("/api/search?" + urllib.parse.urlencode(params) + "\n")
        jl.write(json.dumps({"id": q["id"], "query": q["text"], "filters": filters}) + "\n")
PY

serve() {  # serve EXTRA... ; sets pid and port
  "$quire" serve --db "$work/index" --port 0 "$@" 2> "$work/serve.log" &
  pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/.*at http:\/\/[^ ]*:\([0-9]*\)\/.*/\1/p' "$work/serve.log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "serve_load: quire serve did not start: $(cat "$work/serve.log")" >&2
  exit 1
}
stop() { kill -TERM "$pid"; wait "$pid" || true; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== peer: quire batch --threads 2, the same 240 queries x 4"
for _ in 1 2 3 4; do cat "$work/queries.jsonl"; done > "$work/queries4.jsonl"
start=$(date +%s.%N)
"$quire" batch --db "$work/index" --threads 2 "$work/queries4.jsonl" > /dev/null
end=$(date +%s.%N)
python3 -c "print('RESULT batch queries=960 seconds=%.2f qps=%.1f' % ($end - $start, 960 / ($end - $start)))"

echo "== wrk: $connections connections, ${duration}s, /api/search"
serve
curl -s -o /dev/null -w 'warm-up %{http_code}\n' "http://127.0.0.1:$port$(head -1 "$work/paths.txt")"
QUIRE_PATHS="$work/paths.txt" wrk -t2 -c"$connections" -d"${duration}s" -s "$here/serve_load.lua" \
  "http://127.0.0.1:$port" | grep -E "RESULT|Non-2xx|Socket errors" || true

echo "== 200 idle keep-alive connections, then new requests (default settings)"
python3 "$here/serve_idle.py" "$port" --idle 200 --tries 20 || echo "serve_load: worst delay over 50 ms"
stop

echo "== for comparison: 8 idle connections against --max-connections 8 (a fixed pool of 8 threads)"
serve --max-connections 8
python3 "$here/serve_idle.py" "$port" --idle 8 --tries 3 --max-ms 100000 || true
stop
