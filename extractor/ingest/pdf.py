"""Read a text-layer PDF into a ``RawDocument``: paragraphs and tables in reading order, with page and box.

PDFium (pypdfium2) reads every character with its box, size and font, about 70 times faster than
pdfplumber, and the path objects that rule a table: ``pdf_grid.py`` builds the table grids from them the way
pdfplumber's lattice finder does, cell for cell, without pdfminer re-parsing the page. pdfplumber is opened
only for a page whose paths PDFium cannot read as pdfminer does (``find_ruled_tables`` says None). Page
geometry (lines, columns, paragraphs, reading order) lives in ``pdf_layout.py``.

Coordinates are points with the origin at the page's top-left corner, like pdfplumber's.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import io
import statistics
from concurrent.futures import Future
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from extractor.errors import InputError
from extractor.ingest.limits import CellBudget, check_characters, format_count, limit_reason
from extractor.ingest.ocr import OCR_DPI, OcrPool, ScannedPage
from extractor.ingest.pdf_grid import TABLE_SETTINGS, FoundTable, find_ruled_tables
from extractor.ingest.pdf_layout import (
    Glyph,
    LayoutSettings,
    Line,
    Paragraph,
    Placed,
    TextColumn,
    build_paragraphs,
    continue_band_across_pages,
    estimate_pitch_ratio,
    find_page_furniture,
    group_lines,
    page_bands,
    text_column,
)
from extractor.normalize.legacy import ENCODINGS, convert_legacy
from extractor.normalize.text import is_vietnamese_syllable
from extractor.options import ExtractOptions
from models.document import (
    BlockKind,
    PageRead,
    RawBlock,
    RawDocument,
    SourceInfo,
    SourceWarning,
    TableCell,
    TableGrid,
    TextStyle,
)
from models.provenance import BBox

PASSWORD_PROTECTED = "the PDF is password-protected"
DAMAGED = "the PDF is damaged or truncated"
NO_TEXT_LAYER = "no text layer (a scanned PDF) and OCR is off (--ocr never)"
NO_TEXT = "no text: no page holds a text layer or a scan with words Tesseract can read"
# A page with fewer glyphs than this in its text layer, and an image on it, is a scan: it is OCR'd (--ocr auto).
MIN_TEXT_GLYPHS = 20
# Why a page was OCR'd, as ``PageRead.reason`` says it.
NO_TEXT_LAYER_REASON = "no text layer"
OCR_ALWAYS_REASON = "--ocr always"

# What OCR makes of a table rule beside a cell's text: stripped from a scanned cell's edges (and spaces).
OCR_RULE_CHARACTERS = "|[]_ "

# Cell edges closer than this (points) are the same grid line.
GRID_TOLERANCE = 2.0


@dataclass(frozen=True)
class PageText:
    """One page as PDFium reads it: size and glyphs (top-left origin) and its ruled tables, None when PDFium
    cannot read its paths as pdfminer does (then pdfplumber finds them)."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    tables: list[FoundTable] | None
    read: PageRead | None = None
    ocr: Future[ScannedPage] | None = None
    ocr_reason: str | None = None

    def resolved(self) -> PageText:
        """The page with its OCR'd glyphs, read (with why it was OCR'd) and table rules in place, once its
        pool thread is done."""
        if self.ocr is None:
            return self
        scanned = self.ocr.result()
        read = scanned.read.model_copy(update={"reason": self.ocr_reason})
        return replace(self, glyphs=scanned.glyphs, read=read, tables=scanned.tables, ocr=None)


