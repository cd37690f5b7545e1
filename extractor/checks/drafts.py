"""Findings while they are being made: the finding's fields plus the cells it involves, so that findings
with one probable cause can be linked before ids are given."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from extractor import data
from models.findings import CellRef, CheckRef, Coverage, Finding, Location, Severity, SkippedCheck
from models.provenance import Span
from models.tables import Cell, Row, Table

CellKey = tuple[str, str, int]  # table id, row id, column index


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
    cells: list[CellKey] = field(default_factory=list)
    # Cells the identity also reads that do not make findings related: the base every percent of a row shares
    # would otherwise be named the probable cause of unrelated errors in that row.
    context: list[CellKey] = field(default_factory=list)
    column: tuple[str, int] | None = None  # a column-wide finding (a sum) involves every cell of the column
    # A lower severity than the rule's, for an identity the tables stage is not sure of.
    severity: Severity | None = None


def render(rule: str, variant: str = "default", **values: object) -> tuple[str, str]:
    """A rule's message in Vietnamese and English, its template (``data/rules.yaml``) filled with ``values``."""
    text = data.rules().rules[rule].messages[variant]
    return text.vi.format(**values), text.en.format(**values)


def explain(rule: str, name: str, **values: object) -> tuple[str, str]:
    """One of a rule's explanations (a likely reason for a disagreement), in English and Vietnamese."""
    text = data.rules().rules[rule].explanations[name]
    return text.en.format(**values), text.vi.format(**values)


def reading(name: str, **values: object) -> tuple[str, str]:
    """How a table identity was read ("found from the numbers: 11 of 12 rows agree"), English and Vietnamese."""
    text = data.rules().readings[name]
    return text.en.format(**values), text.vi.format(**values)


def make_draft(rule: str, values: dict[str, object], variant: str = "default", **fields: object) -> Draft:
    """A draft finding of ``rule`` whose messages are its templates filled with ``values``."""
    message_vi, message_en = render(rule, variant, **values)
    return Draft(rule=rule, message_vi=message_vi, message_en=message_en, **fields)  # type: ignore[arg-type]


# At most this many references are kept per skipped rule and reason (a column of empty cells is one column).
MAX_REFS = 50


@dataclass
class Tally:
    """What the checks verified and what they skipped, and why, with a reference to each thing skipped."""

    verified: int = 0
    skipped: Counter = field(default_factory=Counter)
    refs: dict[tuple[str, str], list[CheckRef]] = field(default_factory=lambda: defaultdict(list))

    def skip(
        self,
        rule: str,
        reason: str,
        *,
        table_id: str | None = None,
        row_id: str | None = None,
        column: int | None = None,
        span: Span | None = None,
    ) -> None:
        """Count one check left undone; ``table_id``/``row_id``/``column`` or ``span`` say what it would
        have read ("t1", "r3", 4 or the proportion's span)."""
        self.skipped[(rule, reason)] += 1
        if table_id is None and span is None:
            return
        ref = CheckRef(table_id=table_id, row_id=row_id, column=column, span=span)
        kept = self.refs[(rule, reason)]
        if len(kept) < MAX_REFS and ref not in kept:
            kept.append(ref)

    def coverage(self) -> Coverage:
        skipped = [
            SkippedCheck(rule=rule, reason=reason, count=count, refs=self.refs.get((rule, reason), []))
            for (rule, reason), count in sorted(self.skipped.items())
        ]
        return Coverage(verified=self.verified, skipped=skipped)


def cell_at(row: Row, column: int) -> Cell | None:
    return row.cell(column)


def numeric(cell: Cell | None) -> bool:
    return (
        cell is not None and cell.value is not None and cell.type in ("count", "percent", "money", "number")
    )


def describe_cell(table: Table, row: Row, column: int) -> str:
    path = " / ".join(table.columns[column].path) if column < len(table.columns) else str(column)
    return f"{row.label or row.id} · {path}"


def _involved(drafts: list[Draft]) -> list[frozenset[CellKey]]:
    """The cells each draft involves: its own cells, and for a column-wide finding (a sum) every cell of that
    column that some draft names. Built from an index of cells by column: linear in the number of cells."""
    by_column: dict[tuple[str, int], set[CellKey]] = defaultdict(set)
    for draft in drafts:
        for ref in draft.cells:
            by_column[(ref[0], ref[2])].add(ref)
    return [
        frozenset(draft.cells) | frozenset(by_column.get(draft.column, ()) if draft.column else ())
        for draft in drafts
    ]


def finish(drafts: list[Draft], describe: dict[CellKey, str]) -> list[Finding]:
    """Give ids, link findings that share a cell, and name the probable cause where one cell is shared most."""
    ids = [f"f{number}" for number in range(1, len(drafts) + 1)]
    involved = _involved(drafts)
    sharing: dict[CellKey, list[int]] = defaultdict(list)
    for index, cells in enumerate(involved):
        for ref in cells:
            sharing[ref].append(index)
    related: list[set[int]] = [set() for _ in drafts]
    for members in sharing.values():
        for index in members:
            related[index].update(members)
    causes: dict[frozenset[int], str | None] = {}
    for index in range(len(drafts)):
        related[index].discard(index)
    findings = []
    for index, draft in enumerate(drafts):
        cause = None
        if related[index]:
            group = frozenset([index, *related[index]])
            if group not in causes:
                causes[group] = _probable_cause(group, involved, describe)
            cause = causes[group]
        findings.append(
            Finding(
                id=ids[index],
                rule=draft.rule,
                severity=_severity(draft),
                message_vi=draft.message_vi,
                message_en=draft.message_en,
                stated=draft.stated,
                expected=draft.expected,
                evidence=draft.evidence,
                location=draft.location,
                cells=[
                    CellRef(table_id=t, row_id=r, column=c)
                    for t, r, c in sorted(involved[index] | frozenset(draft.context))
                ],
                explanation=draft.explanation,
                explanation_vi=draft.explanation_vi,
                related=[ids[other] for other in sorted(related[index])],
                probable_cause=cause,
            )
        )
    return findings


_RANK = {"info": 0, "warning": 1, "error": 2}


def _severity(draft: Draft) -> Severity:
    """The rule's severity, or the draft's when it is lower (a finding is never raised above its rule)."""
    severity = data.rules().rules[draft.rule].severity
    if draft.severity is not None and _RANK[draft.severity] < _RANK[severity]:
        return draft.severity
    return severity


def _probable_cause(
    group: frozenset[int], involved: list[frozenset[CellKey]], describe: dict[CellKey, str]
) -> str | None:
    """The cell most findings of a group involve, when one cell is involved more often than any other."""
    counts = Counter(ref for member in group for ref in involved[member])
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        ref = ranked[0][0]
        return describe.get(ref, f"{ref[1]} · {ref[2]}")
    return None
