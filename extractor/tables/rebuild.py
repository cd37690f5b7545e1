"""Rebuild a reader's table grid into a dense table, and join tables continued on the next page.

A DOCX or PDF grid knows its merged cells. A text export does not: seed 001's export writes the group
headers ("Hộ nghèo đầu năm 2021" …) as six cells over twelve "TS"/"%" columns, and its total row as 14 cells
because "Tổng cộng" covered two; seed 002's export leaves empty cells where "HỘ NGHÈO" spread over six
columns. Those merges are restored here from what the grid shows, so every format gives the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.tables.cells import cell_nature
from extractor.tables.grid import DenseTable, Slot, collapse_spaces
from extractor.tables.headers import is_column_index_row, read_header_layout
from models.document import Block, Document, TableCell, TableGrid

# A grid needs this many rows holding at least two written cells to be a table (a list is not one).
MIN_ROWS_WITH_TWO_CELLS = 2


@dataclass(frozen=True)
class _Placement:
    """A cell placed on the grid: where it starts and how far it spreads."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    cell: TableCell | None


def is_data_table(grid: TableGrid) -> bool:
    """False for a layout grid and for a grid that is a list in disguise (one written cell per row)."""
    if grid.layout or grid.n_rows < 2 or grid.n_cols < 2:
        return False
    written: dict[int, int] = {}
    for cell in grid.cells:
        if cell.text.strip():
            written[cell.row] = written.get(cell.row, 0) + 1
    return sum(1 for count in written.values() if count >= 2) >= MIN_ROWS_WITH_TWO_CELLS


def rebuild_grid(grid: TableGrid, block: int = 0) -> list[list[Slot]]:
    """The dense rows of one grid: merges spread over the slots they cover, text-export merges restored."""
    placements = [
        _Placement(cell.row, cell.col, cell.row_span, cell.col_span, collapse_spaces(cell.text), cell)
        for cell in grid.cells
    ]
    n_cols = max([grid.n_cols, *(p.col + p.col_span for p in placements)])
    n_rows = max([grid.n_rows, *(p.row + p.row_span for p in placements)])
    if not any(p.row_span > 1 or p.col_span > 1 for p in placements):
        placements = _restore_text_export_merges(placements, n_rows, n_cols)
    rows = _expand(placements, n_rows, n_cols, block)
    layout = read_header_layout([_written(row) for row in rows])
    _spread_headers_over_empty_cells(rows, layout.header_rows)
    return rows


def _written(row: Sequence[Slot]) -> list[str]:
    return [slot.text for slot in row if slot.is_origin]


def _expand(placements: list[_Placement], n_rows: int, n_cols: int, block: int) -> list[list[Slot]]:
    rows: list[list[Slot | None]] = [[None] * n_cols for _ in range(n_rows)]
    for p in placements:
        for row in range(p.row, min(p.row + p.row_span, n_rows)):
            for col in range(p.col, min(p.col + p.col_span, n_cols)):
                if rows[row][col] is None:
                    rows[row][col] = Slot(row, col, p.text, (p.row, p.col), p.cell, block)
    return [
        [slot if slot is not None else Slot(r, c, "", (r, c), None, block) for c, slot in enumerate(row)]
        for r, row in enumerate(rows)
    ]


# -- text exports ---------------------------------------------------------------------------------------


def _restore_text_export_merges(placements: list[_Placement], n_rows: int, n_cols: int) -> list[_Placement]:
    """Rows shorter than the table: spread header groups over their sub-columns, right-align data rows."""
    by_row: list[list[_Placement]] = [[] for _ in range(n_rows)]
    for p in placements:
        by_row[p.row].append(p)
    for cells in by_row:
        cells.sort(key=lambda p: p.col)
    layout = read_header_layout([[p.text for p in cells] for cells in by_row])
    restored: list[_Placement] = []
    for row, cells in enumerate(by_row):
        if not _is_short_row(cells, n_cols):
            restored.extend(cells)
        elif row in layout.header_rows:
            below = by_row[row + 1] if row + 1 < n_rows and row + 1 in layout.header_rows else []
            restored.extend(_spread_header_groups(cells, below, n_cols))
        elif row >= layout.data_start:
            restored.extend(_right_align(cells, n_cols))
        else:
            restored.extend(cells)
    return restored


def _is_short_row(cells: list[_Placement], n_cols: int) -> bool:
    """A row of contiguous cells ending before the last column: its merges were lost."""
    return bool(cells) and [p.col for p in cells] == list(range(len(cells))) and len(cells) < n_cols


def _spread_header_groups(cells: list[_Placement], below: list[_Placement], n_cols: int) -> list[_Placement]:
    """Seed 001's export: "TT, Đơn vị, Tổng số hộ" over empty cells below keep one column each; the six
    groups after them share the twelve "TS, %" columns, split where the sub-headers repeat."""
    below_texts = {p.col: p.text for p in below}
    leading = 0
    while leading < len(cells) and not below_texts.get(leading, ""):
        leading += 1
    groups = cells[leading:]
    if not groups or leading >= n_cols:
        return cells
    widths = _group_widths(len(groups), [below_texts.get(col, "") for col in range(leading, n_cols)])
    if widths is None:
        return cells
    spread = list(cells[:leading])
    start = leading
    for cell, width in zip(groups, widths, strict=True):
        spread.append(replace(cell, col=start, col_span=width))
        start += width
    return spread


