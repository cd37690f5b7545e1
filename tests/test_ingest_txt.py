"""Text and Markdown reader: encodings, emphasis, headings, and tables written in text."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.ingest import read_document
from extractor.ingest.txt import (
    looks_vietnamese,
    read_text,
    strip_emphasis,
    text_blocks,
)
from models.document import BlockKind
from tests.conftest import SEEDS

PLAN_TEXT = "KẾ HOẠCH\nGiảm nghèo năm 2024 trên địa bàn xã Cao Nhân\nI. MỤC ĐÍCH, YÊU CẦU\n"
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes as Vietnamese Windows wrote them: base letter, then a combining tone byte
    when the toned letter has no code of its own ("ả" = "a" + 0xD2)."""
    out = bytearray()
    for char in nfc(text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = nfc("".join(c for c in decomposed if c not in TONE_MARKS))
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def read(tmp_path: Path, data: bytes, name: str = "plan.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path)


def texts(document) -> list[str]:
    return [block.text for block in document.blocks]


# --- encodings --------------------------------------------------------------------------------------

ENCODED_PLANS = [
    ("utf-8", PLAN_TEXT.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + PLAN_TEXT.encode("utf-8"), "utf-8-sig"),
    ("utf-16 LE with BOM", b"\xff\xfe" + PLAN_TEXT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE with BOM", b"\xfe\xff" + PLAN_TEXT.encode("utf-16-be"), "utf-16-be"),
    ("utf-16 LE without BOM", PLAN_TEXT.encode("utf-16-le"), "utf-16-le"),
    ("windows-1258", to_cp1258(PLAN_TEXT), "cp1258"),
]


@pytest.mark.parametrize(("label", "data", "encoding"), ENCODED_PLANS, ids=[c[0] for c in ENCODED_PLANS])
def test_each_encoding_reads_the_same_lines(tmp_path: Path, label: str, data: bytes, encoding: str) -> None:
    document = read(tmp_path, data)
    assert document.source.encoding == encoding
    assert [nfc(text) for text in texts(document)] == [
        "KẾ HOẠCH",
        "Giảm nghèo năm 2024 trên địa bàn xã Cao Nhân",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]


def test_windows_1258_bytes_really_use_combining_tones() -> None:
    # "Giảm": ả has no Windows-1258 code, so the file holds "a" followed by the hook-above byte 0xD2.
    assert b"Gia\xd2m" in to_cp1258("Giảm")


def test_windows_1258_seed_plan_reads_back(tmp_path: Path) -> None:
    original = (SEEDS / "002_724ff193a1037eed.txt").read_text(encoding="utf-8")
    document = read(tmp_path, to_cp1258(original))
    assert document.source.encoding == "cp1258"
    assert nfc(document.blocks[0].text) == "Số: /KH-UBND"
    assert any(nfc(text).startswith("Thực hiện Kế hoạch số 67/KH-UBND") for text in texts(document))


# TCVN3 (ABC) codes of the letters in the sample: the well-known garble "KÕ ho¹ch" is "Kế hoạch".
TCVN3 = {
    "ế": 0xD5,
    "ạ": 0xB9,
    "ả": 0xB6,
    "è": 0xCC,
    "ă": 0xA8,
    "ê": 0xAA,
    "ị": 0xDE,
    "à": 0xB5,
    "ã": 0xB7,
    "đ": 0xAE,
    "ư": 0xAD,
    "ợ": 0xEE,
}


def to_tcvn3(text: str) -> bytes:
    return b"".join(bytes([TCVN3[char]]) if char in TCVN3 else char.encode("ascii") for char in text)


def test_tcvn3_file_is_repaired(tmp_path: Path) -> None:
    pytest.importorskip("extractor.normalize.legacy")
    sample = "Kế hoạch giảm nghèo năm 2024 trên địa bàn xã\nKế hoạch này được ban hành\n"
    data = to_tcvn3(sample)
    assert data.startswith(b"K\xd5 ho\xb9ch")
    document = read(tmp_path, data)
    assert document.source.encoding is not None
    assert "tcvn" in document.source.encoding.lower()
    assert nfc(document.blocks[0].text) == "Kế hoạch giảm nghèo năm 2024 trên địa bàn xã"


def test_tcvn3_bytes_read_as_windows_1258_are_not_vietnamese() -> None:
    garbled = to_tcvn3("Kế hoạch giảm nghèo năm 2024").decode("cp1258")
    assert not looks_vietnamese(garbled)


# --- layout: lines, emphasis, headings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        "KẾ HOẠCH\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung\n",
        "KẾ HOẠCH\nI. MỤC TIÊU\n1. Mục tiêu chung\n",
        "KẾ HOẠCH\r\nI. MỤC TIÊU\r\n\r\n\r\n1. Mục tiêu chung",
    ],
    ids=["blank lines", "single newlines", "crlf and runs of blanks"],
)
def test_one_block_per_non_empty_line(layout: str) -> None:
    blocks = text_blocks(layout.replace("\r\n", "\n"))
    assert [block.text for block in blocks] == ["KẾ HOẠCH", "I. MỤC TIÊU", "1. Mục tiêu chung"]
    lines = layout.replace("\r\n", "\n").split("\n")
    assert all(lines[block.line - 1].strip() == block.text for block in blocks)


def test_bold_span_over_two_lines_is_one_block() -> None:
    blocks = text_blocks("\n\n**ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN**\n\nSố: /KH-UBND\n")
    assert blocks[0].text == "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN"
    assert blocks[0].line == 3
    assert blocks[0].style.bold and blocks[0].style.upper
    assert blocks[1].text == "Số: /KH-UBND"
    assert not blocks[1].style.bold


def test_seed_000_header_blocks() -> None:
    document = read_text(
        SEEDS / "000_18cf555f364dcc13.txt", (SEEDS / "000_18cf555f364dcc13.txt").read_bytes()
    )
    assert document.blocks[0].text == "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN"
    assert document.blocks[1].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"
    assert document.blocks[1].style.bold and not document.blocks[1].style.upper
    assert not any("*" in text for text in texts(document))


def test_unclosed_bold_does_not_swallow_the_next_paragraph() -> None:
    blocks = text_blocks("**KT. CHỦ TỊCH\n\nPHÓ CHỦ TỊCH**\n")
    assert len(blocks) == 2


@pytest.mark.parametrize(
    ("written", "text", "bold", "italic"),
    [
        ("**KT. CHỦ TỊCH**", "KT. CHỦ TỊCH", True, False),
        ("__Mục tiêu__", "Mục tiêu", True, False),
        ("*phụ lục kèm theo*", "phụ lục kèm theo", False, True),
        ("_phụ lục_", "phụ lục", False, True),
        ("***Lưu ý***", "Lưu ý", True, True),
        ("06 lĩnh vực: **Việc làm, Y tế**", "06 lĩnh vực: Việc làm, Y tế", False, False),
        ("hộ nghèo (*)", "hộ nghèo (*)", False, False),
        ("tăng 5 * 3 lần", "tăng 5 * 3 lần", False, False),
        ("tệp so_lieu_2024.xlsx", "tệp so_lieu_2024.xlsx", False, False),
        ("Độc lập - Tự do\n-------------", "Độc lập - Tự do\n-------------", False, False),
    ],
)
def test_markdown_emphasis(written: str, text: str, bold: bool, italic: bool) -> None:
    emphasized = strip_emphasis(written)
    assert emphasized.text == text
    assert emphasized.all_bold() is bold
    assert emphasized.all_italic() is italic


def test_inline_emphasis_marks_only_its_characters() -> None:
    emphasized = strip_emphasis("+ **Đối với hộ nghèo:** Tập trung hỗ trợ")
    assert emphasized.text == "+ Đối với hộ nghèo: Tập trung hỗ trợ"
    bold_text = "".join(c for c, b in zip(emphasized.text, emphasized.bold, strict=True) if b)
    assert bold_text == "Đối với hộ nghèo:"


@given(st.text(alphabet="abc xyzĐộcập\n", max_size=40))
def test_text_without_markers_is_unchanged(text: str) -> None:
    assert strip_emphasis(text).text == text


def test_markdown_heading_and_escapes(tmp_path: Path) -> None:
    document = read(tmp_path, "# KẾ HOẠCH\n\n## I. MỤC TIÊU ##\n\nTăng 5\\*3 lần\n".encode(), "plan.md")
    assert document.source.format == "md"
    assert [(b.kind, b.text) for b in document.blocks] == [
        (BlockKind.HEADING, "KẾ HOẠCH"),
        (BlockKind.HEADING, "I. MỤC TIÊU"),
        (BlockKind.PARAGRAPH, "Tăng 5*3 lần"),
    ]


def test_form_feed_starts_a_page() -> None:
    blocks = text_blocks("trong việc chỉ đạo, tổ\n\fchức triển khai\n")
    assert [b.text for b in blocks] == ["trong việc chỉ đạo, tổ", "chức triển khai"]
    assert [b.starts_page for b in blocks] == [False, True]


# --- tables ----------------------------------------------------------------------------------------


def seed_blocks(name: str):
    path = SEEDS / name
    return read_text(path, path.read_bytes()).blocks


def test_seed_001_village_table_is_one_block_fifteen_wide() -> None:
    blocks = seed_blocks("001_1747db98b33217c6.txt")
    tables = [b for b in blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1
    grid = tables[0].table
    assert grid is not None
    assert grid.n_cols == 15
    # two header rows, 13 villages, the total row
    assert grid.n_rows == 16
    first_row = [c.text for c in grid.cells if c.row == 0]
    assert first_row[:2] == ["TT", "Đơn vị"]
    second_village = [c.text for c in grid.cells if c.row == 3]
    assert second_village[:4] == ["2", "Tân Thủy", "129", "5"]
    total = [c.text for c in grid.cells if c.row == 15]
    assert total[0] == "Tổng cộng" and len(total) == 14
    assert [c.line for c in grid.cells if c.row == 0][:2] == [20, 21]
    assert tables[0].line == 20


def test_seed_001_tab_indented_prose_stays_a_paragraph() -> None:
    blocks = seed_blocks("001_1747db98b33217c6.txt")
    prose = [b for b in blocks if b.text.startswith("- Trực tiếp phụ trách Dự án 2")]
    assert len(prose) == 1
    assert prose[0].kind is BlockKind.PARAGRAPH
    assert prose[0].line == 303


def test_seed_002_appendix_is_a_table_with_empty_cells_kept() -> None:
    blocks = seed_blocks("002_724ff193a1037eed.txt")
    tables = [b for b in blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1
    grid = tables[0].table
    assert grid is not None
    assert (grid.n_rows, grid.n_cols) == (10, 15)
    header = [c.text for c in grid.cells if c.row == 0]
    assert header[:4] == ["TT", "Thôn", "Tổng số hộ dân cư", "HỘ NGHÈO"]
    assert header[4:9] == ["", "", "", "", ""]
    total = [c.text for c in grid.cells if c.row == 9]
    assert total[:3] == ["", "Cộng", "2.991"]
    assert tables[0].line == 245


def test_pipe_table() -> None:
    blocks = text_blocks(
        "Bảng 1\n| TT | Thôn | Số hộ |\n|---|---|---:|\n| 1 | Cây Tắt | 183 |\n| 2 | **Tân Thủy** | 129 |\n"
    )
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH, BlockKind.TABLE]
    grid = blocks[1].table
    assert grid is not None
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert [c.text for c in grid.cells if c.row == 2] == ["2", "Tân Thủy", "129"]
    assert [c.line for c in grid.cells if c.col == 0] == [2, 4, 5]


def test_fixed_width_columns() -> None:
    text = "TT   Thôn          Số hộ   Hộ nghèo\n1    Cây Tắt         183          4\n2    Tân Thủy        129          5\n"
    blocks = text_blocks(text)
    assert len(blocks) == 1 and blocks[0].kind is BlockKind.TABLE
    grid = blocks[0].table
    assert grid is not None
    assert [c.text for c in grid.cells if c.row == 1] == ["1", "Cây Tắt", "183", "4"]


def test_prose_with_double_spaces_is_not_a_table() -> None:
    text = "Giao Ban chỉ đạo  chủ trì  thực hiện kế hoạch.\nCác thôn  báo cáo kết quả  trước ngày 15/12.\n"
    assert all(b.kind is BlockKind.PARAGRAPH for b in text_blocks(text))


def test_tab_indented_bullets_are_not_a_table() -> None:
    text = "\t- Lưu: VT\n\t- UBND huyện\n\t- Các thôn\n\n\t- Đảng ủy xã\n\t- HĐND xã\n\t- MTTQ xã\n"
    assert all(b.kind is BlockKind.PARAGRAPH for b in text_blocks(text))
