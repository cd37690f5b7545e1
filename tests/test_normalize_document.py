"""normalize_document: layout and spans, cut sentences joined, tables, legacy fonts, idempotence."""

import hashlib
import unicodedata
from pathlib import Path

import pytest
from docx import Document as WordDocument
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import extract_document
from extractor.normalize.document import normalize_document
from extractor.normalize.legacy import TCVN3, encode_legacy
from models.document import (
    BlockKind,
    Document,
    RawBlock,
    RawDocument,
    SourceInfo,
    TableCell,
    TableGrid,
    TextStyle,
)
from models.provenance import BBox
from tests.conftest import CASES, SEEDS

SEED_001 = SEEDS / "001_1747db98b33217c6.txt"
P, L, H, T = BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.HEADING, BlockKind.TABLE


def raw_document(*blocks: RawBlock | str, furniture: tuple[str, ...] = ()) -> RawDocument:
    """A RawDocument of the given blocks (a plain string is a paragraph)."""
    built = [RawBlock(text=block) if isinstance(block, str) else block for block in blocks]
    source = SourceInfo(path="test.docx", sha256=hashlib.sha256(b"test").hexdigest(), format="docx")
    return RawDocument(source=source, blocks=built, page_furniture=list(furniture))


def as_raw(document: Document) -> RawDocument:
    """Feed a normalized document back in: its blocks as a reader would give them (labels apart)."""
    blocks = []
    for block in document.blocks:
        text = block.text
        if block.list_label and block.table is None:
            text = text.removeprefix(f"{block.list_label} ")
        blocks.append(
            RawBlock(
                text=text,
                kind=block.kind,
                page=block.page,
                bbox=block.bbox,
                line=block.line,
                style=block.style,
                list_label=block.list_label,
                list_level=block.list_level,
                table=block.table,
                in_layout_table=block.in_layout_table,
            )
        )
    return RawDocument(source=document.source, blocks=blocks, page_furniture=list(document.page_furniture))


def assert_spans_exact(document: Document) -> None:
    for block in document.blocks:
        assert document.text[block.span.start : block.span.end] == block.text
    assert document.text == "\n".join(block.text for block in document.blocks)


# -- sentences cut by a page break -------------------------------------------------------------------

CUT = "Kịp thời chỉ đạo, khắc phục những tồn tại, thiếu sót trong việc chỉ đạo, tổ"
REST = "chức triển khai thực hiện, đảm bảo các chính sách tác động tích cực, cụ thể:"
LONG = "Thiếu hụt chỉ số phương tiện phục vụ tiếp cận thông tin của các hộ nghèo trên địa bàn"

