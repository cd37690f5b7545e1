#!/usr/bin/env bash
# Set up khplan, then run the main job on the bundled corpus (TXT, DOCX and PDF renderings of the seeds and the
# cases): the JSON extraction of every plan, an HTML report per plan, one CSV of all findings, the archive of all
# plans and its targets as XLSX, under out/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf out/corpus
plans=(corpus/seeds/*.txt corpus/seeds/*.docx corpus/seeds/*.pdf corpus/cases/*.txt)
.venv/bin/khplan extract "${plans[@]}" -o out/corpus/json --pretty
.venv/bin/khplan check "${plans[@]}" --format html -o out/corpus/reports --csv out/corpus/findings.csv
.venv/bin/khplan batch "${plans[@]}" --db out/corpus/plans.db
.venv/bin/khplan export --db out/corpus/plans.db --what targets -o out/corpus/targets.xlsx
echo "khplan: results in $(pwd)/out/corpus/ (json/: one extraction per plan, reports/: HTML reports, findings.csv,"
echo "        plans.db: the searchable archive (khplan search \"hộ nghèo\" --db out/corpus/plans.db), targets.xlsx)"
