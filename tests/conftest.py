"""Shared fixtures: the corpus and a cached extraction per corpus file (each file is read once per session)."""

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = CORPUS / "seeds"
EXPECTED = CORPUS / "expected"
SEED_STEMS = sorted(path.stem for path in EXPECTED.glob("*.json"))
FORMATS = ("txt", "docx", "pdf")


@cache
def extracted(path: Path):
    """The extraction of one corpus file, shared by every test that reads it."""
    from extractor import extract_document

    return extract_document(path)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
