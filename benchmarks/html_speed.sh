#!/usr/bin/env bash
# HTML extraction throughput on one core: libxml2's bare parse beside quire's HTML reader (parse, main
# content, metadata) on the same pages of the article-extraction benchmark, in one run (peers/html_speed.cc).
# usage: benchmarks/html_speed.sh [DIR] [ROUNDS]   (BUILD=build folder, default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../shared/data/html-extraction}
rounds=${2:-3}
bin=${BUILD:-$here/../build}/benchmarks/html-speed
[ -d "$dir/html" ] || { echo "html_speed.sh: no pages in $dir/html" >&2; exit 2; }
[ -x "$bin" ] || { echo "html_speed.sh: build html-speed first (cmake --build build --target html-speed)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/quire-html-speed-XXXXXX")
trap 'rm -rf "$work"' EXIT
for gz in "$dir"/html/*.html.gz; do gzip -dc "$gz" > "$work/$(basename "$gz" .gz)"; done
echo "$(ls "$work" | wc -l) pages, $(du -sm "$work" | cut -f1) MB, $rounds rounds, one core ($(nproc) online)"
taskset -c 0 "$bin" --rounds "$rounds" "$work"/*.html