# (case id, previous block, next block, joined?)
JOIN_CASES = [
    ("lower-case continuation", RawBlock(text=CUT), RawBlock(text=REST, starts_page=True), True),
    ("continuation after a blank line in a text export", RawBlock(text=CUT), RawBlock(text=REST), True),
    (
        "number continues the sentence",
        RawBlock(text="- + Thiếu hụt chỉ số thông tin: 12 hộ, tỷ lệ"),
        RawBlock(text="70,59%."),
        True,
    ),
    (
        "previous is a list item",
        RawBlock(text=LONG, kind=L),
        RawBlock(text="và các dịch vụ xã hội cơ bản."),
        True,
    ),
    (
        "previous ends with a full stop",
        RawBlock(text=LONG + "."),
        RawBlock(text="chức năng, nhiệm vụ."),
        False,
    ),
    ("previous ends with a colon", RawBlock(text=LONG + ":"), RawBlock(text="phấn đấu giảm 2%."), False),
    ("previous ends with a semicolon", RawBlock(text=LONG + ";"), RawBlock(text="phấn đấu giảm 2%."), False),
    ("previous ends with an ellipsis", RawBlock(text=LONG + "…"), RawBlock(text="và các hộ khác."), False),
    ("next starts in upper case", RawBlock(text=CUT), RawBlock(text="Chức năng của Ban chỉ đạo."), False),
    ("next starts with numbering", RawBlock(text=CUT), RawBlock(text="1. mục tiêu chung"), False),
    (
        "next starts with multi-level numbering",
        RawBlock(text=CUT),
        RawBlock(text="2.1 mục tiêu cụ thể"),
        False,
    ),
    ("next starts with a letter label", RawBlock(text=CUT), RawBlock(text="a) mục tiêu tổng quát"), False),
    ("next starts with a roman numeral", RawBlock(text=CUT), RawBlock(text="II. nhiệm vụ"), False),
    ("next starts with a dash bullet", RawBlock(text=CUT), RawBlock(text="- các thôn, bản"), False),
    ("next starts with a plus bullet", RawBlock(text=CUT), RawBlock(text="+ các thôn, bản"), False),
    ("next is a bare page number", RawBlock(text=CUT), RawBlock(text="12"), False),
    (
        "next has a generated label",
        RawBlock(text=CUT),
        RawBlock(text="mục tiêu chung", kind=L, list_label="1."),
        False,
    ),
    ("previous is a heading", RawBlock(text=LONG, kind=H), RawBlock(text="năm 2024 của xã."), False),
    (
        "previous is in capitals",
        RawBlock(text="PHÂN TÍCH KẾT QUẢ HỘ NGHÈO CUỐI"),
        RawBlock(text="năm 2023 của xã."),
        False,
    ),
    (
        "previous is bold",
        RawBlock(text=LONG, style=TextStyle(bold=True)),
        RawBlock(text="năm 2024 của xã."),
        False,
    ),
    (
        "previous is a short line",
        RawBlock(text="Mục tiêu cụ thể"),
        RawBlock(text="phấn đấu giảm 2% hộ nghèo."),
        False,
    ),
    (
        "layout table",
        RawBlock(text=LONG, in_layout_table=True),
        RawBlock(text="xã Cao Nhân", in_layout_table=True),
        False,
    ),
]


@pytest.mark.parametrize(
    ("previous", "following", "joined"),
    [pytest.param(prev, nxt, joined, id=name) for name, prev, nxt, joined in JOIN_CASES],
)
def test_cut_sentences_are_joined(previous: RawBlock, following: RawBlock, joined: bool) -> None:
    document = normalize_document(raw_document(previous, following))
    if joined:
        assert [block.text for block in document.blocks] == [f"{previous.text} {following.text}"]
    else:
        assert len(document.blocks) == 2
    assert_spans_exact(document)


def test_never_joined_across_a_table() -> None:
    grid = TableGrid(
        n_rows=1, n_cols=2, cells=[TableCell(row=0, col=0, text="1"), TableCell(row=0, col=1, text="2")]
    )
    document = normalize_document(raw_document(CUT, RawBlock(text="1\t2", kind=T, table=grid), REST))
    assert [block.kind for block in document.blocks] == [P, T, P]


def test_joined_block_keeps_the_earlier_provenance() -> None:
    box = BBox(x0=57, top=700, x1=540, bottom=760)
    document = normalize_document(
        raw_document(
            RawBlock(text=CUT, page=3, bbox=box, line=40),
            RawBlock(text=REST, page=4, starts_page=True, line=1),
        )
    )
    (block,) = document.blocks
    assert (block.page, block.bbox, block.line) == (3, box, 40)


def test_three_pieces_of_one_sentence_become_one_block() -> None:
    document = normalize_document(
        raw_document(CUT, "chức triển khai thực hiện, đảm bảo các chính sách tác động", "tích cực.")
    )
    assert [block.text for block in document.blocks] == [
        f"{CUT} chức triển khai thực hiện, đảm bảo các chính sách tác động tích cực."
    ]


# -- layout ----------------------------------------------------------------------------------------------


def test_layout_and_spans() -> None:
    document = normalize_document(
        raw_document(
            RawBlock(text="ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN", style=TextStyle(bold=True)),
            RawBlock(text="MỤC TIÊU, CHỈ TIÊU", kind=L, list_label="I."),
            "Phấn đấu giảm tỷ lệ hộ nghèo\u00a0xuống còn 1,94%.",
        )
    )
    assert document.text == (
        "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN\nI. MỤC TIÊU, CHỈ TIÊU\nPhấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,94%."
    )
    assert [(block.span.start, block.span.end) for block in document.blocks] == [(0, 27), (28, 49), (50, 95)]
    assert document.blocks[1].list_label == "I."
    assert_spans_exact(document)


