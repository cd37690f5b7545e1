"""What each column means, read from its header words (never from its position).

"Hộ nghèo đầu năm 2021 / TS" is the count of poor households at the start of the year (``poor_start``);
"HỘ CẬN NGHÈO / Có khả năng thoát cận nghèo 2024 / Số hộ" the near-poor households expected to leave
(``near_poor_reduction``); "Tổng số hộ gia đình" the base of every rate (``total_households``). A percent
column is linked to the count it expresses (the count column under the same group header) and to its base,
so the checks never re-read headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import regex

from extractor.tables.cells import Measure
from extractor.tables.vocabulary import accented_key, header_key, vocabulary
from models.tables import ColumnRole

Population = Literal["poor", "near_poor"]
Stage = Literal["reduction", "new", "start", "end"]
STAGE_ORDER: tuple[Stage, ...] = ("reduction", "new", "start", "end")
MEASURE_ORDER: tuple[Measure, ...] = ("percent", "money", "count")
POPULATION_ORDER: tuple[Population, ...] = ("near_poor", "poor")
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
HOUSEHOLD_ROLES = frozenset(
    f"{population}_{stage}" for population in POPULATION_ORDER for stage in STAGE_ORDER
) | {"total_households"}


@dataclass(frozen=True)
class ColumnMeaning:
    """What a header path says: the measure (percent/count/money), whose households, which stage of the
    year, whether it is all households, the year and the money unit it names."""

    measure: Measure | None = None
    population: Population | None = None
    stage: Stage | None = None
    total_households: bool = False
    year: int | None = None
    money_unit: str | None = None


def _deepest_first(path: Sequence[str]) -> list[str]:
    return [header_key(part) for part in reversed(path) if header_key(part)]


def read_column_meaning(path: Sequence[str]) -> ColumnMeaning:
    """Read a header path, the deepest header row first: ["Hộ nghèo cuối năm 2021", "%"] -> percent of poor
    households at the end of the year 2021."""
    words = vocabulary()
    keys = _deepest_first(path)
    population = _first_named(keys, POPULATION_ORDER, words.populations)
    total = population is None and any(words.total_households.found_in(key) for key in keys)
    years = [int(year) for part in reversed(path) for year in _YEAR.findall(part)]
    return ColumnMeaning(
        measure=_measure(path),
        population=population,
        stage=_first_named(keys, STAGE_ORDER, words.stages),
        total_households=total,
        year=years[0] if years else None,
        money_unit=_money_unit(keys),
    )


def _first_named(keys: list[str], order: Sequence[str], terms: dict) -> str | None:  # type: ignore[type-arg]
    for key in keys:
        for name in order:
            if terms[name].found_in(key):
                return name
    return None


def _measure(path: Sequence[str]) -> Measure | None:
    words = vocabulary()
    for part in reversed(path):
        key = words.money_exclusions.pattern.sub(" ", header_key(part))
        accented = words.money_exclusions_accented.pattern.sub(" ", accented_key(part))
        for measure in MEASURE_ORDER:
            if words.measures[measure].found_in(key) or (
                measure == "money" and words.money_accented.found_in(accented)
            ):
                return measure
    return None


def _money_unit(keys: list[str]) -> str | None:
    """ "Kinh phí (triệu đồng)" -> "triệu đồng"; "Số hộ đồng bào DTTS" names no money."""
    words = vocabulary()
    for key in keys:
        cleaned = words.money_exclusions.pattern.sub(" ", key)
        found = [match.group() for match in words.money_unit_pattern.finditer(cleaned, overlapped=True)]
        if found:
            return words.money_units[max(found, key=len)]
    return None


@dataclass(frozen=True)
class ColumnSense:
    """A column's role and links as the output reports them."""

    role: ColumnRole
    unit: str | None = None
    count_column: int | None = None
    base_column: int | None = None


def column_senses(
    paths: Sequence[Sequence[str]],
    meanings: Sequence[ColumnMeaning],
    ordinal: int | None,
    labels: Sequence[int],
    numeric: Sequence[bool],
    whole: Sequence[bool],
) -> list[ColumnSense]:
    """Roles of all columns and the links of percent columns.

    ``numeric[i]`` says column i holds numbers, ``whole[i]`` that they are all whole (a generic count).
    """
    roles: list[ColumnRole] = [
        _role(index, meanings[index], ordinal, labels, numeric[index], whole[index])
        for index in range(len(paths))
    ]
    _earlier_end_is_start(roles, meanings)
    _stages_between_join_their_group(roles, meanings)
    base = next((index for index, role in enumerate(roles) if role == "total_households"), None)
    senses = []
    for index, role in enumerate(roles):
        if role == "percent":
            count = _count_column_of(index, paths, meanings, roles)
            counted = meanings[index].population is not None or (
                count is not None
                and (
                    roles[count] in HOUSEHOLD_ROLES
                    or meanings[count].population is not None
                    or counts_households(paths[count])
                )
            )
            senses.append(ColumnSense("percent", "%", count, base if counted and base != count else None))
        else:
            senses.append(ColumnSense(role, _unit(role, meanings[index])))
    return senses


