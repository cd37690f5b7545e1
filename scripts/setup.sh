#!/usr/bin/env bash
# Set up khplan on a fresh Debian/Ubuntu machine: the system packages it needs (installed only when missing),
# a virtual environment in .venv, and the project with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || missing+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
# LibreOffice converts the .doc/.rtf/.odt files offices still send, and renders the corpus.
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
# Fonts with Vietnamese glyphs (ơ, ư, ạ …) for LibreOffice's PDF renderings of the corpus: Liberation 2.
[ -e /usr/share/fonts/truetype/liberation2 ] || missing+=(fonts-liberation2)
# Tesseract and its Vietnamese data read scanned PDFs and page images (OCR); nothing is downloaded at run time.
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
compgen -G "/usr/share/tesseract-ocr/*/tessdata/vie.traineddata" >/dev/null || missing+=(tesseract-ocr-vie)
# Headless Chromium and its driver run the browser test of `khplan serve` (tests/test_web_browser.py).
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if ((${#missing[@]})); then
  echo "khplan setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "khplan setup: Python 3.11 or newer is needed (found $(python3 --version))" >&2
  exit 1
}

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
echo "khplan setup: ready (.venv/bin/khplan)" >&2
