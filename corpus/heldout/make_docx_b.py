"""Word renderings of the batch-B held-out plans (see NOTES-B.md).

Reads corpus/heldout/cases/<stem>.txt and writes corpus/heldout/cases/<stem>.docx with the same words:
one paragraph per non-empty line, and each TAB-separated table of the text as a bordered Word table
whose merged cells are listed below (group headers merged across, single headers and group labels merged
down). In the text a merged cell is written once, in its first row and column, the cells it covers left
empty; here those cells are merged, so the words stay the same. Dates and zip timestamps are fixed, so a
rerun gives the same bytes.

    .venv/bin/python corpus/heldout/make_docx_b.py            # all documents below
    .venv/bin/python corpus/heldout/make_docx_b.py <stem> ...  # some of them
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

CASES = Path(__file__).resolve().parent / "cases"
FIXED = dt.datetime(2025, 1, 1, 8, 0, 0)
ZIP_TIME = (2025, 1, 1, 8, 0, 0)

# Per document: its tables, in order. "start" is how the table's first line begins in the TXT; the table runs
# to the next empty line. "header_rows" counts the header rows (an index row under them is a plain row).
# "merges" are (first row, first column, last row, last column), 0-based, rows counted from the first header
# row, the index row and the data rows included. "widths" are the column widths in cm; "landscape" puts the table
# on landscape pages of its own (a section before and after it).
DOCS: dict[str, list[dict]] = {
    "cum-cong-nghiep-huyen-lang-giang-2024": [
        {"start": "TT\tTên cụm công nghiệp", "header_rows": 1, "merges": [],
         "widths": [1.0, 5.5, 2.5, 2.5, 2.3, 2.2]},
        {"start": "TT\tXã, thị trấn", "header_rows": 2,
         "merges": [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4), (0, 5, 1, 5), (0, 6, 0, 7)],
         "widths": [1.0, 3.4, 2.0, 1.6, 1.6, 2.0, 2.2, 2.2]},
    ],
    "ke-hoach-von-dtts-huyen-quy-chau-2024": [
        {"start": "TT\tNội dung", "header_rows": 2,
         "merges": [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 6), (0, 7, 1, 7)],
         "widths": [1.0, 5.0, 1.9, 1.6, 1.5, 1.3, 1.6, 2.1]},
        {"start": "TT\tXã, thị trấn", "header_rows": 2,
         "merges": [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)],
         "widths": [1.0, 4.6, 3.6, 3.4, 3.4]},
    ],
    "dao-tao-nghe-viec-lam-xa-trung-mon-2025": [
        {"start": "Khu vực\tTT\tThôn", "header_rows": 2, "landscape": True,
         "merges": [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 1, 4), (0, 5, 0, 6),
                    (0, 7, 1, 7), (0, 8, 1, 8), (0, 9, 0, 10), (0, 11, 0, 12),
                    (3, 0, 5, 0), (6, 0, 8, 0), (9, 0, 11, 0), (12, 0, 12, 2)],
         "widths": [2.2, 1.0, 2.8, 1.8, 1.8, 1.7, 1.7, 1.7, 1.6, 1.7, 1.8, 1.6, 1.9]},
        {"start": "TT\tKhu vực", "header_rows": 1, "merges": [],
         "widths": [1.0, 3.4, 3.4, 2.8, 2.6, 2.8]},
    ],
}

def blocks(text: str, tables: list[dict]):
    """Yield ("p", line) for paragraphs and ("t", rows, spec) for tables, in document order."""
    lines = text.split("\n")
    pending = list(tables)
    i = 0
    while i < len(lines):
        line = lines[i]
        if pending and line.startswith(pending[0]["start"]):
            spec = pending.pop(0)
            rows = []
            while i < len(lines) and lines[i].strip():
                rows.append(lines[i].split("\t"))
                i += 1
            yield ("t", rows, spec)
            continue
        if line.strip():
            yield ("p", line)
        i += 1
    if pending:
        raise ValueError(f"table not found: {pending[0]['start']!r}")


def set_cell(cell, text: str, bold: bool, size: float) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)


def add_table(document, rows: list[list[str]], spec: dict) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    size = 9 if ncols > 8 else 11
    table = document.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in spec["widths"]]
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    covered = set()
    for r0, c0, r1, c1 in spec["merges"]:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    if rows[r][c]:
                        raise ValueError(f"merged-over cell not empty: {rows[r][c]!r}")
                    covered.add((r, c))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) not in covered:
                set_cell(table.cell(r, c), text, r < spec["header_rows"], size)
    for r0, c0, r1, c1 in spec["merges"]:
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        set_cell(merged, rows[r0][c0], r0 < spec["header_rows"], size)


def new_section(document, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.left_margin, section.right_margin = (Cm(2), Cm(2)) if landscape else (Cm(3), Cm(2))


def build(stem: str) -> bytes:
    text = (CASES / f"{stem}.txt").read_text(encoding="utf-8")
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.paragraph_format.space_after = Pt(6)
    in_header = True
    for block in blocks(text, DOCS[stem]):
        if block[0] == "t":
            if block[2].get("landscape"):
                new_section(document, landscape=True)
            add_table(document, block[1], block[2])
            if block[2].get("landscape"):
                new_section(document, landscape=False)
            continue
        line = block[1]
        if line.startswith(("Căn cứ", "Thực hiện", "Xét đề nghị")):
            in_header = False
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if in_header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run.bold = line.isupper()  # issuing body, motto, KẾ HOẠCH, part headings, authority lines
    properties = document.core_properties
    properties.author = "khplan corpus/heldout"
    properties.last_modified_by = "khplan corpus/heldout/make_docx_b.py"
    properties.title = stem
    properties.created = properties.modified = FIXED
    properties.last_printed = FIXED
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps and attributes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str]) -> int:
    stems = argv or list(DOCS)
    for stem in stems:
        if stem not in DOCS:
            print(f"unknown document: {stem}", file=sys.stderr)
            return 2
        path = CASES / f"{stem}.docx"
        path.write_bytes(build(stem))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
