"""Shared fixtures: the corpus and a cached extraction per corpus file (each file is read once per session)."""

import os
from functools import cache
from pathlib import Path

import pytest

# A program fault inside one extractor or check rule fails the test instead of being listed in
# ``coverage.failed`` (``extractor.faults``): the suite must see every bug the catch would hide.
os.environ.setdefault("KHPLAN_STRICT", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
CASES = CORPUS / "cases"
GOLD = CORPUS / "gold"
EXPECTED = CORPUS / "expected"
SEED_STEMS = sorted(path.stem for path in SEEDS.glob("*.txt"))
FORMATS = ("txt", "docx", "pdf")


def corpus_file(stem: str) -> Path:
    """The text file of a seed or a case: ``corpus_file("funding-sai-so-thanh-hoa")``."""
    for folder in (SEEDS, CASES):
        if (folder / f"{stem}.txt").exists():
            return folder / f"{stem}.txt"
    raise FileNotFoundError(f"no corpus text named {stem}")


@cache
def extracted(path: Path):
    """The extraction of one corpus file, shared by every test that reads it."""
    from extractor import extract_document

    return extract_document(path)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
