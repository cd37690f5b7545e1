"""Who a stated number is about: the groups of ``data/populations.yaml`` named in a folded phrase.

"100% hộ nghèo, hộ cận nghèo được cấp thẻ BHYT" is for {poor, near_poor}; "hộ mới thoát nghèo" is
newly_escaped and not also poor: the groups are tried in the data file's order and a group's words are used up.
"""

from __future__ import annotations

from functools import cache

import regex

from extractor import data
from extractor.normalize.patterns import WORD_END, WORD_START, folded_alternation, folded_words


@cache
def _patterns() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple(
        (
            population.key,
            regex.compile(rf"{WORD_START}(?:{folded_alternation(population.phrases)}){WORD_END}"),
        )
        for population in data.populations().populations
    )


def populations_in(folded: str) -> frozenset[str]:
    """The groups a folded phrase names: "ho ngheo, ho can ngheo" -> {poor, near_poor}."""
    found = set()
    remaining = folded
    for key, pattern in _patterns():
        if pattern.search(remaining):
            found.add(key)
            remaining = pattern.sub(lambda match: " " * len(match.group()), remaining)
    return frozenset(found)


def table_group_in(folded: str) -> str | None:
    """The first of the groups per-unit tables count (``household_table``: near_poor, poor) a phrase names:
    "ho ngheo co kha nang thoat ngheo" -> "poor", "ho can ngheo" -> "near_poor"; None when it names neither."""
    for key, pattern in _patterns():
        if key in _TABLE_GROUPS and pattern.search(folded):
            return key
    return None


_TABLE_GROUPS = frozenset(p.key for p in data.populations().populations if p.household_table)


# The word that makes a subject a group of households: "hộ" in "hộ nghèo", "hộ cận nghèo".
HOUSEHOLD_WORD = folded_words(data.units().by_unit["hộ"].unit)[0]
# A subject naming a whole group is short: "hộ nghèo", "hộ cận nghèo", "hộ mới thoát nghèo".
MAX_GROUP_WORDS = 4


def household_groups(folded_subject: str) -> frozenset[str]:
    """The groups of households a subject names exactly: "ho ngheo" -> {poor}, "ho ngheo, ho can ngheo" ->
    {poor, near_poor}; nothing for "ho ngheo thuoc dien …" (a part of a group) or a subject about persons."""
    words = folded_subject.strip(" .").split()
    if not words or words[0] != HOUSEHOLD_WORD or len(words) > MAX_GROUP_WORDS:
        return frozenset()
    return populations_in(" ".join(words))


def single_group(groups: frozenset[str]) -> str | None:
    """The population key of a subject naming exactly one group, else None."""
    return next(iter(groups)) if len(groups) == 1 else None
