"""Ruled tables from PDFium's path objects (``pdf_grid``): sub-paths in, cells out, and parity with pdfplumber.

The pure tests draw borders the ways PDF producers do (LibreOffice's stroked lines, Word's thin filled
rectangles) in top-left page coordinates; the corpus tests compare cell for cell with pdfplumber's
``find_tables(TABLE_SETTINGS)`` on the same pages, and a small hand-written PDF checks form matrices.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extractor.ingest import pdf_grid
from extractor.ingest.pdf_grid import (
    TABLE_SETTINGS,
    Edge,
    FoundTable,
    Subpath,
    apply,
    compose,
    find_ruled_tables,
    join_edges,
    line,
    rectangle,
    snap_edges,
    subpath_edges,
    subpaths_from_segments,
    tables_from_subpaths,
)

ROOT = Path(__file__).resolve().parents[1]
SEED_WITH_TABLE = ROOT / "corpus" / "seeds" / "001_1747db98b33217c6.pdf"
CONTINUED_TABLE = ROOT / "corpus" / "cases" / "pdf-tables" / "continued-repeated-header.pdf"

Box = tuple[float, float, float, float]


def stroked_grid(xs: list[float], ys: list[float]) -> list[Subpath]:
    """LibreOffice's way: one stroked line per row rule and per column rule."""
    rules = [line(xs[0], y, xs[-1], y) for y in ys]
    return rules + [line(x, ys[0], x, ys[-1]) for x in xs]


def filled_rule(x0: float, top: float, x1: float, bottom: float, thickness: float = 0.5) -> Subpath:
    """Word's way: a rule is a filled rectangle ``thickness`` thick centred on the line."""
    half = thickness / 2
    if top == bottom:
        return rectangle(x0 - half, top - half, x1 + half, top + half)
    return rectangle(x0 - half, top - half, x0 + half, bottom + half)


def only_table(tables: list[FoundTable]) -> FoundTable:
    assert len(tables) == 1
    return tables[0]


def near(cells: list[Box], expected: list[Box], tolerance: float = 1e-6) -> bool:
    """The same boxes in any order, each side within ``tolerance``."""
    if len(cells) != len(expected):
        return False
    left = sorted(expected)
    for cell in sorted(cells):
        match = next(
            (
                i
                for i, other in enumerate(left)
                if all(abs(a - b) <= tolerance for a, b in zip(cell, other, strict=True))
            ),
            None,
        )
        if match is None:
            return False
        del left[match]
    return True


# ---------------------------------------------------------------------------------------------------
# Sub-paths in, cells out
# ---------------------------------------------------------------------------------------------------


def test_a_simple_grid_gives_one_cell_per_slot():
    table = only_table(tables_from_subpaths(stroked_grid([100, 160, 300], [200, 230, 250])))
    assert table.bbox == (100, 200, 300, 250)
    assert near(
        table.cells,
        [(100, 200, 160, 230), (160, 200, 300, 230), (100, 230, 160, 250), (160, 230, 300, 250)],
    )


def test_a_merged_header_cell_is_one_box():
    # "Hộ nghèo" over "TS" and "%": the rule between TS and % stops at the header's bottom rule.
    rules = [line(100, y, 300, y) for y in (200, 220, 240)]
    rules += [line(x, 200, x, 240) for x in (100, 300)]
    rules.append(line(200, 220, 200, 240))
    table = only_table(tables_from_subpaths(rules))
    assert near(table.cells, [(100, 200, 300, 220), (100, 220, 200, 240), (200, 220, 300, 240)])


def test_borders_drawn_as_filled_rectangles_give_the_same_cells_as_stroked_lines():
    xs, ys = [100.0, 160.0, 300.0], [200.0, 230.0, 250.0]
    rules = [filled_rule(xs[0], y, xs[-1], y) for y in ys]
    rules += [filled_rule(x, ys[0], x, ys[-1]) for x in xs]
    filled = only_table(tables_from_subpaths(rules))
    stroked = only_table(tables_from_subpaths(stroked_grid(xs, ys)))
    # The top and bottom sides of each 0.5 pt rule snap to its centre line; the short ends are dropped.
    assert near(filled.cells, stroked.cells)


