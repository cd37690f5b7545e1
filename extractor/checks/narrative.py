"""Rule "narrative.table": what the text states for the whole unit agrees with the per-unit table's total row.

Two kinds of statement are compared, both read by earlier stages:
- the situation at the start ("51 hộ nghèo … chiếm tỷ lệ 2,06%", a proportion whose subject is the whole group
  of poor or near-poor households) against the total row's start columns;
- a whole-unit target rate ("giảm … còn 1,94%", "giảm tối thiểu 0,12%") against the total row's end or
  reduction percent. A plan may quote a higher level's target beside its own (seed 001 cites the district's
  2,06% and sets its own 1,94%): the table must agree with one of the targets of that indicator, not all.
"""

from extractor import data
from extractor.checks.drafts import Draft, Tally, cell_at, make_draft, numeric
from extractor.normalize.tolerance import Interval, as_decimal
from models.extracted import ExtractedDocument
from models.findings import Location
from models.metadata import REPORT_DOC_TYPE
from models.proportions import Proportion
from models.tables import Cell, Table

# The groups whose households per-unit tables count (column roles "poor_start", "near_poor_end" …).
TABLE_GROUPS = frozenset(
    population.key for population in data.populations().populations if population.household_table
)
# A target's direction and the stage of the total row's column it is stated for: "giảm … còn 1,94%" is the
# end-of-year rate, "giảm tối thiểu 0,12%" the reduction.
TARGET_STAGES = {"reduce_to": "end", "reduce_by": "reduction"}


def _per_unit_table(document: ExtractedDocument) -> Table | None:
    return next((table for table in document.tables if any(row.kind == "total" for row in table.rows)), None)


def _total_cells(table: Table, role: str) -> tuple[Cell | None, Cell | None]:
    """The total row's count cell of ``role`` and the percent cell linked to it."""
    total = next(row for row in table.rows if row.kind == "total")
    count_column = next((column.index for column in table.columns if column.role == role), None)
    if count_column is None:
        return None, None
    percent_column = next(
        (column.index for column in table.columns if column.count_column == count_column), None
    )
    count = cell_at(total, count_column)
    percent = cell_at(total, percent_column) if percent_column is not None else None
    return (count if numeric(count) else None), (percent if numeric(percent) else None)


def _same_rate(value: float | int, decimals: int, cell: Cell) -> bool:
    return Interval.stated(as_decimal(value), decimals).overlaps(
        Interval.stated(as_decimal(cell.value), cell.decimals)
    )


def check_narrative(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    table = _per_unit_table(document)
    if table is None:
        if document.proportions or document.targets:
            tally.skip("narrative.table", "no per-unit table with a total row")
        return []
    doc_type = document.metadata.doc_type.value if document.metadata.doc_type else None
    if (
        doc_type == REPORT_DOC_TYPE
    ):  # "kế hoạch giao 3,0%" beside a table of what was reached: no disagreement
        if document.targets:
            tally.skip("narrative.table", "a report: its targets are aims, its table outcomes")
        return _situation(document, table, tally)
    return _situation(document, table, tally) + _targets(document, table, tally)


def _situation(document: ExtractedDocument, table: Table, tally: Tally) -> list[Draft]:
    """A whole-group count stated with its rate ("51 hộ nghèo … chiếm 2,06%", "cuối năm còn 39 hộ nghèo,
    chiếm 1,57%") against the total row's start or end: it must agree with one of them. The text may state
    the group at another time than the table's columns, so a disagreement is a warning."""
    drafts = []
    for proportion in document.proportions:
        group = proportion.population
        if group not in TABLE_GROUPS or proportion.base is not None:
            continue
        stages = [
            cells for stage in ("start", "end") if (cells := _total_cells(table, f"{group}_{stage}"))[0]
        ]
        if not stages:
            tally.skip("narrative.table", "no start or end column for the group", span=proportion.span)
            continue
        tally.verified += 1
        if any(_agrees(proportion, count, percent) for count, percent in stages):
            continue
        count, percent = stages[0]
        assert count is not None
        table_says = f"{count.raw} hộ, {percent.raw}%" if percent is not None else f"{count.raw} hộ"
        values = {
            "count": proportion.count.raw,
            "percent": proportion.percent.raw,
            "table": table.id,
            "table_says": table_says,
        }
        drafts.append(
            make_draft(
                "narrative.table",
                values,
                "situation",
                stated=f"{proportion.count.raw}, {proportion.percent.raw}",
                expected=table_says,
                location=Location(span=proportion.span, page=proportion.page),
                severity="warning",
            )
        )
    return drafts


def _agrees(proportion: Proportion, count: Cell | None, percent: Cell | None) -> bool:
    if count is None or as_decimal(count.value) != as_decimal(proportion.count.value):
        return False
    return percent is None or _same_rate(proportion.percent.value, proportion.percent.decimals, percent)


def _targets(document: ExtractedDocument, table: Table, tally: Tally) -> list[Draft]:
    drafts = []
    by_column: dict[tuple[str, str], list] = {}
    for target in document.targets:
        stage = TARGET_STAGES.get(target.direction or "")
        if (
            stage is not None
            and target.population in TABLE_GROUPS
            and target.unit == "%"
            and target.value is not None
            and not target.per_year
        ):
            by_column.setdefault((target.indicator.key, f"{target.population}_{stage}"), []).append(target)
    for (_, role), stated in by_column.items():
        _, percent = _total_cells(table, role)
        if percent is None:
            tally.skip("narrative.table", "no percent column for the target")
            continue
        tally.verified += 1
        if any(_same_rate(target.value, target.decimals or 0, percent) for target in stated):
            continue
        first = stated[0]
        written = ", ".join(target.raw or str(target.value) for target in stated)
        values = {
            "indicator": first.indicator.text,
            "stated": written,
            "table": table.id,
            "table_says": percent.raw,
        }
        drafts.append(
            make_draft(
                "narrative.table",
                values,
                "target",
                stated=written,
                expected=percent.raw,
                location=Location(span=first.span, page=first.page),
            )
        )
    return drafts
