#!/usr/bin/env bash
# Word precision, recall and F1 of `quire convert --text` against reference texts, side by side with
# pdftotext on the same PDFs in the same run (see pdf_extraction.py).
# Usage: benchmarks/pdf_extraction.sh [DIR]   (default ../shared/data/pdf-reftext; QUIRE=path/to/quire)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../shared/data/pdf-reftext}
command -v pdftotext >/dev/null || { echo "pdf_extraction: pdftotext (poppler-utils) is not installed" >&2; exit 1; }
exec python3 "$here/pdf_extraction.py" --quire "${QUIRE:-$here/../build/quire}" "$dir"
