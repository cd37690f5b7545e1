"""One archived plan made ready for its page: the text cut into highlighted pieces, tables with their wrong
cells, and findings with links to where they point.

Every span of the extraction is a character range of ``ExtractedDocument.text``; the text is cut at every
span's start and end, and each piece carries the kinds of the spans that cover it (a target holding an
amount is both), the ids of the spans that start there (anchors: ``#target-t3``, ``#finding-f23``) and
their descriptions (the piece's tooltip).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from extractor.output.report_text import flatten_sections
from models import ExtractedDocument
from models.findings import Finding
from models.provenance import BBox, Span
from models.sections import Section
from models.tables import Table
from models.targets import Target

DIRECTIONS = {
    "reduce_to": "giảm còn",
    "reduce_by": "giảm",
    "increase_to": "tăng lên",
    "increase_by": "tăng",
    "at_least": "ít nhất",
    "at_most": "không quá",
    "reach": "đạt",
    "maintain": "duy trì",
    "eliminate": "không còn",
}
SEVERITY_NAMES = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}


@dataclass(frozen=True)
class Mark:
    """A span to highlight: its kind (the CSS class ``k-target``…), its anchor id and its description."""

    start: int
    end: int
    kind: str
    anchor: str | None
    title: str | None


@dataclass(frozen=True)
class Piece:
    """A run of text covered by the same marks; ``anchors`` start at its beginning."""

    text: str
    kinds: tuple[str, ...]
    anchors: tuple[str, ...]
    title: str | None

    @property
    def classes(self) -> str:
        return " ".join(f"k-{kind}" for kind in self.kinds)


def text_marks(doc: ExtractedDocument) -> list[Mark]:
    """The spans the page highlights: section headings, targets, citations, reported results, amounts, duties,
    text findings."""
    marks: list[Mark] = []
    for section in flatten_sections(doc.sections):
        marks.append(Mark(*_bounds(section.heading_span), "heading", f"section-{section.id}", None))
    for target in doc.targets:
        described = target_description(target)
        spans = [target.span, *(m.span for m in target.mentions if m.span != target.span)]
        for index, span in enumerate(spans):
            anchor = f"target-{target.id}" if index == 0 else None
            marks.append(Mark(*_bounds(span), "target", anchor, described))
    for citation in doc.citations:
        for index, mention in enumerate(citation.mentions):
            date = mention.date.iso or mention.date.raw if mention.date else None
            title = " ".join(
                p for p in (citation.type, citation.symbol, f"ngày {date}" if date else None) if p
            )
            anchor = f"citation-{citation.id}" if index == 0 else None
            marks.append(Mark(*_bounds(mention.span), "citation", anchor, title or None))
    for amount in doc.amounts:
        title = f"{amount.raw} = {amount.value:,} {amount.unit}".replace(",", ".")
        marks.append(Mark(*_bounds(amount.span), "amount", f"amount-{amount.id}", title))
    for result in doc.results:
        value = f"{result.raw or result.value}" if result.value is not None else ""
        period = result.period.raw if result.period and result.period.raw else None
        title = "kết quả: " + " · ".join(part for part in (result.indicator.text, value, period) if part)
        marks.append(Mark(*_bounds(result.span), "result", f"result-{result.id}", title))
    for assignment in doc.assignments:
        marks.append(Mark(*_bounds(assignment.span), "assignment", f"assignment-{assignment.id}", None))
    for finding in doc.findings:
        if finding.location.span is not None and finding.location.table_id is None:
            title = f"{finding.id} [{SEVERITY_NAMES[finding.severity]}] {finding.message_vi}"
            marks.append(
                Mark(
                    *_bounds(finding.location.span),
                    f"finding-{finding.severity}",
                    f"finding-{finding.id}",
                    title,
                )
            )
    length = len(doc.text)
    return [m for m in marks if 0 <= m.start <= m.end <= length]


def pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """``text`` cut at every mark's bounds: pieces("giảm hộ nghèo còn 1,94%", [Mark(5, 23, "target", …)])
    -> [Piece("giảm ", ()), Piece("hộ nghèo còn 1,94%", ("target",), ("target-t1",), …)]."""
    starts: dict[int, list[Mark]] = defaultdict(list)
    cuts = {0, len(text)}
    for mark in marks:
        starts[mark.start].append(mark)
        cuts.update((mark.start, mark.end))
    ordered = sorted(cuts)
    active: list[Mark] = []
    result = []
    for start, end in pairwise(ordered):
        active = [m for m in active if m.end > start] + [m for m in starts.get(start, []) if m.end > start]
        anchors = tuple(m.anchor for m in starts.get(start, []) if m.anchor)
        kinds = tuple(dict.fromkeys(m.kind for m in active))
        titles = list(dict.fromkeys(m.title for m in active if m.title))
        result.append(Piece(text[start:end], kinds, anchors, " | ".join(titles) or None))
    # anchors of empty spans at the very end of the text
    tail = tuple(m.anchor for m in starts.get(len(text), []) if m.anchor)
    if tail:
        result.append(Piece("", (), tail, None))
    return result


def target_description(target: Target) -> str:
    """ "Chỉ tiêu tỷ lệ hộ nghèo: giảm còn 1.94 % — hạn 2024-12-31"."""
    value = "" if target.value is None else f"{target.value:g}"
    what = " ".join(p for p in (DIRECTIONS.get(target.direction or "", ""), value, target.unit or "") if p)
    deadline = None
    if target.period:
        written = target.period.deadline
        deadline = (written.iso or written.raw) if written else target.period.raw
    return f"Chỉ tiêu {target.indicator.text}: {what}" + (f" — hạn {deadline}" if deadline else "")


# ---------------------------------------------------------------------------------------------------
# Tables and findings
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellView:
    raw: str
    anchor: str
    state: str  # "", "wrong" (a finding's location) or "involved" (one of its other cells)
    title: str | None


@dataclass(frozen=True)
class TableView:
    id: str
    caption: str | None
    page: int | None
    headers: list[str]
    rows: list[tuple[str, list[CellView]]]


def finding_detail(finding: Finding) -> str:
    """The tooltip of a wrong cell: "f3 lỗi: … — ghi 12,5; đúng 13,2 — 3 / 24 × 100 = 13,2"."""
    parts = [f"{finding.id} {SEVERITY_NAMES[finding.severity]}: {finding.message_vi}"]
    written = "; ".join(
        p
        for p in (
            f"ghi {finding.stated}" if finding.stated else None,
            f"đúng {finding.expected}" if finding.expected else None,
        )
        if p
    )
    parts += [p for p in (written, finding.evidence) if p]
    return " — ".join(parts)


def cell_anchor(table_id: str, row_id: str, column: int) -> str:
    return f"cell-{table_id}-{row_id}-{column}"


def table_views(doc: ExtractedDocument) -> list[TableView]:
    """Every table with each cell's state: the cell a finding names is wrong (its tooltip the arithmetic),
    the other cells it involves are marked as involved."""
    located: dict[tuple[str, str, int], list[Finding]] = defaultdict(list)
    involved: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for finding in doc.findings:
        where = finding.location
        if where.table_id and where.row_id and where.column is not None:
            located[(where.table_id, where.row_id, where.column)].append(finding)
        for ref in finding.cells:
            involved[(ref.table_id, ref.row_id, ref.column)].append(finding.id)
    return [_table_view(table, located, involved) for table in doc.tables]


def _table_view(
    table: Table,
    located: dict[tuple[str, str, int], list[Finding]],
    involved: dict[tuple[str, str, int], list[str]],
) -> TableView:
    width = max([len(table.columns), *(max((c.column for c in r.cells), default=-1) + 1 for r in table.rows)])
    headers = [""] * width
    for column in table.columns:
        if column.index < width:
            headers[column.index] = " › ".join(dict.fromkeys(p for p in column.path if p))
    rows = []
    for row in table.rows:
        by_column = {cell.column: cell for cell in row.cells}
        cells = []
        for index in range(width):
            key = (table.id, row.id, index)
            cell = by_column.get(index)
            raw = cell.raw if cell else ""
            if key in located:
                title = "\n".join(finding_detail(f) for f in located[key])
                cells.append(CellView(raw, cell_anchor(*key), "wrong", title))
            elif key in involved:
                title = "liên quan đến " + ", ".join(dict.fromkeys(involved[key]))
                cells.append(CellView(raw, cell_anchor(*key), "involved", title))
            else:
                cells.append(CellView(raw, cell_anchor(*key), "", None))
        rows.append((row.kind, cells))
    return TableView(table.id, table.caption, table.page, headers, rows)


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    severity_name: str
    detail: str
    text_anchor: str | None  # "#finding-f23" or "#cell-t1-r5-4" on the document page
    page: int | None  # the page whose image shows it
    bbox: BBox | None


def finding_views(doc: ExtractedDocument) -> list[FindingView]:
    """The findings, errors first, each with the anchor of its place on the page and the page it is on."""
    order = {"error": 0, "warning": 1, "info": 2}
    views = []
    for finding in sorted(doc.findings, key=lambda f: order[f.severity]):
        where = finding.location
        anchor = None
        if where.table_id and where.row_id and where.column is not None:
            anchor = cell_anchor(where.table_id, where.row_id, where.column)
        elif where.span is not None:
            anchor = f"finding-{finding.id}"
        elif where.table_id:
            anchor = f"table-{where.table_id}"
        views.append(
            FindingView(
                finding,
                SEVERITY_NAMES[finding.severity],
                finding_detail(finding),
                anchor,
                where.page,
                where.bbox,
            )
        )
    return views


@dataclass
class Outline:
    id: str
    title: str
    children: list[Outline] = field(default_factory=list)


def outline(sections: list[Section]) -> list[Outline]:
    """The section tree as links: "II. MỤC TIÊU, CHỈ TIÊU" -> #section-s2."""
    return [
        Outline(s.id, f"{s.numbering}. {s.heading}" if s.numbering else s.heading, outline(s.children))
        for s in sections
    ]


def _bounds(span: Span) -> tuple[int, int]:
    return span.start, span.end
