"""Render the `khplan check` HTML report of a plan to a PNG with headless Chromium, to look at it.

Outside the test command (it needs Debian's `chromium`: `apt-get install -y chromium`). Offline: the page has
no external asset and Chromium is started with its background networking off.

    .venv/bin/python scripts/render_report_png.py corpus/seeds/001_1747db98b33217c6.txt -o /tmp/001.png
    .venv/bin/python scripts/render_report_png.py report.html -o report.png --height 6000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # needed when run as root, as in the project's container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def find_chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("chromium not found: apt-get install -y chromium")


def report_html(path: Path, lang: str) -> Path:
    """The HTML page to render: ``path`` itself when it is one, else the check report of the plan."""
    if path.suffix.lower() in (".html", ".htm"):
        return path
    from extractor import extract_document
    from extractor.output.report_html import html_report

    document = extract_document(path)
    page = Path(tempfile.mkdtemp(prefix="khplan-report-")) / f"{path.name}.html"
    page.write_text(html_report(document, lang), encoding="utf-8")  # type: ignore[arg-type]
    print(f"{path}: {len(document.findings)} findings, {len(document.tables)} tables -> {page}")
    return page


def render_png(page: Path, out: Path, width: int, height: int) -> None:
    """Screenshot ``page`` at ``width`` × ``height`` CSS pixels into ``out``."""
    with tempfile.TemporaryDirectory(prefix="khplan-chromium-") as profile:
        command = [
            find_chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={out.resolve()}",
            f"--window-size={width},{height}",
            page.resolve().as_uri(),
        ]
        environment = {**os.environ, "HOME": profile}
        subprocess.run(command, check=True, capture_output=True, timeout=120, env=environment)
    if not out.exists():
        raise SystemExit(f"chromium wrote no {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path, help="a plan (TXT, DOCX, PDF, …) or an HTML report")
    parser.add_argument(
        "-o", "--output", type=Path, help="PNG to write (default: FILE.png beside the report)"
    )
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args(argv)
    page = report_html(args.file, args.lang)
    out = args.output or page.with_suffix(".png")
    render_png(page, out, args.width, args.height)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
