"""Characters per second of the entity stages together, beside spaCy's bare syllable tokenizer, one run.

Usage: .venv/bin/python bench/entities_speed.py [--repeat N]

The corpus TXT files (seeds and cases) are read and normalized once; the script then times
``extract_entities`` (every component of the one spaCy pipeline: amounts, breakdowns, citations, targets,
proportions, assignments) over all of them, and ``spacy.blank("vi")``'s tokenizer without pyvi over the same
text. Aim: at least 1 M characters/s on one core; the pipeline is built once per process.
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

    from extractor.entities.nlp import build_pipeline, extract_entities
    from extractor.ingest import read_document
    from extractor.normalize.document import normalize_document
    from extractor.structure.sections import build_sections
    from extractor.structure.zones import find_zones

    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "cases").glob("*.txt")
    )
    prepared = []
    for path in paths:
        document = normalize_document(read_document(path))
        zones = find_zones(document)
        prepared.append((document, zones, build_sections(document, zones)))
    characters = sum(len(document.text) for document, _, _ in prepared)

    started = time.perf_counter()
    nlp = build_pipeline()
    build_seconds = time.perf_counter() - started
    for document, zones, sections in prepared:  # warm-up
        extract_entities(document, zones, sections)

    def best(work) -> float:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return min(times)

    ours = best(lambda: [extract_entities(d, z, s) for d, z, s in prepared])
    bare = best(lambda: [nlp.make_doc(d.text) for d, _, _ in prepared])
    print(
        f"{len(prepared)} documents, {characters:,} characters, best of {args.repeat}; pipeline built once in {build_seconds:.2f} s"
    )
    print(f"  entity stages            {ours:7.3f} s  {characters / ours / 1e6:6.2f} M chars/s")
    print(f"  spaCy vi tokenizer alone {bare:7.3f} s  {characters / bare / 1e6:6.2f} M chars/s")
    print(f"  entity stages / tokenizer = {ours / bare:.1f} x (aim: >= 1 M chars/s)")


if __name__ == "__main__":
    main()