def test_blocks_left_empty_are_dropped() -> None:
    document = normalize_document(raw_document("KẾ HOẠCH", "\u200b \u00a0", "Giảm nghèo năm 2024"))
    assert [block.text for block in document.blocks] == ["KẾ HOẠCH", "Giảm nghèo năm 2024"]
    assert_spans_exact(document)


def test_table_text_and_grid() -> None:
    cells = [
        TableCell(row=0, col=0, text="TT"),
        TableCell(row=0, col=1, text="Hộ nghèo\nđầu năm", col_span=2),
        TableCell(row=1, col=0, text="1"),
        TableCell(row=1, col=1, text="12\u00a0hộ"),
        TableCell(row=1, col=2, text="1,94%"),
    ]
    grid = TableGrid(n_rows=2, n_cols=3, cells=cells)
    document = normalize_document(
        raw_document("Bảng tổng hợp như sau:", RawBlock(text="ignored", kind=T, table=grid))
    )
    table = document.blocks[1]
    # the merged header cell is written once, at its first column; the line break in it becomes a space
    assert table.text == "TT\tHộ nghèo đầu năm\n1\t12 hộ\t1,94%"
    assert [cell.text for cell in table.table.cells] == ["TT", "Hộ nghèo\nđầu năm", "1", "12 hộ", "1,94%"]
    assert_spans_exact(document)


def test_table_with_a_covered_middle_cell_keeps_column_positions() -> None:
    cells = [
        TableCell(row=0, col=0, text="A", row_span=2),
        TableCell(row=0, col=1, text="B"),
        TableCell(row=1, col=1, text="C"),
    ]
    grid = TableGrid(n_rows=2, n_cols=2, cells=cells)
    document = normalize_document(raw_document(RawBlock(text="", kind=T, table=grid)))
    assert document.blocks[0].text == "A\tB\n\tC"


def test_page_furniture_is_normalized_and_kept_apart() -> None:
    document = normalize_document(raw_document("Giảm nghèo năm 2024", furniture=("Trang\u00a02", "– 3 –")))
    assert document.page_furniture == ["Trang 2", "- 3 -"]
    assert "Trang" not in document.text


# -- legacy fonts ---------------------------------------------------------------------------------------


def test_a_document_typed_in_tcvn3_is_converted() -> None:
    header = "ỦY BAN NHÂN DÂN XÃ CAO NHÂN"  # a Unicode run in a mixed Word file: left alone
    body = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Căn cứ Nghị quyết số 52/2019/NQ-HĐND ngày 19 tháng 12 năm 2019 của HĐND thành phố;",
        "Phấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,94%, hỗ trợ người nghèo tiếp cận dịch vụ xã hội.",
    ]
    grid = TableGrid(
        n_rows=1,
        n_cols=2,
        cells=[
            TableCell(row=0, col=0, text=encode_legacy("Thôn", TCVN3)),
            TableCell(row=0, col=1, text=encode_legacy("Số hộ nghèo", TCVN3)),
        ],
    )
    raw = raw_document(
        header, *(encode_legacy(text, TCVN3) for text in body), RawBlock(text="", kind=T, table=grid)
    )
    document = normalize_document(raw)
    assert [block.text for block in document.blocks] == [header, *body, "Thôn\tSố hộ nghèo"]
    assert document.source.encoding == TCVN3
    assert_spans_exact(document)


def test_unicode_documents_are_not_converted() -> None:
    document = normalize_document(
        raw_document("Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập – Tự do – Hạnh phúc")
    )
    assert document.source.encoding is None
    assert document.blocks[1].text == "Độc lập - Tự do - Hạnh phúc"


# -- seed 001, idempotence -----------------------------------------------------------------------------


def seed_001_as_lines() -> RawDocument:
    lines = [line for line in SEED_001.read_text(encoding="utf-8").split("\n") if line.strip()]
    return raw_document(*lines)


def test_seed_001_read_as_plain_lines() -> None:
    raw = seed_001_as_lines()
    assert not unicodedata.is_normalized("NFC", "\n".join(block.text for block in raw.blocks))
    document = normalize_document(raw)
    assert unicodedata.is_normalized("NFC", document.text)
    assert "\u00a0" not in document.text
    assert not any(unicodedata.combining(char) for char in document.text)
    assert document.text.startswith("KẾ HOẠCH\n")
    assert_spans_exact(document)


