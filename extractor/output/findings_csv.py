"""Findings of many plans as one CSV for a spreadsheet (``khplan check *.pdf --csv findings.csv``).

One line per finding: the file, the plan's issuer and number, the finding's id, rule and severity, where it
is (in words: "bảng t1 · dòng Cây Tắt · cột Hộ nghèo cuối năm 2021 / %"), what the plan states, what the
arithmetic expects, the message in the chosen language, and the evidence. UTF-8 with a byte-order mark, so
Excel shows Vietnamese; every value goes through ``spreadsheet_safe`` (the rule shared by every CSV writer),
so that a spreadsheet never runs one as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.output.files import write_atomically
from extractor.output.report_text import Language, describe_location, document_number, finding_message
from extractor.output.spreadsheet import safe_row, spreadsheet_safe

if TYPE_CHECKING:
    from models import ExtractedDocument

BYTE_ORDER_MARK = "\ufeff"
FINDINGS_CSV_HEADER = (
    "file",
    "issuer",
    "number",
    "finding",
    "rule",
    "severity",
    "location",
    "stated",
    "expected",
    "message",
    "evidence",
    "explanation",
)
__all__ = ["finding_rows", "findings_csv_text", "spreadsheet_safe", "write_findings_csv"]


def finding_rows(path: str, document: ExtractedDocument, lang: Language = "vi") -> list[list[str]]:
    """The CSV lines of one document's findings, in the order of ``FINDINGS_CSV_HEADER``."""
    metadata = document.metadata
    issuer = metadata.issuer.value if metadata.issuer else ""
    number = document_number(metadata)
    rows = []
    for finding in document.findings:
        values = [
            path,
            issuer,
            number,
            finding.id,
            finding.rule,
            finding.severity,
            describe_location(document, finding, lang),
            finding.stated or "",
            finding.expected or "",
            finding_message(finding, lang),
            finding.evidence or "",
            finding.explanation or "",
        ]
        rows.append(safe_row(values))
    return rows


def findings_csv_text(rows: Iterable[list[str]]) -> str:
    """The CSV text (header line first, Windows line ends as spreadsheets expect), without the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FINDINGS_CSV_HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def write_findings_csv(path: Path, rows: Iterable[list[str]]) -> None:
    """Write the findings CSV at ``path`` atomically (a crash never leaves half a file), with a BOM."""
    write_atomically(Path(path), BYTE_ORDER_MARK + findings_csv_text(rows))
