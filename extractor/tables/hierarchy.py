"""Which rows add up which: the total over its groups or units, each subtotal over its group.

A per-unit table may group its units: subtotal rows "Cộng khu vực I" AFTER their units, or group rows "I",
"Khu vực II", "Cụm 1" BEFORE them (with "Toàn tỉnh" on top or at the bottom). The labels propose the sum rows;
where each group starts is read from the numbers: both readings (subtotal after its units, before them) are
held against every additive column, and the one most sums agree with is kept. The grand total adds up the
groups and the units outside any group, never a row twice; when it equals the sum of the units but not of
the subtotals, a subtotal is wrong, not the total, and the total is read against the units.

A grouping the numbers do not confirm is not certain: its sums can make warnings only. A proposed group row
that adds up nothing in any reading is a unit after all ("Cụm công nghiệp Tân Dĩnh" in a table of clusters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from extractor.normalize.identities import Reading, evaluate_sum
from extractor.tables.rows import is_partial_sum_label
from models.tables import Basis, Row, RowSum

Placement = Literal["after", "before"]
# A grouping is certain when at least this share of the sums it makes agree.
CONFIRMATION = 0.5
# A table with no groups whose total disagrees in this many additive columns or more, and agrees in none,
# has a total row that is not a sum (an average, a target row): its sums are not certain.
MIN_COLUMNS_TO_DOUBT = 3


@dataclass(frozen=True)
class Grouping:
    """Sum rows and their parts under one reading, and how many of its sums agree of those readable."""

    sums: tuple[tuple[int, tuple[int, ...]], ...]  # (row position, part positions)
    agreeing: int
    readable: int

    @property
    def share(self) -> float:
        return self.agreeing / self.readable if self.readable else 0.0


def _sum_agrees(
    total: int, parts: Sequence[int], column: int, readings: Sequence[dict[int, Reading]]
) -> bool | None:
    evaluation = evaluate_sum(readings[total], [readings[part] for part in parts], column)
    return None if evaluation is None else evaluation.consistent


def _score(
    sums: Sequence[tuple[int, tuple[int, ...]]],
    columns: Sequence[int],
    readings: Sequence[dict[int, Reading]],
) -> Grouping:
    agreeing = readable = 0
    for total, parts in sums:
        for column in columns:
            verdict = _sum_agrees(total, parts, column, readings)
            if verdict is not None:
                readable += 1
                agreeing += verdict
    return Grouping(tuple(sums), agreeing, readable)


def _groups(
    kinds: Sequence[str], placement: Placement
) -> tuple[list[tuple[int, tuple[int, ...]]], list[int]]:
    """(subtotal, its units) for one placement, and the units in no group."""
    groups: list[tuple[int, list[int]]] = []
    loose: list[int] = []
    pending: list[int] = []
    for position, kind in enumerate(kinds):
        if kind == "unit":
            if placement == "before" and groups:
                groups[-1][1].append(position)
            else:
                pending.append(position)
        elif kind == "subtotal":
            if placement == "after":
                groups.append((position, pending))
                pending = []
            else:
                loose.extend(pending)
                pending = []
                groups.append((position, []))
    loose.extend(pending)
    return [(row, tuple(parts)) for row, parts in groups if parts], sorted(loose)


def _with_total(
    kinds: Sequence[str],
    groups: list[tuple[int, tuple[int, ...]]],
    loose: list[int],
    columns: Sequence[int],
    readings: Sequence[dict[int, Reading]],
) -> list[tuple[int, tuple[int, ...]]]:
    """The groups' sums and the total's: over the subtotals and loose units, or over every unit when that
    agrees more often (a subtotal that misses a unit leaves the total right)."""
    sums = list(groups)
    units = tuple(position for position, kind in enumerate(kinds) if kind == "unit")
    for position, kind in enumerate(kinds):
        if kind != "total":
            continue
        top = tuple(sorted([row for row, _ in groups] + loose))
        over_groups = _score([(position, top)], columns, readings)
        over_units = _score([(position, units)], columns, readings)
        parts = units if over_units.agreeing > over_groups.agreeing else top
        if parts:
            sums.append((position, parts))
    return sums


def _reading(
    kinds: Sequence[str], placement: Placement, columns: Sequence[int], readings: Sequence[dict[int, Reading]]
) -> Grouping:
    groups, loose = _groups(kinds, placement)
    return _score(_with_total(kinds, groups, loose, columns, readings), columns, readings)


def _preferred(rows: Sequence[Row]) -> Placement:
    """What the labels suggest: "Cộng …" rows close a group, group rows ("I", "Khu vực II") open one."""
    subtotals = [row for row in rows if row.kind == "subtotal"]
    closing = sum(1 for row in subtotals if row.label and is_partial_sum_label(row.label))
    return "after" if closing * 2 > len(subtotals) else "before"


@dataclass(frozen=True)
class Hierarchy:
    """The rows' kinds as the numbers settle them (a group row that sums nothing is a unit) and the sums."""

    kinds: tuple[str, ...]
    sums: tuple[RowSum, ...]


def _demote_idle_groups(
    kinds: list[str], placement: Placement, columns: Sequence[int], readings: Sequence[dict[int, Reading]]
) -> list[str]:
    """Group rows that are units after all: reading one as a unit makes more sums agree ("Khối 8" among
    "Khối 1" … "Khối 7" and "Tiểu khu Tân Hợp"), or it has no units under it."""
    best = _reading(kinds, placement, columns, readings)
    for position, kind in enumerate(kinds):
        if kind != "subtotal":
            continue
        own = [(row, parts) for row, parts in best.sums if row == position]
        trial = [*kinds]
        trial[position] = "unit"
        reading = _reading(trial, placement, columns, readings)
        # A group row with no units under it stands for itself: a unit, unless that makes sums disagree.
        if reading.agreeing > best.agreeing or (not own and reading.agreeing >= best.agreeing):
            kinds, best = trial, reading
    return kinds


def read_hierarchy(
    rows: Sequence[Row], columns: Sequence[int], readings: Sequence[dict[int, Reading]]
) -> Hierarchy:
    """The row sums of a table, ``columns`` being its additive columns and ``readings`` its rows' numbers."""
    kinds = [row.kind for row in rows]
    basis: Basis = "labels"
    certain = True
    if "subtotal" in kinds:
        readings_by_placement = {p: _reading(kinds, p, columns, readings) for p in ("after", "before")}
        preferred = _preferred(rows)
        other: Placement = "before" if preferred == "after" else "after"
        placement = (
            other
            if readings_by_placement[other].agreeing > readings_by_placement[preferred].agreeing
            else preferred
        )
        kinds = _demote_idle_groups(kinds, placement, columns, readings)
        chosen = _reading(kinds, placement, columns, readings)
        certain = chosen.share >= CONFIRMATION
        basis = "labels" if placement == preferred else "numbers"
    else:
        chosen = _reading(kinds, "after", columns, readings)
        per_column = [_score(chosen.sums, [column], readings) for column in columns]
        doubted = sum(1 for score in per_column if score.readable and not score.agreeing)
        certain = not (
            doubted >= MIN_COLUMNS_TO_DOUBT and doubted == sum(1 for s in per_column if s.readable)
        )
    sums = tuple(
        RowSum(row_id=rows[total].id, parts=[rows[part].id for part in parts], basis=basis, certain=certain)
        for total, parts in chosen.sums
    )
    return Hierarchy(tuple(kinds), sums)
