"""The `khplan check` report for a terminal: who issued the plan, how many findings of each severity, then
every finding with where it is (a table cell, or a page and a short quote), its arithmetic and its likely
cause, and a coverage line so that "0 findings" can be trusted.

The wording helpers here (labels in Vietnamese or English, locations, groups of related findings) are
shared by the HTML report and the findings CSV, so all three say the same thing the same way.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from extractor.output.printable import shown
from models.findings import Coverage, Finding, Severity

if TYPE_CHECKING:
    from rich.console import Console

    from models import ExtractedDocument, Metadata, PartialDate, Section, Span
    from models.tables import Table

Language = Literal["vi", "en"]

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}
QUOTE_LIMIT = 90

LABELS: dict[str, dict[Language, str]] = {
    "error": {"vi": "lỗi", "en": "error"},
    "warning": {"vi": "cảnh báo", "en": "warning"},
    "info": {"vi": "thông tin", "en": "info"},
    "errors": {"vi": "lỗi", "en": "errors"},
    "warnings": {"vi": "cảnh báo", "en": "warnings"},
    "infos": {"vi": "thông tin", "en": "info"},
    "file": {"vi": "Tệp", "en": "File"},
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "number": {"vi": "Số, ký hiệu", "en": "Number"},
    "date": {"vi": "Ngày ban hành", "en": "Date"},
    "place": {"vi": "Địa danh", "en": "Place"},
    "title": {"vi": "Trích yếu", "en": "Title"},
    "signer": {"vi": "Người ký", "en": "Signer"},
    "recipients": {"vi": "Nơi nhận", "en": "Recipients"},
    "findings": {"vi": "Phát hiện", "en": "Findings"},
    "no_findings": {"vi": "Không có phát hiện nào.", "en": "No findings."},
    "location": {"vi": "Vị trí", "en": "Location"},
    "stated": {"vi": "Văn bản ghi", "en": "Stated"},
    "expected": {"vi": "Đúng ra là", "en": "Expected"},
    "evidence": {"vi": "Phép tính", "en": "Evidence"},
    "explanation": {"vi": "Giải thích", "en": "Explanation"},
    "related": {"vi": "Liên quan", "en": "Related"},
    "cause": {"vi": "Nguyên nhân có thể", "en": "Probable cause"},
    "table": {"vi": "bảng", "en": "table"},
    "row": {"vi": "dòng", "en": "row"},
    "column": {"vi": "cột", "en": "column"},
    "section": {"vi": "mục", "en": "section"},
    "page": {"vi": "trang", "en": "page"},
    "whole_document": {"vi": "toàn văn bản", "en": "whole document"},
    "verified": {"vi": "Đã kiểm chứng {count} phép tính", "en": "Verified {count} identities"},
    "skipped": {"vi": "bỏ qua", "en": "skipped"},
    "none_skipped": {"vi": "không bỏ qua phép tính nào", "en": "none skipped"},
    "missing": {"vi": "(không có)", "en": "(none)"},
    "outline": {"vi": "Bố cục", "en": "Outline"},
    "text": {"vi": "Toàn văn", "en": "Full text"},
    "tables": {"vi": "Bảng số liệu", "en": "Tables"},
    "no_tables": {"vi": "Không đọc được bảng số liệu nào.", "en": "No data tables were read."},
    "legend": {"vi": "Chú giải", "en": "Legend"},
    "citation": {"vi": "Văn bản trích dẫn", "en": "Citation"},
    "target": {"vi": "Chỉ tiêu", "en": "Target"},
    "amount": {"vi": "Số lượng, số tiền", "en": "Amount"},
    "finding_span": {"vi": "Chỗ có phát hiện", "en": "Finding"},
    "wrong_cell": {"vi": "Ô sai", "en": "Wrong cell"},
    "report": {"vi": "Báo cáo kiểm tra", "en": "Check report"},
}


def label(key: str, lang: Language) -> str:
    """``label("expected", "vi")`` -> "Đúng ra là"."""
    return LABELS[key][lang]


def finding_message(finding: Finding, lang: Language) -> str:
    return finding.message_en if lang == "en" else finding.message_vi


def rule_title(rule_id: str, lang: Language) -> str:
    """The registry's title of a rule ("money.words" -> "Số tiền bằng chữ khác bằng số"), or the id itself."""
    from extractor import data

    rule = data.rules().rules.get(rule_id)
    if rule is None:
        return rule_id
    return rule.title.en if lang == "en" else rule.title.vi


