"""The `khplan check` report as one self-contained HTML page per plan, for an auditor's browser or printer.

The page holds, in order: the header facts (issuer, number, date, title, signer), the counts by severity and
the coverage line, the findings (grouped under their probable cause, each linking to its place), every
table with its wrong cells marked (red, the expected value shown and in a tooltip, a click leads back to
the finding), the section outline, and the full text with citations, targets, amounts and the spans of
findings highlighted. Inline CSS, no script, no external asset: it opens offline.

All document text goes through ``html.escape``; the highlighter cuts the text at every span boundary and
wraps each piece in one element naming all the spans that cover it, so overlapping spans (an amount inside a
target) never produce crossed tags.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from extractor.output.report_text import (
    Language,
    counts_line,
    coverage_line,
    describe_location,
    finding_message,
    format_date,
    group_findings,
    header_fields,
    label,
    rule_title,
    severity_counts,
)

if TYPE_CHECKING:
    from models import ExtractedDocument, Section
    from models.findings import Finding
    from models.tables import Column, Table

# "result": a reported figure, highlighted by the comparison page (extractor.output.comparison).
HIGHLIGHT_KINDS = ("citation", "target", "amount", "finding", "result")

STYLE = """
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 0 auto; max-width: 1320px;
  padding: 16px 24px 48px; color: #1d1d1f; line-height: 1.45; font-size: 15px; }
