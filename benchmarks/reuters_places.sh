#!/usr/bin/env bash
# Actor tagging against Reuters-21578 PLACES labels: benchmarks/reuters_places.sh DIR
# (DIR as in ../shared/data/reuters21578). Needs build/quire and python3; see reuters_places.py.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benchmarks/reuters_places.sh DIR [--per-code N]" >&2; exit 2; }
exec python3 "$(dirname "$0")/reuters_places.py" "$@"
