"""Render the seed plans (corpus/seeds/*.txt) as Word documents and text-layer PDFs.

Each seed is a plain-text export of a real plan. This script lays it out again the way the original file
was laid out, so the DOCX and PDF readers meet what real files contain:

- the header (issuing body | national motto, "Số: …" | place and date) and the signature ("Nơi nhận:" and
  the recipients | authority, position, signer) sit in borderless two-column layout tables;
- the parts ("I.", "II.") and their "1.", "2." children use Word's automatic list numbering in the seeds
  listed in AUTO_NUMBERED_SEEDS, the others keep the numbers as literal text;
- the tabulated data are real Word tables with merged header cells;
- every page carries a centred PAGE field in its footer, so the PDF pages end with their number.

The DOCX holds exactly the seed's words: Markdown emphasis (``**bold**``, ``*italic*``) becomes bold and
italic runs, a paragraph the export split at a page break becomes one paragraph again, and only the
numbers that Word now generates are gone from the text. PDFs are made by LibreOffice (``soffice``).

Usage::

    .venv/bin/python corpus/render.py                 # rebuild every rendering in corpus/seeds/
    .venv/bin/python corpus/render.py --check         # exit 1 when a committed rendering is stale
    .venv/bin/python corpus/render.py --out-dir /tmp/r 004_ab6f31fa12f1256e
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import regex

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"

# Seeds whose Roman parts and their "1." children are rendered with Word's automatic numbering; the other
# seeds keep literal numbers, so both ways of numbering are in the corpus.
AUTO_NUMBERED_SEEDS = frozenset({"000_18cf555f364dcc13", "004_ab6f31fa12f1256e"})

# Fixed document dates keep the DOCX bytes identical from one run to the next.
FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

BODY_FONT = "Times New Roman"
BODY_SIZE_PT = 14
HEADER_SIZE_PT = 12
TABLE_SIZE_PT = 9
TABLE_CHAR_CM = 0.17  # a character of 9 pt Times New Roman is about 0.16 cm wide on average
TABLE_CELL_PADDING_CM = 0.08
RECIPIENT_SIZE_PT = 11
FIRST_LINE_INDENT_CM = 1.0
WIDE_TABLE_COLUMNS = 12  # a table this wide after the signature gets a landscape section of its own

DOCUMENT_TYPES = (
    "KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "BÁO CÁO",
    "CHƯƠNG TRÌNH",
    "PHƯƠNG ÁN",
    "ĐỀ ÁN",
    "TỜ TRÌNH",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "NGHỊ QUYẾT",
)
TITLE_RE = regex.compile(r"^(?:" + "|".join(DOCUMENT_TYPES) + r")(?=\s|$)")
ROMAN_RE = regex.compile(r"^(?P<label>(?P<num>[IVXLC]+)\.\s+)")
DECIMAL_RE = regex.compile(r"^(?P<label>(?P<num>\d{1,2})\.\s+)")
SUBITEM_RE = regex.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s")
LETTER_RE = regex.compile(r"^[a-zđ]\)")
BULLET_RE = regex.compile(r"^[-+–]\s")
LIST_MARKER_RE = regex.compile(r"^(?:[IVXLC]+\.|\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|[-+–])(?:\s|$)")
SENTENCE_END = '.;:!?…)”"/'
AUTHORITY_RE = regex.compile(r"^(?:TM|KT|TL|TUQ|Q)[.,]\s")
RECIPIENTS_RE = regex.compile(r"^Nơi nhận\s*:?", regex.IGNORECASE)
NATIONAL_MOTTO_RE = regex.compile(r"CỘNG HÒA|CỘNG HOÀ|Độc lập", regex.IGNORECASE)
NUMBER_LINE_RE = regex.compile(r"^Số\s*:")
PLACE_DATE_RE = regex.compile(r"\bngày\b.*\bnăm\b")
NUMERIC_CELL_RE = regex.compile(r"^[\d.,%\s]+$")


# ---------------------------------------------------------------------------------------------------
# Emphasis: "**ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN**" → runs
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis; text may hold "\\n" where the seed broke a line."""

    text: str
    bold: bool = False
    italic: bool = False


