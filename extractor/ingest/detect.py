"""Tell a file's format from its first bytes, not from its name.

Offices rename files freely: a ``.doc`` that is really a ``.docx``, a ``.txt`` that is a PDF. The bytes
decide; the suffix only breaks ties (``.md`` versus ``.txt``) and names what the sender meant when the
bytes contradict it ("not a Word document" for a ``.docx`` that is some other zip).
"""

from __future__ import annotations

import io
import struct
import zipfile

from models.document import SourceFormat

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# How far into the file a PDF header may sit: some generators put a few bytes of junk before it.
PDF_HEADER_WINDOW = 1024

# Images of scanned pages, read by OCR.
IMAGE_MAGICS: tuple[bytes, ...] = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

# Formats we recognise only to refuse them with a name a person understands.
KNOWN_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

# Bytes that name a binary format but match none of the magic numbers above are that format damaged, not a
# text plan: a 1-byte ".pdf" is a broken download, whatever its byte says.
DAMAGED_BY_SUFFIX = {
    ".pdf": "the PDF is damaged or truncated (no PDF header)",
    ".docx": "corrupt Word document (not a zip archive)",
    ".odt": "corrupt OpenDocument text (not a zip archive)",
    ".png": "corrupt image (no PNG signature)",
    ".jpg": "corrupt image (no JPEG signature)",
    ".jpeg": "corrupt image (no JPEG signature)",
    ".tif": "corrupt image (no TIFF signature)",
    ".tiff": "corrupt image (no TIFF signature)",
}

# A zip's central directory is parsed whole before any member is read (one Python object per member): a
# package with more members, or a larger directory, than any document has is refused from its end record.
# Word packages hold tens of members, a plan with a thousand photographs a few thousand.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_DIRECTORY_BYTES = 4 * 1024 * 1024
# Bytes of the "mimetype" member read: the longest OpenDocument type is under a hundred.
MIMETYPE_READ_BYTES = 256
END_RECORD = struct.Struct("<4s4H2LH")
END_RECORD_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
ZIP64_END_RECORD_SIGNATURE = b"PK\x06\x06"


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
    if data.startswith(IMAGE_MAGICS):
        return "image"
    for magic, name in KNOWN_UNSUPPORTED:
        if data.startswith(magic):
            raise FormatError(f"unsupported format: {name}")
    if suffix in DAMAGED_BY_SUFFIX:
        raise FormatError(DAMAGED_BY_SUFFIX[suffix])
    return "md" if suffix in MARKDOWN_SUFFIXES else "txt"


def _zip_format(data: bytes, suffix: str) -> SourceFormat:
    """A zip is a Word document, an OpenDocument text, or something we refuse."""
    _check_zip_directory(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _read_mimetype(archive) if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
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


def _read_mimetype(archive: zipfile.ZipFile) -> bytes:
    """The ``mimetype`` member's first bytes, stripped: never inflate more of a member than a type name needs."""
    with archive.open("mimetype") as member:
        return member.read(MIMETYPE_READ_BYTES).strip()


def _check_zip_directory(data: bytes) -> None:
    """Refuse a zip whose end record announces more members, or a larger central directory, than a document
    has, before ``zipfile`` builds an object for each. A zip without a readable end record is left to
    ``zipfile``, which names the damage."""
    sizes = zip_directory_sizes(data)
    if sizes is None:
        return
    members, directory_bytes = sizes
    if members > MAX_ZIP_MEMBERS or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise FormatError(
            f"unsupported format: a zip of {members:,} members in a {directory_bytes:,}-byte directory, "
            f"more than any document holds (at most {MAX_ZIP_MEMBERS:,} members are read)"
        )


def zip_directory_sizes(data: bytes) -> tuple[int, int] | None:
    """(members, central directory bytes) as a zip's end record states them, ZIP64 included; None without one.

    The end record sits in the last 65,557 bytes (22 bytes and a comment of at most 65,535):
    ``zip_directory_sizes(docx_bytes)`` -> ``(12, 1034)`` for a small Word file.
    """
    position = data.rfind(END_RECORD_SIGNATURE, max(0, len(data) - END_RECORD.size - 0xFFFF))
    if position < 0 or position + END_RECORD.size > len(data):
        return None
    record = END_RECORD.unpack_from(data, position)
    members, directory_bytes = record[4], record[5]
    if members != 0xFFFF and directory_bytes != 0xFFFFFFFF:
        return members, directory_bytes
    locator_at = position - ZIP64_LOCATOR.size
    if locator_at < 0 or data[locator_at : locator_at + 4] != ZIP64_LOCATOR_SIGNATURE:
        return members, directory_bytes
    end64_at = ZIP64_LOCATOR.unpack_from(data, locator_at)[2]
    if (
        end64_at + ZIP64_END_RECORD.size > len(data)
        or data[end64_at : end64_at + 4] != ZIP64_END_RECORD_SIGNATURE
    ):
        return members, directory_bytes
    record64 = ZIP64_END_RECORD.unpack_from(data, end64_at)
    return record64[7], record64[8]


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