def read_pdf(path: Path, data: bytes, options: ExtractOptions | None = None) -> RawDocument:
    """Read a text-layer PDF into blocks in reading order, running headers and page numbers set apart.

    Raises ``InputError`` for a password-protected, damaged or truncated PDF, for one with no text layer at
    all (a scan): ``plans/kh-15.pdf: the PDF is password-protected``, and past ``options``' limits on pages,
    characters and table cells.

    A PDF longer than ``--max-pages`` is refused, not cut: the pages after the cut may hold the end of a table
    or the totals its figures are checked against, and an auditor must not read "no finding" off half a plan.
    A PDF whose page tree claims more pages than it holds (a count of 10,000 over one page) is read as far as
    its pages load, and says so in ``source.warnings``: what is there is the whole of what can be read.
    """
    path = Path(path)
    options = options if options is not None else ExtractOptions()
    pages, claimed = _read_pages(path, data, options)
    if not any(page.glyphs for page in pages):
        raise InputError(path, NO_TEXT_LAYER if options.ocr == "never" else NO_TEXT)
    cells = CellBudget(path, options.max_table_cells)
    tables = {page.number: page.tables for page in pages if page.tables}
    tables |= _find_tables(data, [page.number for page in pages if page.tables is None])
    for found in tables.values():
        cells.spend(sum(len(table.cells) for table in found))
    blocks, furniture = lay_out_pages(pages, tables)
    source = SourceInfo(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format="pdf",
        pages=len(pages),
        page_reads=[page.read for page in pages if page.read is not None],
        warnings=_missing_pages_warnings(claimed, len(pages)),
    )
    return RawDocument(source=source, blocks=blocks, page_furniture=furniture)


def _missing_pages_warnings(claimed: int, read: int) -> list[SourceWarning]:
    """The warning of a page tree that claims more pages than load: (10000, 1) -> "the PDF claims 10,000
    pages; only the first 1 could be read (its page tree holds no more)"."""
    if read >= claimed:
        return []
    message = (
        f"the PDF claims {format_count(claimed)} pages; only the first {format_count(read)} could be read "
        "(its page tree holds no more)"
    )
    return [SourceWarning(code="pages-unreadable", message=message)]


# ---------------------------------------------------------------------------------------------------
# PDFium: open, read glyphs, look for ruling lines
# ---------------------------------------------------------------------------------------------------


def _read_pages(path: Path, data: bytes, options: ExtractOptions) -> tuple[list[PageText], int]:
    """The pages that load, in order, and the page count the PDF claims.

    Reading stops at the first page PDFium cannot load (the rest of the page tree is missing); a page past
    ``max_pages`` that does load refuses the file, and so do more glyphs than ``max_characters``.
    """
    import pypdfium2 as pdfium

    if b"%%EOF" not in data.rstrip(b"\x00 \t\r\n")[-1024:]:
        raise InputError(path, DAMAGED)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise InputError(path, _open_error_reason(error)) from None
    try:
        with OcrPool(path, options.ocr_lang, options.workers) as pool:
            claimed = len(document)
            pages: list[PageText] = []
            glyphs = 0
            for index in range(claimed):
                page = _load_page(document, index)
                if page is None:
                    break
                if index >= options.max_pages:
                    page.close()
                    what = f"the PDF has more than {format_count(options.max_pages)} pages"
                    raise InputError(path, limit_reason(what, "max_pages"))
                pages.append(_read_page(path, page, index + 1, options, pool))
                glyphs += len(pages[-1].glyphs)
                check_characters(path, glyphs, options.max_characters, exact=False)
            pages = [page.resolved() for page in pages]
        check_characters(path, sum(len(page.glyphs) for page in pages), options.max_characters, exact=False)
    except pdfium.PdfiumError:
        raise InputError(path, DAMAGED) from None
    finally:
        document.close()
    if claimed and not pages:
        raise InputError(path, DAMAGED)
    return pages, claimed


def _load_page(document: Any, index: int) -> Any | None:
    """Page ``index`` (0-based), or None when PDFium cannot load it: the page tree claims it but lacks it."""
    import pypdfium2 as pdfium

    try:
        return document[index]
    except pdfium.PdfiumError:
        return None


def _open_error_reason(error: Exception) -> str:
    import pypdfium2.raw as pdfium_c

    if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(error).lower():
        return PASSWORD_PROTECTED
    return DAMAGED


def _read_page(path: Path, page: Any, number: int, options: ExtractOptions, pool: OcrPool) -> PageText:
    """One page: its text layer, or, for a scan (``needs_ocr``), its image at ``OCR_DPI`` handed to the OCR
    pool (the page's glyphs come when it is ``resolved``)."""
    left, bottom, right, top = page.get_mediabox()
    glyphs = _page_glyphs(page, left, top)
    reason = needs_ocr(page, glyphs, options.ocr)
    if reason is not None:
        dpi = ocr_resolution(path, number, right - left, top - bottom, options.max_pixels)
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        page.close()
        future = pool.submit(image, number, dpi)
        return PageText(number, right - left, top - bottom, [], [], ocr=future, ocr_reason=reason)
    tables = find_ruled_tables(page, origin=(left, top))
    page.close()
    read = PageRead(page=number, method="text")
    return PageText(
        number=number, width=right - left, height=top - bottom, glyphs=glyphs, tables=tables, read=read
    )


