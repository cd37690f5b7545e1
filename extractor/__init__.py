"""khplan: structured extraction from Vietnamese local-government plans (Kế hoạch …/KH-UBND).

``extract_document(path, options)`` is the one public entry point; the CLI, the batch runner and the tests call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from extractor.options import ExtractOptions
    from models import ExtractedDocument


def extract_document(path: str | Path, options: ExtractOptions | None = None) -> ExtractedDocument:
    """Read one plan (TXT, MD, DOCX, PDF, DOC/RTF/ODT) and return everything extracted from it.

    ``options`` (``extractor.options.ExtractOptions``) says how; the defaults run every stage. Raises
    ``extractor.errors.InputError`` with a one-line reason when the file cannot be read.
    """
    from extractor.options import DEFAULT_OPTIONS
    from extractor.pipeline import run_pipeline

    return run_pipeline(Path(path), options or DEFAULT_OPTIONS)


__all__ = ["__version__", "extract_document"]
