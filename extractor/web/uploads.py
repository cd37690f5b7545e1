"""Files sent to ``/upload``, checked before anything reads them and saved under names the server makes.

A file is refused when its name's suffix is not one ``khplan batch`` reads, when it is empty or larger than
the limit, or when its bytes are not what a plan is (``extractor.ingest.detect``: a GIF named ``.pdf``, a
spreadsheet named ``.doc``, a program named ``.txt``). An accepted file is written to the job's private
folder as ``003.pdf``: its number in the upload and the suffix of the format its bytes hold. The name sent
by the browser is kept only to be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from extractor.batch import SUPPORTED_SUFFIXES
from extractor.ingest.detect import PDF_HEADER_WINDOW, ZIP_MAGIC, FormatError, detect_format

# The suffix an accepted file is saved under, by the format its bytes hold (images by their signature).
SUFFIX_BY_FORMAT = {
    "pdf": ".pdf",
    "docx": ".docx",
    "doc": ".doc",
    "rtf": ".rtf",
    "odt": ".odt",
    "txt": ".txt",
    "md": ".md",
}
IMAGE_SUFFIXES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
)
HEAD_BYTES = max(PDF_HEADER_WINDOW, 64 * 1024)  # what detection reads of any file but a zip package
CHUNK = 1 << 20
MAX_SHOWN_NAME = 200


@dataclass(frozen=True)
class Rejected:
    name: str
    reason: str


@dataclass(frozen=True)
class Accepted:
    name: str
    path: Path
    size: int


def shown_name(sent: str | None) -> str:
    """The last part of the name a browser sent, for display only: "..\\..\\etc/passwd" -> "passwd"."""
    name = PureWindowsPath(PurePosixPath(sent or "").name).name.strip()
    name = "".join(c if c.isprintable() else "?" for c in name)
    return (name[:MAX_SHOWN_NAME] + "…" if len(name) > MAX_SHOWN_NAME else name) or "(không tên)"


def save_upload(
    stream: BinaryIO, sent_name: str | None, folder: Path, number: int, max_bytes: int
) -> Accepted | Rejected:
    """Check one uploaded file and save it as ``folder/NNN.suffix``; the reason when it is refused."""
    name = shown_name(sent_name)
    claimed = PurePosixPath(name).suffix.lower()
    if claimed not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return Rejected(name, f"loại tệp không được hỗ trợ ({claimed or 'không có đuôi'}); nhận: {kinds}")
    part = folder / f"{number:03d}.part"
    size = 0
    with part.open("xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                break
            out.write(chunk)
    if size > max_bytes or size == 0:
        part.unlink()
        return Rejected(name, f"tệp lớn hơn giới hạn {max_bytes // 1024**2} MB" if size else "tệp rỗng")
    # A Word or OpenDocument package is told by its zip directory, at the end of the file: read it whole.
    with part.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        data = head + handle.read() if head.startswith(ZIP_MAGIC) else head
    suffix = content_problem(data, claimed)
    if isinstance(suffix, Rejected):
        part.unlink()
        return Rejected(name, suffix.reason)
    target = folder / f"{number:03d}{suffix}"
    part.rename(target)
    return Accepted(name, target, size)


def content_problem(head: bytes, claimed_suffix: str) -> str | Rejected:
    """The suffix to save the file under, from what its first bytes hold, or why it is refused:
    (b"%PDF-1.7…", ".pdf") -> ".pdf"; (b"GIF89a…", ".pdf") -> Rejected("unsupported format: a GIF image")."""
    try:
        found = detect_format(head, claimed_suffix)
    except FormatError as error:
        return Rejected("", error.reason)
    if found == "image":
        return next(suffix for magic, suffix in IMAGE_SUFFIXES if head.startswith(magic))
    if found in ("txt", "md") and b"\0" in head:
        return Rejected("", "nội dung nhị phân, không phải văn bản")
    return SUFFIX_BY_FORMAT[found]