# The lowest resolution a page is rendered at for OCR when a huge page would pass --max-pixels at OCR_DPI:
# Tesseract still reads 10-point text at 150 dpi; below it, the page is refused.
MIN_OCR_DPI = 150


def ocr_resolution(path: Path, number: int, width: float, height: float, max_pixels: int) -> int:
    """The dots per inch a scanned page is rendered at: ``OCR_DPI``, or less for a page so large that its
    image would pass ``max_pixels`` (a 60-inch poster page); ``InputError`` when even ``MIN_OCR_DPI`` would.

    A page of width × height points holds (width / 72 × dpi) × (height / 72 × dpi) pixels: an A4 page at 300
    dpi 8.7 million, so only an oversized page is ever rendered smaller.
    """
    inches = (width / 72) * (height / 72)
    fitting = int((max_pixels / inches) ** 0.5) if inches > 0 else OCR_DPI
    if fitting >= OCR_DPI:
        return OCR_DPI
    if fitting >= MIN_OCR_DPI:
        return fitting
    what = (
        f"page {number} is {width / 72:.0f} × {height / 72:.0f} inches, more than "
        f"{format_count(max_pixels)} pixels at {MIN_OCR_DPI} dpi"
    )
    raise InputError(path, limit_reason(what, "max_pixels"))


def needs_ocr(page: Any, glyphs: list[Glyph], mode: str) -> str | None:
    """Why a page is read by OCR, or None when its text layer is read: always with ``--ocr always``, never
    with ``never``; with ``auto`` when its text layer holds fewer than ``MIN_TEXT_GLYPHS`` glyphs and the page
    shows an image ("no text layer"; a blank page is no scan: 500 blank pages cost no OCR), or when its text
    layer is unreadable (``judge_text_layer``): "text layer unreadable (8% of its words readable)".

    A page typed in a legacy font the converters repair (TCVN3 ".VnTime", VNI) is read as text:
    ``normalize_document`` converts it and marks it "legacy_font".
    """
    if mode == "never":
        return None
    if mode == "always":
        return OCR_ALWAYS_REASON
    if len(glyphs) < MIN_TEXT_GLYPHS:
        return NO_TEXT_LAYER_REASON if _has_image(page) else None
    judged = judge_text_layer(_glyphs_text(glyphs))
    return None if judged.readable else judged.reason