def document_number(metadata: Metadata) -> str:
    """Number and symbol as the header writes them: "33" + "KH-UBND" -> "33/KH-UBND"; a blank number
    (a draft's "Số:   /KH-UBND") -> "…/KH-UBND"."""
    symbol = metadata.symbol.value if metadata.symbol else ""
    number = metadata.number or ("…" if symbol else "")
    return f"{number}/{symbol}" if symbol else number


def format_date(date: PartialDate | None) -> str:
    """ "ngày 05 tháng 5 năm 2023" -> "05/05/2023"; a blank day ("ngày   tháng 01 năm 2024") -> "…/01/2024"."""
    if date is None:
        return ""
    day = f"{date.day:02d}" if date.day else "…"
    month = f"{date.month:02d}" if date.month else "…"
    year = str(date.year) if date.year else "…"
    return f"{day}/{month}/{year}"


def quote_at(text: str, span: Span, limit: int = QUOTE_LIMIT) -> str:
    """The text at ``span`` on one line, shortened to ``limit`` characters with an ellipsis."""
    quoted = " ".join(text[span.start : span.end].split())
    return quoted if len(quoted) <= limit else quoted[: limit - 1].rstrip() + "…"


def flatten_sections(sections: Iterable[Section]) -> list[Section]:
    """Every section, parents before their children, in document order."""
    flat: list[Section] = []
    for section in sections:
        flat.append(section)
        flat.extend(flatten_sections(section.children))
    return flat


def section_path(sections: Sequence[Section], offset: int) -> list[Section]:
    """The sections containing ``offset``, outermost first: [II. KINH PHÍ, 1. Hỗ trợ làm nhà ở …]."""
    for section in sections:
        if section.span.start <= offset < section.span.end:
            return [section, *section_path(section.children, offset)]
    return []


def section_name(path: Sequence[Section], limit: int = 40) -> str:
    """[II. KINH PHÍ THỰC HIỆN, 1. Hỗ trợ làm nhà ở cho 06 hộ …] -> "II.1 Hỗ trợ làm nhà ở cho 06 hộ…":
    the numbering path an auditor finds on paper, then the innermost heading, shortened."""
    numbers = ".".join(section.numbering for section in path if section.numbering)
    heading = " ".join(path[-1].heading.split())
    if len(heading) > limit:
        heading = heading[: limit - 1].rstrip() + "…"
    return f"{numbers} {heading}" if numbers else heading


def column_name(table: Table, column: int) -> str:
    """A column's flattened header path: "HỘ NGHÈO / Cuối năm 2024 / Tỷ lệ %"."""
    if 0 <= column < len(table.columns) and table.columns[column].path:
        return " / ".join(table.columns[column].path)
    return f"#{column + 1}"


def table_location(document: ExtractedDocument, finding: Finding, lang: Language) -> str:
    """ "bảng t1 · dòng Cây Tắt · cột HỘ NGHÈO / Cuối năm / Tỷ lệ %", falling back to ids when the table
    is not in the document (a finding made elsewhere)."""
    location = finding.location
    table = next((t for t in document.tables if t.id == location.table_id), None)
    parts = [f"{label('table', lang)} {location.table_id}"]
    if table is not None and table.caption:
        parts[0] += f" ({quote_at(table.caption, _whole(table.caption), 60)})"
    if location.row_id is not None:
        row = next((r for r in table.rows if r.id == location.row_id), None) if table else None
        name = row.label if row is not None and row.label else location.row_id
        parts.append(f"{label('row', lang)} {name}")
    if location.column is not None:
        name = column_name(table, location.column) if table else f"#{location.column + 1}"
        parts.append(f"{label('column', lang)} {name}")
    return " · ".join(parts)


