"""Cost and accuracy of khplan's PDF table path beside camelot and pdfplumber on the same pages, in one run.

Usage: .venv/bin/python bench/pdf_tables.py [--repeat N] [PDF…]
       (default: corpus/seeds/*.pdf and corpus/cases/pdf-tables/*.pdf; camelot comes with the ``bench`` extra)

For each PDF the DOCX it was printed from (same name beside it) is the truth: its data tables, read by khplan's
DOCX reader, give the rows a finder should return (each row as its non-empty cell texts, a merged cell once).
A page "has a table" when at least two truth rows appear on it as lines of PDFium's text.

Timed in one process, best of N after a warm-up, over the same pages:
  - khplan grid: ``find_ruled_tables`` on every page (the ruled tables from PDFium's path objects);
  - khplan text: the PDFium page reading (glyphs, fonts, ruled tables), i.e. ``read_pdf`` without its layout;
  - khplan cells: the glyphs placed in the cells of the tables PDFium's paths gave;
  - khplan stage: ``build_tables`` on the normalized document (knows plans, not PDFs);
  - pdfplumber ``find_tables`` alone (khplan's settings, no text) and ``extract_tables`` (defaults, with text)
    on the pages khplan hands a finder (the ruled ones), so khplan / pdfplumber compares the same pages;
  - pdfplumber with the text strategy (borderless tables), camelot lattice and camelot stream on the pages
    with a table, and on the pages without one (there a single run, not the best of N: lattice is slow).
Rows found: truth rows a finder returns exactly (recall) and rows it returns that no truth table has (extra).
Shared machines vary by ±30 % between runs: read the ratios printed at the end, not the absolute figures.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Row = tuple[str, ...]


@dataclass(frozen=True)
class Subject:
    """One PDF with its truth rows and which pages hold a table."""

    path: Path
    data: bytes
    pages: int
    truth: frozenset[Row]
    table_pages: tuple[int, ...]

    @property
    def prose_pages(self) -> tuple[int, ...]:
        return tuple(page for page in range(1, self.pages + 1) if page not in self.table_pages)


@dataclass
class Measure:
    """Seconds spent by one method, and the rows and tables it returned."""

    seconds: float = 0.0
    pages: int = 0
    tables: int = 0
    rows: set[Row] = field(default_factory=set)
    found: int = 0
    extra: int = 0
    truth_tables: int = 0


# -- truth ----------------------------------------------------------------------------------------------


def clean(text: str | None) -> str:
    """A cell's text compared across readers: NFC, spaces collapsed ("Tổng\\nsố hộ" -> "Tổng số hộ")."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def row_of(cells: Iterable[str | None]) -> Row:
    return tuple(text for text in (clean(cell) for cell in cells) if text)


def truth_rows(docx: Path) -> frozenset[Row]:
    """Rows of the DOCX's data tables: "1, Nà Sang, 150, 3, 2,00"; merged cells once, in reading order."""
    from extractor.ingest import read_document
    from extractor.tables.rebuild import is_data_table

    rows: set[Row] = set()
    for block in read_document(docx).blocks:
        if block.table is None or not is_data_table(block.table):
            continue
        by_row: dict[int, list[tuple[int, str]]] = {}
        for cell in block.table.cells:
            by_row.setdefault(cell.row, []).append((cell.col, cell.text))
        rows.update(row_of(text for _, text in sorted(cells)) for cells in by_row.values())
    return frozenset(row for row in rows if len(row) >= 2)


