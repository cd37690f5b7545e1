"""Render the constructed results reports (corpus/results/*.txt) as Word documents.

Every TXT here is a constructed example, not a real document. Its first line is the HTML comment
``<!-- Ví dụ dựng sẵn để kiểm thử: không phải văn bản thật -->``; the DOCX opens with the same sentence as its
first paragraph. The rest of the DOCX holds exactly the words of the TXT, laid out as an official document:

- the header (issuing body | national motto, "Số: …" | place and date) in a borderless two-column table;
- the document type ("BÁO CÁO", "KẾ HOẠCH") and the summary, centred and bold;
- body paragraphs, the Roman-numbered parts in bold, numbers kept as literal text;
- each block of tab-separated lines as a bordered Word table, its header rows (the rows before the first row
  whose first cell is a number, a Roman numeral or the index letter "A") bold, with merged cells: a header cell
  followed by empty cells in its row spans them, and a header cell with only empty cells below it spans down;
- the signature ("Nơi nhận:" and the recipients | authority, position, signer) in a borderless two-column
  table; anything after the signature (an appendix) follows in a landscape section.

The output is deterministic: fixed core-property dates and zip member timestamps, so reruns give equal bytes.

Usage::

    .venv/bin/python corpus/results/make_docx.py            # rewrite every corpus/results/*.docx
    .venv/bin/python corpus/results/make_docx.py --check    # exit 1 when a committed DOCX is stale
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
MARKER_RE = re.compile(r"^<!--\s*(?P<text>.*?)\s*-->$")
FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FONT = "Times New Roman"
BODY_PT, HEADER_PT, TABLE_PT, RECIPIENT_PT = 14, 12, 10, 11
PORTRAIT_USABLE_CM = 21.0 - 3.0 - 2.0
LANDSCAPE_USABLE_CM = 29.7 - 1.5 - 1.5
DATA_ROW_RE = re.compile(r"^(?:\d+|[IVXL]+|A)$")
ROMAN_HEADING_RE = re.compile(r"^[IVXL]+\.\s")
DOC_TYPES = ("BÁO CÁO", "KẾ HOẠCH")


# ------------------------------------------------------------------------------------------------------
# Reading the TXT
# ------------------------------------------------------------------------------------------------------
def split_document(text: str) -> dict:
    """The marker sentence, header lines, title lines, body lines, signature lines and appendix lines."""
    lines = text.split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    marker = MARKER_RE.match(lines[0])
    if not marker:
        raise ValueError("the first line must be the constructed-example marker")
    i = 1

    def block(start: int) -> tuple[list[str], int]:
        end = start
        while end < len(lines) and lines[end] != "":
            end += 1
        return lines[start:end], end + 1

    header, i = block(i)
    title, i = block(i)
    body_end = next(k for k in range(i, len(lines)) if lines[k] == "Nơi nhận:")
    body = [line for line in lines[i:body_end] if line != ""]
    signature, after = block(body_end)
    appendix = [line for line in lines[after:] if line != ""]
    return {"marker": marker.group("text"), "header": header, "title": title, "body": body,
            "signature": signature, "appendix": appendix}


def group_body(lines: list[str]) -> list[tuple[str, object]]:
    """Paragraph lines as ("p", text) and runs of tab-separated lines as ("table", rows)."""
    items: list[tuple[str, object]] = []
    for line in lines:
        if "\t" in line:
            if items and items[-1][0] == "table":
                items[-1][1].append(line.split("\t"))
            else:
                items.append(("table", [line.split("\t")]))
        else:
            items.append(("p", line))
    return items


# ------------------------------------------------------------------------------------------------------
# Word helpers
# ------------------------------------------------------------------------------------------------------
def setup_document() -> Document:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = section.right_margin = Cm(2.0)
    section.left_margin = Cm(3.0)
    return document


def add_run_paragraph(container, text: str, *, bold=False, italic=False, size=None,
                      align=None, indent=False, space_before=None):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.0)
    if space_before is not None:
        paragraph.paragraph_format.space_before = Pt(space_before)
    return paragraph


def set_cell_text(cell, lines: list[str], **style) -> None:
    """Replace a cell's content with one paragraph per line."""
    cell.text = ""
    first = cell.paragraphs[0]
    for k, line in enumerate(lines):
        paragraph = first if k == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.font.size = Pt(style.get("size", TABLE_PT))
        paragraph.alignment = style.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_after = Pt(style.get("space_after", 0))


