"""Which plans cite a document: ``cite(conn, "07/2021/NĐ-CP")``, with the date each plan gives it.

A symbol is compared by its key: spaces gone, every dash a hyphen, folded ("Đ" -> "d", lower case), leading
zeros of its number dropped. "07/2021/NĐ-CP", "07/2021/NĐ - CP", "07/2021/ND-CP" and "7/2021/NĐ–CP" are one
document. Plans that give one document different dates (19/12/2019 and 09/12/2019) are flagged: one of them
misquotes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex
from sqlalchemy import Connection, select

from extractor.archive.schema import citation_mentions, citations, documents
from extractor.archive.search import NO_FILTERS, DocumentRef, document_conditions, document_refs
from extractor.normalize.text import fold, normalize_text

_LEADING_ZEROS = regex.compile(r"(?<![\p{L}\p{N}])0+(?=\p{N})")
_SPACES = regex.compile(r"\s+")


def symbol_key(symbol: str) -> str:
    """The comparison key of a document symbol: "07/2021/NĐ - CP" -> "7/2021/nd-cp"."""
    key = _SPACES.sub("", fold(normalize_text(symbol)))
    return _LEADING_ZEROS.sub("", key)


@dataclass(frozen=True)
class CitingPlan:
    """One plan citing the document: how it writes the symbol, the dates its mentions give (ISO when the
    whole date is written, else as written), and how often it cites it."""

    document: DocumentRef
    symbol: str
    dates: tuple[str, ...]
    mentions: int
    role: str | None
    type: str | None
    subject: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "symbol": self.symbol,
            "dates": list(self.dates),
            "mentions": self.mentions,
            "role": self.role,
            "type": self.type,
            "subject": self.subject,
        }


@dataclass(frozen=True)
class CiteResult:
    """Every current plan citing ``symbol``; ``dates_disagree`` when they (or one plan's mentions) give
    more than one date for it."""

    symbol: str
    key: str
    plans: tuple[CitingPlan, ...]
    dates: tuple[str, ...]
    dates_disagree: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "key": self.key,
            "plans": [plan.to_json() for plan in self.plans],
            "dates": list(self.dates),
            "dates_disagree": self.dates_disagree,
        }


def cite(conn: Connection, symbol: str) -> CiteResult:
    """The plans citing ``symbol``: cite(conn, "86/2015/NĐ-CP") lists the plan of xã Cao Nhân, which gives
    it the date 2015-10-02."""
    key = symbol_key(symbol)
    columns = [citations.c[name] for name in ("id", "document_id", "symbol", "date", "n_mentions", "role")]
    found = conn.execute(
        select(*columns, citations.c.type, citations.c.subject)
        .join(documents, documents.c.id == citations.c.document_id)
        .where(citations.c.symbol_key == key, *document_conditions(NO_FILTERS))
        .order_by(citations.c.document_id, citations.c.id)
    ).all()
    dates_of = _dates_of_symbol(conn, key)
    refs = document_refs(conn, {row.document_id for row in found})
    plans = tuple(
        CitingPlan(
            document=refs[row.document_id],
            symbol=row.symbol,
            dates=dates_of.get(row.id, ()) or ((row.date,) if row.date else ()),
            mentions=row.n_mentions,
            role=row.role,
            type=row.type,
            subject=row.subject,
        )
        for row in found
    )
    dates = tuple(sorted({date for plan in plans for date in plan.dates}))
    return CiteResult(symbol=symbol, key=key, plans=plans, dates=dates, dates_disagree=len(dates) > 1)


def mention_dates(conn: Connection, citation_rows: list[int]) -> dict[int, tuple[str, ...]]:
    """Citation row -> the distinct dates its mentions write, in the order first written."""
    return _dates(conn, citation_mentions.c.citation_row.in_(citation_rows))


def _dates_of_symbol(conn: Connection, key: str) -> dict[int, tuple[str, ...]]:
    """``mention_dates`` of every citation of the symbol ``key``, in one query joined on the key (a decree
    cited by a thousand plans is one lookup, not a list of a thousand ids)."""
    cited = select(citations.c.id).where(citations.c.symbol_key == key)
    return _dates(conn, citation_mentions.c.citation_row.in_(cited))


def _dates(conn: Connection, condition: Any) -> dict[int, tuple[str, ...]]:
    dates: dict[int, dict[str, None]] = {}
    statement = (
        select(citation_mentions.c.citation_row, citation_mentions.c.date, citation_mentions.c.date_raw)
        .where(condition)
        .order_by(citation_mentions.c.id)
    )
    for row_id, iso, raw in conn.execute(statement):
        written = iso or raw
        if written:
            dates.setdefault(row_id, {})[written] = None
    return {row_id: tuple(written) for row_id, written in dates.items()}
