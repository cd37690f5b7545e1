"""Rule narrative.table: whole-unit statements of the text against the per-unit table's total row."""

from extractor.checks import run_checks
from extractor.checks.drafts import Tally
from extractor.checks.narrative import check_narrative
from models import ExtractedDocument, Metadata, SourceInfo, Span
from models.proportions import Proportion
from models.targets import Indicator, Target
from models.values import Quantity
from tests.conftest import ROOT, extracted
from tests.test_checks_tables import TABLE  # seed 001's village table, typed in from the document

SPAN = Span(start=0, end=1)


def proportion(subject: str, count: int, percent: str, population: str | None = None) -> Proportion:
    """A proportion as the entity stage gives it: ``population`` is the whole group its subject names."""
    value = float(percent.replace(",", "."))
    return Proportion(
        id="p1",
        subject=subject,
        population=population,
        count=Quantity(value=count, raw=f"{count} hộ", unit="hộ"),
        percent=Quantity(value=value, raw=f"{percent}%", decimals=len(percent.split(",")[1]), unit="%"),
        span=SPAN,
    )


# The group each household indicator counts (data/indicators.yaml), as the entity stage sets it.
POPULATION_OF = {"poverty_rate": "poor", "near_poverty_rate": "near_poor"}


def target(key: str, direction: str, percent: str) -> Target:
    return Target(
        id="t",
        indicator=Indicator(text="tỷ lệ hộ nghèo", key=key),
        population=POPULATION_OF.get(key),
        value=float(percent.replace(",", ".")),
        raw=f"{percent}%",
        decimals=len(percent.split(",")[1]),
        unit="%",
        direction=direction,
        span=SPAN,
        mentions=[],
    )


def narrative(proportions=(), targets=()) -> list:
    source = SourceInfo(path="t.txt", sha256="0" * 64, format="txt")
    document = ExtractedDocument(
        source=source,
        text="x",
        metadata=Metadata(),
        sections=[],
        tables=[TABLE],
        proportions=list(proportions),
        targets=list(targets),
    )
    return [(f.stated, f.expected) for f in run_checks(document)[0] if f.rule == "narrative.table"]


def test_situation_that_agrees_with_the_start_columns() -> None:
    assert (
        narrative(
            [proportion("hộ nghèo", 51, "2,06", "poor"), proportion("Hộ cận nghèo", 74, "2,99", "near_poor")]
        )
        == []
    )


def test_situation_that_disagrees() -> None:
    assert narrative([proportion("hộ nghèo", 52, "2,10", "poor")]) == [("52 hộ, 2,10%", "51 hộ, 2,06%")]


def test_a_sub_group_is_not_the_whole() -> None:
    assert narrative([proportion("hộ nghèo thuộc đối tượng bảo trợ xã hội", 14, "0,55")]) == []


def test_targets_against_the_end_and_reduction_rates() -> None:
    assert (
        narrative(
            targets=[target("poverty_rate", "reduce_to", "1,94"), target("poverty_rate", "reduce_by", "0,12")]
        )
        == []
    )
    assert narrative(targets=[target("poverty_rate", "reduce_to", "1,80")]) == [("1,80%", "1,94%")]
    assert narrative(targets=[target("near_poverty_rate", "reduce_to", "2,50")]) == [("2,50%", "2,83")]


def test_one_of_several_targets_of_an_indicator_must_agree() -> None:
    # seed 001 quotes the district's 2,06% and sets its own 1,94%
    assert (
        narrative(
            targets=[target("poverty_rate", "reduce_to", "2,06"), target("poverty_rate", "reduce_to", "1,94")]
        )
        == []
    )


def text_flows(proportions=(), targets=()) -> list:
    source = SourceInfo(path="t.txt", sha256="0" * 64, format="txt")
    document = ExtractedDocument(
        source=source,
        text="x",
        metadata=Metadata(),
        sections=[],
        proportions=list(proportions),
        targets=list(targets),
    )
    return [(f.stated, f.expected) for f in run_checks(document)[0] if f.rule == "flow.rate"]


def test_rates_stated_in_the_text_flow() -> None:
    start = proportion("hộ nghèo", 51, "2,06", "poor")
    assert (
        text_flows(
            [start],
            [target("poverty_rate", "reduce_by", "0,12"), target("poverty_rate", "reduce_to", "1,94")],
        )
        == []
    )
    assert text_flows(
        [start], [target("poverty_rate", "reduce_by", "0,12"), target("poverty_rate", "reduce_to", "1,90")]
    ) == [("1,90%", "1,94")]


def test_text_flow_tolerates_the_last_decimal() -> None:
    start = proportion("hộ nghèo", 9, "6,67")  # 6,67 − 0,74 = 5,93 against a stated 5,92 agrees
    assert (
        text_flows(
            [start],
            [target("poverty_rate", "reduce_by", "0,74"), target("poverty_rate", "reduce_to", "5,92")],
        )
        == []
    )


def test_a_reports_aims_beside_its_table_of_outcomes_are_no_disagreement() -> None:
    """The constructed report for seed 001 restates the aim "3,0%" beside its table of 2021 outcomes (2,01%):
    in a report that is the comparison khplan compare makes, not an error; typed as a plan, it is one."""
    report = extracted(ROOT / "corpus" / "results" / "bao-cao-001-2021.txt")
    assert report.metadata.doc_type.value == "Báo cáo"
    assert not [d for d in check_narrative(report, Tally()) if "target" in d.message_en]
    as_plan = report.metadata.model_copy(
        update={"doc_type": report.metadata.doc_type.model_copy(update={"value": "Kế hoạch"})}
    )
    drafts = check_narrative(report.model_copy(update={"metadata": as_plan}), Tally())
    assert [d for d in drafts if "target" in d.message_en]