def test_two_tables_on_one_page_come_top_first():
    lower = stroked_grid([100, 200, 300], [500, 520, 540])
    upper = stroked_grid([120, 220, 320], [100, 120])
    tables = tables_from_subpaths(lower + upper)
    assert [table.bbox for table in tables] == [(120, 100, 320, 120), (100, 500, 300, 540)]
    assert [len(table.cells) for table in tables] == [2, 4]


def test_an_underline_alone_is_no_table():
    # "XÃ CAO NHÂN" underlined, and a short rule under the national motto.
    assert tables_from_subpaths([line(90, 120, 190, 120), line(330, 96, 470, 96)]) == []


def test_a_single_framed_box_is_no_table():
    assert tables_from_subpaths([rectangle(100, 100, 300, 140)]) == []


def test_a_slanted_single_line_is_a_vertical_edge_at_its_left_end_as_in_pdfplumber():
    # pdfplumber's line_to_edge calls every line whose ends differ in top "v".
    assert subpath_edges(line(100, 200, 140, 260)) == [Edge("v", 100, 200, 140, 260)]
    # The same step inside a polyline gives no edge at all.
    assert subpath_edges(Subpath(((100, 200), (140, 260), (140, 300)))) == [Edge("v", 140, 260, 140, 300)]


def test_filled_rule_keeps_its_long_sides_only():
    edges = subpath_edges(rectangle(100, 200, 300, 200.5))
    assert sorted(edges) == [Edge("h", 100, 200, 300, 200), Edge("h", 100, 200.5, 300, 200.5)]


def test_snapping_chains_lines_within_tolerance_to_their_mean():
    edges = [Edge("h", 0, top, 100, top) for top in (100.0, 102.5, 105.0, 109.0)]
    assert sorted(edge.top for edge in snap_edges(edges, 3.0)) == [102.5, 102.5, 102.5, 109.0]


def test_joining_bridges_gaps_up_to_the_tolerance_only():
    near_gap = [Edge("h", 0, 100, 50, 100), Edge("h", 52, 100, 120, 100)]
    wide_gap = [Edge("h", 0, 100, 50, 100), Edge("h", 60, 100, 120, 100)]
    assert join_edges(near_gap, 3.0) == [Edge("h", 0, 100, 120, 100)]
    assert join_edges(wide_gap, 3.0) == wide_gap


def test_segments_become_pdfminer_subpaths():
    a, b, c, d = (0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)
    # A rectangle (PDFium: m, l, l, l, l-closed) and a closed line (PDFium adds the line back).
    rect = [("m", a, False), ("l", b, False), ("l", c, False), ("l", d, False), ("l", a, True)]
    assert subpaths_from_segments(rect) == [Subpath((a, b, c, d, a), True)]
    assert subpaths_from_segments([("m", a, False), ("l", b, True)]) == [Subpath((a, b, a), True)]
    # A Bézier curve keeps its end point only; a lone move paints nothing.
    curve = [("m", a, False), ("c", (3, 5), False), ("c", (7, 5), False), ("c", b, False), ("m", c, False)]
    assert subpaths_from_segments(curve) == [Subpath((a, b), False)]


def test_matrices_compose_inner_then_outer():
    assert compose((1, 0, 0, 1, 5, 0), (0.1, 0, 0, 0.1, 10, 20)) == pytest.approx((0.1, 0, 0, 0.1, 10.5, 20))
    assert apply((0.1, 0, 0, 0.1, 0, 0), 825.5, 100) == pytest.approx((82.55, 10.0))


