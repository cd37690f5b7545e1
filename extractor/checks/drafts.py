"""Findings while they are being made: the finding's fields plus the cells it involves, so that findings
with one probable cause can be linked before ids are given."""

from collections import Counter
from dataclasses import dataclass, field

from extractor.checks.registry import RULES
from models.findings import Coverage, Finding, Location, SkippedCheck
from models.tables import Cell, Row, Table

CellRef = tuple[str, str, int]  # table id, row id, column index


@dataclass
class Draft:
    rule: str
    message_vi: str
    message_en: str
    stated: str | None = None
    expected: str | None = None
    evidence: str | None = None
    location: Location = field(default_factory=Location)
    explanation: str | None = None
    explanation_vi: str | None = None
    cells: list[CellRef] = field(default_factory=list)
    column: tuple[str, int] | None = None  # a column-wide finding (a sum) involves every cell of the column


@dataclass
class Tally:
    """What the checks verified and what they skipped, and why."""

    verified: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, rule: str, reason: str) -> None:
        self.skipped[(rule, reason)] += 1

    def coverage(self) -> Coverage:
        skipped = [
            SkippedCheck(rule=rule, reason=reason, count=count)
            for (rule, reason), count in sorted(self.skipped.items())
        ]
        return Coverage(verified=self.verified, skipped=skipped)


def cell_at(row: Row, column: int) -> Cell | None:
    return next((cell for cell in row.cells if cell.column == column), None)


def numeric(cell: Cell | None) -> bool:
    return (
        cell is not None and cell.value is not None and cell.type in ("count", "percent", "money", "number")
    )


def describe_cell(table: Table, row: Row, column: int) -> str:
    path = " / ".join(table.columns[column].path) if column < len(table.columns) else str(column)
    return f"{row.label or row.id} · {path}"


def _involves(draft: Draft, ref: CellRef) -> bool:
    return ref in draft.cells or (draft.column is not None and draft.column == (ref[0], ref[2]))


def finish(drafts: list[Draft], describe: dict[CellRef, str]) -> list[Finding]:
    """Give ids, link findings that share a cell, and name the probable cause where one cell is shared most."""
    ids = [f"f{number}" for number in range(1, len(drafts) + 1)]
    related: list[set[int]] = [set() for _ in drafts]
    refs = {ref for draft in drafts for ref in draft.cells}
    for ref in refs:
        sharing = [index for index, draft in enumerate(drafts) if _involves(draft, ref)]
        for index in sharing:
            related[index].update(other for other in sharing if other != index)
    findings = []
    for index, draft in enumerate(drafts):
        cause = None
        if related[index]:
            group = [index, *related[index]]
            counts = Counter(ref for ref in refs for member in group if _involves(drafts[member], ref))
            ranked = counts.most_common(2)
            if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                ref = ranked[0][0]
                cause = describe.get(ref, f"{ref[1]} · {ref[2]}")
        findings.append(
            Finding(
                id=ids[index],
                rule=draft.rule,
                severity=RULES[draft.rule].severity,
                message_vi=draft.message_vi,
                message_en=draft.message_en,
                stated=draft.stated,
                expected=draft.expected,
                evidence=draft.evidence,
                location=draft.location,
                explanation=draft.explanation,
                explanation_vi=draft.explanation_vi,
                related=[ids[other] for other in sorted(related[index])],
                probable_cause=cause,
            )
        )
    return findings
