"""`khplan track`: every current plan of the archive against the results of the archive's other documents.

Computed from the archive as it stands, so a report that ``khplan batch`` stores changes the statuses of the
plans it reports on at once. A document typed "Báo cáo" is evidence only: the aims for next year that a
report states are not the commitments of a plan.
"""

from __future__ import annotations

from extractor.archive import Archive
from extractor.compare import compare_targets
from extractor.normalize.text import fold
from models.comparison import TargetComparison


def track_archive(
    archive: Archive, issuer: str | None = None, year: int | None = None, status: str | None = None
) -> list[TargetComparison]:
    """The comparisons of every current archived plan (of ``issuer``, a folded substring, and ``year`` when
    given), keeping only ``status`` when given. ``track_archive(archive, status="not_met")``."""
    current = [row for row in archive.documents() if row.status == "ok" and not row.superseded]
    extracted = {row.id: archive.extraction(row.id) for row in current}
    comparisons: list[TargetComparison] = []
    for row in current:
        plan = extracted[row.id]
        doc_type = plan.metadata.doc_type.value if plan.metadata.doc_type else ""
        if not plan.targets or fold(doc_type).startswith("bao cao"):
            continue
        if issuer and fold(issuer) not in fold(row.issuer or ""):
            continue
        if year is not None and row.year != year:
            continue
        evidence = [document for other, document in extracted.items() if other != row.id]
        comparisons += compare_targets(plan, evidence)
    return [item for item in comparisons if status is None or item.status == status]
