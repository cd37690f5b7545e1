"""Cell-for-cell parity and cost of ``pdf_grid.find_ruled_tables`` beside pdfplumber's table finder, in one run.

Usage: .venv/bin/python bench/pdf_grid_parity.py [--repeat N] [PDF…]
       (default: corpus/seeds/*.pdf, corpus/cases/pdf/*.pdf, corpus/cases/pdf-tables/*.pdf)

Parity, on every page of every PDF: the tables pdfplumber finds with ``pdf.TABLE_SETTINGS`` (two cells or
more, as ``pdf._find_tables`` keeps them) against those ``find_ruled_tables`` finds from PDFium's path
objects. A cell is equal when a cell of the other finder on the same page has all four sides within
``CELL_TOLERANCE`` points; "only grid" / "only plumber" count the cells left unmatched on either side.
A page where ``find_ruled_tables`` says "not sure" (None) is listed: the reader asks pdfplumber there.
``find_ruled_tables`` measures from the MediaBox's top-left corner in unrotated PDF space, like the glyphs
``pdf.py`` reads; pdfplumber turns a ``/Rotate`` page and adds a MediaBox's left edge back to x. Its cells
are compared in pdfplumber's frame, through pdfminer's page matrix (``to_plumber_frame``); on an ordinary
page (no rotation, MediaBox at 0, 0, every corpus page) that mapping is the identity.

Cost, on the ruled pages only (those ``find_ruled_tables`` finds a table on), best of N
after a warm-up, per ruled page:
  - plumber: ``pdfplumber.open(pages=ruled)`` and ``page.find_tables`` on each, as ``pdf._find_tables`` does;
  - grid: ``find_ruled_tables`` on PDFium pages already loaded (``read_pdf`` has them open for glyphs);
  - grid+load: the same with loading and closing each PDFium page counted in.
Shared machines vary by ±30 % between runs: read the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.ingest.pdf_grid import TABLE_SETTINGS, FoundTable, find_ruled_tables  # noqa: E402

# Two cells are the same cell when each of their four sides differ by no more than this (points).
CELL_TOLERANCE = 1.0
DEFAULT_PDFS = ("corpus/seeds", "corpus/cases/pdf", "corpus/cases/pdf-tables")

Box = tuple[float, float, float, float]
Origin = tuple[float, float]


@dataclass
class Parity:
    """What the two finders returned on one PDF, and how their cells compare."""

    pages: int = 0
    ruled: list[int] = field(default_factory=list)
    grid_tables: int = 0
    plumber_tables: int = 0
    equal: int = 0
    only_grid: int = 0
    only_plumber: int = 0
    unsure_pages: list[int] = field(default_factory=list)
    differing_pages: list[int] = field(default_factory=list)
    mapped_pages: list[int] = field(default_factory=list)


def plumber_tables(data: bytes, page_numbers: list[int] | None = None) -> dict[int, list[FoundTable]]:
    """pdfplumber's tables per page (1-based), kept as ``pdf._find_tables`` keeps them."""
    import pdfplumber

    found: dict[int, list[FoundTable]] = {}
    with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as pdf:
        for page in pdf.pages:
            found[page.page_number] = [
                FoundTable(bbox=tuple(table.bbox), cells=[tuple(cell) for cell in table.cells])
                for table in page.find_tables(TABLE_SETTINGS)
                if len(table.cells) >= 2
            ]
    return found


def grid_tables(data: bytes) -> tuple[dict[int, list[FoundTable] | None], list[int], dict[int, Origin]]:
    """``find_ruled_tables`` per page (1-based), the pages it found a table on (or was unsure of), and each
    page's origin (left, top): the MediaBox corner as ``pdf.py`` reads it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    found: dict[int, list[FoundTable] | None] = {}
    origins: dict[int, Origin] = {}
    ruled = []
    try:
        for index in range(len(document)):
            page = document[index]
            found[index + 1] = find_ruled_tables(page)
            left, _, _, top = page.get_mediabox()
            origins[index + 1] = (left, top)
            if found[index + 1] != []:
                ruled.append(index + 1)
            page.close()
    finally:
        document.close()
    return found, ruled, origins


def plumber_frames(data: bytes) -> dict[int, tuple[Box, int]]:
    """Each page's raw MediaBox (an inherited one included) and rotation, as pdfplumber reads them."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return {page.page_number: (tuple(page.page_obj.mediabox), page.rotation) for page in pdf.pages}


def to_plumber_frame(cell: Box, origin: Origin, mediabox: Box, rotation: int) -> Box:
    """A cell measured from ``origin`` in unrotated PDF space, in pdfplumber's page coordinates.

    pdfminer's page matrix (``PDFPageInterpreter.process_page``), then pdfplumber's flip and MediaBox
    shift (``Page.process_object``): the identity on an unrotated page with its MediaBox at (0, 0).
    """
    left, top = origin
    x0, y0, x1, y1 = mediabox
    turned = rotation in (90, 270)
    height = (x1 - x0) if turned else (y1 - y0)
    shift_x, shift_top = (y0, -x0) if turned else (x0, -y0)

    def point(px: float, ptop: float) -> tuple[float, float]:
        x, y = px + left, top - ptop
        u, v = {90: (y - y0, x1 - x), 180: (x1 - x, y1 - y), 270: (y1 - y, x - x0)}.get(
            rotation, (x - x0, y - y0)
        )
        return u + shift_x, height - v + shift_top

    (ax, at), (bx, bt) = point(cell[0], cell[1]), point(cell[2], cell[3])
    return (min(ax, bx), min(at, bt), max(ax, bx), max(at, bt))


