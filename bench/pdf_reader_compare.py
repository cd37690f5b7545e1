"""Pages per second of ``read_pdf`` beside the bare libraries on the same PDFs, in one run.

Usage: .venv/bin/python bench/pdf_reader_compare.py [--repeat N] [PDF…]   (default: the corpus PDFs)

Times, over the same files and in one process on one core:
  - pypdfium2 bare: ``page.get_textpage().get_text_range()`` for every page;
  - pdfplumber bare: ``page.extract_text()`` for every page;
  - ``read_pdf``: the whole reader (glyphs, lines, paragraphs, furniture, tables on ruled pages).
Each is the best of N repeats after one warm-up (imports and fonts loaded). Machines here vary by ±30 %
between runs, so read the ratios, not the absolute figures.
"""

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pypdfium2_bare(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    for page in document:
        page.get_textpage().get_text_range()
    return len(document)


def pdfplumber_bare(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def read_pdf_whole(data: bytes) -> int:
    from extractor.ingest.pdf import read_pdf

    return read_pdf(Path("bench.pdf"), data).source.pages or 0


def best_time(function: Callable[[bytes], int], files: list[bytes], repeat: int) -> tuple[float, int]:
    pages = sum(function(data) for data in files)  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for data in files:
            function(data)
        best = min(best, time.perf_counter() - start)
    return best, pages


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.pdfs or sorted((ROOT / "corpus" / "seeds").glob("*.pdf")) + sorted(
        (ROOT / "corpus" / "cases" / "pdf").glob("*.pdf")
    )
    files = [path.read_bytes() for path in paths]
    results = {}
    for name, function in (
        ("pypdfium2 get_text_range", pypdfium2_bare),
        ("pdfplumber extract_text", pdfplumber_bare),
        ("read_pdf", read_pdf_whole),
    ):
        seconds, pages = best_time(function, files, args.repeat)
        results[name] = seconds
        print(f"{name:26s} {pages:4d} pages  {seconds * 1000:8.1f} ms  {pages / seconds:8.1f} pages/s")
    plumber, pdfium_ = results["pdfplumber extract_text"], results["pypdfium2 get_text_range"]
    print(f"read_pdf is {plumber / results['read_pdf']:.1f}x faster than pdfplumber extract_text")
    print(f"read_pdf is {results['read_pdf'] / pdfium_:.1f}x slower than pypdfium2 bare text")


if __name__ == "__main__":
    main()
