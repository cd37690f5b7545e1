"""The checks stage: reads an ExtractedDocument (never the raw text) and returns findings and coverage.

One module per rule family; rule ids, severities and messages are in ``data/rules.yaml``, tolerances in
``normalize/tolerance.py``. Table identities come read by the tables stage (``Table.formulas``,
``Table.sums``), each with how sure it is: an identity not certain makes warnings only.
"""

from extractor.checks.citations import check_citation_dates
from extractor.checks.drafts import Draft, Tally, describe_cell, finish
from extractor.checks.flows import check_table_flows, check_text_flows
from extractor.checks.form import check_form
from extractor.checks.formulas import check_table_formulas, note_unchecked
from extractor.checks.misreads import doubt_misreads
from extractor.checks.money import check_money
from extractor.checks.narrative import check_narrative
from extractor.checks.percent import check_text_percents
from extractor.checks.scope import check_scope
from extractor.checks.sums import check_breakdowns, check_table_sums
from extractor.checks.targets import check_targets
from extractor.faults import Faults
from models.extracted import ExtractedDocument
from models.findings import Coverage, Finding
from models.provenance import BBox
from models.tables import Row, Table

# The text rules, in the order their findings are listed; each reads the whole document.
DOCUMENT_RULES = (
    ("text_percents", check_text_percents),
    ("breakdowns", check_breakdowns),
    ("money", check_money),
    ("narrative", check_narrative),
    ("text_flows", check_text_flows),
    ("citation_dates", check_citation_dates),
    ("targets", check_targets),
    ("form", check_form),
    ("scope", check_scope),
)
# The table rules, run on each table in turn.
TABLE_RULES = (
    ("table_formulas", check_table_formulas),
    ("unchecked_columns", note_unchecked),
    ("table_sums", check_table_sums),
    ("table_flows", check_table_flows),
)


def run_checks(document: ExtractedDocument, faults: Faults | None = None) -> tuple[list[Finding], Coverage]:
    """Every rule over ``document``; findings that share a cell are linked and given a probable cause.

    Each rule runs through ``faults``: one that raises gives no findings for that table or document,
    recorded as a failure, and the other rules still run.
    """
    faults = faults if faults is not None else Faults(strict=True)
    tally = Tally()
    drafts: list[Draft] = []
    describe = {}
    for table in document.tables:
        for name, rule in TABLE_RULES:
            drafts += faults.run("checks", f"{name} ({table.id})", rule, [], table, tally) or []
        for row in table.rows:
            for cell in row.cells:
                value = f" = {cell.raw}" if cell.raw else ""
                describe[(table.id, row.id, cell.column)] = (
                    f"{table.id} {describe_cell(table, row, cell.column)}{value}"
                )
    for name, rule in DOCUMENT_RULES:
        drafts += faults.run("checks", name, rule, [], document, tally)
    drafts = doubt_misreads(drafts, document)
    return with_boxes(finish(drafts, describe), document.tables), tally.coverage()


def with_boxes(findings: list[Finding], tables: list[Table]) -> list[Finding]:
    """Each finding with the box of its cell on the page (PDFs and scans), else of its table: the finding at
    cell (t1, r5, 4) of a PDF's table on page 2 gets that cell's box ``x0=218.8 top=361.4 …``. A box is set
    only when it lies on the finding's page; findings of the text, and of DOCX and TXT tables, keep none."""
    by_id = {table.id: table for table in tables}
    rows: dict[str, dict[str, Row]] = {}  # built for the tables findings point into only
    placed = []
    for finding in findings:
        box = _box_of(finding, by_id, rows)
        placed.append(
            finding.model_copy(update={"location": finding.location.model_copy(update={"bbox": box})})
            if box is not None
            else finding
        )
    return placed


def _box_of(finding: Finding, tables: dict[str, Table], rows: dict[str, dict[str, Row]]) -> BBox | None:
    location = finding.location
    table = tables.get(location.table_id) if location.table_id else None
    if table is None or location.page is None:
        return None
    if location.row_id is not None and location.column is not None:
        if table.id not in rows:
            rows[table.id] = {row.id: row for row in table.rows}
        row = rows[table.id].get(location.row_id)
        cell = row.cell(location.column) if row else None
        if cell is not None and cell.provenance.bbox is not None:
            return cell.provenance.bbox if cell.provenance.page == location.page else None
    return table.bbox if table.page == location.page else None


__all__ = ["run_checks", "with_boxes"]
