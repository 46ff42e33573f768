#!/usr/bin/env bash
# Crash safety at length: benchmarks/kill_loop.sh [LOOPS] [SEED]
# Runs the crash test of tests/cli/test_crash.cc with LOOPS loops (default 1000). Each loop kills
# `quire index` (commits every 20 passages) twice at random moments with SIGKILL, checks that the index
# opens and passes xapian-check, re-runs it to the end and compares its passages (ids and stored data,
# `quire info --digest`) with a clean run's. Prints the loop count, how many kills landed mid-run and
# the number of losses (indexes that differ from the clean run; the goal is 0).
# Needs build/tests/cli_tests (BUILD=DIR for another build folder; do not rebuild it while the loop
# runs) and xapian-check (xapian-tools). About a second and a half per loop on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
loops=${1:-1000}
export QUIRE_KILL_LOOPS=$loops
[ -n "${2:-}" ] && export QUIRE_KILL_SEED=$2
build=${BUILD:-$here/../build}
out=$("$build/tests/cli_tests" "SIGKILL at random moments loses nothing" 2>&1) || { echo "$out" | tail -40; exit 1; }
echo "$out" | grep -A1 "kill loop:" | tr -s ' \n' ' ' | sed 's/^ *//'
echo
