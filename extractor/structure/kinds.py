"""Classify a heading into canonical part kinds (purpose, targets, implementation, …).

The phrases live in ``extractor/data/section_kinds.yaml``. Matching works on syllables with diacritics
stripped, so case, tone-mark placement and OCR-damaged marks ("MUC TIẾU") do not matter, and each phrase is
looked for anywhere among the heading's first words, so word order between phrases does not matter either
("YÊU CẦU, MỤC ĐÍCH" gets requirements and purpose).
"""

from dataclasses import dataclass
from functools import cache, lru_cache

import regex
from rapidfuzz import fuzz

from extractor import data
from extractor.normalize.text import strip_diacritics

# Only the first words of a heading name the part: a long numbered paragraph ("1. Hộ nghèo năm 2023 theo
# chuẩn nghèo …") must not pick up a kind from the middle of its sentence.
HEADING_WINDOW_SYLLABLES = 10
# Two syllables of four letters or more match when rapidfuzz's ratio reaches this (one letter swapped by OCR).
SYLLABLE_SIMILARITY = 80

_SYLLABLE = regex.compile(r"\p{L}+", regex.V1)


@dataclass(frozen=True)
class KindPhrase:
    kind: str
    syllables: tuple[str, ...]
    anchored: bool


def syllables(text: str) -> list[str]:
    """Lower-case syllables without diacritics: "MỤC TIÊU, CHỈ TIÊU" -> ["muc", "tieu", "chi", "tieu"]."""
    return _SYLLABLE.findall(strip_diacritics(text).lower())


@cache
def kind_phrases() -> tuple[KindPhrase, ...]:
    """The phrases of the data file; a phrase written "^phụ lục" must open the heading."""
    phrases = []
    for kind, written in data.section_kinds().root.items():
        for phrase in written:
            anchored = phrase.startswith("^")
            phrases.append(KindPhrase(kind, tuple(syllables(phrase.lstrip("^"))), anchored))
    return tuple(phrases)


@cache  # headings reuse a small vocabulary: the same pairs come back in every document
def _same_syllable(written: str, expected: str) -> bool:
    if written == expected:
        return True
    return min(len(written), len(expected)) >= 4 and fuzz.ratio(written, expected) >= SYLLABLE_SIMILARITY


def _contains(heading: list[str], phrase: KindPhrase) -> bool:
    size = len(phrase.syllables)
    starts = [0] if phrase.anchored else range(len(heading) - size + 1)
    return any(
        len(heading) >= size
        and all(_same_syllable(heading[start + k], phrase.syllables[k]) for k in range(size))
        for start in starts
    )


def classify_heading(heading: str) -> list[str]:
    """Kinds named by ``heading``, in data-file order; ["other"] when none.

    "MỤC TIÊU, CHỈ TIÊU" -> ["objectives", "targets"]; "TỔ CHỨC THỰC HIỆN" -> ["implementation"].
    """
    return list(_classify_words(tuple(syllables(heading)[:HEADING_WINDOW_SYLLABLES])))


@lru_cache(maxsize=4096)  # plans of a batch repeat their headings ("Mục tiêu cụ thể", "TỔ CHỨC THỰC HIỆN")
def _classify_words(words: tuple[str, ...]) -> tuple[str, ...]:
    kinds: list[str] = []
    for phrase in kind_phrases():
        if phrase.kind not in kinds and _contains(list(words), phrase):
            kinds.append(phrase.kind)
    return tuple(kinds) or ("other",)
