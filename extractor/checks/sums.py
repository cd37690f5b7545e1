"""Rule family "sum": unit rows add up to the total row; listed parts add up to the stated total."""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, describe_cell, explain, make_draft, reading
from extractor.normalize.identities import Evaluation, Reading, evaluate_sum, read_row
from extractor.normalize.tolerance import as_decimal, format_vi
from models.extracted import ExtractedDocument
from models.findings import Location
from models.proportions import Breakdown
from models.tables import Row, RowSum, Table

# Amounts in đồng (data/money.yaml): a breakdown of money is "money.total".
CURRENCY = "đồng"
# Parts named with "trong đó" (of which) need not cover their total; when they cover this share of it or
# more and still miss it, the plan probably meant all of it ("950 triệu đồng, trong đó: 600 + 300"): a
# warning. Below it they are a few groups of the whole ("2.465 hộ, trong đó 70 hộ nghèo, 96 hộ cận nghèo").
MOST_OF_THE_TOTAL = Decimal("0.8")


def check_table_sums(table: Table, tally: Tally) -> list[Draft]:
    """Every row sum the tables stage read (``Table.sums``) in every additive column; a sum of a grouping
    the numbers did not confirm makes warnings only."""
    rows = {row.id: row for row in table.rows}
    readings = {row.id: read_row(row) for row in table.rows}
    additive = [column.index for column in table.columns if column.additive]
    drafts = []
    for row_sum in table.sums:
        total_row = rows[row_sum.row_id]
        parts = [readings[part] for part in row_sum.parts]
        for column in additive:
            evaluation = evaluate_sum(readings[row_sum.row_id], parts, column)
            if evaluation is None:
                if column in readings[row_sum.row_id]:
                    tally.skip(
                        "sum.column",
                        "unreadable total or part",
                        table_id=table.id,
                        row_id=row_sum.row_id,
                        column=column,
                    )
                continue
            tally.verified += 1
            if not evaluation.holds:
                drafts.append(_sum_draft(table, total_row, row_sum, column, parts, evaluation))
    return drafts


def _sum_draft(
    table: Table,
    total_row: Row,
    row_sum: RowSum,
    column: int,
    parts: list[dict[int, Reading]],
    evaluation: Evaluation,
) -> Draft:
    stated, found = evaluation.stated, evaluation.found
    explanation, explanation_vi = explain(
        "sum.column", "difference", difference=format_vi(stated.value - found, evaluation.decimals)
    )
    for doubtful, name in ((evaluation.rounding, "rounding"), (not row_sum.certain, "grouping_doubtful")):
        if doubtful:
            doubt, doubt_vi = reading(name)
            explanation, explanation_vi = f"{explanation}; {doubt}", f"{explanation_vi}; {doubt_vi}"
    written = [part[column].raw or "0" for part in parts if column in part]
    return make_draft(
        "sum.column",
        {
            "where": describe_cell(table, total_row, column),
            "found": format_vi(found, evaluation.decimals),
            "stated": stated.raw,
        },
        stated=stated.raw,
        expected=format_vi(found, evaluation.decimals),
        evidence=" + ".join(written) + f" = {format_vi(found, evaluation.decimals)}",
        location=Location(table_id=table.id, row_id=total_row.id, column=column, page=table.page),
        explanation=explanation,
        explanation_vi=explanation_vi,
        severity=None if row_sum.certain and not evaluation.rounding else "warning",
        cells=[(table.id, total_row.id, column), *((table.id, part, column) for part in row_sum.parts)],
        column=(table.id, column),
    )


def _breakdown_rule(breakdown: Breakdown) -> str:
    """Money totals are "money.total"; groups split by a yes/no property in separate sentences are a warning
    ("sum.text_parts"): the plan may count a group elsewhere; other listed parts must add up ("sum.breakdown")."""
    if breakdown.total.unit == CURRENCY:
        return "money.total"
    return "sum.text_parts" if breakdown.complementary else "sum.breakdown"


def check_breakdowns(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    """ "84 hộ, thuộc 06 phường: Hà Cầu 02 hộ, …": the parts add up to 84 and there are 6 of them."""
    drafts = []
    for breakdown in document.breakdowns:
        location = Location(span=breakdown.span, page=breakdown.page)
        values = [item.quantity for item in breakdown.items if item.quantity is not None]
        if values and len(values) == len(breakdown.items):
            found = sum((as_decimal(quantity.value) for quantity in values), Decimal(0))
            stated = as_decimal(breakdown.total.value)
            tally.verified += 1
            if found < stated * MOST_OF_THE_TOTAL and not breakdown.exhaustive:
                continue  # "2.465 hộ, trong đó 70 hộ nghèo; 96 hộ cận nghèo": of which, not all of it
            if found != stated:
                labels = " + ".join(item.label for item in breakdown.items)
                drafts.append(
                    make_draft(
                        _breakdown_rule(breakdown),
                        {
                            "label": breakdown.label or breakdown.total.raw,
                            "labels": labels,
                            "found": format_vi(found, 0),
                            "stated": breakdown.total.raw,
                        },
                        severity=None
                        if breakdown.certain and (breakdown.exhaustive or found > stated)
                        else "warning",
                        stated=breakdown.total.raw,
                        expected=format_vi(found, 0),
                        evidence=" + ".join(quantity.raw for quantity in values)
                        + f" = {format_vi(found, 0)}",
                        location=location,
                    )
                )
        if breakdown.stated_count is not None:
            tally.verified += 1
            if int(as_decimal(breakdown.stated_count.value)) != len(breakdown.items):
                drafts.append(
                    make_draft(
                        "sum.breakdown_count",
                        {"stated": breakdown.stated_count.raw, "listed": len(breakdown.items)},
                        stated=breakdown.stated_count.raw,
                        expected=str(len(breakdown.items)),
                        location=location,
                    )
                )
    return drafts
