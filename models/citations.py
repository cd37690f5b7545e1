"""References to other documents: "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ"."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, OcrConfidence, Span
from models.values import PartialDate

CitationRole = Literal["basis", "reference"]


class SymbolParts(Frozen):
    """A symbol taken apart: "86/2015/NĐ-CP" -> seq 86, year 2015, type_code NĐ, issuer_code CP;
    "12-NQ/ĐU" -> seq 12, type_code NQ, issuer_code ĐU; "1424/SLĐTBOXH" -> seq 1424, issuer_code SLĐTBOXH."""

    seq: str | None = None
    year: int | None = None
    type_code: str | None = None
    issuer_code: str | None = None


class CitationMention(Frozen):
    """One place where a document is cited, with the date written there (dates may differ between mentions)."""

    span: Span
    raw: str
    date: PartialDate | None = None
    page: int | None = None
    section_id: str | None = None


class Citation(OcrConfidence):
    """One distinct cited document. ``date`` is the date its mentions agree on, null when they disagree."""

    id: str
    type: str | None
    symbol: str | None
    parts: SymbolParts | None = None
    date: PartialDate | None = None
    issuer: str | None = None
    subject: str | None = None
    title: str | None = Field(default=None, description="The name of a law cited without a number.")
    role: CitationRole
    mentions: list[CitationMention]