def parse_emphasis(text: str) -> list[Run]:
    """Runs of a text with Markdown emphasis, the markers removed.

    ``"trừ (*không có khả năng*)"`` → ``[Run("trừ ("), Run("không có khả năng", italic=True), Run(")")]``.
    A marker left unclosed is kept as literal text, as a real "*" in a plan would be.
    """
    runs: list[Run] = []
    bold = italic = False
    piece: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("**", i) or text[i] == "*":
            if piece:
                runs.append(Run("".join(piece), bold, italic))
                piece = []
            if text.startswith("**", i):
                bold = not bold
                i += 2
            else:
                italic = not italic
                i += 1
            continue
        piece.append(text[i])
        i += 1
    if piece:
        runs.append(Run("".join(piece), bold, italic))
    if bold or italic:
        return [Run(text)]
    return runs


def plain_text(text: str) -> str:
    """The text without emphasis markers: ``"**KT. CHỦ TỊCH**"`` → ``"KT. CHỦ TỊCH"``."""
    return "".join(run.text for run in parse_emphasis(text))


def split_runs_at_newlines(runs: list[Run]) -> list[list[Run]]:
    """One list of runs per line, so a multi-line emphasised block becomes several paragraphs."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        for index, part in enumerate(run.text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append(Run(part, run.bold, run.italic))
    return lines


def drop_prefix(runs: list[Run], length: int) -> list[Run]:
    """The runs without their first ``length`` characters (a literal "II. " Word now numbers)."""
    kept: list[Run] = []
    for run in runs:
        if length >= len(run.text):
            length -= len(run.text)
            continue
        kept.append(Run(run.text[length:], run.bold, run.italic))
        length = 0
    return kept


def embolden_prefix(runs: list[Run], length: int) -> list[Run]:
    """The runs with their first ``length`` characters bold ("4. Công chức Tư pháp:" in a numbered line)."""
    result: list[Run] = []
    for run in runs:
        if length <= 0:
            result.append(run)
        elif length >= len(run.text):
            result.append(Run(run.text, True, run.italic))
        else:
            result.append(Run(run.text[:length], True, run.italic))
            result.append(Run(run.text[length:], run.bold, run.italic))
        length -= len(run.text)
    return result


# ---------------------------------------------------------------------------------------------------
# Reading a seed export into the parts of a plan
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A paragraph of the export: one line, or several when an emphasis runs over line ends.

    ``block`` numbers the blank-line-separated groups; ``after_blank`` says a blank line came before it.
    """

    text: str
    block: int
    after_blank: bool

    @property
    def plain(self) -> str:
        return plain_text(self.text).strip()


@dataclass(frozen=True)
class GridCell:
    """A table cell at its top-left grid position with how far it spans (merged cells span > 1)."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class GridTable:
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: ``kind`` is part, item, subitem, letter, bullet or body."""

    text: str
    kind: str


@dataclass(frozen=True)
class PlanLayout:
    issuing_body: tuple[str, ...] = ()
    national_motto: tuple[str, ...] = ()
    number: tuple[str, ...] = ()
    place_date: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    body: tuple[Paragraph | GridTable, ...] = ()
    recipients_label: str = ""
    recipients: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    signer: str = ""
    after_signature: tuple[Paragraph | GridTable, ...] = ()


def is_tab_separated_row(line: str) -> bool:
    """``"TT\\tThôn\\tTổng số hộ dân cư"`` is a row; ``"\\t- Trực tiếp …"`` (an indented line) is not."""
    return "\t" in line.lstrip("\t")


def is_cell_line(line: str) -> bool:
    """A cell of a one-cell-per-line table: tab-indented, one cell (``"\\tCây Tắt"``, ``"\\t"``)."""
    return line.startswith("\t") and not is_tab_separated_row(line)


def read_tab_separated_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    rows = []
    end = start
    while end < len(lines) and is_tab_separated_row(lines[end]):
        rows.append(lines[end].split("\t"))
        end += 1
    return rows, end


