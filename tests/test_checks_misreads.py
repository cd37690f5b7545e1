"""A finding that rests on a value OCR read with low confidence is a warning naming that value."""

from __future__ import annotations

from extractor.checks import run_checks
from models.extracted import ExtractedDocument
from models.provenance import LOW_CONFIDENCE
from tests.conftest import CASES, SEEDS, extracted

SEED_001 = SEEDS / "001_1747db98b33217c6.txt"


def with_cell_confidence(
    document: ExtractedDocument, row_id: str, column: int, confidence: float
) -> ExtractedDocument:
    """The document with one cell of its first table as if OCR had read it with ``confidence``."""
    [table] = document.tables
    rows = [
        row.model_copy(
            update={
                "cells": [
                    cell.model_copy(update={"confidence": confidence}) if cell.column == column else cell
                    for cell in row.cells
                ]
            }
        )
        if row.id == row_id
        else row
        for row in table.rows
    ]
    return document.model_copy(update={"tables": [table.model_copy(update={"rows": rows})]})


def test_an_error_on_a_doubtful_cell_becomes_a_warning_naming_it() -> None:
    document = extracted(SEED_001)
    error = next(f for f in document.findings if f.rule == "percent.table" and f.severity == "error")
    row_id, column = error.location.row_id, error.location.column
    assert row_id is not None and column is not None
    doubtful = with_cell_confidence(document, row_id, column, LOW_CONFIDENCE / 2)
    findings, _ = run_checks(doubtful)
    [again] = [f for f in findings if f.rule == error.rule and f.location == error.location]
    assert again.severity == "warning"
    assert (
        again.explanation is not None
        and f"{error.stated} was read from a scan and may be a misread" in again.explanation
    )
    assert "độ tin cậy OCR 0,30" in (again.explanation_vi or "")
    untouched = [f for f in findings if f.location.row_id != row_id and f.rule == "percent.table"]
    assert untouched and all(f.severity == "error" for f in untouched)


def test_a_confident_cell_keeps_the_error() -> None:
    document = extracted(SEED_001)
    error = next(f for f in document.findings if f.rule == "percent.table" and f.severity == "error")
    assert error.location.row_id is not None and error.location.column is not None
    sure = with_cell_confidence(document, error.location.row_id, error.location.column, 0.95)
    findings, _ = run_checks(sure)
    [again] = [f for f in findings if f.rule == error.rule and f.location == error.location]
    assert again.severity == "error" and again.explanation == error.explanation


def test_an_error_in_the_text_resting_on_a_doubtful_amount_becomes_a_warning_naming_it() -> None:
    """ "06 hộ × 50.000.000 đồng/hộ = 310.000.000 đồng" (the product is 300.000.000): with the total read
    from a scan below the threshold, the error is a warning that names the total as a possible misread."""
    document = extracted(CASES / "funding-sai-so-thanh-hoa.txt")
    error = next(f for f in document.findings if f.rule == "money.total" and f.severity == "error")
    span = error.location.span
    assert span is not None
    total = next(a for a in document.amounts if a.raw == "310.000.000 đồng")
    assert total.span.start < span.end and span.start < total.span.end
    amounts = [
        a.model_copy(update={"confidence": 0.31, "low_confidence": True}) if a is total else a
        for a in document.amounts
    ]
    findings, _ = run_checks(document.model_copy(update={"amounts": amounts}))
    [again] = [f for f in findings if f.rule == error.rule and f.location == error.location]
    assert again.severity == "warning"
    assert "310.000.000 đồng was read from a scan and may be a misread" in (again.explanation or "")


def test_a_confident_amount_keeps_the_error_in_the_text() -> None:
    document = extracted(CASES / "funding-sai-so-thanh-hoa.txt")
    amounts = [a.model_copy(update={"confidence": 0.93}) for a in document.amounts]
    findings, _ = run_checks(document.model_copy(update={"amounts": amounts}))
    assert any(f.rule == "money.total" and f.severity == "error" for f in findings)
