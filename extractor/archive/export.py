"""Export the archive's targets, findings, citations, assignments or table cells as CSV or XLSX for auditors.

Headers are Vietnamese, the document's columns first (Tệp, Cơ quan ban hành, Số ký hiệu, Ngày ban hành, Năm,
Cấp). In XLSX numbers are numbers and dates are dates (so Excel sorts and sums them), the header row is frozen
and filtered. The file is written beside its target and renamed over it: a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, select

from extractor.archive.cite import mention_dates
from extractor.archive.schema import (
    assignments,
    citations,
    doc_tables,
    documents,
    duties,
    findings,
    sections,
    table_cells,
    targets,
)
from extractor.archive.search import NO_FILTERS, SearchFilters, document_conditions, document_refs

if TYPE_CHECKING:
    from extractor.archive.store import Archive

WHATS = ("targets", "findings", "citations", "assignments", "tables")
FORMATS = ("csv", "xlsx")
DATE_FORMAT = "dd/mm/yyyy"  # how Vietnamese documents write dates
_SHEET_TITLES = {
    "targets": "Chỉ tiêu",
    "findings": "Phát hiện",
    "citations": "Trích dẫn",
    "assignments": "Phân công",
    "tables": "Ô bảng",
}
_LEVELS = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}
_SEVERITIES = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
_ROLES = {"lead": "Chủ trì", "coordinate": "Phối hợp", "requested": "Đề nghị", "responsible": "Thực hiện"}
_CITATION_ROLES = {"basis": "Căn cứ", "reference": "Tham chiếu"}
_DIRECTIONS = {
    "reduce_to": "giảm còn",
    "reduce_by": "giảm",
    "at_least": "tối thiểu",
    "at_most": "tối đa",
    "reach": "đạt",
    "maintain": "duy trì",
    "increase_by": "tăng thêm",
    "increase_to": "tăng lên",
    "eliminate": "xóa bỏ",
}


@dataclass(frozen=True)
class ExportColumn:
    """A column: its Vietnamese header and the type its cells are written as ("text", "number", "date")."""

    header: str
    type: str = "text"


DOCUMENT_COLUMNS = (
    ExportColumn("Tệp"),
    ExportColumn("Cơ quan ban hành"),
    ExportColumn("Số ký hiệu"),
    ExportColumn("Ngày ban hành", "date"),
    ExportColumn("Năm", "number"),
    ExportColumn("Cấp"),
)


def export(archive: Archive, what: str, fmt: str, out: Path, filters: SearchFilters = NO_FILTERS) -> int:
    """Write ``what`` (one of ``WHATS``) of the current documents matching ``filters`` to ``out`` as ``fmt``
    ("csv" or "xlsx"); the number of rows written. ``export(archive, "targets", "xlsx", Path("chi-tieu.xlsx"))``.
    """
    if what not in WHATS:
        raise ValueError(f"what must be one of {', '.join(WHATS)}, not {what!r}")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with archive.engine.connect() as conn:
        columns, rows = export_rows(conn, what, filters)
    if fmt == "csv":
        _replace_atomically(Path(out), lambda temporary: _write_csv(temporary, columns, rows))
    else:
        title = _SHEET_TITLES[what]
        _replace_atomically(Path(out), lambda temporary: _write_xlsx(temporary, columns, rows, title))
    return len(rows)


def export_rows(
    conn: Connection, what: str, filters: SearchFilters
) -> tuple[list[ExportColumn], list[tuple]]:
    """The columns and rows of an export, values typed (float, int, ``date``, str or None)."""
    columns, statement, shape = _QUERIES[what](filters)
    statement = statement.join(documents, documents.c.id == statement.selected_columns.document_id)
    statement = statement.where(*document_conditions(filters))
    if filters.limit:
        statement = statement.limit(filters.limit)
    found = conn.execute(statement).mappings().all()
    ids = {row["document_id"] for row in found}
    prefix = _document_prefixes(conn, ids)
    cited = mention_dates(conn, [row["id"] for row in found]) if what == "citations" else {}
    context = _Context(_section_headings(conn, ids), cited)
    rows = [prefix[row["document_id"]] + shape(row, context) for row in found]
    return [*DOCUMENT_COLUMNS, *columns], rows


def _document_prefixes(conn: Connection, ids: set[int]) -> dict[int, tuple]:
    refs = document_refs(conn, ids)
    years = dict(conn.execute(select(documents.c.id, documents.c.year).where(documents.c.id.in_(ids))).all())
    levels = dict(
        conn.execute(select(documents.c.id, documents.c.level).where(documents.c.id.in_(ids))).all()
    )
    return {
        i: (ref.path, ref.issuer, ref.number, _date(ref.date), years[i], _LEVELS.get(levels[i] or ""))
        for i, ref in refs.items()
    }


def _section_headings(conn: Connection, ids: set[int]) -> dict[tuple[int, str], str]:
    statement = select(
        sections.c.document_id, sections.c.section_id, sections.c.numbering, sections.c.heading
    )
    return {
        (doc, section): f"{numbering}. {heading}" if numbering else heading
        for doc, section, numbering, heading in conn.execute(statement.where(sections.c.document_id.in_(ids)))
    }


def _date(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _number(value: float | None) -> float | int | None:
    """1.94 stays 1.94; 300.0 is written 300."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# ---------------------------------------------------------------------------------------------------
