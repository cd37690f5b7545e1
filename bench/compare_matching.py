"""Matching precision and recall of ``compare_targets`` over the constructed reports of ``corpus/results/``.

Precision: matched results whose text overlaps the expected ``result_quote`` of their target, of all matched;
recall: targets with such a result, of the targets that have a result quote. Run: ``.venv/bin/python bench/compare_matching.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.compare_gold import matching_scores


def main() -> None:
    totals = [0, 0, 0, 0]
    print(
        f"{'report':28} {'right':>5} {'matched':>7} {'found':>5} {'expected':>8} {'precision':>9} {'recall':>6}"
    )
    rows = list(matching_scores().items())
    for _report, counts in rows:
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    for report, (right, matched, found, wanted) in [*rows, ("all", tuple(totals))]:
        print(
            f"{report:28} {right:5} {matched:7} {found:5} {wanted:8} "
            f"{_ratio(right, matched):>9} {_ratio(found, wanted):>6}"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


if __name__ == "__main__":
    main()
