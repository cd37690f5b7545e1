"""Rule family "sum": unit rows add up to the total row; listed parts add up to the stated total."""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, cell_at, describe_cell, explain, make_draft, numeric
from extractor.checks.tolerance import as_decimal, format_vi
from models.extracted import ExtractedDocument
from models.findings import Location
from models.proportions import Breakdown
from models.tables import Row, Table

ADDITIVE_TYPES = ("count", "money")
# Amounts in đồng (data/money.yaml): a breakdown of money is "money.total".
CURRENCY = "đồng"


def _additive_columns(table: Table) -> list[int]:
    """Columns whose cells add up: counts and money, never percents or ordinals."""
    columns = []
    for column in table.columns:
        if column.role in ("ordinal", "label", "percent") or column.count_column is not None:
            continue
        types = {cell.type for row in table.rows for cell in row.cells if cell.column == column.index}
        if types & set(ADDITIVE_TYPES) and not types & {"percent"}:
            columns.append(column.index)
    return columns


def _segments(table: Table) -> list[tuple[Row, list[Row]]]:
    """(total or subtotal row, the unit rows it should equal the sum of)."""
    segments: list[tuple[Row, list[Row]]] = []
    units: list[Row] = []
    subtotals: list[Row] = []
    for row in table.rows:
        if row.kind == "unit":
            units.append(row)
        elif row.kind == "subtotal":
            segments.append((row, units))
            subtotals.append(row)
            units = []
        elif row.kind == "total":
            segments.append((row, subtotals + units if subtotals else units))
            units, subtotals = [], []
    return [(total, rows) for total, rows in segments if rows]


def check_table_sums(table: Table, tally: Tally) -> list[Draft]:
    drafts = []
    for total_row, rows in _segments(table):
        for column in _additive_columns(table):
            total = cell_at(total_row, column)
            parts = [cell_at(row, column) for row in rows]
            if not numeric(total) or not all(
                cell is None or cell.type == "empty" or numeric(cell) for cell in parts
            ):
                tally.skip("sum.column", "unreadable total or part")
                continue
            found = sum((as_decimal(cell.value) for cell in parts if numeric(cell)), Decimal(0))
            stated = as_decimal(total.value)
            tally.verified += 1
            if found == stated:
                continue
            where = describe_cell(table, total_row, column)
            explanation, explanation_vi = explain(
                "sum.column", "difference", difference=format_vi(stated - found, 0)
            )
            drafts.append(
                make_draft(
                    "sum.column",
                    {"where": where, "found": format_vi(found, 0), "stated": total.raw},
                    stated=total.raw,
                    expected=format_vi(found, 0),
                    evidence=" + ".join(cell.raw for cell in parts if numeric(cell))
                    + f" = {format_vi(found, 0)}",
                    location=Location(table_id=table.id, row_id=total_row.id, column=column, page=table.page),
                    explanation=explanation,
                    explanation_vi=explanation_vi,
                    cells=[(table.id, total_row.id, column), *((table.id, row.id, column) for row in rows)],
                    column=(table.id, column),
                )
            )
    return drafts


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
            if found != stated:
                labels = " + ".join(item.label for item in breakdown.items)
                drafts.append(
                    make_draft(
                        _breakdown_rule(breakdown),
                        {"labels": labels, "found": format_vi(found, 0), "stated": breakdown.total.raw},
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