def read_cell_per_line_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Rows of a table written one cell per tab-indented line, a blank line between rows (seed 001)."""
    rows: list[list[str]] = [[]]
    end = start
    while end < len(lines):
        line = lines[end]
        if is_cell_line(line):
            rows[-1].append(line[1:])
        elif line.strip() == "" and end + 1 < len(lines) and is_cell_line(lines[end + 1]):
            rows.append([])
        else:
            break
        end += 1
    return [row for row in rows if row], end


def widen_short_rows(rows: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, int, int]]]:
    """Full-width rows and the horizontal spans that the short rows imply, as (row, col, span).

    A one-cell-per-line export drops the cells a merge covers. A short header row over a row that starts
    with empty cells ("TT", "Đơn vị", "Tổng số" over three blanks, then six groups over twelve "TS"/"%")
    keeps one cell per blank and shares the other columns evenly among its groups; a short body row
    ("Tổng cộng" in a row one cell short) lets its first cell take the missing columns.
    """
    width = max(len(row) for row in rows)
    widened: list[list[str]] = []
    spans: list[tuple[int, int, int]] = []
    for index, row in enumerate(rows):
        if len(row) == width:
            widened.append(list(row))
            continue
        below = rows[index + 1] if index + 1 < len(rows) else []
        lead = 0
        while lead < len(below) and below[lead].strip() == "":
            lead += 1
        groups = row[lead:]
        if len(below) == width and groups and lead < len(row) and (width - lead) % len(groups) == 0:
            span = (width - lead) // len(groups)
            new_row = list(row[:lead])
            for group in groups:
                if span > 1:
                    spans.append((index, len(new_row), span))
                new_row.extend([group] + [""] * (span - 1))
        elif row and row[0].strip() and not NUMERIC_CELL_RE.match(row[0]):
            missing = width - len(row)
            spans.append((index, 0, missing + 1))
            new_row = [row[0]] + [""] * missing + list(row[1:])
        else:
            new_row = list(row) + [""] * (width - len(row))
        widened.append(new_row)
    return widened, spans


def count_header_rows(rows: list[list[str]]) -> int:
    """Leading rows with blank cells are header rows (merged cells leave blanks in an export)."""
    count = 0
    for row in rows[:-1]:
        if all(cell.strip() for cell in row):
            break
        count += 1
    return count


def build_grid_table(raw_rows: list[list[str]]) -> GridTable:
    """A table with its merges from exported rows.

    In the header rows a blank cell continues the cell above when that one covers a single column (a
    vertical merge: "TT" over two or three header rows), and otherwise continues the cell to its left
    inside the same group above (a horizontal merge: "HỘ NGHÈO" over six columns).
    """
    rows, explicit_spans = widen_short_rows(raw_rows)
    width = len(rows[0])
    header_rows = count_header_rows(rows)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], list[int]] = {}
    for row, col, span in explicit_spans:
        spans[(row, col)] = [1, span]
        for offset in range(span):
            owner[(row, col + offset)] = (row, col)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in owner:
                continue
            origin = (r, c)
            if text.strip() == "" and r < header_rows:
                origin = continued_header_cell(r, c, owner, spans)
            owner[(r, c)] = origin
            if origin == (r, c):
                spans[origin] = [1, 1]
            elif origin[0] == r:
                spans[origin][1] = c - origin[1] + 1
            else:
                spans[origin][0] = r - origin[0] + 1
    cells = tuple(
        GridCell(r, c, rows[r][c].strip(), row_span, col_span)
        for (r, c), (row_span, col_span) in sorted(spans.items())
    )
    return GridTable(len(rows), width, header_rows, cells)


def continued_header_cell(
    r: int, c: int, owner: dict[tuple[int, int], tuple[int, int]], spans: dict[tuple[int, int], list[int]]
) -> tuple[int, int]:
    above = owner.get((r - 1, c)) if r > 0 else None
    if above is not None and spans[above][1] == 1:
        return above
    left = owner.get((r, c - 1)) if c > 0 else None
    same_group_above = r == 0 or owner.get((r - 1, c)) == owner.get((r - 1, c - 1))
    if left is not None and left[0] == r and same_group_above:
        return left
    return (r, c)


def split_into_units(lines: list[str]) -> list[Unit | GridTable]:
    """Paragraph units and tables in export order."""
    items: list[Unit | GridTable] = []
    block = 0
    after_blank = False
    index = 0
    while index < len(lines):
        line = lines[index]
        table_rows: list[list[str]] = []
        end = index
        if is_tab_separated_row(line):
            table_rows, end = read_tab_separated_table(lines, index)
        elif is_cell_line(line):
            table_rows, end = read_cell_per_line_table(lines, index)
        if len(table_rows) >= 2 and max(len(row) for row in table_rows) >= 2:
            items.append(build_grid_table(table_rows))
            block += 1
            index = end
            continue
        if line.strip() == "":
            block += 1 if not after_blank else 0
            after_blank = True
            index += 1
            continue
        text = line.strip()
        while not emphasis_closed(text) and index + 1 < len(lines) and lines[index + 1].strip():
            index += 1
            text += "\n" + lines[index].strip()
        items.append(Unit(text, block, after_blank))
        after_blank = False
        index += 1
    return items


def emphasis_closed(text: str) -> bool:
    return text.count("**") % 2 == 0


def find_title(items: list[Unit | GridTable]) -> int:
    for index, item in enumerate(items):
        if isinstance(item, Unit) and TITLE_RE.match(item.plain):
            return index
    return -1


def classify_header(units: list[Unit]) -> dict[str, tuple[str, ...]]:
    """Sort the lines above the title into the four places of a plan's header."""
    places: dict[str, list[str]] = {"issuing_body": [], "national_motto": [], "number": [], "place_date": []}
    for unit in units:
        plain = unit.plain
        if NATIONAL_MOTTO_RE.search(plain):
            place = "national_motto"
        elif NUMBER_LINE_RE.match(plain):
            place = "number"
        elif PLACE_DATE_RE.search(plain):
            place = "place_date"
        else:
            place = "issuing_body"
        places[place].append(unit.text)
    return {name: tuple(texts) for name, texts in places.items()}


