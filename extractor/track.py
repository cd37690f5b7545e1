"""`khplan track`: every current plan of the archive against the results of the archive's other documents.

The statuses are stored in the archive (``target_statuses``) and kept current: ``khplan batch`` calls
``refresh_statuses`` with the documents it stored, which recomputes the plans of the same unit, so a report
stored later changes the statuses of the plans it reports on. ``track_archive`` reads them, computing first
those of any current plan whose statuses are missing or older than a report of its unit (``stale_plans``).
A document typed "Báo cáo" is evidence only: the aims for next year that a report states are not the
commitments of a plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from extractor.archive import Archive, StoredDocument
from extractor.compare import Evidence, alike_bare_names, bare_unit_name, compare_targets
from models.comparison import TargetComparison
from models.extracted import ExtractedDocument
from models.metadata import REPORT_DOC_TYPE


def track_archive(
    archive: Archive,
    issuer: str | None = None,
    year: int | None = None,
    status: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[TargetComparison]:
    """The comparisons of every current archived plan (of ``issuer``, a folded substring, and ``year`` when
    given), keeping only ``status`` when given; ``limit`` and ``offset`` give a page of them.
    ``track_archive(archive, status="not_met")``."""
    bring_up_to_date(archive)
    return archive.statuses(issuer, year, status, limit=limit, offset=offset)


def bring_up_to_date(archive: Archive) -> int:
    """Compute the statuses of the stale plans (``stale_plans``); how many there were. When nothing was
    stored since the last such check (``Archive.statuses_fresh``), none can be stale and none is looked for."""
    if archive.statuses_fresh():
        return 0
    started = archive.check_started()
    stale = stale_plans(archive)
    if stale:
        refresh_statuses(archive, plans=stale)
    archive.mark_statuses_checked(started)
    return len(stale)


def refresh_statuses(
    archive: Archive, changed: Iterable[int] | None = None, *, plans: Iterable[int] | None = None
) -> int:
    """Recompute and store the statuses of the current plans of the same unit as any document of
    ``changed`` (a batch's stored documents), or of ``plans`` themselves, or of every plan when both are
    None; returns how many plans were computed. Each plan is held against the current documents of its unit
    that report results (``compare_targets`` then keeps those of its unit, period and scope)."""
    current = _current(archive)
    units = _Units(current)
    chosen = [row for row in current if _is_plan(row)]
    if plans is not None:
        wanted = set(plans)
        chosen = [row for row in chosen if row.id in wanted]
    elif changed is not None:
        stored = set(changed)
        touched = units.index(row for row in current if row.id in stored)
        chosen = [row for row in chosen if units.of(row, touched)]
    reporting = units.index(row for row in current if row.counts.results)
    cache = _Extractions(archive)
    computed: list[tuple[int, list[TargetComparison], dict[str, int]]] = []
    for plan in sorted(chosen, key=units.first_name):  # a unit's plans together: its reports stay cached
        evidence = [row for row in units.of(plan, reporting) if row.id != plan.id]
        plan_read, *evidence_read = cache.of([plan, *evidence])
        comparisons = compare_targets(plan_read.doc, evidence_read)
        computed.append((plan.id, comparisons, {row.sha256: row.id for row in evidence if row.sha256}))
        if len(computed) == WRITE_EVERY:
            archive.replace_statuses(computed)
            computed = []
    archive.replace_statuses(computed)
    return len(chosen)


# Statuses are written this many plans at a time: memory stays the same whatever the size of the archive.
WRITE_EVERY = 100


class _Extractions:
    """The archived extractions one plan is compared with, kept while the next plan needs them too (the
    plans of one unit come one after another): memory holds one unit's documents at a time."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._kept: dict[int, Evidence] = {}

    def of(self, rows: list[StoredDocument]) -> list[Evidence]:
        wanted = {row.id for row in rows}
        self._kept = {key: doc for key, doc in self._kept.items() if key in wanted}
        for row in rows:
            if row.id not in self._kept:
                self._kept[row.id] = Evidence(_comparable_part(self._archive.extraction_bytes(row.id)))
        return [self._kept[row.id] for row in rows]


# What compare_targets reads of a document; the rest (blocks, tables, findings, …: most of its size) is left
# out when an archived extraction is loaded for a comparison.
COMPARED_PARTS = frozenset({"schema_version", "source", "text", "metadata", "sections", "targets", "results"})


def _comparable_part(stored: bytes) -> ExtractedDocument:
    """The extraction with only ``COMPARED_PARTS``: a sixth of the memory and a quarter less time to load."""
    whole = json.loads(stored)
    return ExtractedDocument.model_validate({key: whole[key] for key in COMPARED_PARTS if key in whole})


def stale_plans(archive: Archive) -> list[int]:
    """The current plans whose stored statuses are missing or older than a current document of their unit
    that reports results (a batch stopped before it updated them, or an archive from before statuses)."""
    computed = archive.plans_with_statuses()
    current = _current(archive)
    units = _Units(current)
    newest: dict[str, str] = {}  # bare name -> when its newest reporting document was stored
    for row in current:
        if row.counts.results:
            for name in units.names_alike(row):
                newest[name] = max(newest.get(name, ""), row.extracted_at)
    stale = []
    for plan in (row for row in current if _is_plan(row)):
        when = computed.get(plan.id)
        if when is None or any(newest.get(name, "") > when for name in units.own_names(plan)):
            stale.append(plan.id)
    return stale


def _current(archive: Archive) -> list[StoredDocument]:
    return archive.current_documents()


# The document types that are evidence only.
REPORT_TYPES = (REPORT_DOC_TYPE,)


def _is_plan(row: StoredDocument) -> bool:
    """A current document with targets that is not a report."""
    return bool(row.counts.targets) and (row.doc_type or "") not in REPORT_TYPES


class _Units:
    """Which archived documents may be about one unit (``compare_targets`` decides from the whole metadata):
    a name of each alike. Names are reduced once per document and compared once per pair of distinct names
    (an archive holds many documents of few units), and documents are found by name, never by a scan."""

    def __init__(self, rows: Iterable[StoredDocument]) -> None:
        self._names = {row.id: _bare_names(row) for row in rows}
        self._alike = alike_bare_names(name for names in self._names.values() for name in names)

    def first_name(self, row: StoredDocument) -> str:
        """The first of the document's bare names in order, to sort a unit's documents together."""
        return min(self._names.get(row.id, ()), default="")

    def own_names(self, row: StoredDocument) -> frozenset[str]:
        return self._names.get(row.id, frozenset())

    def names_alike(self, row: StoredDocument) -> frozenset[str]:
        """Every bare name alike to one of the document's own."""
        return frozenset(alike for name in self._names.get(row.id, ()) for alike in self._alike[name])

    def index(self, rows: Iterable[StoredDocument]) -> dict[str, list[StoredDocument]]:
        """Bare name -> the documents of ``rows`` bearing it."""
        by_name: dict[str, list[StoredDocument]] = {}
        for row in rows:
            for name in self._names.get(row.id, ()):
                by_name.setdefault(name, []).append(row)
        return by_name

    def of(self, row: StoredDocument, index: dict[str, list[StoredDocument]]) -> list[StoredDocument]:
        """The documents of ``index`` that may be about the unit of ``row``, in archive order, once each."""
        found = {other.id: other for name in self.names_alike(row) for other in index.get(name, ())}
        return [found[key] for key in sorted(found)]


def _bare_names(row: StoredDocument) -> frozenset[str]:
    """The document's unit and issuer as bare names, none empty ("UBND" alone names no unit)."""
    bare = (bare_unit_name(name) for name in (row.unit, row.issuer) if name)
    return frozenset(name for name in bare if name)
