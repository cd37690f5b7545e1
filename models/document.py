"""The document model every reader produces: ordered blocks with provenance."""

from enum import StrEnum
from typing import Literal

from pydantic import Field

from models.provenance import BBox, Frozen, Span

SourceFormat = Literal["txt", "md", "docx", "pdf", "doc", "rtf", "odt", "image"]
PageMethod = Literal["text", "ocr", "legacy_font"]


class BlockKind(StrEnum):
    """What a block is. Readers set what their format tells; the structure stage refines the rest."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    SIGNATURE = "signature"
    RECIPIENTS = "recipients"


class TextStyle(Frozen):
    """Formatting that helps find headings: a bold, upper-case or larger line is a candidate."""

    bold: bool = False
    italic: bool = False
    upper: bool = False
    font_size: float | None = None
    centered: bool = False


class TableCell(Frozen):
    """One cell of a table grid; a merged cell appears once, at its top-left position."""

    row: int = Field(ge=0)
    col: int = Field(ge=0)
    text: str
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    bbox: BBox | None = None
    line: int | None = None
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="For a cell read by OCR, the lowest confidence of its words (0 to 1); null otherwise.",
    )
    ocr_text: str | None = Field(
        default=None,
        description="What OCR read, when the lexicon correction changed a word of it (never a digit).",
    )


class TableGrid(Frozen):
    """A table as the reader saw it: cells on a grid, before any header or row interpretation."""

    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    cells: list[TableCell]
    layout: bool = False


class WordRead(Frozen):
    """One word OCR read, as written between spaces, with its confidence (0 to 1): "1,09%" at 0.41."""

    text: str
    confidence: float = Field(ge=0, le=1)


class WordConfidence(Frozen):
    """Where an OCR'd word lies in the document text, with its confidence: what a value's confidence is the
    lowest of."""

    span: Span
    confidence: float = Field(ge=0, le=1)


class Block(Frozen):
    """One block of the document, in reading order.

    ``text`` is normalized; ``span`` locates it in ``Document.text``. ``list_label`` is the label Word
    generates for automatic numbering ("II.") and that is not part of the paragraph's own text.
    ``in_layout_table`` marks blocks read out of a borderless table that only places the header or the
    signature side by side.
    """

    kind: BlockKind
    text: str
    span: Span
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    style: TextStyle = TextStyle()
    list_label: str | None = None
    list_level: int | None = None
    table: TableGrid | None = None
    in_layout_table: bool = False
    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="For a block read by OCR, the mean confidence of its words (0 to 1); null when the "
        "file's own text was read.",
    )
    ocr_text: str | None = Field(
        default=None,
        description='What OCR read, when the lexicon correction changed a word of it ("MỤC TIỂU" for '
        '"MỤC TIÊU"); never a digit.',
    )
    words: list[WordConfidence] = Field(
        default_factory=list,
        exclude=True,
        description="For a block read by OCR, its words' places and confidences, from which each value's "
        "confidence is taken; kept in memory for the stages, not written to the JSON (each value carries "
        "its own confidence there).",
    )


class PageRead(Frozen):
    """How one page was read: its own text (``method`` "text"), its own text typed in a legacy 8-bit
    Vietnamese font and converted to Unicode ("legacy_font": TCVN3 ".VnTime", VNI), or by OCR of its image
    ("ocr"), with the mean confidence of its OCR words, whether that is below ``LOW_CONFIDENCE``, and why
    (``reason``)."""

    page: int = Field(ge=1)
    method: PageMethod
    confidence: float | None = Field(default=None, ge=0, le=1)
    low_confidence: bool = False
    reason: str | None = Field(
        default=None,
        description='Why the page was read so: for "ocr", "no text layer", "text layer unreadable (8% of '
        'its words readable)" (a font without a usable Unicode map) or "--ocr always"; for "legacy_font", '
        'the font\'s encoding ("text layer in the TCVN3 legacy font, converted to Unicode"); null for a '
        "page read from its own Unicode text.",
    )


class SourceWarning(Frozen):
    """Something a reader met in the file that the extraction cannot show and a reader of it should know.

    ``code`` says what, for programs: "external-links" (the file links content outside itself, e.g. an image
    at a URL, which was not loaded), "pages-unreadable" (the PDF claims pages it does not hold),
    "undeclared-entities" (the Word XML uses entity references it never declares; kept as written, HTML
    names read as their characters). ``message``
    says it in one line; ``items`` lists what it is about (the link targets), at most a few, each shortened.
    """

    code: str
    message: str
    items: list[str] = Field(default_factory=list)


class SourceInfo(Frozen):
    """The input file: where it is, its digest, its format, how many pages it has (null when unpaged), and
    what its reader warns of (``warnings``: external links not loaded, pages that could not be read)."""

    path: str
    sha256: str
    format: SourceFormat
    pages: int | None = None
    encoding: str | None = None
    page_reads: list[PageRead] = Field(
        default_factory=list,
        description="How each page of a paged file was read (its text layer, its text layer in a legacy "
        "font converted to Unicode, or OCR of its image), and why.",
    )
    warnings: list[SourceWarning] = Field(default_factory=list)


class RawBlock(Frozen):
    """One paragraph, list item or table as a reader read it from the file, before normalization.

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
    style: TextStyle = TextStyle()
    list_label: str | None = None
    list_level: int | None = None
    table: TableGrid | None = None
    in_layout_table: bool = False
    starts_page: bool = False
    confidence: float | None = Field(default=None, ge=0, le=1)
    ocr_text: str | None = None
    words: list[WordRead] = Field(default_factory=list)


class RawDocument(Frozen):
    """What every reader returns: source facts, blocks in reading order, page furniture set apart.

    Readers know file formats and nothing about plans: they report what the format tells (a Word heading
    style, an automatic list label, a table grid, a bold run, a page and a box) and leave the meaning of the
    text to later stages.
    """

    source: SourceInfo
    blocks: list[RawBlock]
    page_furniture: list[str] = Field(default_factory=list)


class Document(Frozen):
    """What ingest and normalize produce: the normalized text and its blocks."""

    source: SourceInfo
    text: str
    blocks: list[Block]
    page_furniture: list[str] = Field(
        default_factory=list,
        description="Running headers, footers and page numbers kept apart from the text.",
    )
