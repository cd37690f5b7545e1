"""The text-layer PDF reader: lines, columns, paragraphs, furniture, tables, bad input, seed parity.

Fixtures are small PDFs printed by LibreOffice from DOCX files (``corpus/cases/pdf/make_fixtures.py``);
the expected texts below are the words written into those DOCX files.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.errors import InputError
from extractor.ingest.pdf import DAMAGED, NO_TEXT, NO_TEXT_LAYER, PASSWORD_PROTECTED, read_pdf
from extractor.ingest.pdf_layout import (
    Glyph,
    LayoutSettings,
    Line,
    Placed,
    Segment,
    _join,
    find_page_furniture,
    group_lines,
    is_page_number,
    reading_order,
    starts_item,
)
from extractor.options import ExtractOptions
from models.document import BlockKind, RawDocument

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "corpus" / "cases" / "pdf"
BAD = ROOT / "corpus" / "cases" / "bad"
SEEDS = ROOT / "corpus" / "seeds"

HEADINGS_FIXTURE = CASES / "header-wrap-headings-footer.pdf"
TABLE_FIXTURE = CASES / "table-merged-header.pdf"
WRAPPING_PARAGRAPH = (
    "Thực hiện các biện pháp hỗ trợ nâng cao mức sống của người dân, giúp các hộ nghèo cải thiện điều "
    "kiện sống, sinh hoạt vươn lên thoát nghèo nhằm đẩy nhanh tốc độ giảm nghèo bền vững, không còn hộ "
    "tái nghèo và hộ nghèo mới phát sinh trên địa bàn xã."
)


def read(path: Path, options: ExtractOptions | None = None) -> RawDocument:
    return read_pdf(path, path.read_bytes(), options)


@pytest.fixture(scope="module")
def headings_doc() -> RawDocument:
    return read(HEADINGS_FIXTURE)


@pytest.fixture(scope="module")
def table_doc() -> RawDocument:
    return read(TABLE_FIXTURE)


def texts(document: RawDocument) -> list[str]:
    return [block.text for block in document.blocks]


# ---------------------------------------------------------------------------------------------------
# Fixture PDFs
# ---------------------------------------------------------------------------------------------------


def test_page_numbers_are_furniture_and_not_blocks(headings_doc: RawDocument) -> None:
    assert headings_doc.page_furniture == ["1", "2"]
    assert not [text for text in texts(headings_doc) if text.strip() in ("1", "2")]


def test_header_columns_are_separate_blocks_left_then_right(headings_doc: RawDocument) -> None:
    first, second = headings_doc.blocks[:2]
    assert first.text == "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN"
    assert second.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"
    assert first.bbox is not None and second.bbox is not None
    assert first.bbox.x1 < second.bbox.x0
    assert abs(first.bbox.top - second.bbox.top) < 2
    assert not first.in_layout_table


def test_wrapped_paragraph_is_one_block(headings_doc: RawDocument) -> None:
    [block] = [block for block in headings_doc.blocks if block.text.startswith("Thực hiện các biện pháp")]
    assert block.text == WRAPPING_PARAGRAPH
    assert block.bbox is not None and block.style.font_size == 14
    assert block.bbox.bottom - block.bbox.top > 3 * 14  # it did wrap over three lines or more


@pytest.mark.parametrize(
    "heading",
    [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "2.1. Đối với các thôn",
        "a) Rà soát hộ nghèo đúng quy trình.",
        "b) Báo cáo kết quả trước ngày 15 hằng tháng.",
        "- Lưu: VT, LĐXH.",
        "II. TỔ CHỨC THỰC HIỆN",
    ],
)
def test_each_numbered_heading_starts_a_block(headings_doc: RawDocument, heading: str) -> None:
    assert heading in texts(headings_doc)


def test_blocks_carry_page_bbox_and_page_start(headings_doc: RawDocument) -> None:
    for block in headings_doc.blocks:
        assert block.page in (1, 2)
        assert block.bbox is not None and block.bbox.x0 < block.bbox.x1 and block.bbox.top < block.bbox.bottom
        assert 0 <= block.bbox.top < 842
    starts = [block.text for block in headings_doc.blocks if block.starts_page]
    assert starts == ["II. TỔ CHỨC THỰC HIỆN"]
    assert [block.page for block in headings_doc.blocks] == sorted(
        block.page for block in headings_doc.blocks
    )


def test_styles_bold_upper_centred(headings_doc: RawDocument) -> None:
    by_text = {block.text: block.style for block in headings_doc.blocks}
    title = by_text["KẾ HOẠCH"]
    assert title.bold and title.upper and title.centered and title.font_size == 14
    heading = by_text["I. MỤC ĐÍCH, YÊU CẦU"]
    assert heading.bold and heading.upper and not heading.centered
    body = by_text[WRAPPING_PARAGRAPH]
    assert not body.bold and not body.upper and not body.centered
    assert by_text["ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN"].font_size == 12


def test_source_info(headings_doc: RawDocument) -> None:
    import hashlib

    source = headings_doc.source
    assert source.format == "pdf" and source.pages == 2
    assert source.sha256 == hashlib.sha256(HEADINGS_FIXTURE.read_bytes()).hexdigest()


def test_ruled_table_is_one_block_with_merged_header(table_doc: RawDocument) -> None:
    assert [block.kind for block in table_doc.blocks] == [
        BlockKind.PARAGRAPH,
        BlockKind.TABLE,
        BlockKind.PARAGRAPH,
    ]
    table = table_doc.blocks[1].table
    assert table is not None and (table.n_rows, table.n_cols) == (4, 4)
    cells = {(cell.row, cell.col): cell for cell in table.cells}
    assert (cells[0, 0].text, cells[0, 0].row_span, cells[0, 0].col_span) == ("TT", 2, 1)
    assert (cells[0, 1].text, cells[0, 1].row_span) == ("Thôn", 2)
    assert (cells[0, 2].text, cells[0, 2].col_span, cells[0, 2].row_span) == ("Hộ nghèo", 2, 1)
    assert (0, 3) not in cells and (1, 0) not in cells
    assert [cells[1, 2].text, cells[1, 3].text] == ["TS", "%"]
    assert [cells[3, col].text for col in range(4)] == ["2", "Tân Thủy", "5", "3,88"]
    assert all(cell.bbox is not None for cell in table.cells)


def test_table_characters_leave_the_paragraphs(table_doc: RawDocument) -> None:
    paragraphs = " ".join(block.text for block in table_doc.blocks if block.kind == BlockKind.PARAGRAPH)
    for cell_text in ("Cây Tắt", "Tân Thủy", "3,88", "Hộ nghèo"):
        assert cell_text not in paragraphs


# ---------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------


def test_password_protected_pdf_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read(BAD / "encrypted.pdf")
    assert caught.value.reason == PASSWORD_PROTECTED == "the PDF is password-protected"


def test_truncated_pdf_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read(BAD / "truncated.pdf")
    assert caught.value.reason == DAMAGED == "the PDF is damaged or truncated"


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_pdf_cut_short_is_refused(tmp_path: Path, keep: float) -> None:
    data = HEADINGS_FIXTURE.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError) as caught:
        read(path)
    assert caught.value.reason == DAMAGED


def test_a_pdf_without_text_or_scan_is_refused(tmp_path: Path) -> None:
    """A blank page holds no text layer and no image to OCR; with --ocr never a PDF without text is a scan
    left unread, and says so."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    document.save(str(path))
    with pytest.raises(InputError) as caught:
        read(path)
    assert str(caught.value) == f"{path}: {NO_TEXT}"
    assert NO_TEXT == "no text: no page holds a text layer or a scan with words Tesseract can read"
    with pytest.raises(InputError) as caught:
        read(path, ExtractOptions(ocr="never"))
    assert (
        caught.value.reason == NO_TEXT_LAYER == "no text layer (a scanned PDF) and OCR is off (--ocr never)"
    )


