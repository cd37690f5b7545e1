"""Input limits checked before their cost is paid: what is read, how much, and how much a package inflates to.

A file is read only when ``os.stat`` says it is a regular file no larger than ``--max-file-size`` (a symlink
named ``plan.txt`` to ``/dev/zero``, a FIFO, a socket are refused without being opened). A zip package (DOCX,
ODT) is inflated member by member in bounded chunks before any reader parses it, counting the bytes that
really come out, not the sizes its headers declare: a 3 MB DOCX whose ``document.xml`` inflates to 4 GB is
refused after 40 MB, having held one chunk at a time. Table cells and characters are counted as readers
produce them. Past a limit, one ``InputError`` line names the limit's flag (``ExtractOptions`` holds the values,
``extractor.options.LIMITS`` the flags).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from extractor.errors import InputError, one_line
from extractor.options import LIMIT_BY_FIELD

# Inflated bytes read at a time while a zip member is measured: one chunk is all that is ever held.
INFLATE_CHUNK_BYTES = 1024 * 1024
# A name from inside a file shown in a message is cut to this many characters.
MAX_SHOWN_NAME = 80

FILE_KINDS = (
    (stat.S_ISDIR, "a directory, not a file"),
    (stat.S_ISFIFO, "a named pipe (FIFO), not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
)


def format_size(size: int) -> str:
    """Bytes in the binary units the limits are written in: 209715200 -> "200 MB", 1610612736 -> "1.5 GB",
    900 -> "900 bytes"."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown} {unit}"


def format_sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """A size and the limit it passes, in binary units, or in bytes where the units would show them alike:
    (3221225472, 209715200) -> ("3 GB", "200 MB"); (1048577, 1048576) -> ("1,048,577 bytes", "1,048,576
    bytes"), never "1 MB, past 1 MB"."""
    shown, limit_shown = format_size(size), format_size(limit)
    if shown == limit_shown:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown, limit_shown


def format_count(count: int) -> str:
    """A count with thousands separators, as the messages print it: 2000000 -> "2,000,000"."""
    return f"{count:,}"


def limit_reason(what: str, field: str) -> str:
    """One line for a limit passed, naming its flag: ("word/document.xml inflates past 200 MB", "max_inflated")
    -> "word/document.xml inflates past 200 MB (limit --max-inflated)"."""
    return f"{what} (limit {LIMIT_BY_FIELD[field].flag})"


def shown_name(name: str) -> str:
    """A name read from inside a file, safe for one line of a terminal: control characters escaped, cut short.

    ``"word/doc\\x1b[31m.xml"`` -> ``"word/doc\\\\x1b[31m.xml"``.
    """
    escaped = one_line(name)
    return escaped if len(escaped) <= MAX_SHOWN_NAME else escaped[: MAX_SHOWN_NAME - 1] + "…"


# ---------------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------------


