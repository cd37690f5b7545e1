"""OCR speed in pages per minute: khplan on the scanned seeds, beside bare Tesseract on the same page images.

Usage: .venv/bin/python bench/ocr_speed.py [--repeat N] [--only STEM] [--lang vie]

The pages are the seeds' clean 300-dpi pages (corpus/scans/pages/*.png, committed; see corpus/scans.py), and
khplan reads the image-only PDFs holding exactly those pixels (``<stem>.scan300.pdf``, built from them into a
temporary folder). Measured in one run, one after another (the machine has two shared cores: nothing else of
this script runs meanwhile), each the best of ``--repeat`` rounds:

- bare Tesseract, one process per page, page after page, single-threaded (``OMP_THREAD_LIMIT=1``), TSV output
  to a temporary file (``tesseract PAGE OUT -l vie tsv``): the floor of any OCR path built on the command;
- bare Tesseract, the same with two processes side by side over the pages: the ceiling for two cores;
- ``khplan extract`` of all the PDFs in one call (``-o`` a folder), with ``--workers 1`` and ``--workers 2``
  when ``khplan extract --help`` lists ``--workers`` (else its default only, and the script says so). Its time
  is the whole command: process start, rendering each page, Tesseract, layout and every later stage;
- once, for scale: ``khplan extract`` of the typed seed PDFs (the same pages with a text layer, no OCR), the
  cost of everything but OCR.

Printed: seconds and pages/min of each, then the ratios: khplan / bare (same number of processes), bare with
two processes / one, khplan with two workers / one. Machines here vary by ±30 % between runs, so compare within
one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ocr_cer import khplan_command, scans_module

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "corpus" / "seeds"
PAGES_DIR = ROOT / "corpus" / "scans" / "pages"


@dataclass
class Timing:
    """One way of reading the pages: its best time, or why it could not run."""

    name: str
    pages: int
    seconds: float | None = None
    error: str | None = None

    @property
    def pages_per_minute(self) -> float | None:
        return self.pages * 60 / self.seconds if self.seconds else None


def khplan_has_workers() -> bool:
    """Whether ``khplan extract --help`` lists a ``--workers`` flag."""
    done = subprocess.run(
        [*khplan_command(), "extract", "--help"], capture_output=True, text=True, timeout=120
    )
    return "--workers" in done.stdout


def single_thread_environment() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def tesseract_tsv(page: Path, out_base: Path, language: str) -> None:
    """One page through bare Tesseract, its TSV written to ``out_base``.tsv."""
    command = ["tesseract", str(page), str(out_base), "-l", language, "tsv"]
    subprocess.run(command, capture_output=True, env=single_thread_environment(), timeout=600, check=True)


def bare_tesseract(pages: list[Path], language: str, processes: int, folder: Path) -> None:
    """Every page through its own Tesseract process, ``processes`` of them at a time."""
    outputs = [folder / f"bare-{index}" for index in range(len(pages))]
    if processes == 1:
        for page, out_base in zip(pages, outputs, strict=True):
            tesseract_tsv(page, out_base, language)
        return
    with ThreadPoolExecutor(max_workers=processes) as pool:
        list(pool.map(lambda job: tesseract_tsv(job[0], job[1], language), zip(pages, outputs, strict=True)))


def khplan_extract(pdfs: list[Path], folder: Path, workers: int | None, language: str) -> None:
    """One ``khplan extract`` of all the PDFs into ``folder``; raises with khplan's reason when a file fails."""
    command = [*khplan_command(), "extract", *map(str, pdfs), "-o", str(folder), "--ocr-lang", language]
    if workers is not None:
        command += ["--workers", str(workers)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise RuntimeError(lines[-1] if lines else f"exit {done.returncode}")
    missing = [pdf.name for pdf in pdfs if not (folder / f"{pdf.name}.json").is_file()]
    if missing:
        raise RuntimeError(f"no result for {', '.join(missing)}")


def best_of(repeat: int, timing: Timing, work: Callable[[], None]) -> None:
    """Run ``work`` ``repeat`` times and keep the fastest (the least disturbed on a shared machine); the first
    failure is kept as the timing's error instead."""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            work()
        except (RuntimeError, subprocess.SubprocessError, OSError) as error:
            timing.error = str(error) or type(error).__name__
            return
        seconds = time.perf_counter() - started
        timing.seconds = seconds if timing.seconds is None else min(timing.seconds, seconds)


def ratio(numerator: Timing, denominator: Timing) -> str:
    """The ratio of two rates in pages/min, or why there is none."""
    if numerator.pages_per_minute is None or denominator.pages_per_minute is None:
        return "n/a"
    return f"{numerator.pages_per_minute / denominator.pages_per_minute:.2f}"


def print_report(timings: list[Timing], repeat: int, workers_note: str | None) -> None:
    by_name = {timing.name: timing for timing in timings}
    print(f"{'reader':40} {'pages':>5} {'seconds':>8} {'pages/min':>9}")
    for timing in timings:
        if timing.seconds is None:
            print(f"{timing.name:40} {timing.pages:5d} {'-':>8} {'-':>9}  failed: {timing.error}")
        else:
            print(f"{timing.name:40} {timing.pages:5d} {timing.seconds:8.1f} {timing.pages_per_minute:9.1f}")
    print(f"(best of {repeat}; bare Tesseract at OMP_THREAD_LIMIT=1, khplan as it runs Tesseract itself)")
    if workers_note:
        print(workers_note)
    bare_1, bare_2 = by_name["bare tesseract, 1 process"], by_name["bare tesseract, 2 processes"]
    pairs = [("bare tesseract 2 processes / 1", bare_2, bare_1)]
    if "khplan extract --workers 1" in by_name:
        khplan_1, khplan_2 = by_name["khplan extract --workers 1"], by_name["khplan extract --workers 2"]
        pairs += [
            ("khplan 1 worker / bare 1 process", khplan_1, bare_1),
            ("khplan 2 workers / bare 2 processes", khplan_2, bare_2),
            ("khplan 2 workers / 1 worker", khplan_2, khplan_1),
        ]
    else:
        pairs.append(
            ("khplan (default workers) / bare 1 process", by_name["khplan extract (default workers)"], bare_1)
        )
    print("\nratios of pages/min:")
    for label, numerator, denominator in pairs:
        print(f"  {label:42} {ratio(numerator, denominator)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best of each is kept")
    parser.add_argument("--only", action="append", metavar="STEM", help="one seed (repeatable): 001 or full")
    parser.add_argument("--lang", default="vie", help="Tesseract language")
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        raise SystemExit("ocr_speed.py: the tesseract command is needed (tesseract-ocr, tesseract-ocr-vie)")

    scans = scans_module()
    stems = scans.select_stems(args.only)
    pages = [
        PAGES_DIR / scans.page_png_name(stem, n)
        for stem in stems
        for n in range(1, scans.page_count(stem) + 1)
    ]
    missing = [page for page in pages if not page.is_file()]
    if missing:
        raise SystemExit(f"{missing[0]}: missing (run corpus/scans.py)")
    with_workers = khplan_has_workers()
    worker_counts: list[int | None] = [1, 2] if with_workers else [None]
    workers_note = (
        None if with_workers else "khplan extract --help lists no --workers: only its default was run"
    )

    with tempfile.TemporaryDirectory(prefix="khplan-ocr-speed-") as work:
        folder = Path(work)
        pdfs = []
        for stem in stems:
            pdf = scans.variant_path(folder, stem, "scan300")
            pdf.write_bytes(scans.image_pdf(scans.variant_pages(stem, "scan300", pages_dir=PAGES_DIR)))
            pdfs.append(pdf)
        count = len(pages)
        bare = [Timing("bare tesseract, 1 process", count), Timing("bare tesseract, 2 processes", count)]
        khplan = [
            Timing(f"khplan extract --workers {n}" if n else "khplan extract (default workers)", count)
            for n in worker_counts
        ]
        typed = Timing("khplan extract, typed PDFs (no OCR)", count)
        for round_number in range(args.repeat):
            for processes, timing in zip((1, 2), bare, strict=True):
                out = folder / f"bare-{processes}-{round_number}"
                out.mkdir()
                best_of(1, timing, lambda out=out, n=processes: bare_tesseract(pages, args.lang, n, out))
            for workers, timing in zip(worker_counts, khplan, strict=True):
                out = folder / f"khplan-{workers}-{round_number}"
                out.mkdir()
                best_of(1, timing, lambda out=out, n=workers: khplan_extract(pdfs, out, n, args.lang))
            print(f"round {round_number + 1} of {args.repeat} done", file=sys.stderr)
        out = folder / "typed"
        out.mkdir()
        typed_pdfs = [SEEDS_DIR / f"{stem}.pdf" for stem in stems]
        best_of(1, typed, lambda: khplan_extract(typed_pdfs, out, 1 if with_workers else None, args.lang))
    print_report([*bare, *khplan, typed], args.repeat, workers_note)


if __name__ == "__main__":
    main()
