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
    return finish(drafts, describe), tally.coverage()


__all__ = ["run_checks"]