# One query per kind: its columns, its statement, and how a result row becomes an export row
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What rows of an export look up: section headings by (document, section id), citations' mention dates."""

    headings: dict[tuple[int, str], str]
    mention_dates: dict[int, tuple[str, ...]]

    def section(self, row: Any) -> str | None:
        return self.headings.get((row["document_id"], row["section_id"]))


Shape = Callable[[Any, _Context], tuple]
Query = tuple[list[ExportColumn], Select, Shape]


def _targets(filters: SearchFilters) -> Query:
    columns = [
        ExportColumn("Mục"),
        ExportColumn("Mã chỉ tiêu"),
        ExportColumn("Chỉ tiêu"),
        ExportColumn("Giá trị", "number"),
        ExportColumn("Giá trị như ghi"),
        ExportColumn("Đơn vị"),
        ExportColumn("Hướng"),
        ExportColumn("Thời hạn", "date"),
        ExportColumn("Thời hạn như ghi"),
        ExportColumn("Từ năm", "number"),
        ExportColumn("Đến năm", "number"),
        ExportColumn("Phạm vi"),
        ExportColumn("Trang", "number"),
        ExportColumn("Câu"),
    ]
    statement = select(targets).order_by(targets.c.document_id, targets.c.id)
    if filters.indicator:
        statement = statement.where(targets.c.indicator_key == filters.indicator)

    def shape(row: Any, context: _Context) -> tuple:
        section = context.section(row)
        direction = _DIRECTIONS.get(row["direction"] or "", row["direction"])
        return (
            *(
                section,
                row["indicator_key"],
                row["indicator"],
                _number(row["value"]),
                row["raw"],
                row["unit"],
            ),
            *(direction, _date(row["deadline"]), row["deadline_raw"], row["start_year"], row["end_year"]),
            *(row["scope"], row["page"], row["sentence"]),
        )

    return columns, statement, shape


def _findings(_filters: SearchFilters) -> Query:
    columns = [
        ExportColumn("Mức độ"),
        ExportColumn("Quy tắc"),
        ExportColumn("Nội dung"),
        ExportColumn("Giá trị ghi"),
        ExportColumn("Giá trị tính lại"),
        ExportColumn("Căn cứ"),
        ExportColumn("Giải thích"),
        ExportColumn("Bảng"),
        ExportColumn("Dòng"),
        ExportColumn("Cột", "number"),
        ExportColumn("Trang", "number"),
    ]
    statement = select(findings).order_by(findings.c.document_id, findings.c.id)

    def shape(row: Any, _context: _Context) -> tuple:
        severity = _SEVERITIES.get(row["severity"], row["severity"])
        return (
            *(severity, row["rule"], row["message_vi"], row["stated"], row["expected"], row["evidence"]),
            *(row["explanation"], row["table_id"], row["row_id"], row["column"], row["page"]),
        )

    return columns, statement, shape


def _citations(_filters: SearchFilters) -> Query:
    columns = [
        ExportColumn("Loại văn bản"),
        ExportColumn("Số hiệu văn bản"),
        ExportColumn("Ngày văn bản", "date"),
        ExportColumn("Ngày ghi ở các lần trích dẫn"),
        ExportColumn("Cơ quan ban hành văn bản"),
        ExportColumn("Trích yếu"),
        ExportColumn("Vai trò"),
        ExportColumn("Số lần trích dẫn", "number"),
    ]
    statement = select(citations).order_by(citations.c.document_id, citations.c.id)

    def shape(row: Any, context: _Context) -> tuple:
        role = _CITATION_ROLES.get(row["role"] or "", row["role"])
        written = "; ".join(context.mention_dates.get(row["id"], ())) or None
        return (
            row["type"],
            row["symbol"],
            _date(row["date"]),
            written,
            row["issuer"],
            row["subject"],
            role,
            row["n_mentions"],
        )

    return columns, statement, shape


