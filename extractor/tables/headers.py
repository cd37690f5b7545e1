"""Header understanding: which top rows name the columns, and each column's flattened header path.

Plans head their tables with one to three rows: a group ("Hộ nghèo đầu năm 2021", merged over two columns)
over "TS" and "%", sometimes a third level ("HỘ NGHÈO" / "Cuối năm 2024" / "Tỷ lệ %"), and in official forms
a column-index row ("A, B, 1, 2, 3 …", "I" for 1) that is not data. Where the headers end is decided by
content, not by a count: the first row whose cells are mostly numbers starts the data.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractor.normalize.numbers import parse_roman_numeral
from extractor.tables.cells import cell_nature
from extractor.tables.grid import DenseTable

# One token of a column-index row: "A", "B", "1", "(2)", "I", "IV", "3=1+2", "(5)=(3)-(4)".
_INDEX_TOKEN = regex.compile(r"^\(?(?P<token>[A-Z]|[IVX]{1,4}|\d{1,3})\)?(?:\s*=.*)?$")
MIN_INDEX_TOKENS = 3
# Share of steps between numbered index tokens that go up by exactly one ("1, 2, 3": all of them).
MIN_CONSECUTIVE_SHARE = 0.7
YEARS = range(1900, 2101)


def index_number(text: str) -> int | str | None:
    """What one cell of a column-index row counts: "3" -> 3, "I" -> 1, "(4)" -> 4, "B" -> "B", else None."""
    match = _INDEX_TOKEN.match(text.strip())
    if match is None:
        return None
    token = match["token"]
    if token.isdigit():
        return int(token)
    roman = parse_roman_numeral(token)
    if roman is not None:
        return roman
    return token


def is_column_index_row(texts: Sequence[str]) -> bool:
    """True for the column-index row of official forms: "A, B, I, 2, 3, …, 13" (seed 002), "1, 2, 3, 4".

    Every written cell is a letter, a Roman numeral or a small number, letters come first and in order,
    and the numbers mostly go up by one from left to right.
    """
    tokens = [index_number(text) for text in texts if text.strip()]
    if len(tokens) < MIN_INDEX_TOKENS or any(token is None for token in tokens):
        return False
    letters = [token for token in tokens if isinstance(token, str)]
    numbers = [token for token in tokens if isinstance(token, int)]
    if tokens[: len(letters)] != letters:
        return False  # a letter after a number: not an index row
    if letters and [ord(letter) for letter in letters] != list(range(ord("A"), ord("A") + len(letters))):
        return False
    if len(numbers) < 2:  # "A, B, C" or "A, B, 1" over a narrow table
        return len(letters) >= 2 and len(tokens) >= MIN_INDEX_TOKENS and numbers in ([], [1])
    steps = [later - earlier for earlier, later in itertools.pairwise(numbers)]
    return sum(1 for step in steps if step == 1) >= MIN_CONSECUTIVE_SHARE * len(steps)


def looks_like_data_row(texts: Sequence[str]) -> bool:
    """True when a row's written cells are mostly numbers (one label or ordinal text may stand beside them).

    "1 | Cây Tắt | 183 | 4 | 2,19" and "Nà Lừa | - | -" are data; "TS | % | TS | %" and "Phê duyệt cuối năm 2023" are not; a row of
    years ("2021 | 2022 | 2023") heads columns.
    """
    written = [text for text in texts if text.strip()]
    natures = [cell_nature(text) for text in written]
    numbers = [text for text, nature in zip(written, natures, strict=True) if nature == "number"]
    dashes = natures.count("empty")  # "-" in a numeric cell: nothing to report, still a data cell
    texts_count = natures.count("text")
    if (not numbers and not dashes) or len(numbers) + dashes < texts_count - 1:
        return False
    return not (len(numbers) >= 2 and all(_is_year(text) for text in numbers))


def _is_year(text: str) -> bool:
    stripped = text.strip()
    return stripped.isdigit() and len(stripped) == 4 and int(stripped) in YEARS


def is_title_row(texts: Sequence[str]) -> bool:
    """A top row holding a single text over the table ("BIỂU CHỈ TIÊU GIẢM NGHÈO NĂM 2024"): a caption."""
    written = [text for text in texts if text.strip()]
    return len(written) == 1 and cell_nature(written[0]) == "text" and len(written[0]) > 12


@dataclass(frozen=True)
class HeaderLayout:
    """Which top rows are what: ``title_rows`` (a caption inside the table), ``header_rows`` (name the
    columns), ``index_rows`` (the "A, B, 1, 2 …" row); data start at ``data_start``."""

    title_rows: tuple[int, ...]
    header_rows: tuple[int, ...]
    index_rows: tuple[int, ...]
    data_start: int


def read_header_layout(rows: Sequence[Sequence[str]]) -> HeaderLayout:
    """Split a table's top rows into title, header and index rows; ``rows`` are each row's written texts.

    Scans down until the first row that looks like data. A table whose every row reads as text (a table of
    tasks and agencies) has its first row as the header.
    """
    titles: list[int] = []
    headers: list[int] = []
    index_rows: list[int] = []
    for number, texts in enumerate(rows):
        if not any(text.strip() for text in texts):
            headers.append(number)  # an empty row inside the header (the text export's spacer)
        elif not headers and not index_rows and is_title_row(texts) and number + 1 < len(rows):
            titles.append(number)
        elif is_column_index_row(texts):
            index_rows.append(number)
        elif looks_like_data_row(texts):
            return HeaderLayout(tuple(titles), tuple(headers), tuple(index_rows), number)
        else:
            headers.append(number)
    first = len(titles)
    if len(rows) - first < 2:
        return HeaderLayout(tuple(titles), (), (), first)
    return HeaderLayout(tuple(titles), (first,), (), first + 1)


def flatten_header_paths(table: DenseTable, header_rows: Sequence[int]) -> list[list[str]]:
    """Each column's header path, top to bottom, a merged cell counted once per column it covers.

    Seed 001: column 3 -> ["Hộ nghèo đầu năm 2021", "TS"]; seed 002: column 8 -> ["HỘ NGHÈO", "Cuối năm
    2024", "Tỷ lệ %"]; a "TT" merged down over two header rows -> ["TT"].
    """
    paths: list[list[str]] = []
    for column in range(table.n_cols):
        path: list[str] = []
        seen: set[tuple[int, int]] = set()
        for row in header_rows:
            slot = table.rows[row][column]
            if slot.text and slot.origin not in seen and (not path or path[-1] != slot.text):
                path.append(slot.text)
            seen.add(slot.origin)
        paths.append(path)
    return paths
