"""Rule family "flow": end = start − reduction + new, for rates with intervals (in tables and in the text).

The counts' flow is a row formula the tables stage read from the header (checked in ``formulas.py``); each
of its count columns may be linked to a rate column, and the rates must flow the same way. Rates are only
known to ± one unit of their last decimal, so Bồng Phài's 6,67 − 0,74 = 5,93 against a stated 5,92 agrees.
"""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, cell_at, describe_cell, make_draft, numeric
from extractor.normalize.tolerance import Interval, as_decimal, format_vi
from models.extracted import ExtractedDocument
from models.findings import Location
from models.tables import Formula, Row, Table


def _rate_column(table: Table, count_column: int) -> int | None:
    return next((column.index for column in table.columns if column.count_column == count_column), None)


def _stages(formula: Formula) -> dict[str, int] | None:
    """The count columns of a flow by stage: start and new are added, the reduction taken away."""
    if len(formula.minus) != 1 or not formula.plus:
        return None
    stages = {"start": formula.plus[0], "reduction": formula.minus[0], "end": formula.column}
    if len(formula.plus) == 2:
        stages["new"] = formula.plus[1]
    return stages if len(formula.plus) <= 2 else None


def check_table_flows(table: Table, tally: Tally) -> list[Draft]:
    """The rates of a flow the tables stage read from the header ("Hộ nghèo đầu năm / % − Thoát nghèo / % =
    Cuối năm / %"), each rate known to ± one unit of its last decimal. The counts' flow is a row formula
    (``formulas.py``)."""
    drafts = []
    for formula in table.formulas:
        stages = _stages(formula) if formula.kind == "flow" else None
        if stages is None:
            continue
        rates = {
            stage: rate for stage, index in stages.items() if (rate := _rate_column(table, index)) is not None
        }
        if not {"start", "reduction", "end"} <= set(rates):
            continue
        for row in table.rows:
            if row.kind != "note":
                drafts.extend(_rate_flow(table, row, rates, tally, formula.certain))
    return drafts


def _rate_flow(table: Table, row: Row, rates: dict[str, int], tally: Tally, certain: bool) -> list[Draft]:
    cells = {stage: cell_at(row, index) for stage, index in rates.items()}
    if not all(numeric(cells[stage]) for stage in ("start", "reduction", "end")):
        tally.skip("flow.rate", "unreadable cell")
        return []

    def interval(stage: str) -> Interval:
        cell = cells[stage]
        return Interval.stated(as_decimal(cell.value), cell.decimals)

    computed = interval("start") - interval("reduction")
    if numeric(cells.get("new")):
        computed = computed + interval("new")
    tally.verified += 1
    if computed.overlaps(interval("end")):
        return []
    decimals = max(cells[stage].decimals for stage in ("start", "reduction", "end"))
    value = as_decimal(cells["start"].value) - as_decimal(cells["reduction"].value)
    if numeric(cells.get("new")):
        value += as_decimal(cells["new"].value)
    where = describe_cell(table, row, rates["end"])
    values = {
        "where": where,
        "stated": cells["end"].raw,
        "start": cells["start"].raw,
        "reduction": cells["reduction"].raw,
        "expected": format_vi(value, decimals),
    }
    return [
        make_draft(
            "flow.rate",
            values,
            stated=cells["end"].raw,
            expected=format_vi(value, decimals),
            evidence=f"({format_vi(computed.low, decimals + 1)}; {format_vi(computed.high, decimals + 1)}) does not meet {cells['end'].raw} ± {format_vi(Decimal(1).scaleb(-cells['end'].decimals), cells['end'].decimals)}",
            location=Location(table_id=table.id, row_id=row.id, column=rates["end"], page=table.page),
            cells=[(table.id, row.id, index) for index in rates.values()],
            severity=None if certain else "warning",
        )
    ]


def check_text_flows(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    """ "2,06% … giảm tối thiểu 0,12% … còn 1,94%": start − reduction = end between rates stated in the text.

    The start is the target's own baseline ("từ 2,06% xuống còn …") or the whole group's situation stated in
    the text ("51 hộ nghèo … chiếm tỷ lệ 2,06%": a proportion of the indicator's population with no base); each
    rate is known to ± one unit of its last decimal.
    """
    drafts = []
    for indicator, group in _rate_indicators(document):
        by = [t for t in document.targets if t.indicator.key == indicator and t.direction == "reduce_by"]
        to = [t for t in document.targets if t.indicator.key == indicator and t.direction == "reduce_to"]
        by = [t for t in by if t.unit == "%" and t.value is not None and not t.per_year]
        to = [t for t in to if t.unit == "%" and t.value is not None and not t.per_year]
        if len(by) != 1 or not to:
            continue
        starts = [
            (t.baseline.value, t.baseline.decimals, t.baseline.raw) for t in to if t.baseline is not None
        ]
        starts += [
            (p.percent.value, p.percent.decimals, p.percent.raw)
            for p in document.proportions
            if p.population == group and p.base is None
        ]
        if not starts:
            tally.skip("flow.rate", "no starting rate in the text")
            continue
        start_value, start_decimals, start_raw = starts[0]
        reduction = by[0]
        computed = Interval.stated(as_decimal(start_value), start_decimals) - Interval.stated(
            as_decimal(reduction.value), reduction.decimals or 0
        )
        tally.verified += 1
        if any(computed.overlaps(Interval.stated(as_decimal(t.value), t.decimals or 0)) for t in to):
            continue
        decimals = max(start_decimals, reduction.decimals or 0)
        value = as_decimal(start_value) - as_decimal(reduction.value)
        written = ", ".join(t.raw or str(t.value) for t in to)
        values = {
            "indicator": reduction.indicator.text,
            "start": start_raw,
            "reduction": reduction.raw,
            "expected": format_vi(value, decimals),
            "stated": written,
        }
        drafts.append(
            make_draft(
                "flow.rate",
                values,
                "text",
                stated=written,
                expected=format_vi(value, decimals),
                evidence=f"{start_raw} − {reduction.raw} = {format_vi(value, decimals)}",
                location=Location(span=to[0].span, page=to[0].page),
            )
        )
    return drafts


def _rate_indicators(document: ExtractedDocument) -> list[tuple[str, str]]:
    """(indicator key, population) of the rate targets stated for a whole group ("poverty_rate", "poor"): the
    targets carry their indicator's population, so no check reads text."""
    seen: dict[str, str] = {}
    for target in document.targets:
        if target.population is not None and target.unit == "%":
            seen.setdefault(target.indicator.key, target.population)
    return list(seen.items())