def _glyphs_text(glyphs: list[Glyph]) -> str:
    """The text of a page's first ``MAX_JUDGED_GLYPHS`` glyphs, a space where the PDF wrote one (or a line
    ended): what ``judge_text_layer`` reads."""
    return "".join(
        [f" {glyph.text}" if glyph.space_before else glyph.text for glyph in glyphs[:MAX_JUDGED_GLYPHS]]
    )


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def _page_glyphs(page: Any, origin_x: float, origin_top: float) -> list[Glyph]:
    """Every visible character of a page with its loose box, font size, bold and italic.

    Spaces and PDFium's generated line breaks are not glyphs: they only mark ``space_before`` on the
    next glyph. Font facts are asked at the first character of each run of letters and digits and at every
    other character (a word is set in one font, though “*Toàn dân*” italicises inside its quotes; asking of
    every character was a third of reading a page), and of PDFium only when the text object changes.
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text = textpage.get_text_range() if count > 0 else ""
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, index)) for index in range(count))
    # PDFium gives a hyphen that ends a line ("07/2021/NĐ-" before "CP") as U+FFFE: the line joiner must
    # see the hyphen it is.
    text = text.replace("\ufffe", "-")
    box = pdfium_c.FS_RECTF()
    origin_x_c, origin_y_c = ctypes.c_double(), ctypes.c_double()
    char_box, char_origin = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetCharOrigin
    fonts = _FontCache(handle)
    glyphs: list[Glyph] = []
    space_pending = True
    in_word = False
    size, bold, italic = 0.0, False, False
    for index, char in enumerate(text):
        if char.isspace() or char == "\x00":
            space_pending, in_word = True, False
            continue
        if not char_box(handle, index, box):
            continue
        char_origin(handle, index, origin_x_c, origin_y_c)
        if not in_word:
            size, bold, italic = fonts.style(index)
        in_word = char.isalnum()
        glyphs.append(
            Glyph(
                char,
                box.left - origin_x,
                box.right - origin_x,
                origin_top - box.top,
                origin_top - box.bottom,
                origin_top - origin_y_c.value,
                size,
                bold,
                italic,
                space_pending and bool(glyphs),
                index,
            )
        )
        space_pending = False
    textpage.close()
    return glyphs


class _FontCache:
    """Font size, bold and italic of a character, asked of PDFium only when the text object changes."""

    def __init__(self, textpage_handle: Any) -> None:
        import pypdfium2.raw as pdfium_c

        self._c = pdfium_c
        self._handle = textpage_handle
        self._has_objects = hasattr(pdfium_c, "FPDFText_GetTextObject")
        self._last_object: int | None = None
        self._last_style: tuple[float, bool, bool] = (0.0, False, False)
        self._name_buffer = ctypes.create_string_buffer(256)
        self._flags = ctypes.c_int()

    def style(self, index: int) -> tuple[float, bool, bool]:
        if self._has_objects:
            pointer = self._c.FPDFText_GetTextObject(self._handle, index)
            key = ctypes.cast(pointer, ctypes.c_void_p).value
            if key is not None and key == self._last_object:
                return self._last_style
            self._last_object = key
        self._last_style = self._ask(index)
        return self._last_style

    def _ask(self, index: int) -> tuple[float, bool, bool]:
        c = self._c
        size = float(c.FPDFText_GetFontSize(self._handle, index))
        c.FPDFText_GetFontInfo(self._handle, index, self._name_buffer, len(self._name_buffer), self._flags)
        name = self._name_buffer.value.decode("latin-1", "replace").split("+")[-1].lower()
        weight = c.FPDFText_GetFontWeight(self._handle, index)
        flags = self._flags.value
        bold = any(word in name for word in ("bold", "black", "heavy", "semibold", "demi")) or weight >= 600
        bold = bold or bool(flags & (1 << 18))  # ForceBold in the font descriptor
        italic = "italic" in name or "oblique" in name or bool(flags & (1 << 6))
        return round(size, 2), bold, italic


# ---------------------------------------------------------------------------------------------------
# pdfplumber: tables of the pages PDFium could not read the rules of
# ---------------------------------------------------------------------------------------------------


def _find_tables(data: bytes, page_numbers: list[int]) -> dict[int, list[FoundTable]]:
    """Tables found by pdfplumber on the given pages (1-based), keyed by page number."""
    if not page_numbers:
        return {}
    import pdfplumber

    found: dict[int, list[FoundTable]] = {}
    with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as pdf:
        for page in pdf.pages:
            tables = [
                FoundTable(bbox=tuple(table.bbox), cells=[tuple(cell) for cell in table.cells])
                for table in page.find_tables(TABLE_SETTINGS)
                if len(table.cells) >= 2
            ]
            if tables:
                found[page.page_number] = tables
    return found


def table_grid(table: FoundTable, glyphs: list[Glyph], page: int) -> TableGrid:
    """A ``TableGrid`` from a found table's cell boxes and the glyphs inside each cell.

    Grid lines are the distinct cell edges; a cell that spans two of them is a merged cell
    ("Hộ nghèo đầu năm 2021" over its "TS" and "%" columns has ``col_span`` 2).
    """
    xs = _grid_lines([edge for cell in table.cells for edge in (cell[0], cell[2])])
    ys = _grid_lines([edge for cell in table.cells for edge in (cell[1], cell[3])])
    slots = _cell_slots(table.cells, xs, ys)
    by_cell: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        index = _slot_cell(glyph, xs, ys, slots)
        if index is None:
            index = _cell_of(glyph, table.cells)
        if index is not None:
            by_cell.setdefault(index, []).append(glyph)
    cells = []
    for index, (x0, top, x1, bottom) in enumerate(table.cells):
        col, row = _nearest(xs, x0), _nearest(ys, top)
        inside = by_cell.get(index, [])
        cells.append(
            TableCell(
                row=row,
                col=col,
                text=_cell_text(inside, page),
                row_span=max(1, _nearest(ys, bottom) - row),
                col_span=max(1, _nearest(xs, x1) - col),
                bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom),
                confidence=_cell_confidence(inside),
            )
        )
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return TableGrid(n_rows=max(len(ys) - 1, 0), n_cols=max(len(xs) - 1, 0), cells=cells)


def _grid_lines(edges: list[float]) -> list[float]:
    lines: list[float] = []
    for edge in sorted(edges):
        if not lines or edge - lines[-1] > GRID_TOLERANCE:
            lines.append(edge)
    return lines


def _nearest(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda index: abs(lines[index] - value))


def _cell_slots(
    cells: list[tuple[float, float, float, float]], xs: list[float], ys: list[float]
) -> dict[tuple[int, int], int]:
    """(row slot, column slot) -> index of the cell covering it; a merged cell covers several slots."""
    slots: dict[tuple[int, int], int] = {}
    for index, (x0, top, x1, bottom) in enumerate(cells):
        first_col, last_col = _nearest(xs, x0), _nearest(xs, x1)
        first_row, last_row = _nearest(ys, top), _nearest(ys, bottom)
        for row in range(first_row, max(last_row, first_row + 1)):
            for col in range(first_col, max(last_col, first_col + 1)):
                slots.setdefault((row, col), index)
    return slots


def _slot_cell(
    glyph: Glyph, xs: list[float], ys: list[float], slots: dict[tuple[int, int], int]
) -> int | None:
    """The cell under a glyph's centre, found by bisecting the grid lines instead of scanning every cell."""
    col = bisect.bisect_right(xs, (glyph.x0 + glyph.x1) / 2) - 1
    row = bisect.bisect_right(ys, (glyph.top + glyph.bottom) / 2) - 1
    return slots.get((row, col))


