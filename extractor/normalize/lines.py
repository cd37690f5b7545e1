"""Logical lines and sentences of a normalized text, for the readers that go through a plan line by line.

A line broken by a page or a wrap ("… 12 hộ, tỷ lệ" / "" / "70,59%.") is one logical line; a table row or a
tab-indented cell is marked ``tabular`` so prose readers skip it (the tables stage reads tables).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex


@dataclass(frozen=True)
class Line:
    """A logical line ``[start, end)`` of the text: physical lines joined when a page or a wrap broke a
    sentence ("tỷ lệ" / "70,59%.")."""

    start: int
    end: int
    tabular: bool


_BULLET_START = regex.compile(r"^\s*(?:[-+•*]|\d+[.)]|[a-zđ]\)|[IVX]+\.)")
_SENTENCE_END = regex.compile(r"[.!?;:]\s*$")
# A sentence ends at ".", "!" or "?" before a space and a capital, a bullet or a bracket, or at the line end.
_SENTENCE_BREAK = regex.compile(r"(?<=[.!?])\s+(?=[\p{Lu}\d\-+•(\"“])")


def is_tabular(raw: str) -> bool:
    """A table cell or row: two tabs or more, or a tab-indented cell of a few words ("\\tCây Tắt", "\\t1,94%")."""
    if raw.count("\t") >= 2:
        return True
    return raw.startswith("\t") and len(raw.split()) <= 3


def logical_lines(text: str) -> list[Line]:
    """Lines of ``text``; a line that continues the sentence of the line before (across at most one blank
    line, as a page break leaves it: "… 12 hộ, tỷ lệ" / "" / "70,59%.") is joined to it."""
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        tabular = is_tabular(raw)
        stripped = raw.strip()
        blank_between = len(lines) >= 2 and lines[-1].start == lines[-1].end
        previous = lines[-2] if blank_between else (lines[-1] if lines else None)
        if (
            previous is not None
            and stripped
            and not tabular
            and not previous.tabular
            and previous.end > previous.start
            and (stripped[0].islower() or stripped[0].isdigit())
            and not _BULLET_START.match(stripped)
            and not _SENTENCE_END.search(text, previous.start, previous.end)
        ):
            if blank_between:
                lines.pop()
            lines[-1] = Line(previous.start, end, False)
            continue
        lines.append(Line(start, end, tabular))
    return lines


def sentences(text: str, line: Line) -> Iterator[tuple[int, int]]:
    """The sentences of one logical line as ``(start, end)`` offsets into ``text``."""
    start = line.start
    for match in _SENTENCE_BREAK.finditer(text, line.start, line.end):
        yield start, match.start()
        start = match.end()
    if start < line.end:
        yield start, line.end
