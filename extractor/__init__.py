"""khplan: structured extraction from Vietnamese local-government plans (Kế hoạch …/KH-UBND).

``extract_document(path)`` is the one public entry point; the CLI, the batch runner and the tests call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from models import ExtractedDocument


def extract_document(path: str | Path) -> ExtractedDocument:
    """Read one plan (TXT, MD, DOCX, PDF, DOC/RTF/ODT) and return everything extracted from it.

    Raises ``extractor.errors.InputError`` with a one-line reason when the file cannot be read.
    """
    from extractor.pipeline import run_pipeline

    return run_pipeline(Path(path))


__all__ = ["__version__", "extract_document"]
