"""The checks on the seeds, read from each format: what an auditor must be shown, and nothing else."""

import pytest

from tests.conftest import FORMATS, SEED_STEMS, SEEDS, extracted
from tests.test_checks_tables import WRONG_END_OF_YEAR_PERCENT


def seed(prefix: str, fmt: str):
    return extracted(SEEDS / f"{next(stem for stem in SEED_STEMS if stem.startswith(prefix))}.{fmt}")


def row_label(document, finding) -> str:
    table = next(table for table in document.tables if table.id == finding.location.table_id)
    return next(row.label for row in table.rows if row.id == finding.location.row_id)


def column_path(document, finding) -> str:
    table = next(table for table in document.tables if table.id == finding.location.table_id)
    return " / ".join(table.columns[finding.location.column].path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_table_findings(fmt: str) -> None:
    document = seed("001", fmt)
    percents = {
        (row_label(document, f), column_path(document, f))
        for f in document.findings
        if f.rule == "percent.table"
    }
    end = "Hộ nghèo cuối năm 2021 / %"
    for village in WRONG_END_OF_YEAR_PERCENT:
        assert (village, end) in percents
    assert ("Nam Nhe", "Hộ nghèo đầu năm 2021 / %") in percents
    assert ("Cây Thị", "Hộ cận nghèo đầu năm 2021 / %") in percents
    assert ("Hồ Sen", "Giảm CN trong năm 2021 / %") in percents
    assert not any(
        label == "Tân Thủy" and path.startswith("Giảm hộ nghèo") for label, path in percents
    )  # 0,77 truncated
    flows = {row_label(document, f) for f in document.findings if f.rule == "flow.count"}
    assert flows == {"Cây Tắt"}
    sums = {(f.stated, f.expected) for f in document.findings if f.rule == "sum.column"}
    assert sums == {("48", "47"), ("74", "73"), ("70", "69")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_cay_tat_end_count_is_the_probable_cause(fmt: str) -> None:
    document = seed("001", fmt)
    flow = next(f for f in document.findings if f.rule == "flow.count")
    assert flow.related and flow.probable_cause is not None
    assert "Cây Tắt" in flow.probable_cause and flow.probable_cause.endswith("= 3")


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_text_percents(fmt: str) -> None:
    texts = {(f.stated, f.expected) for f in seed("001", fmt).findings if f.rule == "percent.text"}
    assert ("0,55%", "0,57") in texts  # 14 / 2471
    assert ("1,51%", "1,50") in texts  # 37 / 2471


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_002_lists_explained_and_appendix_clean(fmt: str) -> None:
    document = seed("002", fmt)
    texts = {f.stated: f for f in document.findings if f.rule == "percent.text"}
    assert "58,8%" in texts and "0,10%" in texts
    assert "computed on 7" in texts["57,14%"].explanation
    assert "31/42" in texts["73,81%"].explanation
    assert texts["0,10%"].explanation.startswith("no count or base")
    for consistent in ("94,12%", "70,59%", "13,64%"):
        assert consistent not in texts
    assert [f for f in document.findings if f.location.table_id] == []
    assert document.coverage.verified > 50


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_000_two_dates_of_one_resolution(fmt: str) -> None:
    dates = [f for f in seed("000", fmt).findings if f.rule == "citation.dates"]
    assert len(dates) == 1 and "52/2019/NQ-HĐND" in dates[0].message_en


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_004_has_no_error(fmt: str) -> None:
    assert [f for f in seed("004", fmt).findings if f.severity == "error"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_households_with_and_without_labour_miss_the_poor_count(fmt: str) -> None:
    parts = [f for f in seed("001", fmt).findings if f.rule == "sum.text_parts"]
    assert [(f.severity, f.stated, f.expected) for f in parts] == [("warning", "51 hộ", "31")]
