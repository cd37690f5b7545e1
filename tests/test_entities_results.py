"""Reported results: read from constructed reports (corpus/results/) and from a plan's situation part."""

from __future__ import annotations

import pytest

from tests.compare_gold import EXPECTED_FILES, load, quote_span, report_document
from tests.conftest import SEEDS, extracted


def _results(document, key: str | None = None):
    return [r for r in document.results if key is None or r.indicator.key == key]


def _find(document, key: str, value: float, source: str = "text"):
    return [r for r in _results(document, key) if r.value == value and r.source == source]


@pytest.mark.parametrize(
    ("report", "key", "value", "year", "kind", "direction"),
    [
        ("bao-cao-001-2021", "poverty_rate", 2.01, 2021, "whole", None),
        ("bao-cao-001-2021", "poverty_rate", 0.05, 2021, "whole", "reduce_by"),
        ("bao-cao-001-2021", "near_poverty_rate", 2.74, 2021, "whole", None),
        ("bao-cao-001-2021", "poverty_models", 1, 2021, "whole", "increase_by"),
        ("bao-cao-002-2024", "poverty_rate", 0.43, 2024, "whole", None),
        ("bao-cao-004-2022", "poverty_rate", 3.12, 2022, "whole", "reduce_by"),
        ("bao-cao-004-2022", "poverty_rate", 3.46, 2022, "part", "reduce_by"),
        ("bao-cao-004-2022", "vocational_training_rate", 21.2, 2022, "whole", None),
        ("bao-cao-004-2022", "housing_support", 142, 2022, "whole", None),
    ],
)
def test_a_report_states_its_results(report, key, value, year, kind, direction) -> None:
    found = _find(report_document(report), key, value)
    assert found, (key, value)
    result = found[0]
    assert result.period is not None and result.period.full_year == year
    assert result.scope.kind == kind
    assert result.direction == direction


@pytest.mark.parametrize(
    ("report", "key", "value", "why"),
    [
        ("bao-cao-001-2021", "poverty_rate", 1.87, "other_unit"),  # toàn huyện Hương Sơn
        ("bao-cao-004-2022", "poverty_rate", 2.85, "other_unit"),  # toàn tỉnh Sơn La
        ("bao-cao-004-2022", "poverty_rate", 3.37, "other_unit"),  # huyện Mai Sơn
        ("bao-cao-004-2022", "poverty_rate", 2.55, "part"),  # các xã, thị trấn còn lại
        ("bao-cao-002-2024", "poverty_rate", 0.74, "part"),  # TDP Đông Long
    ],
)
def test_another_unit_or_a_part_is_not_the_whole(report, key, value, why) -> None:
    for result in _find(report_document(report), key, value):
        assert result.scope.kind == why


def test_bases_are_kept_apart() -> None:
    document = report_document("bao-cao-001-2021")
    assert [r.basis for r in _find(document, "poverty_rate", 1.09)] == ["persons"]  # "chiếm 1,09% dân số"
    assert [r.basis for r in _find(document, "poverty_rate", 3.91)] == ["poverty_standard:2021-2025"]
    assert next(r.basis for r in _find(document, "poverty_rate", 2.01)) == "poverty_standard:2016-2020"


def test_commitments_estimates_and_restated_targets_are_no_results() -> None:
    values = {
        # "phấn đấu năm 2022 … xuống còn 3,0%", "chỉ tiêu xã phấn đấu (còn 1,94%)"
        "bao-cao-001-2021": [(3.0, "%"), (1.94, "%")],
        "bao-cao-002-2024": [(0.40, "%"), (0.79, "%"), (0.97, "%")],
        "bao-cao-004-2022": [(3.5, "%"), (158, "hộ")],  # "giảm 3,5%" next year, "Kế hoạch hỗ trợ 158 hộ"
        "bao-cao-004-2022-6-thang": [(3.2, "%"), (3.6, "%"), (158, "hộ")],  # "Ước thực hiện cả năm 2022 …"
    }
    for report, listed in values.items():
        read = {(r.value, r.unit) for r in report_document(report).results if r.source == "text"}
        assert not read & set(listed), report


def test_statements_without_a_number() -> None:
    food = _results(report_document("bao-cao-004-2022"), "food_security")
    assert [r.achieved for r in food] == [True]  # "Không có người dân nào bị thiếu đói"
    poor = [
        r for r in _results(report_document("bao-cao-002-2024"), "poor_households") if r.achieved is not None
    ]
    assert [(r.achieved, r.scope.kind) for r in poor] == [(False, "whole"), (True, "part")]


def test_a_half_year_report_reports_part_of_a_year() -> None:
    document = report_document("bao-cao-004-2022-6-thang")
    periods = {r.period.kind for r in document.results if r.period is not None}
    assert "year" not in periods and "end_of_year" not in periods
    assert _find(document, "health_insurance_coverage", 94.1)[0].period.kind == "to_date"


def test_seed_002_part_two_reports_2023() -> None:
    """Its 2023 figures "17 hộ nghèo", "0,57%" are results for 2023, in the text and in the appendix table."""
    document = extracted(SEEDS / "002_724ff193a1037eed.txt")
    for key, value in (("poor_households", 17), ("poverty_rate", 0.57)):
        for source in ("text", "table"):
            found = [r for r in _find(document, key, value, source) if r.scope.kind == "whole"]
            assert found, (key, value, source)
            assert {r.period.full_year for r in found} == {2023}
    assert all(r.period.full_year < 2024 for r in document.results if r.period and r.period.full_year)
    assert not {r.value for r in document.results} & {t.value for t in document.targets if t.value != 100}


def test_a_plans_targets_are_not_its_results() -> None:
    document = extracted(SEEDS / "001_1747db98b33217c6.txt")
    target_spans = [(t.span.start, t.span.end) for t in document.targets]
    for result in document.results:
        assert not any(a < result.span.end and result.span.start < b for a, b in target_spans), result.text


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_traps_are_not_results_of_the_reports_period_and_unit(path) -> None:
    """A trap may be read as a result, but never as one of the whole unit for the report's own period and
    basis, in the unit and on the base the plan's targets are stated in."""
    gold = load(path)
    document = report_document(gold["report"])
    year = document.metadata.plan_year
    for trap in gold["traps"]:
        bounds = quote_span(document, trap["quote"])
        assert bounds is not None, trap["quote"]
        for result in document.results:
            if not (result.span.start < bounds[1] and bounds[0] < result.span.end) or result.source != "text":
                continue
            inside = bounds[0] <= result.span.start and result.span.end <= bounds[1] + 20
            own = (
                result.scope.kind == "whole"
                and result.period is not None
                and result.period.full_year == year
                and result.basis in (None, "poverty_standard:2016-2020" if year <= 2021 else None)
            )
            assert not (inside and own and result.value is not None and _is_level_of_trap(result, trap)), (
                trap["quote"],
                result.text,
            )


def _is_level_of_trap(result, trap) -> bool:
    """The trap's own figure: the result's value is written in the trap's quote."""
    return (result.raw or "") in trap["quote"]
