"""The eval scorer: multiset matching of predicted items to gold items on their keys; metadata field by field;
findings against planted errors; F1; the `khplan eval` command."""

import json
import shutil
from pathlib import Path

import pytest

from extractor.cli import EXIT_OK, EXIT_USAGE, main
from extractor.evaluate import (
    Score,
    column_key,
    date_parts,
    f1_score,
    flat_gold_metadata,
    gold_table_cell_items,
    issuer_key,
    quote_spans,
    row_name,
    score_field,
    score_findings,
    score_keys,
    score_metadata,
    section_items,
    table_cell_items,
    table_header_items,
    text_key,
)
from models import ExtractedDocument, Metadata, PartialDate, Section, Signer, Sourced, SourceInfo
from models.amounts import Amount
from models.findings import CellRef, Finding, Location, Severity
from models.provenance import Span
from models.tables import Column, Row, Table
from models.targets import Indicator, Target, ValueRange
from tests.conftest import CASES, EXPECTED
from tests.factories import make_cell

SPAN = Span(start=0, end=1)


def amount(value: int, unit: str = "đồng", kind: str = "money", per: str | None = None) -> Amount:
    return Amount(id="m", kind=kind, value=value, raw=str(value), unit=unit, per=per, span=SPAN)


def test_amounts_precision_and_recall() -> None:
    predicted = [amount(200_000_000), amount(40_000_000, kind="rate", per="hộ"), amount(5, "hộ", "quantity")]
    gold = [
        {"kind": "money", "value": 200000000, "unit": "đồng", "per": None},
        {"kind": "rate", "value": 40000000, "unit": "đồng", "per": "hộ"},
        {"kind": "money", "value": 2405000000, "unit": "đồng", "per": None},
    ]
    result = score_field("amounts", predicted, gold, "case")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (3, 3, 2)
    assert result.missed == [("money", 2405000000.0, "đồng", None)]
    assert result.spurious == [("quantity", 5.0, "hộ", None)]


def test_a_duplicate_prediction_counts_once() -> None:
    predicted = [amount(5, "hộ", "quantity"), amount(5, "hộ", "quantity")]
    gold = [{"kind": "quantity", "value": 5, "unit": "hộ", "per": None}]
    score = score_field("amounts", predicted, gold, "case").score
    assert (score.precision, score.recall) == (0.5, 1.0)


def test_targets_match_on_range_and_indicator() -> None:
    target = Target(
        id="t1",
        indicator=Indicator(text="Tỷ lệ lao động được đào tạo", key="vocational_training_rate"),
        range=ValueRange(low=20, high=22),
        unit="%",
        span=SPAN,
        mentions=[],
    )
    gold = [
        {
            "indicator": "vocational_training_rate",
            "value": None,
            "range": [20, 22],
            "unit": "%",
            "qualitative": False,
        }
    ]
    assert score_field("targets", [target], gold, "case").score.correct == 1
    gold[0]["range"] = [20, 23]
    assert score_field("targets", [target], gold, "case").score.correct == 0


@pytest.mark.parametrize(("gold", "predicted", "precision", "recall"), [(0, 0, 1.0, 1.0), (4, 2, 1.0, 0.5)])
def test_score_ratios(gold: int, predicted: int, precision: float, recall: float) -> None:
    score = Score("targets", gold=gold, predicted=predicted, correct=min(gold, predicted))
    assert (score.precision, score.recall) == (precision, recall)


# ---------------------------------------------------------------------------------------------------
# F1
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("precision", "recall", "f1"), [(1.0, 1.0, 1.0), (0.5, 1.0, 2 / 3), (0.0, 0.0, 0.0), (0.0, 1.0, 0.0)]
)
def test_f1_is_the_harmonic_mean(precision: float, recall: float, f1: float) -> None:
    assert f1_score(precision, recall) == pytest.approx(f1)


def test_score_f1_uses_the_predicted_correct_count_for_precision() -> None:
    score = Score("findings", gold=4, predicted=5, correct=2, correct_predicted=4)
    assert (score.precision, score.recall) == (0.8, 0.5)
    assert score.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    total = score + Score("findings", gold=1, predicted=0, correct=1)
    assert (total.gold, total.predicted, total.correct, total.true_positives) == (5, 5, 3, 5)