def counts_households(path: Sequence[str]) -> bool:
    """A count column whose deepest header counts households ("Số hộ", "Hộ"): its share is of all the
    unit's households. "Số khẩu", "Số người" count persons, whose base the header words do not give."""
    keys = _deepest_first(path)
    return bool(keys) and vocabulary().household_counts.matches_whole(keys[0])


def _role(
    index: int, meaning: ColumnMeaning, ordinal: int | None, labels: Sequence[int], numeric: bool, whole: bool
) -> ColumnRole:
    if index == ordinal:
        return "ordinal"
    if index in labels:
        return "label"
    if not numeric:
        return "other"
    if meaning.measure == "percent":
        return "percent"
    if meaning.measure == "money":
        return "money"
    if meaning.total_households:
        return "total_households"
    if meaning.population is not None and meaning.stage is not None:
        return f"{meaning.population}_{meaning.stage}"  # type: ignore[return-value]
    return "count" if whole else "other"


def _earlier_end_is_start(roles: list[ColumnRole], meanings: Sequence[ColumnMeaning]) -> None:
    """Two "cuối năm" counts of one population and no start: the earlier year's is this plan's start
    ("Hộ nghèo cuối năm 2023" beside "Hộ nghèo cuối năm 2024")."""
    for population in POPULATION_ORDER:
        ends = [
            i for i, role in enumerate(roles) if role == f"{population}_end" and meanings[i].year is not None
        ]
        if f"{population}_start" in roles or len(ends) < 2:
            continue
        earliest = min(ends, key=lambda i: meanings[i].year or 0)
        if sum(1 for i in ends if meanings[i].year == meanings[earliest].year) == 1:
            roles[earliest] = f"{population}_start"  # type: ignore[assignment]


def _stages_between_join_their_group(roles: list[ColumnRole], meanings: Sequence[ColumnMeaning]) -> None:
    """A count column naming only a stage ("Thoát nghèo", "Phát sinh mới") between the start and the end
    columns of one group of households belongs to that group's flow: "Hộ nghèo đầu năm | Thoát nghèo |
    Phát sinh mới | Hộ nghèo cuối năm"."""
    for population in POPULATION_ORDER:
        starts = [i for i, role in enumerate(roles) if role == f"{population}_start"]
        ends = [i for i, role in enumerate(roles) if role == f"{population}_end"]
        if len(starts) != 1 or len(ends) != 1 or starts[0] > ends[0]:
            continue
        for index in range(starts[0] + 1, ends[0]):
            meaning = meanings[index]
            if (
                roles[index] == "count"
                and meaning.population is None
                and meaning.stage in ("reduction", "new")
            ):
                roles[index] = f"{population}_{meaning.stage}"  # type: ignore[assignment]


def _count_column_of(
    index: int, paths: Sequence[Sequence[str]], meanings: Sequence[ColumnMeaning], roles: Sequence[ColumnRole]
) -> int | None:
    """The count a percent column expresses: the count column under the same group header ("Hộ nghèo cuối
    năm 2021" over "TS" and "%"), else the one count column of the same households and stage, else for a
    header naming nothing but the rate, the count just before it."""
    counts = [
        i for i, role in enumerate(roles) if role not in ("percent", "ordinal", "label", "other", "money")
    ]
    group = list(paths[index][:-1])
    if group:
        same_group = [i for i in counts if list(paths[i][:-1]) == group]
        if len(same_group) == 1:
            return same_group[0]
    meaning = meanings[index]
    if meaning.population is not None and meaning.stage is not None:
        same_sense = [i for i in counts if roles[i] == f"{meaning.population}_{meaning.stage}"]
        return same_sense[0] if len(same_sense) == 1 else None
    if group or meaning.population is not None or meaning.stage is not None:
        return None
    return _count_just_before(index, roles)


def _count_just_before(index: int, roles: Sequence[ColumnRole]) -> int | None:
    """A bare "Tỷ lệ %" header names nothing: it expresses the count written just before it ("Số hộ nghèo |
    Tỷ lệ %"), the way such one-row headers are read. Not the total households: that is the base."""
    if index == 0:
        return None
    before = roles[index - 1]
    if before in ("percent", "ordinal", "label", "other", "money", "total_households"):
        return None
    return index - 1


def _unit(role: ColumnRole, meaning: ColumnMeaning) -> str | None:
    if role in HOUSEHOLD_ROLES:
        return "hộ"
    if role == "money":
        return meaning.money_unit
    return None
