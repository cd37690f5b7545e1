"""The settings of one extraction: one validated object, with documented defaults, that every entry point takes.

``extract_document(path, options)`` reads its settings here instead of growing keyword arguments; later
capabilities (limits, OCR, workers) add their fields to ``ExtractOptions``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ExtractOptions(BaseModel):
    """How to extract one document.

    ``checks``: run the checks stage (findings and coverage); off for a caller that only wants the data.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    checks: bool = True


DEFAULT_OPTIONS = ExtractOptions()
