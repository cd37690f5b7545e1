"""Make the PDF table fixtures: per-village tables that run over a page break (run once; PDFs are committed).

    .venv/bin/python corpus/cases/pdf-tables/make_fixtures.py

Each fixture is a DOCX built with python-docx and printed to PDF by LibreOffice (``soffice --headless``), the
way a commune clerk's Word file becomes the PDF sent to the district. Both are kept: the DOCX is the truth
``bench/pdf_tables.py`` scores the PDF table finders against.

- ``continued-repeated-header.pdf``: two paragraphs, then a ruled table of 28 villages and a "Tổng cộng" row
  that starts on page 1 and ends on page 2. Its two header rows ("TT" and "Thôn, bản" merged down, "Hộ
  nghèo cuối năm 2024" over "Số hộ" and "Tỷ lệ %") are marked "repeat as header row", so page 2 starts
  with them again. A page number sits in each page's footer.
- ``continued-no-header.pdf``: the same table without the repeat mark: page 2 starts straight with a village
  row.
- ``unruled-table.pdf``: a short per-village table without borders (columns placed by the grid only), the
  kind camelot's stream mode is for and a ruling-line finder cannot see.

The villages' numbers are made up but add up: the total row is the sum of the village rows, and each percent
is the poor households over the total households, written with a decimal comma and two decimals.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).parent

VILLAGE_NAMES = (
    "Nà Sang", "Huổi Lóng", "Pá Khoang", "Co Mỵ", "Bản Phủ", "Noong Bua", "Tà Lèng", "Nà Nhạn",
    "Huổi Phạ", "Pá Tong", "Nậm Khẩu Hu", "Bản Giáng", "Kéo Hỏm", "Phiêng Ban", "Nà Lơi", "Bản Mển",
    "Púng Bửa", "Hồng Lếch", "Co Thón", "Bản Ten", "Nà Ngam", "Đồi Cao", "Tân Lập", "Hua Ca",
    "Phiêng Ngúa", "Nà Ten", "Bản Kéo", "Tâu Pung",
)  # fmt: skip
CAPTION = "Biểu 01: Kết quả rà soát hộ nghèo cuối năm 2024 theo thôn, bản"
BACKGROUND = (
    "Căn cứ Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều giai "
    "đoạn 2022 - 2025; căn cứ Quyết định số 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ quy "
    "định quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm.",
    "Năm 2024, được sự quan tâm của cấp ủy, chính quyền các cấp, công tác giảm nghèo trên địa bàn xã đạt "
    "được nhiều kết quả tích cực; đời sống vật chất và tinh thần của nhân dân từng bước được cải thiện, "
    "cơ sở hạ tầng thiết yếu ở các thôn, bản được đầu tư xây dựng.",
    "Tuy nhiên, tỷ lệ hộ nghèo ở một số thôn, bản vùng cao còn cao so với bình quân chung của xã; một "
    "bộ phận người dân còn tư tưởng trông chờ, ỷ lại vào sự hỗ trợ của Nhà nước.",
)
HEADER_TOP = ("TT", "Thôn, bản", "Tổng số hộ", "Hộ nghèo cuối năm 2024", "")
HEADER_SECOND = ("", "", "", "Số hộ", "Tỷ lệ %")
TOTAL_LABEL = "Tổng cộng"


@dataclass(frozen=True)
class Village:
    """One village row: name, households, poor households; the percent is computed, not typed."""

    name: str
    households: int
    poor: int

    @property
    def percent(self) -> str:
        return format_percent(self.poor, self.households)


def format_percent(part: int, whole: int) -> str:
    """A percent the way the plans write it: two decimals and a decimal comma (12 of 418 -> "2,87")."""
    return f"{100 * part / whole:.2f}".replace(".", ",")


def villages(count: int) -> list[Village]:
    """Deterministic made-up villages: 150 to 620 households, 3 to 40 poor."""
    rows = []
    for index in range(count):
        households = 150 + (index * 137) % 471
        poor = 3 + (index * 29) % 38
        rows.append(Village(VILLAGE_NAMES[index % len(VILLAGE_NAMES)], households, poor))
    return rows


def table_rows(count: int) -> list[tuple[str, ...]]:
    """The data rows as written: "1", "Nà Sang", "150", "3", "2,00" … then the total row."""
    data = villages(count)
    rows = [
        (str(number), v.name, str(v.households), str(v.poor), v.percent)
        for number, v in enumerate(data, start=1)
    ]
    households = sum(v.households for v in data)
    poor = sum(v.poor for v in data)
    rows.append(("", TOTAL_LABEL, str(households), str(poor), format_percent(poor, households)))
    return rows


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


def _paragraph(document: Document, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    if not center:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.add_run(text).bold = bold


def _page_number_footer(document: Document) -> None:
    """A centred PAGE field in the footer: page 2 of the PDF shows a lone "2" under the table's end."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field = OxmlElement("w:fldSimple")
    page_field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    shown = OxmlElement("w:t")
    shown.text = "1"
    run.append(shown)
    page_field.append(run)
    paragraph._p.append(page_field)


