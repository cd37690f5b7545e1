"""Rule family "citation": one document cited with different dates; dates that cannot be right."""

from extractor.checks.drafts import Draft, Tally
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
                Draft(
                    rule="citation.dates",
                    message_vi=f"{_label(citation)} được trích với các ngày khác nhau: {written}",
                    message_en=f"{_label(citation)} is cited with different dates: {written}",
                    stated=written,
                    location=Location(span=second.span, page=second.page),
                )
            )
        for mention in dated:
            date = mention.date
            if plan is not None and plan.iso and date.iso:
                tally.verified += 1
                if date.iso > plan.iso:
                    drafts.append(
                        Draft(
                            rule="citation.future",
                            message_vi=f"{_label(citation)} ngày {_written(date)} sau ngày ban hành {_written(plan)}",
                            message_en=f"{_label(citation)} dated {_written(date)}, after the plan's own date {_written(plan)}",
                            stated=date.iso,
                            expected=f"<= {plan.iso}",
                            location=Location(span=mention.span, page=mention.page),
                        )
                    )
            if citation.parts is not None and citation.parts.year and date.year:
                tally.verified += 1
                if citation.parts.year != date.year:
                    drafts.append(
                        Draft(
                            rule="citation.symbol_year",
                            message_vi=f"{_label(citation)}: năm trong số hiệu {citation.parts.year} khác năm ban hành {date.year}",
                            message_en=f"{_label(citation)}: year {citation.parts.year} in the symbol, dated {date.year}",
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
        Draft(
            rule="citation.bounds_date",
            message_vi=f"Ngày ban hành chưa đầy đủ; văn bản được ban hành sau {latest} (văn bản trích dẫn mới nhất)",
            message_en=f"The plan's date is incomplete; it was issued on or after {latest}, its latest citation",
            expected=f">= {latest}",
            location=Location(span=mention.span, page=mention.page),
        )
    ]