IDEMPOTENCE_CASES = {
    "seed 001": seed_001_as_lines,
    "cut sentence": lambda: raw_document(
        CUT, RawBlock(text=REST, starts_page=True), RawBlock(text="1. Mục tiêu", kind=L)
    ),
    "labels": lambda: raw_document(
        RawBlock(text="MỤC TIÊU", kind=L, list_label="I."),
        RawBlock(text="Mục tiêu chung", kind=L, list_label="1."),
    ),
    "legacy": lambda: raw_document(
        *(
            encode_legacy(line, TCVN3)
            for line in [
                "KẾ HOẠCH",
                "Giảm nghèo năm 2024 trên địa bàn xã Cao Nhân, huyện Yên Châu",
                "phấn đấu giảm tỷ lệ hộ nghèo.",
            ]
        )
    ),
}


@pytest.mark.parametrize("make", IDEMPOTENCE_CASES.values(), ids=IDEMPOTENCE_CASES.keys())
def test_normalizing_twice_changes_nothing(make) -> None:
    once = normalize_document(make())
    assert normalize_document(as_raw(once)) == once


BLOCK_TEXT = st.builds(
    "".join,
    st.lists(
        st.sampled_from([*"aBc đỘ hoà 1.,;:-+\u00a0\u200b–“”\n\t\u0301", "1. ", "a) ", "- ", "tổ"]),
        max_size=12,
    ),
)


@settings(deadline=None)  # a loaded CI machine must not fail it on time
@given(st.lists(st.tuples(BLOCK_TEXT, st.sampled_from([P, L, H]), st.booleans()), max_size=6))
def test_normalizing_twice_changes_nothing_for_any_blocks(specs) -> None:
    raw = raw_document(*(RawBlock(text=text, kind=kind, starts_page=page) for text, kind, page in specs))
    once = normalize_document(raw)
    assert normalize_document(as_raw(once)) == once
    assert_spans_exact(once)


# -- a symbol or a number cut at a line end, in every reader ----------------------------------------------

WRAPPED_LINES = (
    "Căn cứ Nghị định số 07/2021/NĐ-",
    "CP ngày 31/01/2021 của Chính phủ quy định chuẩn nghèo; Nghị quyết số 12/NQ-",
    "HU ngày 15/3/2022 của Ban Thường vụ Huyện ủy về giảm nghèo bền vững;",
    "Tổng kinh phí thực hiện kế hoạch là 2.405.000.",
    "000 đồng, từ ngân sách xã và nguồn vận động.",
)


def _wrapped_docx(path: Path) -> Path:
    document = WordDocument()
    paragraph = document.add_paragraph()
    for index, line in enumerate(WRAPPED_LINES):
        run = paragraph.add_run(line)
        if index < len(WRAPPED_LINES) - 1:
            run.add_break()
    document.save(path)
    return path


@pytest.mark.parametrize("reader", ["txt", "docx", "pdf"])
def test_symbols_and_numbers_cut_at_a_line_end_are_read_whole(reader: str, tmp_path: Path) -> None:
    """ "07/2021/NĐ-" ⏎ "CP" is Nghị định 07/2021/NĐ-CP, not a citation "07/2021/NĐ"; "2.405.000." ⏎ "000
    đồng" is 2.405.000.000 đồng. The PDF is a Word file printed with those line ends (PDFium reports the
    hyphen before a line end as U+FFFE)."""
    if reader == "txt":
        path = tmp_path / "wrapped.txt"
        path.write_text("KẾ HOẠCH\n" + "\n".join(WRAPPED_LINES) + "\n", encoding="utf-8")
    elif reader == "docx":
        path = _wrapped_docx(tmp_path / "wrapped.docx")
    else:
        path = CASES / "pdf" / "symbol-number-wrap.pdf"
    result = extract_document(path)
    assert sorted(citation.symbol for citation in result.citations) == ["07/2021/NĐ-CP", "12/NQ-HU"]
    assert [amount.value for amount in result.amounts if amount.kind == "money"] == [2_405_000_000]
