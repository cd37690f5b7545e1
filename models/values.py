"""Values that keep what was written next to what it means."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, Span

DateSource = Literal["header", "appendix", "title", "body", "citation", "signature"]


class PartialDate(Frozen):
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
