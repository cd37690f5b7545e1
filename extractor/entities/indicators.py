"""The indicator taxonomy of ``data/indicators.yaml``, compiled once: which phrase near a number names what.

Matching is on folded text (case and diacritics ignored, "tỉ lệ" = "tỷ lệ"), any run of spaces or hyphens
between syllables, whole words. When several keys match, the highest ``priority`` wins: a specific service
("bảo hiểm y tế", 3) beats the population it is for ("hộ nghèo", 1).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from extractor import data
from extractor.normalize.patterns import WORD_END, WORD_START, folded_alternation, folded_phrase, folded_words


@dataclass(frozen=True)
class IndicatorEntry:
    key: str
    priority: int
    rate_key: str | None
    count_key: str | None
    population: str | None


@dataclass(frozen=True)
class Taxonomy:
    entries: dict[str, IndicatorEntry]
    # The phrases grouped by their first folded word ("ho" -> "ho ngheo|ho can ngheo|…"), longest first.
    phrases_by_first_word: dict[str, regex.Pattern[str]]
    keys_by_phrase: dict[str, tuple[str, ...]]
    absent: regex.Pattern[str]  # "không còn … hộ nghèo": groups "cue" and "absent"
    keys_by_absent: dict[str, str]


def squash(folded: str) -> str:
    """Folded words joined by one space: the key of a matched phrase ("ho  ngheo" -> "ho ngheo")."""
    return " ".join(folded_words(folded))


def _bounded(phrase: str) -> str:
    return rf"{WORD_START}{folded_phrase(phrase)}{WORD_END}"


@cache
def taxonomy() -> Taxonomy:
    """The indicator taxonomy, compiled once per process."""
    entries: dict[str, IndicatorEntry] = {}
    keys_by_phrase: dict[str, list[str]] = {}
    keys_by_absent: dict[str, str] = {}
    for key, entry in data.indicators().indicators.items():
        entries[key] = IndicatorEntry(key, entry.priority, entry.rate_key, entry.count_key, entry.population)
        for phrase in entry.phrases:
            keys_by_phrase.setdefault(squash(phrase), []).append(key)
        for phrase in entry.absent:
            keys_by_absent[squash(phrase)] = key
    phrases = sorted(keys_by_phrase, key=len, reverse=True)
    absent = sorted(keys_by_absent, key=len, reverse=True)
    # "không còn hộ tái nghèo", "không để phát sinh …", "không có người dân nào bị thiếu đói", "xóa nhà tạm":
    # a few words may stand between the negation and what must be absent.
    absent_pattern = (
        rf"{WORD_START}(?P<cue>{folded_alternation(data.cues().absence)})"
        r"(?:\s+[\p{L}]+){0,5}?\s+(?P<absent>" + "|".join(_bounded(p) for p in absent) + ")"
    )
    return Taxonomy(
        entries=entries,
        phrases_by_first_word=_by_first_word(phrases),
        keys_by_phrase={phrase: tuple(keys) for phrase, keys in keys_by_phrase.items()},
        absent=regex.compile(absent_pattern),
        keys_by_absent=keys_by_absent,
    )


def _by_first_word(phrases: list[str]) -> dict[str, regex.Pattern[str]]:
    """One pattern per first word of the (folded, squashed) ``phrases``, keeping their order."""
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase.split(" ")[0], []).append(phrase)
    return {word: regex.compile("|".join(_bounded(p) for p in group)) for word, group in grouped.items()}


@dataclass(frozen=True)
class IndicatorHit:
    key: str
    priority: int
    start: int
    end: int


_WORD = regex.compile(r"[\p{L}\p{N}]+")
_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")


def indicator_hits(folded: str, start: int, end: int) -> list[IndicatorHit]:
    """Every taxonomy phrase in ``folded[start:end]`` (absolute offsets), each with its best key.

    A phrase starts at a word and its first word is that whole word, so only the phrases beginning with each
    word of the window are tried there (trying all 130 phrases at every character was the slowest part of
    reading targets).
    """
    table = taxonomy()
    hits = []
    for match in _phrases_at_words(table, folded, start, end):
        keys = table.keys_by_phrase[squash(match.group())]
        best = max(keys, key=lambda k: table.entries[k].priority)
        hits.append(IndicatorHit(best, table.entries[best].priority, match.start(), match.end()))
    return hits


def _phrases_at_words(table: Taxonomy, folded: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    for word in _WORD.finditer(folded, start, end):
        at = word.start()
        if at == start and at > 0 and _WORD_CHARACTER.match(folded, at - 1):
            continue  # the window starts inside a word: no phrase starts there
        pattern = table.phrases_by_first_word.get(word.group())
        if pattern is not None and (match := pattern.match(folded, at, end)) is not None:
            yield match


def best_hit(hits: Sequence[IndicatorHit], prefer_last: bool) -> IndicatorHit | None:
    """Highest priority, then longest, then nearest to the number."""
    if not hits:
        return None
    order = range(len(hits) - 1, -1, -1) if prefer_last else range(len(hits))
    return max((hits[i] for i in order), key=lambda h: (h.priority, h.end - h.start))


def adjust_key(key: str, percent: bool) -> str:
    """A count key for a count, a rate key for a percent ("51 hộ nghèo" vs "2,06% hộ nghèo")."""
    entry = taxonomy().entries.get(key)
    if entry is None:
        return key
    if percent and entry.rate_key:
        return entry.rate_key
    if not percent and entry.count_key:
        return entry.count_key
    return key


def population_of(key: str) -> str | None:
    """The group of households a household indicator counts: "poverty_rate" -> "poor"."""
    entry = taxonomy().entries.get(key)
    return entry.population if entry is not None else None
