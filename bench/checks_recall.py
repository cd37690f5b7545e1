"""Recall and false-positive rate of the table checks over generated tables, with an independent oracle.

Usage: .venv/bin/python bench/checks_recall.py [--tables N] [--seed S]

Each generated per-unit table (tests/generated_tables.py) is checked twice: as generated (consistent: any
finding is a false positive) and with one injected error (a changed count, percent, total, or two swapped
digits). An injection the oracle confirms breaks an identity must give a finding naming the changed cell's
row or column (recall); one the oracle says breaks nothing must give none.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    from extractor.checks import run_checks
    from tests.factories import document_with
    from tests.generated_tables import generate, inject, oracle_broken, to_table

    rng = random.Random(args.seed)
    consistent_flagged = broken = found = harmless = harmless_flagged = 0
    started = time.perf_counter()
    for _ in range(args.tables):
        generated = generate(rng)
        findings, _ = run_checks(document_with(to_table(generated)))
        consistent_flagged += any(finding.location.table_id for finding in findings)
        row, column, _ = inject(generated, rng)
        findings = [f for f in run_checks(document_with(to_table(generated)))[0] if f.location.table_id]
        if oracle_broken(generated):
            broken += 1
            found += any(f.location.row_id == f"r{row + 1}" or f.location.column == column for f in findings)
        else:
            harmless += 1
            harmless_flagged += bool(findings)
    seconds = time.perf_counter() - started
    print(
        f"{args.tables} consistent tables: {consistent_flagged} with a finding (false-positive rate {consistent_flagged / args.tables:.4f})"
    )
    print(
        f"{broken} injected errors the oracle confirms: {found} found at their row or column (recall {found / max(broken, 1):.4f})"
    )
    print(f"{harmless} injections that break nothing: {harmless_flagged} flagged")
    print(f"{2 * args.tables / seconds:.0f} tables checked per second")


if __name__ == "__main__":
    main()
