"""Numbers refused for their length: listed in the coverage, so that a value left unread is never a silent gap.

The number parser reads no numeral longer than a float holds exactly (``numbers.is_overlong_numeral``): a
310-digit "count" is a typing accident or an attack, and any reading of it would be a guess. The document is
still extracted; ``refused_numbers`` names each such numeral, by its table cell when it sits in a table, else
by its span in the text, as one ``SkippedCheck`` of rule "numbers".
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractor.normalize.numbers import is_overlong_numeral
from models.findings import CheckRef, SkippedCheck
from models.provenance import Span
from models.tables import Table

# A run of digits with the marks that group or split them inside one numeral ("12.345.678,9").
NUMERAL_RUN = regex.compile(r"(?<![\d.,])\d(?:[\d.,]*\d)?")
REFUSED_REASON = "a numeral with more digits than a number can hold exactly: kept as written, not read"
# Refs listed at most: a file of a million long numerals is named by its count, not by a million refs.
MAX_REFS = 100


def refused_numbers(text: str, tables: Sequence[Table]) -> list[SkippedCheck]:
    """The coverage entry for every overlong numeral of ``text`` (``[]`` when there is none).

    ``refused_numbers("giảm 1111…(310 digits) hộ nghèo", [])`` -> one SkippedCheck, rule "numbers", count 1,
    a ref to the numeral's span. A numeral inside a table cell is referred to by its cell instead.
    """
    spans = [match.span() for match in NUMERAL_RUN.finditer(text) if is_overlong_numeral(match.group())]
    if not spans:
        return []
    cells = _cells_by_span(tables)
    refs: list[CheckRef] = []
    for start, end in spans[:MAX_REFS]:
        cell = next((ref for (low, high), ref in cells.items() if low <= start and end <= high), None)
        refs.append(cell or CheckRef(span=Span(start=start, end=end)))
    return [SkippedCheck(rule="numbers", reason=REFUSED_REASON, count=len(spans), refs=refs)]


def _cells_by_span(tables: Sequence[Table]) -> dict[tuple[int, int], CheckRef]:
    """Cell spans that hold an overlong numeral -> the cell's reference."""
    cells: dict[tuple[int, int], CheckRef] = {}
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                span = cell.provenance.span
                if span is not None and is_overlong_numeral(cell.raw):
                    cells[(span.start, span.end)] = CheckRef(
                        table_id=table.id, row_id=row.id, column=cell.column
                    )
    return cells
