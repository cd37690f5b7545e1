"""Column meaning from header words (tolerant of case and lost diacritics), and every vocabulary entry reached."""

from __future__ import annotations

import pytest

from extractor import data
from extractor.tables.cells import type_cell
from extractor.tables.rows import is_partial_sum_label, is_total_label
from extractor.tables.semantics import read_column_meaning
from extractor.tables.vocabulary import household_groups, money_unit_words
from tests.test_tables_build import only_table, text_grid

WORDS = data.table_words()
MEASURE_WORDS = {
    "percent": WORDS.measures.percent,
    "money": [*WORDS.measures.money, *money_unit_words()],
    "count": WORDS.measures.count,
}


@pytest.mark.parametrize(
    ("path", "measure", "population", "stage"),
    [
        (["Hộ nghèo đầu năm 2021", "TS"], "count", "poor", "start"),
        (["Hộ nghèo đầu năm 2021", "%"], "percent", "poor", "start"),
        (["Giảm hộ nghèo trong năm 2021", "TS"], "count", "poor", "reduction"),
        (["Hộ CN cuối năm 2021", "%"], "percent", "near_poor", "end"),
        (["Giảm CN trong năm 2021", "TS"], "count", "near_poor", "reduction"),
        (["HỘ NGHÈO", "Phê duyệt cuối năm 2023", "Số hộ"], "count", "poor", "start"),
        (["HỘ NGHÈO", "Có khả năng thoát nghèo 2024", "Tỷ lệ %"], "percent", "poor", "reduction"),
        (["HỘ CẬN NGHÈO", "Có khả năng thoát cận nghèo 2024", "Số hộ"], "count", "near_poor", "reduction"),
        (["HỘ CẬN NGHÈO", "Cuối năm 2024", "Tỷ lệ %"], "percent", "near_poor", "end"),
        (["Hộ nghèo phát sinh mới", "Số hộ"], "count", "poor", "new"),
        # OCR lost the diacritics, the export changed the case: the same meaning.
        (["HO NGHEO CUOI NAM 2024", "TY LE %"], "percent", "poor", "end"),
        (["hộ cận nghèo đầu năm", "số hộ"], "count", "near_poor", "start"),
        # Words that only look like the vocabulary: "CNTT" is not "CN", "đồng bào" is no money.
        (["Số hộ có máy tính CNTT"], "count", None, None),
        (["Số hộ đồng bào DTTS"], "count", None, None),
    ],
)
def test_header_words_give_measure_population_and_stage(path, measure, population, stage) -> None:
    meaning = read_column_meaning(path)
    assert (meaning.measure, meaning.population, meaning.stage) == (measure, population, stage)


def test_total_households_is_not_a_count_of_poor_households() -> None:
    assert read_column_meaning(["Tổng số hộ gia đình"]).total_households
    assert read_column_meaning(["Tổng số hộ dân cư"]).total_households
    assert not read_column_meaning(["Tổng số hộ nghèo"]).total_households


def test_the_earlier_year_end_count_is_the_start() -> None:
    grid = text_grid(
        [
            ["TT", "Thôn", "Tổng số hộ", "Hộ nghèo cuối năm 2023", "Hộ nghèo cuối năm 2024"],
            ["1", "A", "100", "5", "4"],
            ["2", "B", "200", "6", "5"],
        ]
    )
    table = only_table(grid)
    assert [column.role for column in table.columns[3:]] == ["poor_start", "poor_end"]


def test_roles_come_from_words_not_from_positions() -> None:
    """The same columns in another order keep their roles and links."""
    grid = text_grid(
        [
            ["Thôn", "Hộ nghèo cuối năm", "", "Tổng số hộ", "Hộ nghèo đầu năm", ""],
            ["", "%", "Số hộ", "", "Số hộ", "%"],
            ["A", "2,00", "2", "100", "3", "3,00"],
            ["B", "1,00", "2", "200", "4", "2,00"],
        ]
    )
    table = only_table(grid)
    roles = [column.role for column in table.columns]
    assert roles == ["label", "percent", "poor_end", "total_households", "poor_start", "percent"]
    assert (table.columns[1].count_column, table.columns[1].base_column) == (2, 3)
    assert (table.columns[5].count_column, table.columns[5].base_column) == (4, 3)


# -- every vocabulary entry leads to its meaning ----------------------------------------------------------


@pytest.mark.parametrize("word", WORDS.ordinal_headers)
def test_ordinal_header_words(word: str) -> None:
    # Ordinals that do not count up: only the header can say this is the ordinal column.
    table = only_table(text_grid([[word, "Thôn", "Số hộ"], ["7", "A", "5"], ["3", "B", "6"]]))
    assert table.columns[0].role == "ordinal"


@pytest.mark.parametrize("word", WORDS.label_headers)
def test_label_header_words(word: str) -> None:
    # Units named by numbers ("Tổ 12" written "12"): only the header can say this is the label column.
    table = only_table(text_grid([["TT", word, "Số hộ nghèo"], ["1", "12", "5"], ["2", "15", "6"]]))
    assert table.columns[1].role == "label"


@pytest.mark.parametrize("word", WORDS.total_labels)
def test_total_label_words(word: str) -> None:
    assert is_total_label(word) and is_total_label(word.upper())


@pytest.mark.parametrize("word", WORDS.subtotal_label_starts)
def test_subtotal_label_words(word: str) -> None:
    assert is_partial_sum_label(f"{word} khu vực 2")
    assert not is_partial_sum_label("Khu vực 2")


@pytest.mark.parametrize("mark", WORDS.empty_marks)
def test_empty_marks(mark: str) -> None:
    assert type_cell(mark, "count", "vi").type == "empty"


@pytest.mark.parametrize(
    ("measure", "word"),
    [(measure, word) for measure, words in MEASURE_WORDS.items() for word in words],
)
def test_measure_words(measure: str, word: str) -> None:
    assert read_column_meaning(["Năm 2024", word]).measure == measure


@pytest.mark.parametrize("phrase", WORDS.money_exclusions)
def test_money_exclusions(phrase: str) -> None:
    assert read_column_meaning([f"Số hộ {phrase}"]).measure == "count"


@pytest.mark.parametrize(
    ("population", "word"),
    [(population, word) for population, words in household_groups().items() for word in words],
)
def test_population_words(population: str, word: str) -> None:
    assert read_column_meaning([f"Số {word}"]).population == population


@pytest.mark.parametrize(
    ("stage", "word"), [(stage, word) for stage, words in WORDS.stages.model_dump().items() for word in words]
)
def test_stage_words(stage: str, word: str) -> None:
    assert read_column_meaning([f"Hộ nghèo {word} 2024", "Số hộ"]).stage == stage


@pytest.mark.parametrize("word", WORDS.total_households)
def test_total_household_words(word: str) -> None:
    assert read_column_meaning([word]).total_households


@pytest.mark.parametrize(("written", "unit"), money_unit_words().items())
def test_money_unit_words(written: str, unit: str) -> None:
    meaning = read_column_meaning([f"Kinh phí ({written})"])
    assert (meaning.measure, meaning.money_unit) == ("money", unit)
