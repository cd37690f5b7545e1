"""Findings: arithmetic and consistency errors an auditor can act on, and what was verified."""

from typing import Literal

from pydantic import Field

from models.provenance import BBox, Frozen, Span

Severity = Literal["error", "warning", "info"]


def _is_none(value: object) -> bool:
    return value is None


class Location(Frozen):
    """Where a finding points: a table cell (table id, row id, column index) or a text span with its page, and
    for a PDF or a scan the box of that cell (or of its table) on ``page``."""

    table_id: str | None = None
    row_id: str | None = None
    column: int | None = None
    span: Span | None = None
    page: int | None = None
    bbox: BBox | None = Field(
        default=None,
        exclude_if=_is_none,
        description="The box on ``page`` (PDF points, origin top-left) of the finding's cell, else of its table; "
        "absent when neither was read with a box (text and Word inputs) or the box lies on another page.",
    )


class CellRef(Frozen):
    """One cell of a table, by table id, row id and column index."""

    table_id: str
    row_id: str
    column: int


class Finding(Frozen):
    """One number that disagrees with the others, or a form defect, explained.

    ``evidence`` shows the arithmetic ("3 / 183 × 100 = 1,64"); ``explanation`` a likely reason where one was
    found ("57,14% = 4/7, not 4/17"); ``related`` the ids of findings with the same probable cause.
    """

    id: str
    rule: str
    severity: Severity
    message_vi: str
    message_en: str
    stated: str | None = None
    expected: str | None = None
    evidence: str | None = None
    location: Location = Location()
    cells: list[CellRef] = Field(
        default_factory=list,
        description="Every table cell the broken identity involves: the percent, its count and base; the total "
        "and the parts of a sum. The cell named by ``location`` is one of them.",
    )
    explanation: str | None = None
    explanation_vi: str | None = None
    related: list[str] = Field(default_factory=list)
    probable_cause: str | None = None


class CheckRef(Frozen):
    """What a skipped check would have read: a table column (or one cell), or a span of the text."""

    table_id: str | None = None
    row_id: str | None = None
    column: int | None = None
    span: Span | None = None


class SkippedCheck(Frozen):
    """Checks of one rule left undone for one reason, with a reference to each thing left unchecked."""

    rule: str
    reason: str
    count: int = Field(ge=1)
    refs: list[CheckRef] = Field(default_factory=list)


class Failure(Frozen):
    """One part of the extraction that failed with a program fault; the rest of the document was extracted.

    ``stage`` "entities", ``component`` "targets", ``error`` "ValueError: …", ``where`` the innermost project
    line that raised it ("extractor/entities/targets.py:120"). The part's list is left empty: a reader of the
    output knows that "no targets" here means "not read", not "none stated".
    """

    stage: str
    component: str
    error: str
    where: str | None = None


class Coverage(Frozen):
    """How many identities were verified and how many skipped and why, so "0 findings" can be trusted.

    ``failed`` lists the parts of the extraction that a program fault stopped (see ``Failure``).
    """

    verified: int = 0
    skipped: list[SkippedCheck] = Field(default_factory=list)
    failed: list[Failure] = Field(default_factory=list)
