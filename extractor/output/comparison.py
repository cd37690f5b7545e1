"""A plan's targets against the reported results, rendered: rows for CSV and XLSX, a self-contained HTML page.

``comparison_rows(comparisons)`` gives one row per target (plan, target, status, result, evidence, gap,
reason) under Vietnamese headers; ``write_comparisons(comparisons, path, "xlsx")`` writes them atomically.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from extractor.output.files import write_atomically
from models.comparison import TargetComparison

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


def comparisons_html(comparisons: Sequence[TargetComparison], title: str) -> str:
    """A self-contained page: each target beside its evidence, the status coloured, every value escaped."""
    colours = {"met": "#d7f5dd", "partly_met": "#fff2c2", "not_met": "#fbd5d5"}
    lines = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font:14px sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px;"
        "vertical-align:top}table{border-collapse:collapse}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p>",
        " · ".join(f"{html.escape(STATUS_NAMES[s])}: {n}" for s, n in status_totals(comparisons).items()),
        "</p><table><tr><th>Chỉ tiêu (kế hoạch)</th><th>Kết quả đánh giá</th><th>Kết quả báo cáo</th>"
        "<th>Lý do</th></tr>",
    ]
    for item, row in zip(comparisons, comparison_rows(comparisons), strict=True):
        colour = colours.get(item.status, "#eeeeee")
        evidence = (
            ""
            if row[12] is None
            else f"{html.escape(str(row[12]))}<br><small>{html.escape(str(row[11]))}</small>"
        )
        lines.append(
            f"<tr><td>{html.escape(str(row[3]))}</td><td style='background:{colour}'>{html.escape(str(row[8]))}</td>"
            f"<td>{evidence}</td><td>{html.escape(item.reason)}</td></tr>"
        )
    lines.append("</table></body></html>")
    return "\n".join(lines)


def write_comparisons(comparisons: Sequence[TargetComparison], path: Path, fmt: str, title: str = "") -> None:
    """Write the comparisons to ``path`` as csv, xlsx, json or html, atomically."""
    if fmt == "csv":
        write_atomically(path, BYTE_ORDER_MARK + comparisons_csv(comparisons))
    elif fmt == "html":
        write_atomically(path, comparisons_html(comparisons, title or "So sánh chỉ tiêu với kết quả"))
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
