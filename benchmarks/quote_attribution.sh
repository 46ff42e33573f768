#!/usr/bin/env bash
# Quotation and speaker attribution against PolNeAR's human labels: benchmarks/quote_attribution.sh DIR
# (DIR as in ../shared/data/quotes: text/ and attributions/). Needs build/quire and python3; see
# quote_attribution.py and benchmarks/README.md for how a quote and a speaker are matched.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benchmarks/quote_attribution.sh DIR [--part all|tune|holdout] [--errors N]" >&2; exit 2; }
exec python3 "$(dirname "$0")/quote_attribution.py" "$@"
