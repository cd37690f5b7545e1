"""Read plain-text and Markdown plans: find the encoding, then cut the lines into blocks and tables.

Text exports of plans arrive in many shapes: UTF-8 with or without a byte-order mark, UTF-16 from
Notepad, Windows-1258 from old Vietnamese Windows, or bytes typed in the legacy TCVN3/VNI fonts. Their
layout varies too: one paragraph per line or blank lines between paragraphs, ``**bold**`` from a
Markdown conversion, and tables written as tab-separated rows, as one cell per tab-indented line, as
Markdown pipes or as aligned columns.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import InputError
from extractor.ingest.limits import CellBudget, check_characters
from extractor.ingest.text_columns import unfold_columns
from extractor.normalize.legacy import repair_legacy_text
from extractor.normalize.text import is_vietnamese_syllable
from extractor.options import ExtractOptions
from models.document import (
    BlockKind,
    RawBlock,
    RawDocument,
    SourceFormat,
    SourceInfo,
    TableCell,
    TableGrid,
    TextStyle,
)

# ---------------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------------

# A decoded text is accepted as Vietnamese when at least this share of its words that carry
# non-ASCII letters are well-formed Vietnamese syllables ("hoạch", "nghèo", "người").
MIN_VIETNAMESE_SHARE = 0.8
# ... and at most this share of its non-ASCII characters are symbols rather than letters. A TCVN3 file
# read as Windows-1258 shows "KƠ ho¹ch": the "¹" gives it away.
MAX_SYMBOL_SHARE = 0.1
# Raw bytes with more than this share of control characters (other than tab, newlines, form feed)
# are binary data, not text.
MAX_CONTROL_SHARE = 0.01

UNDECODABLE_REASON = "not a Vietnamese text in any supported encoding (tried {tried})"
BINARY_REASON = "binary data, not text"

# Punctuation that Windows code pages put above 0x7F and that honest Vietnamese text uses.
ORDINARY_NON_ASCII_PUNCTUATION = frozenset("“”‘’–—…•·°§«»±×€₫\u00a0\u00ad")

WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class DecodedText:
    """Text read from bytes and the name of the encoding that fitted (Python codec names, or a legacy font)."""

    text: str
    encoding: str


def decode_vietnamese_text(path: Path, data: bytes) -> DecodedText:
    """Decode a text file's bytes, trying the encodings Vietnamese offices have used, most certain first.

    A byte-order mark settles it; otherwise strict UTF-8, UTF-16 told by its zero bytes, Windows-1258
    when the result reads as Vietnamese, then the legacy TCVN3/VNI fonts. Raises ``InputError`` for
    binary data and for bytes no encoding turns into Vietnamese.
    """
    by_mark = _decode_by_byte_order_mark(data)
    if by_mark is not None:
        return _refuse_binary_text(path, by_mark)
    utf16 = _decode_utf16_without_mark(data)
    if utf16 is not None:
        return _refuse_binary_text(path, utf16)
    if _looks_binary(data):
        raise InputError(path, BINARY_REASON)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    windows = data.decode("cp1258", errors="replace")
    if "\ufffd" not in windows and looks_vietnamese(windows):
        return DecodedText(windows, "cp1258")
    legacy = _decode_legacy_font(data)
    if legacy is not None:
        return legacy
    raise InputError(path, UNDECODABLE_REASON.format(tried=TRIED_ENCODINGS))


def _decode_by_byte_order_mark(data: bytes) -> DecodedText | None:
    marks = (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    for mark, codec in marks:
        if data.startswith(mark):
            body = data[len(mark) :]
            try:
                return DecodedText(body.decode(codec.removesuffix("-sig")), codec)
            except UnicodeDecodeError:
                return None
    return None


def _decode_utf16_without_mark(data: bytes) -> DecodedText | None:
    """UTF-16 without a mark shows itself by zero bytes: ASCII letters have a zero high byte.

    Little-endian text has its zeros at odd offsets ("K\\x00"), big-endian at even ones.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even_zeros = data[0::2].count(0) / (len(data) / 2)
    odd_zeros = data[1::2].count(0) / (len(data) / 2)
    if odd_zeros >= 0.3 and even_zeros <= 0.02:
        codec = "utf-16-le"
    elif even_zeros >= 0.3 and odd_zeros <= 0.02:
        codec = "utf-16-be"
    else:
        return None
    try:
        return DecodedText(data.decode(codec), codec)
    except UnicodeDecodeError:
        return None


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    controls = sum(data.count(bytes([code])) for code in _CONTROL_CODES)
    return controls > MAX_CONTROL_SHARE * len(data)


