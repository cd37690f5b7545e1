"""One plan's text as every reader after the structure stage sees it: read once, shared by all.

``PlanText`` holds the normalized document with its section tree and knows, computed on first use and then
kept: the folded text, the logical lines, every number, range, money amount and amount in words of the text
(the one number parser run once per document), and where an offset lies (its section chain and its page).
The entity extractors and the tables stage take it instead of the bare text, so nothing is parsed twice and no
reader needs a cache over whole texts.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from extractor.normalize.lines import Line, logical_lines
from extractor.normalize.number_words import WordsMatch, find_amounts_in_words
from extractor.normalize.numbers import (
    MoneyMatch,
    NumberMatch,
    RangeMatch,
    SkippedSpans,
    YearSpan,
    find_money_amounts,
    find_numbers,
    find_ranges,
    find_year_spans,
    skipped_spans,
)
from extractor.normalize.text import fold
from extractor.normalize.values import Value, read_values
from models.document import Block, Document
from models.sections import Section


class SectionIndex:
    """Which sections hold an offset, by bisecting each level of the tree (sections of one level are in text
    order and do not overlap): O(depth · log n) per question instead of a scan of the sections."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self.sections = list(sections)
        self._starts: dict[int, list[int]] = {}

    def _level_starts(self, key: int, level: Sequence[Section]) -> list[int]:
        starts = self._starts.get(key)
        if starts is None:
            starts = self._starts[key] = [section.span.start for section in level]
        return starts

    def chain(self, offset: int) -> list[Section]:
        """The sections containing ``offset``, outermost first: [II. MỤC TIÊU, 2. Chỉ tiêu, 2.1 …]."""
        chain: list[Section] = []
        level: Sequence[Section] = self.sections
        key = 0
        while level:
            index = bisect.bisect_right(self._level_starts(key, level), offset) - 1
            if index < 0 or offset >= level[index].span.end:
                break
            inner = level[index]
            chain.append(inner)
            level, key = inner.children, id(inner)
        return chain

    def at(self, offset: int) -> Section | None:
        """The innermost section containing ``offset``."""
        chain = self.chain(offset)
        return chain[-1] if chain else None

    def id_at(self, offset: int) -> str | None:
        section = self.at(offset)
        return section.id if section is not None else None


@dataclass(frozen=True)
class PlanText:
    """The normalized document, its sections and its own unit, with everything read from its text once.

    ``unit_name`` is the plan's own unit ("Sơn Tây"), the scope of whole-unit targets; ``preamble_end`` is
    where the first numbered part starts (citations before it are the legal basis).
    """

    document: Document
    sections: list[Section] = field(default_factory=list)
    unit_name: str | None = None

    @property
    def text(self) -> str:
        return self.document.text

    @cached_property
    def index(self) -> SectionIndex:
        return SectionIndex(self.sections)

    @cached_property
    def preamble_end(self) -> int:
        return self.sections[0].span.start if self.sections else len(self.text)

    @cached_property
    def folded(self) -> str:
        """``normalize.text.fold`` of the text: same length, so offsets carry over."""
        return fold(self.text)

    @cached_property
    def lines(self) -> list[Line]:
        return logical_lines(self.text)

    @cached_property
    def skipped_spans(self) -> SkippedSpans:
        """Symbols, dates and heading numbers: no number is read inside them."""
        return skipped_spans(self.text)

    @cached_property
    def numbers(self) -> list[NumberMatch]:
        return find_numbers(self.text, self.skipped_spans)

    @cached_property
    def ranges(self) -> list[RangeMatch]:
        return find_ranges(self.text, self.skipped_spans)

    @cached_property
    def year_spans(self) -> list[YearSpan]:
        return find_year_spans(self.text)

    @cached_property
    def year_span_ends(self) -> list[int]:
        return [span.end for span in self.year_spans]

    @cached_property
    def money(self) -> list[MoneyMatch]:
        return find_money_amounts(self.text, self.skipped_spans)

    @cached_property
    def amounts_in_words(self) -> list[WordsMatch]:
        return find_amounts_in_words(self.text)

    @cached_property
    def values(self) -> list[Value]:
        """Numbers and ranges with their units, in text order (a range replaces its two numbers)."""
        return read_values(self.text, self.numbers, self.ranges, self.money)

    @cached_property
    def value_starts(self) -> list[int]:
        return [value.start for value in self.values]

    def values_between(self, start: int, end: int) -> list[Value]:
        """The values starting in ``[start, end)``."""
        starts = self.value_starts
        return self.values[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]

    @cached_property
    def years(self) -> dict[int, int]:
        """Start offset -> year, for the bare four-digit years the parser read ("năm 2024")."""
        return {
            value.start: int(value.value)
            for value in self.values
            if value.value is not None
            and value.unit is None
            and value.decimals == 0
            and 1900 <= value.value <= 2100
        }

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.span.start for block in self.document.blocks]

    def blocks_from(self, offset: int) -> Iterator[Block]:
        """The blocks from the one holding ``offset`` on, in text order."""
        index = max(bisect.bisect_right(self._block_starts, offset) - 1, 0)
        yield from self.document.blocks[index:]

    def page_at(self, offset: int) -> int | None:
        """The page of the block holding ``offset`` (blocks are in text order: bisect, not a scan)."""
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index < 0:
            return None
        block = self.document.blocks[index]
        return block.page if offset <= block.span.end else None

    def line_bounds(self, offset: int) -> tuple[int, int]:
        """The physical line around ``offset``: ``[start, end)``."""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        end = text.find("\n", offset)
        return start, (len(text) if end < 0 else end)
