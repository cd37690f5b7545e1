"""Normalize a reader's RawDocument into the Document every later stage reads.

Three things happen, in this order:

1. Legacy fonts: when the document as a whole reads as TCVN3 or VNI, every block that can be legacy text
   is converted (a block holding letters only Unicode has, such as "ộ" or "ư", is left alone: a Word file
   can mix a legacy-font body with a Unicode header); the pages whose text was converted are read
   "legacy_font" in ``source.page_reads``.
2. Each block's text, each table cell and each page-furniture line goes through ``normalize_text``.
3. Sentences cut by a page break, or by a blank line in a text export, are joined again:
   "… khắc phục những tồn tại, thiếu sót trong việc chỉ đạo, tổ" + "chức triển khai thực hiện, …".

The text is laid out as the blocks' texts joined by "\\n" (a block keeps its own line breaks), and each
block's span points into it exactly. A list item shows its generated label ("II. MỤC TIÊU"), and a table
shows its rows on lines with cells separated by tabs, while the grid itself stays in ``Block.table``.
Normalizing is idempotent: feeding the blocks of a normalized document back in gives the same document.
"""

from __future__ import annotations

import regex

from extractor import data
from extractor.normalize.legacy import convert_legacy, detect_legacy_encoding
from extractor.normalize.ocr_correction import correct_ocr_text
from extractor.normalize.patterns import alternation, capitalized
from extractor.normalize.text import is_broken_token, normalize_text
from models.document import (
    Block,
    BlockKind,
    Document,
    PageRead,
    RawBlock,
    RawDocument,
    TableCell,
    TableGrid,
    WordConfidence,
    WordRead,
)
from models.provenance import Span

BLOCK_SEPARATOR = "\n"

# A block that ends in one of these ends its sentence (or introduces what follows: "như sau:").
TERMINAL_PUNCTUATION = tuple(".;:!?…")
# A line this short, or in capitals, bold or centred, is a heading or a header line, not a cut sentence.
MAX_HEADING_WORDS = 4
# Labels that start a new list item or heading: "1.", "2.1.", "2.1.1", "a)", "đ.", "II.", "- ", "+ ", "•".
LIST_OR_HEADING_START = regex.compile(
    r"""^(?:
        \d{1,2}(?:\.\d{1,2})+\.?(?!\d)      # 2.1 / 2.1. / 2.1.1
      | \d{1,2}[.)](?!\d)                   # 1. / 1)
      | [\p{Ll}][.)](?=\s)                  # a) / đ.
      | [IVXLC]{1,6}[.)](?=\s|$)            # II. / IV)
      | [-+•*–—·○●■□▪►✓]                    # bullets
      | (?:PART_WORDS)\s                        # "Phần thứ nhất", "Điều 1"
    )""".replace("PART_WORDS", alternation(capitalized(data.cues().part_words))),
    regex.VERBOSE,
)
# A page number left in a text export ("12") must not be taken for the rest of a sentence.
BARE_NUMBER = regex.compile(r"^\d+$")
JOINABLE_KINDS = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)


def normalize_document(raw: RawDocument) -> Document:
    """The normalized Document of a reader's RawDocument (legacy fonts repaired, cut sentences joined).

    Idempotent: ``normalize_document(as_raw(normalize_document(raw)))`` equals ``normalize_document(raw)``.
    """
    source = raw.source
    blocks = list(raw.blocks)
    furniture = list(raw.page_furniture)
    encoding = detect_legacy_encoding(_document_text(raw))
    if encoding is not None:
        blocks = [_convert_block(block, encoding) for block in blocks]
        furniture = [_convert_if_legacy(line, encoding) for line in furniture]
        converted_pages = {
            after.page for before, after in zip(raw.blocks, blocks, strict=True) if after != before
        }
        page_reads = mark_legacy_pages(source.page_reads, converted_pages, encoding)
        source = source.model_copy(update={"encoding": encoding, "page_reads": page_reads})
    normalized = [block for block in map(_normalize_block, blocks) if block is not None]
    joined = join_cut_sentences(normalized)
    text, laid_out = _lay_out(joined)
    return Document(
        source=source,
        text=text,
        blocks=laid_out,
        page_furniture=[line for line in map(normalize_text, furniture) if line],
    )


# -- legacy fonts -------------------------------------------------------------------------------------


def _document_text(raw: RawDocument) -> str:
    pieces = []
    for block in raw.blocks:
        pieces.append(block.text)
        if block.table is not None:
            pieces.extend(cell.text for cell in block.table.cells)
    return "\n".join(pieces)