def test_a_pdf_with_one_blank_page_is_read(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(HEADINGS_FIXTURE.read_bytes())
    document.new_page(595, 842)
    path = tmp_path / "with-blank.pdf"
    document.save(str(path))
    result = read(path)
    assert result.source.pages == 3
    assert WRAPPING_PARAGRAPH in texts(result)


# ---------------------------------------------------------------------------------------------------
# Layout rules on plain values
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("12", True),
        ("- 2 -", True),
        ("– 3 –", True),
        ("Trang 3", True),
        ("3/12", True),
        ("Trang 3/12", True),
        ("1.", False),
        ("2024 hộ", False),
        ("I. MỤC TIÊU", False),
        ("Số: 15/KH-UBND", False),
    ],
)
def test_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


@pytest.mark.parametrize(
    ("text", "after_wrap", "expected"),
    [
        ("I. MỤC ĐÍCH, YÊU CẦU", False, True),
        ("IV. TỔ CHỨC THỰC HIỆN", False, True),
        ("1. Mục đích", False, True),
        ("2.1. Tín dụng", False, True),
        ("2.1 Tín dụng ưu đãi cho hộ nghèo", False, True),
        ("a) Mục tiêu tổng quát", False, True),
        ("đ) Hỗ trợ nhà ở", False, True),
        ("- Lưu: VT.", False, True),
        ("+ Đối với hộ nghèo", False, True),
        ("Phần thứ nhất", False, True),
        ("2024 trên địa bàn xã", False, False),
        ("1.011 hộ dân cư", False, False),
        ("Mục tiêu cụ thể", False, False),
        ("Điều kiện sống", False, False),
        ("– Thương binh và Xã hội.", True, False),  # "Lao động" / "– Thương binh …" cut at the space
        ("2. Yêu cầu", True, True),
    ],
)
def test_starts_item(text: str, after_wrap: bool, expected: bool) -> None:
    assert starts_item(text, after_wrap=after_wrap) is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Nghị quyết số 12-", "NQ/ĐU của BCH", "Nghị quyết số 12-NQ/ĐU của BCH"),
        ("kinh tế -", "xã hội", "kinh tế - xã hội"),
        ("giai đoạn 2020-", "2025", "giai đoạn 2020-2025"),
        ("kinh phí là 2.405.000.", "000 đồng", "kinh phí là 2.405.000.000 đồng"),
        ("của người dân,", "giúp các", "của người dân, giúp các"),
    ],
)
def test_wrapped_lines_join_and_keep_hyphens(left: str, right: str, expected: str) -> None:
    assert _join(left, " ", right) == expected