# Control codes that never occur in text; tab, newlines, form feed and the DOS end-of-file mark do.
_CONTROL_CODES = tuple(code for code in range(32) if code not in (9, 10, 11, 12, 13, 26))


def _refuse_binary_text(path: Path, decoded: DecodedText) -> DecodedText:
    controls = sum(1 for char in decoded.text if ord(char) in _CONTROL_CODES or char == "\x00")
    if controls > MAX_CONTROL_SHARE * max(len(decoded.text), 1):
        raise InputError(path, BINARY_REASON)
    return decoded


def _decode_legacy_font(data: bytes) -> DecodedText | None:
    """TCVN3 and VNI bytes read as Windows-1252 give "KÕ ho¹ch"; ``repair_legacy_text`` turns that back."""
    try:
        as_western = data.decode("cp1252")
    except UnicodeDecodeError:
        as_western = data.decode("latin-1")
    repaired, encoding = repair_legacy_text(as_western)
    if encoding is None or not looks_vietnamese(repaired):
        return None
    return DecodedText(repaired, encoding)


TRIED_ENCODINGS = "UTF-8, UTF-16, Windows-1258, TCVN3, VNI"


def looks_vietnamese(text: str) -> bool:
    """True when the text reads as Vietnamese: its accented words are real syllables, not symbol soup.

    "Giảm nghèo năm 2024" passes; the same bytes read in the wrong code page ("Gi¶m nghÌo") do not.
    """
    text = unicodedata.normalize("NFC", text)
    non_ascii = [char for char in text if ord(char) > 127 and not char.isspace()]
    if not non_ascii:
        return False
    symbols = sum(
        1
        for char in non_ascii
        if not (char.isalpha() or unicodedata.combining(char)) and char not in ORDINARY_NON_ASCII_PUNCTUATION
    )
    if symbols > MAX_SYMBOL_SHARE * len(non_ascii):
        return False
    return vietnamese_syllable_share(text) >= MIN_VIETNAMESE_SHARE


def vietnamese_syllable_share(text: str) -> float:
    """Share of the words holding non-ASCII letters that are well-formed Vietnamese syllables (0 when none)."""
    words = [word for word in WORD.findall(unicodedata.normalize("NFC", text)) if not word.isascii()]
    if not words:
        return 0.0
    return sum(1 for word in words if is_vietnamese_syllable(word)) / len(words)


# ---------------------------------------------------------------------------------------------------
# Markdown emphasis
# ---------------------------------------------------------------------------------------------------

# Delimiters must hug their text ("**Việc làm**", not "5 * 3"); underscores must not sit inside a word
# ("so_lieu" stays); "\*" is a literal star.
BOLD_STARS = re.compile(r"(?<![\\*])\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*(?!\*)", re.DOTALL)
BOLD_UNDERSCORES = re.compile(r"(?<![\\\w])__(?=[^\s_])(.+?)(?<=[^\s\\_])__(?!\w)", re.DOTALL)
ITALIC_STAR = re.compile(r"(?<![\\*])\*(?=[^\s*])(.+?)(?<=[^\s\\*])\*(?!\*)", re.DOTALL)
ITALIC_UNDERSCORE = re.compile(r"(?<![\\\w])_(?=[^\s_])(.+?)(?<=[^\s\\_])_(?!\w)", re.DOTALL)
HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class EmphasizedText:
    """Text with its Markdown emphasis markers removed, and which characters they made bold or italic."""

    text: str
    bold: tuple[bool, ...]
    italic: tuple[bool, ...]

    def all_bold(self) -> bool:
        return _covers_all_letters(self.text, self.bold)

    def all_italic(self) -> bool:
        return _covers_all_letters(self.text, self.italic)


