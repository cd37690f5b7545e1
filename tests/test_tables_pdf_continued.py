"""A ruled per-village table that runs over a page break, read from PDF, is one table.

Fixtures: ``corpus/cases/pdf-tables/continued-*.pdf``, printed by LibreOffice from the DOCX beside them
(``corpus/cases/pdf-tables/make_fixtures.py``). 28 villages and "Tổng cộng"; the page breaks after village 19.
``continued-repeated-header`` repeats the two header rows at the top of page 2, ``continued-no-header`` does
not. The expected values below were read off the DOCX tables (the numbers add up: 10770 households, 596
poor, 596 / 10770 = 5,53 %).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extractor import extract_document
from models.tables import Row, Table

FIXTURES = Path(__file__).resolve().parent.parent / "corpus" / "cases" / "pdf-tables"
VARIANTS = ["continued-repeated-header.pdf", "continued-no-header.pdf"]

VILLAGES = [
    "Nà Sang", "Huổi Lóng", "Pá Khoang", "Co Mỵ", "Bản Phủ", "Noong Bua", "Tà Lèng", "Nà Nhạn",
    "Huổi Phạ", "Pá Tong", "Nậm Khẩu Hu", "Bản Giáng", "Kéo Hỏm", "Phiêng Ban", "Nà Lơi", "Bản Mển",
    "Púng Bửa", "Hồng Lếch", "Co Thón", "Bản Ten", "Nà Ngam", "Đồi Cao", "Tân Lập", "Hua Ca",
    "Phiêng Ngúa", "Nà Ten", "Bản Kéo", "Tâu Pung",
]  # fmt: skip
LAST_ON_FIRST_PAGE = "Co Thón"  # village 19; "Bản Ten" opens page 2

# (village, total households, poor households, percent) around the page break and at both ends.
SAMPLE_ROWS = [
    ("Nà Sang", 150, 3, 2.0),
    ("Nà Lơi", 184, 29, 15.76),
    ("Co Thón", 261, 31, 11.88),
    ("Bản Ten", 398, 22, 5.53),
    ("Tâu Pung", 552, 26, 4.71),
]
TOTAL = (10770, 596, 5.53)


@cache
def _tables(name: str) -> list[Table]:
    return extract_document(FIXTURES / name).tables


def _table(name: str) -> Table:
    tables = _tables(name)
    assert len(tables) == 1, f"{name}: {len(tables)} tables, expected one joined over the page break"
    return tables[0]


def _numbers(row: Row) -> tuple[object, ...]:
    return tuple(cell.value for cell in row.cells[2:5])


@pytest.mark.parametrize("name", VARIANTS)
def test_one_table_with_every_row_in_order(name: str) -> None:
    table = _table(name)
    assert [row.label for row in table.rows] == [*VILLAGES, "Tổng cộng"]
    assert [row.index for row in table.rows] == list(range(len(VILLAGES) + 1))


@pytest.mark.parametrize("name", VARIANTS)
def test_header_is_read_once_and_not_repeated_as_rows(name: str) -> None:
    table = _table(name)
    assert [column.path for column in table.columns[2:]] == [
        ["Tổng số hộ"],
        ["Hộ nghèo cuối năm 2024", "Số hộ"],
        ["Hộ nghèo cuối năm 2024", "Tỷ lệ %"],
    ]
    header_words = {"TT", "Thôn, bản", "Tổng số hộ", "Số hộ", "Tỷ lệ %", "Hộ nghèo cuối năm 2024"}
    for row in table.rows:
        assert not header_words & {cell.raw for cell in row.cells}, f"header text in row {row.id}"


@pytest.mark.parametrize("name", VARIANTS)
def test_rows_are_typed(name: str) -> None:
    table = _table(name)
    assert [row.kind for row in table.rows] == ["unit"] * len(VILLAGES) + ["total"]
    for number, row in enumerate(table.rows[:-1], start=1):
        ordinal, label, households, poor, percent = row.cells
        assert (ordinal.raw, ordinal.value) == (str(number), number)
        assert (label.type, label.raw) == ("text", VILLAGES[number - 1])
        assert (households.type, poor.type, percent.type) == ("count", "count", "percent")
        assert percent.decimals == 2
    total = table.rows[-1]
    assert total.label == "Tổng cộng"
    assert _numbers(total) == TOTAL
    assert [cell.type for cell in total.cells[2:]] == ["count", "count", "percent"]


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize(("village", "households", "poor", "percent"), SAMPLE_ROWS)
def test_values_survive_the_page_break(
    name: str, village: str, households: int, poor: int, percent: float
) -> None:
    row = next(row for row in _table(name).rows if row.label == village)
    assert _numbers(row) == (households, poor, percent)


@pytest.mark.parametrize("name", VARIANTS)
def test_unit_rows_add_up_to_the_total_row(name: str) -> None:
    """All 28 village rows are present with their numbers: their sums are the written total."""
    rows = _table(name).rows
    assert sum(row.cells[2].value for row in rows[:-1]) == TOTAL[0]
    assert sum(row.cells[3].value for row in rows[:-1]) == TOTAL[1]


@pytest.mark.parametrize("name", VARIANTS)
def test_cells_keep_the_page_they_were_read_on(name: str) -> None:
    rows = _table(name).rows
    split = VILLAGES.index(LAST_ON_FIRST_PAGE) + 1
    assert {cell.provenance.page for row in rows[:split] for cell in row.cells} == {1}
    assert {cell.provenance.page for row in rows[split:] for cell in row.cells} == {2}
    assert all(cell.provenance.bbox is not None for row in rows for cell in row.cells if cell.raw)


@pytest.mark.parametrize("name", VARIANTS)
def test_table_is_per_unit_and_captioned(name: str) -> None:
    table = _table(name)
    assert table.per_unit
    assert table.caption == "Biểu 01: Kết quả rà soát hộ nghèo cuối năm 2024 theo thôn, bản"
    assert table.page == 1