def line_at(text: str, top: float, page: int = 1) -> Line:
    segment = Segment(text, page, 300, top, 320, top + 12, top + 10, 12, False, False)
    return Line(segments=(segment,), page=page)


def test_a_lone_page_number_in_the_footer_is_furniture() -> None:
    body, footer = line_at("Kế hoạch giảm nghèo năm 2024", 300), line_at("Trang 1", 800)
    assert find_page_furniture([[body, footer]], [842]) == {id(footer)}


def test_a_running_header_repeats_with_its_page_number_masked() -> None:
    pages = [[line_at(f"Kế hoạch 15/KH-UBND - {n}", 20, n), line_at("Nội dung", 300, n)] for n in (1, 2, 3)]
    furniture = find_page_furniture(pages, [842, 842, 842])
    assert furniture == {id(lines[0]) for lines in pages}


def test_a_first_line_seen_once_is_not_furniture() -> None:
    pages = [[line_at("ỦY BAN NHÂN DÂN", 40, 1), line_at("Nội dung", 300, 1)], [line_at("Nội dung", 40, 2)]]
    assert find_page_furniture(pages, [842, 842]) == set()


def glyphs_for(text: str, x: float, baseline: float, size: float = 12.0, order: int = 0) -> list[Glyph]:
    """Glyphs of ``text`` set left to right from ``x`` at half a font size per character."""
    glyphs = []
    width = size / 2
    for offset, char in enumerate(text):
        if char == " ":
            continue
        x0 = x + offset * width
        glyphs.append(
            Glyph(
                char,
                x0,
                x0 + width,
                baseline - size,
                baseline + size / 4,
                baseline,
                size,
                False,
                False,
                offset > 0 and text[offset - 1] == " ",
                order + offset,
            )
        )
    return glyphs


def test_a_column_gap_splits_one_baseline_into_two_segments() -> None:
    glyphs = glyphs_for("Số: 15/KH-UBND", 85, 100) + glyphs_for("Yên Châu, ngày 19", 300, 100, order=100)
    [line] = group_lines(glyphs, page=1)
    assert [segment.text for segment in line.segments] == ["Số: 15/KH-UBND", "Yên Châu, ngày 19"]


