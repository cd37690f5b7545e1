"""A plan's targets against the reported results, rendered: rows for CSV and XLSX, a self-contained HTML page.

``comparison_rows(comparisons)`` gives one row per target (plan, target, status, result, evidence, gap,
reason) under Vietnamese headers; ``write_comparisons(comparisons, path, "xlsx")`` writes them atomically.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from extractor.output.files import write_atomically
from extractor.output.report_html import STYLE, Highlight, highlight_text, safe_id
from models.comparison import MatchedResult, TargetComparison
from models.extracted import ExtractedDocument

HEADERS = (
    "Cơ quan ban hành",
    "Số ký hiệu",
    "Ngày ban hành",
    "Chỉ tiêu",
    "Chỉ số",
    "Giá trị",
    "Đơn vị",
    "Hạn",
    "Kết quả đánh giá",
    "Giá trị đạt được",
    "Kỳ báo cáo",
    "Văn bản báo cáo",
    "Đoạn trích kết quả",
    "Chênh lệch",
    "Lý do",
)
# The statuses in the order a reader scans them, with their Vietnamese names.
STATUS_NAMES = {
    "met": "đạt",
    "partly_met": "đạt một phần",
    "not_met": "không đạt",
    "not_yet_due": "chưa đến hạn",
    "no_result": "chưa có kết quả",
    "not_comparable": "không so sánh được",
}
BYTE_ORDER_MARK = "\ufeff"  # Excel reads a CSV as UTF-8 only with it


def comparison_rows(comparisons: Sequence[TargetComparison]) -> list[tuple[object, ...]]:
    """One row per target, values typed (numbers as numbers) in the order of ``HEADERS``."""
    rows = []
    for item in comparisons:
        target, result = item.target, item.results[0] if item.results else None
        period = target.period
        deadline = period.deadline if period else None
        rows.append(
            (
                item.plan.issuer,
                item.plan.number,
                item.plan.date,
                target.mentions[0].raw if target.mentions else target.raw,
                target.indicator.key,
                target.value,
                target.unit,
                (deadline.iso or deadline.raw) if deadline else (period.raw if period else None),
                STATUS_NAMES.get(item.status, item.status),
                result.value if result else None,
                result.period if result else None,
                " ".join(part for part in (result.document.number, result.document.date) if part)
                if result
                else None,
                result.text if result else None,
                item.gap,
                item.reason,
            )
        )
    return rows


def status_totals(comparisons: Sequence[TargetComparison]) -> dict[str, int]:
    """How many targets have each status, every status listed: {"met": 5, "partly_met": 0, …}."""
    counted = Counter(item.status for item in comparisons)
    return {status: counted.get(status, 0) for status in STATUS_NAMES}


def comparisons_csv(comparisons: Sequence[TargetComparison]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in comparison_rows(comparisons):
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def comparisons_html(
    comparisons: Sequence[TargetComparison], title: str, documents: Sequence[ExtractedDocument] = ()
) -> str:
    """A self-contained page: each target beside its evidence, the status coloured, every value escaped.

    With ``documents`` (the plans and the reports the comparisons come from), each document's text follows
    the table with its targets and the results taken marked, and every target and result in the table links
    to its place there (and back to its row): the auditor reads each figure in its sentence."""
    colours = {"met": "#d7f5dd", "partly_met": "#fff2c2", "not_met": "#fbd5d5"}
    numbered = {doc.source.sha256: index for index, doc in enumerate(documents, start=1)}
    lines = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        f"<style>{STYLE}{_PAGE_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p>",
        " · ".join(f"{html.escape(STATUS_NAMES[s])}: {n}" for s, n in status_totals(comparisons).items()),
        "</p><table class='comparison'><tr><th>Chỉ tiêu (kế hoạch)</th><th>Kết quả đánh giá</th>"
        "<th>Kết quả báo cáo</th><th>Lý do</th></tr>",
    ]
    for row_number, (item, row) in enumerate(zip(comparisons, comparison_rows(comparisons), strict=True), 1):
        colour = colours.get(item.status, "#eeeeee")
        target = _linked(str(row[3]), numbered.get(item.plan.sha256 or ""), item.target.id)
        evidence = "<br>".join(
            f"{_linked(result.text, numbered.get(result.document.sha256 or ''), result.result_id)}"
            f"<br><small>{html.escape(_source(result))}</small>"
            for result in item.results
        )
        lines.append(
            f"<tr id='row-{row_number}'><td>{target}</td><td style='background:{colour}'>"
            f"{html.escape(str(row[8]))}</td><td>{evidence}</td><td>{html.escape(item.reason)}</td></tr>"
        )
    lines.append("</table>")
    lines += [
        _document_html(doc, index, comparisons)
        for doc, index in zip(documents, numbered.values(), strict=True)
    ]
    lines.append("</body></html>")
    return "\n".join(lines)


_PAGE_STYLE = """
table.comparison td, table.comparison th { border: 1px solid #ccc; padding: 4px; vertical-align: top; }
table.comparison { border-collapse: collapse; }
table.comparison tr:target { outline: 3px solid #8250df; }
section.compared { margin-top: 32px; }
"""


def _linked(shown: str, document: int | None, item_id: str) -> str:
    """``shown`` escaped, a link to the item's place in document number ``document`` when it is on the page."""
    if document is None:
        return html.escape(shown)
    return f"<a href='#{safe_id('d', document, item_id)}'>{html.escape(shown)}</a>"


def _source(result: MatchedResult) -> str:
    ref = result.document
    named = " · ".join(part for part in (ref.issuer, ref.number, ref.date) if part) or (ref.path or "")
    return f"{named} ({result.period})" if result.period else named


def _document_html(doc: ExtractedDocument, index: int, comparisons: Sequence[TargetComparison]) -> str:
    """One document's text, its compared targets and the results taken from it marked and anchored."""
    sha = doc.source.sha256
    rows = {}
    for row_number, item in enumerate(comparisons, 1):
        if item.plan.sha256 == sha:
            rows.setdefault(item.target.id, row_number)
        for result in item.results:
            if result.document.sha256 == sha:
                rows.setdefault(result.result_id, row_number)
    highlights, anchors = [], defaultdict(list)
    spans = [(t.id, t.span, "target") for t in doc.targets] + [(r.id, r.span, "result") for r in doc.results]
    for item_id, span, kind in spans:
        if item_id in rows and 0 <= span.start < span.end <= len(doc.text):
            title = f"dòng {rows[item_id]} của bảng so sánh"
            highlights.append(Highlight(span.start, span.end, kind, title))
            anchors[span.start].append(safe_id("d", index, item_id))
    meta = doc.metadata
    named = " · ".join(
        part
        for part in (
            meta.doc_type.value if meta.doc_type else None,
            meta.issuer.value if meta.issuer else None,
            meta.number,
            meta.date.raw if meta.date else None,
        )
        if part
    )
    body = highlight_text(doc.text, highlights, anchors)
    return (
        f"<section class='compared' id='d{index}'><h2>{html.escape(named or doc.source.path or '')}</h2>"
        f"<div class='doc-text'>{body}</div></section>"
    )


def write_comparisons(
    comparisons: Sequence[TargetComparison],
    path: Path,
    fmt: str,
    title: str = "",
    documents: Sequence[ExtractedDocument] = (),
) -> None:
    """Write the comparisons to ``path`` as csv, xlsx, json or html (with ``documents``' texts, see
    ``comparisons_html``), atomically."""
    if fmt == "csv":
        write_atomically(path, BYTE_ORDER_MARK + comparisons_csv(comparisons))
    elif fmt == "html":
        write_atomically(
            path, comparisons_html(comparisons, title or "So sánh chỉ tiêu với kết quả", documents)
        )
    elif fmt == "json":
        write_atomically(path, comparisons_json(comparisons))
    elif fmt == "xlsx":
        _write_xlsx(comparisons, path)
    else:
        raise ValueError(f"format must be csv, xlsx, json or html, not {fmt!r}")


def comparisons_json(comparisons: Sequence[TargetComparison]) -> str:
    return "[" + ",\n".join(item.model_dump_json() for item in comparisons) + "]\n"


def _write_xlsx(comparisons: Sequence[TargetComparison], path: Path) -> None:
    import os
    import tempfile

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu"
    sheet.append(HEADERS)
    for row in comparison_rows(comparisons):
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            12, len(header) + 2
        )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".khplan-", suffix=".xlsx")
    os.close(descriptor)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
