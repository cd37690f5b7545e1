"""Characters per second of the entity stages together, beside spaCy's bare syllable tokenizer, one run.

Usage: .venv/bin/python bench/entities_speed.py [--repeat N]

The corpus TXT files (seeds and cases) are read, normalized and structured once; the script then times
``extract_entities`` (every extractor: citations, amounts, breakdowns, assignments, targets, proportions, level
mentions, attachments) over a fresh ``PlanText`` of each (so the numbers are read again, as in a real run),
and ``spacy.blank("vi")``'s tokenizer without pyvi over the same text, for scale. Aim: at least 1 M
characters/s on one core.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import spacy

    from extractor.entities import extract_entities
    from extractor.ingest import read_document
    from extractor.normalize.document import normalize_document
    from extractor.structure.metadata import extract_metadata
    from extractor.structure.plan_text import PlanText
    from extractor.structure.sections import build_sections
    from extractor.structure.zones import find_zones

    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "cases").glob("*.txt")
    )
    prepared = []
    for path in paths:
        document = normalize_document(read_document(path))
        zones = find_zones(document)
        metadata = extract_metadata(document, zones)
        prepared.append(
            (document, build_sections(document, zones), metadata.unit.value if metadata.unit else None)
        )
    characters = sum(len(document.text) for document, _, _ in prepared)

    started = time.perf_counter()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    build_seconds = time.perf_counter() - started
    for document, sections, unit in prepared:  # warm-up: data files and patterns are loaded once per process
        extract_entities(PlanText(document, sections, unit))

    def best(work) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return min(times)

    ours = best(lambda: [extract_entities(PlanText(d, s, u)) for d, s, u in prepared])
    bare = best(lambda: [nlp.make_doc(d.text) for d, _, _ in prepared])
    print(
        f"{len(prepared)} documents, {characters:,} characters, best of {args.repeat}; spaCy blank vi built in {build_seconds:.2f} s"
    )
    print(f"  entity stages            {ours:7.3f} s  {characters / ours / 1e6:6.2f} M chars/s")
    print(f"  spaCy vi tokenizer alone {bare:7.3f} s  {characters / bare / 1e6:6.2f} M chars/s")
    print(f"  entity stages / tokenizer = {ours / bare:.1f} x (aim: >= 1 M chars/s)")


if __name__ == "__main__":
    main()