def pages_with_rows(data: bytes, truth: frozenset[Row]) -> tuple[int, tuple[int, ...]]:
    """The page count and the pages on which two or more truth rows are lines of the page's text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    wanted = {" ".join(row) for row in truth}
    pages = []
    for index in range(len(document)):
        lines = {clean(line) for line in document[index].get_textpage().get_text_range().splitlines()}
        if len(lines & wanted) >= 2:
            pages.append(index + 1)
    count = len(document)
    document.close()
    return count, tuple(pages)


def load(path: Path) -> Subject:
    data = path.read_bytes()
    docx = path.with_suffix(".docx")
    truth = truth_rows(docx) if docx.exists() else frozenset()
    pages, table_pages = pages_with_rows(data, truth)
    return Subject(path, data, pages, truth, table_pages)


# -- the methods ----------------------------------------------------------------------------------------


def khplan_grid(subject: Subject) -> list[int]:
    """The pages on which PDFium's path objects rule a table (``find_ruled_tables`` on every page)."""
    import pypdfium2 as pdfium

    from extractor.ingest.pdf_grid import find_ruled_tables

    document = pdfium.PdfDocument(subject.data)
    ruled = []
    for index in range(len(document)):
        page = document[index]
        if find_ruled_tables(page):
            ruled.append(index + 1)
        page.close()
    document.close()
    return ruled


def khplan_text(subject: Subject) -> list:
    from extractor.ingest.pdf import _read_pages

    return _read_pages(subject.path, subject.data)


def khplan_cells(page_texts: list) -> list[list[Row]]:
    """khplan's grids: the glyphs of each page placed in the cells of the tables its paths rule."""
    from extractor.ingest.pdf import _inside, table_grid

    tables = []
    for page in page_texts:
        glyphs, number = page.glyphs, page.number
        for table in page.tables or []:
            grid = table_grid(table, [g for g in glyphs if _inside(g, table.bbox)], number)
            by_row: dict[int, list[str]] = {}
            for cell in grid.cells:
                by_row.setdefault(cell.row, []).append(cell.text)
            tables.append([row_of(texts) for texts in by_row.values()])
    return tables


def khplan_stage_input(subject: Subject):
    """The normalized document with its sections: the ``PlanText`` that ``build_tables`` reads."""
    from extractor.ingest import read_document
    from extractor.normalize.document import normalize_document
    from extractor.structure.plan_text import PlanText
    from extractor.structure.sections import build_sections
    from extractor.structure.zones import find_zones

    document = normalize_document(read_document(subject.path))
    return PlanText(document, build_sections(document, find_zones(document)))


def plumber_find(subject: Subject, pages: Sequence[int], with_text: bool = False) -> list[list[Row]]:
    """pdfplumber's finder with khplan's settings; cell texts read (untimed) only for scoring."""
    import pdfplumber

    from extractor.ingest.pdf_grid import TABLE_SETTINGS

    tables = []
    with pdfplumber.open(io.BytesIO(subject.data), pages=list(pages)) as pdf:
        for page in pdf.pages:
            found = page.find_tables(TABLE_SETTINGS)
            tables.extend([row_of(r) for r in t.extract()] if with_text else [] for t in found)
    return tables


def plumber_text_strategy(subject: Subject, pages: Sequence[int]) -> list[list[Row]]:
    """pdfplumber on word alignment instead of ruling lines: the camelot-free candidate for borderless tables."""
    import pdfplumber

    settings = {"vertical_strategy": "text", "horizontal_strategy": "text"}
    tables = []
    with pdfplumber.open(io.BytesIO(subject.data), pages=list(pages)) as pdf:
        for page in pdf.pages:
            tables.extend([[row_of(r) for r in table] for table in page.extract_tables(settings)])
    return [table for table in tables if max((len(row) for row in table), default=0) >= 2]


def plumber_extract(subject: Subject, pages: Sequence[int]) -> list[list[Row]]:
    import pdfplumber

    tables = []
    with pdfplumber.open(io.BytesIO(subject.data), pages=list(pages)) as pdf:
        for page in pdf.pages:
            tables.extend([[row_of(r) for r in table] for table in page.extract_tables()])
    return tables


def camelot_tables(subject: Subject, pages: Sequence[int], flavor: str) -> list[list[Row]]:
    """camelot on the given pages; a one-column "table" (stream reading a paragraph) does not count."""
    import camelot

    if not pages:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(str(subject.path), flavor=flavor, pages=",".join(map(str, pages)))
    return [[row_of(r) for r in table.df.values.tolist()] for table in found if table.shape[1] >= 2]


