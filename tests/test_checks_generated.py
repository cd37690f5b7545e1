"""Generated tables: consistent ones give no finding; one injected error that the oracle confirms is found,
and the finding names that cell, its row or its column."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import run_checks
from tests.factories import document_with
from tests.generated_tables import generate, inject, oracle_broken, to_table


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32))
def test_consistent_tables_give_no_findings(seed: int) -> None:
    generated = generate(random.Random(seed))
    assert not oracle_broken(generated)
    findings, _ = run_checks(document_with(to_table(generated)))
    assert [finding for finding in findings if finding.location.table_id] == []


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32))
def test_an_injected_error_is_found_where_it_is(seed: int) -> None:
    rng = random.Random(seed)
    generated = generate(rng)
    row, column, _ = inject(generated, rng)
    findings, _ = run_checks(document_with(to_table(generated)))
    table_findings = [finding for finding in findings if finding.location.table_id]
    if not oracle_broken(generated):
        assert table_findings == []
        return
    row_id = f"r{row + 1}"
    assert any(
        finding.location.row_id == row_id or finding.location.column == column for finding in table_findings
    ), (generated.written, row, column)
