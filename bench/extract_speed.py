"""Speed of `extract_document` per input path, against the bare libraries on the same files, in one run.

Usage: .venv/bin/python bench/extract_speed.py [--repeat N] [FILES…]   (default: the corpus renderings)

Prints documents/s and pages/s for the text, DOCX and PDF paths (one process, one core), then the PDF path's
time beside pdfplumber's bare ``page.extract_text()`` and pypdfium2's bare ``get_text_range()`` over the
same PDFs, as ratios: machines here vary by ±30 % between runs, so compare within one run.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least disturbed by other load on a shared machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def pdf_pages(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def bare_pdfplumber(paths: list[Path]) -> None:
    import pdfplumber

    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()


def bare_pypdfium2(paths: list[Path]) -> None:
    import pypdfium2

    for path in paths:
        document = pypdfium2.PdfDocument(path)
        for page in document:
            page.get_textpage().get_text_range()
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "corpus" / "seeds").glob("*.*"))

    from extractor import extract_document

    by_format: dict[str, list[Path]] = {}
    for path in files:
        by_format.setdefault(path.suffix.lstrip(".").lower(), []).append(path)
    for path in files:  # warm-up: imports and data files are loaded once per process, not per document
        extract_document(path)

    print(f"{'path':6} {'docs':>5} {'pages':>6} {'seconds':>8} {'docs/s':>8} {'pages/s':>8}")
    for fmt, paths in sorted(by_format.items()):
        seconds = best_of(args.repeat, lambda paths=paths: [extract_document(path) for path in paths])
        pages = sum(pdf_pages(path) for path in paths) if fmt == "pdf" else None
        pages_rate = f"{pages / seconds:8.1f}" if pages else f"{'-':>8}"
        print(
            f"{fmt:6} {len(paths):5d} {pages or '-':>6} {seconds:8.3f} {len(paths) / seconds:8.1f} {pages_rate}"
        )

    pdfs = by_format.get("pdf", [])
    if pdfs:
        pages = sum(pdf_pages(path) for path in pdfs)
        ours = best_of(args.repeat, lambda: [extract_document(path) for path in pdfs])
        plumber = best_of(args.repeat, lambda: bare_pdfplumber(pdfs))
        pdfium = best_of(args.repeat, lambda: bare_pypdfium2(pdfs))
        print(f"\nPDF, {len(pdfs)} files, {pages} pages, best of {args.repeat}:")
        for name, seconds in (
            ("khplan extract", ours),
            ("pdfplumber extract_text", plumber),
            ("pypdfium2 get_text_range", pdfium),
        ):
            print(
                f"  {name:26} {seconds:7.3f} s  {pages / seconds:8.1f} pages/s  {seconds / ours:6.2f} x khplan's time"
            )
        print(f"  khplan / pdfplumber = {ours / plumber:.2f} (aim: <= 1.0)")
    texts = by_format.get("txt", [])
    if texts:
        per_document = [best_of(args.repeat, lambda path=path: extract_document(path)) for path in texts]
        print(
            f"\ntext path: median {statistics.median(per_document) * 1000:.1f} ms/document (aim: >= 50 documents/s)"
        )


if __name__ == "__main__":
    main()
