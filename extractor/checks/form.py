"""Rule family "form" (Nghị định 30/2020/NĐ-CP): the parts every administrative document must carry."""

from extractor.checks.drafts import Draft, Tally, make_draft
from models.extracted import ExtractedDocument
from models.findings import Location


def check_form(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    metadata = document.metadata
    drafts = []
    tally.verified += 5
    if metadata.number is None:
        symbol = metadata.symbol.value if metadata.symbol else None
        drafts.append(
            make_draft(
                "form.number",
                {"symbol": symbol},
                "blank" if symbol else "missing",
                location=Location(span=metadata.symbol.span if metadata.symbol else None),
            )
        )
    date = metadata.date
    if date is None or date.iso is None:
        drafts.append(
            make_draft(
                "form.date",
                {},
                "blank" if date else "missing",
                stated=date.raw if date else None,
                location=Location(span=date.span if date else None),
            )
        )
    if metadata.issuer is None or metadata.issuer.source != "header":
        issuer = metadata.issuer
        values = {"source": issuer.source, "issuer": issuer.value} if issuer else {}
        drafts.append(make_draft("form.issuer", values, "inferred" if issuer else "missing"))
    if metadata.signer.name is None:
        drafts.append(make_draft("form.signer", {}))
    if not metadata.recipients:
        drafts.append(make_draft("form.recipients", {}))
    return drafts