def _whole(text: str) -> Span:
    from models import Span

    return Span(start=0, end=len(text))


def describe_location(document: ExtractedDocument, finding: Finding, lang: Language) -> str:
    """Where a finding points, in words an auditor can follow with the paper copy in hand:
    a table cell by table, row label and column path; a text finding by section, page and a short quote."""
    location = finding.location
    parts: list[str] = []
    if location.table_id is not None:
        parts.append(table_location(document, finding, lang))
    elif location.span is not None:
        path = section_path(document.sections, location.span.start)
        if path:
            parts.append(f"{label('section', lang)} {section_name(path)}")
    if location.page is not None:
        parts.append(f"{label('page', lang)} {location.page}")
    if location.span is not None and location.table_id is None:
        parts.append(f"«{quote_at(document.text, location.span)}»")
    return " · ".join(parts) or label("whole_document", lang)


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def counts_line(findings: Sequence[Finding], lang: Language) -> str:
    """ "3 phát hiện: 2 lỗi, 1 cảnh báo, 0 thông tin"."""
    counts = severity_counts(findings)
    noun = "phát hiện" if lang == "vi" else ("finding" if len(findings) == 1 else "findings")
    detail = ", ".join(f"{counts[s]} {label(s if counts[s] == 1 else s + 's', lang)}" for s in SEVERITIES)
    return f"{len(findings)} {noun}: {detail}"


def coverage_line(coverage: Coverage, lang: Language) -> str:
    """ "Đã kiểm chứng 13 phép tính …; bỏ qua 1: money.words — no amount in digits right before it (1)"."""
    line = label("verified", lang).format(count=coverage.verified)
    if not coverage.skipped:
        return f"{line}; {label('none_skipped', lang)}"
    total = sum(skip.count for skip in coverage.skipped)
    reasons = "; ".join(f"{skip.rule} — {skip.reason} ({skip.count})" for skip in coverage.skipped)
    return f"{line}; {label('skipped', lang)} {total}: {reasons}"


@dataclass(frozen=True)
class FindingGroup:
    """Findings the checks gave one probable cause (Cây Tắt's end count 3 breaks its percent, its flow and
    the column sum 47 vs 48), or a finding on its own (``cause`` None; a lone finding's cause is shown with
    its details)."""

    findings: tuple[Finding, ...]
    cause: str | None

    @property
    def worst(self) -> int:
        return max(SEVERITY_RANK[finding.severity] for finding in self.findings)