# Letters only Unicode has (outside Latin-1): a text holding them was not typed in a legacy font.
_UNICODE_ONLY_VIETNAMESE = regex.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")


def _convert_if_legacy(text: str, encoding: str) -> str:
    if _UNICODE_ONLY_VIETNAMESE.search(text):
        return text
    return convert_legacy(text, encoding)


def mark_legacy_pages(reads: list[PageRead], pages: set[int | None], encoding: str) -> list[PageRead]:
    """The page reads with each page whose text layer was converted from ``encoding`` marked "legacy_font";
    a page read by OCR stays "ocr".

    Pages 1 and 2 read as text, page 2's blocks converted from TCVN3: page 2 becomes method "legacy_font",
    reason "text layer in the TCVN3 legacy font, converted to Unicode".
    """
    reason = f"text layer in the {encoding.upper()} legacy font, converted to Unicode"
    return [
        read.model_copy(update={"method": "legacy_font", "reason": reason})
        if read.method == "text" and read.page in pages
        else read
        for read in reads
    ]


def _convert_block(block: RawBlock, encoding: str) -> RawBlock:
    table = block.table
    if table is not None:
        cells = [
            cell.model_copy(update={"text": _convert_if_legacy(cell.text, encoding)}) for cell in table.cells
        ]
        table = table.model_copy(update={"cells": cells})
    return block.model_copy(update={"text": _convert_if_legacy(block.text, encoding), "table": table})


# -- text ----------------------------------------------------------------------------------------------


def _normalize_block(block: RawBlock) -> RawBlock | None:
    """The block with normalized text, label and cells; None for a non-table block left empty. Text read
    by OCR has the lexicon words OCR damaged corrected (``ocr_correction``), what OCR read kept in
    ``ocr_text``."""
    label = normalize_text(block.list_label) if block.list_label else None
    if block.table is not None:
        grid = _normalize_grid(block.table)
        return block.model_copy(update={"text": table_text(grid), "table": grid, "list_label": label or None})
    text = normalize_text(block.text).strip()  # a block never starts or ends with a line break
    if not text:
        return None
    update: dict[str, object] = {"text": text, "list_label": label or None}
    if block.confidence is not None:
        update |= _corrected(text)
    return block.model_copy(update=update)


def _normalize_grid(grid: TableGrid) -> TableGrid:
    cells = []
    for cell in grid.cells:
        update: dict[str, object] = {"text": normalize_text(cell.text)}
        if cell.confidence is not None:
            update |= _corrected(str(update["text"]))
        cells.append(cell.model_copy(update=update))
    return grid.model_copy(update={"cells": cells})


def _corrected(text: str) -> dict[str, object]:
    """The update of an OCR'd text: corrected against the lexicons, with the OCR's own text beside it when
    anything changed ("I. MỤC TIỂU" -> text "I. MỤC TIÊU", ocr_text "I. MỤC TIỂU"); digits never change."""
    correction = correct_ocr_text(text)
    if not correction.changes:
        return {}
    return {"text": correction.text, "ocr_text": text}


def table_text(grid: TableGrid) -> str:
    """A table's text: rows on lines, cells separated by tabs, a merged cell's text once at its first column.

    Cells are placed at their column ("A\\t\\tC" when the middle cell is covered by a merge) so that a
    column keeps its tab position; line breaks and tabs inside a cell become spaces.
    """
    rows: dict[int, list[TableCell]] = {}
    for cell in grid.cells:
        rows.setdefault(cell.row, []).append(cell)
    lines = []
    for row in range(max(grid.n_rows, max(rows, default=-1) + 1)):
        placed = [""] * (max((cell.col for cell in rows.get(row, [])), default=-1) + 1)
        for cell in rows.get(row, []):
            placed[cell.col] = regex.sub(r"\s+", " ", cell.text).strip()
        lines.append("\t".join(placed))
    return "\n".join(lines)


# -- sentences cut by page breaks -------------------------------------------------------------------------


