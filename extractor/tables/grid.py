"""A table as a dense grid: every row has a slot for every column, merged cells fill all the slots they cover.

Readers give a sparse grid (a merged cell appears once, a text export cannot show merges at all); the later
steps of the tables stage want to ask "what is written above column 7?" without caring where the cell
began. A slot keeps the cell that covers it, so a value read from it keeps its provenance.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from models.document import Block, TableCell

_WHITE_SPACE = regex.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """A cell's text on one line: PDF cells wrap ("Tổng\\nsố hộ\\ngia\\nđình" -> "Tổng số hộ gia đình")."""
    return _WHITE_SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Slot:
    """One (row, column) position of a dense grid and the cell covering it.

    ``origin`` is the (row, column) where that cell starts; a merged cell's other slots share its origin.
    ``cell`` is the reader's cell (None for a position no cell covers); ``block`` is the index of the
    document block the row came from (a table continued on the next page has two).
    """

    row: int
    col: int
    text: str
    origin: tuple[int, int]
    cell: TableCell | None = None
    block: int = 0

    @property
    def is_origin(self) -> bool:
        return self.origin == (self.row, self.col)

    @property
    def is_empty(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class DenseTable:
    """A rebuilt table: rows of slots, all ``n_cols`` wide, and the blocks it was read from."""

    rows: tuple[tuple[Slot, ...], ...]
    n_cols: int
    blocks: tuple[Block, ...]
    block_indices: tuple[int, ...]

    def texts(self, row: int) -> list[str]:
        """The row's texts, one per column (a merged cell's text in each slot it covers)."""
        return [slot.text for slot in self.rows[row]]

    def origin_texts(self, row: int) -> list[str]:
        """The row's non-empty texts, each merged cell once."""
        return [slot.text for slot in self.rows[row] if slot.is_origin and slot.text]
