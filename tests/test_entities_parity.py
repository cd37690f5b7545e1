"""The same entities from the TXT, DOCX and PDF renderings of each seed."""

import pytest

from extractor.evaluate import amount_key, citation_key, target_key
from tests.conftest import FORMATS, SEED_STEMS, SEEDS, extracted


def entity_view(document) -> dict:
    """What each stage read, by the keys an auditor compares (offsets differ between formats, values must not)."""
    return {
        "citations": sorted((citation_key(c), c.issuer, len(c.mentions)) for c in document.citations),
        "targets": sorted(repr(target_key(t)) for t in document.targets),
        "amounts": sorted(repr(amount_key(a)) for a in document.amounts),
        "proportions": sorted(
            (p.count.value, p.percent.value, p.base.value if p.base else None) for p in document.proportions
        ),
        "assignments": [(a.body, a.role, len(a.duties)) for a in document.assignments],
    }


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_entities_agree_across_formats(stem: str) -> None:
    views = {fmt: entity_view(extracted(SEEDS / f"{stem}.{fmt}")) for fmt in FORMATS}
    assert (
        views["txt"]["citations"] and views["txt"]["targets"]
    )  # every seed cites and commits: never vacuous
    for field in views["txt"]:
        assert views["docx"][field] == views["txt"][field], (field, "docx")
        assert views["pdf"][field] == views["txt"][field], (field, "pdf")
