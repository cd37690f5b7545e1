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


class BBox(Frozen):
    """A box on a PDF page in points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float
