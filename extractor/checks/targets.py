"""Rule family "target": a reduction target that is not a reduction."""

from extractor.checks.drafts import Draft, Tally, make_draft
from extractor.normalize.tolerance import as_decimal
from models.extracted import ExtractedDocument
from models.findings import Location


def check_targets(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    drafts = []
    for target in document.targets:
        if target.direction != "reduce_to" or target.baseline is None or target.value is None:
            continue
        tally.verified += 1
        if as_decimal(target.value) <= as_decimal(target.baseline.value):
            continue
        drafts.append(
            make_draft(
                "target.above_baseline",
                {"indicator": target.indicator.text, "stated": target.raw, "baseline": target.baseline.raw},
                stated=target.raw,
                expected=f"<= {target.baseline.raw}",
                location=Location(span=target.span, page=target.page),
            )
        )
    return drafts
