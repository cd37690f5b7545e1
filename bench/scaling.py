"""Cost per character as a plan grows: a seed and copies of it at 4 ×, 16 × and 64 × its size, per stage.

Usage: .venv/bin/python bench/scaling.py [--seed STEM] [--factors 1 4 16 64] [--repeat N]

A long provincial plan with its appendices reaches 700 K characters; every stage must stay linear in the size of
what it reads. The seed's text is repeated (with a blank line between copies) into a temporary TXT file, which
goes through the stages one by one, timed apart: ingest (read and decode, blocks, tables found in the text),
normalize, structure (zones, sections, metadata), entities, tables, checks. Printed: characters, µs per
character for each stage and in all, and the ratio of each size's µs per character to the seed's. Aim: at 64 ×
within 1.3 × of 1 ×. Best of N runs per size (one at 64 ×); the machine is shared, compare within one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES = ("ingest", "normalize", "structure", "entities", "tables", "checks")


def run_stages(path: Path) -> tuple[int, dict[str, float]]:
    """Characters of the normalized text and seconds per stage for one extraction of ``path``."""
    from extractor.checks import run_checks
    from extractor.entities import extract_entities
    from extractor.ingest import read_document
    from extractor.normalize.document import normalize_document
    from extractor.structure.metadata import extract_metadata
    from extractor.structure.plan_text import PlanText
    from extractor.structure.sections import build_sections
    from extractor.structure.zones import find_zones
    from extractor.tables import build_tables
    from models import ExtractedDocument

    seconds: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = work()
        seconds[stage] = time.perf_counter() - start
        return result

    raw = timed("ingest", lambda: read_document(path))
    document = timed("normalize", lambda: normalize_document(raw))

    def structure() -> tuple:
        zones = find_zones(document)
        return build_sections(document, zones), extract_metadata(document, zones)

    sections, metadata = timed("structure", structure)
    plan = PlanText(document, sections, metadata.unit.value if metadata.unit else None)
    entities = timed("entities", lambda: extract_entities(plan))
    tables = timed("tables", lambda: build_tables(plan))
    extracted = ExtractedDocument(
        source=document.source,
        text=document.text,
        blocks=document.blocks,
        metadata=metadata,
        sections=sections,
        citations=entities.citations,
        targets=entities.targets,
        assignments=entities.assignments,
        amounts=entities.amounts,
        proportions=entities.proportions,
        breakdowns=entities.breakdowns,
        tables=tables,
        level_mentions=entities.level_mentions,
        attachments=entities.attachments,
    )
    timed("checks", lambda: run_checks(extracted))
    return len(document.text), seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seed", default="001_1747db98b33217c6", help="seed stem (default: 001, with a table)"
    )
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = (ROOT / "corpus" / "seeds" / f"{args.seed}.txt").read_text(encoding="utf-8")
    folder = Path(tempfile.mkdtemp(prefix="khplan-scaling-"))
    run_stages(ROOT / "corpus" / "seeds" / f"{args.seed}.txt")  # warm-up: imports, data files, patterns
    print(f"seed {args.seed}; µs per character, best of {args.repeat} (one run at the largest size)")
    print(
        f"{'size':>5} {'characters':>11} "
        + " ".join(f"{stage:>9}" for stage in STAGES)
        + f" {'all':>7} {'vs 1x':>6}"
    )
    baseline = None
    for factor in args.factors:
        path = folder / f"x{factor}.txt"
        path.write_text("\n\n".join([text] * factor), encoding="utf-8")
        runs = [run_stages(path) for _ in range(1 if factor == max(args.factors) else args.repeat)]
        characters, best = min(runs, key=lambda run: sum(run[1].values()))
        per_character = {stage: best[stage] / characters * 1e6 for stage in STAGES}
        total = sum(per_character.values())
        baseline = baseline or total
        cells = " ".join(f"{per_character[stage]:9.2f}" for stage in STAGES)
        print(f"{factor:4d}x {characters:11,d} {cells} {total:7.2f} {total / baseline:6.2f}")
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
