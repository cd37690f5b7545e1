#!/usr/bin/env bash
# Set up khplan, then extract every plan of the bundled corpus (TXT, DOCX and PDF renderings) into out/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf out/corpus
.venv/bin/khplan extract corpus/seeds/*.txt corpus/seeds/*.docx corpus/seeds/*.pdf -o out/corpus --pretty
echo "khplan: $(ls out/corpus | wc -l) results in $(pwd)/out/corpus/"
