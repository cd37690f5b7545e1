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
from extractor.checks.money import check_money
from extractor.checks.narrative import check_narrative
from extractor.checks.percent import check_text_percents
from extractor.checks.scope import check_scope
from extractor.checks.sums import check_breakdowns, check_table_sums
from extractor.checks.targets import check_targets
from models.extracted import ExtractedDocument
from models.findings import Coverage, Finding


def run_checks(document: ExtractedDocument) -> tuple[list[Finding], Coverage]:
    """Every rule over ``document``; findings that share a cell are linked and given a probable cause."""
    tally = Tally()
    drafts: list[Draft] = []
    describe = {}
    for table in document.tables:
        drafts += check_table_formulas(table, tally)
        note_unchecked(table, tally)
        drafts += check_table_sums(table, tally)
        drafts += check_table_flows(table, tally)
        for row in table.rows:
            for cell in row.cells:
                value = f" = {cell.raw}" if cell.raw else ""
                describe[(table.id, row.id, cell.column)] = (
                    f"{table.id} {describe_cell(table, row, cell.column)}{value}"
                )
    drafts += check_text_percents(document, tally)
    drafts += check_breakdowns(document, tally)
    drafts += check_money(document, tally)
    drafts += check_narrative(document, tally)
    drafts += check_text_flows(document, tally)
    drafts += check_citation_dates(document, tally)
    drafts += check_targets(document, tally)
    drafts += check_form(document, tally)
    drafts += check_scope(document, tally)
    return finish(drafts, describe), tally.coverage()


__all__ = ["run_checks"]
