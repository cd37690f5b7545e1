"""Tables stage: from the readers' table grids to typed tables an auditor can check.

``build_tables(plan)`` is the stage's entry point. For each data table (layout grids and
lists in disguise are left out; a table continued on the next page is joined) it:

1. rebuilds a dense grid, restoring merges a text export lost (``rebuild.py``);
2. finds the header rows by content and flattens them into column paths, dropping the column-index row of
   official forms (``headers.py``);
3. finds the ordinal and label columns and the kind of each row: unit, total, subtotal, note (``rows.py``);
4. reads what each column means from its header words and links each percent to its count and base
   (``semantics.py``);
5. types every cell with the project's number parser, deciding "." and "," per column (``cells.py``);
6. reads the identities within each row: the index row's formulas, percents, row totals, flows, and percents
   the numbers alone explain (``index_row.py``, ``formulas.py``);
7. reads which rows add up which: the total over its groups or units, subtotals before or after their units
   (``hierarchy.py``);
8. finds the caption and section (``context.py``).

Knows plans, not file formats: a grid from a DOCX, a PDF or a text export gives the same table.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

from extractor.faults import Faults
from extractor.normalize.identities import Reading, evaluate_sum, read_rows
from extractor.structure.plan_text import PlanText
from extractor.tables.cells import (
    Convention,
    Measure,
    cell_nature,
    cell_number,
    choose_convention,
    read_number,
    table_convention,
    type_cell,
    type_text_cell,
)
from extractor.tables.context import table_caption
from extractor.tables.formulas import linked_columns, table_formulas
from extractor.tables.grid import DenseTable, Slot
from extractor.tables.headers import flatten_header_paths, read_header_layout
from extractor.tables.hierarchy import read_hierarchy
from extractor.tables.index_row import IndexRow, read_index_row
from extractor.tables.rebuild import dense_table, table_blocks
from extractor.tables.rows import LabelColumns, RowDraft, classify_rows, find_label_columns
from extractor.tables.semantics import (
    HOUSEHOLD_ROLES,
    ColumnMeaning,
    ColumnSense,
    column_senses,
    read_column_meaning,
)
from extractor.tables.vocabulary import header_key, vocabulary
from models.document import Document
from models.provenance import Span, is_low_confidence
from models.tables import Cell, CellProvenance, Column, Row, RowSum, Table

__all__ = ["build_table", "build_tables", "read_identities"]


def build_tables(plan: PlanText, faults: Faults | None = None) -> list[Table]:
    """Every data table of the document, typed, in reading order, with ids "t1", "t2", …

    Seed 001 gives one table: 13 village rows and "Tổng cộng", 15 columns (TT, Đơn vị, Tổng số hộ gia đình,
    then six groups of TS and %). Seeds 000 and 004 give none. A table whose building raises is left out,
    recorded in ``faults`` with the line it starts on; the other tables are still built.
    """
    faults = faults if faults is not None else Faults(strict=True)
    tables: list[Table] = []
    for block_indices in table_blocks(plan.document):
        first = plan.document.blocks[block_indices[0]]
        where = f"table at line {first.line}" if first.line is not None else f"table at page {first.page}"
        table_id = f"t{len(tables) + 1}"
        table = faults.run("tables", where, build_table, None, plan, block_indices, table_id)
        if table is not None:
            tables.append(table)
    _block_cells.cache_clear()  # a worker lives for many documents: keep none of this one's cells
    return tables


def build_table(plan: PlanText, block_indices: Sequence[int], table_id: str) -> Table | None:
    """One table from its block(s); None when nothing but headers is left."""
    document = plan.document
    dense = dense_table(document, block_indices)
    layout = read_header_layout([dense.origin_texts(row) for row in range(len(dense.rows))])
    paths = flatten_header_paths(dense, layout.header_rows)
    data_rows = list(range(layout.data_start, len(dense.rows)))
    label_columns = find_label_columns(dense, paths, data_rows)
    drafts = classify_rows(dense, data_rows, label_columns)
    if not drafts:
        return None
    index_row = _index_row(dense, layout.index_rows)
    columns = _columns(dense, paths, drafts, label_columns, index_row)
    rows = [
        _row(document, dense, draft, number, columns, label_columns) for number, draft in enumerate(drafts)
    ]
    first, last = document.blocks[block_indices[0]], document.blocks[block_indices[-1]]
    title = " ".join(dense.origin_texts(layout.title_rows[0])) if layout.title_rows else None
    span = Span(start=first.span.start, end=last.span.end)
    section = plan.index.at(span.start)
    table = Table(
        id=table_id,
        caption=table_caption(plan, block_indices[0], title),
        section_id=section.id if section is not None else None,
        columns=columns,
        rows=rows,
        page=first.page,
        bbox=first.bbox,
        span=span,
    )
    table = read_identities(table, index_row)
    return table.model_copy(update={"per_unit": _is_per_unit(table.rows, label_columns)})


# -- columns ----------------------------------------------------------------------------------------------


def _column_raws(dense: DenseTable, column: int, drafts: Sequence[RowDraft], kinds: set[str]) -> list[str]:
    raws = []
    for draft in drafts:
        slot = dense.rows[draft.row][column]
        if draft.kind in kinds and slot.is_origin and slot.text:
            raws.append(slot.text)
    return raws


def _holds_numbers(raws: Sequence[str]) -> bool:
    natures = [cell_nature(raw) for raw in raws]
    return natures.count("number") > 0 and natures.count("number") >= natures.count("text")


def _measure(meaning: ColumnMeaning) -> Measure | None:
    if meaning.measure is None and (meaning.total_households or (meaning.population and meaning.stage)):
        return "count"
    return meaning.measure


def _all_whole(raws: Sequence[str], convention: Convention | None) -> bool:
    readings = [read_number(number.numeral, convention) for raw in raws if (number := cell_number(raw))]
    return all(reading is not None and reading.decimals == 0 for reading in readings)


def _index_row(dense: DenseTable, index_rows: Sequence[int]) -> IndexRow | None:
    """The first column-index row under the header, one text per column (a merged cell once)."""
    if not index_rows:
        return None
    return read_index_row([slot.text if slot.is_origin else "" for slot in dense.rows[index_rows[0]]])


def _columns(
    dense: DenseTable,
    paths: list[list[str]],
    drafts: Sequence[RowDraft],
    label_columns: LabelColumns,
    index_row: IndexRow | None,
) -> list[Column]:
    meanings = [read_column_meaning(path) for path in paths]
    data_raws = [_column_raws(dense, c, drafts, {"unit", "total", "subtotal"}) for c in range(dense.n_cols)]
    numeric = [_holds_numbers(raws) for raws in data_raws]
    hint = table_convention(raw for c, raws in enumerate(data_raws) if numeric[c] for raw in raws)
    conventions = [
        choose_convention(
            _column_raws(dense, c, drafts, {"unit"}),
            _column_raws(dense, c, drafts, {"total"}),
            _measure(meanings[c]),
            hint,
        )
        if numeric[c] and c not in label_columns.all()
        else None
        for c in range(dense.n_cols)
    ]
    whole = [_all_whole(data_raws[c], conventions[c]) for c in range(dense.n_cols)]
    senses = column_senses(paths, meanings, label_columns.ordinal, label_columns.labels, numeric, whole)
    marks = index_row.marks if index_row is not None else {}
    return [
        _column(index, paths[index], senses[index], conventions[index], marks.get(index))
        for index in range(dense.n_cols)
    ]


def _column(
    index: int, path: list[str], sense: ColumnSense, convention: Convention | None, mark: str | None
) -> Column:
    return Column(
        index=index,
        path=path,
        index_label=mark,
        role=sense.role,
        unit=sense.unit,
        decimal_convention=convention,
        count_column=sense.count_column,
        base_column=sense.base_column,
    )


# -- identities between rows --------------------------------------------------------------------------------

ADDITIVE_TYPES = ("count", "money")
YEARS = range(1900, 2101)


Additivity = Literal["yes", "if_confirmed", "no"]


def _additivity(column: Column, rows: Sequence[Row], percent_columns: set[int]) -> Additivity:
    """Counts and money add up down the rows; percents, ordinals, labels, averages ("bình quân"), prices and
    columns of years do not. Other numbers ("254,6" ha, "86,0" in a table whose header names no money) add
    up if the table's own sums confirm it."""
    if column.role in ("ordinal", "label", "percent") or column.index in percent_columns:
        return "no"
    if column.path and vocabulary().non_additive_headers.found_in(header_key(" ".join(column.path))):
        return "no"
    cells = [cell for row in rows if row.kind != "note" and (cell := row.cell(column.index)) is not None]
    types = {cell.type for cell in cells}
    values = [cell.value for cell in cells if cell.value is not None]
    if "percent" in types or (values and all(isinstance(value, int) and value in YEARS for value in values)):
        return "no"
    if types & set(ADDITIVE_TYPES):
        return "yes"
    return "if_confirmed" if "number" in types else "no"


