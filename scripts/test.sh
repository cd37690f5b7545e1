#!/usr/bin/env bash
# Set up khplan, then run the linters and the whole test suite (slow suites included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -n 2 "$@"