def remove_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def mark_header_row(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


# ------------------------------------------------------------------------------------------------------
# Parts of the document
# ------------------------------------------------------------------------------------------------------
def add_header(document, lines: list[str]) -> None:
    motto = next(k for k, line in enumerate(lines) if line.startswith("CỘNG HÒA"))
    number = next(k for k, line in enumerate(lines) if line.startswith("Số:"))
    body, national, symbol, place = lines[:motto], lines[motto:number], [lines[number]], lines[number + 1:]
    table = document.add_table(rows=2, cols=2)
    remove_borders(table)
    set_cell_text(table.cell(0, 0), body, bold=True, size=HEADER_PT)
    set_cell_text(table.cell(0, 1), national, bold=True, size=HEADER_PT)
    set_cell_text(table.cell(1, 0), symbol, size=HEADER_PT)
    set_cell_text(table.cell(1, 1), place, italic=True, size=HEADER_PT)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(6.0), Cm(10.0)


def add_title(document, lines: list[str]) -> None:
    for k, line in enumerate(lines):
        size = 15 if k == 0 and line in DOC_TYPES else BODY_PT
        add_run_paragraph(document, line, bold=True, size=size, align=WD_ALIGN_PARAGRAPH.CENTER,
                          space_before=12 if k == 0 else None)


def header_row_count(rows: list[list[str]]) -> int:
    for k, row in enumerate(rows):
        if DATA_ROW_RE.match(row[0].strip()):
            return k
    return 1


def column_widths(rows: list[list[str]], n_head: int, usable_cm: float) -> list[float]:
    """Widths in cm proportional to each column's longest data cell and longest header word (plus padding,
    capped so that a long name column does not starve the number columns)."""
    weights = []
    for c in range(len(rows[0])):
        data = max((len(r[c]) for r in rows[n_head:]), default=1)
        words = max((len(w) for r in rows[:n_head] for w in r[c].split()), default=1)
        weights.append(min(max(data, words, 3) + 2, 18))
    total = sum(weights)
    return [usable_cm * w / total for w in weights]


def add_grid(document, rows: list[list[str]], usable_cm: float) -> None:
    n_cols = max(len(r) for r in rows)
    rows = [r + [""] * (n_cols - len(r)) for r in rows]
    n_head = header_row_count(rows)
    table = document.add_table(rows=len(rows), cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    size = TABLE_PT if n_cols <= 10 else TABLE_PT - 1
    for c, width in enumerate(column_widths(rows, n_head, usable_cm)):
        table.columns[c].width = Cm(width)
        for row in table.rows:
            row.cells[c].width = Cm(width)
    covered: set[tuple[int, int]] = set()
    for r in range(n_head):
        mark_header_row(table.rows[r])
        for c in range(n_cols):
            if (r, c) in covered or rows[r][c] == "":
                continue
            right = c
            if r < n_head - 1:
                while right + 1 < n_cols and rows[r][right + 1] == "" and (r, right + 1) not in covered:
                    right += 1
            bottom = r
            while bottom + 1 < n_head and all(
                rows[bottom + 1][k] == "" and (bottom + 1, k) not in covered for k in range(c, right + 1)
            ):
                bottom += 1
            cell = table.cell(r, c)
            if (right, bottom) != (c, r):
                cell = cell.merge(table.cell(bottom, right))
            for rr in range(r, bottom + 1):
                for cc in range(c, right + 1):
                    covered.add((rr, cc))
            set_cell_text(cell, [rows[r][c]], bold=True, size=size)
    for r in range(n_head, len(rows)):
        is_total = any(cell.strip() in ("Tổng cộng", "Cộng", "Toàn huyện") for cell in rows[r][:2])
        is_group = bool(re.match(r"^[IVXL]+$", rows[r][0].strip()))
        is_index = rows[r][0].strip() == "A"
        for c in range(n_cols):
            align = WD_ALIGN_PARAGRAPH.LEFT if c == 1 and not is_index else WD_ALIGN_PARAGRAPH.CENTER
            set_cell_text(table.cell(r, c), [rows[r][c]], bold=is_total or is_group, italic=is_index,
                          align=align, size=size)


def add_body(document, lines: list[str], usable_cm: float) -> None:
    for kind, value in group_body(lines):
        if kind == "table":
            add_grid(document, value, usable_cm)
            document.add_paragraph().paragraph_format.space_after = Pt(0)
        elif ROMAN_HEADING_RE.match(value):
            add_run_paragraph(document, value, bold=True, indent=True)
        elif value.startswith("Biểu ") or value.startswith("PHỤ LỤC"):
            add_run_paragraph(document, value, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            paragraph = add_run_paragraph(document, value, indent=True)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def add_signature(document, lines: list[str]) -> None:
    recipients = [lines[0]]
    k = 1
    while k < len(lines) and lines[k].startswith("- "):
        recipients.append(lines[k])
        k += 1
    authority, signer = lines[k:-1], lines[-1]
    table = document.add_table(rows=1, cols=2)
    remove_borders(table)
    cant_split = OxmlElement("w:cantSplit")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    for cell, width in zip(table.rows[0].cells, (8.0, 8.0)):
        cell.width = Cm(width)
    left, right = table.cell(0, 0), table.cell(0, 1)
    set_cell_text(left, recipients, size=RECIPIENT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    left.paragraphs[0].runs[0].bold = left.paragraphs[0].runs[0].italic = True
    left.paragraphs[0].runs[0].font.size = Pt(12)
    set_cell_text(right, authority, bold=True, size=BODY_PT)
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_before = Pt(60)
    run = name.add_run(signer)
    run.bold = True
    run.font.size = Pt(BODY_PT)


def add_landscape_section(document):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(1.5)
    return section


def build_docx(text: str) -> bytes:
    parts = split_document(text)
    document = setup_document()
    add_run_paragraph(document, parts["marker"], italic=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_header(document, parts["header"])
    add_title(document, parts["title"])
    add_body(document, parts["body"], PORTRAIT_USABLE_CM)
    add_signature(document, parts["signature"])
    if parts["appendix"]:
        add_landscape_section(document)
        add_body(document, parts["appendix"], LANDSCAPE_USABLE_CM)
    properties = document.core_properties
    properties.title = " ".join(parts["title"])
    properties.subject = parts["marker"]
    properties.author = properties.last_modified_by = "khplan corpus/results/make_docx.py"
    properties.comments = parts["marker"]
    properties.created = properties.modified = FIXED_TIMESTAMP
    properties.last_printed = FIXED_TIMESTAMP
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01, in a fixed order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIMESTAMP)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a DOCX differs from a fresh build")
    args = parser.parse_args(argv)
    stale = []
    for txt in sorted(HERE.glob("*.txt")):
        data = build_docx(txt.read_text(encoding="utf-8"))
        target = txt.with_suffix(".docx")
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target.name)
        else:
            target.write_bytes(data)
            print(f"wrote {target.relative_to(HERE.parent.parent)}", file=sys.stderr)
    if stale:
        print("stale: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