def read_identities(table: Table, index_row: IndexRow | None = None) -> Table:
    """The table with the identities its numbers must satisfy: the row formulas (index row, header, numbers;
    percent columns linked to the count and base chosen), which columns add up, and the row sums with the
    row kinds as the numbers settle them."""
    formulas = table_formulas(table.columns, table.rows, index_row)
    columns = linked_columns(table.columns, formulas)
    percents = {formula.column for formula in formulas if formula.kind == "percent"}
    additivity = {column.index: _additivity(column, table.rows, percents) for column in columns}
    rows, sums, additive = _row_sums(list(table.rows), additivity)
    columns = [column.model_copy(update={"additive": column.index in additive}) for column in columns]
    return table.model_copy(update={"columns": columns, "rows": rows, "formulas": formulas, "sums": sums})


def _row_sums(rows: list[Row], additivity: dict[int, Additivity]) -> tuple[list[Row], list[RowSum], set[int]]:
    """The rows with their kinds as the numbers settle them, the table's row sums, and the columns they are
    checked in (a column of plain numbers when most of its sums agree)."""
    candidates = [index for index, kind in additivity.items() if kind != "no"]
    readings: list[dict[int, Reading]] = read_rows(rows)
    hierarchy = read_hierarchy(rows, candidates, readings)
    by_row = {row.id: position for position, row in enumerate(rows)}
    additive = {index for index, kind in additivity.items() if kind == "yes"}
    for index in candidates:
        if additivity[index] == "if_confirmed" and _sums_agree(hierarchy.sums, by_row, readings, index):
            additive.add(index)
    settled = [
        row if row.kind == kind else row.model_copy(update={"kind": kind})
        for row, kind in zip(rows, hierarchy.kinds, strict=True)
    ]
    return settled, list(hierarchy.sums), additive


