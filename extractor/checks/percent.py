"""Rule family "percent": a percent equals count / base × 100, in tables and in the text."""

from collections import defaultdict
from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, cell_at, explain, make_draft, numeric
from extractor.checks.grim import bases_that_fit, counts_that_fit, shared_base
from extractor.normalize.tolerance import agrees, as_decimal, format_vi, percent_of
from models.extracted import ExtractedDocument
from models.findings import Location
from models.proportions import Proportion

# The canonical unit of households (data/units.yaml): a count of them may take the table's total households.
HOUSEHOLDS = "hộ"


def evidence(count: Decimal, base: Decimal, decimals: int) -> str:
    """ "3 / 183 × 100 = 1,64"."""
    return (
        f"{format_vi(count, 0)} / {format_vi(base, 0)} × 100 = {format_vi(percent_of(count, base), decimals)}"
    )


# Bases the text states plainly: a disagreement with one of them is an error. A base from the sentence
# before or from a table is a reading of ours: a disagreement is a warning.
STATED_BASES = ("of_total", "sentence", "list_total")


def _proportion_base(proportion: Proportion, document: ExtractedDocument) -> tuple[Decimal, str] | None:
    """The stated base, or the per-unit table's total households for a count of households."""
    if proportion.base is not None:
        return as_decimal(proportion.base.value), proportion.base_source or "text"
    if proportion.count.unit != HOUSEHOLDS:
        return None
    for table in document.tables:
        total_column = next(
            (column.index for column in table.columns if column.role == "total_households"), None
        )
        total_row = next((row for row in table.rows if row.kind == "total"), None)
        if (
            total_column is not None
            and total_row is not None
            and numeric(cell := cell_at(total_row, total_column))
        ):
            return as_decimal(cell.value), f"table {table.id} total households"
    return None


def check_text_percents(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    """Proportions stated in the text; a list sharing one base gets one explanation for the whole list."""
    groups: dict[tuple[str, Decimal], list[tuple[Proportion, Decimal, Decimal]]] = defaultdict(list)
    for proportion in document.proportions:
        found = _proportion_base(proportion, document)
        if found is None:
            tally.skip("percent.text", "no stated base", span=proportion.span)
            continue
        base, source = found
        if base == 0:
            tally.skip("percent.text", "zero base", span=proportion.span)
            continue
        tally.verified += 1
        stated = as_decimal(proportion.percent.value)
        if not agrees(
            stated, proportion.percent.decimals, percent_of(as_decimal(proportion.count.value), base)
        ):
            key = (source, base) if proportion.base is not None else (proportion.id, base)
            groups[key].append((proportion, stated, base))
    drafts = []
    for wrong in groups.values():
        base = wrong[0][2]
        items = [(stated, p.percent.decimals, as_decimal(p.count.value)) for p, stated, _ in wrong]
        common = shared_base(items, base) if len(wrong) >= 2 else None
        for proportion, stated, _ in wrong:
            drafts.append(_text_draft(proportion, stated, base, common))
    return drafts


def _text_draft(proportion: Proportion, stated: Decimal, base: Decimal, common: int | None) -> Draft:
    count = as_decimal(proportion.count.value)
    decimals = proportion.percent.decimals
    explanation, explanation_vi = _explain(stated, decimals, count, base, common)
    values = {
        "subject": proportion.subject,
        "count": proportion.count.raw,
        "percent": proportion.percent.raw,
        "base": format_vi(base, 0),
    }
    return make_draft(
        "percent.text",
        values,
        severity=None if proportion.base_source in STATED_BASES else "warning",
        stated=proportion.percent.raw,
        expected=format_vi(percent_of(count, base), decimals),
        evidence=evidence(count, base, decimals),
        location=Location(span=proportion.span, page=proportion.page),
        explanation=explanation,
        explanation_vi=explanation_vi,
    )


def _explain(
    stated: Decimal, decimals: int, count: Decimal, base: Decimal, common: int | None
) -> tuple[str, str]:
    """The explanation in English and in Vietnamese: a list base, another base, another count, or none."""
    values = {
        "percent": format_vi(stated, decimals),
        "count": format_vi(count, 0),
        "base": format_vi(base, 0),
    }
    if common is not None:
        if agrees(stated, decimals, percent_of(count, Decimal(common))):
            return explain("percent.text", "list_base", common=common, **values)
        if fits := counts_that_fit(stated, decimals, Decimal(common)):
            return explain("percent.text", "list_count", common=common, fit=fits[0], **values)
    if fits := bases_that_fit(stated, decimals, count, base):
        return explain("percent.text", "other_base", fit=fits[0], **values)
    if fits := counts_that_fit(stated, decimals, base):
        return explain("percent.text", "other_count", fit=fits[0], **values)
    return explain("percent.text", "none", **values)