def match_cells(grid: list[Box], plumber: list[Box]) -> tuple[int, int, int]:
    """(equal, only in grid, only in plumber): each grid cell paired with an unpaired plumber cell."""
    unpaired = list(plumber)
    equal = 0
    for cell in grid:
        for index, other in enumerate(unpaired):
            if all(abs(a - b) <= CELL_TOLERANCE for a, b in zip(cell, other, strict=True)):
                del unpaired[index]
                equal += 1
                break
    return equal, len(grid) - equal, len(unpaired)


def parity(data: bytes) -> Parity:
    grid, ruled, origins = grid_tables(data)
    plumber = plumber_tables(data)
    frames = plumber_frames(data)
    result = Parity(pages=len(plumber), ruled=ruled)
    for number, theirs in plumber.items():
        mine = grid.get(number)
        result.plumber_tables += len(theirs)
        if mine is None:
            result.unsure_pages.append(number)
            continue
        result.grid_tables += len(mine)
        mediabox, rotation = frames[number]
        origin_shift = max(abs(origins[number][0] - mediabox[0]), abs(origins[number][1] - mediabox[3]))
        if rotation or tuple(mediabox[:2]) != (0, 0) or origin_shift > CELL_TOLERANCE / 100:
            result.mapped_pages.append(number)
        equal, only_grid, only_plumber = match_cells(
            [
                to_plumber_frame(cell, origins[number], mediabox, rotation)
                for table in mine
                for cell in table.cells
            ],
            [cell for table in theirs for cell in table.cells],
        )
        result.equal += equal
        result.only_grid += only_grid
        result.only_plumber += only_plumber
        if only_grid or only_plumber or len(mine) != len(theirs):
            result.differing_pages.append(number)
    return result


def time_plumber(data: bytes, ruled: list[int]) -> None:
    plumber_tables(data, ruled)


def time_grid(data: bytes, ruled: list[int]) -> Callable[[], None]:
    """A timer body running ``find_ruled_tables`` on ruled pages loaded beforehand."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    pages = [document[number - 1] for number in ruled]

    def run() -> None:
        for page in pages:
            find_ruled_tables(page)

    run.keep = (document, pages)  # type: ignore[attr-defined]
    return run


def time_grid_with_load(data: bytes, ruled: list[int]) -> Callable[[], None]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)

    def run() -> None:
        for number in ruled:
            page = document[number - 1]
            find_ruled_tables(page)
            page.close()

    run.keep = document  # type: ignore[attr-defined]
    return run


def best_time(function: Callable[[], None], repeat: int) -> float:
    function()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.pdfs or [path for folder in DEFAULT_PDFS for path in sorted((ROOT / folder).glob("*.pdf"))]

    header = (
        f"{'PDF':42s} {'pages':>5s} {'ruled':>5s} {'tables g/p':>10s} {'equal':>6s} {'only g':>6s} "
        f"{'only p':>6s} {'grid ms/pg':>10s} {'+load':>7s} {'plumber ms/pg':>13s} {'ratio':>6s}"
    )
    print(header)
    print("-" * len(header))
    totals = Parity()
    seconds = {"grid": 0.0, "load": 0.0, "plumber": 0.0}
    notes = []
    for path in paths:
        data = path.read_bytes()
        result = parity(data)
        name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        timing = ""
        if result.ruled:
            grid_s = best_time(time_grid(data, result.ruled), args.repeat)
            load_s = best_time(time_grid_with_load(data, result.ruled), args.repeat)
            plumber_s = best_time(
                lambda data=data, ruled=result.ruled: time_plumber(data, ruled), args.repeat
            )
            seconds["grid"] += grid_s
            seconds["load"] += load_s
            seconds["plumber"] += plumber_s
            per_page = 1000 / len(result.ruled)
            timing = (
                f"{grid_s * per_page:10.2f} {load_s * per_page:7.2f} {plumber_s * per_page:13.2f} "
                f"{plumber_s / grid_s:5.0f}x"
            )
        print(
            f"{name[-42:]:42s} {result.pages:5d} {len(result.ruled):5d} "
            f"{f'{result.grid_tables}/{result.plumber_tables}':>10s} {result.equal:6d} {result.only_grid:6d} "
            f"{result.only_plumber:6d} {timing}"
        )
        if result.unsure_pages:
            notes.append(f"{name}: not sure (pdfplumber fallback) on pages {result.unsure_pages}")
        if result.mapped_pages:
            notes.append(
                f"{name}: compared through a rotation or MediaBox shift (or PDFium's fallback MediaBox) on pages {result.mapped_pages}"
            )
        if result.differing_pages:
            notes.append(f"{name}: cells differ on pages {result.differing_pages}")
        totals.pages += result.pages
        totals.ruled.extend(result.ruled)
        totals.grid_tables += result.grid_tables
        totals.plumber_tables += result.plumber_tables
        totals.equal += result.equal
        totals.only_grid += result.only_grid
        totals.only_plumber += result.only_plumber
    print("-" * len(header))
    ruled = max(len(totals.ruled), 1)
    print(
        f"{'all':42s} {totals.pages:5d} {len(totals.ruled):5d} "
        f"{f'{totals.grid_tables}/{totals.plumber_tables}':>10s} {totals.equal:6d} {totals.only_grid:6d} "
        f"{totals.only_plumber:6d} {seconds['grid'] * 1000 / ruled:10.2f} {seconds['load'] * 1000 / ruled:7.2f} "
        f"{seconds['plumber'] * 1000 / ruled:13.2f} {seconds['plumber'] / max(seconds['grid'], 1e-9):5.0f}x"
    )
    if seconds["load"]:
        print(
            f"with PDFium page loading counted: {seconds['plumber'] / seconds['load']:.0f}x faster than pdfplumber"
        )
    for note in notes:
        print(note)
    if not notes:
        print("identical cells on every page; no page needed the pdfplumber fallback")


if __name__ == "__main__":
    main()
