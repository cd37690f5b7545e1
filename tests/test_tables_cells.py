"""Typed cells and the per-column reading of "." and ",", by examples from plans and generated tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.tables.cells import choose_convention, table_convention, type_cell, type_text_cell
from tests.test_tables_build import only_table, text_grid


@pytest.mark.parametrize(
    ("raw", "measure", "convention", "expected"),
    [
        ("1,94%", None, None, (1.94, 2, "percent")),
        ("2,06 %", "count", "vi", (2.06, 2, "percent")),
        ("1,90", "percent", "vi", (1.9, 2, "percent")),
        ("0", "percent", "vi", (0, 0, "percent")),
        ("0.69", "percent", "en", (0.69, 2, "percent")),
        ("06", "count", None, (6, 0, "count")),
        ("1.011", "count", "vi", (1011, 0, "count")),
        ("1.011", "count", "en", (1.011, 3, "number")),
        ("2 471", "count", None, (2471, 0, "count")),
        ("2.405.000", "money", "vi", (2405000, 0, "money")),
        ("12,5", None, "vi", (12.5, 1, "number")),
        ("-", "count", "vi", (None, 0, "empty")),
        ("", "percent", None, (None, 0, "empty")),
        ("Cây Tắt", "count", None, (None, 0, "text")),
        ("5 hộ", "count", None, (None, 0, "text")),
    ],
)
def test_type_cell(raw: str, measure, convention, expected) -> None:
    typed = type_cell(raw, measure, convention)
    assert (typed.value, typed.decimals, typed.type) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", (1, "number")), ("12", (12, "number")), ("Cây Tắt", (None, "text")), ("", (None, "empty"))],
)
def test_label_column_cells(raw: str, expected) -> None:
    typed = type_text_cell(raw)
    assert (typed.value, typed.type) == expected


@pytest.mark.parametrize(
    ("units", "totals", "measure", "hint", "expected"),
    [
        # Seed 002: households with a thousands dot, checked by the total row.
        (["1.011", "494", "802", "430", "254"], ["2.991"], "count", "en", "vi"),
        # Seed 002: percents with a decimal dot ("0.69" cannot group thousands).
        (["0.69", "0.00", "0.87", "1.00"], ["0.57"], "percent", None, "en"),
        # Seed 001: a decimal comma.
        (["2,19", "0", "1,90"], ["2,06"], "percent", None, "vi"),
        # Only whole numbers: nothing to decide.
        (["183", "129"], ["312"], "count", None, None),
        # No total row: a count is whole ("1,011" households is 1011 in English style).
        (["1,011", "2,500"], [], "count", None, "en"),
        # A percent is at most 100.
        (["1.011", "2.500"], [], "percent", None, "en"),
        # The total decides when the header says nothing.
        (["1.200", "800"], ["2.000"], None, "en", "vi"),
        # Nothing decides: the table's other numbers do.
        (["1.200", "800"], [], None, "en", "en"),
        (["1.200", "800"], [], None, None, "vi"),
    ],
)
def test_choose_convention(units, totals, measure, hint, expected) -> None:
    assert choose_convention(units, totals, measure, hint) == expected


def test_table_convention_by_unambiguous_numerals() -> None:
    assert table_convention(["2,19", "0,77", "1.011"]) == "vi"
    assert table_convention(["0.69", "0.87", "1.011"]) == "en"
    assert table_convention(["183", "1.011"]) is None


def write_grouped(value: int, mark: str) -> str:
    return f"{value:,}".replace(",", mark)


def write_decimal(value: Decimal, mark: str) -> str:
    return f"{value:.2f}".replace(".", mark)


@settings(max_examples=80, deadline=None)
@given(
    households=st.lists(st.integers(100, 30000), min_size=2, max_size=8),
    data=st.data(),
    vietnamese=st.booleans(),
)
def test_generated_tables_read_back_their_values(households: list[int], data, vietnamese: bool) -> None:
    """Households written with a thousands mark and rates with the other mark (either style, as plans mix
    them) read back exactly, and the total row adds up."""
    thousands, decimal = (".", ",") if vietnamese else (",", ".")
    poor = [data.draw(st.integers(0, h // 10)) for h in households]
    rates = [Decimal(p * 100) / h for p, h in zip(poor, households, strict=True)]
    rows = [
        [str(n + 1), f"Thôn {n + 1}", write_grouped(h, thousands), str(p), write_decimal(r, decimal)]
        for n, (h, p, r) in enumerate(zip(households, poor, rates, strict=True))
    ]
    total = [
        "",
        "Tổng cộng",
        write_grouped(sum(households), thousands),
        str(sum(poor)),
        write_decimal(Decimal(sum(poor) * 100) / sum(households), decimal),
    ]
    table = only_table(text_grid([["TT", "Thôn", "Tổng số hộ", "Số hộ nghèo", "Tỷ lệ %"], *rows, total]))
    assert [row.cells[2].value for row in table.rows] == [*households, sum(households)]
    assert all(row.cells[2].type == "count" for row in table.rows)
    for row, rate in zip(table.rows, rates, strict=False):
        cell = row.cells[4]
        assert Decimal(str(cell.value)) == rate.quantize(Decimal("0.01")) and cell.decimals == 2
        assert cell.type == "percent"
    assert table.columns[4].count_column == 3 and table.columns[4].base_column == 2