def _cell_of(glyph: Glyph, cells: list[tuple[float, float, float, float]]) -> int | None:
    x = (glyph.x0 + glyph.x1) / 2
    y = (glyph.top + glyph.bottom) / 2
    for index, (x0, top, x1, bottom) in enumerate(cells):
        if x0 <= x <= x1 and top <= y <= bottom:
            return index
    return None


def _cell_text(glyphs: list[Glyph], page: int) -> str:
    """A cell's lines joined with spaces: a header wrapped in its cell ("Tổng số hộ" / "gia đình"). In a
    scan, the cell's own rules that OCR read as letters are dropped from its edges ("|Cây Tắt" -> "Cây Tắt")."""
    text = " ".join(line.text for line in group_lines(glyphs, page)).strip()
    if glyphs and glyphs[0].confidence is not None:
        text = text.strip(OCR_RULE_CHARACTERS)
    return text


def _cell_confidence(glyphs: list[Glyph]) -> float | None:
    """The lowest OCR confidence of a cell's glyphs (its weakest word); None when not OCR'd or empty."""
    scores = [glyph.confidence for glyph in glyphs if glyph.confidence is not None]
    return min(scores) if scores else None


def _table_text(grid: TableGrid) -> str:
    """Rows on lines, cells at their column separated by tabs (a merged cell's text at its first column)."""
    rows: dict[int, dict[int, str]] = {}
    for cell in grid.cells:
        rows.setdefault(cell.row, {})[cell.col] = " ".join(cell.text.split())
    lines = []
    for row in range(grid.n_rows):
        placed = rows.get(row, {})
        width = max(placed, default=-1) + 1
        lines.append("\t".join(placed.get(col, "") for col in range(width)))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------
# Whether a text layer reads: a font without a usable Unicode map gives glyph codes, not words
# ---------------------------------------------------------------------------------------------------

# A text layer is unreadable when fewer than this share of its words read (``is_readable_word``), as written
# and through each legacy converter (TCVN3, VNI). Measured on the seeds' 34 typed pages: 0.98-1.0 as written;
# the same pages in TCVN3 or VNI bytes 0.15-0.41 as written (their unaccented syllables and numbers; a table
# page 0.7) and 0.98-1.0 converted; random Latin-1 letters and symbols, what a font without a usable Unicode map
# may give, 0.01.
MIN_READABLE_SHARE = 0.5
# Fewer judged words than this are too thin to call a page unreadable (a cover with a title, a signature).
MIN_JUDGED_WORDS = 12
# Glyphs of a page judged at most (about 250 words): the first ones tell as surely as the whole page, and the
# judging runs on every page of every typed PDF.
MAX_JUDGED_GLYPHS = 1500

