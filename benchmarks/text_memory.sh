#!/usr/bin/env bash
# Peak memory of reading one plain-text file, per MB of input, for the shapes of text users have: prose
# (UNGDC speeches), log-like short lines, one-letter lines (the worst case for the cleaner: a line's
# record costs most against its bytes) and one line of quotes of distinct made-up words (the worst case
# for the index: every word is new to the spelling table, rt11j row 2). quire's `convert --text` and `index` beside SQLite FTS5 storing the same file
# as one row, in the same run. Peak RSS is GNU time's %M.
# usage: benchmarks/text_memory.sh [MB]   (default 10; BUILD=build folder, default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mb=${1:-10}
quire=${BUILD:-$here/../build}/quire
ungdc=$here/../../shared/data/ungdc/ungdc-txt.tar.xz
[ -x "$quire" ] || { echo "text_memory.sh: build quire first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "text_memory.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/quire-text-memory-XXXXXX")
trap 'rm -rf "$work"' EXIT
bytes=$((mb * 1000000))
mkdir -p "$work/prose" "$work/log" "$work/letters" "$work/quotes"
{ tar xOf "$ungdc" --wildcards "TXT/Session 6*" || true; } | head -c "$bytes" > "$work/prose/prose.txt"
python3 -c "import sys
n=int(sys.argv[1]); out=[]; size=0; i=0
while size < n:
    line='row %d value %d ok\n' % (i, i * 7); out.append(line); size += len(line); i += 1
open(sys.argv[2], 'w').write(''.join(out))" "$bytes" "$work/log/log.txt"
python3 -c "import sys; open(sys.argv[2], 'w').write('a\n' * (int(sys.argv[1]) // 2))" "$bytes" "$work/letters/letters.txt"
python3 -c "import sys
syl = 'ka lo mi ra tu ne so vi da pe'.split()
def word(i):
    s = ''
    while True:
        s += syl[i % 10]; i //= 10
        if i == 0: return s
n = int(sys.argv[1]); out = []; size = 0; i = 0
while size < n:
    q = 'Minister Jane Doe said \u201c%s %s %s %s\u201d and ' % tuple(word(4 * i + k) for k in range(4))
    out.append(q); size += len(q.encode()); i += 1
open(sys.argv[2], 'wb').write(''.join(out).encode()[:n])" "$bytes" "$work/quotes/quotes.txt"
peak() { /usr/bin/time -f '%M' -o "$work/time" "$@" > /dev/null 2>&1 || true; cat "$work/time" | tail -1; }
printf '%-8s %8s %14s %14s %14s\n' shape MB 'convert MB/MB' 'index MB/MB' 'FTS5 MB/MB'
for shape in prose log letters quotes; do
  f=$(ls "$work/$shape"/*.txt)
  size=$(stat -c %s "$f")
  c=$(peak "$quire" convert --text "$f")
  i=$(peak "$quire" index --threads 1 --db "$work/idx-$shape" "$work/$shape")
  s=$(peak python3 -c "import sqlite3, sys
db = sqlite3.connect(sys.argv[2]); db.execute('create virtual table t using fts5(body)')
db.execute('insert into t values (?)', (open(sys.argv[1]).read(),)); db.commit()" "$f" "$work/fts-$shape.db")
  awk -v s="$shape" -v b="$size" -v c="$c" -v i="$i" -v f="$s" \
    'BEGIN { m = b / 1048576; printf "%-8s %8.1f %14.1f %14.1f %14.1f\n", s, m, c / 1024 / m, i / 1024 / m, f / 1024 / m }'
done
