"""Tell a file's format from its first bytes, not from its name.

Offices rename files freely: a ``.doc`` that is really a ``.docx``, a ``.txt`` that is a PDF. The bytes
decide; the suffix only breaks ties (``.md`` versus ``.txt``) and names what the sender meant when the
bytes contradict it ("not a Word document" for a ``.docx`` that is some other zip).
"""

from __future__ import annotations

import io
import zipfile

from models.document import SourceFormat

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# How far into the file a PDF header may sit: some generators put a few bytes of junk before it.
PDF_HEADER_WINDOW = 1024

# Formats we recognise only to refuse them with a name a person understands.
KNOWN_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


class FormatError(ValueError):
    """The bytes are not a format khplan reads; ``reason`` is the short human reason for ``InputError``."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def detect_format(data: bytes, suffix: str) -> SourceFormat:
    """Return the format the bytes hold, e.g. ``"docx"`` for a zip holding ``word/document.xml``.

    ``suffix`` is the file name's extension with its dot (``".docx"``), in any case. Raises
    ``FormatError`` for bytes that are clearly another kind of file (an image, a spreadsheet, a zip
    that is not a Word document).
    """
    suffix = suffix.lower()
    if PDF_MAGIC in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data, suffix)
    if data.startswith(OLE2_MAGIC):
        return _ole2_format(data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(RTF_MAGIC):
        return "rtf"
    for magic, name in KNOWN_UNSUPPORTED:
        if data.startswith(magic):
            raise FormatError(f"unsupported format: {name}")
    return "md" if suffix in MARKDOWN_SUFFIXES else "txt"


def _zip_format(data: bytes, suffix: str) -> SourceFormat:
    """A zip is a Word document, an OpenDocument text, or something we refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FormatError(f"corrupt file (a damaged zip archive: {error})") from error
    if "word/document.xml" in names:
        return "docx"
    if mimetype == ODT_MIMETYPE:
        return "odt"
    if suffix == ".docx":
        raise FormatError("not a Word document (a zip without word/document.xml)")
    if suffix == ".odt":
        raise FormatError("not an OpenDocument text (a zip without its mimetype)")
    if "xl/workbook.xml" in names:
        raise FormatError("unsupported format: an Excel workbook")
    if "ppt/presentation.xml" in names:
        raise FormatError("unsupported format: a PowerPoint presentation")
    raise FormatError("unsupported format: a zip archive")


def _ole2_format(data: bytes) -> SourceFormat:
    """An OLE2 compound file is an old Word ``.doc``, or a password-protected ``.docx``, or other Office.

    Stream names are stored in UTF-16 inside the directory, so their bytes can be searched for.
    """
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise FormatError("the Word document is password-protected")
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data:
        raise FormatError("unsupported format: an old Excel workbook")
    raise FormatError("unsupported format: an Office file that is not a Word document")