# Punctuation around a word: "(hộ", "UBND;", "“Tết”".
_WORD_EDGES = "\"'()[]{},.;:!?“”‘’…-–—*•+<>«»|"
_HAS_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
# A word made of parts joined by "-" or "/": "57/KH-UBND", "xã/phường", "07/2021/NĐ-CP".
_PART_SEPARATOR = regex.compile(r"[-/]+")
# A Latin word, code, e-mail or web address: "UBND", "online", "KH-UBND", "https://dichvucong.gov.vn".
_LATIN_TOKEN = regex.compile(r"[A-Za-z0-9]+(?:[-/.,:'_@&+~=?#%]+[A-Za-z0-9]+)*%?")
# An abbreviation in Vietnamese capitals: "HĐND", "BCĐ", "TƯ", "NQ".
_ABBREVIATION = regex.compile(r"[A-ZĐƯƠ]{1,10}\d*")
# A number, with a percent or a short unit: "2.405", "1,09%", "20ha", "1.000đ".
_NUMBER = regex.compile(r"\d[\d.,]*(?:%|\p{L}{1,5})?")


@dataclass(frozen=True)
class TextLayerJudgement:
    """How a page's text layer reads: of its ``words`` judged, the ``share`` that read as words (see
    ``is_readable_word``), as written (``encoding`` None) or through the legacy converter of ``encoding``
    when that reads better ("tcvn3" for a ".VnTime" page)."""

    words: int
    share: float
    encoding: str | None = None

    @property
    def readable(self) -> bool:
        """Readable: too few words to tell, or at least ``MIN_READABLE_SHARE`` of them read."""
        return self.words < MIN_JUDGED_WORDS or self.share >= MIN_READABLE_SHARE

    @property
    def reason(self) -> str:
        """Why an unreadable page is OCR'd: "text layer unreadable (8% of its words readable)"."""
        return f"text layer unreadable ({round(100 * self.share)}% of its words readable)"


def judge_text_layer(text: str) -> TextLayerJudgement:
    """How a page's text reads, as written and, when that is under ``MIN_READABLE_SHARE``, through each legacy
    converter (the best of them kept).

    "Ủy ban nhân dân xã Cao Nhân xây dựng kế hoạch …" reads as written (share 1.0); its TCVN3 bytes "ñy ban
    nh©n d©n x· Cao Nh©n x©y dùng kÕ ho¹ch …" read 0.26 as written and 1.0 through TCVN3 (``encoding``
    "tcvn3"); "Ëåüß ÷Ò¿ ¤¥¦ …" reads through nothing. Numbers read, so a page of table figures is never
    unreadable.
    """
    words = [token.strip(_WORD_EDGES) for token in text.split()]
    judged = _judge_words(words, None)
    if judged.share >= MIN_READABLE_SHARE or judged.words < MIN_JUDGED_WORDS:
        return judged
    for encoding in ENCODINGS:
        converted = _judge_words(words, encoding)
        if converted.share > judged.share:
            judged = converted
    return judged


def _judge_words(words: list[str], encoding: str | None) -> TextLayerJudgement:
    """The share of ``words`` that read (as written, or through ``encoding``'s converter), of those that hold
    a letter or a digit: "(1)", "Hộ", "nghèo:", "…" judge 3 words."""
    verdicts = [_reads(word, encoding) for word in words]
    readable, unreadable = verdicts.count(True), verdicts.count(False)
    if not readable + unreadable:
        return TextLayerJudgement(0, 1.0, encoding)
    return TextLayerJudgement(readable + unreadable, round(readable / (readable + unreadable), 4), encoding)


@lru_cache(maxsize=65536)
def _reads(word: str, encoding: str | None) -> bool | None:
    """Whether ``word`` reads, as written or converted from ``encoding`` (an ASCII word no converter changes);
    None for a word with no letter or digit ("", "=", "§"), which is not judged."""
    if not _HAS_LETTER_OR_DIGIT.search(word):
        return None
    if encoding is not None and not word.isascii():
        word = convert_legacy(word, encoding)
    return is_readable_word(word)


