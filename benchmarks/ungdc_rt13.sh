#!/usr/bin/env bash
# The rt13 rows 15, 16, 35 and 46 counted on a UNGDC index (docs/red-team/2026-12-01-tagging-rt13.md):
#   benchmarks/ungdc_rt13.sh INDEX [QUIRE]
# INDEX as `quire index --metadata benchmarks/ungdc/metadata.xml` builds it (ungdc_identity.sh --work
# keeps one). Prints one count per line; see benchmarks/README.md for the figures.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benchmarks/ungdc_rt13.sh INDEX [QUIRE]" >&2; exit 2; }
db="$1"
quire="${2:-$(dirname "$0")/../build/quire}"
total() { "$quire" search --db "$db" --passages --exact --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
for q in 'speaker:Hammarskjold' 'speaker:"Dag Hammarskjöld"' 'speaker:Allah' '"resolution 1514"' \
  '"resolution 1514" mentions:1514' 'mentions:1000..1599' '"Guinea-Bissau" actor:guinea NOT Conakry' \
  'Guinean actor:guinea by:GNB' 'Guinean actor:guinea-bissau by:GNB' 'Guinean actor:guinea by:GIN'; do
  printf '%s\t%s\n' "$(total "$q")" "$q"
done
"$quire" facets --db "$db" --json --facets speaker --facet-limit 10000 | python3 -c '
import json, sys
keys = [v for v in json.load(sys.stdin)["facets"]["speaker"] if "hammarskj" in v["id"] or "haramarskj" in v["id"]]
print("%d\tspeaker keys for Hammarskjold: %s" % (len(keys), ", ".join("%s %d" % (v["id"], v["passages"]) for v in keys)))'
