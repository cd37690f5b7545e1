"""The identities a table declares: index-row formulas, percents and totals read from headers or found in the
numbers, and which rows add up which (tables stage: index_row.py, formulas.py, hierarchy.py).

Each table below is written as a text export carries it (one row a line, cells between tabs), read through
``extract_document`` with no roles given; the numbers were worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import extract_document
from extractor.tables.index_row import read_index_row
from models.extracted import ExtractedDocument
from models.tables import Table


def read_table(tmp_path: Path, *rows: str) -> tuple[Table, ExtractedDocument]:
    path = tmp_path / "plan.txt"
    body = "\n".join(rows)
    path.write_text(
        f"KẾ HOẠCH\nThực hiện chỉ tiêu năm 2025\nBiểu 1: Chỉ tiêu các đơn vị\n{body}\nCác đơn vị báo cáo.\n"
    )
    document = extract_document(path)
    (table,) = document.tables
    return table, document


def sums_by_label(table: Table) -> dict[str, list[str]]:
    labels = {row.id: row.label for row in table.rows}
    return {labels[s.row_id]: [labels[part] for part in s.parts] for s in table.sums}


def table_findings(document: ExtractedDocument) -> list[tuple[str, str, str | None]]:
    """(rule, severity, stated) of the findings that point at a table cell."""
    return [(f.rule, f.severity, f.stated) for f in document.findings if f.location.table_id]


# -- the column-index row ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        # (column, plus, minus, over, percent)
        (["A", "B", "(1)", "(2)", "(3)=(1)+(2)"], [(4, (2, 3), (), (), False)]),
        (["A", "B", "1", "2", "3", "4=3/2×100"], [(5, (4,), (), (3,), True)]),
        (["A", "B", "1", "2", "3", "4", "5", "6", "7=3+5-6"], [(8, (4, 6), (7,), (), False)]),
        (["TT", "B", "(1)", "(2)", "(3)=[(1)+(2)]/(1)×100"], [(4, (2, 3), (), (2,), True)]),
        (["A", "B", "(1)", "(2)", "(3)=(2)*100/(1)"], [(4, (3,), (), (2,), True)]),
        (["A", "B", "I", "2", "3"], []),  # seed 002's index row: marks only
    ],
)
def test_index_row_formulas(marks: list[str], expected: list[tuple]) -> None:
    formulas = read_index_row(marks).formulas
    assert [(f.column, f.plus, f.minus, f.over, f.percent) for f in formulas] == expected


def test_a_formula_of_another_shape_is_kept_as_not_understood() -> None:
    (formula,) = read_index_row(["A", "B", "1", "2", "3=1x2"]).formulas
    assert not formula.understood and formula.written == "3=1x2"


def test_an_index_row_formula_is_checked_in_every_row(tmp_path: Path) -> None:
    table, document = read_table(
        tmp_path,
        "TT\tXã\tĐầu năm\tGiảm\tCuối năm",
        "A\tB\t(1)\t(2)\t(3)=(1)-(2)",
        "1\tXã A\t20\t5\t15",
        "2\tXã B\t30\t4\t27",  # 30 - 4 = 26
        "\tTổng cộng\t50\t9\t42",
    )
    (formula,) = [f for f in table.formulas if f.basis == "index_row"]
    assert (formula.column, formula.plus, formula.minus, formula.kind) == (4, [2], [3], "formula")
    assert ("formula.index", "error", "27") in table_findings(document)


# -- row sums: groups before or after their units ---------------------------------------------------------


def test_group_rows_before_their_units_with_the_total_on_top(tmp_path: Path) -> None:
    table, document = read_table(
        tmp_path,
        "TT\tĐơn vị\tDân số\tSố người tham gia BHYT\tTỷ lệ (%)",
        "A\tB\t(1)\t(2)\t(3)=(2)/(1)×100",
        "\tToàn tỉnh\t10.000\t9.000\t90,00",
        "I\tKhu vực I\t6.000\t5.500\t91,67",
        "1\tHuyện A\t2.000\t1.900\t95,00",
        "2\tHuyện B\t4.000\t3.600\t90,00",
        "II\tKhu vực II\t4.000\t3.500\t87,50",
        "3\tHuyện C\t1.500\t1.300\t86,67",
        "4\tHuyện D\t2.500\t2.200\t88,00",
    )
    assert sums_by_label(table) == {
        "Khu vực I": ["Huyện A", "Huyện B"],
        "Khu vực II": ["Huyện C", "Huyện D"],
        "Toàn tỉnh": ["Khu vực I", "Khu vực II"],
    }
    assert all(s.certain for s in table.sums)
    assert table_findings(document) == []


def test_subtotals_after_their_units(tmp_path: Path) -> None:
    table, document = read_table(
        tmp_path,
        "TT\tXã\tTổng số hộ\tSố hộ nghèo\tTỷ lệ %",
        "1\tXã A\t1.000\t50\t5,00",
        "2\tXã B\t500\t20\t4,00",
        "\tCộng khu vực I\t1.500\t70\t4,67",
        "3\tXã C\t800\t40\t5,00",
        "4\tXã D\t700\t35\t5,00",
        "\tCộng khu vực II\t1.500\t75\t5,00",
        "\tTổng cộng\t3.000\t145\t4,83",
    )
    assert sums_by_label(table) == {
        "Cộng khu vực I": ["Xã A", "Xã B"],
        "Cộng khu vực II": ["Xã C", "Xã D"],
        "Tổng cộng": ["Cộng khu vực I", "Cộng khu vực II"],
    }
    assert table_findings(document) == []


def test_a_subtotal_missing_a_unit_is_the_error_not_the_total(tmp_path: Path) -> None:
    """Cộng khu vực II says 35 = Xã D only; the total 145 is the sum of the four units: one error."""
    _, document = read_table(
        tmp_path,
        "TT\tXã\tSố hộ nghèo",
        "1\tXã A\t50",
        "2\tXã B\t20",
        "\tCộng khu vực I\t70",
        "3\tXã C\t40",
        "4\tXã D\t35",
        "\tCộng khu vực II\t35",
        "\tTổng cộng\t145",
    )
    assert table_findings(document) == [("sum.column", "error", "35")]


def test_units_named_like_groups_are_units(tmp_path: Path) -> None:
    """ "Cụm công nghiệp Tân Dĩnh" is one cluster: the table has no groups, its total adds the clusters."""
    table, document = read_table(
        tmp_path,
        "TT\tCụm công nghiệp\tDiện tích (ha)\tSố doanh nghiệp",
        "1\tCụm công nghiệp Tân Dĩnh\t50\t12",
        "2\tCụm công nghiệp Non Sáng\t40\t8",
        "3\tCụm công nghiệp Hương Sơn\t30\t5",
        "\tTổng cộng\t120\t25",
    )
    assert [row.kind for row in table.rows] == ["unit", "unit", "unit", "total"]
    assert table_findings(document) == []


def test_a_detail_row_is_not_a_part_of_the_total(tmp_path: Path) -> None:
    table, document = read_table(
        tmp_path,
        "TT\tNội dung\tKinh phí (triệu đồng)",
        "1\tXây dựng đường\t1.200",
        "\tTrong đó: vốn sự nghiệp\t200",
        "2\tNhà văn hóa\t800",
        "\tTổng cộng\t2.000",
    )
    assert [row.kind for row in table.rows] == ["unit", "detail", "unit", "total"]
    assert table_findings(document) == []


# -- row formulas from headers and numbers ----------------------------------------------------------------


def test_a_total_column_over_its_year_columns(tmp_path: Path) -> None:
    table, document = read_table(
        tmp_path,
        "TT\tXã\tNăm 2024\tNăm 2025\tNăm 2026\tTổng 3 năm",
        "1\tXã A\t2\t3\t1\t6",
        "2\tXã B\t1\t1\t2\t4",
        "3\tXã C\t3\t2\t2\t8",  # 3 + 2 + 2 = 7
        "\tCộng\t6\t6\t5\t18",
    )
    (formula,) = table.formulas
    assert (formula.kind, formula.column, formula.plus) == ("sum", 5, [2, 3, 4])
    assert ("sum.row", "error", "8") in table_findings(document)


def test_a_percent_whose_header_names_no_count_is_read_from_the_numbers(tmp_path: Path) -> None:
    """ "Tỷ lệ" beside three counts: 30/600, 45/900, 20/500 (and the total) say it is the second count
    over the first; the one row they do not explain is the finding."""
    table, document = read_table(
        tmp_path,
        "TT\tThôn\tSố hộ\tSố hộ dùng nước sạch\tSố hộ có nhà tiêu\tTỷ lệ",
        "1\tThôn A\t600\t30\t410\t5,00",
        "2\tThôn B\t900\t45\t600\t5,00",
        "3\tThôn C\t500\t20\t350\t4,00",
        "4\tThôn D\t400\t30\t300\t8,50",  # 30 / 400 = 7,50
        "\tCộng\t2.400\t125\t1.660\t5,21",
    )
    (formula,) = [f for f in table.formulas if f.kind == "percent"]
    assert (formula.plus, formula.over, formula.basis, formula.certain) == ([3], [2], "numbers", True)
    assert ("percent.table", "error", "8,50") in table_findings(document)


def test_percents_of_persons_over_persons_beside_households(tmp_path: Path) -> None:
    """ "Tỷ lệ %" after the persons count is over the persons, not over the households."""
    table, document = read_table(
        tmp_path,
        "TT\tThôn\tSố hộ\tSố khẩu\tSố khẩu có BHYT\tTỷ lệ %",
        "1\tThôn A\t200\t800\t760\t95,00",
        "2\tThôn B\t150\t600\t540\t90,00",
        "3\tThôn C\t100\t400\t392\t98,00",
        "\tCộng\t450\t1.800\t1.692\t94,00",
    )
    (formula,) = [f for f in table.formulas if f.kind == "percent"]
    assert (formula.plus, formula.over) == ([4], [3])
    assert table_findings(document) == []


def test_units_numbered_like_groups_are_units(tmp_path: Path) -> None:
    """ "Khối 8" beside "Khối 1" … "Khối 7" and "Tiểu khu Tân Hợp" is one more unit: read as a group row it
    would sum the unit after it, and nothing would add up."""
    table, document = read_table(
        tmp_path,
        "TT\tĐơn vị\tTổng số hộ\tSố hộ nghèo",
        "1\tKhối 1\t312\t5",
        "2\tKhối 2\t285\t4",
        "3\tKhối 3\t247\t9",
        "4\tTiểu khu Tân Hợp\t312\t11",
        "\tCộng\t1.156\t29",
    )
    assert [row.kind for row in table.rows] == ["unit", "unit", "unit", "unit", "total"]
    assert table.per_unit
    assert table_findings(document) == []


def test_a_column_named_like_a_unit_but_holding_numbers_is_no_label(tmp_path: Path) -> None:
    """ "Số xã, phường, thị trấn" counts communes: the row is named "Huyện Sơn Hà", not "Huyện Sơn Hà 14"."""
    table, document = read_table(
        tmp_path,
        "TT\tĐơn vị\tSố xã, phường, thị trấn\tDân số\tSố người tham gia BHYT",
        "1\tHuyện Sơn Hà\t14\t76.430\t72.496",
        "2\tHuyện Sơn Tây\t9\t21.950\t21.200",
        "\tCộng\t23\t98.380\t93.696",
    )
    assert [row.label for row in table.rows] == ["Huyện Sơn Hà", "Huyện Sơn Tây", "Cộng"]
    assert table.columns[2].additive and table_findings(document) == []


def test_group_rows_named_without_a_mark_or_a_number(tmp_path: Path) -> None:
    """ "Khu vực phía Bắc" has no ordinal among numbered units: the numbers show it sums the units under it."""
    table, document = read_table(
        tmp_path,
        "STT\tThôn\tTổng số hộ dân cư\tSố hộ nghèo",
        "\tToàn xã\t1.100\t20",
        "\tKhu vực phía Bắc\t500\t8",
        "1\tThôn Co Muông\t200\t5",
        "2\tThôn Bản Vặt\t300\t3",
        "\tKhu vực phía Nam\t600\t12",
        "1\tThôn Pù Lầu\t250\t4",
        "2\tThôn Phú Lộc\t350\t8",
    )
    assert sums_by_label(table)["Toàn xã"] == ["Khu vực phía Bắc", "Khu vực phía Nam"]
    assert table_findings(document) == []


def test_a_share_written_without_its_sign_is_found_in_the_numbers(tmp_path: Path) -> None:
    """ "Kết quả" over "58,80": no header word and no "%", but 1.002 / 1.704 and the other rows say it is a
    share of "Đã thực hiện" over "Tổng số"; the total row's is wrong."""
    table, document = read_table(
        tmp_path,
        "TT\tXã, thị trấn\tTổng số\tĐã thực hiện\tKết quả",
        "1\tThị trấn Pù Lầu\t1.704\t1.002\t58,80",
        "2\tXã Nà Mòn\t1.130\t1.069\t94,60",
        "3\tXã Vĩnh Phúc\t607\t216\t35,58",
        "\tCộng\t3.441\t2.287\t46,66",  # 2.287 / 3.441 = 66,46
    )
    (formula,) = [f for f in table.formulas if f.kind == "percent"]
    assert (formula.plus, formula.over, formula.basis) == ([3], [2], "numbers")
    assert ("percent.table", "error", "46,66") in table_findings(document)