def is_uppercase_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def read_signature(units: list[Unit]) -> tuple[dict[str, object], int]:
    """Recipients, authority lines and signer from where the signature starts; returns where it ends."""
    found: dict[str, object] = {"recipients_label": "", "recipients": (), "authority": (), "signer": ""}
    index = 0
    while index < len(units):
        plain = units[index].plain
        if RECIPIENTS_RE.match(plain) and not found["recipients_label"]:
            found["recipients_label"] = units[index].text
            index += 1
            recipients = []
            while index < len(units) and BULLET_RE.match(units[index].plain):
                recipients.append(units[index].text)
                index += 1
            found["recipients"] = tuple(recipients)
        elif is_uppercase_line(plain) and not found["authority"]:
            authority = []
            while index < len(units) and is_uppercase_line(units[index].plain):
                authority.append(units[index].text)
                index += 1
            found["authority"] = tuple(authority)
            if index < len(units) and len(units[index].plain.split()) <= 6:
                found["signer"] = units[index].text
                index += 1
        else:
            break
    return found, index


def find_signature_start(items: list[Unit | GridTable], start: int) -> int:
    """The first "Nơi nhận:" or authority line ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") after the body."""
    for index in range(start, len(items)):
        item = items[index]
        if isinstance(item, Unit) and (RECIPIENTS_RE.match(item.plain) or AUTHORITY_RE.match(item.plain)):
            return index
    return len(items)


def paragraph_kind(plain: str) -> str:
    if ROMAN_RE.match(plain):
        return "part"
    if DECIMAL_RE.match(plain):
        return "item"
    if SUBITEM_RE.match(plain):
        return "subitem"
    if LETTER_RE.match(plain):
        return "letter"
    if BULLET_RE.match(plain):
        return "bullet"
    return "body"


def continues_previous(previous: Paragraph, unit: Unit) -> bool:
    """A page break in the export split one paragraph: "… chỉ đạo, tổ" / blank / "chức triển khai …"."""
    if not unit.after_blank:
        return False
    before = plain_text(previous.text).rstrip()
    first = unit.plain[:1]
    if not before or before[-1] in SENTENCE_END or previous.kind == "part":
        return False
    if LIST_MARKER_RE.match(unit.plain):
        return False
    return first.islower() or first.isdigit()


def body_items(items: list[Unit | GridTable]) -> tuple[Paragraph | GridTable, ...]:
    result: list[Paragraph | GridTable] = []
    for item in items:
        if isinstance(item, GridTable):
            result.append(item)
            continue
        previous = result[-1] if result else None
        if isinstance(previous, Paragraph) and continues_previous(previous, item):
            result[-1] = Paragraph(previous.text + " " + item.text, previous.kind)
            continue
        result.append(Paragraph(item.text, paragraph_kind(item.plain)))
    return tuple(result)


def summary_after_title(items: list[Unit | GridTable], title_index: int) -> list[Unit]:
    """The summary lines (trích yếu) under "KẾ HOẠCH": the rest of the title's block, or else the next
    block when it does not read like a preamble ending in ";" or ":"."""
    title_block = items[title_index].block
    following = []
    for item in items[title_index + 1 :]:
        if not isinstance(item, Unit) or item.block > title_block + 1:
            break
        following.append(item)
    same_block = [unit for unit in following if unit.block == title_block]
    if same_block:
        return same_block
    next_block = [unit for unit in following if unit.block == title_block + 1]
    if (
        next_block
        and not next_block[-1].plain.endswith((";", ":"))
        and not LIST_MARKER_RE.match(next_block[0].plain)
    ):
        return next_block
    return []