def strip_emphasis(text: str, unescape: bool = False) -> EmphasizedText:
    """Remove ``**…**``, ``__…__``, ``*…*`` and ``_…_`` and remember what they covered.

    "**KT. CHỦ TỊCH**" becomes "KT. CHỦ TỊCH", all bold. ``unescape`` turns Markdown escapes ("\\*")
    into the character itself, for ``.md`` files.
    """
    # Most lines carry no marker at all: nothing to strip.
    if "*" not in text and "_" not in text and not (unescape and "\\" in text):
        return EmphasizedText(text, (False,) * len(text), (False,) * len(text))
    chars = list(text)
    bold = [False] * len(chars)
    italic = [False] * len(chars)
    for pattern, makes_bold in (
        (BOLD_STARS, True),
        (BOLD_UNDERSCORES, True),
        (ITALIC_STAR, False),
        (ITALIC_UNDERSCORE, False),
    ):
        chars, bold, italic = _apply_emphasis(pattern, chars, bold, italic, makes_bold)
    plain = "".join(chars)
    if unescape:
        plain, bold, italic = _unescape_markdown(plain, bold, italic)
    return EmphasizedText(plain, tuple(bold), tuple(italic))


def _apply_emphasis(
    pattern: re.Pattern[str], chars: list[str], bold: list[bool], italic: list[bool], makes_bold: bool
) -> tuple[list[str], list[bool], list[bool]]:
    current = "".join(chars)
    removed: set[int] = set()
    target = bold if makes_bold else italic
    for match in pattern.finditer(current):
        if not HAS_LETTER_OR_DIGIT.search(match.group(1)):
            continue
        start, end = match.span(1)
        delimiter_width = start - match.start()
        removed.update(range(match.start(), start))
        removed.update(range(end, end + delimiter_width))
        for index in range(start, end):
            target[index] = True
    keep = [index for index in range(len(chars)) if index not in removed]
    return [chars[i] for i in keep], [bold[i] for i in keep], [italic[i] for i in keep]


def _unescape_markdown(text: str, bold: list[bool], italic: list[bool]) -> tuple[str, list[bool], list[bool]]:
    removed = {match.start() for match in MARKDOWN_ESCAPE.finditer(text)}
    keep = [index for index in range(len(text)) if index not in removed]
    return "".join(text[i] for i in keep), [bold[i] for i in keep], [italic[i] for i in keep]


def _covers_all_letters(text: str, flags: tuple[bool, ...]) -> bool:
    if True not in flags:  # the usual line: no emphasis at all
        return False
    letters = [flag for char, flag in zip(text, flags, strict=True) if char.isalnum()]
    return bool(letters) and all(letters)


def is_upper_case(text: str) -> bool:
    """True when the text has at least two letters and all of them are capitals ("KẾ HOẠCH", "TT")."""
    if not text.isupper():  # some letter is not a capital, or none is cased: most lines stop here
        return False
    return sum(1 for char in text if char.isalpha()) >= 2


# ---------------------------------------------------------------------------------------------------
# Tables written in text
# ---------------------------------------------------------------------------------------------------

# One-cell-per-line tables: their cells are short ("Cây Tắt", "183", "2,19"); prose is not.
MAX_MEAN_CELL_LENGTH = 40
# Blank lines allowed between two rows of a one-cell-per-line table.
MAX_BLANK_LINES_BETWEEN_ROWS = 2
BULLET_START = re.compile(r"^[-+•*]\s")
PIPE_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
WIDE_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


@dataclass(frozen=True)
class TextCell:
    text: str
    line: int


@dataclass(frozen=True)
class TextTable:
    """A table found in the lines ``first`` to ``last`` (0-based, inclusive), as rows of cells."""

    first: int
    last: int
    rows: tuple[tuple[TextCell, ...], ...]


def find_text_tables(lines: list[str], markdown: bool = False) -> list[TextTable]:
    """Find every table region in the lines, in line order; each line belongs to at most one table.

    Tried in order of certainty: Markdown pipes, tab-separated rows, one cell per tab-indented line,
    then aligned fixed-width columns.
    """
    taken = [False] * len(lines)
    tables: list[TextTable] = []
    for finder in (_pipe_tables, _tab_separated_tables, _cell_per_line_tables, _fixed_width_tables):
        for table in finder(lines, taken):
            tables.append(table)
            for index in range(table.first, table.last + 1):
                taken[index] = True
    return sorted(tables, key=lambda table: table.first)


