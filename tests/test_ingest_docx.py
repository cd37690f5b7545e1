"""Word reader: body order, automatic numbering labels, styles, merged cells, layout tables, headers."""

import io
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from extractor.errors import InputError
from extractor.ingest import read_document
from extractor.ingest.docx import format_list_number, read_docx
from models.document import BlockKind

W = nsdecls("w")


# --- builders -------------------------------------------------------------------------------------


def add_list_definition(document, abstract_id: int, levels: list[tuple[str, str]]) -> None:
    """Add an abstractNum whose level i has (numFmt, lvlText), e.g. ("upperRoman", "%1.")."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)


def add_list_instance(document, num_id: int, abstract_id: int, start_overrides: dict[int, int] | None = None):
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (start_overrides or {}).items()
    )
    num = parse_xml(
        f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
    )
    document.part.numbering_part.element.append(num)


def numbered(document, text: str, num_id: int, ilvl: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def set_table_borders(table, value: str) -> None:
    borders = "".join(
        f'<w:{side} w:val="{value}" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {W}>{borders}</w:tblBorders>"))


def save(document, tmp_path: Path, name: str = "plan.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def read(document, tmp_path: Path):
    return read_document(save(document, tmp_path))


# --- numbering ------------------------------------------------------------------------------------

ABSTRACT_PLAN = 90
NUM_PLAN = 90


def plan_outline_document():
    document = docx.Document()
    add_list_definition(
        document, ABSTRACT_PLAN, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")]
    )
    add_list_instance(document, NUM_PLAN, ABSTRACT_PLAN)
    for text, level in [
        ("MỤC ĐÍCH, YÊU CẦU", 0),
        ("Mục đích", 1),
        ("Yêu cầu", 1),
        ("NHIỆM VỤ VÀ GIẢI PHÁP", 0),
        ("Nhiệm vụ", 1),
        ("Giảm nghèo bền vững", 2),
        ("Hỗ trợ sinh kế", 2),
        ("Giải pháp", 1),
        ("Tuyên truyền", 2),
    ]:
        numbered(document, text, NUM_PLAN, level)
    return document


def test_numbering_labels_restart_under_each_part(tmp_path: Path) -> None:
    document = read(plan_outline_document(), tmp_path)
    labels = [(b.list_label, b.list_level, b.text) for b in document.blocks]
    assert labels == [
        ("I.", 0, "MỤC ĐÍCH, YÊU CẦU"),
        ("1.", 1, "Mục đích"),
        ("2.", 1, "Yêu cầu"),
        ("II.", 0, "NHIỆM VỤ VÀ GIẢI PHÁP"),
        ("1.", 1, "Nhiệm vụ"),
        ("a)", 2, "Giảm nghèo bền vững"),
        ("b)", 2, "Hỗ trợ sinh kế"),
        ("2.", 1, "Giải pháp"),
        ("a)", 2, "Tuyên truyền"),
    ]
    assert all(b.kind is BlockKind.LIST_ITEM for b in document.blocks)
    assert not any(b.text.startswith(("I.", "1.")) for b in document.blocks)


def test_multilevel_label_and_start_override(tmp_path: Path) -> None:
    document = docx.Document()
    add_list_definition(document, 91, [("decimal", "%1."), ("decimal", "%1.%2.")])
    add_list_instance(document, 91, 91)
    add_list_instance(document, 92, 91, start_overrides={0: 5})
    numbered(document, "Chỉ tiêu", 91, 0)
    numbered(document, "Chỉ tiêu chung", 91, 1)
    numbered(document, "Chỉ tiêu cụ thể", 91, 1)
    numbered(document, "Kinh phí", 92, 0)
    labels = [b.list_label for b in read(document, tmp_path).blocks]
    assert labels == ["1.", "1.1.", "1.2.", "5."]


def test_two_instances_of_one_list_continue_each_other(tmp_path: Path) -> None:
    document = docx.Document()
    add_list_definition(document, 93, [("upperRoman", "%1.")])
    add_list_instance(document, 93, 93)
    add_list_instance(document, 94, 93)
    numbered(document, "MỤC TIÊU", 93, 0)
    document.add_paragraph("Đoạn văn giữa hai phần.")
    numbered(document, "TỔ CHỨC THỰC HIỆN", 94, 0)
    labels = [b.list_label for b in read(document, tmp_path).blocks]
    assert labels == ["I.", None, "II."]


def test_bullets_are_list_items_without_label(tmp_path: Path) -> None:
    document = docx.Document()
    add_list_definition(document, 95, [("bullet", "-")])
    add_list_instance(document, 95, 95)
    numbered(document, "UBND huyện;", 95, 0)
    numbered(document, "Lưu: VT.", 95, 0)
    blocks = read(document, tmp_path).blocks
    assert [(b.kind, b.list_label, b.text) for b in blocks] == [
        (BlockKind.LIST_ITEM, None, "UBND huyện;"),
        (BlockKind.LIST_ITEM, None, "Lưu: VT."),
    ]


@pytest.mark.parametrize(
    ("value", "number_format", "written"),
    [
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (2, "lowerLetter", "b"),
        (27, "upperLetter", "AA"),
        (3, "decimalZero", "03"),
        (12, "decimal", "12"),
    ],
)
def test_format_list_number(value: int, number_format: str, written: str) -> None:
    assert format_list_number(value, number_format) == written


# --- paragraphs and styles ------------------------------------------------------------------------


def test_headings_styles_and_soft_breaks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("KẾ HOẠCH", level=0)
    document.add_heading("I. MỤC TIÊU", level=1)
    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("ỦY BAN NHÂN DÂN")
    run.bold = True
    run.font.size = Pt(13)
    run.add_break()
    header.add_run("XÃ CAO NHÂN").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Đối với hộ nghèo: ").bold = True
    mixed.add_run("tập trung hỗ trợ sinh kế.")
    caps = document.add_paragraph()
    caps.add_run("tổ chức thực hiện").font.all_caps = True
    blocks = read(document, tmp_path).blocks
    assert [b.kind for b in blocks[:2]] == [BlockKind.HEADING, BlockKind.HEADING]
    assert blocks[2].text == "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN"
    assert blocks[2].style.bold and blocks[2].style.upper and blocks[2].style.centered
    assert blocks[2].style.font_size == 13.0
    assert blocks[2].kind is BlockKind.PARAGRAPH
    assert not blocks[3].style.bold
    assert blocks[4].text == "TỔ CHỨC THỰC HIỆN" and blocks[4].style.upper


def test_bold_from_paragraph_style(tmp_path: Path) -> None:
    document = docx.Document()
    style = document.styles.add_style("Tieu de dam", 1)
    style.font.bold = True
    document.add_paragraph("NHIỆM VỤ VÀ GIẢI PHÁP", style="Tieu de dam")
    document.add_paragraph("Nội dung thường.")
    blocks = read(document, tmp_path).blocks
    assert [b.style.bold for b in blocks] == [True, False]


# --- tables ---------------------------------------------------------------------------------------


def test_merged_cells_appear_once_with_spans(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Bảng chỉ tiêu")
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate([["TT", "Thôn", "Hộ nghèo"], ["1", "Cây Tắt", "4"], ["2", "Tân Thủy", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 2).merge(table.cell(2, 2))
    document.add_paragraph("Sau bảng")
    blocks = read(document, tmp_path).blocks
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE, BlockKind.PARAGRAPH]
    grid = blocks[1].table
    assert grid is not None
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    spans = {(c.row, c.col): (c.row_span, c.col_span, c.text) for c in grid.cells}
    assert spans[(0, 0)] == (1, 2, "TT\nThôn")
    assert spans[(1, 2)] == (2, 1, "4")
    assert (0, 1) not in spans and (2, 2) not in spans
    assert len(grid.cells) == 7  # nine grid positions, two covered by merges


def layout_header_document(borders: str | None, style: str | None = None):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    if style:
        table.style = style
    if borders:
        set_table_borders(table, borders)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("XÃ CAO NHÂN")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập – Tự do – Hạnh phúc")
    document.add_paragraph("KẾ HOẠCH")
    return document


@pytest.mark.parametrize(
    ("borders", "style"),
    [(None, None), ("nil", "Table Grid"), ("none", None)],
    ids=["no borders at all", "grid style switched off", "borders none"],
)
def test_borderless_header_table_gives_blocks_in_reading_order(
    tmp_path: Path, borders: str | None, style: str | None
) -> None:
    blocks = read(layout_header_document(borders, style), tmp_path).blocks
    assert [(b.text, b.in_layout_table) for b in blocks] == [
        ("ỦY BAN NHÂN DÂN", True),
        ("XÃ CAO NHÂN", True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
        ("Độc lập – Tự do – Hạnh phúc", True),
        ("KẾ HOẠCH", False),
    ]
    assert all(b.kind is not BlockKind.TABLE for b in blocks)


@pytest.mark.parametrize(("borders", "style"), [("single", None), (None, "Table Grid")])
def test_bordered_table_stays_a_table(tmp_path: Path, borders: str | None, style: str | None) -> None:
    blocks = read(layout_header_document(borders, style), tmp_path).blocks
    assert [b.kind for b in blocks] == [BlockKind.TABLE, BlockKind.PARAGRAPH]


def test_nested_table_is_flattened_into_its_cell(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "TT"
    table.cell(0, 1).text = "Chỉ tiêu"
    table.cell(1, 0).text = "1"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Hộ nghèo"
    inner.cell(0, 1).text = "1,25%"
    blocks = read(document, tmp_path).blocks
    assert len(blocks) == 1
    grid = blocks[0].table
    assert grid is not None
    cell = next(c for c in grid.cells if (c.row, c.col) == (1, 1))
    assert cell.text == "Hộ nghèo\t1,25%"


# --- headers, footers, source --------------------------------------------------------------------


def test_header_and_footer_go_to_page_furniture(tmp_path: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "UBND XÃ CAO NHÂN – Kế hoạch giảm nghèo 2024"
    section.footer.paragraphs[0].text = "Trang 1"
    document.add_paragraph("KẾ HOẠCH")
    result = read(document, tmp_path)
    assert [b.text for b in result.blocks] == ["KẾ HOẠCH"]
    assert result.page_furniture == ["UBND XÃ CAO NHÂN – Kế hoạch giảm nghèo 2024", "Trang 1"]
    assert result.source.format == "docx"
    assert len(result.source.sha256) == 64


def test_corrupt_docx_package_raises_input_error(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            if item.filename != "[Content_Types].xml":
                target.writestr(item, source.read(item.filename))
    with pytest.raises(InputError, match="corrupt Word document"):
        read_docx(tmp_path / "plan.docx", damaged.getvalue())
