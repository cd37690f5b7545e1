"""A plan's targets held against the results later documents report (``extractor/compare.py``)."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, Span
from models.targets import Target

Status = Literal["met", "not_met", "partly_met", "not_yet_due", "no_result", "not_comparable"]


class DocumentRef(Frozen):
    """Which document a target or a result comes from."""

    path: str | None = None
    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    doc_type: str | None = None
    sha256: str | None = Field(
        default=None, description="The content's digest: names the document in an archive."
    )


class MatchedResult(Frozen):
    result_id: str
    value: float | None = None
    unit: str | None = None
    period: str | None = None
    text: str
    document: DocumentRef
    span: Span


class TargetComparison(Frozen):
    target: Target
    plan: DocumentRef
    status: Status
    results: list[MatchedResult] = Field(default_factory=list)
    gap: float | None = Field(
        default=None,
        description="The shortfall of a target not met, in its unit: result − X for reduce-to and at-most "
        "targets, X − result otherwise (percentage points for percents).",
    )
    gap_percent: float | None = Field(default=None, description="The gap in percent of the target's value.")
    reason: str
