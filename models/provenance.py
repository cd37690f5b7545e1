"""Where a value was read: character span in the normalized text, page, bounding box."""

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for every model: immutable once built, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Frozen):
    """Half-open character range ``[start, end)`` into ``ExtractedDocument.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class BBox(Frozen):
    """A box on a PDF page in points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float
