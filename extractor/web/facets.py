"""Counts per facet of a search, and the facts of each document they need.

The archive's search returns hits without a count, so the counts are those of the hits one page fetches
(``settings.FACET_LIMIT`` of them, best first): "xã (12)" means 12 of those hits.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from extractor.archive import Archive, SearchHit


@dataclass(frozen=True)
class Facts:
    """What a search filters on that a hit does not carry: the document's level, year and error flag."""

    level: str | None
    year: int | None
    has_errors: bool


class DocumentFacts:
    """Document id -> its ``Facts``, loaded from ``archive.documents()`` when an id is not known yet.

    A stored document never changes its level, year or findings (another reading is another id), so an
    entry never goes stale; a document stored later is a miss, which reloads the list once.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._known: dict[int, Facts] = {}
        self._lock = threading.Lock()

    def of(self, ids: set[int]) -> dict[int, Facts]:
        with self._lock:
            if not ids <= self._known.keys():
                self._known = {
                    row.id: Facts(row.level, row.year, row.has_errors) for row in self.archive.documents()
                }
            return {i: self._known[i] for i in ids if i in self._known}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet with its count, and the query-string value that filters on it."""

    label: str
    value: str
    count: int


def facet_counts(hits: list[SearchHit], facts: dict[int, Facts]) -> dict[str, list[FacetValue]]:
    """Counts per value of kind, level, year, issuer, indicator and has_errors over ``hits``, most first:
    two target hits of xã Cao Nhân give {"kind": [FacetValue("target", "target", 2)], …}."""
    counters: dict[str, Counter[tuple[str, str]]] = {
        name: Counter() for name in ("kind", "level", "year", "issuer", "indicator", "has_errors")
    }
    for hit in hits:
        known = facts.get(hit.document.id)
        counters["kind"][(hit.kind, hit.kind)] += 1
        if hit.document.issuer:
            counters["issuer"][(hit.document.issuer, hit.document.issuer)] += 1
        if hit.indicator_key:
            counters["indicator"][(hit.indicator_key, hit.indicator_key)] += 1
        if known is not None:
            if known.level:
                counters["level"][(known.level, known.level)] += 1
            if known.year is not None:
                counters["year"][(str(known.year), str(known.year))] += 1
            flag = ("có lỗi", "1") if known.has_errors else ("không lỗi", "0")
            counters["has_errors"][flag] += 1
    return {
        name: [FacetValue(label, value, count) for (label, value), count in counter.most_common(12)]
        for name, counter in counters.items()
        if counter
    }
