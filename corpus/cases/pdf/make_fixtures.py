"""Make the small PDF fixtures of the PDF reader's tests (run once; the PDFs are committed).

    .venv/bin/python corpus/cases/pdf/make_fixtures.py

Each fixture is a DOCX built with python-docx and printed to PDF by LibreOffice (``soffice``), the way a
clerk's Word file becomes a PDF:

- ``header-wrap-headings-footer.pdf``: a header in a borderless two-column table (issuing body beside the
  national motto), a paragraph wrapping over three lines, numbered headings ("I.", "1.", "2.1.", "a)")
  and dash items, two pages with a centred page number in the footer.
- ``symbol-number-wrap.pdf``: justified paragraphs whose lines end inside a document symbol
  ("… số 07/2021/NĐ-" / "CP ngày …", "… 12/NQ-" / "HU …") and inside a grouped number ("2.405.000." / "000
  đồng"), as Word leaves them when it wraps at a hyphen or a dot; the line ends are set by hand (a line
  break in the run) because LibreOffice itself does not wrap there.
- ``table-merged-header.pdf``: a ruled table whose header merges "Hộ nghèo" over "TS" and "%", and
  "TT" and "Thôn" down over two rows, between two paragraphs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).parent

WRAPPING_PARAGRAPH = (
    "Thực hiện các biện pháp hỗ trợ nâng cao mức sống của người dân, giúp các hộ nghèo cải thiện điều "
    "kiện sống, sinh hoạt vươn lên thoát nghèo nhằm đẩy nhanh tốc độ giảm nghèo bền vững, không còn hộ "
    "tái nghèo và hộ nghèo mới phát sinh trên địa bàn xã."
)


def _base_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    return document


def _paragraph(
    document_or_cell,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
):
    paragraph = document_or_cell.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def _page_number_footer(document: Document) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)


def _borderless_header(document: Document) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Cm(6), Cm(10.5)), strict=True):
        column.width = cell.width = width
    left.paragraphs[0].text = ""
    for cell, lines in (
        (left, ("ỦY BAN NHÂN DÂN", "XÃ CAO NHÂN")),
        (right, ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc")),
    ):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = True
            run.font.size = Pt(12)
            if index < len(lines) - 1:
                run.add_break()


def make_header_wrap_headings_footer(docx_path: Path) -> None:
    document = _base_document()
    _page_number_footer(document)
    _borderless_header(document)
    _paragraph(document, "KẾ HOẠCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    _paragraph(document, "1. Mục đích", bold=True)
    _paragraph(document, WRAPPING_PARAGRAPH, indent=True)
    _paragraph(document, "2. Yêu cầu", bold=True)
    _paragraph(document, "2.1. Đối với các thôn", bold=True)
    _paragraph(document, "a) Rà soát hộ nghèo đúng quy trình.")
    _paragraph(document, "b) Báo cáo kết quả trước ngày 15 hằng tháng.")
    _paragraph(document, "- Lưu: VT, LĐXH.")
    document.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE)
    _paragraph(document, "II. TỔ CHỨC THỰC HIỆN", bold=True)
    _paragraph(
        document, "Các ban, ngành, đoàn thể căn cứ chức năng, nhiệm vụ triển khai thực hiện.", indent=True
    )
    document.save(docx_path)


WRAPPED_LINES = (
    (
        "Căn cứ Nghị định số 07/2021/NĐ-",
        "CP ngày 31/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều giai đoạn 2021 - 2025; Nghị quyết số 12/NQ-",
        "HU ngày 15/3/2022 của Ban Thường vụ Huyện ủy về giảm nghèo bền vững;",
    ),
    (
        "Tổng kinh phí thực hiện kế hoạch là 2.405.000.",
        "000 đồng, từ ngân sách xã và nguồn vận động.",
    ),
)


def make_symbol_number_wrap(docx_path: Path) -> None:
    document = _base_document()
    _paragraph(document, "KẾ HOẠCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for lines in WRAPPED_LINES:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.first_line_indent = Cm(1)
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index < len(lines) - 1:
                run.add_break()
    document.save(docx_path)


def make_table_merged_header(docx_path: Path) -> None:
    document = _base_document()
    _paragraph(document, "Chỉ tiêu cụ thể cho các thôn như sau:", indent=True)
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    top = table.rows[0].cells
    second = table.rows[1].cells
    top[0].merge(second[0]).text = "TT"
    top[1].merge(second[1]).text = "Thôn"
    top[2].merge(top[3]).text = "Hộ nghèo"
    second[2].text, second[3].text = "TS", "%"
    for row, values in zip(
        table.rows[2:], (("1", "Cây Tắt", "4", "2,19"), ("2", "Tân Thủy", "5", "3,88")), strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    _paragraph(document, "Các thôn báo cáo kết quả về Ủy ban nhân dân xã.", indent=True)
    document.save(docx_path)


def _to_pdf(docx_path: Path, out_dir: Path, profile: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("make_fixtures.py: soffice (LibreOffice) is needed")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out_dir / (docx_path.stem + ".pdf")


def main() -> int:
    makers = {
        "header-wrap-headings-footer": make_header_wrap_headings_footer,
        "table-merged-header": make_table_merged_header,
        "symbol-number-wrap": make_symbol_number_wrap,
    }
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        for name, make in makers.items():
            docx_path = work_dir / f"{name}.docx"
            make(docx_path)
            pdf = _to_pdf(docx_path, work_dir, work_dir / "profile")
            shutil.copyfile(pdf, HERE / f"{name}.pdf")
            print(HERE / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
