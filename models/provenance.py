"""Where a value was read: character span in the normalized text, page, bounding box."""

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

# One set of field names per distinct set, shared by every model instance that was given those fields.
_SHARED_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Frozen(BaseModel):
    """Base for every model: immutable once built, unknown fields rejected.

    Pydantic keeps on each instance the set of field names it was given (``model_fields_set``): 200 to 700
    bytes, more than the values of a table cell. Frozen instances never change that set, so instances given
    the same fields share one (a 100,000-row table holds a million models: this halves its memory).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        _share_field_set(self)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        copied = super().model_copy(update=update, deep=deep)
        _share_field_set(copied)
        return copied


def _share_field_set(model: BaseModel) -> None:
    """Point ``model`` at the shared set equal to its own set of given fields (pydantic copies, then may
    update, a copy's set; it never changes the set of a frozen instance in place)."""
    given = model.__pydantic_fields_set__
    shared = _SHARED_FIELD_SETS.setdefault(frozenset(given), given)
    object.__setattr__(model, "__pydantic_fields_set__", shared)


class Span(Frozen):
    """Half-open character range ``[start, end)`` into ``ExtractedDocument.text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


# An OCR'd word, value or page whose confidence (Tesseract's, 0 to 1) is below this is marked low_confidence:
# at 300 dpi a clean page's words average about 0.9, a misread digit or diacritic typically scores below 0.6.
LOW_CONFIDENCE = 0.6


def is_low_confidence(confidence: float | None) -> bool:
    """Whether an OCR confidence is below ``LOW_CONFIDENCE``: 0.41 is, 0.93 is not, None (not OCR'd) is not."""
    return confidence is not None and confidence < LOW_CONFIDENCE


def _is_none(value: object) -> bool:
    return value is None


def _is_false(value: object) -> bool:
    return value is False


class OcrConfidence(Frozen):
    """The OCR confidence of a value read from a scan: the lowest of the words it was read from.

    Both fields are left out of the JSON for a value read from the file's own text (most values of most
    plans), so a typed plan's output does not carry a null and a false on every value and cell.
    """

    confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        exclude_if=_is_none,
        description="For a value read by OCR, the lowest confidence (0 to 1) of the words it was read from; "
        "absent when the file's own text was read.",
    )
    low_confidence: bool = Field(
        default=False,
        exclude_if=_is_false,
        description="True when confidence is below 0.6 (LOW_CONFIDENCE): the value may be a misread; a "
        "finding resting on it is a warning, never an error.",
    )


class BBox(Frozen):
    """A box on a PDF page in points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float