# ---------------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "ỦY BAN NHÂN DÂN XÃ CAO NHÂN",
        "UBND xã Cao Nhân",
        "Uỷ ban nhân dân  xã\nCao Nhân",
        "UỶ BAN NHÂN DÂN XÃ CAO NHÂN",
    ],
)
def test_issuers_written_differently_share_a_key(written: str) -> None:
    assert issuer_key(written) == issuer_key("ỦY BAN NHÂN DÂN XÃ CAO NHÂN")


def test_issuer_key_expands_hdnd_and_tells_units_apart() -> None:
    assert issuer_key("HĐND huyện Bảo Lâm") == issuer_key("HỘI ĐỒNG NHÂN DÂN HUYỆN BẢO LÂM")
    assert issuer_key("UBND xã Cao Nhân") != issuer_key("UBND xã Cao Phong")
    assert issuer_key("UBND xã Cao Nhân") != issuer_key("HĐND xã Cao Nhân")
    assert issuer_key(None) is None and issuer_key("  ") is None


def test_text_key_folds_case_and_white_space_only() -> None:
    assert text_key("CHUYỂN ĐỔI SỐ  tỉnh\nTuyên Quang") == text_key("Chuyển đổi số tỉnh Tuyên Quang")
    assert text_key("Nguyễn Văn An") != text_key("Nguyen Van An")


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("2024-03-12", (12, 3, 2024)),
        ({"day": None, "month": 1, "year": 2025}, (None, 1, 2025)),
        (PartialDate(month=1, year=2025), (None, 1, 2025)),
        (PartialDate(), None),
        (None, None),
    ],
)
def test_date_parts(value: object, parts: tuple[int | None, ...] | None) -> None:
    assert date_parts(value) == parts


def sourced(value: str) -> Sourced:
    return Sourced(value=value, source="header")


HEADER_GOLD = {
    "issuer": "UBND HUYỆN KRÔNG PẮC PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    "number": None,
    "symbol": "KH-PGDĐT",
    "place": "Krông Pắc",
    "date": {"day": None, "month": 8, "year": 2023},
    "doc_type": "Kế hoạch",
    "title": "Phổ cập giáo dục, xóa mù chữ năm học 2023 - 2024",
    "signer": "Trần Thị Bích Ngọc",
    "position": "TRƯỞNG PHÒNG",
}


