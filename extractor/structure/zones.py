"""The zones of a plan: header, title, body, closing (recipients and signature), appendices.

Metadata reads the header and closing zones; the section tree is built from the body and the appendices.
Finding the zones once keeps both stages from guessing differently.
"""

from dataclasses import dataclass

import regex

from extractor import data
from extractor.normalize.patterns import alternation
from extractor.normalize.text import strip_diacritics
from models.document import Block, BlockKind, Document

# "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "KT, CHỦ TỊCH" (a comma typed for the dot), "TL. GIÁM ĐỐC", "TUQ.", "Q."
AUTHORITY = regex.compile(r"^(?P<code>TM|KT|TL|TUQ|Q)\s*[.,:]\s*(?P<rest>\p{Lu}[\p{Lu}\s\-]+)$", regex.V1)
RECIPIENTS_HEADING = regex.compile(r"^(Nơi\s+nhận|NƠI\s+NHẬN)\s*:?", regex.V1)
APPENDIX_HEADING = regex.compile(r"^(PHỤ\s+LỤC|Phụ\s+lục|BIỂU|Biểu\s+(số\s+)?\d)", regex.V1)
# The table captions among those: "Biểu 01: …", "BIỂU SỐ 2", which may also stand inside the body.
TABLE_CAPTION = regex.compile(r"^(BIỂU|Biểu\s+(số\s+)?\d)", regex.V1)
_PREAMBLE_START = regex.compile(rf"^(?i:{alternation(data.cues().preamble_leads)})\b", regex.V1)


@dataclass(frozen=True)
class Zones:
    """Block indices: ``title`` (the "KẾ HOẠCH" block, or None), the body ``[body_start, closing)``,
    the closing zone ``[closing, appendix)`` and appendices from ``appendix`` on (== len(blocks) when none)."""

    title: int | None
    body_start: int
    closing: int
    appendix: int


def first_line(block: Block) -> str:
    """The block's first line without surrounding spaces."""
    return block.text.strip().split("\n", 1)[0].strip()


@dataclass(frozen=True)
class Line:
    """One line of a block, with its absolute offsets in the document text and the block's page."""

    text: str
    start: int
    end: int
    page: int | None
    block: int


def block_lines(document: Document, first: int, last: int) -> list[Line]:
    """The non-empty lines of blocks ``[first, last)``, stripped, each with its exact offsets."""
    lines = []
    for index in range(first, min(last, len(document.blocks))):
        block = document.blocks[index]
        if block.kind == BlockKind.TABLE:
            continue
        offset = block.span.start
        for raw in block.text.split("\n"):
            stripped = raw.strip()
            if stripped:
                start = offset + raw.index(stripped)
                lines.append(Line(stripped, start, start + len(stripped), block.page, index))
            offset += len(raw) + 1
    return lines


def doc_type_at_start(text: str) -> tuple[str, int] | None:
    """The document type an upper-case title starts with: "KẾ HOẠCH Thực hiện …" -> ("Kế hoạch", 8)."""
    for entry in data.document_types().title_types:
        name = entry.name
        upper = name.upper()
        if text.startswith(upper) and (len(text) == len(upper) or not text[len(upper)].isalpha()):
            return name, len(upper)
    return None


def is_closing_block(block: Block) -> bool:
    line = first_line(block)
    return bool(RECIPIENTS_HEADING.match(line) or AUTHORITY.match(line))


def find_zones(document: Document) -> Zones:
    """Locate the zones of ``document`` from its blocks, whatever the format it was read from."""
    blocks = document.blocks
    title = next(
        (
            i
            for i, block in enumerate(blocks[:40])
            if block.kind != BlockKind.TABLE and doc_type_at_start(block.text.lstrip())
        ),
        None,
    )
    body_start = 0 if title is None else title + 1
    closing = next(
        (i for i in range(body_start, len(blocks)) if is_closing_block(blocks[i])),
        len(blocks),
    )
    appendix = next(
        (i for i in range(closing, len(blocks)) if APPENDIX_HEADING.match(first_line(blocks[i]))),
        len(blocks),
    )
    return Zones(title=title, body_start=body_start, closing=closing, appendix=appendix)


def starts_preamble(text: str) -> bool:
    """True for the legal-basis lines that follow the title: "Thực hiện Kế hoạch số 15/KH-UBND …"."""
    return bool(_PREAMBLE_START.match(text)) or strip_diacritics(text[:8]).lower().startswith("can cu")