def _assignments(_filters: SearchFilters) -> Query:
    columns = [
        ExportColumn("Mục"),
        ExportColumn("Cơ quan thực hiện"),
        ExportColumn("Vai trò"),
        ExportColumn("Nhiệm vụ"),
        ExportColumn("Thời hạn"),
        ExportColumn("Định kỳ"),
        ExportColumn("Trang", "number"),
    ]
    statement = (
        select(
            assignments,
            duties.c.text.label("duty"),
            duties.c.role.label("duty_role"),
            duties.c.deadline,
            duties.c.cadence,
            duties.c.page.label("duty_page"),
        )
        .outerjoin(duties, duties.c.assignment_row == assignments.c.id)
        .order_by(assignments.c.document_id, assignments.c.id, duties.c.id)
    )

    def shape(row: Any, context: _Context) -> tuple:
        section = context.section(row)
        role = row["duty_role"] or row["role"]
        page = row["duty_page"] if row["duty_page"] is not None else row["page"]
        return (
            section,
            row["body"],
            _ROLES.get(role or "", role),
            row["duty"],
            row["deadline"],
            row["cadence"],
            page,
        )

    return columns, statement, shape


def _tables(_filters: SearchFilters) -> Query:
    columns = [
        ExportColumn("Mã bảng"),
        ExportColumn("Tên bảng"),
        ExportColumn("Mục"),
        ExportColumn("Dòng số", "number"),
        ExportColumn("Tên dòng"),
        ExportColumn("Loại dòng"),
        ExportColumn("Cột số", "number"),
        ExportColumn("Tiêu đề cột"),
        ExportColumn("Loại ô"),
        ExportColumn("Giá trị", "number"),
        ExportColumn("Nội dung ô"),
        ExportColumn("Trang", "number"),
    ]
    statement = (
        select(
            table_cells,
            doc_tables.c.table_id,
            doc_tables.c.caption,
            doc_tables.c.section_id,
        )
        .join(doc_tables, doc_tables.c.id == table_cells.c.table_row)
        .order_by(table_cells.c.document_id, table_cells.c.id)
    )

    def shape(row: Any, context: _Context) -> tuple:
        section = context.section(row)
        return (
            *(
                row["table_id"],
                row["caption"],
                section,
                row["row_index"] + 1,
                row["row_label"],
                row["row_kind"],
            ),
            *(row["column"] + 1, row["header"], row["type"], _number(row["value"]), row["raw"], row["page"]),
        )

    return columns, statement, shape


_QUERIES: dict[str, Callable[[SearchFilters], Query]] = {
    "targets": _targets,
    "findings": _findings,
    "citations": _citations,
    "assignments": _assignments,
    "tables": _tables,
}


# ---------------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------------


def _replace_atomically(out: Path, write: Callable[[Path], None]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=out.suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def _write_csv(out: Path, columns: Sequence[ExportColumn], rows: Sequence[tuple]) -> None:
    # UTF-8 with a BOM: Excel opens a BOM-less CSV in the ANSI code page and garbles every diacritic
    # ("Cơ quan" -> "CÆ¡ quan"); the BOM is what makes a double-click open it right. Dates are ISO.
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.header for column in columns])
        for row in rows:
            writer.writerow(
                [
                    "" if value is None else value.isoformat() if isinstance(value, date) else value
                    for value in row
                ]
            )


def _write_xlsx(out: Path, columns: Sequence[ExportColumn], rows: Sequence[tuple], title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    dates = [i for i, column in enumerate(columns, start=1) if column.type == "date"]
    for row in rows:
        sheet.append(list(row))
        for index in dates:
            sheet.cell(row=sheet.max_row, column=index).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(
            column, [row[index - 1] for row in rows[:500]]
        )
    book.save(out)


def _width(column: ExportColumn, values: list[Any]) -> float:
    """Wide enough for the header and most values, never wider than a screen's third."""
    if column.type == "date":
        return 12
    longest = max((len(str(value)) for value in values if value is not None), default=0)
    return float(min(60, max(8, len(column.header) + 2, longest + 2)))
