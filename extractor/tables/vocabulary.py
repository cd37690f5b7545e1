"""The words of table headers and row labels (extractor/data/), ready for matching.

Headers are compared on a key that ignores case, diacritics and punctuation, so "HỘ CẬN NGHÈO", "Hộ cận
nghèo" and an OCR'd "Ho can ngheo" read the same. Terms match as whole words: "CN" is found in "Hộ CN cuối
năm 2021" but not in "CNTT".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from extractor import data
from extractor.normalize.text import matching_key, strip_diacritics

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}%]+")


@lru_cache(maxsize=65536)  # headers and labels repeat across the tables of a batch
def header_key(text: str) -> str:
    """The comparison key of a header or label: "Tỷ lệ %" -> "ty le %", "Hộ CN (cuối năm)" -> "ho cn cuoi nam"."""
    return _NOT_WORD.sub(" ", strip_diacritics(matching_key(text))).strip()


@lru_cache(maxsize=65536)
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
    """Every word list of the tables stage; see the YAML files for what each one means."""

    ordinal_headers: Terms
    label_headers: Terms
    total_labels: Terms
    subtotal_label_starts: Terms
    detail_labels: Terms
    group_words: Terms
    row_total_headers: Terms
    non_additive_headers: Terms
    empty_marks: frozenset[str]
    measures: dict[str, Terms]
    money_exclusions: Terms
    money_accented: Terms
    money_exclusions_accented: Terms
    populations: dict[str, Terms]
    stages: dict[str, Terms]
    total_households: Terms
    household_counts: Terms
    money_units: dict[str, str]
    money_unit_pattern: regex.Pattern[str]  # any key of ``money_units`` as whole words


def _bare_safe(measure: str, words: list[str]) -> list[str]:
    """Money words matched without diacritics only when they cannot be confused ("triệu đồng", "kinh phí");
    a lone "đồng" must keep its marks (see ``accented_key``)."""
    if measure != "money":
        return words
    return [word for word in words if header_key(word) != "dong"]


def money_unit_words() -> dict[str, str]:
    """Money units a header may name, as written -> as reported ("triệu đồng", "VNĐ" -> "đồng"). A header names
    money with a currency: a bare "tỷ" is also "Tỷ lệ", a bare "đ" a letter."""
    currency = data.money().currency.unit
    return {
        written: unit
        for written, unit in data.money().units.items()
        if unit.endswith(currency) and len(written) > 1
    }


def household_groups() -> dict[str, list[str]]:
    """The groups whose households per-unit tables count, with their header words ("cận nghèo", "CN")."""
    return {
        population.key: [*population.phrases, *population.abbreviations]
        for population in data.populations().populations
        if population.household_table
    }


@cache
def vocabulary() -> TableVocabulary:
    """The vocabulary, loaded once per process: ``data/table_vocabulary.yaml``, the household groups of
    ``data/populations.yaml`` and the money units of ``data/money.yaml``."""
    words = data.table_words()
    money_units = money_unit_words()
    measures = {
        "percent": words.measures.percent,
        "money": [*words.measures.money, *money_units],
        "count": words.measures.count,
    }
    groups = household_groups()
    return TableVocabulary(
        ordinal_headers=make_terms(words.ordinal_headers),
        label_headers=make_terms(words.label_headers),
        total_labels=make_terms(words.total_labels),
        subtotal_label_starts=make_terms(words.subtotal_label_starts),
        detail_labels=make_terms(words.detail_labels),
        group_words=make_terms(words.group_words),
        row_total_headers=make_terms(words.row_total_headers),
        non_additive_headers=make_terms(words.non_additive_headers),
        empty_marks=frozenset(words.empty_marks),
        measures={name: make_terms(_bare_safe(name, listed)) for name, listed in measures.items()},
        money_exclusions=make_terms(words.money_exclusions),
        money_accented=make_terms(measures["money"], accented_key),
        money_exclusions_accented=make_terms(words.money_exclusions, accented_key),
        populations={key: make_terms(listed) for key, listed in groups.items()},
        stages={name: make_terms(listed) for name, listed in words.stages.model_dump().items()},
        total_households=make_terms(words.total_households),
        household_counts=make_terms(words.household_counts),
        money_units={header_key(written): unit for written, unit in money_units.items()},
        money_unit_pattern=make_terms(list(money_units)).pattern,
    )