def _runs(lines: list[str], taken: list[bool], accepts: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Maximal runs ``(first, last)`` of consecutive free lines that ``accepts``."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        if taken[index] or not accepts(lines[index]):
            index += 1
            continue
        first = index
        while index + 1 < len(lines) and not taken[index + 1] and accepts(lines[index + 1]):
            index += 1
        runs.append((first, index))
        index += 1
    return runs


def _pipe_tables(lines: list[str], taken: list[bool]) -> list[TextTable]:
    """ "| TT | Thôn | Số hộ |" rows, with or without the "|---|" delimiter row (which is dropped)."""
    tables = []
    for first, last in _runs(lines, taken, _is_pipe_row):
        rows = [
            tuple(TextCell(_cell_text(cell), index + 1) for cell in _split_pipe_row(lines[index]))
            for index in range(first, last + 1)
            if not PIPE_DELIMITER_ROW.match(lines[index])
        ]
        if len(rows) >= 2 and sum(1 for row in rows if len(row) >= 2) >= 2:
            tables.append(TextTable(first, last, tuple(rows)))
    return tables


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|")


def _split_pipe_row(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [cell.replace("\\|", "|") for cell in UNESCAPED_PIPE.split(inner)]


def _tab_separated_tables(lines: list[str], taken: list[bool]) -> list[TextTable]:
    """Rows with two or more tabs, one row per line, empty cells kept ("TT\\tThôn\\t…\\tHỘ NGHÈO\\t\\t\\t")."""
    tables = []
    for first, last in _runs(lines, taken, lambda line: line.count("\t") >= 2):
        rows = [
            tuple(TextCell(_cell_text(cell), index + 1) for cell in lines[index].split("\t"))
            for index in range(first, last + 1)
        ]
        full_rows = sum(1 for row in rows if sum(1 for cell in row if cell.text) >= 2)
        if len(rows) >= 2 and full_rows >= 2:
            tables.append(TextTable(first, last, tuple(rows)))
    return tables


def _cell_per_line_tables(lines: list[str], taken: list[bool]) -> list[TextTable]:
    """One cell per tab-indented line, a blank line between rows (Word tables saved as text).

    Tab-indented prose ("\\t- Trực tiếp phụ trách Dự án 2 …") stays prose: a table needs several rows
    of several short cells, most rows the same width.
    """
    tables = []
    for region in _tab_line_regions(lines, taken):
        rows = _trim_thin_edge_rows(region)
        if rows and _looks_like_cell_rows(rows):
            first = rows[0][0].line - 1
            last = rows[-1][-1].line - 1
            tables.append(TextTable(first, last, tuple(rows)))
    return tables


def _tab_line_regions(lines: list[str], taken: list[bool]) -> list[list[tuple[TextCell, ...]]]:
    """Groups of consecutive tab-indented lines, gathered into regions split by long gaps."""
    regions: list[list[tuple[TextCell, ...]]] = []
    current: list[tuple[TextCell, ...]] = []
    blanks = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if not taken[index] and line.startswith("\t"):
            group_start = index
            while index < len(lines) and not taken[index] and lines[index].startswith("\t"):
                index += 1
            current.append(
                tuple(TextCell(_cell_text(lines[i][1:]), i + 1) for i in range(group_start, index))
            )
            blanks = 0
            continue
        if not taken[index] and not line.strip() and blanks < MAX_BLANK_LINES_BETWEEN_ROWS:
            blanks += 1
        else:
            if current:
                regions.append(current)
            current, blanks = [], 0
        index += 1
    if current:
        regions.append(current)
    return regions


def _trim_thin_edge_rows(rows: list[tuple[TextCell, ...]]) -> list[tuple[TextCell, ...]]:
    start, end = 0, len(rows)
    while start < end and len(rows[start]) < 2:
        start += 1
    while end > start and len(rows[end - 1]) < 2:
        end -= 1
    return rows[start:end]


def _looks_like_cell_rows(rows: list[tuple[TextCell, ...]]) -> bool:
    widths = Counter(len(row) for row in rows if len(row) >= 3)
    if not widths or widths.most_common(1)[0][1] < 2:
        return False
    cells = [cell.text for row in rows for cell in row if cell.text]
    if not cells:
        return False
    if sum(len(text) for text in cells) / len(cells) > MAX_MEAN_CELL_LENGTH:
        return False
    return sum(1 for text in cells if BULLET_START.match(text)) < len(cells) / 2


def _fixed_width_tables(lines: list[str], taken: list[bool]) -> list[TextTable]:
    """Columns aligned with spaces ("1   Cây Tắt    183    4"): kept only when every row shares the gaps.

    A column boundary is a run of two or more character positions blank in every line of the region,
    so right-aligned numbers still line up.
    """
    tables = []
    for first, last in _runs(lines, taken, _has_two_wide_gaps):
        if last == first:
            continue
        region = [line.rstrip() for line in lines[first : last + 1]]
        boundaries = _shared_blank_columns(region)
        if len(boundaries) < 2:
            continue
        rows = [
            tuple(TextCell(_cell_text(piece), first + offset + 1) for piece in _cut(line, boundaries))
            for offset, line in enumerate(region)
        ]
        if all(sum(1 for cell in row if cell.text) >= 2 for row in rows):
            tables.append(TextTable(first, last, tuple(rows)))
    return tables


def _has_two_wide_gaps(line: str) -> bool:
    return "\t" not in line and len(WIDE_GAP.findall(line.strip())) >= 2


def _shared_blank_columns(region: list[str]) -> list[tuple[int, int]]:
    """Runs ``(start, end)`` of two or more positions that are spaces in every line, between the text."""
    left = min(len(line) - len(line.lstrip()) for line in region)
    right = max(len(line) for line in region)
    blank = [all(column >= len(line) or line[column] == " " for line in region) for column in range(right)]
    runs: list[tuple[int, int]] = []
    column = left
    while column < right:
        if blank[column]:
            start = column
            while column < right and blank[column]:
                column += 1
            if column - start >= 2 and column < right:
                runs.append((start, column))
        column += 1
    return runs


def _cut(line: str, boundaries: list[tuple[int, int]]) -> list[str]:
    pieces, start = [], 0
    for gap_start, gap_end in boundaries:
        pieces.append(line[start:gap_start])
        start = gap_end
    pieces.append(line[start:])
    return pieces


def _cell_text(raw: str) -> str:
    return strip_emphasis(raw.strip()).text.strip()


def table_grid(table: TextTable) -> TableGrid:
    """The grid of a text table: one cell per written cell, no merges (text cannot show them)."""
    cells = [
        TableCell(row=row_index, col=col_index, text=cell.text, line=cell.line)
        for row_index, row in enumerate(table.rows)
        for col_index, cell in enumerate(row)
    ]
    n_cols = max((len(row) for row in table.rows), default=0)
    return TableGrid(n_rows=len(table.rows), n_cols=n_cols, cells=cells)


def table_text(grid: TableGrid) -> str:
    """A table's text for the document: rows on lines, cells separated by tabs."""
    rows: dict[int, list[str]] = {}
    for cell in grid.cells:
        rows.setdefault(cell.row, []).append(cell.text)
    return "\n".join("\t".join(texts) for _, texts in sorted(rows.items()))


# ---------------------------------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------------------------------

MARKDOWN_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A bold span may run over a few lines ("**ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN**"), never over a blank line.
MAX_LINES_IN_BOLD_SPAN = 8


# No encoding khplan reads spends more than this many bytes on one character (UTF-8 and UTF-16 at most 4).
MAX_BYTES_PER_CHARACTER = 4


def read_text(
    path: Path, data: bytes, source_format: SourceFormat | None = None, options: ExtractOptions | None = None
) -> RawDocument:
    """Read a ``.txt`` or ``.md`` plan: one block per non-empty line, tables as TABLE blocks.

    ``source_format`` defaults from the suffix (``.md`` → "md"). Raises ``InputError`` when the bytes
    are binary, decode to no Vietnamese, or hold only white space, and past ``options``' limits on
    characters (checked from the byte count before decoding, then on the text) and table cells.
    """
    if source_format is None:
        source_format = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    options = options if options is not None else ExtractOptions()
    fewest_characters = len(data) // MAX_BYTES_PER_CHARACTER
    check_characters(path, fewest_characters, options.max_characters, exact=False)
    decoded = decode_vietnamese_text(path, data)
    text = decoded.text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "the file is empty (only white space)")
    check_characters(path, len(text), options.max_characters)
    source = SourceInfo(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format=source_format,
        encoding=decoded.encoding,
    )
    cells = CellBudget(path, options.max_table_cells)
    return RawDocument(source=source, blocks=text_blocks(text, markdown=source_format == "md", cells=cells))


def text_blocks(text: str, markdown: bool = False, cells: CellBudget | None = None) -> list[RawBlock]:
    """Cut decoded text into blocks: tables first, then headings and paragraphs line by line.

    A header or a signature set side by side (``pdftotext -layout``, tabs, web-table pipes) is read column
    after column (``text_columns.unfold_columns``). A form feed marks a page break: the next block gets
    ``starts_page``. Every block keeps the number of the line it was read from. ``cells``, when given, is
    charged for every table's cells before they are built.
    """
    raw_lines = text.split("\n")
    breaks_at = {index for index, line in enumerate(raw_lines) if "\f" in line}
    raw_lines = [line.replace("\f", "") for line in raw_lines]
    found = find_text_tables(raw_lines, markdown)
    if cells is not None:
        cells.spend(sum(len(row) for table in found for row in table.rows))
    in_table = [False] * len(raw_lines)
    for table in found:
        in_table[table.first : table.last + 1] = [True] * (table.last - table.first + 1)
    ordered = unfold_columns(raw_lines, in_table)
    origin = [index for index, _ in ordered]
    lines = [line for _, line in ordered]
    position_of = {index: position for position, index in enumerate(origin)}
    tables = {position_of[table.first]: table for table in found}
    table_lines = {position_of[index] for index in _table_lines({t.first: t for t in found})}
    page_breaks = {position_of[index] for index in breaks_at if index in position_of}
    blocks: list[RawBlock] = []
    pending_page_break = False
    index = 0
    while index < len(lines):
        pending_page_break = pending_page_break or index in page_breaks
        if index in tables:
            grid = table_grid(tables[index])
            block = RawBlock(text=table_text(grid), kind=BlockKind.TABLE, line=origin[index] + 1, table=grid)
            index = position_of[tables[index].last] + 1
        elif not lines[index].strip():
            index += 1
            continue
        else:
            last = _last_line_of_bold_span(lines, index, table_lines)
            block = _line_block(lines[index : last + 1], origin[index] + 1, markdown)
            index = last + 1
        if block is None:
            continue
        if pending_page_break:
            block = _with_page_start(block)
            pending_page_break = False
        blocks.append(block)
    return blocks


def _table_lines(tables: dict[int, TextTable]) -> list[int]:
    return [index for table in tables.values() for index in range(table.first, table.last + 1)]


def _last_line_of_bold_span(lines: list[str], first: int, table_lines: set[int]) -> int:
    """The line that closes a bold span opened on ``first`` and left open there; ``first`` otherwise."""
    if _open_bold_delimiters(lines[first]) % 2 == 0:
        return first
    limit = min(len(lines), first + MAX_LINES_IN_BOLD_SPAN)
    for index in range(first + 1, limit):
        if not lines[index].strip() or index in table_lines:
            return first
        if _open_bold_delimiters(lines[index]) % 2 == 1:
            return index
    return first


def _open_bold_delimiters(line: str) -> int:
    return len(re.findall(r"(?<!\\)\*\*", line)) + len(re.findall(r"(?<![\\\w])__|__(?!\w)", line))


def _line_block(lines: list[str], line_number: int, markdown: bool) -> RawBlock | None:
    kind = BlockKind.PARAGRAPH
    raw = "\n".join(line.strip() for line in lines)
    heading = MARKDOWN_HEADING.match(raw) if len(lines) == 1 else None
    if heading:
        kind, raw = BlockKind.HEADING, heading.group(2)
    if markdown and raw.endswith("\\") and not raw.endswith("\\\\"):
        raw = raw[:-1].rstrip()
    emphasized = strip_emphasis(raw, unescape=markdown)
    text = emphasized.text.strip()
    if not text:
        return None
    style = TextStyle(
        bold=emphasized.all_bold(),
        italic=emphasized.all_italic(),
        upper=is_upper_case(text),
    )
    return RawBlock(text=text, kind=kind, line=line_number, style=style)


def _with_page_start(block: RawBlock) -> RawBlock:
    return block.model_copy(update={"starts_page": True})