def group_findings(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Findings sharing a probable cause grouped under it, the others alone; the most severe groups first,
    then in the order the checks gave them (table by table, then the text)."""
    order = {finding.id: index for index, finding in enumerate(findings)}
    by_cause: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.probable_cause:
            by_cause.setdefault(finding.probable_cause, []).append(finding)
    groups: list[FindingGroup] = []
    for finding in findings:
        members = by_cause.get(finding.probable_cause or "", [])
        if len(members) > 1:
            if members[0] is finding:
                groups.append(FindingGroup(tuple(members), finding.probable_cause))
        else:
            groups.append(FindingGroup((finding,), None))
    groups.sort(key=lambda group: (-group.worst, order[group.findings[0].id]))
    return groups


def header_fields(document: ExtractedDocument, lang: Language) -> list[tuple[str, str]]:
    """(label, value) pairs of the document header, missing values shown as "(không có)"."""
    metadata = document.metadata
    missing = label("missing", lang)
    signer = metadata.signer
    signer_text = " ".join(
        part.value for part in (signer.position, signer.name) if part is not None and part.value
    )
    return [
        (label("file", lang), shown(document.source.path)),
        (label("issuer", lang), metadata.issuer.value if metadata.issuer else missing),
        (label("number", lang), document_number(metadata) or missing),
        (label("date", lang), format_date(metadata.date) or missing),
        (label("title", lang), _title(metadata) or missing),
        (label("signer", lang), signer_text or missing),
    ]


def _title(metadata: Metadata) -> str:
    doc_type = metadata.doc_type.value if metadata.doc_type else ""
    title = " ".join(metadata.title.value.split()) if metadata.title else ""
    return " ".join(part for part in (doc_type, title) if part)


def finding_details(
    finding: Finding, document: ExtractedDocument, lang: Language, grouped: bool = False
) -> list[tuple[str, str]]:
    """(label, value) lines under a finding's title, empty values left out; the probable cause is left out
    when the finding is shown under it (``grouped``)."""
    details = [
        (label("location", lang), describe_location(document, finding, lang)),
        (label("stated", lang), finding.stated or ""),
        (label("expected", lang), finding.expected or ""),
        (label("evidence", lang), finding.evidence or ""),
        (
            label("explanation", lang),
            (finding.explanation_vi if lang == "vi" else None) or finding.explanation or "",
        ),
        (label("cause", lang), finding.probable_cause if not grouped else ""),
        (label("related", lang), ", ".join(finding.related)),
    ]
    return [(name, value) for name, value in details if value]


def _label_width(lang: Language) -> int:
    keys = ("location", "stated", "expected", "evidence", "explanation", "cause", "related")
    return max(len(label(key, lang)) for key in keys) + 1


def _print_finding(
    console: Console, document: ExtractedDocument, finding: Finding, lang: Language, indent: int
) -> None:
    """The finding's title line, then its details with a hanging indent so wrapped lines stay aligned."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    title = Text(" " * indent)
    title.append(f"[{finding.id}] ", style="bold")
    title.append(label(finding.severity, lang).upper(), style=SEVERITY_STYLE[finding.severity])
    title.append(f"  {rule_title(finding.rule, lang)} ({finding.rule})", style="bold")
    console.print(title)
    console.print(Padding(Text(finding_message(finding, lang)), (0, 0, 0, indent + 4)))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True, min_width=_label_width(lang))
    grid.add_column(overflow="fold")
    for name, value in finding_details(finding, document, lang, grouped=indent > 0):
        grid.add_row(Text(f"{name}:"), Text(value))
    console.print(Padding(grid, (0, 0, 0, indent + 4)))


def print_text_report(document: ExtractedDocument, console: Console, lang: Language = "vi") -> None:
    """Print the report of one document on ``console`` (colours when the console is a terminal)."""
    from rich.rule import Rule
    from rich.text import Text

    console.print(Rule(Text(f"{label('report', lang)}: {shown(document.source.path)}", style="bold")))
    for name, value in header_fields(document, lang):
        console.print(Text.assemble((f"{name}: ", "dim"), value))
    findings = document.findings
    counts = severity_counts(findings)
    summary = Text.assemble(("\n" + counts_line(findings, lang), "bold"))
    if counts["error"]:
        summary.stylize("bold red")
    console.print(summary)
    console.print(Text(coverage_line(document.coverage, lang), style="dim"))
    if not findings:
        console.print(Text(label("no_findings", lang), style="green"))
        return
    for group in group_findings(findings):
        console.print()
        if group.cause:
            console.print(Text.assemble((f"{label('cause', lang)}: ", "bold magenta"), group.cause))
        for finding in group.findings:
            _print_finding(console, document, finding, lang, indent=2 if group.cause else 0)


def text_report(
    document: ExtractedDocument, lang: Language = "vi", color: bool = False, width: int = 100
) -> str:
    """The report of one document as a string: plain text for a file, ANSI colours when ``color``."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
    )
    print_text_report(document, console, lang)
    text = buffer.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))