def join_cut_sentences(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join each block that continues the sentence of the block before it (see ``continues_sentence``);
    a symbol or number cut at the end of a line ("… số 07/2021/NĐ-" + "CP ngày …") joins without a space."""
    joined: list[RawBlock] = []
    for block in blocks:
        if joined and _continues_token(joined[-1], block):
            joined[-1] = _joined(joined[-1], block, "")
        elif joined and continues_sentence(joined[-1], block):
            # The joined block keeps the earlier block's page, box, line and style: its span starts there,
            # and a Block has room for one location. The later part's page is lost, which is the lesser
            # harm than a sentence split in two (and the cut is where the page break was).
            joined[-1] = _joined(joined[-1], block, " ")
        else:
            joined.append(block)
    return joined


def _joined(previous: RawBlock, block: RawBlock, separator: str) -> RawBlock:
    """``previous`` with ``block``'s text after it; an OCR confidence is the lower of the two."""
    update: dict[str, object] = {"text": f"{previous.text}{separator}{block.text}"}
    confidences = [value for value in (previous.confidence, block.confidence) if value is not None]
    if confidences:
        update["confidence"] = min(confidences)
    if previous.ocr_text is not None or block.ocr_text is not None:
        update["ocr_text"] = f"{previous.ocr_text or previous.text}{separator}{block.ocr_text or block.text}"
    if block.words:
        update["words"] = [*previous.words, *block.words]
    return previous.model_copy(update=update)


def _continues_token(previous: RawBlock, block: RawBlock) -> bool:
    if previous.kind not in JOINABLE_KINDS or block.kind not in JOINABLE_KINDS or block.list_label:
        return False
    if previous.table is not None or block.table is not None:
        return False
    return is_broken_token(previous.text, block.text)


def continues_sentence(previous: RawBlock, block: RawBlock) -> bool:
    """True when ``block`` is the rest of a sentence that ``previous`` left unfinished.

    "… trong việc chỉ đạo, tổ" + "chức triển khai thực hiện, …" (starts in lower case) and "… 12 hộ, tỷ lệ"
    + "70,59%." (a number that goes on) are; a heading, a table, a list item's label or bullet
    ("1.", "a)", "- ", "II.") and text after terminal punctuation never are.
    """
    if previous.kind not in JOINABLE_KINDS or block.kind not in JOINABLE_KINDS:
        return False
    if previous.table is not None or block.table is not None or block.list_label:
        return False
    if previous.in_layout_table or block.in_layout_table:
        return False
    if previous.text.endswith(TERMINAL_PUNCTUATION) or _looks_like_heading(previous):
        return False
    return _starts_as_continuation(block.text)


def _looks_like_heading(block: RawBlock) -> bool:
    style = block.style
    if style.bold or style.upper or style.centered:
        return True
    letters = [char for char in block.text if char.isalpha()]
    if letters and all(char.isupper() for char in letters):
        return True
    return len(block.text.split()) <= MAX_HEADING_WORDS


def _starts_as_continuation(text: str) -> bool:
    if LIST_OR_HEADING_START.match(text):
        return False
    first = text[0]
    if first.isalpha():
        return first.islower()
    return first.isdigit() and not BARE_NUMBER.match(text)


# -- layout ---------------------------------------------------------------------------------------------

# How far past the last word placed the next OCR word is looked for: a word the lexicon corrected is not
# found, and the one after it must still be.
WORD_SEARCH_REACH = 60


def place_words(text: str, offset: int, words: list[WordRead]) -> list[WordConfidence]:
    """Where each OCR word of a block lies in its normalized text (``offset`` is the block's start in the
    document), in order; a word the normalization or the lexicon correction changed ("MUC" become "MỤC")
    is left out, and its value's confidence falls back to the block's.

    "Giảm 1,09%" with words "Giảm" (0.95) and "1,09%" (0.41) at offset 100 gives spans 100-104 and 105-110.
    """
    placed: list[WordConfidence] = []
    cursor = 0
    for word in words:
        written = normalize_text(word.text).strip()
        if not written:
            continue
        found = text.find(written, cursor, cursor + len(written) + WORD_SEARCH_REACH)
        if found < 0:
            continue
        span = Span.model_construct(start=offset + found, end=offset + found + len(written))
        placed.append(WordConfidence.model_construct(span=span, confidence=word.confidence))
        cursor = found + len(written)
    return placed


def _lay_out(blocks: list[RawBlock]) -> tuple[str, list[Block]]:
    pieces: list[str] = []
    laid_out: list[Block] = []
    offset = 0
    for block in blocks:
        text = f"{block.list_label} {block.text}" if block.list_label and block.table is None else block.text
        laid_out.append(
            Block.model_construct(  # fields taken from a validated RawBlock: no need to validate again
                kind=block.kind,
                text=text,
                span=Span.model_construct(start=offset, end=offset + len(text)),
                page=block.page,
                bbox=block.bbox,
                line=block.line,
                style=block.style,
                list_label=block.list_label,
                list_level=block.list_level,
                table=block.table,
                in_layout_table=block.in_layout_table,
                confidence=block.confidence,
                ocr_text=block.ocr_text,
                words=place_words(text, offset, block.words) if block.words else [],
            )
        )
        pieces.append(text)
        offset += len(text) + len(BLOCK_SEPARATOR)
    return BLOCK_SEPARATOR.join(pieces), laid_out