def is_readable_word(word: str) -> bool:
    """Whether a word of a text layer reads as a word: a Vietnamese syllable ("hoạch", "QUỐC"), a number
    ("2.405", "1,09%"), a Latin word, code or address ("UBND", "KH-UBND", "www.tuyenquang.gov.vn"), an
    abbreviation ("HĐND"), or parts of those joined by "-" or "/" ("07/2021/NĐ-CP", "xã/phường").

    Not a word: glyph codes of a font without a usable Unicode map ("Ëåüß", "÷Ò¿", "&RQJ"), nor TCVN3 or
    VNI letters read as Western ones ("héi", "hoøa").
    """
    if word.isascii():
        return _LATIN_TOKEN.fullmatch(word) is not None
    word = word.replace("Ð", "Đ").replace("ð", "đ")  # the Icelandic eth some fonts give for "Đ"
    return all(_readable_part(part) for part in _PART_SEPARATOR.split(word) if part)


def _readable_part(part: str) -> bool:
    return bool(
        is_vietnamese_syllable(part)
        or _NUMBER.fullmatch(part)
        or _ABBREVIATION.fullmatch(part)
        or (part.isascii() and _LATIN_TOKEN.fullmatch(part))
    )


# ---------------------------------------------------------------------------------------------------
# Layout: furniture, paragraphs, tables, reading order
# ---------------------------------------------------------------------------------------------------


def _inside(glyph: Glyph, bbox: tuple[float, float, float, float]) -> bool:
    x = (glyph.x0 + glyph.x1) / 2
    y = (glyph.top + glyph.bottom) / 2
    return bbox[0] - 1 <= x <= bbox[2] + 1 and bbox[1] - 1 <= y <= bbox[3] + 1


def lay_out_pages(
    pages: list[PageText], tables: dict[int, list[FoundTable]]
) -> tuple[list[RawBlock], list[str]]:
    """The blocks of ``pages`` in reading order (their tables placed among them) and the page furniture set
    apart: the one layout of typed and OCR'd pages alike."""
    body_glyphs: dict[int, list[Glyph]] = {}
    table_blocks: dict[int, list[Placed]] = {}
    for page in pages:
        found = tables.get(page.number, [])
        glyphs = page.glyphs
        for table in found:
            inside = [glyph for glyph in glyphs if _inside(glyph, table.bbox)]
            glyphs = [glyph for glyph in glyphs if not _inside(glyph, table.bbox)]
            grid = table_grid(table, inside, page.number)
            x0, top, x1, bottom = table.bbox
            block = RawBlock(
                text=_table_text(grid),
                kind=BlockKind.TABLE,
                page=page.number,
                bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom),
                table=grid,
            )
            table_blocks.setdefault(page.number, []).append(
                Placed(x0, top, x1, bottom, block, 0.0, top, bottom)
            )
        body_glyphs[page.number] = glyphs

    page_lines = [group_lines(body_glyphs[page.number], page.number) for page in pages]
    furniture_ids = find_page_furniture(page_lines, [page.height for page in pages])
    furniture = [line.text for lines in page_lines for line in lines if id(line) in furniture_ids]
    page_lines = [[line for line in lines if id(line) not in furniture_ids] for lines in page_lines]
    settings = LayoutSettings(pitch_ratio=estimate_pitch_ratio(page_lines))
    columns = _text_columns(pages, page_lines)

    bands: list[tuple[int, list[list[Placed]]]] = []
    for page, lines in zip(pages, page_lines, strict=True):
        column = columns.get(page.number)
        placed = [_placed_paragraph(paragraph) for paragraph in build_paragraphs(lines, column, settings)]
        placed.extend(table_blocks.get(page.number, []))
        this_page = page_bands(placed, settings)
        if bands and this_page and _band_cut_by_page_break(bands[-1], this_page[0], pages):
            joined, taken = continue_band_across_pages(bands[-1][1], this_page, settings)
            bands[-1] = (bands[-1][0], joined)
            this_page = this_page[taken:]
        bands.extend((page.number, band) for band in this_page)

    blocks: list[RawBlock] = []
    seen_pages: set[int] = set()
    for _, band in bands:
        for column_items in band:
            for item in column_items:
                block = item.item
                if isinstance(block, Paragraph):
                    block = _paragraph_block(block, columns.get(block.first.page))
                if block.page not in seen_pages and block.page is not None and block.page > 1:
                    block = block.model_copy(update={"starts_page": True})
                seen_pages.add(block.page or 0)
                blocks.append(block)
    return blocks, furniture


