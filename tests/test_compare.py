"""compare_targets against the constructed reports of corpus/results/ and their expected statuses."""

from __future__ import annotations

import pytest

from extractor.compare import compare_targets
from tests.compare_gold import (
    EXPECTED_FILES,
    cases,
    comparisons,
    find_target,
    load,
    matching_scores,
    overlaps,
    plan_document,
    quote_span,
    report_document,
)
from tests.conftest import SEEDS, extracted

CASES = cases()


def _comparison(report: str, plan: str, quote: str):
    target = find_target(plan_document(plan), quote)
    assert target is not None, f"the plan has no target quoted {quote!r}"
    return next(c for c in comparisons(report, plan) if c.target.id == target.id)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.report}-{c.index}")
def test_every_target_has_its_expected_status(case) -> None:
    expected = case.expected
    comparison = _comparison(case.report, case.plan, expected["quote"])
    assert comparison.status == expected["status"], comparison.reason
    if expected["gap"] is not None:
        assert comparison.gap == pytest.approx(expected["gap"])
    if expected["status"] in ("met", "not_met", "partly_met", "not_comparable") and expected["result_quote"]:
        bounds = quote_span(report_document(case.report), expected["result_quote"])
        assert any(overlaps(r.span, bounds) for r in comparison.results), [r.text for r in comparison.results]
    if expected["status"] == "no_result":
        assert comparison.results == []


@pytest.mark.parametrize("path", EXPECTED_FILES, ids=lambda p: p.stem)
def test_no_target_is_matched_to_a_trap(path) -> None:
    gold = load(path)
    document = report_document(gold["report"])
    traps = [quote_span(document, trap["quote"]) for trap in gold["traps"]]
    expected = [quote_span(document, t["result_quote"]) for t in gold["targets"] if t["result_quote"]]
    for comparison in comparisons(gold["report"], gold["plan"]):
        for result in comparison.results:
            if any(overlaps(result.span, bounds) for bounds in expected):
                continue  # a trap sentence may also hold the expected result ("… 2,01%, … giảm 0,05%")
            assert not any(overlaps(result.span, bounds) for bounds in traps), (
                comparison.target.raw,
                result.text,
            )


def test_never_across_units() -> None:
    """The commune's report says nothing of the district's targets, and the reverse."""
    commune = report_document("bao-cao-001-2021")
    district_plan = plan_document("004_ab6f31fa12f1256e")
    assert {c.status for c in compare_targets(district_plan, [commune])} == {"no_result"}


def test_seed_002_against_itself_reports_only_2023() -> None:
    """Its part II (17 poor households, 0,57% in 2023) gives no result for its 2024 targets."""
    plan = extracted(SEEDS / "002_724ff193a1037eed.txt")
    for comparison in compare_targets(plan, [plan]):
        assert comparison.results == [], comparison.target.raw
        assert comparison.status == "no_result"


def test_a_later_report_judges_a_target_the_half_year_left_not_yet_due() -> None:
    plan = plan_document("004_ab6f31fa12f1256e")
    half = report_document("bao-cao-004-2022-6-thang")
    year = report_document("bao-cao-004-2022")
    statuses = [c.status for c in compare_targets(plan, [half, year])]
    assert "not_yet_due" not in statuses
    assert statuses == [c.status for c in compare_targets(plan, [year])]


def test_an_interim_figure_is_recorded_not_judged() -> None:
    comparison = _comparison(
        "bao-cao-004-2022-6-thang", "004_ab6f31fa12f1256e", "Tỷ lệ bao phủ bảo hiểm y tế 95,0%"
    )
    assert comparison.status == "not_yet_due"
    assert [r.value for r in comparison.results] == [94.1]
    assert comparison.gap is None


def test_matching_precision_and_recall() -> None:
    """The figures bench/compare_matching.py prints, held so that a change lowering them is seen."""
    right = matched = found = wanted = 0
    for counts in matching_scores().values():
        right, matched, found, wanted = (
            a + b for a, b in zip((right, matched, found, wanted), counts, strict=True)
        )
    assert right / matched >= 0.9
    assert found / wanted >= 0.85