# ---------------------------------------------------------------------------------------------------
# Parity with pdfplumber on real pages
# ---------------------------------------------------------------------------------------------------


def plumber_cells(data: bytes) -> dict[int, list[list[Box]]]:
    """pdfplumber's cells per page and table, kept as ``pdf._find_tables`` keeps them."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return {
            page.page_number: [
                [tuple(cell) for cell in table.cells]
                for table in page.find_tables(TABLE_SETTINGS)
                if len(table.cells) >= 2
            ]
            for page in pdf.pages
        }


def grid_cells(data: bytes) -> dict[int, list[list[Box]] | None]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        found = {}
        for index in range(len(document)):
            page = document[index]
            tables = find_ruled_tables(page)
            found[index + 1] = None if tables is None else [table.cells for table in tables]
            page.close()
        return found
    finally:
        document.close()


def assert_same_tables(data: bytes) -> int:
    """Every page: as many tables as pdfplumber, each with the same cells within 1 pt. Returns the cells."""
    theirs, mine = plumber_cells(data), grid_cells(data)
    assert mine.keys() == theirs.keys()
    compared = 0
    for number, their_tables in theirs.items():
        my_tables = mine[number]
        assert my_tables is not None, f"page {number}: not sure"
        assert len(my_tables) == len(their_tables), f"page {number}"
        for my_cells, their_cells in zip(my_tables, their_tables, strict=True):
            assert near(my_cells, their_cells, tolerance=1.0), f"page {number}"
            compared += len(their_cells)
    return compared


@pytest.mark.parametrize("path", [SEED_WITH_TABLE, CONTINUED_TABLE], ids=lambda path: path.name)
def test_cells_equal_pdfplumbers_on_corpus_pdfs(path: Path):
    assert assert_same_tables(path.read_bytes()) > 50


def test_seed_table_page_has_its_230_cells():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(SEED_WITH_TABLE)
    tables = find_ruled_tables(document[1])
    assert tables is not None
    assert [len(table.cells) for table in tables] == [230]
    assert all(isinstance(table, FoundTable) for table in tables)
    document.close()


def tiny_pdf(content: bytes, form: bytes, form_matrix: str) -> bytes:
    """One A4 page drawing ``content``, with one form XObject /F0 holding ``form``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /F0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Form /BBox [-10 -10 4000 800] /Matrix [%s] /Length %d >>\nstream\n%s\nendstream"
        % (form_matrix.encode(), len(form), form),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# A grid in tenths of a point, its rules as filled rectangles 5 units (0.5 pt) thick, inside a form drawn
# twice through a scaling ``cm``: the matrices of the form and of the page must both be applied.
FORM_GRID = b"\n".join(
    [b"%g -2.5 5 605 re f" % (x - 2.5) for x in (0, 1000, 2500, 3000)]
    + [b"-2.5 %g 3005 5 re f" % (y - 2.5) for y in (0, 200, 400, 600)]
)
PAGE_DRAWING_FORM = b"q 0.1 0 0 0.1 100 600 cm /F0 Do Q q 0.1 0 0 0.1 100 300 cm /F0 Do Q"


@pytest.mark.parametrize("form_matrix", ["1 0 0 1 0 0", "0.5 0 0 0.5 20 10"])
def test_cells_equal_pdfplumbers_through_form_and_page_matrices(form_matrix: str):
    data = tiny_pdf(PAGE_DRAWING_FORM, FORM_GRID, form_matrix)
    assert assert_same_tables(data) == 18


def test_too_deep_forms_leave_the_page_to_pdfplumber(monkeypatch: pytest.MonkeyPatch):
    import pypdfium2 as pdfium

    monkeypatch.setattr(pdf_grid, "MAX_FORM_DEPTH", 0)
    document = pdfium.PdfDocument(tiny_pdf(PAGE_DRAWING_FORM, FORM_GRID, "1 0 0 1 0 0"))
    assert find_ruled_tables(document[0]) is None
    document.close()