def _sums_agree(
    sums: Sequence[RowSum], by_row: dict[str, int], readings: Sequence[dict[int, Reading]], column: int
) -> bool:
    verdicts = [
        evaluate_sum(
            readings[by_row[row_sum.row_id]], [readings[by_row[part]] for part in row_sum.parts], column
        )
        for row_sum in sums
    ]
    readable = [verdict for verdict in verdicts if verdict is not None]
    return bool(readable) and sum(1 for verdict in readable if verdict.consistent) * 2 >= len(readable)


def column_measure(column: Column) -> Measure | None:
    """What a column's cells are typed as, from its role: a percent, money, or a count."""
    if column.role == "percent":
        return "percent"
    if column.role == "money":
        return "money"
    if column.role == "count" or column.role in HOUSEHOLD_ROLES:
        return "count"
    return None


# -- rows and cells ---------------------------------------------------------------------------------------


def _row(
    document: Document,
    dense: DenseTable,
    draft: RowDraft,
    number: int,
    columns: Sequence[Column],
    label_columns: LabelColumns,
) -> Row:
    cells = [
        _cell(document, slot, columns[slot.col], slot.col in label_columns.all())
        for slot in dense.rows[draft.row]
    ]
    return Row(id=f"r{number + 1}", index=number, label=draft.label, kind=draft.kind, cells=cells)


def _cell(document: Document, slot: Slot, column: Column, in_label_column: bool) -> Cell:
    raw = slot.text if slot.is_origin else ""
    typed = (
        type_text_cell(raw)
        if in_label_column
        else type_cell(raw, column_measure(column), column.decimal_convention)
    )
    confidence = slot.cell.confidence if slot.cell is not None and slot.is_origin else None
    return Cell(
        column=slot.col,
        raw=raw,
        value=typed.value,
        decimals=typed.decimals,
        type=typed.type,
        provenance=cell_provenance(document, slot),
        confidence=confidence,
        low_confidence=is_low_confidence(confidence),
    )


def cell_provenance(document: Document, slot: Slot) -> CellProvenance:
    """Page and box (PDF), line (text export), and the cell's span in the document text when it can be
    located exactly in the table block's text."""
    block = document.blocks[slot.block]
    cell = slot.cell
    if cell is None or not slot.is_origin:
        return CellProvenance(page=block.page)
    return CellProvenance(page=block.page, bbox=cell.bbox, line=cell.line, span=_cell_span(document, slot))


def _cell_span(document: Document, slot: Slot) -> Span | None:
    """The normalize stage lays a table out as rows on lines and cells at their column between tabs; the
    offset found that way is kept only when the text there is the cell's."""
    block = document.blocks[slot.block]
    cell = slot.cell
    if cell is None or not slot.text:
        return None
    lines = _block_cells(block.text)
    if cell.row >= len(lines) or cell.col >= len(lines[cell.row]):
        return None
    offset, piece = lines[cell.row][cell.col]
    if piece != slot.text:
        return None
    start = block.span.start + offset
    if document.text[start : start + len(slot.text)] != slot.text:
        return None
    return Span(start=start, end=start + len(slot.text))


@functools.lru_cache(maxsize=8)
def _block_cells(text: str) -> tuple[tuple[tuple[int, str], ...], ...]:
    """A table block's text cut into lines of tab-separated pieces, each with its offset in the block:
    "a\tb\nc" -> (((0, "a"), (2, "b")), ((4, "c"),)). Cut once per block, not once per cell."""
    lines: list[tuple[tuple[int, str], ...]] = []
    offset = 0
    for line in text.split("\n"):
        pieces: list[tuple[int, str]] = []
        at = offset
        for piece in line.split("\t"):
            pieces.append((at, piece))
            at += len(piece) + 1
        lines.append(tuple(pieces))
        offset += len(line) + 1
    return tuple(lines)


def _is_per_unit(rows: Sequence[Row], label_columns: LabelColumns) -> bool:
    """Rows that are units (at least two, named) with a total row."""
    units = [row for row in rows if row.kind == "unit" and row.label]
    return bool(label_columns.labels) and len(units) >= 2 and any(row.kind == "total" for row in rows)
