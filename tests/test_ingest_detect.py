"""Format detection from bytes: the suffix only breaks ties and names what the sender meant."""

import io
import zipfile

import pytest

from extractor.ingest.detect import FormatError, detect_format


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

DETECTED = [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ".pdf", "pdf"),
    (b"%PDF-1.4 renamed", ".txt", "pdf"),
    (zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), ".docx", "docx"),
    (zip_bytes({"word/document.xml": b"<w/>"}), ".doc", "docx"),
    (
        zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        ".odt",
        "odt",
    ),
    (OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), ".doc", "doc"),
    (b"{\\rtf1\\ansi Ke hoach}", ".rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ".pdf", "image"),  # a scan, whatever its name
    (b"\xff\xd8\xff\xe0", ".jpg", "image"),
    (b"II*\x00\x08\x00", ".tif", "image"),
    (b"MM\x00*\x00\x00", ".tiff", "image"),
    (b"{\\rtf1\\ansi Ke hoach}", ".doc", "rtf"),
    ("KẾ HOẠCH".encode(), ".txt", "txt"),
    ("# KẾ HOẠCH".encode(), ".md", "md"),
    ("# KẾ HOẠCH".encode(), ".MD", "md"),
    ("KẾ HOẠCH".encode(), "", "txt"),
]


@pytest.mark.parametrize(("data", "suffix", "expected"), DETECTED)
def test_detect_format(data: bytes, suffix: str, expected: str) -> None:
    assert detect_format(data, suffix) == expected


REFUSED = [
    (zip_bytes({"notes.txt": b"hello"}), ".docx", "not a Word document (a zip without word/document.xml)"),
    (zip_bytes({"notes.txt": b"hello"}), ".zip", "unsupported format: a zip archive"),
    (zip_bytes({"xl/workbook.xml": b"<x/>"}), ".xlsx", "unsupported format: an Excel workbook"),
    (b"PK\x03\x04 truncated", ".docx", "corrupt file (a damaged zip archive"),
    (OLE2 + "EncryptedPackage".encode("utf-16-le"), ".docx", "the Word document is password-protected"),
    (OLE2 + "Workbook".encode("utf-16-le"), ".xls", "unsupported format: an old Excel workbook"),
    (b"GIF89a\x01\x00", ".png", "unsupported format: a GIF image"),
    (b"\x00\x00\x00", ".png", "corrupt image (no PNG signature)"),
]


@pytest.mark.parametrize(("data", "suffix", "reason"), REFUSED)
def test_refused_formats_name_the_reason(data: bytes, suffix: str, reason: str) -> None:
    with pytest.raises(FormatError) as raised:
        detect_format(data, suffix)
    assert raised.value.reason.startswith(reason)