def _group_widths(n_groups: int, sub_headers: list[str]) -> list[int] | None:
    """How many sub-columns each group covers: where the sub-headers repeat ("TS, %, TS, %"), or evenly."""
    first = sub_headers[0] if sub_headers else ""
    starts = [index for index, text in enumerate(sub_headers) if first and text == first]
    if len(starts) == n_groups:
        return [end - start for start, end in zip(starts, [*starts[1:], len(sub_headers)], strict=True)]
    if len(sub_headers) % n_groups == 0:
        return [len(sub_headers) // n_groups] * n_groups
    return None


def _right_align(cells: list[_Placement], n_cols: int) -> list[_Placement]:
    """A data row whose label covered several columns ("Tổng cộng" over TT and Đơn vị): the label spreads
    so that the numbers stand under their columns. A row starting with a number is left as it is."""
    if cell_nature(cells[0].text) != "text":
        return cells
    missing = n_cols - len(cells)
    first = replace(cells[0], col_span=1 + missing)
    return [first, *(replace(p, col=p.col + missing) for p in cells[1:])]


# -- merged header cells shown as empty cells -----------------------------------------------------------


def _spread_headers_over_empty_cells(rows: list[list[Slot]], header_rows: Sequence[int]) -> None:
    """Seed 002's export: "HỘ NGHÈO" followed by five empty cells covered six columns. An empty header cell
    takes the text on its left, within the group above it."""
    for row in header_rows:
        slots = rows[row]
        for col in range(1, len(slots)):
            left = slots[col - 1]
            if not slots[col].is_empty or left.is_empty or not _spreadable(slots[col]):
                continue
            if row > 0 and rows[row - 1][col].origin != rows[row - 1][col - 1].origin:
                continue  # the group above ends here
            slots[col] = Slot(row, col, left.text, left.origin, left.cell, left.block)


def _spreadable(slot: Slot) -> bool:
    return slot.cell is None or (slot.cell.row_span == 1 and slot.cell.col_span == 1)


# -- tables continued on the next page ------------------------------------------------------------------


def table_blocks(document: Document) -> list[list[int]]:
    """Indices of the TABLE blocks that hold data tables, grouped so a table continued on the next page
    (a PDF reader gives two blocks) is one group."""
    groups: list[list[int]] = []
    for index, block in enumerate(document.blocks):
        if block.table is None or not is_data_table(block.table):
            continue
        if groups and _continues(document.blocks, groups[-1][-1], index):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _continues(blocks: Sequence[Block], previous: int, index: int) -> bool:
    before, after = blocks[previous], blocks[index]
    if before.page is None or after.page is None or after.page != before.page + 1:
        return False
    between = blocks[previous + 1 : index]
    if any(not block.text.strip().isdigit() for block in between):
        return False  # only a left-over page number may sit between the two parts
    assert before.table is not None and after.table is not None
    return _width(before.table) == _width(after.table)


def _width(grid: TableGrid) -> int:
    return max([grid.n_cols, *(cell.col + cell.col_span for cell in grid.cells)])


def dense_table(document: Document, block_indices: Sequence[int]) -> DenseTable:
    """One table from its blocks: the first block's rows, then each continuation's rows without the header
    rows (and column-index row) it repeats."""
    rows: list[list[Slot]] = []
    header_texts: list[list[str]] = []
    for piece, index in enumerate(block_indices):
        grid = document.blocks[index].table
        assert grid is not None
        piece_rows = rebuild_grid(grid, index)
        if piece == 0:
            layout = read_header_layout([_written(row) for row in piece_rows])
            header_texts = [[slot.text for slot in piece_rows[r]] for r in range(layout.data_start)]
        else:
            piece_rows = _without_repeated_header(piece_rows, header_texts)
        rows.extend(_renumbered(piece_rows, len(rows)))
    n_cols = max((len(row) for row in rows), default=0)
    return DenseTable(
        rows=tuple(tuple(row) for row in rows),
        n_cols=n_cols,
        blocks=tuple(document.blocks[index] for index in block_indices),
        block_indices=tuple(block_indices),
    )


def _without_repeated_header(rows: list[list[Slot]], header_texts: list[list[str]]) -> list[list[Slot]]:
    skip = 0
    while (
        skip < len(rows) and skip < len(header_texts) and [s.text for s in rows[skip]] == header_texts[skip]
    ):
        skip += 1
    while skip < len(rows) and is_column_index_row(_written(rows[skip])):
        skip += 1
    return rows[skip:]


def _renumbered(rows: list[list[Slot]], offset: int) -> list[list[Slot]]:
    if not rows:
        return []
    first = rows[0][0].row
    shift = offset - first
    return [
        [replace(slot, row=slot.row + shift, origin=(slot.origin[0] + shift, slot.origin[1])) for slot in row]
        for row in rows
    ]