def _band_cut_by_page_break(
    last: tuple[int, list[list[Placed]]], first_next: list[list[Placed]], pages: list[PageText]
) -> bool:
    """The last band of a page reaches into its lower part and the next page starts near its top."""
    page_number, band = last
    if page_number >= len(pages):
        return False
    height, next_height = pages[page_number - 1].height, pages[page_number].height
    bottom = max(item.bottom for column in band for item in column)
    top = min(item.top for column in first_next for item in column)
    return bottom >= 0.6 * height and top <= 0.25 * next_height


def _placed_paragraph(paragraph: Paragraph) -> Placed:
    return Placed(
        paragraph.x0,
        paragraph.top,
        paragraph.x1,
        paragraph.bottom,
        paragraph,
        paragraph.first.size,
        paragraph.first.baseline,
        paragraph.last.baseline,
    )


def _text_columns(pages: list[PageText], page_lines: list[list[Line]]) -> dict[int, TextColumn]:
    """The body column of each page, pooled over pages of the same size (a landscape appendix differs)."""
    by_size: dict[tuple[int, int], list[Line]] = {}
    for page, lines in zip(pages, page_lines, strict=True):
        by_size.setdefault((round(page.width), round(page.height)), []).extend(lines)
    pooled = {size: text_column(lines) for size, lines in by_size.items()}
    columns = {}
    for page in pages:
        column = pooled[(round(page.width), round(page.height))]
        if column is not None:
            columns[page.number] = column
    return columns


def _paragraph_block(paragraph: Paragraph, column: TextColumn | None) -> RawBlock:
    return RawBlock(
        text=paragraph.text,
        kind=BlockKind.PARAGRAPH,
        page=paragraph.first.page,
        bbox=BBox(x0=paragraph.x0, top=paragraph.top, x1=paragraph.x1, bottom=paragraph.bottom),
        style=_paragraph_style(paragraph, column),
        confidence=_paragraph_confidence(paragraph),
        words=[word for segment in paragraph.segments for word in segment.words],
    )


def _paragraph_confidence(paragraph: Paragraph) -> float | None:
    """The OCR confidence of a paragraph: its segments' weighted by their length; None when not OCR'd."""
    scored = [(len(segment.text), segment.confidence) for segment in paragraph.segments]
    scored = [(weight, value) for weight, value in scored if value is not None]
    if not scored:
        return None
    total = sum(max(weight, 1) for weight, _ in scored)
    return round(sum(max(weight, 1) * value for weight, value in scored) / total, 4)


def _paragraph_style(paragraph: Paragraph, column: TextColumn | None) -> TextStyle:
    """Bold or italic when most characters are; the median size; upper when every letter is a capital;
    centred when the block sits in the middle of the text column without touching its left edge."""
    weights = [max(len(segment.text), 1) for segment in paragraph.segments]
    total = sum(weights)
    bold = sum(w for w, s in zip(weights, paragraph.segments, strict=True) if s.bold) * 2 > total
    italic = sum(w for w, s in zip(weights, paragraph.segments, strict=True) if s.italic) * 2 > total
    sizes = [s.size for w, s in zip(weights, paragraph.segments, strict=True) for _ in range(w)]
    letters = sum(segment.letters for segment in paragraph.segments)
    upper = letters >= 2 and sum(segment.upper_letters for segment in paragraph.segments) == letters
    return TextStyle(
        bold=bold,
        italic=italic,
        upper=upper,
        font_size=statistics.median(sizes) if sizes else None,
        centered=_is_centred(paragraph, column),
    )


def _is_centred(paragraph: Paragraph, column: TextColumn | None) -> bool:
    """Centred: clear of both edges of the text column by about the same distance ("KẾ HOẠCH")."""
    if column is None:
        return False
    size = max(paragraph.first.size, 1.0)
    left_gap = paragraph.x0 - column.left
    right_gap = column.right - paragraph.x1
    if left_gap <= size or right_gap <= size:
        return False
    return abs(left_gap - right_gap) <= max(6.0, 0.03 * column.width)