# -- timing ---------------------------------------------------------------------------------------------


def best_of(repeat: int, function: Callable[[], object]) -> tuple[float, object]:
    result = function()  # warm-up: imports, fonts, caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best, result


def record(
    measure: Measure, seconds: float, pages: Sequence[int], tables: list[list[Row]], subject: Subject
) -> None:
    """Add one PDF's run; its truth table counts when the method read one of the pages it is on."""
    truth = subject.truth
    measure.seconds += seconds
    measure.pages += len(pages)
    measure.truth_tables += int(bool(truth) and bool(set(pages) & set(subject.table_pages)))
    measure.tables += len(tables)
    rows = {row for table in tables for row in table if row}
    measure.found += len(rows & truth)
    measure.extra += len(rows - truth)


METHODS = (
    "khplan grid (all pages)",
    "khplan text (all pages)",
    "khplan cells",
    "khplan tables stage",
    "pdfplumber find_tables",
    "pdfplumber extract_tables",
    "pdfplumber text strategy",
    "pdfplumber text, no-table pages",
    "camelot lattice",
    "camelot stream",
    "camelot lattice, no-table pages",
    "camelot stream, no-table pages",
)


def measure_subject(subject: Subject, repeat: int, totals: dict[str, Measure]) -> list[int]:
    from extractor.tables import build_tables

    table_pages, prose_pages = subject.table_pages, subject.prose_pages
    every_page = range(1, subject.pages + 1)
    seconds, ruled = best_of(repeat, lambda: khplan_grid(subject))
    record(totals["khplan grid (all pages)"], seconds, every_page, [], subject)
    seconds, page_texts = best_of(repeat, lambda: khplan_text(subject))
    record(totals["khplan text (all pages)"], seconds, every_page, [], subject)
    seconds, found = best_of(repeat, lambda: khplan_cells(page_texts))
    record(totals["khplan cells"], seconds, ruled, found, subject)
    plan = khplan_stage_input(subject)
    seconds, built = best_of(repeat, lambda: build_tables(plan))
    record(totals["khplan tables stage"], seconds, ruled, [], subject)
    totals["khplan tables stage"].tables += len(built)
    seconds, _ = best_of(repeat, lambda: plumber_find(subject, ruled))
    record(totals["pdfplumber find_tables"], seconds, ruled, plumber_find(subject, ruled, True), subject)
    runs: tuple[tuple[str, Sequence[int], Callable[[], list[list[Row]]]], ...] = (
        ("pdfplumber extract_tables", ruled, lambda: plumber_extract(subject, ruled)),
        ("pdfplumber text strategy", table_pages, lambda: plumber_text_strategy(subject, table_pages)),
        ("pdfplumber text, no-table pages", prose_pages, lambda: plumber_text_strategy(subject, prose_pages)),
        ("camelot lattice", table_pages, lambda: camelot_tables(subject, table_pages, "lattice")),
        ("camelot stream", table_pages, lambda: camelot_tables(subject, table_pages, "stream")),
        ("camelot lattice, no-table pages", prose_pages, lambda: camelot_tables(subject, prose_pages, "lattice")),
        ("camelot stream, no-table pages", prose_pages, lambda: camelot_tables(subject, prose_pages, "stream")),
    )  # fmt: skip
    for name, pages, run in runs:
        if not pages:
            continue
        seconds, tables = best_of(repeat if name.count(",") == 0 else 1, run)
        record(totals[name], seconds, pages, tables, subject)
    return ruled


# -- report ---------------------------------------------------------------------------------------------


