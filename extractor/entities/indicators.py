"""The indicator taxonomy of ``data/indicators.yaml``, compiled once: which phrase near a number names what.

Matching is on folded text (case and diacritics ignored, "tỉ lệ" = "tỷ lệ"), any run of spaces or hyphens
between syllables, whole words. When several keys match, the highest ``priority`` wins: a specific service
("bảo hiểm y tế", 3) beats the population it is for ("hộ nghèo", 1); at equal priority the phrase that names
what the number counts (the subject) wins. Two phrases that fold alike ("nhà tắm", "nhà tạm") are told apart
by the marks of the text itself.
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
    counts: frozenset[str]  # the units a count of it may be in; empty: any


@dataclass(frozen=True)
class Taxonomy:
    entries: dict[str, IndicatorEntry]
    # The phrases grouped by their first folded word ("ho" -> "ho ngheo|ho can ngheo|…"), longest first.
    phrases_by_first_word: dict[str, regex.Pattern[str]]
    keys_by_phrase: dict[str, tuple[str, ...]]
    # For a folded phrase two keys write with different marks ("nha tam": "nhà tắm", "nhà tạm"): the key of
    # each written form (lower case, words joined by one space).
    keys_by_written: dict[str, dict[str, str]]
    absent: regex.Pattern[str]  # "không còn … hộ nghèo": groups "cue" and "absent"
    absent_phrases: regex.Pattern[str]  # any one thing whose absence is committed, longest first
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
    written: dict[str, dict[str, str]] = {}
    keys_by_absent: dict[str, str] = {}
    for key, entry in data.indicators().indicators.items():
        entries[key] = IndicatorEntry(
            key, entry.priority, entry.rate_key, entry.count_key, entry.population, frozenset(entry.counts)
        )
        for phrase in entry.phrases:
            keys_by_phrase.setdefault(squash(phrase), []).append(key)
            written.setdefault(squash(phrase), {}).setdefault(_written_key(phrase), key)
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
        keys_by_written={phrase: forms for phrase, forms in written.items() if len(forms) > 1},
        absent=regex.compile(absent_pattern),
        absent_phrases=regex.compile("|".join(_bounded(p) for p in absent)),
        keys_by_absent=keys_by_absent,
    )


def _written_key(phrase: str) -> str:
    """A phrase as written, lower case, its words joined by one space: "Nhà  tắm" -> "nhà tắm"."""
    return " ".join(_WORD.findall(phrase.lower()))


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


def indicator_hits(folded: str, start: int, end: int, text: str | None = None) -> list[IndicatorHit]:
    """Every taxonomy phrase in ``folded[start:end]`` (absolute offsets), each with its best key.

    A phrase starts at a word and its first word is that whole word, so only the phrases beginning with each
    word of the window are tried there (trying all 130 phrases at every character was the slowest part of
    reading targets). ``text`` (the unfolded text, same offsets) tells apart phrases that fold alike: in
    "Tỷ lệ hộ có nhà tiêu, nhà tắm …" the "nha tam" is "nhà tắm", a sanitary work, not "nhà tạm".
    """
    table = taxonomy()
    hits = []
    for match in _phrases_at_words(table, folded, start, end):
        phrase = squash(match.group())
        best = _key_as_written(table, phrase, text[match.start() : match.end()] if text else None)
        if best is None:
            best = max(table.keys_by_phrase[phrase], key=lambda k: table.entries[k].priority)
        hits.append(IndicatorHit(best, table.entries[best].priority, match.start(), match.end()))
    return hits


def _key_as_written(table: Taxonomy, phrase: str, written: str | None) -> str | None:
    """The key whose phrase is written with the marks of ``written``, when folding merged two ("nhà tắm")."""
    forms = table.keys_by_written.get(phrase)
    if forms is None or written is None:
        return None
    return forms.get(_written_key(written))


def _phrases_at_words(table: Taxonomy, folded: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    for word in _WORD.finditer(folded, start, end):
        at = word.start()
        if at == start and at > 0 and _WORD_CHARACTER.match(folded, at - 1):
            continue  # the window starts inside a word: no phrase starts there
        pattern = table.phrases_by_first_word.get(word.group())
        if pattern is not None and (match := pattern.match(folded, at, end)) is not None:
            yield match


def best_hit(
    hits: Sequence[IndicatorHit], prefer_last: bool, subject: IndicatorHit | None = None
) -> IndicatorHit | None:
    """Highest priority, then the ``subject`` (the phrase naming what the number counts), then longest,
    then nearest to the number.

    In "Tỷ lệ doanh nghiệp trong cụm công nghiệp ứng dụng chuyển đổi số đạt 60%" three phrases of priority 4
    stand before the number; the subject, right after "tỷ lệ", is "doanh nghiệp": the share is of enterprises.
    """
    if not hits:
        return None
    order = range(len(hits) - 1, -1, -1) if prefer_last else range(len(hits))
    return max((hits[i] for i in order), key=lambda h: (h.priority, h is subject, h.end - h.start))


def counts_in(key: str, unit: str | None) -> bool:
    """True unless the indicator lists the units it counts and ``unit`` is not one: a count of "lao động"
    is never an ``enterprises`` target ("3.000 lao động tại các doanh nghiệp")."""
    entry = taxonomy().entries.get(key)
    return entry is None or not entry.counts or unit is None or unit in entry.counts


def most_specific_absence(folded: str, start: int, end: int) -> tuple[str, int, int] | None:
    """Of the things whose absence is committed in ``folded[start:end]``, the most specific: (key, start,
    end). "không còn hộ nghèo ở nhà tạm, nhà dột nát" names poor households (1) and temporary houses (4):
    the commitment is on the houses."""
    table = taxonomy()
    best: tuple[int, str, int, int] | None = None
    for match in table.absent_phrases.finditer(folded, start, end):
        key = table.keys_by_absent[squash(match.group())]
        priority = table.entries[key].priority
        if best is None or priority > best[0]:
            best = (priority, key, match.start(), match.end())
    return None if best is None else best[1:]


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
