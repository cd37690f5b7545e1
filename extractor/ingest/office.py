"""Read old Word ``.doc``, ``.rtf`` and OpenDocument ``.odt`` by converting them to ``.docx`` with LibreOffice.

Offices still send plans in these formats. LibreOffice converts them faithfully (lists, tables, headers);
each conversion runs headless in a private temporary profile, so several can run at once and none
touches the user's own LibreOffice settings.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from extractor.errors import InputError
from models.document import RawDocument, SourceFormat

# Seconds one conversion may take; a large .doc converts in a few seconds, a hung one never ends.
CONVERSION_TIMEOUT_SECONDS = 120
LIBREOFFICE_COMMANDS = ("soffice", "libreoffice")


def read_office(path: Path, data: bytes, source_format: SourceFormat) -> RawDocument:
    """Convert a ``.doc``/``.rtf``/``.odt`` to ``.docx`` with LibreOffice and read that.

    The result keeps the original format and digest in ``source``. Raises ``InputError`` when
    LibreOffice is missing, fails or times out.
    """
    from extractor.ingest.docx import read_docx

    converted = convert_to_docx(path, data, source_format)
    document = read_docx(path, converted)
    source = document.source.model_copy(
        update={"format": source_format, "sha256": hashlib.sha256(data).hexdigest()}
    )
    return document.model_copy(update={"source": source})


def find_libreoffice() -> str | None:
    """The LibreOffice command on PATH ("soffice" or "libreoffice"), or None."""
    for command in LIBREOFFICE_COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    return None


def convert_to_docx(path: Path, data: bytes, source_format: SourceFormat) -> bytes:
    """The bytes of a ``.docx`` LibreOffice made from ``data`` (a ``.doc``, ``.rtf`` or ``.odt``)."""
    command = find_libreoffice()
    if command is None:
        raise InputError(
            path,
            f"LibreOffice is needed to read .{source_format} files (install libreoffice-writer); not found",
        )
    with tempfile.TemporaryDirectory(prefix="khplan-office-") as work:
        work_dir = Path(work)
        source = work_dir / f"input.{source_format}"
        source.write_bytes(data)
        output_dir = work_dir / "out"
        arguments = [
            command,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(output_dir),
            str(source),
        ]
        try:
            finished = subprocess.run(
                arguments, capture_output=True, timeout=CONVERSION_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise InputError(
                path, f"LibreOffice did not finish converting the file within {CONVERSION_TIMEOUT_SECONDS} s"
            ) from None
        converted = output_dir / "input.docx"
        if finished.returncode != 0 or not converted.is_file():
            detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1] if detail else f"exit code {finished.returncode}"
            raise InputError(path, f"LibreOffice could not convert the .{source_format} file ({reason})")
        return converted.read_bytes()