def _intro(document: Document) -> None:
    _paragraph(document, "KẾ HOẠCH", bold=True, center=True)
    _paragraph(document, "Giảm nghèo bền vững trên địa bàn xã năm 2025", bold=True, center=True)
    for text in BACKGROUND:
        _paragraph(document, text)
    _paragraph(document, "I. KẾT QUẢ RÀ SOÁT", bold=True)
    _paragraph(
        document,
        "Thực hiện Kế hoạch của Ủy ban nhân dân huyện về rà soát hộ nghèo, hộ cận nghèo năm 2024, Ủy ban "
        "nhân dân xã đã chỉ đạo các thôn, bản tổ chức rà soát đúng quy trình, công khai, dân chủ. Kết quả "
        "rà soát cuối năm 2024 của từng thôn, bản như sau:",
    )
    _paragraph(document, CAPTION, bold=True, center=True)


def _mark_repeated_header(row) -> None:
    """Word's "Repeat as header row at the top of each page" (w:tblHeader on the row)."""
    properties = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    properties.append(mark)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _fill_table(document: Document, count: int, *, repeat_header: bool, ruled: bool) -> None:
    rows = table_rows(count)
    table = document.add_table(rows=2 + len(rows), cols=5)
    if ruled:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    top, second = table.rows[0].cells, table.rows[1].cells
    for col in range(3):
        top[col].merge(second[col]).text = HEADER_TOP[col]
    top[3].merge(top[4]).text = HEADER_TOP[3]
    second[3].text, second[4].text = HEADER_SECOND[3], HEADER_SECOND[4]
    for values, row in zip(rows, table.rows[2:], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for row in table.rows[:2]:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        if repeat_header:
            _mark_repeated_header(row)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            if cell.text[:1].isdigit() or row is table.rows[0] or row is table.rows[1]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in table.rows[-1].cells[1].paragraphs[0].runs:
        run.bold = True


def _closing(document: Document) -> None:
    _paragraph(document, "II. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    _paragraph(
        document,
        "Các thôn, bản có tỷ lệ hộ nghèo cao xây dựng kế hoạch hỗ trợ cụ thể, báo cáo kết quả về Ủy ban "
        "nhân dân xã trước ngày 15 tháng 12 năm 2025.",
    )


def make_continued(docx_path: Path, *, repeat_header: bool) -> None:
    document = _base_document()
    _page_number_footer(document)
    _intro(document)
    _fill_table(document, len(VILLAGE_NAMES), repeat_header=repeat_header, ruled=True)
    _closing(document)
    document.save(docx_path)


def make_unruled(docx_path: Path) -> None:
    document = _base_document()
    _intro(document)
    _fill_table(document, 6, repeat_header=False, ruled=False)
    _closing(document)
    document.save(docx_path)


def _to_pdf(docx_path: Path, out_dir: Path, profile: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("make_fixtures.py: soffice (LibreOffice) is needed")
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=120
    )
    return out_dir / (docx_path.stem + ".pdf")


def main() -> int:
    makers = {
        "continued-repeated-header": lambda path: make_continued(path, repeat_header=True),
        "continued-no-header": lambda path: make_continued(path, repeat_header=False),
        "unruled-table": make_unruled,
    }
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        for name, make in makers.items():
            docx_path = HERE / f"{name}.docx"
            make(docx_path)
            shutil.copyfile(_to_pdf(docx_path, work_dir, work_dir / "profile"), HERE / f"{name}.pdf")
            print(HERE / f"{name}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
