#!/usr/bin/env bash
# Fuzzing: builds fuzz/'s libFuzzer programs with clang, ASan and UBSan (build-fuzz/), then runs each
# target for FUZZ_SECONDS (default 600) from a seed corpus of the bundled documents and queries.
# Usage: [FUZZ_SECONDS=N] benchmarks/fuzz.sh [TARGET...]   (targets: text_reader xml_reader html_reader office_reader dates quotes query)
# A crash stops with the input saved as build-fuzz/crash-TARGET-*; copy it into fuzz/regressions/TARGET/
# so the unit tests replay it for ever, and fix the bug. Prints one line per target: runs and result.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(text_reader xml_reader html_reader office_reader dates quotes query)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DQUIRE_FUZZ=ON -DQUIRE_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build-fuzz -j2 > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  seeds="$work/$t"
  mkdir -p "$seeds"
  cp fuzz/regressions/"$t"/* "$seeds"/ 2>/dev/null || true
  case $t in
    xml_reader) cp corpus/*.xml "$seeds"/ ;;
    html_reader) cp tests/data/html/*.html "$seeds"/ ;;
    office_reader) cp tests/data/office/* "$seeds"/ ;;
    query) sed -n 's/^[^\t]*\t//p' tests/data/quotes.tsv | head -20 | split -l 1 - "$seeds/q" ;;
    *) for f in corpus/*.xml; do head -c 4000 "$f" > "$seeds/$(basename "$f")"; done ;;
  esac
  log="$work/$t.log"
  if build-fuzz/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len=8192 -timeout=30 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/crash-$t-" "$seeds" > "$log" 2>&1; then
    echo "fuzz $t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log"), no crash"
  else
    echo "fuzz $t: FAILED"
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
    status=1
  fi
done
exit $status
