"""Build the DOCX copies of batch A's held-out plans from their TXT text.

Each TXT file is the plain-text export of its plan: one paragraph a line, tables as TAB-separated rows, a merged
cell written once in its first row/column with the cells it covered left empty. This script writes the same words
into a Word file, paragraphs as paragraphs and each TAB-row block as a real table, then merges the cells listed
below for that document (group labels merged down, group headers merged across), as the issuing office's Word
file would have them.

Deterministic: fixed core-properties dates and fixed ZIP entry times, so a rerun gives the same bytes.

    /work/main/.venv/bin/python corpus/heldout/make_docx_a.py
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Pt

CASES = Path(__file__).resolve().parent / "cases"

# Per document: the issue date (core properties) and, per table in document order, the merged ranges as
# (first_row, first_col, last_row, last_col), 0-based over the table's TXT rows (header rows included).
DOCS: dict[str, dict] = {
    "bhyt-tiem-chung-tinh-quang-ngai-2024": {
        "date": dt.datetime(2024, 3, 12, 8, 0, 0),
        "tables": [
            [  # Biểu 01: two header rows, the group headers "Người tham gia BHYT" and "Trẻ em dưới 1 tuổi"
                (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3),
                (0, 4, 0, 5), (0, 6, 0, 8),
            ],
        ],
    },
    "truong-chuan-quoc-gia-huyen-lap-thach-2024": {
        "date": dt.datetime(2024, 4, 5, 8, 0, 0),
        "tables": [
            [  # Biểu 01: header, the "Cụm" label merged down over its communes, "Cộng cụm"/"Tổng cộng" across A-C
                (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 1, 4),
                (0, 5, 0, 8), (0, 9, 1, 9),
                (3, 0, 9, 0), (10, 0, 10, 2),
                (11, 0, 17, 0), (18, 0, 18, 2),
                (19, 0, 24, 0), (25, 0, 25, 2),
                (26, 0, 26, 2),
            ],
            [  # Biểu 02: "Nguồn vốn" over the four sources
                (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 5), (0, 6, 1, 6),
            ],
        ],
    },
    "nong-thon-moi-nang-cao-nuoc-sach-xa-thanh-phu-2023": {
        "date": dt.datetime(2023, 2, 20, 8, 0, 0),
        "tables": [
            [],  # Biểu 01: no merged cells
            [  # Biểu 02: "Hiện trạng …" and "Kế hoạch năm 2023" over their columns
                (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 4), (0, 5, 0, 7),
            ],
        ],
    },
}

ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def blocks(text: str):
    """Yield ("p", line) for text lines and ("t", rows) for runs of TAB-separated lines; blank lines dropped."""
    rows: list[list[str]] = []
    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            yield "t", rows
            rows = []
        if line.strip():
            yield "p", line
    if rows:
        yield "t", rows


def check_merges(rows: list[list[str]], merges) -> None:
    """A merged range must hold text only in its first cell, as the TXT convention writes it."""
    for r0, c0, r1, c1 in merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and c < len(rows[r]) and rows[r][c].strip():
                    raise ValueError(f"merge {(r0, c0, r1, c1)} covers non-empty cell {(r, c)}: {rows[r][c]!r}")


def build(stem: str, spec: dict) -> bytes:
    text = (CASES / f"{stem}.txt").read_text(encoding="utf-8")
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    tables = iter(spec["tables"])
    for kind, item in blocks(text):
        if kind == "p":
            par = doc.add_paragraph()
            run = par.add_run(item)
            letters = [ch for ch in item if ch.isalpha()]
            run.bold = bool(letters) and item.upper() == item
            continue
        merges = next(tables)
        width = max(len(r) for r in item)
        rows = [r + [""] * (width - len(r)) for r in item]
        check_merges(rows, merges)
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
        for r0, c0, r1, c1 in merges:
            cell = table.cell(r0, c0).merge(table.cell(r1, c1))
            cell.text = rows[r0][c0]
    if next(tables, None) is not None:
        raise ValueError(f"{stem}: more merge descriptions than tables")

    props = doc.core_properties
    props.author = "UBND"
    props.last_modified_by = "UBND"
    props.title = ""
    props.revision = 1
    props.created = spec["date"]
    props.modified = spec["date"]
    props.last_printed = spec["date"]

    raw = io.BytesIO()
    doc.save(raw)
    # python-docx stamps ZIP entries with the current time; rewrite them with a fixed one.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    for stem, spec in DOCS.items():
        data = build(stem, spec)
        (CASES / f"{stem}.docx").write_bytes(data)
        print(f"{stem}.docx  {len(data)} bytes")


if __name__ == "__main__":
    main()