def parse_plan(text: str) -> PlanLayout:
    """The parts of a plan from its text export (a layout, not an extraction: it only needs to be right
    enough to lay the seeds out as their originals were)."""
    items = split_into_units(text.replace("\r\n", "\n").split("\n"))
    title_index = find_title(items)
    header_units = [item for item in items[: max(title_index, 0)] if isinstance(item, Unit)]
    title_unit = items[title_index] if title_index >= 0 else None
    position = title_index + 1
    title: tuple[str, ...] = ()
    if isinstance(title_unit, Unit):
        title = (title_unit.text,)
        summary_units = summary_after_title(items, title_index)
        summary = [unit.text for unit in summary_units]
        position += len(summary_units)
    else:
        position = 0
    signature_start = find_signature_start(items, position)
    signature_units = [item for item in items[signature_start:] if isinstance(item, Unit)]
    signature, consumed = read_signature(signature_units)
    rest_start = signature_start
    seen = 0
    while rest_start < len(items) and seen < consumed:
        if isinstance(items[rest_start], Unit):
            seen += 1
        rest_start += 1
    return PlanLayout(
        **classify_header(header_units),
        title=title,
        summary=tuple(summary),
        body=body_items(items[position:signature_start]),
        after_signature=body_items(items[rest_start:]),
        **signature,
    )


# ---------------------------------------------------------------------------------------------------
# Writing the Word document
# ---------------------------------------------------------------------------------------------------


def roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for index, ch in enumerate(numeral):
        value = values[ch]
        following = values[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


@dataclass
class AutoNumbering:
    """Which literal numbers Word numbering replaces: only where Word would print the same label."""

    num_id: int | None
    part: int = 0
    child: int = 0
    used: list[str] = field(default_factory=list)

    def level_for(self, paragraph: Paragraph) -> tuple[int, int] | None:
        """(list level, label length) when the paragraph gets automatic numbering, else None."""
        if self.num_id is None:
            return None
        plain = plain_text(paragraph.text).strip()
        if paragraph.kind == "part":
            match = ROMAN_RE.match(plain)
            if match and roman_value(match["num"]) == self.part + 1:
                self.part += 1
                self.child = 0
                return 0, len(match["label"])
        elif paragraph.kind == "item" and self.part:
            match = DECIMAL_RE.match(plain)
            if match and int(match["num"]) == self.child + 1:
                self.child += 1
                return 1, len(match["label"])
        return None


def qn(tag: str) -> str:
    from docx.oxml.ns import qn as docx_qn

    return docx_qn(tag)


def make_element(tag: str, **attributes: str):
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def add_heading_numbering(document) -> int:
    """Add one two-level list (upper Roman "%1.", then decimal "%2." restarting in each part) and
    return its numId."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(el.get(qn("w:abstractNumId"))) for el in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(el.get(qn("w:numId"))) for el in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = make_element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(make_element("w:nsid", val="4B48504C"))
    abstract.append(make_element("w:multiLevelType", val="multilevel"))
    for level, (fmt, text) in enumerate((("upperRoman", "%1."), ("decimal", "%2."))):
        lvl = make_element("w:lvl", ilvl=str(level))
        lvl.append(make_element("w:start", val="1"))
        lvl.append(make_element("w:numFmt", val=fmt))
        lvl.append(make_element("w:suff", val="space"))
        lvl.append(make_element("w:lvlText", val=text))
        lvl.append(make_element("w:lvlJc", val="left"))
        ppr = make_element("w:pPr")
        ppr.append(make_element("w:ind", left="0", firstLine=str(twips_cm(FIRST_LINE_INDENT_CM))))
        lvl.append(ppr)
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = make_element("w:num", numId=str(num_id))
    num.append(make_element("w:abstractNumId", val=str(abstract_id)))
    numbering.append(num)
    return num_id


def twips_cm(cm: float) -> int:
    return round(cm * 567)


def set_numbering(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = make_element("w:numPr")
    num_pr.append(make_element("w:ilvl", val=str(level)))
    num_pr.append(make_element("w:numId", val=str(num_id)))
    ppr.insert_element_before(
        num_pr,
        *(
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:rPr",
        ),
    )


def bold_paragraph_mark(paragraph) -> None:
    """Bold the paragraph mark, so Word's automatic label ("II.") is bold like the heading text."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = make_element("w:rPr")
        ppr.append(rpr)
    rpr.append(make_element("w:b"))


def add_runs(
    paragraph, runs: list[Run], *, bold: bool = False, italic: bool = False, size: float | None = None
):
    from docx.shared import Pt

    for run in runs:
        added = paragraph.add_run(run.text)
        added.bold = True if (bold or run.bold) else None
        added.italic = True if (italic or run.italic) else None
        if size:
            added.font.size = Pt(size)


def format_paragraph(paragraph, *, align=None, indent: bool = False, space_after: float = 6, keep_next=False):
    from docx.shared import Cm, Pt

    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    if keep_next:
        fmt.keep_with_next = True


def setup_document():
    """A4, margins 2 cm (left 3 cm), Times New Roman 14 pt, 6 pt after each paragraph."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = section.right_margin = Cm(2.0)
    section.left_margin = Cm(3.0)
    section.footer_distance = Cm(1.0)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    add_page_number_footer(section)
    return document


def add_page_number_footer(section) -> None:
    """A centred PAGE field in the footer: the PDF then shows the page number on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(12)
        if kind == "instr":
            instr = make_element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            run._r.append(make_element("w:fldChar", fldCharType=kind))


def remove_table_borders(table) -> None:
    """A layout table: no borders at all, as the header and signature blocks of real plans."""
    tbl_pr = table._tbl.tblPr
    borders = make_element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(make_element(f"w:{side}", val="nil"))
    tbl_pr.append(borders)


def set_column_widths(table, widths_cm: list[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(twips_cm(width)))
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Cm(widths_cm[index])


def fill_cell(
    cell, texts: tuple[str, ...], *, bold=False, italic=False, size=None, align=None, space_after=0
):
    """Write each text as its own paragraph of the cell (each line of a multi-line text too)."""
    first = True
    for text in texts:
        for line_runs in split_runs_at_newlines(parse_emphasis(text)):
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            add_runs(paragraph, line_runs, bold=bold, italic=italic, size=size)
            format_paragraph(paragraph, align=align, space_after=space_after)


def add_header_table(document, plan: PlanLayout) -> None:
    """Row 1: issuing body | national motto; row 2: "Số: …" | place and date. Empty rows are left out."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    rows = [
        ((plan.issuing_body, True, False), (plan.national_motto, True, False)),
        ((plan.number, False, False), (plan.place_date, False, True)),
    ]
    rows = [row for row in rows if row[0][0] or row[1][0]]
    if not rows:
        return
    table = document.add_table(rows=len(rows), cols=2)
    remove_table_borders(table)
    set_column_widths(table, [6.0, 10.0])
    for r, row in enumerate(rows):
        for c, (texts, bold, italic) in enumerate(row):
            fill_cell(table.cell(r, c), texts, bold=bold, italic=italic, size=HEADER_SIZE_PT, align=center)
        for cell in table.rows[r].cells:
            cell.paragraphs[-1].paragraph_format.space_after = Pt(6)


def add_title(document, plan: PlanLayout) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for index, text in enumerate(plan.title + plan.summary):
        paragraph = document.add_paragraph()
        add_runs(paragraph, parse_emphasis(text.replace("\n", " ")), bold=True)
        is_last = index == len(plan.title) + len(plan.summary) - 1
        format_paragraph(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12 if is_last else 0)
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(12)


def looks_like_heading(plain: str) -> bool:
    """Short numbered lines without a closing full stop are headings ("2.1 Tín dụng ưu đãi cho hộ nghèo")."""
    return len(plain) <= 160 and not plain.endswith((".", ";"))


def label_length(plain: str) -> int:
    """Length of a bold lead-in "4. Công chức Tư pháp:" before the text that follows it, else 0."""
    colon = plain.find(":")
    if 0 < colon <= 90 and plain[colon + 1 :].strip():
        return colon + 1
    return 0


def add_body_paragraph(document, paragraph: Paragraph, numbering: AutoNumbering) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    runs = parse_emphasis(paragraph.text.replace("\n", " "))
    plain = "".join(run.text for run in runs)
    stripped = plain.lstrip()
    runs = drop_prefix(runs, len(plain) - len(stripped))
    heading = paragraph.kind == "part" or (
        paragraph.kind in {"item", "subitem", "letter"} and looks_like_heading(stripped)
    )
    if paragraph.kind == "body" and stripped.upper().startswith("PHỤ LỤC"):
        out = document.add_paragraph()
        add_runs(out, runs, bold=True)
        format_paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
        return
    level = numbering.level_for(paragraph)
    if level is not None:
        runs = drop_prefix(runs, level[1])
    elif paragraph.kind in {"item", "subitem", "letter"} and not heading and label_length(stripped):
        runs = embolden_prefix(runs, label_length(stripped))
    out = document.add_paragraph()
    add_runs(out, runs, bold=heading)
    format_paragraph(out, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, keep_next=heading)
    if level is not None:
        set_numbering(out, numbering.num_id, level[0])
        if heading:
            bold_paragraph_mark(out)


def data_table_widths(table: GridTable, usable_cm: float) -> list[float]:
    """Column widths that keep numbers and words whole: each column gets room for its longest word (its
    whole text for labels such as "Cây Chanh" in the body rows), the rest of the page is shared evenly."""
    needed = [0.0] * table.n_cols
    for cell in table.cells:
        if cell.col_span > 1 or not cell.text:
            continue
        label = cell.row >= table.header_rows and not NUMERIC_CELL_RE.match(cell.text)
        longest = len(cell.text) if label else max(len(word) for word in cell.text.split())
        needed[cell.col] = max(needed[cell.col], longest * TABLE_CHAR_CM + 2 * TABLE_CELL_PADDING_CM)
    spare = max(usable_cm - sum(needed), 0.0) / table.n_cols
    scale = min(1.0, usable_cm / sum(needed))
    return [width * scale + spare for width in needed]


def set_cell_padding(table, padding_cm: float) -> None:
    """Narrow left/right cell margins, as dense statistical tables in real plans use."""
    margins = make_element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(make_element(f"w:{side}", w=str(twips_cm(padding_cm)), type="dxa"))
    table._tbl.tblPr.append(margins)


def add_grid_table(document, table: GridTable, usable_cm: float) -> None:
    """A bordered Word table ("Table Grid") with the merges the export implied."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word_table = document.add_table(rows=table.n_rows, cols=table.n_cols)
    word_table.style = document.styles["Table Grid"]
    set_cell_padding(word_table, TABLE_CELL_PADDING_CM)
    set_column_widths(word_table, data_table_widths(table, usable_cm))
    for cell in table.cells:
        target = word_table.cell(cell.row, cell.col)
        if cell.row_span > 1 or cell.col_span > 1:
            target = target.merge(word_table.cell(cell.row + cell.row_span - 1, cell.col + cell.col_span - 1))
        in_header = cell.row < table.header_rows
        numeric = bool(NUMERIC_CELL_RE.match(cell.text)) or len(cell.text) <= 2
        align = WD_ALIGN_PARAGRAPH.CENTER if in_header or numeric else WD_ALIGN_PARAGRAPH.LEFT
        fill_cell(target, (cell.text,), bold=in_header, size=TABLE_SIZE_PT, align=align)
        target.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def add_signature_table(document, plan: PlanLayout) -> None:
    """Left: "Nơi nhận:" and the recipients in a smaller font; right: authority, position, signer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not (plan.recipients_label or plan.authority or plan.signer):
        return
    table = document.add_table(rows=1, cols=2)
    remove_table_borders(table)
    set_column_widths(table, [7.5, 8.5])
    left, right = table.cell(0, 0), table.cell(0, 1)
    if plan.recipients_label:
        fill_cell(left, (plan.recipients_label,), bold=True, italic=True, size=12)
        for text in plan.recipients:
            paragraph = left.add_paragraph()
            add_runs(paragraph, parse_emphasis(text), size=RECIPIENT_SIZE_PT)
            format_paragraph(paragraph, space_after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    fill_cell(right, plan.authority, bold=True, align=center)
    if plan.signer:
        for _ in range(3):
            format_paragraph(right.add_paragraph(), space_after=0)
        paragraph = right.add_paragraph()
        add_runs(paragraph, parse_emphasis(plan.signer), bold=True)
        format_paragraph(paragraph, align=center, space_after=0)


def add_landscape_section(document):
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = (
        document.sections[0].right_margin
    )
    return section


def usable_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def add_items(document, items, numbering: AutoNumbering, usable_cm: float) -> None:
    for item in items:
        if isinstance(item, GridTable):
            add_grid_table(document, item, usable_cm)
        else:
            add_body_paragraph(document, item, numbering)


def build_docx(plan: PlanLayout, *, auto_numbering: bool, title: str) -> bytes:
    """The Word file of a plan layout, with fixed dates and zip timestamps so reruns give equal bytes."""
    document = setup_document()
    numbering = AutoNumbering(add_heading_numbering(document) if auto_numbering else None)
    add_header_table(document, plan)
    add_title(document, plan)
    add_items(document, plan.body, numbering, usable_width_cm(document.sections[0]))
    add_signature_table(document, plan)
    if plan.after_signature:
        wide = any(isinstance(i, GridTable) and i.n_cols >= WIDE_TABLE_COLUMNS for i in plan.after_signature)
        section = add_landscape_section(document) if wide else document.sections[-1]
        add_items(document, plan.after_signature, numbering, usable_width_cm(section))
    properties = document.core_properties
    properties.title = title
    properties.author = "khplan corpus/render.py"
    properties.last_modified_by = "khplan corpus/render.py"
    properties.created = properties.modified = FIXED_TIMESTAMP.replace(tzinfo=None)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, so the bytes depend on content only."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def render_docx(text: str, *, auto_numbering: bool) -> bytes:
    """The DOCX rendering of one seed text."""
    plan = parse_plan(text)
    title = " ".join(plain_text(t).replace("\n", " ") for t in plan.title + plan.summary)
    return build_docx(plan, auto_numbering=auto_numbering, title=unicodedata.normalize("NFC", title).strip())


# ---------------------------------------------------------------------------------------------------
# PDF through LibreOffice, and the command line
# ---------------------------------------------------------------------------------------------------


def convert_to_pdf(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """Convert Word files to PDF with a private LibreOffice profile (parallel runs do not collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("render.py: soffice (LibreOffice) is needed to make the PDFs")
    with tempfile.TemporaryDirectory(prefix="khplan-render-") as work:
        profile = Path(work) / "profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            *map(str, docx_paths),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        results = []
        for path in docx_paths:
            produced = Path(work) / (path.stem + ".pdf")
            if not produced.exists():
                raise SystemExit(f"render.py: LibreOffice made no PDF for {path.name}")
            target = out_dir / produced.name
            shutil.move(str(produced), target)
            results.append(target)
    return results


def pdf_page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def render(stems: list[str], seeds_dir: Path, out_dir: Path, *, make_pdf: bool = True) -> list[Path]:
    """Write <stem>.docx (and <stem>.pdf) into out_dir for each seed text; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in stems:
        text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
        target = out_dir / f"{stem}.docx"
        target.write_bytes(render_docx(text, auto_numbering=stem in AUTO_NUMBERED_SEEDS))
        written.append(target)
    if make_pdf:
        written += convert_to_pdf(list(written), out_dir)
    return written


def rendering_differs(committed: Path, fresh: Path) -> bool:
    """DOCX files must be byte-identical; PDFs (LibreOffice stamps dates and ids) must read the same."""
    if not committed.exists():
        return True
    if fresh.suffix == ".pdf":
        return pdf_page_texts(committed) != pdf_page_texts(fresh)
    return committed.read_bytes() != fresh.read_bytes()


def check(stems: list[str], seeds_dir: Path) -> int:
    """Rebuild into a temporary folder and compare: DOCX bytes, PDF text page by page."""
    stale = []
    with tempfile.TemporaryDirectory(prefix="khplan-check-") as work:
        for path in render(stems, seeds_dir, Path(work), make_pdf=shutil.which("soffice") is not None):
            if rendering_differs(seeds_dir / path.name, path):
                stale.append(path.name)
    for name in stale:
        print(f"{seeds_dir / name}: stale, run corpus/render.py", file=sys.stderr)
    return 1 if stale else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stems", nargs="*", help="seed names without .txt (default: every seed)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed rendering is stale")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help="where the seed .txt files are")
    parser.add_argument("--out-dir", type=Path, help="where to write (default: the seeds folder)")
    parser.add_argument("--no-pdf", action="store_true", help="write the DOCX files only")
    args = parser.parse_args(argv)
    stems = args.stems or sorted(path.stem for path in args.seeds_dir.glob("*.txt"))
    if args.check:
        return check(stems, args.seeds_dir)
    for path in render(stems, args.seeds_dir, args.out_dir or args.seeds_dir, make_pdf=not args.no_pdf):
        print(os.path.relpath(path), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
