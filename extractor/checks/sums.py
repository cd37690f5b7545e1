"""Rule family "sum": unit rows add up to the total row; listed parts add up to the stated total."""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, cell_at, describe_cell, numeric
from extractor.checks.tolerance import as_decimal, format_vi
from models.extracted import ExtractedDocument
from models.findings import Location
from models.proportions import Breakdown
from models.tables import Row, Table

ADDITIVE_TYPES = ("count", "money")


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
            drafts.append(
                Draft(
                    rule="sum.column",
                    message_vi=f"{where}: các dòng cộng lại được {format_vi(found, 0)}, dòng tổng ghi {total.raw}",
                    message_en=f"{where}: the rows add up to {format_vi(found, 0)}, the total row says {total.raw}",
                    stated=total.raw,
                    expected=format_vi(found, 0),
                    evidence=" + ".join(cell.raw for cell in parts if numeric(cell))
                    + f" = {format_vi(found, 0)}",
                    location=Location(table_id=table.id, row_id=total_row.id, column=column, page=table.page),
                    explanation=f"difference {format_vi(stated - found, 0)}",
                    explanation_vi=f"chênh lệch {format_vi(stated - found, 0)}",
                    cells=[(table.id, total_row.id, column)],
                    column=(table.id, column),
                )
            )
    return drafts


def _breakdown_rule(breakdown: Breakdown) -> str:
    """Money totals are "money.total"; groups split by a yes/no property in separate sentences are a warning
    ("sum.text_parts"): the plan may count a group elsewhere; other listed parts must add up ("sum.breakdown")."""
    if breakdown.total.unit == "đồng":
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
                what_vi = f"Các nhóm ({labels})" if breakdown.complementary else "Các phần"
                what_en = f"The groups ({labels})" if breakdown.complementary else "The listed parts"
                drafts.append(
                    Draft(
                        rule=_breakdown_rule(breakdown),
                        message_vi=f"{what_vi} cộng lại được {format_vi(found, 0)}, văn bản nêu tổng {breakdown.total.raw}",
                        message_en=f"{what_en} add up to {format_vi(found, 0)}, the text states {breakdown.total.raw}",
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
                    Draft(
                        rule="sum.breakdown_count",
                        message_vi=f"Văn bản nêu {breakdown.stated_count.raw} mục nhưng liệt kê {len(breakdown.items)}",
                        message_en=f"The text announces {breakdown.stated_count.raw} items but lists {len(breakdown.items)}",
                        stated=breakdown.stated_count.raw,
                        expected=str(len(breakdown.items)),
                        location=location,
                    )
                )
    return drafts
