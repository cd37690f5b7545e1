"""Rule family "citation": one document cited with different dates; dates that cannot be right."""

from extractor.checks.drafts import Draft, Tally, make_draft
from models.citations import Citation
from models.extracted import ExtractedDocument
from models.findings import Location
from models.values import PartialDate


def _written(date: PartialDate) -> str:
    return (
        "/".join("…" if part is None else f"{part:02d}" for part in (date.day, date.month))
        + f"/{date.year or '…'}"
    )


def _key(date: PartialDate) -> tuple[int | None, int | None, int | None]:
    return (date.year, date.month, date.day)


def _label(citation: Citation) -> str:
    return " ".join(part for part in (citation.type, citation.symbol or citation.title) if part)


def check_citation_dates(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    drafts = []
    plan = document.metadata.date
    for citation in document.citations:
        dated = [mention for mention in citation.mentions if mention.date is not None and mention.date.year]
        distinct = {_key(mention.date): mention for mention in dated}
        if len(dated) >= 2:
            tally.verified += 1
        if len(distinct) >= 2:
            written = ", ".join(_written(mention.date) for mention in distinct.values())
            second = list(distinct.values())[1]
            drafts.append(
                make_draft(
                    "citation.dates",
                    {"citation": _label(citation), "dates": written},
                    stated=written,
                    location=Location(span=second.span, page=second.page),
                )
            )
        for mention in dated:
            date = mention.date
            if plan is not None and plan.iso and date.iso:
                tally.verified += 1
                if date.iso > plan.iso:
                    values = {
                        "citation": _label(citation),
                        "date": _written(date),
                        "plan_date": _written(plan),
                    }
                    drafts.append(
                        make_draft(
                            "citation.future",
                            values,
                            stated=date.iso,
                            expected=f"<= {plan.iso}",
                            location=Location(span=mention.span, page=mention.page),
                        )
                    )
            if citation.parts is not None and citation.parts.year and date.year:
                tally.verified += 1
                if citation.parts.year != date.year:
                    values = {
                        "citation": _label(citation),
                        "symbol_year": citation.parts.year,
                        "year": date.year,
                    }
                    drafts.append(
                        make_draft(
                            "citation.symbol_year",
                            values,
                            stated=str(date.year),
                            expected=str(citation.parts.year),
                            location=Location(span=mention.span, page=mention.page),
                        )
                    )
    drafts.extend(_date_bounded_by_citations(document))
    return drafts


def _date_bounded_by_citations(document: ExtractedDocument) -> list[Draft]:
    plan = document.metadata.date
    if plan is not None and plan.iso:
        return []
    dated = [
        (mention.date.iso, mention)
        for citation in document.citations
        for mention in citation.mentions
        if mention.date and mention.date.iso
    ]
    if not dated:
        return []
    latest, mention = max(dated, key=lambda item: item[0])
    return [
        make_draft(
            "citation.bounds_date",
            {"latest": latest},
            expected=f">= {latest}",
            location=Location(span=mention.span, page=mention.page),
        )
    ]
