"""Values that keep what was written next to what it means."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, OcrConfidence, Span

DateSource = Literal["header", "appendix", "title", "body", "citation", "signature"]


class PartialDate(OcrConfidence):
    """A date of which any of day, month or year may be blank.

    Drafts leave blanks to fill in by hand: "Cao Nhân, ngày   tháng 01 năm 2024" has month 1 and year 2024
    but no day, so ``iso`` is null. ``iso`` is set only when all three parts are known.
    """

    day: int | None = Field(default=None, ge=1, le=31)
    month: int | None = Field(default=None, ge=1, le=12)
    year: int | None = Field(default=None, ge=1900, le=2200)
    iso: str | None = None
    raw: str | None = None
    source: DateSource | None = None
    span: Span | None = None


class Quantity(Frozen):
    """A number as written and as read: "1,94%" -> value 1.94, decimals 2, unit "%".

    ``decimals`` is the number of decimals written ("2,60" has 2), which the checks need to know how
    precisely a value was stated. Money is read exactly: "2.405.000.000 đồng" -> 2405000000. Values are
    JSON numbers, and exact: no numeral of more than 15 significant digits (what a double holds) or 18 digits
    is read (it is kept in the text and listed in ``coverage.skipped``, rule "numbers"), so every value
    written here reads back as the decimal the plan wrote.
    """

    value: int | float
    raw: str
    decimals: int = Field(default=0, ge=0)
    unit: str | None = None
    span: Span | None = None
    page: int | None = None