def header_metadata(**changes: object) -> Metadata:
    """The extraction of HEADER_GOLD's header, written the way khplan normalizes it."""
    fields: dict[str, object] = {
        "issuer": sourced("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
        "issuer_parent": sourced("UBND huyện Krông Pắc"),
        "symbol": sourced("KH-PGDĐT"),
        "place": sourced("Krông Pắc"),
        "date": PartialDate(month=8, year=2023),
        "doc_type": sourced("Kế hoạch"),
        "title": sourced("Phổ cập giáo dục, xóa mù chữ năm học 2023 - 2024"),
        "signer": Signer(name=sourced("Trần Thị Bích Ngọc"), position=sourced("TRƯỞNG PHÒNG")),
    }
    return Metadata(**{**fields, **changes})


def test_metadata_all_right_with_a_blank_number_and_a_partly_blank_date() -> None:
    result = score_metadata(header_metadata(), HEADER_GOLD, "case")
    # nine gold items; the number is blank on both sides: correct, but not a prediction
    assert (result.score.gold, result.score.predicted, result.score.correct) == (9, 8, 9)
    assert (result.score.precision, result.score.recall, result.missed, result.spurious) == (1.0, 1.0, [], [])


def test_metadata_a_date_with_a_day_the_gold_left_blank_is_wrong() -> None:
    result = score_metadata(
        header_metadata(date=PartialDate(day=22, month=8, year=2023)), HEADER_GOLD, "case"
    )
    assert (result.score.correct, result.score.true_positives) == (8, 7)
    assert result.missed == [("date", "2023-08-??")]
    assert result.spurious == [("date", "2023-08-22")]


def test_metadata_a_missing_prediction_is_missed_and_a_blank_gold_value_is_not_to_be_filled() -> None:
    metadata = header_metadata(signer=Signer(position=sourced("TRƯỞNG PHÒNG")), number="74")
    result = score_metadata(metadata, HEADER_GOLD, "case")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (9, 8, 7)
    assert result.missed == [("number", None), ("signer", "Trần Thị Bích Ngọc")]
    assert result.spurious == [("number", "74")]


def test_metadata_scores_authority_only_when_the_gold_has_it() -> None:
    metadata = header_metadata(
        signer=Signer(
            name=sourced("Trần Thị Bích Ngọc"),
            position=sourced("TRƯỞNG PHÒNG"),
            authority=[sourced("KT.  trưởng phòng")],
        )
    )
    assert score_metadata(metadata, HEADER_GOLD, "case").score.gold == 9
    result = score_metadata(metadata, {**HEADER_GOLD, "authority": ["KT. TRƯỞNG PHÒNG"]}, "case")
    assert (result.score.gold, result.score.correct) == (10, 10)


# ---------------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------------

TEXT = "I. TÌNH HÌNH\nCó 14 doanh nghiệp FDI, chiếm\n28% tổng số doanh nghiệp.\nII. MỤC TIÊU"
QUOTE = "Có 14 doanh nghiệp FDI, chiếm 28%"
FINDINGS_GOLD = {
    "errors": [
        {
            "where": "table",
            "table": 1,
            "row": "Xã  Tân Thanh",
            "column": "Hộ phải di dời / Tỷ lệ %",
            "stated": "1,81",
            "expected": "1,18",
            "cells": [
                {"row": "Xã Tân Thanh", "column": "Hộ phải di dời / Số hộ"},
                {"row": "Xã Tân Thanh", "column": "Tổng số hộ dân cư"},
            ],
            "why": "34 / 2.875 × 100 = 1,18",
        },
        {
            "where": "table",
            "table": 1,
            "row": "Cộng",
            "column": "Hộ phải di dời / Số hộ",
            "stated": "50",
            "expected": "60",
            "cells": [{"row": "Xã Tân Thanh", "column": "Hộ phải di dời / Số hộ"}],
            "why": "34 + 26 = 60",
        },
        {"where": "text", "quote": QUOTE, "stated": "28%", "expected": "25%", "why": "14 / 56"},
        {
            "where": "text",
            "quote": "a quote the text does not hold",
            "stated": "1",
            "expected": "2",
            "why": "-",
        },
    ],
    "consistent": [
        {
            "where": "table",
            "table": 1,
            "row": "Xã Hương Lạc",
            "column": "Hộ phải di dời / Tỷ lệ %",
            "stated": "0,97",
            "expected": None,
            "cells": [],
            "why": "truncated",
        }
    ],
}


def relocation_table() -> Table:
    """Table 1 of the gold above: households (c1), relocated households (c2) and their share (c3)."""
    columns = [
        Column(index=0, path=["Đơn vị"], role="label"),
        Column(index=1, path=["Tổng số hộ dân cư", "Tổng số hộ dân cư"]),
        Column(index=2, path=["Hộ phải di dời", "Số hộ"]),
        Column(index=3, path=["HỘ PHẢI DI DỜI", "Tỷ lệ  %"]),
    ]
    rows = [
        ("unit", "Xã Tân Thanh", ["2.875", "34", "1,81"]),
        ("unit", "Xã Hương Lạc", ["2.680", "26", "0,97"]),
        ("total", "Cộng", ["5.555", "50", "1,08"]),
    ]
    built = [
        Row(id=f"r{index + 1}", index=index, label=label, kind=kind, cells=[make_cell(0, label)])
        for index, (kind, label, _) in enumerate(rows)
    ]
    return Table(id="t7", columns=columns, rows=built)


def finding(
    finding_id: str,
    location: Location,
    cells: tuple[tuple[str, int], ...] = (),
    severity: Severity = "error",
) -> Finding:
    return Finding(
        id=finding_id,
        rule="percent.table",
        severity=severity,
        message_vi=f"lỗi {finding_id}",
        message_en=f"error {finding_id}",
        location=location,
        cells=[CellRef(table_id="t7", row_id=row, column=column) for row, column in cells],
    )


def cell_at(row: str, column: int) -> Location:
    return Location(table_id="t7", row_id=row, column=column)


def quote_location() -> Location:
    start = TEXT.index("chiếm")
    return Location(span=Span(start=start, end=start + 10))


def findings_document(*findings: Finding) -> ExtractedDocument:
    source = SourceInfo(path="plan.txt", sha256="0" * 64, format="txt")
    return ExtractedDocument(
        source=source,
        text=TEXT,
        metadata=Metadata(),
        sections=[],
        tables=[relocation_table()],
        findings=list(findings),
    )


def test_quote_spans_fold_white_space() -> None:
    [(start, end)] = quote_spans(TEXT, QUOTE)
    assert TEXT[start:end] == "Có 14 doanh nghiệp FDI, chiếm\n28%"
    assert quote_spans(TEXT, "chiếm 29%") == []


def test_column_key_joins_the_path_and_counts_a_merged_header_once() -> None:
    assert column_key(["Hộ phải di dời", "Tỷ lệ %"]) == column_key("HỘ PHẢI DI DỜI / Tỷ lệ  %")
    assert column_key(["Tổng số hộ dân cư", "TỔNG SỐ HỘ DÂN CƯ"]) == column_key("Tổng số hộ dân cư")


def test_a_table_finding_located_on_the_gold_cell_is_right() -> None:
    result = score_findings(findings_document(finding("f1", cell_at("r1", 3))), FINDINGS_GOLD, "case")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (4, 1, 1)
    assert result.score.true_positives == 1 and result.spurious == []


def test_a_table_finding_matching_through_cells_is_right() -> None:
    # located on the label column of row r1, which no gold item names; one of its cells, (r1, c2), is a
    # `cells` entry of both table errors (the count of the percent, a part of the sum)
    located_off = finding("f2", cell_at("r1", 0), cells=(("r1", 0), ("r1", 2)))
    result = score_findings(findings_document(located_off), FINDINGS_GOLD, "case")
    # r1 c2 takes part in both table errors: the one finding counts once as right, and finds both
    assert (result.score.predicted, result.score.true_positives, result.score.correct) == (1, 1, 2)


def test_a_text_finding_overlapping_the_quote_is_right() -> None:
    result = score_findings(findings_document(finding("f3", quote_location())), FINDINGS_GOLD, "case")
    assert (result.score.true_positives, result.score.correct) == (1, 1)
    assert ("text", QUOTE) not in result.missed
    assert ("text", "a quote the text does not hold", "quote not found in text") in result.missed


def test_a_false_error_is_listed_with_its_message() -> None:
    on_trap = finding("f4", cell_at("r2", 3))
    elsewhere = finding("f5", Location(span=Span(start=0, end=12)))
    result = score_findings(findings_document(on_trap, elsewhere), FINDINGS_GOLD, "case")
    assert (result.score.predicted, result.score.true_positives, result.score.correct) == (2, 0, 0)
    assert result.score.precision == 0.0 and result.score.f1 == 0.0
    assert result.spurious == [
        (
            "percent.table",
            "table 1 · Xã Hương Lạc · HỘ PHẢI DI DỜI / Tỷ lệ  %",
            "error f4",
            "on a planted trap",
        ),
        ("percent.table", '"I. TÌNH HÌNH"', "error f5"),
    ]


def test_a_warning_finds_a_gold_error_but_is_not_a_predicted_error() -> None:
    warning = finding("f6", cell_at("r3", 2), severity="warning")
    result = score_findings(findings_document(warning), FINDINGS_GOLD, "case")
    assert (result.score.predicted, result.score.correct, result.score.precision) == (0, 1, 1.0)
    assert result.score.recall == 0.25


def test_a_plan_without_errors_scores_every_error_as_false() -> None:
    gold = {"errors": [], "consistent": []}
    result = score_findings(findings_document(finding("f1", cell_at("r1", 3))), gold, "case")
    assert (result.score.gold, result.score.predicted, result.score.recall, result.score.precision) == (
        0,
        1,
        1.0,
        0.0,
    )


def test_a_row_read_without_a_label_is_named_by_its_first_text_cell() -> None:
    row = Row(id="r9", index=8, label=None, kind="unit", cells=[make_cell(0, ""), make_cell(1, "Cộng cụm 2")])
    assert row_name(row) == "Cộng cụm 2"


# ---------------------------------------------------------------------------------------------------
# Sections and table cells
# ---------------------------------------------------------------------------------------------------


def section(numbering: str, heading: str, kinds: list[str], *children: Section) -> Section:
    return Section(
        id=f"s{numbering}",
        numbering=numbering,
        heading=heading,
        level=1,
        kinds=kinds,
        span=SPAN,
        heading_span=SPAN,
        children=list(children),
    )


GOLD_SECTIONS = [
    {
        "numbering": "I",
        "heading": "Mục đích, yêu cầu",
        "kinds": ["purpose", "requirements"],
        "children": [{"numbering": "1", "heading": "Mục đích", "kinds": ["purpose"]}],
    },
    {"numbering": "II", "heading": "MỤC TIÊU", "kinds": ["objectives"]},
]


def test_sections_match_on_numbering_path_heading_and_kinds() -> None:
    predicted = [
        section(
            "I", "MỤC ĐÍCH, YÊU CẦU", ["requirements", "purpose"], section("1", "Mục  đích", ["purpose"])
        ),
        section("II", "Mục tiêu", ["objectives"]),
    ]
    result = score_keys("sections", section_items(predicted), section_items(GOLD_SECTIONS), "plan")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (3, 3, 3)


def test_a_section_with_a_misread_heading_or_a_lost_kind_is_missed() -> None:
    predicted = [
        section("I", "Mục đích, yêu cầu", ["purpose"], section("1", "Mục đích", ["purpose"])),
        section("II", "MUC TIẾU", ["objectives"]),
    ]
    result = score_keys("sections", section_items(predicted), section_items(GOLD_SECTIONS), "plan")
    assert result.score.correct == 1
    assert result.missed == [
        (("I",), "mục đích, yêu cầu", ("purpose", "requirements")),
        (("II",), "mục tiêu", ("objectives",)),
    ]


def poverty_table(rate: str) -> Table:
    """Two villages and two "Cộng" rows (a table may repeat a label); the rate of the first is ``rate``."""
    columns = [
        Column(index=0, path=["Thôn"], role="label"),
        Column(index=1, path=["Hộ nghèo", "Số hộ"]),
        Column(index=2, path=["Hộ nghèo", "Tỷ lệ %"]),
    ]
    written = [("Cây Tắt", "5", rate), ("Tân Thủy", "4", ""), ("Cộng", "9", "2,50"), ("Cộng", "9", "2,50")]
    rows = [
        Row(
            id=f"r{index}",
            index=index,
            label=label,
            kind="unit",
            cells=[make_cell(0, label), make_cell(1, count), make_cell(2, share)],
        )
        for index, (label, count, share) in enumerate(written)
    ]
    return Table(id="t1", columns=columns, rows=rows)


GOLD_TABLE = {
    "columns": [{"path": ["Thôn"]}, {"path": ["Hộ nghèo", "Số hộ"]}, {"path": ["Hộ nghèo", "Tỷ lệ %"]}],
    "rows": [
        {"label": "Cây Tắt", "cells": ["Cây Tắt", "5", "2.73"]},
        {"label": "Tân Thủy", "cells": ["Tân Thủy", "4", ""]},
        {"label": "Cộng", "cells": ["Cộng", "9", "2.50"]},
        {"label": "Cộng", "cells": ["Cộng", "9", "2.50"]},
    ],
}


def test_table_cells_match_cell_for_cell_with_blank_cells_left_out() -> None:
    gold = gold_table_cell_items([GOLD_TABLE])
    assert len(gold) == 11  # 12 cells, one blank
    result = score_keys("table_cells", table_cell_items([poverty_table("2,73")]), gold, "plan")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (11, 11, 11)


def test_a_misread_cell_is_missed_and_spurious() -> None:
    result = score_keys(
        "table_cells", table_cell_items([poverty_table("2,78")]), gold_table_cell_items([GOLD_TABLE]), "plan"
    )
    assert result.score.correct == 10
    assert result.missed == [(1, "câytắt", 0, 2, "2.73")]
    assert result.spurious == [(1, "câytắt", 0, 2, "2.78")]


def test_a_row_whose_label_lost_a_space_is_still_the_row() -> None:
    table = poverty_table("2,73")
    rows = [table.rows[0].model_copy(update={"label": "CâyTắt"}), *table.rows[1:]]
    result = score_keys(
        "table_cells",
        table_cell_items([table.model_copy(update={"rows": rows})]),
        gold_table_cell_items([GOLD_TABLE]),
        "plan",
    )
    # the label cell keeps its own value ("Cây Tắt"), read right
    assert result.score.correct == 11


def test_table_headers_are_scored_once_per_column() -> None:
    table = poverty_table("2,73")
    columns = [*table.columns[:2], table.columns[2].model_copy(update={"path": ["Hộ nghèo", "Tỷ lệ ~%"]})]
    misread = table.model_copy(update={"columns": columns})
    result = score_keys(
        "table_headers", table_header_items([misread]), table_header_items([GOLD_TABLE]), "plan"
    )
    assert (result.score.gold, result.score.correct) == (3, 2)
    assert result.missed == [(1, 2, "hộ nghèo / tỷ lệ %")]


def test_a_repeated_label_counts_each_row() -> None:
    table = poverty_table("2,73")
    one_total = table.model_copy(update={"rows": table.rows[:3]})
    result = score_keys(
        "table_cells", table_cell_items([one_total]), gold_table_cell_items([GOLD_TABLE]), "plan"
    )
    assert result.score.correct == 8
    assert {key[2] for key in result.missed} == {1}  # the second "Cộng"


def test_the_seeds_expected_metadata_is_read_in_the_flat_gold_form() -> None:
    expected = json.loads((EXPECTED / "004_ab6f31fa12f1256e.json").read_text(encoding="utf-8"))
    flat = flat_gold_metadata(expected["metadata"])
    assert flat["number"] == "267"
    assert flat["date"] == {"day": 19, "month": 10, "year": 2021}  # "Yên Châu, ngày 19 tháng 10 năm 2021"
    assert isinstance(flat["signer"], str) and isinstance(flat["position"], str)
    assert flat["authority"] == expected["metadata"]["signer"]["authority"]
    header = json.loads((EXPECTED / f"{HEADER_CASE}.json").read_text(encoding="utf-8"))["metadata"]
    assert flat_gold_metadata(header) == header


# ---------------------------------------------------------------------------------------------------
# `khplan eval`
# ---------------------------------------------------------------------------------------------------

HEADER_CASE = "header-number-blank-tan-phong"


def test_eval_json_has_one_row_per_field_with_f1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cases").mkdir()
    shutil.copy(CASES / f"{HEADER_CASE}.txt", tmp_path / "cases")
    gold = {
        "amounts": [],
        "metadata": json.loads((EXPECTED / f"{HEADER_CASE}.json").read_text(encoding="utf-8"))["metadata"],
        "findings": {"errors": [], "consistent": []},
    }
    for field, value in gold.items():
        (tmp_path / "gold" / field).mkdir(parents=True)
        (tmp_path / "gold" / field / f"{HEADER_CASE}.json").write_text(json.dumps(value), encoding="utf-8")
    assert main(["eval", "--corpus", str(tmp_path), "--json"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    assert [row["field"] for row in rows] == ["amounts", "metadata", "findings"]
    keys = {"gold", "predicted", "correct", "correct_predicted", "precision", "recall", "f1"}
    for row in rows:
        assert set(row) == {"field", "documents", *keys}
        assert row["documents"] == 1
        assert 0.0 <= row["f1"] <= 1.0
    assert rows[1]["gold"] == 10  # nine header fields and the authority


def test_eval_only_scores_the_named_documents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--only", HEADER_CASE, "--only", "funding-sai-so-thanh-hoa", "--json"]) == EXIT_OK
    rows = {row["field"]: row for row in json.loads(capsys.readouterr().out)}
    assert {field: row["documents"] for field, row in rows.items()} == {
        "citations": 1,
        "amounts": 1,
        "metadata": 1,
    }


def test_eval_scores_a_seeds_metadata_sections_and_table_cells_from_expected(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["eval", "--only", "001_1747db98b33217c6", "--rendering", "pdf", "--json"]) == EXIT_OK
    rows = {row["field"]: row for row in json.loads(capsys.readouterr().out)}
    assert {"metadata", "sections", "table_cells", "table_headers"} <= set(rows)
    for field in ("metadata", "sections", "table_cells", "table_headers"):
        assert rows[field]["documents"] == 1
        assert rows[field]["gold"] > 0
    assert rows["table_cells"]["gold"] > 100  # seed 001's village table, 15 columns


def test_eval_only_an_unknown_stem_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--only", "no-such-plan", "--json"]) == EXIT_USAGE
    assert "no-such-plan" in capsys.readouterr().err
