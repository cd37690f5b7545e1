"""Money checks over the funding cases: silent where everything adds up, each injected error found."""

from pathlib import Path

import pytest

from extractor import extract_document
from tests.conftest import CORPUS, extracted

CASES = CORPUS / "cases"
CONSISTENT = [
    "funding-dao-tao-nghe-nghe-an.txt",
    "funding-nha-o-quang-binh.txt",
    "funding-sinh-ke-dien-bien.txt",
]


def errors(name: str) -> list:
    return [finding for finding in extracted(CASES / name).findings if finding.severity == "error"]


@pytest.mark.parametrize("name", CONSISTENT)
def test_no_error_where_everything_adds_up(name: str) -> None:
    assert errors(name) == []
    assert extracted(CASES / name).coverage.verified > 5


def test_each_injected_money_error_is_found() -> None:
    found = {
        (finding.rule, finding.stated, finding.expected) for finding in errors("funding-sai-so-thanh-hoa.txt")
    }
    assert found == {
        ("money.product", "310.000.000 đồng", "300.000.000"),
        ("money.total", "700.000.000 đồng", "680.000.000"),
        ("money.words", "Bảy trăm linh năm triệu đồng", "700.000.000 đồng"),
    }


def test_findings_point_at_the_stated_amount() -> None:
    document = extracted(CASES / "funding-sai-so-thanh-hoa.txt")
    product = next(finding for finding in document.findings if finding.rule == "money.product")
    span = product.location.span
    assert span is not None and document.text[span.start : span.end] == "310.000.000 đồng"


def test_parts_of_which_that_cover_less_than_the_total_are_no_error(tmp_path: Path) -> None:
    """ "2.465 hộ, trong đó 70 hộ nghèo …; 96 hộ cận nghèo …": two groups of the households, not all of them."""
    path = tmp_path / "plan.txt"
    path.write_text(
        "KẾ HOẠCH\nGiảm nghèo năm 2026\nI. TÌNH HÌNH\nToàn thị trấn có 2.465 hộ, trong đó 70 hộ nghèo, "
        "chiếm tỷ lệ 2,84%; 96 hộ cận nghèo, chiếm tỷ lệ 3,89%.\n",
        encoding="utf-8",
    )
    rules = {finding.rule for finding in extract_document(path).findings}
    assert not rules & {"sum.breakdown", "percent.text"}