def read_input_bytes(path: Path, max_file_size: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``max_file_size`` bytes.

    Checked with ``os.stat`` before anything is opened, then again on the open descriptor (the name may have
    been swapped meanwhile), and the read itself stops one byte past the limit, so a file that grows, or a
    ``/proc`` file that says it is empty, cannot make it read more. Raises ``InputError``:
    ``plans/kh.txt: a character device, not a regular file``.
    """
    _check_file_status(path, _stat(path), max_file_size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise InputError(path, _os_error_reason(error)) from None
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        _check_file_status(path, os.fstat(descriptor), max_file_size)
        try:
            data = _read_at_most(handle, max_file_size + 1)
        except OSError as error:
            raise InputError(path, _os_error_reason(error)) from None
    if len(data) > max_file_size:
        raise InputError(path, _file_size_reason(len(data), max_file_size, exact=False))
    return data


def _stat(path: Path) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise InputError(path, "a broken symbolic link (its target does not exist)") from None
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, _os_error_reason(error)) from None


def _check_file_status(path: Path, status: os.stat_result, max_file_size: int) -> None:
    for is_kind, reason in FILE_KINDS:
        if is_kind(status.st_mode):
            raise InputError(path, reason)
    if not stat.S_ISREG(status.st_mode):
        raise InputError(path, "not a regular file")
    if status.st_size > max_file_size:
        raise InputError(path, _file_size_reason(status.st_size, max_file_size, exact=True))


def _file_size_reason(size: int, limit: int, exact: bool) -> str:
    if not exact:
        return limit_reason(f"the file holds more, past {format_size(limit)}", "max_file_size")
    shown, limit_shown = format_sizes_apart(size, limit)
    return limit_reason(f"the file is {shown}, past {limit_shown}", "max_file_size")


def _read_at_most(handle: io.RawIOBase, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = handle.read(min(left, 16 * INFLATE_CHUNK_BYTES))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _os_error_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "cannot read the file (permission denied)"
    if isinstance(error, IsADirectoryError):
        return "a directory, not a file"
    return f"cannot read the file ({error.strerror or error})"


# ---------------------------------------------------------------------------------------------------
# Zip packages
# ---------------------------------------------------------------------------------------------------


def check_zip_package(path: Path, data: bytes, max_inflated: int, max_inflated_total: int) -> bytes:
    """Refuse a zip package (DOCX, ODT) whose members inflate past the limits, before anything parses it;
    return the package rewritten with every member stored as it inflated.

    Declared sizes are checked first (free: a header that admits 4 GB is refused at once), then every member
    is inflated in chunks of ``INFLATE_CHUNK_BYTES`` and its real output counted. The rewritten package is
    what readers open: a header that lies (64 KB declared, 4 GB of deflated zeros behind it) stops
    ``zipfile`` at the declared size here, where python-docx's own ``zipfile.read`` would first inflate up to
    2 GB and only then cut. Raises ``InputError``: ``plan.docx: word/document.xml inflates past 40 MB (limit
    --max-inflated)``.
    """
    stored = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(stored, "w") as rewritten:
            members = [info for info in archive.infolist() if not info.is_dir()]
            _check_declared_sizes(path, members, max_inflated, max_inflated_total)
            inflated = 0
            for info in members:
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                with rewritten.open(copy, "w", force_zip64=True) as target:
                    inflated = _inflate_member(
                        path, archive, info, inflated, max_inflated, max_inflated_total, target.write
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise InputError(path, f"corrupt file (a damaged zip archive: {error})") from None
    except (NotImplementedError, RuntimeError) as error:
        raise InputError(path, f"corrupt file (a zip member cannot be read: {error})") from None
    return stored.getvalue()


def _check_declared_sizes(
    path: Path, members: list[zipfile.ZipInfo], max_inflated: int, max_inflated_total: int
) -> None:
    for info in members:
        if info.file_size > max_inflated:
            shown, limit_shown = format_sizes_apart(info.file_size, max_inflated)
            what = f"{shown_name(info.filename)} declares {shown} inflated, past {limit_shown}"
            raise InputError(path, limit_reason(what, "max_inflated"))
    declared = sum(info.file_size for info in members)
    if declared > max_inflated_total:
        shown, limit_shown = format_sizes_apart(declared, max_inflated_total)
        what = f"the package declares {shown} inflated, past {limit_shown}"
        raise InputError(path, limit_reason(what, "max_inflated_total"))


def _inflate_member(
    path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    inflated_before: int,
    max_inflated: int,
    max_inflated_total: int,
    keep: Callable[[bytes], object] | None = None,
) -> int:
    """Inflate one member a chunk at a time, stopping past either limit, each chunk handed to ``keep``; the
    package's bytes so far after it."""
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(INFLATE_CHUNK_BYTES):
            size += len(chunk)
            if size > max_inflated:
                what = f"{shown_name(info.filename)} inflates past {format_size(max_inflated)}"
                raise InputError(path, limit_reason(what, "max_inflated"))
            if inflated_before + size > max_inflated_total:
                what = f"the package inflates past {format_size(max_inflated_total)}"
                raise InputError(path, limit_reason(what, "max_inflated_total"))
            if keep is not None:
                keep(chunk)
    return inflated_before + size


# ---------------------------------------------------------------------------------------------------
# Counts: table cells and characters
# ---------------------------------------------------------------------------------------------------


class CellBudget:
    """The table cells one document may still hold; readers spend from it as they build grids.

    ``CellBudget(path, 2_000_000).spend(60)`` leaves 1,999,940; spending past zero raises ``InputError``
    ("the tables hold more than 320,000 cells (limit --max-table-cells)") before the cells are built.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.spent = 0

    def spend(self, cells: int) -> None:
        self.spent += cells
        if self.spent > self.limit:
            what = f"the tables hold more than {format_count(self.limit)} cells"
            raise InputError(self.path, limit_reason(what, "max_table_cells"))


def check_characters(path: Path, count: int, limit: int, exact: bool = True) -> None:
    """Refuse a text of more than ``limit`` characters: ``check_characters(p, 3_200_000, 3_000_000)`` raises
    "3,200,000 characters, past 3,000,000 (limit --max-characters)"."""
    if count <= limit:
        return
    stated = f"{format_count(count)} characters" if exact else f"more than {format_count(limit)} characters"
    what = f"{stated}, past {format_count(limit)}" if exact else stated
    raise InputError(path, limit_reason(what, "max_characters"))
