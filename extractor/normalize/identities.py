"""The arithmetic of a table's identities, shared by the stage that reads them and the checks that judge them.

A row formula ("(5)=(4)/(1)×100", a "Tổng" column over its year columns) and a row sum (the total over its
units) are evaluated here, once, in ``Decimal`` with the tolerances of ``tolerance.py``: the tables stage
counts the rows that agree to decide how sure an identity is, the checks turn the rows that do not into
findings, and both get the same verdict for the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from extractor.normalize.tolerance import agrees, as_decimal, percent_of, sum_agrees
from models.tables import Formula, Row

NUMERIC_TYPES = ("count", "percent", "money", "number")


@dataclass(frozen=True)
class Reading:
    """One cell as the identities read it: its value (0 for a "-"), written decimals, its text, and
    whether the cell reports nothing."""

    value: Decimal
    decimals: int
    raw: str
    empty: bool


def read_row(row: Row) -> dict[int, Reading]:
    """A row's readable cells by column: numbers as Decimal, "-" and blanks as an empty 0; none for a note."""
    if row.kind == "note":
        return {}
    cells: dict[int, Reading] = {}
    for cell in row.cells:
        if cell.type in NUMERIC_TYPES and cell.value is not None:
            cells[cell.column] = Reading(as_decimal(cell.value), cell.decimals, cell.raw, False)
        elif cell.type == "empty":
            cells[cell.column] = Reading(Decimal(0), 0, cell.raw, True)
    return cells


def read_rows(rows: Sequence[Row]) -> list[dict[int, Reading]]:
    return [read_row(row) for row in rows]


@dataclass(frozen=True)
class Evaluation:
    """A formula or sum on one row: the stated cell, the value the other cells give, whether they agree.

    ``holds`` is exact agreement (a percent within one unit of its last decimal, a sum to the last digit);
    ``rounding`` a sum of decimals that misses by no more than the rounding of its terms could (see
    ``tolerance.sum_slack``): not a proven error, and no sign of a misread table either.
    """

    stated: Reading
    found: Decimal
    decimals: int
    holds: bool
    rounding: bool = False

    @property
    def consistent(self) -> bool:
        """Agrees, or misses by rounding only: what the tables stage counts to confirm an identity."""
        return self.holds or self.rounding


def evaluate_formula(formula: Formula, cells: dict[int, Reading]) -> Evaluation | None:
    """The formula on one row; None when the row cannot tell (a cell unreadable, the stated cell empty, a
    zero base). A percent agrees within one unit of its last decimal, a sum within its rounding."""
    stated = cells.get(formula.column)
    if stated is None or stated.empty:
        return None
    terms = [cells.get(index) for index in (*formula.plus, *formula.minus, *formula.over)]
    if any(term is None for term in terms):
        return None
    found = sum((cells[i].value for i in formula.plus), Decimal(0)) - sum(
        (cells[i].value for i in formula.minus), Decimal(0)
    )
    if formula.kind == "percent":
        base = sum((cells[i].value for i in formula.over), Decimal(0))
        if base == 0:
            return None
        exact = percent_of(found, base)
        return Evaluation(stated, exact, stated.decimals, agrees(stated.value, stated.decimals, exact))
    decimals = max([stated.decimals, *(cells[i].decimals for i in (*formula.plus, *formula.minus))])
    return _sum_evaluation(stated, found, decimals, len(formula.plus) + len(formula.minus))


def _sum_evaluation(stated: Reading, found: Decimal, decimals: int, terms: int) -> Evaluation:
    exact = stated.value == found
    return Evaluation(
        stated, found, decimals, exact, not exact and sum_agrees(stated.value, found, decimals, terms)
    )


def evaluate_sum(
    total: dict[int, Reading], parts: Sequence[dict[int, Reading]], column: int
) -> Evaluation | None:
    """A row sum in one column: the total's cell against its parts' ("-" adds nothing); None when a cell
    is unreadable or the total reports nothing."""
    stated = total.get(column)
    cells = [part.get(column) for part in parts]
    if stated is None or stated.empty or any(cell is None for cell in cells):
        return None
    found = sum((cell.value for cell in cells if cell is not None), Decimal(0))
    decimals = max([stated.decimals, *(cell.decimals for cell in cells if cell is not None)])
    return _sum_evaluation(stated, found, decimals, len(cells))
