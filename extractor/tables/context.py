"""Where a table sits in the plan: its caption and the section holding it.

The caption is the nearest heading or caption line before the table: seed 001's "b)Chỉ tiêu cụ thể cho các
thôn" gives "Chỉ tiêu cụ thể cho các thôn", seed 002's "PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024(Kèm theo Kế
hoạch số …)" gives "PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024".
"""

from __future__ import annotations

import regex

from extractor.structure.plan_text import PlanText
from models.document import Block, BlockKind, Document
from models.sections import Section

# A caption is a short line; longer text before a table is prose, and the section heading is used instead.
MAX_CAPTION_LENGTH = 200
# Lines that may stand between a caption and its table: "Đơn vị tính: hộ", "ĐVT: triệu đồng".
UNIT_LINE = regex.compile(r"^\(?\s*(?:Đơn\s+vị\s+tính|ĐVT|Đvt)\s*[:.]", regex.IGNORECASE)
CAPTION_START = regex.compile(r"^(?:PHỤ\s+LỤC|Phụ\s+lục|BIỂU|Biểu|BẢNG|Bảng)\b", regex.V1)
LEADING_LABEL = regex.compile(
    r"^\s*(?:[-+•*]\s*|(?:\d{1,2}(?:\.\d{1,2})*|[\p{Ll}]|[IVXLC]{1,6})[.)]\s*)", regex.V1
)
TRAILING_ATTACHMENT_NOTE = regex.compile(r"\s*\((?:Kèm|kèm|Ban hành|ban hành)[^()]*\)\s*$")
# A lower-case line this short before a table is the wrapped end of the caption above it.
MAX_TAIL_LENGTH = 80
# How many blocks back a caption is looked for (unit lines may stand between).
MAX_BLOCKS_BACK = 3


def _heading_of(block: Block, plan: PlanText) -> Section | None:
    """The section this block is the heading of, if any."""
    for section in reversed(plan.index.chain(block.span.start)):
        heading = section.heading_span
        if heading.start < block.span.end and block.span.start < heading.end:
            return section
    return None


def clean_caption(text: str) -> str:
    """ "b)Chỉ tiêu cụ thể cho các thôn" -> "Chỉ tiêu cụ thể cho các thôn"; a trailing "(Kèm theo …)" and
    colon go."""
    first_line = " ".join(text.split())
    without_note = TRAILING_ATTACHMENT_NOTE.sub("", first_line)
    return LEADING_LABEL.sub("", without_note).strip().rstrip(":").strip()


def _looks_like_caption(block: Block) -> bool:
    text = block.text.strip()
    if not text or len(text) > MAX_CAPTION_LENGTH:
        return False
    style = block.style
    return (
        block.kind == BlockKind.HEADING
        or style.bold
        or style.upper
        or style.centered
        or bool(CAPTION_START.match(text))
        or not text.endswith((".", ";"))
    )


def _block_before(document: Document, first_block: int) -> Block | None:
    """The block just before a table, looking past "Đơn vị tính: hộ" lines and past the tail of a caption
    that wrapped onto a block of its own ("phường Quảng Minh)" after "PHỤ LỤC: … của UBND"); None after
    another table."""
    for index in range(first_block - 1, max(first_block - 1 - MAX_BLOCKS_BACK, -1), -1):
        block = document.blocks[index]
        if block.table is not None:
            return None
        text = block.text.strip()
        if not UNIT_LINE.match(text) and not _is_wrapped_tail(text):
            return block
    return None


def _is_wrapped_tail(text: str) -> bool:
    """A short line starting in lower case continues the line above it; "b) Chỉ tiêu …" starts a new one."""
    return bool(text) and text[0].islower() and len(text) <= MAX_TAIL_LENGTH and not LEADING_LABEL.match(text)


def table_caption(plan: PlanText, first_block: int, title: str | None = None) -> str | None:
    """The table's caption: a title row inside the table, else the nearest heading or caption line before
    it (a section heading there gives the heading without its number), else its section's heading."""
    if title:
        return clean_caption(title)
    document = plan.document
    before = _block_before(document, first_block)
    if before is not None:
        section = _heading_of(before, plan)
        if section is not None:
            return section.heading
        if _looks_like_caption(before):
            return clean_caption(before.text) or None
    section = plan.index.at(document.blocks[first_block].span.start)
    return section.heading if section is not None else None