def test_a_list_label_set_off_by_a_tab_stays_with_its_text() -> None:
    glyphs = glyphs_for("II.", 85, 100) + glyphs_for("Mục tiêu", 85 + 4 * 12, 100, order=10)
    [line] = group_lines(glyphs, page=1)
    assert [segment.text for segment in line.segments] == ["II. Mục tiêu"]


def test_the_right_column_written_first_still_reads_left_first() -> None:
    glyphs = glyphs_for("CỘNG HÒA", 300, 100) + glyphs_for("ỦY BAN", 90, 100, order=100)
    [line] = group_lines(glyphs, page=1)
    assert [segment.text for segment in line.segments] == ["ỦY BAN", "CỘNG HÒA"]


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyỦẠ0123456789,.", min_size=1, max_size=12),
            st.integers(0, 30),
            st.integers(0, 40),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_grouping_keeps_every_character(words: list[tuple[str, int, int]]) -> None:
    glyphs: list[Glyph] = []
    for index, (word, column, row) in enumerate(words):
        glyphs += glyphs_for(word, 20 + column * 15, 50 + row * 20, order=index * 100)
    lines = group_lines(glyphs, page=1)
    read_chars = sorted("".join(line.text for line in lines).replace(" ", ""))
    assert read_chars == sorted("".join(word for word, _, _ in words))


def placed(name: str, x0: float, top: float, x1: float, bottom: float, size: float = 12.0) -> Placed:
    return Placed(x0, top, x1, bottom, name, size, bottom - 3, bottom - 3)


def test_reading_order_header_rows_then_body() -> None:
    items = [
        placed("body", 85, 130, 538, 200, 14),
        placed("motto", 270, 57, 520, 86),
        placed("date", 305, 96, 478, 107),
        placed("issuer", 108, 57, 221, 84),
        placed("number", 126, 96, 203, 105),
    ]
    order = [item.item for item in reading_order(items, LayoutSettings(pitch_ratio=1.26))]
    assert order == ["issuer", "motto", "number", "date", "body"]


def test_reading_order_recipients_column_before_signature() -> None:
    items = [
        placed("TM. ỦY BAN NHÂN DÂN", 360, 200, 465, 230, 14),
        placed("Nơi nhận:", 85, 198, 137, 213),
        placed("- Như trên;", 85, 217, 238, 226, 11),
        placed("- Lưu: VT.", 85, 231, 200, 240, 11),  # below the signature block, same column pitch
        placed("Nguyễn Văn A", 355, 288, 470, 300, 14),
    ]
    order = [item.item for item in reading_order(items, LayoutSettings(pitch_ratio=1.26))]
    assert order == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "Nguyễn Văn A"]


# ---------------------------------------------------------------------------------------------------
# Seeds: every non-table line of the seed text is in the PDF's text, in order
# ---------------------------------------------------------------------------------------------------


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("**", "").replace("*", "")
    return " ".join(text.split())


def _non_table_lines(path: Path) -> list[str]:
    """The seed's lines without its tables: runs of three or more tabbed lines (blank lines between)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    in_table = [False] * len(lines)
    index = 0
    while index < len(lines):
        if "\t" not in lines[index]:
            index += 1
            continue
        end, tabbed = index, 0
        while end < len(lines) and ("\t" in lines[end] or not lines[end].strip()):
            tabbed += "\t" in lines[end]
            end += 1
        if tabbed >= 3:
            in_table[index:end] = [True] * (end - index)
        index = end
    return [
        _normalized(line) for line, table in zip(lines, in_table, strict=True) if not table and line.strip()
    ]


SEED_PDFS = sorted(SEEDS.glob("*.pdf"))


@pytest.mark.parametrize("pdf", SEED_PDFS, ids=lambda path: path.stem[:3])
def test_seed_pdf_holds_every_seed_line_in_order(pdf: Path) -> None:
    document = read(pdf)
    text = _normalized(" ".join(block.text for block in document.blocks if block.kind != BlockKind.TABLE))
    position = 0
    for line in _non_table_lines(pdf.with_suffix(".txt")):
        found = text.find(line, position)
        assert found >= 0, f"{pdf.name}: missing or out of order: {line[:80]!r}"
        position = found + len(line)
    assert document.page_furniture == [str(page) for page in range(1, document.source.pages + 1)]
