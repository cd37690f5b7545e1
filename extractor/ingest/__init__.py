"""Ingest: turn any supported file into a ``RawDocument`` (blocks in reading order, with provenance).

``read_document(path)`` is the stage's one entry point. It reads the bytes once, sniffs the format from
them (``detect.py``) and hands them to the reader for that format: ``txt.py`` (``.txt``, ``.md``),
``docx.py``, ``pdf.py``, and ``office.py`` for ``.doc``/``.rtf``/``.odt`` through LibreOffice. Readers
are imported only when needed, so reading a text file never loads pdfplumber or python-docx.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import InputError
from extractor.ingest.detect import FormatError, detect_format
from models.document import RawBlock, RawDocument, SourceFormat


def read_document(path: Path) -> RawDocument:
    """Read one input file, whatever its format, into a ``RawDocument``.

    Raises ``InputError`` (one line: "plans/kh-267.docx: the file is empty") for a missing, empty,
    unsupported, corrupt, encrypted or undecodable file.
    """
    path = Path(path)
    data = _read_bytes(path)
    if not data:
        raise InputError(path, "the file is empty")
    try:
        source_format = detect_format(data, path.suffix)
    except FormatError as error:
        raise InputError(path, error.reason) from None
    document = _read_as(path, data, source_format)
    digest = hashlib.sha256(data).hexdigest()
    if document.source.sha256 != digest:
        document = document.model_copy(
            update={"source": document.source.model_copy(update={"sha256": digest})}
        )
    return document


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "a directory, not a file")
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot read the file (permission denied)") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror or error})") from None


def _read_as(path: Path, data: bytes, source_format: SourceFormat) -> RawDocument:
    if source_format in ("txt", "md"):
        from extractor.ingest.txt import read_text

        return read_text(path, data, source_format)
    if source_format == "docx":
        from extractor.ingest.docx import read_docx

        return read_docx(path, data)
    if source_format == "pdf":
        from extractor.ingest.pdf import read_pdf

        return read_pdf(path, data)
    if source_format in ("doc", "rtf", "odt"):
        from extractor.ingest.office import read_office

        return read_office(path, data, source_format)
    raise InputError(path, f"unsupported format: {source_format}")


__all__ = ["RawBlock", "RawDocument", "detect_format", "read_document"]