h1 { font-size: 22px; margin: 8px 0 12px; }
h2 { font-size: 18px; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: #57606a; }
dl.meta dd { margin: 0; }
nav.jump { margin: 12px 0 4px; }
nav.jump a { margin-right: 16px; }
.summary { font-weight: 600; }
.coverage { color: #57606a; font-size: 14px; }
.badge.zero { opacity: 0.35; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; font-weight: 600;
  text-transform: uppercase; margin-right: 6px; }
.sev-error .badge, .badge.sev-error { background: #cf222e; color: #fff; }
.sev-warning .badge, .badge.sev-warning { background: #bf8700; color: #fff; }
.sev-info .badge, .badge.sev-info { background: #0969da; color: #fff; }
.group { border-left: 4px solid #8250df; padding-left: 12px; margin: 12px 0; }
.group > .cause { color: #8250df; font-weight: 600; margin: 4px 0; }
ol.findings { list-style: none; padding-left: 0; margin: 0; }
li.finding { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
li.finding:target { outline: 3px solid #8250df; }
li.finding .rule { font-weight: 600; }
li.finding .id { font-family: monospace; color: #57606a; margin-right: 6px; }
li.finding .message { margin: 2px 0; }
li.finding .values b { font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; margin: 8px 0 24px; }
table.data { border-collapse: collapse; font-size: 13px; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.data th, table.data td { border: 1px solid #8c959f; padding: 3px 6px; vertical-align: top; }
table.data th { background: #f6f8fa; font-weight: 600; text-align: center; }
table.data td.num { text-align: right; white-space: nowrap; }
table.data td.label { white-space: nowrap; }
table.data tr.total td, table.data tr.subtotal td { font-weight: 700; background: #f6f8fa; }
table.data tr.note td { color: #57606a; font-style: italic; }
table.data .wrong { background: #ffd7d5 !important; outline: 2px solid #cf222e; outline-offset: -2px; }
table.data .wrong a { color: #a40e26; text-decoration: none; font-weight: 700; }
table.data .wrong .expected { display: block; font-size: 11px; color: #a40e26; font-weight: 400; }
table.data tr.wrong-row td { background: #fff1f0; }
table.data :target { outline: 3px solid #8250df; }
ul.outline { padding-left: 20px; margin: 4px 0; }
.legend span { margin-right: 12px; padding: 1px 4px; }
.doc-text { white-space: pre-wrap; font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; font-size: 15px;
  border: 1px solid #d0d7de; border-radius: 6px; padding: 16px 20px; background: #fff; }
.hl-heading { font-weight: 700; }
.hl-table { font-family: "Liberation Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; tab-size: 8; }
.hl-finding { text-decoration: underline wavy #cf222e; text-decoration-thickness: 1px; background: #ffebe9; }
.hl-citation { background: #ddf4ff; }
.hl-target { background: #dafbe1; }
.hl-amount { background: #fff8c5; }
.hl-result { background: #e8dcff; }
a.hl { color: inherit; }
.doc-text :target { outline: 3px solid #8250df; }
.muted { color: #57606a; }
@media print { nav.jump { display: none; } .table-wrap { overflow: visible; } }
"""


def safe_id(*parts: object) -> str:
    """An HTML id from model ids: ("cell", "t1", "r3", 5) -> "cell-t1-r3-5" (anything unusual becomes "_")."""
    return "-".join(re.sub(r"[^A-Za-z0-9_.]", "_", str(part)) for part in parts)


def finding_target(document: ExtractedDocument, finding: Finding) -> str | None:
    """The id a finding links to: its cell, row, column or table, or the anchor at its text span; None for a
    finding about the whole document (a missing signer) or about a table this document does not hold."""
    location = finding.location
    if location.table_id is not None:
        table = next((t for t in document.tables if t.id == location.table_id), None)
        if table is None:
            return None
        has_row = location.row_id is not None and any(row.id == location.row_id for row in table.rows)
        has_column = location.column is not None and 0 <= location.column < len(table.columns)
        if has_row and has_column:
            return safe_id("cell", table.id, location.row_id, location.column)
        if has_row:
            return safe_id("row", table.id, location.row_id)
        if has_column:
            return safe_id("col", table.id, location.column)
        return safe_id("table", table.id)
    if location.span is not None and location.span.start <= len(document.text):
        return safe_id("at", finding.id)
    return None


# ---------------------------------------------------------------------------------------------- header, findings


def _header_html(document: ExtractedDocument, lang: Language) -> str:
    title = escape(header_fields(document, lang)[4][1])
    rows = [
        f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>"
        for name, value in header_fields(document, lang)
        if name != label("title", lang)
    ]
    metadata = document.metadata
    if metadata.place is not None:
        rows.append(f"<dt>{escape(label('place', lang))}</dt><dd>{escape(metadata.place.value)}</dd>")
    if metadata.recipients:
        names = "; ".join(item.value for item in metadata.recipients)
        rows.append(f"<dt>{escape(label('recipients', lang))}</dt><dd>{escape(names)}</dd>")
    return f'<header><h1>{title}</h1>\n<dl class="meta">\n' + "\n".join(rows) + "\n</dl></header>"


def _summary_html(document: ExtractedDocument, lang: Language) -> str:
    counts = severity_counts(document.findings)
    badges = "".join(
        f'<span class="badge sev-{severity}{"" if counts[severity] else " zero"}">'
        f"{counts[severity]} {escape(label(severity, lang))}</span>"
        for severity in counts
    )
    total = counts_line(document.findings, lang).split(":", 1)[0]
    return (
        f'<p class="summary">{escape(total)}: {badges}</p>\n'
        f'<p class="coverage">{escape(coverage_line(document.coverage, lang))}</p>'
    )


def _finding_html(document: ExtractedDocument, finding: Finding, lang: Language, grouped: bool) -> str:
    """One finding as a compact card: title, message, location (a link to its place), then what the plan
    states against what the arithmetic expects, the evidence, and any explanation, cause or related ids."""
    target = finding_target(document, finding)
    where = escape(describe_location(document, finding, lang))
    if target is not None:
        where = f'<a href="#{target}">{where}</a>'
    lines = [f'<div class="where">{where}</div>']
    values = [
        f'<span class="muted">{escape(label(key, lang))}:</span> <b>{escape(value)}</b>'
        for key, value in (("stated", finding.stated), ("expected", finding.expected))
        if value
    ]
    if finding.evidence:
        values.append(
            f'<span class="muted">{escape(label("evidence", lang))}:</span> {escape(finding.evidence)}'
        )
    if values:
        lines.append('<div class="values">' + " · ".join(values) + "</div>")
    explanation = (finding.explanation_vi if lang == "vi" else None) or finding.explanation
    extras = [("explanation", explanation), ("cause", None if grouped else finding.probable_cause)]
    for key, value in extras:
        if value:
            lines.append(f'<div><span class="muted">{escape(label(key, lang))}:</span> {escape(value)}</div>')
    if finding.related:
        links = ", ".join(
            f'<a href="#{safe_id("finding", other)}">{escape(other)}</a>' for other in finding.related
        )
        lines.append(f'<div><span class="muted">{escape(label("related", lang))}:</span> {links}</div>')
    return (
        f'<li class="finding sev-{finding.severity}" id="{safe_id("finding", finding.id)}">'
        f'<span class="id">{escape(finding.id)}</span>'
        f'<span class="badge">{escape(label(finding.severity, lang))}</span>'
        f'<span class="rule">{escape(rule_title(finding.rule, lang))}</span> '
        f'<span class="muted">({escape(finding.rule)})</span>'
        f'<div class="message">{escape(finding_message(finding, lang))}</div>' + "".join(lines) + "</li>"
    )


def _findings_html(document: ExtractedDocument, lang: Language) -> str:
    if not document.findings:
        return f"<p>{escape(label('no_findings', lang))}</p>"
    parts = []
    for group in group_findings(document.findings):
        grouped = group.cause is not None
        items = "\n".join(_finding_html(document, finding, lang, grouped) for finding in group.findings)
        if group.cause:
            cause = f'<p class="cause">{escape(label("cause", lang))}: {escape(group.cause)}</p>'
            parts.append(f'<div class="group">{cause}<ol class="findings">\n{items}\n</ol></div>')
        else:
            parts.append(f'<ol class="findings">\n{items}\n</ol>')
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int
    rowspan: int
    column: int | None  # the column whose path ends here (its leaf), None for a cell spanning several


def header_layout(columns: Sequence[Column]) -> list[list[HeaderCell]]:
    """Header rows rebuilt from the flattened column paths: neighbours sharing a path prefix share a
    spanning cell ("HỘ NGHÈO" over "Đầu năm" and "Cuối năm"), and a short path reaches down with a rowspan.

    [["TT"], ["HỘ NGHÈO", "TS"], ["HỘ NGHÈO", "%"]] -> [[TT (rowspan 2), HỘ NGHÈO (colspan 2)], [TS, %]].
    """
    paths = [list(column.path) or [f"#{column.index + 1}"] for column in columns]
    depth = max((len(path) for path in paths), default=0)
    rows: list[list[HeaderCell]] = []
    for level in range(depth):
        row: list[HeaderCell] = []
        index = 0
        while index < len(paths):
            path = paths[index]
            if len(path) <= level:
                index += 1  # covered by a rowspan from above
                continue
            if len(path) == level + 1:
                row.append(HeaderCell(path[level], 1, depth - level, index))
                index += 1
                continue
            end = index + 1
            while (
                end < len(paths)
                and len(paths[end]) > level + 1
                and paths[end][: level + 1] == path[: level + 1]
            ):
                end += 1
            row.append(HeaderCell(path[level], end - index, 1, None))
            index = end
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Marks:
    """The findings that name each cell, row, column and table of one document's tables."""

    cells: dict[tuple[str, str, int], list[Finding]]
    rows: dict[tuple[str, str], list[Finding]]
    columns: dict[tuple[str, int], list[Finding]]


def table_marks(findings: Iterable[Finding]) -> Marks:
    """Index the findings by the place their location names: a cell is wrong when a finding's location
    names its table, row and column; a finding naming only a row or a column marks that row or column."""
    cells: dict[tuple[str, str, int], list[Finding]] = defaultdict(list)
    rows: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    columns: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for finding in findings:
        location = finding.location
        if location.table_id is None:
            continue
        if location.row_id is not None and location.column is not None:
            cells[(location.table_id, location.row_id, location.column)].append(finding)
        elif location.row_id is not None:
            rows[(location.table_id, location.row_id)].append(finding)
        elif location.column is not None:
            columns[(location.table_id, location.column)].append(finding)
    return Marks(dict(cells), dict(rows), dict(columns))


def tooltip(findings: Sequence[Finding], lang: Language) -> str:
    """ "Đúng ra là: 1,64 — f3: 3 / 183 × 100 = 1,64 …": the expected value first, then each finding."""
    expected = [finding.expected for finding in findings if finding.expected]
    lines = [f"{label('expected', lang)}: {' | '.join(dict.fromkeys(expected))}"] if expected else []
    lines += [f"{finding.id}: {finding_message(finding, lang)}" for finding in findings]
    return "\n".join(lines)


def _marked(content: str, findings: Sequence[Finding], lang: Language) -> tuple[str, str]:
    """(class and title attributes, inner HTML) of a place some findings name: it links to the first one
    and shows the expected value under what the plan wrote."""
    attributes = f' class="wrong" title="{escape(tooltip(findings, lang))}"'
    expected = next((finding.expected for finding in findings if finding.expected), None)
    shown = f'<span class="expected">→ {escape(expected)}</span>' if expected else ""
    link = safe_id("finding", findings[0].id)
    return attributes, f'<a href="#{link}">{content or "∅"}</a>{shown}'


def _table_html(table: Table, marks: Marks, lang: Language) -> str:
    head = []
    for row in header_layout(table.columns):
        cells = []
        for cell in row:
            spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            )
            content = escape(cell.text)
            attributes = ""
            if cell.column is not None:
                spans += f' id="{safe_id("col", table.id, cell.column)}"'
                found = marks.columns.get((table.id, cell.column))
                if found:
                    attributes, content = _marked(content, found, lang)
            cells.append(f"<th{spans}{attributes}>{content}</th>")
        head.append("<tr>" + "".join(cells) + "</tr>")
    body = []
    for row in table.rows:
        by_column = {cell.column: cell for cell in row.cells}
        classes = [row.kind]
        row_findings = marks.rows.get((table.id, row.id))
        if row_findings:
            classes.append("wrong-row")
        title = f' title="{escape(tooltip(row_findings, lang))}"' if row_findings else ""
        cells = []
        for column in table.columns:
            cell = by_column.get(column.index)
            content = escape(cell.raw) if cell is not None else ""
            numeric = cell is not None and cell.type in ("count", "percent", "money", "number")
            attributes = ' class="num"' if numeric else (' class="label"' if column.role == "label" else "")
            found = marks.cells.get((table.id, row.id, column.index))
            if found:
                attributes, content = _marked(content, found, lang)
                if numeric:
                    attributes = attributes.replace('class="wrong"', 'class="wrong num"')
            cell_id = safe_id("cell", table.id, row.id, column.index)
            cells.append(f'<td id="{cell_id}"{attributes}>{content}</td>')
        row_id = safe_id("row", table.id, row.id)
        body.append(f'<tr id="{row_id}" class="{" ".join(classes)}"{title}>' + "".join(cells) + "</tr>")
    caption = f"{label('table', lang).capitalize()} {table.id}"
    if table.caption:
        caption += f": {table.caption}"
    if table.page is not None:
        caption += f" ({label('page', lang)} {table.page})"
    return (
        f'<div class="table-wrap"><table class="data" id="{safe_id("table", table.id)}">'
        f"<caption>{escape(caption)}</caption>\n<thead>{''.join(head)}</thead>\n"
        f"<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def _tables_html(document: ExtractedDocument, lang: Language) -> str:
    if not document.tables:
        return f'<p class="muted">{escape(label("no_tables", lang))}</p>'
    marks = table_marks(document.findings)
    return "\n".join(_table_html(table, marks, lang) for table in document.tables)


# ------------------------------------------------------------------------------------------ outline and text


def _outline_html(sections: Sequence[Section]) -> str:
    if not sections:
        return ""
    items = []
    for section in sections:
        name = " ".join(section.heading.split())
        if section.numbering:
            name = f"{section.numbering}. {name}"
        link = f'<a href="#{safe_id("sec", section.id)}">{escape(name)}</a>'
        items.append(f"<li>{link}{_outline_html(section.children)}</li>")
    return '<ul class="outline">' + "".join(items) + "</ul>"


@dataclass(frozen=True)
class Highlight:
    """A span of the text to highlight: its kind (a CSS class), a tooltip, and the finding it belongs to."""

    start: int
    end: int
    kind: str
    title: str = ""
    finding: str | None = None


def document_highlights(document: ExtractedDocument, lang: Language) -> list[Highlight]:
    """Section headings, tables read as text, citation mentions, target mentions, amounts and the spans
    of text findings."""
    highlights = [
        Highlight(s.heading_span.start, s.heading_span.end, "heading")
        for s in _all_sections(document.sections)
    ]
    highlights += [
        Highlight(block.span.start, block.span.end, "table")
        for block in document.blocks
        if block.kind == "table" and not block.in_layout_table
    ]
    for citation in document.citations:
        name = " ".join(part for part in (citation.type, citation.symbol, citation.title) if part)
        if citation.date is not None:
            name += f" ({format_date(citation.date)})"
        for mention in citation.mentions:
            highlights.append(
                Highlight(
                    mention.span.start, mention.span.end, "citation", f"{label('citation', lang)}: {name}"
                )
            )
    for target in document.targets:
        value = target.raw or ""
        name = f"{label('target', lang)}: {target.indicator.text} {target.direction or ''} {value}".strip()
        for mention in target.mentions:
            highlights.append(Highlight(mention.span.start, mention.span.end, "target", name))
    for amount in document.amounts:
        name = f"{label('amount', lang)}: {amount.raw}" + (
            f" = {amount.value} {amount.unit}" if amount.in_words else ""
        )
        highlights.append(Highlight(amount.span.start, amount.span.end, "amount", name))
    for finding in document.findings:
        span = finding.location.span
        if span is not None and finding.location.table_id is None:
            title = f"{finding.id}: {finding_message(finding, lang)}"
            highlights.append(Highlight(span.start, span.end, "finding", title, finding.id))
    size = len(document.text)
    return [h for h in highlights if 0 <= h.start < h.end <= size]


def _all_sections(sections: Sequence[Section]) -> Iterable[Section]:
    for section in sections:
        yield section
        yield from _all_sections(section.children)


def highlight_text(text: str, highlights: Sequence[Highlight], anchors: dict[int, list[str]]) -> str:
    """``text`` escaped, each piece between span boundaries wrapped in one element carrying the classes
    and tooltips of every span covering it; a piece inside a finding's span links to that finding.
    ``anchors`` maps offsets to ids placed there (section starts, text findings)."""
    cuts = {0, len(text), *anchors}
    for highlight in highlights:
        cuts.update((highlight.start, highlight.end))
    ordered = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    pieces = []
    for start, end in zip(ordered, [*ordered[1:], None], strict=True):
        pieces.extend(f'<a id="{anchor}"></a>' for anchor in anchors.get(start, []))
        if end is None:
            break
        covering = [h for h in highlights if h.start <= start and end <= h.end]
        pieces.append(_piece(text[start:end], covering))
    return "".join(pieces)


def _piece(text: str, covering: Sequence[Highlight]) -> str:
    if not covering:
        return escape(text)
    kinds = [kind for kind in ("heading", "table", *HIGHLIGHT_KINDS) if any(h.kind == kind for h in covering)]
    classes = "hl " + " ".join(f"hl-{kind}" for kind in kinds)
    titles = [h.title for h in covering if h.title]
    title = f' title="{escape(chr(10).join(dict.fromkeys(titles)))}"' if titles else ""
    finding = next((h.finding for h in covering if h.finding), None)
    if finding is not None:
        return f'<a class="{classes}" href="#{safe_id("finding", finding)}"{title}>{escape(text)}</a>'
    return f'<span class="{classes}"{title}>{escape(text)}</span>'


def _text_html(document: ExtractedDocument, lang: Language) -> str:
    anchors: dict[int, list[str]] = defaultdict(list)
    for section in _all_sections(document.sections):
        anchors[section.heading_span.start].append(safe_id("sec", section.id))
    for finding in document.findings:
        span = finding.location.span
        if finding_target(document, finding) == safe_id("at", finding.id) and span is not None:
            anchors[span.start].append(safe_id("at", finding.id))
    legend = "".join(
        f'<span class="hl-{kind}">{escape(label(key, lang))}</span>'
        for kind, key in (
            ("citation", "citation"),
            ("target", "target"),
            ("amount", "amount"),
            ("finding", "finding_span"),
        )
    )
    body = highlight_text(document.text, document_highlights(document, lang), anchors)
    return (
        f'<p class="legend">{escape(label("legend", lang))}: {legend}</p>\n<div class="doc-text">{body}</div>'
    )


# ------------------------------------------------------------------------------------------------------ page


def html_report(document: ExtractedDocument, lang: Language = "vi") -> str:
    """The whole report page of one document, self-contained (inline CSS, no script, no external asset)."""
    sections = [
        ("tables", label("tables", lang), _tables_html(document, lang)),
        ("findings", label("findings", lang), _findings_html(document, lang)),
        ("outline", label("outline", lang), _outline_html(document.sections)),
        ("text", label("text", lang), _text_html(document, lang)),
    ]
    jump = " ".join(f'<a href="#{key}">{escape(title)}</a>' for key, title, _ in sections)
    body = "\n".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>\n{content}\n</section>'
        for key, title, content in sections
    )
    page_title = f"{label('report', lang)}: {document.source.path}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(page_title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{_header_html(document, lang)}\n"
        f'<nav class="jump">{jump}</nav>\n'
        f"{_summary_html(document, lang)}\n{body}\n</body>\n</html>\n"
    )
