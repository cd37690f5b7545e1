"""The words of table headers and row labels (extractor/data/table_vocabulary.yaml), ready for matching.

Headers are compared on a key that ignores case, diacritics and punctuation, so "HỘ CẬN NGHÈO", "Hộ cận
nghèo" and an OCR'd "Ho can ngheo" read the same. Terms match as whole words: "CN" is found in "Hộ CN cuối
năm 2021" but not in "CNTT".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from extractor.data import load_data
from extractor.normalize.text import matching_key, strip_diacritics

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}%]+")


def header_key(text: str) -> str:
    """The comparison key of a header or label: "Tỷ lệ %" -> "ty le %", "Hộ CN (cuối năm)" -> "ho cn cuoi nam"."""
    return _NOT_WORD.sub(" ", strip_diacritics(matching_key(text))).strip()


def accented_key(text: str) -> str:
    """Like ``header_key`` but keeping diacritics, for words that lose their meaning without them: "đồng"
    (money) is "dong" bare, as are "động" in "lao động" and "Đông" in a place name."""
    return _NOT_WORD.sub(" ", matching_key(text)).strip()


@dataclass(frozen=True)
class Terms:
    """A list of terms compiled into one whole-word pattern over header keys, longest first."""

    written: tuple[str, ...]
    pattern: regex.Pattern[str]

    def found_in(self, key: str) -> bool:
        return self.pattern.search(key) is not None

    def matches_whole(self, key: str) -> bool:
        return self.pattern.fullmatch(key) is not None


def make_terms(words: list[str] | tuple[str, ...], key=header_key) -> Terms:  # type: ignore[no-untyped-def]
    keys = sorted({key(word) for word in words if key(word)}, key=len, reverse=True)
    alternatives = "|".join(regex.escape(key).replace(r"\ ", " ") for key in keys)
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}])")
    return Terms(tuple(words), pattern)


@dataclass(frozen=True)
class TableVocabulary:
    """Every word list of the tables stage; see the YAML file for what each one means."""

    ordinal_headers: Terms
    label_headers: Terms
    total_labels: Terms
    subtotal_label_starts: Terms
    empty_marks: frozenset[str]
    measures: dict[str, Terms]
    money_exclusions: Terms
    money_accented: Terms
    money_exclusions_accented: Terms
    populations: dict[str, Terms]
    stages: dict[str, Terms]
    total_households: Terms
    money_units: dict[str, str]


def _bare_safe(measure: str, words: list[str]) -> list[str]:
    """Money words matched without diacritics only when they cannot be confused ("triệu đồng", "kinh phí");
    a lone "đồng" must keep its marks (see ``accented_key``)."""
    if measure != "money":
        return words
    return [word for word in words if header_key(word) != "dong"]


@cache
def vocabulary() -> TableVocabulary:
    """The vocabulary, loaded once per process."""
    data = load_data("table_vocabulary.yaml")
    return TableVocabulary(
        ordinal_headers=make_terms(data["ordinal_headers"]),
        label_headers=make_terms(data["label_headers"]),
        total_labels=make_terms(data["total_labels"]),
        subtotal_label_starts=make_terms(data["subtotal_label_starts"]),
        empty_marks=frozenset(data["empty_marks"]),
        measures={name: make_terms(_bare_safe(name, words)) for name, words in data["measures"].items()},
        money_exclusions=make_terms(data["money_exclusions"]),
        money_accented=make_terms(data["measures"]["money"], accented_key),
        money_exclusions_accented=make_terms(data["money_exclusions"], accented_key),
        populations={name: make_terms(words) for name, words in data["populations"].items()},
        stages={name: make_terms(words) for name, words in data["stages"].items()},
        total_households=make_terms(data["total_households"]),
        money_units={header_key(written): unit for written, unit in data["money_units"].items()},
    )
