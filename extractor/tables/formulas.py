"""The identities among the cells of each row of a table: percents, row totals, flows, index-row formulas.

A table says how some of its columns are computed, in three ways an auditor reads:

1. the column-index row writes it: "(3)=(1)+(2)", "(5)=(4)/(1)×100" (``index_row.py``);
2. the header words say it: "Hộ nghèo / TS | %" over "Tổng số hộ" (a percent of a count over a base),
   "Cuối năm = Đầu năm − Giảm + Phát sinh" (a flow), "Tổng" beside year or source columns (a row total);
3. the numbers show it: a percent column no header explains is the share of the count and base columns that
   explain most of its rows, as GRIM explains a stated value.

Every identity is then held against the rows (``rows_holding`` of ``rows_checked``). A declared identity
(1, 2) that almost no row agrees with is not certain, and gives way to one found in the numbers (3) that
explains more rows; one found in the numbers is kept only when most rows confirm it. The checks raise errors
only on certain identities. Decimal arithmetic throughout, with the
tolerances of ``normalize/tolerance.py``; a first pass in floats only narrows the search.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

import regex

from extractor.normalize.identities import Reading, evaluate_formula, read_rows
from extractor.tables.index_row import IndexRow
from extractor.tables.semantics import HOUSEHOLD_ROLES
from extractor.tables.vocabulary import header_key, vocabulary
from models.tables import Column, Formula, FormulaKind, Row

# A declared identity is certain unless fewer than this share of the rows it reads agree with it: a real
# table may be wrong in many rows (seed 001's end-of-year percents, five right of fourteen), but a header
# read wrongly agrees with almost none.
DECLARED_CONFIRMATION = 0.25
# An identity found in the numbers alone must hold in this share of its rows, and in this many at least
# (two of a short table's three rows); found on fewer than MIN_ROWS_ALONE rows it must be the only one that fits.
DISCOVERY_SHARE = 0.66
DISCOVERY_MIN_ROWS = 2
MIN_ROWS_ALONE = 3
# Pairs of columns are tried that fit one of this many first rows whose percent is written and not zero.
SAMPLE_ROWS = 3
# A column headed as a total sums the run of columns beside it that agrees in this share of the rows at
# least (one typo in a unit row breaks its own row and the total row's: two rows of a short table).
TOTAL_CONFIRMATION = 0.5
# A row total is looked for over runs of this many adjacent columns at most.
MAX_TOTAL_TERMS = 12
NOT_OPERANDS = ("ordinal", "label", "percent")


def formula_holds(formula: Formula, cells: dict[int, Reading]) -> bool | None:
    """Whether one row satisfies the formula; None when the row cannot tell."""
    evaluation = evaluate_formula(formula, cells)
    return None if evaluation is None else evaluation.consistent


def confirmed(formula: Formula, readings: Sequence[dict[int, Reading]]) -> Formula:
    """The formula with its rows counted and its certainty decided (see the module's rule)."""
    verdicts = [formula_holds(formula, cells) for cells in readings]
    checked = sum(1 for verdict in verdicts if verdict is not None)
    holding = sum(1 for verdict in verdicts if verdict)
    if formula.basis == "numbers":
        certain = holding >= max(DISCOVERY_MIN_ROWS, math.ceil(DISCOVERY_SHARE * checked - 1e-9))
    else:
        certain = checked == 0 or holding >= DECLARED_CONFIRMATION * checked
    return formula.model_copy(update={"rows_checked": checked, "rows_holding": holding, "certain": certain})


# -- declared formulas ------------------------------------------------------------------------------------


def index_row_formulas(index_row: IndexRow | None, columns: Sequence[Column]) -> list[Formula]:
    """The understood formulas of the column-index row; a ratio on a percent column is a percent even
    without "× 100" ("(4)=(3)/(2)")."""
    if index_row is None:
        return []
    formulas = []
    for written in index_row.formulas:
        if not written.understood or written.column >= len(columns):
            continue
        if written.over:
            if not (written.percent or columns[written.column].role == "percent"):
                continue
            kind: FormulaKind = "percent"
        else:
            kind = "formula" if written.minus else "sum"
        formulas.append(
            Formula(
                kind=kind,
                column=written.column,
                plus=list(written.plus),
                minus=list(written.minus),
                over=list(written.over),
                basis="index_row",
                written=written.written,
            )
        )
    return formulas


def header_percents(columns: Sequence[Column]) -> list[Formula]:
    """Percent columns linked by their header words to a count and a base ("Hộ nghèo / %" -> "Hộ nghèo /
    TS" over "Tổng số hộ")."""
    return [
        Formula(
            kind="percent",
            column=column.index,
            plus=[column.count_column],
            over=[column.base_column],
            basis="header",
        )
        for column in columns
        if column.role == "percent" and column.count_column is not None and column.base_column is not None
    ]


def header_flows(columns: Sequence[Column]) -> list[Formula]:
    """ "Cuối năm = Đầu năm − Giảm + Phát sinh" for each group of households whose stages the header names."""
    formulas = []
    by_role: dict[str, list[int]] = {}
    for column in columns:
        if column.role in HOUSEHOLD_ROLES:
            by_role.setdefault(column.role, []).append(column.index)
    for group in ("poor", "near_poor"):
        start, reduction, end = (
            by_role.get(f"{group}_{stage}", []) for stage in ("start", "reduction", "end")
        )
        if len(start) != 1 or len(reduction) != 1 or len(end) != 1:
            continue
        new = by_role.get(f"{group}_new", [])
        formulas.append(
            Formula(kind="flow", column=end[0], plus=[start[0], *new], minus=reduction, basis="header")
        )
    return formulas


# -- row totals -------------------------------------------------------------------------------------------


# What may follow a total's word in its header: a span of years ("Tổng 3 năm", "Tổng giai đoạn 2021 - 2025"),
# a money unit ("Tổng kinh phí (triệu đồng)"). Anything else names what is counted: "Tổng số trường" is
# the number of schools (a base), not a sum of the columns beside it.
_TOTAL_QUALIFIERS = regex.compile(
    r"\s+(?:\d+\s+nam|giai doan|nam|\d{4}|trieu dong|ty dong|nghin dong|dong)\b.*$"
)


def is_total_header(path: Sequence[str]) -> bool:
    """A column named a total of the columns beside it: "Tổng", "Cộng", "Tổng cộng", "Tổng 3 năm", "Tổng kinh
    phí (triệu đồng)"; not "Tổng số trường" or "Tổng số hộ" (what the unit has, not a sum)."""
    if not path:
        return False
    key = _TOTAL_QUALIFIERS.sub("", header_key(path[-1]))
    return vocabulary().row_total_headers.matches_whole(key)


def _operand(column: Column, readings: Sequence[dict[int, Reading]]) -> bool:
    return column.role not in NOT_OPERANDS and any(column.index in cells for cells in readings)


def _runs_beside(
    index: int, columns: Sequence[Column], readings: Sequence[dict[int, Reading]]
) -> list[list[int]]:
    """Runs of two or more adjacent number columns just right or just left of column ``index``, and the
    columns under the same group header."""
    runs = []
    for step in (1, -1):
        run: list[int] = []
        position = index + step
        while (
            0 <= position < len(columns)
            and len(run) < MAX_TOTAL_TERMS
            and _operand(columns[position], readings)
        ):
            run.append(position)
            if len(run) >= 2:
                runs.append(sorted(run))
            position += step
    group = columns[index].path[:-1]
    if group:
        same = [
            c.index for c in columns if c.index != index and c.path[:-1] == group and _operand(c, readings)
        ]
        if len(same) >= 2:
            runs.append(same)
    return runs


def row_total_formulas(columns: Sequence[Column], readings: Sequence[dict[int, Reading]]) -> list[Formula]:
    """A column headed as a total ("Tổng", "Tổng 3 năm") and the run of columns beside it that it sums in
    half the rows at least: the header declares the total, the numbers say of which columns."""
    formulas = []
    for column in columns:
        if column.role in NOT_OPERANDS or not is_total_header(column.path):
            continue
        candidates = [
            confirmed(Formula(kind="sum", column=column.index, plus=run, basis="numbers"), readings)
            for run in _runs_beside(column.index, columns, readings)
        ]
        best = max(candidates, key=lambda formula: (formula.rows_holding, -len(formula.plus)), default=None)
        if best is not None and best.rows_holding >= max(
            2, math.ceil(TOTAL_CONFIRMATION * best.rows_checked)
        ):
            formulas.append(best.model_copy(update={"basis": "header"}))
    return formulas


# -- percents found in the numbers ------------------------------------------------------------------------


def _is_percent_column(column: Column, rows: Sequence[Row]) -> bool:
    """A column of percents: headed so, written with "%", or a column of plain numbers with decimals, all
    between 0 and 100 ("Kết quả" over "58,80", "94,60"), which the numbers may then show to be a share."""
    if column.role == "percent":
        return True
    cells = [cell for row in rows if row.kind != "note" and (cell := row.cell(column.index)) is not None]
    types = [cell.type for cell in cells if cell.type != "empty"]
    if types.count("percent") > 0 and types.count("percent") >= len(types) / 2:
        return True
    values = [cell.value for cell in cells if cell.type == "number" and cell.value is not None]
    return (
        column.role == "other"
        and bool(values)
        and len(values) == len(types)
        and any(cell.decimals > 0 for cell in cells)
        and all(0 <= value <= 100 for value in values)
    )


def _informative(readings: Sequence[dict[int, Reading]], column: int) -> list[dict[int, Reading]]:
    """Rows whose percent is written and not zero: a zero share fits every base."""
    return [cells for cells in readings if (cell := cells.get(column)) and not cell.empty and cell.value != 0]


def _roughly(percent: Reading, count: Reading, base: Reading) -> bool:
    if base.value == 0:
        return False
    exact = float(count.value) * 100 / float(base.value)
    return abs(float(percent.value) - exact) < float(Decimal(1).scaleb(-percent.decimals)) * 1.01


def _pairs_fitting(
    column: int, operands: Sequence[int], sample: dict[int, Reading]
) -> Iterable[tuple[int, int]]:
    percent = sample[column]
    for count in operands:
        for base in operands:
            if (
                count != base
                and count in sample
                and base in sample
                and _roughly(percent, sample[count], sample[base])
            ):
                yield count, base


def discovered_percent(
    column: Column, columns: Sequence[Column], readings: Sequence[dict[int, Reading]]
) -> Formula | None:
    """The count and base columns that explain most rows of a percent column, when most rows confirm them.

    The pairs fitting any of the first informative rows (one of them may be the wrong one) are held against
    every row; ties go to the count nearest the percent (a share is written beside its count) and then to the
    nearest base. Found on two rows only, the pair must be the only one that fits them.
    """
    informative = _informative(readings, column.index)
    if len(informative) < DISCOVERY_MIN_ROWS:
        return None
    operands = [c.index for c in columns if c.index != column.index and _operand(c, readings)]
    pairs = {
        pair
        for sample in informative[:SAMPLE_ROWS]
        for pair in _pairs_fitting(column.index, operands, sample)
    }
    found = [
        confirmed(
            Formula(kind="percent", column=column.index, plus=[count], over=[base], basis="numbers"), readings
        )
        for count, base in sorted(pairs)
    ]
    certain = [formula for formula in found if formula.certain]
    if not certain:
        return None
    best = max(certain, key=lambda formula: _rank(formula, column.index))
    if (
        best.rows_holding < MIN_ROWS_ALONE
        and sum(1 for f in certain if f.rows_holding == best.rows_holding) > 1
    ):
        return None
    return best


def _rank(formula: Formula, column: int) -> tuple[int, int, int]:
    return (formula.rows_holding, -abs(formula.plus[0] - column), -abs(formula.over[0] - column))


# -- one formula per column -------------------------------------------------------------------------------


def table_formulas(
    columns: Sequence[Column], rows: Sequence[Row], index_row: IndexRow | None
) -> list[Formula]:
    """Every identity of the table's rows, one per stated column, the best-founded first: the index row's,
    then the header's, then one found in the numbers; a declared percent gives way to one the numbers
    confirm on more rows (a percent of persons the header words seemed to put over households)."""
    readings = read_rows(rows)
    declared: dict[int, Formula] = {}
    for formula in (
        *index_row_formulas(index_row, columns),
        *header_percents(columns),
        *header_flows(columns),
        *row_total_formulas(columns, readings),
    ):
        if formula.column not in declared:
            declared[formula.column] = confirmed(formula, readings)
    chosen = dict(declared)
    for column in columns:
        if not _is_percent_column(column, rows):
            continue
        current = chosen.get(column.index)
        if current is not None and (
            current.basis == "index_row" or current.rows_holding == current.rows_checked
        ):
            continue
        found = discovered_percent(column, columns, readings)
        if found is not None and (current is None or found.rows_holding > current.rows_holding):
            chosen[column.index] = found
    return [chosen[index] for index in sorted(chosen)]


def linked_columns(columns: Sequence[Column], formulas: Sequence[Formula]) -> list[Column]:
    """Columns with the count and base links of the percent formulas chosen (one count over one base)."""
    links = {
        formula.column: (formula.plus[0], formula.over[0])
        for formula in formulas
        if formula.kind == "percent"
        and len(formula.plus) == 1
        and len(formula.over) == 1
        and not formula.minus
    }
    updated = []
    for column in columns:
        if column.index in links:
            count, base = links[column.index]
            column = column.model_copy(update={"count_column": count, "base_column": base})
        updated.append(column)
    return updated
