#!/usr/bin/env bash
# Crash safety at length: benchmarks/kill_loop.sh [LOOPS] [SEED] [OPS]
# OPS is a comma-separated list (default index,index-shards,rebuild,prune,refresh); each gets LOOPS loops (default
# 1000) of the kill loop in tests/cli/test_data_loss.cc, on a library of 20 small text files with two
# saved collections:
#   index    `quire index` over 4 changed and 2 new files (commits every 10 passages)
#   index-shards  the same into an index of two shards (`quire index --shards 2`), whose commits span both
#   rebuild  `quire index --rebuild` of the same changes
#   prune    `quire index --prune` after 4 files were deleted
#   refresh  `quire collection refresh` after files changed
# Each loop copies the library, starts the operation, SIGKILLs it at a random moment (up to 1.2 times a
# clean run), then checks what a reader finds before any recovery: the index passes xapian-check and
# its passages and collections are exactly those before or after the operation (for index, which
# commits several times: the collections are intact); then it re-runs the operation (or, for refresh,
# changes the collection again) and checks the result equals a clean run's, with no folder or marker
# left over. A loss is a loop where any check failed; the goal is 0.
#   index-large  the original loop of tests/cli/test_crash.cc: 150 files, killed twice per loop.
# Needs build/tests/cli_tests (BUILD=DIR for another build folder; do not rebuild it while the loop
# runs) and xapian-check (xapian-tools). About 0.3 s per loop on 2 idle cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
loops=${1:-1000}
ops=${3:-index,index-shards,rebuild,prune,refresh}
export QUIRE_KILL_LOOPS=$loops
[ -n "${2:-}" ] && export QUIRE_KILL_SEED=$2
build=${BUILD:-$here/../build}
status=0
IFS=, read -ra list <<< "$ops"
for op in "${list[@]}"; do
  if [ "$op" = index-large ]; then
    out=$("$build/tests/cli_tests" "SIGKILL at random moments loses nothing" 2>&1) || status=1
    echo "index-large: $(echo "$out" | grep -A1 "kill loop:" | tr -s ' \n' ' ' | sed 's/^ *//' || true)"
  else
    out=$(QUIRE_KILL_OPS=$op "$build/tests/cli_tests" "[kill-loop]" 2>&1) || status=1
    echo "$out" | grep -A2 "kill loop $op:" | tr -s ' \n' ' ' | sed 's/^ *//' || true
    echo
  fi
  [ $status -eq 0 ] || { echo "$out" | grep -B2 -A8 FAILED | head -40 || true; }
done
exit $status
