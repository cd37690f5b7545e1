"""What every reader returns: blocks in reading order, before normalization.

Readers know file formats and nothing about plans. They report what the format tells (a Word heading
style, an automatic list label, a table grid, a bold run, a page and a box) and leave the meaning of the
text to later stages.
"""

from dataclasses import dataclass, field

from models.document import BlockKind, SourceInfo, TableGrid, TextStyle
from models.provenance import BBox


@dataclass(frozen=True)
class RawBlock:
    """One paragraph, list item or table as read from the file.

    ``text`` may hold line breaks ("ỦY BAN NHÂN DÂN\\nXÃ CAO NHÂN" is one block written on two lines).
    ``list_label`` is the label Word generates for automatic numbering ("II."), not part of ``text``.
    ``starts_page`` is true for the first block on a new page: normalization may join it to the previous
    block when a page break cut a sentence.
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    style: TextStyle = field(default_factory=TextStyle)
    list_label: str | None = None
    list_level: int | None = None
    table: TableGrid | None = None
    in_layout_table: bool = False
    starts_page: bool = False


@dataclass(frozen=True)
class RawDocument:
    """A reader's whole result: source facts, blocks in reading order, page furniture set apart."""

    source: SourceInfo
    blocks: list[RawBlock]
    page_furniture: list[str] = field(default_factory=list)