def print_subjects(subjects: Sequence[Subject], ruled: dict[Path, list[int]]) -> None:
    print(f"{'PDF':42s} {'pages':>5s} {'table pages':>12s} {'ruled pages':>12s} {'truth rows':>10s}")
    for subject in subjects:
        pages = ",".join(map(str, subject.table_pages)) or "-"
        ruled_pages = ",".join(map(str, ruled[subject.path])) or "-"
        print(
            f"{subject.path.name:42s} {subject.pages:5d} {pages:>12s} {ruled_pages:>12s} {len(subject.truth):10d}"
        )
    print()


NOT_FINDERS = ("khplan grid (all pages)", "khplan text (all pages)", "khplan tables stage")


def print_methods(totals: dict[str, Measure], truth_total: int) -> None:
    """One line per method; seconds per table divide by the truth tables on the pages the method read."""
    print(
        f"{'method':34s} {'pages':>5s} {'ms':>8s} {'ms/page':>8s} {'s/table':>8s} {'tables':>6s} "
        f"{'rows found':>10s} {'extra rows':>10s}"
    )
    for name in METHODS:
        m = totals[name]
        if not m.pages:
            continue
        finder = name not in NOT_FINDERS
        on_tables = "no-table" not in name and m.truth_tables > 0
        timed_per_table = on_tables and (finder or name == "khplan tables stage")
        per_table = f"{m.seconds / m.truth_tables:8.3f}" if timed_per_table else " " * 8
        rows = f"{m.found}/{truth_total if on_tables else 0}" if finder else ""
        extra = str(m.extra) if finder else ""
        print(
            f"{name:34s} {m.pages:5d} {1000 * m.seconds:8.1f} {1000 * m.seconds / m.pages:8.2f} {per_table} "
            f"{m.tables:6d} {rows:>10s} {extra:>10s}"
        )
    print()


def print_ratios(totals: dict[str, Measure], ruled_pages: int, pages: int) -> None:
    """A page without a table costs next to nothing; a table page costs a fraction of pdfplumber's finder."""
    screen, text = totals["khplan grid (all pages)"], totals["khplan text (all pages)"]
    find, stage = totals["khplan cells"], totals["khplan tables stage"]
    plumber, lattice = totals["pdfplumber find_tables"], totals["camelot lattice"]
    per_page = 1000 * screen.seconds / screen.pages
    print(f"khplan table part, page without a ruled table: {per_page:.2f} ms "
          f"({screen.seconds / text.seconds:.1%} of reading its text)")  # fmt: skip
    if ruled_pages:
        table_page = per_page + 1000 * (find.seconds + stage.seconds) / ruled_pages
        print(f"khplan table part, page with a ruled table:    {table_page:.1f} ms (grid + cells + stage)")
    if plumber.seconds:
        print(
            f"ruled pages, khplan grid+cells / pdfplumber find_tables alone:       "
            f"{(find.seconds + screen.seconds * ruled_pages / pages) / plumber.seconds:.2f}"
        )
        both = (find.seconds + stage.seconds + screen.seconds * ruled_pages / pages) / plumber.seconds
        print(f"ruled pages, khplan grid+cells+stage / pdfplumber find_tables: {both:.2f}")
    if lattice.seconds and plumber.seconds:
        lattice_ms = 1000 * lattice.seconds / lattice.pages
        plumber_ms = 1000 * plumber.seconds / plumber.pages
        print(
            f"per table page, camelot lattice / pdfplumber find_tables:          {lattice_ms / plumber_ms:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.pdfs or sorted((ROOT / "corpus" / "seeds").glob("*.pdf")) + sorted(
        (ROOT / "corpus" / "cases" / "pdf-tables").glob("*.pdf")
    )
    subjects = [load(path) for path in paths]
    totals = {name: Measure() for name in METHODS}
    ruled = {subject.path: measure_subject(subject, args.repeat, totals) for subject in subjects}
    print_subjects(subjects, ruled)
    truth_total = sum(len(subject.truth) for subject in subjects)
    print_methods(totals, truth_total)
    print_ratios(totals, sum(len(pages) for pages in ruled.values()), sum(s.pages for s in subjects))


if __name__ == "__main__":
    main()
