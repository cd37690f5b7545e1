"""Rule families "percent", "sum", "flow", "formula" within table rows: every row against the identities the
tables stage read (``Table.formulas``).

A percent column is its count over its base × 100 ("percent.table"), a total column the sum of its columns
("sum.row"), an end-of-year count the start − reduction + new ("flow.count"), and any other formula the index
row writes ("formula.index": "(5)=(3)-(4)"). An identity the tables stage is not sure of (found in the numbers
and not confirmed, or declared and contradicted by almost every row) only makes warnings.
"""

from collections.abc import Sequence

from extractor.checks.drafts import Draft, Tally, describe_cell, explain, make_draft, reading
from extractor.checks.grim import counts_that_fit
from extractor.normalize.identities import Evaluation, Reading, evaluate_formula, read_row
from extractor.normalize.tolerance import format_vi
from models.findings import Location
from models.tables import Formula, Row, Table

RULES = {"percent": "percent.table", "sum": "sum.row", "flow": "flow.count", "formula": "formula.index"}


def check_table_formulas(table: Table, tally: Tally) -> list[Draft]:
    """Findings for every row that breaks one of its table's formulas."""
    drafts = []
    for formula in table.formulas:
        rule = RULES[formula.kind]
        for row in table.rows:
            if row.kind == "note":
                continue
            cells = read_row(row)
            evaluation = evaluate_formula(formula, cells)
            if evaluation is None:
                if formula.column in cells and not cells[formula.column].empty:
                    tally.skip(
                        rule,
                        "unreadable or empty cell",
                        table_id=table.id,
                        row_id=row.id,
                        column=formula.column,
                    )
                continue
            tally.verified += 1
            if not evaluation.holds:
                drafts.append(_draft(table, row, formula, cells, evaluation))
    return drafts


def note_unchecked(table: Table, tally: Tally) -> None:
    """Name in the coverage what a table leaves unchecked: the whole table when it declares no identity at
    all (no formula, no row sum), and each percent column no count and base explain."""
    if not table.formulas and not table.sums:
        tally.skip("table", "no identity read (no total row, formula or linked percent)", table_id=table.id)
    stated = {formula.column for formula in table.formulas}
    for column in table.columns:
        if column.role == "percent" and column.index not in stated:
            tally.skip(
                "percent.table",
                "no count and base found for the column",
                table_id=table.id,
                column=column.index,
            )


def _terms(cells: dict[int, Reading], plus: Sequence[int], minus: Sequence[int]) -> str:
    """ "4 − 0 + 1" from the cells as written, minus terms after the first plus term."""
    written = [cells[plus[0]].raw or "0"]
    written += [f"− {cells[index].raw or '0'}" for index in minus]
    written += [f"+ {cells[index].raw or '0'}" for index in plus[1:]]
    return " ".join(written)


def _sum_of(cells: dict[int, Reading], columns: Sequence[int]) -> str:
    return " + ".join(cells[index].raw or "0" for index in columns)


def _draft(
    table: Table, row: Row, formula: Formula, cells: dict[int, Reading], evaluation: Evaluation
) -> Draft:
    where = describe_cell(table, row, formula.column)
    stated = evaluation.stated
    expected = format_vi(evaluation.found, evaluation.decimals)
    operands = [*formula.plus, *formula.minus]
    location = Location(table_id=table.id, row_id=row.id, column=formula.column, page=table.page)
    common = {
        "stated": stated.raw,
        "expected": expected,
        "location": location,
        "severity": None if formula.certain and not evaluation.rounding else "warning",
        "cells": [(table.id, row.id, formula.column), *((table.id, row.id, index) for index in operands)],
        "context": [(table.id, row.id, index) for index in formula.over],
    }
    explanation = reading("rounding") if evaluation.rounding else _basis_explanation(formula)
    if formula.kind == "percent":
        count = _terms(cells, formula.plus, formula.minus)
        base = _sum_of(cells, formula.over)
        numerator = count if len(operands) == 1 else f"({count})"
        denominator = base if len(formula.over) == 1 else f"({base})"
        fits = counts_that_fit(stated.value, stated.decimals, sum(cells[i].value for i in formula.over))
        if fits and explanation is None:
            explanation = explain("percent.table", "fits_count", percent=stated.raw, fit=fits[0], base=base)
        return make_draft(
            "percent.table",
            {"where": where, "percent": stated.raw, "count": count, "base": base},
            evidence=f"{numerator} / {denominator} × 100 = {expected}",
            explanation=explanation[0] if explanation else None,
            explanation_vi=explanation[1] if explanation else None,
            **common,
        )
    formula_text = _terms(cells, formula.plus, formula.minus)
    values = {"where": where, "stated": stated.raw, "formula": formula_text, "expected": expected}
    if formula.kind == "formula":
        values["written"] = formula.written or ""
    return make_draft(
        RULES[formula.kind],
        values,
        evidence=f"{formula_text} = {expected} ≠ {stated.raw}",
        explanation=explanation[0] if explanation else None,
        explanation_vi=explanation[1] if explanation else None,
        **common,
    )


def _basis_explanation(formula: Formula) -> tuple[str, str] | None:
    """How the identity was read, when the numbers alone or a doubtful reading gave it."""
    counts = {"holding": formula.rows_holding, "checked": formula.rows_checked}
    if formula.basis == "numbers":
        return reading("found_in_numbers", **counts)
    if not formula.certain:
        return reading("doubtful", **counts)
    return None
