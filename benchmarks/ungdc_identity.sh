#!/usr/bin/env bash
# Who is who, when, on the whole UN General Debate Corpus: benchmarks/ungdc_identity.sh [DATA_DIR]
# (DATA_DIR as in ../shared/data/ungdc). Needs build/quire, python3, tar and xz; see ungdc_identity.py.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-$here/../../shared/data/ungdc}"
[ $# -ge 1 ] && shift
exec python3 "$here/ungdc_identity.py" --data "$data" "$@"
