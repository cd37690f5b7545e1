"""The tables stage on small grids: headers, text-export merges, row kinds, continued tables, captions.

Each grid is built the way a reader builds it: ``text_grid`` like the TXT reader (no merges, ragged rows),
``word_grid`` like the DOCX/PDF readers (merged cells with spans).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize.document import table_text
from extractor.structure.plan_text import PlanText
from extractor.tables import build_tables
from extractor.tables.headers import is_column_index_row, looks_like_data_row, read_header_layout
from models.document import Block, BlockKind, Document, SourceInfo, TableCell, TableGrid
from models.provenance import Span
from models.sections import Section
from models.tables import Table

Spec = tuple[int, int, str, int, int]  # row, col, text, row_span, col_span


def text_grid(rows: list[list[str]]) -> TableGrid:
    """A grid as a text export gives it: each written cell in order, no merges, rows of any length."""
    cells = [
        TableCell(row=r, col=c, text=text, line=r + 1)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return TableGrid(n_rows=len(rows), n_cols=max(len(row) for row in rows), cells=cells)


def word_grid(specs: list[Spec], n_rows: int, n_cols: int) -> TableGrid:
    cells = [TableCell(row=r, col=c, text=t, row_span=rs, col_span=cs) for r, c, t, rs, cs in specs]
    return TableGrid(n_rows=n_rows, n_cols=n_cols, cells=cells)


def document(*items: str | TableGrid | tuple[TableGrid, int], fmt: str = "txt") -> Document:
    """Blocks in order: a string is a paragraph, a grid a table, (grid, page) a table on a page."""
    blocks, pieces, offset = [], [], 0
    for item in items:
        page = None
        if isinstance(item, tuple):
            item, page = item
        if isinstance(item, TableGrid):
            text, kind, grid = table_text(item), BlockKind.TABLE, item
        else:
            text, kind, grid = item, BlockKind.PARAGRAPH, None
        blocks.append(
            Block(
                kind=kind, text=text, span=Span(start=offset, end=offset + len(text)), page=page, table=grid
            )
        )
        pieces.append(text)
        offset += len(text) + 1
    text = "\n".join(pieces)
    source = SourceInfo(path=f"t.{fmt}", sha256=hashlib.sha256(text.encode()).hexdigest(), format=fmt)
    return Document(source=source, text=text, blocks=blocks)


def only_table(
    *items: str | TableGrid | tuple[TableGrid, int], sections: list[Section] | None = None
) -> Table:
    (table,) = build_tables(PlanText(document(*items), sections or []))
    return table


def values(table: Table, row: int) -> list[object]:
    return [cell.value if cell.value is not None else cell.raw for cell in table.rows[row].cells]


# A two-level header as Word holds it, and as two text exports write it.
WORD_TWO_LEVEL = word_grid(
    [
        (0, 0, "TT", 2, 1),
        (0, 1, "Thôn", 2, 1),
        (0, 2, "Tổng số hộ", 2, 1),
        (0, 3, "Hộ nghèo đầu năm 2024", 1, 2),
        (0, 5, "Hộ nghèo cuối năm 2024", 1, 2),
        (1, 3, "TS", 1, 1),
        (1, 4, "%", 1, 1),
        (1, 5, "TS", 1, 1),
        (1, 6, "%", 1, 1),
        (2, 0, "1", 1, 1),
        (2, 1, "Bản Mé", 1, 1),
        (2, 2, "200", 1, 1),
        (2, 3, "10", 1, 1),
        (2, 4, "5,00", 1, 1),
        (2, 5, "8", 1, 1),
        (2, 6, "4,00", 1, 1),
        (3, 0, "2", 1, 1),
        (3, 1, "Bản Pá", 1, 1),
        (3, 2, "100", 1, 1),
        (3, 3, "4", 1, 1),
        (3, 4, "4,00", 1, 1),
        (3, 5, "3", 1, 1),
        (3, 6, "3,00", 1, 1),
        (4, 0, "Toàn xã", 1, 2),
        (4, 2, "300", 1, 1),
        (4, 3, "14", 1, 1),
        (4, 4, "4,67", 1, 1),
        (4, 5, "11", 1, 1),
        (4, 6, "3,67", 1, 1),
    ],
    5,
    7,
)
BODY = [
    ["1", "Bản Mé", "200", "10", "5,00", "8", "4,00"],
    ["2", "Bản Pá", "100", "4", "4,00", "3", "3,00"],
]
# Seed 001's export: the group row written once per group, the total row one cell short.
CELL_PER_LINE = text_grid(
    [
        ["TT", "Thôn", "Tổng số hộ", "Hộ nghèo đầu năm 2024", "Hộ nghèo cuối năm 2024"],
        ["", "", "", "TS", "%", "TS", "%"],
        *BODY,
        ["Toàn xã", "300", "14", "4,67", "11", "3,67"],
    ]
)
# Seed 002's export: a merged cell followed by empty cells.
TAB_SEPARATED = text_grid(
    [
        ["TT", "Thôn", "Tổng số hộ", "Hộ nghèo đầu năm 2024", "", "Hộ nghèo cuối năm 2024", ""],
        ["", "", "", "TS", "%", "TS", "%"],
        *BODY,
        ["", "Toàn xã", "300", "14", "4,67", "11", "3,67"],
    ]
)


@pytest.mark.parametrize(
    "grid", [WORD_TWO_LEVEL, CELL_PER_LINE, TAB_SEPARATED], ids=["word", "per-line", "tabs"]
)
def test_two_header_rows_flatten_into_group_paths_whatever_the_format(grid: TableGrid) -> None:
    table = only_table("Chỉ tiêu giao các bản", grid)
    assert [column.path for column in table.columns] == [
        ["TT"],
        ["Thôn"],
        ["Tổng số hộ"],
        ["Hộ nghèo đầu năm 2024", "TS"],
        ["Hộ nghèo đầu năm 2024", "%"],
        ["Hộ nghèo cuối năm 2024", "TS"],
        ["Hộ nghèo cuối năm 2024", "%"],
    ]
    assert [column.role for column in table.columns] == [
        "ordinal",
        "label",
        "total_households",
        "poor_start",
        "percent",
        "poor_end",
        "percent",
    ]
    assert [(row.label, row.kind) for row in table.rows] == [
        ("Bản Mé", "unit"),
        ("Bản Pá", "unit"),
        ("Toàn xã", "total"),
    ]
    assert values(table, 2)[2:] == [300, 14, 4.67, 11, 3.67]
    assert table.per_unit and table.caption == "Chỉ tiêu giao các bản"


def test_three_header_rows_and_the_column_index_row() -> None:
    grid = text_grid(
        [
            ["TT", "Tổ dân phố", "Tổng số hộ dân cư", "HỘ NGHÈO", "", "", ""],
            ["", "", "", "Phê duyệt cuối năm 2023", "", "Cuối năm 2024", ""],
            ["", "", "", "Số hộ", "Tỷ lệ %", "Số hộ", "Tỷ lệ %"],
            ["A", "B", "1", "2", "3", "4", "5"],
            ["1", "TDP 1", "1.200", "12", "1.00", "10", "0.83"],
            ["2", "TDP 2", "800", "8", "1.00", "6", "0.75"],
            ["", "Cộng", "2.000", "20", "1.00", "16", "0.80"],
        ]
    )
    table = only_table(grid)
    assert table.columns[6].path == ["HỘ NGHÈO", "Cuối năm 2024", "Tỷ lệ %"]
    assert table.columns[3].role == "poor_start" and table.columns[5].role == "poor_end"
    assert len(table.rows) == 3 and table.rows[0].label == "TDP 1"
    assert values(table, 2)[2:] == [2000, 20, 1.0, 16, 0.8]
    assert table.columns[2].decimal_convention == "vi" and table.columns[4].decimal_convention == "en"


def test_header_ends_where_numbers_start_not_after_a_fixed_count() -> None:
    one_row = only_table(
        text_grid([["TT", "Thôn", "Số hộ nghèo"], ["1", "Nà Lừa", "5"], ["2", "Nà Mòn", "7"]])
    )
    assert [column.path for column in one_row.columns] == [["TT"], ["Thôn"], ["Số hộ nghèo"]]
    assert len(one_row.rows) == 2
    no_header = only_table(text_grid([["1", "Nà Lừa", "5"], ["2", "Nà Mòn", "7"]]))
    assert [column.path for column in no_header.columns] == [[], [], []]
    assert [row.label for row in no_header.rows] == ["Nà Lừa", "Nà Mòn"]


@pytest.mark.parametrize(
    ("texts", "is_index"),
    [
        (["A", "B", "I", "2", "3", "4"], True),
        (["A", "B", "1", "2", "3"], True),
        (["(1)", "(2)", "(3)", "(4)=(2)-(3)"], True),
        (["1", "2", "3", "4", "5"], True),
        (["1", "Cây Tắt", "183", "4"], False),
        (["TS", "%", "TS", "%"], False),
        (["B", "A", "1", "2"], False),
        (["3", "17", "5", "9"], False),
    ],
)
def test_column_index_row(texts: list[str], is_index: bool) -> None:
    assert is_column_index_row(texts) is is_index


@pytest.mark.parametrize(
    ("texts", "is_data"),
    [
        (["1", "Cây Tắt", "183", "4", "2,19"], True),
        (["Tổng cộng", "2471", "51"], True),
        (["Nà Lừa", "5"], True),
        (["TS", "%", "TS", "%"], False),
        (["TT", "Thôn", "2023", "2024"], False),
        (["Phê duyệt cuối năm 2023", "Cuối năm 2024"], False),
        (["", "", ""], False),
    ],
)
def test_data_row_by_content(texts: list[str], is_data: bool) -> None:
    assert looks_like_data_row(texts) is is_data


def test_title_row_inside_the_table_becomes_the_caption() -> None:
    grid = text_grid(
        [
            ["BIỂU CHỈ TIÊU GIẢM NGHÈO NĂM 2024"],
            ["TT", "Thôn", "Số hộ nghèo"],
            ["1", "A", "5"],
            ["2", "B", "7"],
        ]
    )
    layout = read_header_layout(
        [["BIỂU CHỈ TIÊU GIẢM NGHÈO NĂM 2024"], ["TT", "Thôn", "Số hộ nghèo"], ["1", "A", "5"]]
    )
    assert layout.title_rows == (0,) and layout.header_rows == (1,) and layout.data_start == 2
    table = only_table("Căn cứ tình hình thực tế, UBND xã giao chỉ tiêu như sau.", grid)
    assert table.caption == "BIỂU CHỈ TIÊU GIẢM NGHÈO NĂM 2024"
    assert table.columns[2].path == ["Số hộ nghèo"]


# -- rows ------------------------------------------------------------------------------------------------------


def test_row_kinds_units_subtotals_total_and_notes() -> None:
    grid = text_grid(
        [
            ["TT", "Đơn vị", "Số hộ nghèo"],
            ["I", "Khu vực I", "9"],
            ["1", "Thôn 1", "4"],
            ["2", "Thôn 2", "5"],
            ["II", "Khu vực II", ""],
            ["3", "Thôn 3", "6"],
            ["", "Cộng khu vực II", "6"],
            ["", "Tổng cộng", "15"],
            ["Ghi chú: số liệu theo kết quả rà soát cuối năm 2023 của Ban chỉ đạo xã"],
        ]
    )
    table = only_table(grid)
    assert [(row.label, row.kind) for row in table.rows] == [
        ("Khu vực I", "subtotal"),
        ("Thôn 1", "unit"),
        ("Thôn 2", "unit"),
        ("Khu vực II", "note"),
        ("Thôn 3", "unit"),
        ("Cộng khu vực II", "subtotal"),
        ("Tổng cộng", "total"),
        ("Ghi chú: số liệu theo kết quả rà soát cuối năm 2023 của Ban chỉ đạo xã", "note"),
    ]
    assert [row.id for row in table.rows] == [f"r{n}" for n in range(1, 9)]


@pytest.mark.parametrize(
    "label", ["Tổng cộng", "TỔNG CỘNG", "Cộng", "Tổng", "Toàn xã", "Toàn phường", "Tong cong"]
)
def test_total_row_words(label: str) -> None:
    table = only_table(text_grid([["Thôn", "Số hộ"], ["Nà Lừa", "5"], ["Nà Mòn", "7"], [label, "12"]]))
    assert table.rows[-1].kind == "total"
    assert table.per_unit


def test_only_the_last_of_several_totals_is_the_total() -> None:
    table = only_table(
        text_grid(
            [["Thôn", "Số hộ"], ["A", "5"], ["Cộng", "5"], ["B", "7"], ["Cộng", "7"], ["Tổng cộng", "12"]]
        )
    )
    assert [row.kind for row in table.rows] == ["unit", "subtotal", "unit", "subtotal", "total"]


def test_generic_table_without_units_is_still_extracted() -> None:
    grid = text_grid(
        [
            ["STT", "Nội dung", "Kinh phí (triệu đồng)", "Ghi chú"],
            ["1", "Hỗ trợ giống cây trồng", "120,5", ""],
            ["2", "Tập huấn kỹ thuật", "30", "2 lớp"],
        ]
    )
    table = only_table(grid)
    assert not table.per_unit
    assert table.columns[2].role == "money" and table.columns[2].unit == "triệu đồng"
    assert [cell.type for cell in table.rows[0].cells] == ["number", "text", "money", "empty"]
    assert table.rows[0].cells[2].value == 120.5 and table.rows[0].cells[2].decimals == 1
    assert table.columns[3].role == "other" and table.rows[1].cells[3].type == "text"


def test_dashes_are_empty_not_zero() -> None:
    table = only_table(text_grid([["Thôn", "Số hộ nghèo", "Tỷ lệ %"], ["A", "-", "-"], ["B", "3", "1,5"]]))
    dash = table.rows[0].cells[1]
    assert (dash.raw, dash.value, dash.type) == ("-", None, "empty")


def test_layout_grids_and_lists_in_disguise_are_not_tables() -> None:
    layout = TableGrid(
        n_rows=2,
        n_cols=2,
        layout=True,
        cells=[TableCell(row=0, col=0, text="UBND XÃ A"), TableCell(row=1, col=1, text="Số: 5")],
    )
    one_cell_rows = text_grid([["- Tuyên truyền"], ["- Hỗ trợ vốn"], ["- Kiểm tra"]])
    assert build_tables(PlanText(document(layout, one_cell_rows))) == []


# -- tables continued on the next page ---------------------------------------------------------------------


def test_a_table_continued_on_the_next_page_is_one_table() -> None:
    header = [["TT", "Thôn", "Số hộ nghèo"], ["A", "B", "1"]]
    first = text_grid([*header, ["1", "Nà Lừa", "5"], ["2", "Nà Mòn", "7"]])
    repeated_header = text_grid([*header, ["3", "Nà Sài", "2"], ["", "Tổng", "14"]])
    bare = text_grid([["3", "Nà Sài", "2"], ["", "Tổng", "14"]])
    for continuation in (repeated_header, bare):
        table = only_table("Chỉ tiêu cho các thôn", (first, 3), (continuation, 4))
        assert [row.label for row in table.rows] == ["Nà Lừa", "Nà Mòn", "Nà Sài", "Tổng"]
        assert [row.id for row in table.rows] == ["r1", "r2", "r3", "r4"]
        assert table.rows[-1].kind == "total" and table.rows[-1].cells[2].value == 14
        assert table.rows[2].cells[1].provenance.page == 4
    two_tables = build_tables(PlanText(document((first, 3), "Biểu 2", (bare, 4))))
    assert len(two_tables) == 2


# -- caption and section ----------------------------------------------------------------------------------


def test_caption_skips_the_unit_line_and_strips_the_list_label() -> None:
    grid = text_grid([["Thôn", "Số hộ"], ["A", "5"], ["B", "7"]])
    table = only_table("b) Chỉ tiêu cụ thể cho các thôn:", "Đơn vị tính: hộ", grid)
    assert table.caption == "Chỉ tiêu cụ thể cho các thôn"
    prose = only_table(
        "Ủy ban nhân dân xã giao chỉ tiêu giảm nghèo cho các thôn theo bảng dưới đây, đề nghị các thôn triển khai.",
        grid,
    )
    assert prose.caption is None


def test_section_is_the_innermost_section_holding_the_table() -> None:
    grid = text_grid([["Thôn", "Số hộ"], ["A", "5"], ["B", "7"]])
    doc = document("II. CHỈ TIÊU", "2. Chỉ tiêu cụ thể", grid)
    child = Section(
        id="s1.1",
        numbering="2",
        heading="Chỉ tiêu cụ thể",
        level=2,
        kinds=["targets"],
        span=Span(start=doc.blocks[1].span.start, end=len(doc.text)),
        heading_span=doc.blocks[1].span,
    )
    parent = Section(
        id="s1",
        numbering="II",
        heading="CHỈ TIÊU",
        level=1,
        kinds=["targets"],
        span=Span(start=0, end=len(doc.text)),
        heading_span=doc.blocks[0].span,
        children=[child],
    )
    (table,) = build_tables(PlanText(doc, [parent]))
    assert table.section_id == "s1.1" and table.caption == "Chỉ tiêu cụ thể"


# -- generated headers ------------------------------------------------------------------------------------

GROUP_NAMES = st.sampled_from(
    [
        "Hộ nghèo đầu năm 2024",
        "Giảm hộ nghèo",
        "Hộ nghèo cuối năm 2024",
        "Hộ cận nghèo đầu năm",
        "Hộ CN cuối năm",
    ]
)
LEAVES = st.lists(st.sampled_from(["TS", "%", "Số hộ", "Tỷ lệ %"]), min_size=2, max_size=3, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(GROUP_NAMES, min_size=1, max_size=5, unique=True), leaves=LEAVES, units=st.integers(2, 5)
)
def test_generated_two_level_headers_read_the_same_from_word_and_both_text_exports(
    groups: list[str], leaves: list[str], units: int
) -> None:
    width = 2 + len(groups) * len(leaves)
    specs: list[Spec] = [(0, 0, "TT", 2, 1), (0, 1, "Thôn", 2, 1)]
    for number, group in enumerate(groups):
        specs.append((0, 2 + number * len(leaves), group, 1, len(leaves)))
        specs.extend((1, 2 + number * len(leaves) + k, leaf, 1, 1) for k, leaf in enumerate(leaves))
    body = [[str(u + 1), f"Thôn {u + 1}", *[str(7 * u + c) for c in range(width - 2)]] for u in range(units)]
    specs.extend((2 + r, c, text, 1, 1) for r, row in enumerate(body) for c, text in enumerate(row))
    word = word_grid(specs, 2 + units, width)
    per_line = text_grid([["TT", "Thôn", *groups], ["", "", *(leaves * len(groups))], *body])
    spread = [text for group in groups for text in [group] + [""] * (len(leaves) - 1)]
    tabs = text_grid([["TT", "Thôn", *spread], ["", "", *(leaves * len(groups))], *body])
    expected = [["TT"], ["Thôn"], *([group, leaf] for group in groups for leaf in leaves)]
    for grid in (word, per_line, tabs):
        table = only_table(grid)
        assert [column.path for column in table.columns] == expected
        assert [row.label for row in table.rows] == [f"Thôn {u + 1}" for u in range(units)]
