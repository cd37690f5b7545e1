"""Ingest: turn any supported file into a ``RawDocument`` (blocks in reading order, with provenance).

``read_document(path, options)`` is the stage's one entry point. It reads the bytes once, within the input
limits of ``options`` (``limits.py``: only a regular file, only so many bytes), sniffs the format from them
(``detect.py``) and hands them to the reader for that format: ``txt.py`` (``.txt``, ``.md``), ``docx.py``,
``pdf.py``, and ``office.py`` for ``.doc``/``.rtf``/``.odt`` through LibreOffice. Readers are imported only
when needed, so reading a text file never loads pdfplumber or python-docx.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import InputError
from extractor.ingest.detect import FormatError, detect_format
from extractor.ingest.limits import check_characters, read_input_bytes
from extractor.options import ExtractOptions
from models.document import RawBlock, RawDocument, SourceFormat


def read_document(path: Path, options: ExtractOptions | None = None) -> RawDocument:
    """Read one input file, whatever its format, into a ``RawDocument``.

    ``options`` gives the input limits (``ExtractOptions()``, with the environment's ``KHPLAN_MAX_…``, when
    None). Raises ``InputError`` (one line: "plans/kh-267.docx: the file is empty") for a missing, empty,
    unsupported, corrupt, encrypted or undecodable file, and for one past a limit.
    """
    path = Path(path)
    options = options if options is not None else ExtractOptions()
    data = read_input_bytes(path, options.max_file_size)
    if not data:
        raise InputError(path, "the file is empty")
    try:
        source_format = detect_format(data, path.suffix)
    except FormatError as error:
        raise InputError(path, error.reason) from None
    document = _read_as(path, data, source_format, options)
    check_characters(path, sum(len(block.text) for block in document.blocks), options.max_characters)
    digest = hashlib.sha256(data).hexdigest()
    if document.source.sha256 != digest:
        document = document.model_copy(
            update={"source": document.source.model_copy(update={"sha256": digest})}
        )
    return document


def _read_as(path: Path, data: bytes, source_format: SourceFormat, options: ExtractOptions) -> RawDocument:
    if source_format in ("txt", "md"):
        from extractor.ingest.txt import read_text

        return read_text(path, data, source_format, options)
    if source_format == "docx":
        from extractor.ingest.docx import read_docx

        return read_docx(path, data, options)
    if source_format == "pdf":
        from extractor.ingest.pdf import read_pdf

        return read_pdf(path, data, options)
    if source_format == "image":
        from extractor.ingest.image import read_image

        return read_image(path, data, options)
    if source_format in ("doc", "rtf", "odt"):
        from extractor.ingest.office import read_office

        return read_office(path, data, source_format, options)
    raise InputError(path, f"unsupported format: {source_format}")


__all__ = ["RawBlock", "RawDocument", "detect_format", "read_document"]
