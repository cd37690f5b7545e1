"""Rule family "target": a reduction target that is not a reduction."""

from extractor.checks.drafts import Draft, Tally
from extractor.checks.tolerance import as_decimal
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
            Draft(
                rule="target.above_baseline",
                message_vi=f"{target.indicator.text}: giảm còn {target.raw} nhưng mức xuất phát là {target.baseline.raw}",
                message_en=f"{target.indicator.text}: reduce to {target.raw} from a baseline of {target.baseline.raw}",
                stated=target.raw,
                expected=f"<= {target.baseline.raw}",
                location=Location(span=target.span, page=target.page),
            )
        )
    return drafts
