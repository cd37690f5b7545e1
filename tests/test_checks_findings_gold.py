"""The checks against the findings gold of corpus/gold/findings/: ten plans around their tables, their errors
and consistent traps written down by a reader of neither the extractor nor the generator.

An auditor trusts every red mark: no document may get an error finding that points at no gold error. Warnings
may name doubts; misses are counted, and the set's recall must stay where it is.
"""

from __future__ import annotations

import pytest

from extractor.evaluate import find_document, gold_entries, score_findings
from tests.conftest import CORPUS, extracted

GOLD = gold_entries(CORPUS, "findings")
MIN_RECALL = 0.9


@pytest.mark.parametrize(("stem", "gold"), [(stem, gold) for stem, _, gold in GOLD], ids=[e[0] for e in GOLD])
def test_no_false_error(stem: str, gold: dict) -> None:
    path = find_document(CORPUS, stem)
    assert path is not None
    result = score_findings(extracted(path), gold, stem)
    assert result.spurious == []


def test_the_gold_errors_are_found() -> None:
    found = total = 0
    for stem, _, gold in GOLD:
        path = find_document(CORPUS, stem)
        assert path is not None
        score = score_findings(extracted(path), gold, stem).score
        found += score.correct
        total += score.gold
    assert total >= 15 and found / total >= MIN_RECALL
