"""Typed cells: what a cell's text says (a count, a percent, money, another number, text or nothing).

Numbers are read by the project's one number parser (``extractor.normalize.numbers``). A table may write
"1.011" households (a thousands dot) next to "0.69" percent (a decimal dot), as seed 002's appendix does, so
the reading of "." and "," is decided per column: by the total row where one exists (1.011 + 494 + 802 +
430 + 254 = 2.991 only if the dot groups thousands), then by what the column measures (a percent is at most
100, a count of households is whole), then by the convention the rest of the table shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

import regex

from extractor.normalize.numbers import ParsedNumber, parse_vietnamese_number
from extractor.tables.vocabulary import vocabulary
from models.tables import CellType

Convention = Literal["vi", "en"]
Measure = Literal["percent", "count", "money"]
Nature = Literal["number", "text", "empty"]

_CELL_NUMBER = regex.compile(
    r"^(?P<numeral>[-+\u2212]?\d(?:[\d.,\u00a0\u202f ]*\d)?)[\u00a0\u202f ]*(?P<percent>%)?$"
)
CONVENTIONS: tuple[Convention, ...] = ("vi", "en")
MAX_PERCENT = Decimal(100)


@dataclass(frozen=True)
class CellNumber:
    """The numeral of a cell and whether a percent sign followed it: "1,94%" -> ("1,94", True)."""

    numeral: str
    percent: bool


@lru_cache(maxsize=65536)  # a table asks again and again of the same few cell texts ("-", "0", "1,94")
def cell_number(raw: str) -> CellNumber | None:
    """The numeral a cell holds, or None when the cell holds anything else ("Cây Tắt", "", "-")."""
    match = _CELL_NUMBER.match(raw.strip())
    if match is None or parse_vietnamese_number(match["numeral"]) is None:
        return None
    return CellNumber(match["numeral"], match["percent"] is not None)


def is_empty_mark(raw: str) -> bool:
    """True for a cell that reports nothing: blank, or a dash/"x" standing for "none" in a numeric column."""
    text = raw.strip()
    return not text or text in vocabulary().empty_marks


def cell_nature(raw: str) -> Nature:
    """ "183" and "1,94%" are numbers, "" and "-" are empty, "Cây Tắt" and "TS" are text."""
    if is_empty_mark(raw):
        return "empty"
    return "number" if cell_number(raw) is not None else "text"


def read_number(numeral: str, convention: Convention | None) -> ParsedNumber | None:
    """Read a numeral with the column's convention; a numeral that convention cannot read falls back to auto."""
    if convention is not None:
        parsed = parse_vietnamese_number(numeral, convention)
        if parsed is not None:
            return parsed
    return parse_vietnamese_number(numeral)


def _has_mark(numeral: str) -> bool:
    return "." in numeral or "," in numeral


def _readable_by(numerals: list[str], convention: Convention) -> bool:
    return all(parse_vietnamese_number(numeral, convention) is not None for numeral in numerals)


def _values(numerals: list[str], convention: Convention) -> list[Decimal]:
    readings = (parse_vietnamese_number(numeral, convention) for numeral in numerals)
    return [reading.value for reading in readings if reading is not None]


def _numerals(raws: Iterable[str]) -> list[str]:
    return [number.numeral for raw in raws if (number := cell_number(raw)) is not None]


def table_convention(raws: Iterable[str]) -> Convention | None:
    """The convention a table's unambiguous numerals show ("2,19" is vi, "0.69" is en), by majority."""
    votes: Counter[str] = Counter()
    for numeral in _numerals(raws):
        parsed = parse_vietnamese_number(numeral)
        if parsed is not None and not parsed.ambiguous and parsed.convention in CONVENTIONS:
            votes[parsed.convention] += 1
    if not votes:
        return None
    (winner, count), *rest = votes.most_common()
    if rest and rest[0][1] == count:
        return None
    return winner  # type: ignore[return-value]


def choose_convention(
    unit_raws: list[str],
    total_raws: list[str],
    measure: Measure | None,
    table_hint: Convention | None = None,
) -> Convention | None:
    """Decide how a column's "." and "," read; None when no numeral in it needs the decision.

    ``unit_raws`` are the column's cells in the unit rows, ``total_raws`` in the total row(s). Seed 002's
    households column ("1.011", "494", …, total "2.991") -> "vi"; its percent column ("0.69", …) -> "en".
    """
    numerals = _numerals([*unit_raws, *total_raws])
    marked = [numeral for numeral in numerals if _has_mark(numeral)]
    if not marked:
        return None
    possible = [convention for convention in CONVENTIONS if _readable_by(marked, convention)]
    if len(possible) == 1:
        return possible[0]
    if not possible:
        return None  # a column mixing both styles: each cell is read on its own
    for decide in (_by_total_row, _by_measure):
        decided = decide(_numerals(unit_raws), _numerals(total_raws), measure)
        if decided is not None:
            return decided
    return table_hint or "vi"


def _by_total_row(units: list[str], totals: list[str], measure: Measure | None) -> Convention | None:
    """The convention under which the unit rows add up to the (single) total row."""
    if measure == "percent" or len(totals) != 1 or not units:
        return None
    agreeing = [
        convention
        for convention in CONVENTIONS
        if sum(_values(units, convention), Decimal(0)) == _values(totals, convention)[0]
    ]
    return agreeing[0] if len(agreeing) == 1 else None


def _by_measure(units: list[str], totals: list[str], measure: Measure | None) -> Convention | None:
    """A percent is at most 100; a count of households or people is whole."""
    numerals = [*units, *totals]
    if measure == "percent":
        fitting = [c for c in CONVENTIONS if all(v <= MAX_PERCENT for v in _values(numerals, c))]
    elif measure == "count":
        fitting = [c for c in CONVENTIONS if all(v == v.to_integral_value() for v in _values(numerals, c))]
    else:
        return None
    return fitting[0] if len(fitting) == 1 else None


@dataclass(frozen=True)
class TypedValue:
    """A cell as typed: its value (None unless a number), written decimals and type."""

    value: int | float | None
    decimals: int
    type: CellType


def type_cell(raw: str, measure: Measure | None, convention: Convention | None) -> TypedValue:
    """Type one cell of a numeric column.

    "1,94%" -> percent 1.94 (2 decimals) whatever the column; "06" in a count column -> count 6; "0.69" in a
    percent column read "en" -> percent 0.69; "-" -> empty; "Cây Tắt" -> text.
    """
    if is_empty_mark(raw):
        return TypedValue(None, 0, "empty")
    number = cell_number(raw)
    parsed = read_number(number.numeral, convention) if number is not None else None
    if number is None or parsed is None:
        return TypedValue(None, 0, "text")
    return TypedValue(parsed.to_python(), parsed.decimals, _number_type(parsed, number.percent, measure))


def _number_type(parsed: ParsedNumber, percent_sign: bool, measure: Measure | None) -> CellType:
    if percent_sign or measure == "percent":
        return "percent"
    if measure == "money":
        return "money"
    if measure == "count" and parsed.decimals == 0:
        return "count"
    return "number"


def type_text_cell(raw: str) -> TypedValue:
    """A cell of an ordinal or label column: "1" -> number 1, "Cây Tắt" -> text, "" -> empty."""
    if not raw.strip():
        return TypedValue(None, 0, "empty")
    number = cell_number(raw)
    parsed = parse_vietnamese_number(number.numeral) if number is not None and not number.percent else None
    if parsed is None:
        return TypedValue(None, 0, "text")
    return TypedValue(parsed.to_python(), parsed.decimals, "number")
