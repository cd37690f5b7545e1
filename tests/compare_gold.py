"""The expected comparisons of ``corpus/results/expected/*.json`` (constructed reports), read for the tests and
for ``bench/compare_matching.py``: each expected target found among the plan's extracted targets by its quote,
and the matching scored (a matched result is right when its span overlaps the expected ``result_quote``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import CORPUS, extracted

RESULTS = CORPUS / "results"
EXPECTED_FILES = sorted((RESULTS / "expected").glob("*.json"))


@dataclass(frozen=True)
class Case:
    report: str
    plan: str
    index: int
    expected: dict


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cases() -> list[Case]:
    found = []
    for path in EXPECTED_FILES:
        gold = load(path)
        for index, target in enumerate(gold["targets"]):
            found.append(Case(gold["report"], gold["plan"], index, target))
    return found


def plan_document(plan: str):
    return extracted(CORPUS / "seeds" / f"{plan}.txt")


def report_document(report: str):
    return extracted(RESULTS / f"{report}.txt")


def find_target(plan_doc, quote: str):
    """The plan's extracted target whose mention holds the expected quote (or lies inside it)."""
    for target in plan_doc.targets:
        for mention in target.mentions:
            start = plan_doc.text.find(quote)
            if start >= 0 and start < mention.span.end and mention.span.start < start + len(quote):
                return target
    return None


def quote_span(document, quote: str) -> tuple[int, int] | None:
    start = document.text.find(quote)
    return (start, start + len(quote)) if start >= 0 else None


def overlaps(span, bounds: tuple[int, int] | None) -> bool:
    return bounds is not None and span.start < bounds[1] and bounds[0] < span.end


def comparisons(report: str, plan: str):
    from extractor.compare import compare_targets

    return compare_targets(plan_document(plan), [report_document(report)])


def matching_scores() -> dict[str, tuple[int, int, int, int]]:
    """Per report: (matched results right, matched results, targets found, targets expected). A matched
    result is right when its span overlaps the expected ``result_quote`` of its target; a target is found
    when one of its matched results is right; every target with a result quote is expected."""
    scores = {}
    for path in EXPECTED_FILES:
        gold = load(path)
        report, plan = gold["report"], gold["plan"]
        plan_doc, report_doc = plan_document(plan), report_document(report)
        by_target = {c.target.id: c for c in comparisons(report, plan)}
        right = matched = found = wanted = 0
        for expected in gold["targets"]:
            bounds = quote_span(report_doc, expected["result_quote"]) if expected["result_quote"] else None
            wanted += bounds is not None
            target = find_target(plan_doc, expected["quote"])
            comparison = by_target.get(target.id) if target is not None else None
            results = comparison.results if comparison is not None else []
            matched += len(results)
            hits = sum(overlaps(r.span, bounds) for r in results)
            right += hits
            found += hits > 0
        scores[report] = (right, matched, found, wanted)
    return scores
