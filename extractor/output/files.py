"""Output files written whole or not at all, with the user's umask, and one clear line when a path fails.

Every result (JSON, report, CSV) is written to a hidden temporary file beside its target and renamed over it,
so a reader never sees half a result and a kill never leaves one. The temporary name carries the writer's
process id, ``.khplan-<pid>.<random>.<name>.tmp``, and the file is locked (``flock``) while it is written: the
next run into the same folder removes the temporary files of a writer that is no longer alive
(``extractor.cleanup``), never those of a run still going.

Modes follow Unix habits: a new file gets the permissions the user's umask allows (0644 under umask 022),
and a file that is rewritten keeps its own mode. A target that is a symbolic link is followed, like a shell
redirection, to the file it names; a link to nothing is refused rather than replaced or followed into a
folder that does not exist.

Any failure is raised as ``OutputError``, whose text is one line naming the path and the reason:
``out/kh-12.docx.json: cannot write (permission denied)``.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from extractor.output.printable import printable, shown

TEMP_PREFIX = ".khplan-"
TEMP_SUFFIX = ".tmp"
# A file name may have 255 bytes; the temporary name adds its prefix, pid, random part and suffix.
TEMP_NAME_KEEP = 160
NEW_FILE_MODE = 0o666  # the kernel takes the umask off, as for any file a shell redirection creates

# Failures that every later file in the same folder would meet too (the run stops after them).
FOLDER_WIDE_ERRORS = frozenset(
    {
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.ENOENT,
        errno.ENOTDIR,
        errno.EIO,
    }
)
REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EISDIR: "is a folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EEXIST: "already exists",
}


class OutputError(Exception):
    """An output path that cannot be written; ``str(error)`` is one line: ``reports/: permission denied``.

    ``folder_wide`` is True when the same failure awaits every other file there (a read-only or full disk),
    so that a batch stops instead of extracting documents it cannot save.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, folder_wide: bool = False) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.folder_wide = folder_wide
        super().__init__(f"{shown(self.path)}: {printable(reason)}")

    @classmethod
    def from_os_error(cls, path: str | os.PathLike[str], doing: str, error: OSError) -> OutputError:
        """``OutputError.from_os_error("out/a.json", "cannot write", PermissionError(13, …))`` ->
        "out/a.json: cannot write (permission denied)"."""
        number = error.errno or 0
        reason = REASONS.get(number) or (error.strerror or type(error).__name__).lower()
        return cls(path, f"{doing} ({reason})", folder_wide=number in FOLDER_WIDE_ERRORS)


def temp_name(target_name: str, pid: int | None = None) -> str:
    """The hidden temporary name for ``target_name``: "plan.pdf.json" -> ".khplan-4242.9f3a1c07.plan.pdf.json.tmp".

    The pid right after the prefix is what ``extractor.cleanup.sweep_dead_owners`` reads to tell a dead
    writer's leftovers from a running one's.
    """
    owner = os.getpid() if pid is None else pid
    return f"{TEMP_PREFIX}{owner}.{secrets.token_hex(4)}.{target_name[:TEMP_NAME_KEEP]}{TEMP_SUFFIX}"


def real_target(path: Path) -> Path:
    """The file a write to ``path`` lands in: ``path`` itself, or the file its symbolic link names.

    Raises ``OutputError`` for a link to nothing: ``out.json -> /gone/x`` is "a symbolic link to /gone/x,
    which does not exist".
    """
    if not path.is_symlink():
        return path
    resolved = Path(os.path.realpath(path))
    if not resolved.exists():
        raise OutputError(path, f"is a symbolic link to {shown(os.readlink(path))}, which does not exist")
    return resolved


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) unless it exists; ``OutputError`` when it cannot be a folder.

    ``ensure_folder(Path("out/json"))`` creates out/ and out/json/; a file or a dangling link named
    out/json gives "out/json: is a file, not a folder" or "out/json: is a symbolic link to …".
    """
    if folder.is_dir():
        return
    if folder.is_symlink():
        real_target(folder)  # raises for a dangling link
        raise OutputError(folder, f"is a symbolic link to {shown(os.readlink(folder))}, not a folder")
    if folder.exists():
        raise OutputError(folder, "is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError.from_os_error(folder, "cannot create the folder", error) from error


def existing_mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path`` (kept when it is rewritten), or None."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None


class AtomicFile:
    """A text file that appears at ``path`` whole, or not at all.

    ``with AtomicFile(Path("out/plan.pdf.json")) as out: out.write(text)`` writes a hidden temporary file in
    out/ and renames it over plan.pdf.json when the block ends; an exception (or a signal turned into one)
    removes the temporary file and leaves any earlier plan.pdf.json as it was. Each failure of the file
    system is raised as ``OutputError`` naming ``path``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.target = real_target(self.path)
        ensure_folder(self.target.parent)
        self.temporary, descriptor = self._create()
        self.stream = os.fdopen(descriptor, "w", encoding="utf-8")

    def _create(self) -> tuple[Path, int]:
        """Open a new temporary file (never an existing one, never through a link), locked as ours."""
        mode = existing_mode(self.target)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        for _ in range(8):
            temporary = self.target.parent / temp_name(self.target.name)
            try:
                descriptor = os.open(temporary, flags, NEW_FILE_MODE)
                break
            except FileExistsError:
                continue
            except OSError as error:
                raise OutputError.from_os_error(self.path, "cannot write", error) from error
        else:
            raise OutputError(self.path, "cannot write (no free temporary name)")
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if mode is not None:
                os.fchmod(descriptor, mode)
        except OSError as error:
            os.close(descriptor)
            temporary.unlink(missing_ok=True)
            raise OutputError.from_os_error(self.path, "cannot write", error) from error
        return temporary, descriptor

    def write(self, text: str) -> None:
        """Append ``text`` to the temporary file."""
        try:
            self.stream.write(text)
        except OSError as error:
            self.discard()
            raise OutputError.from_os_error(self.path, "cannot write", error) from error

    def commit(self) -> None:
        """Rename the finished temporary file over the target."""
        try:
            self.stream.close()
            os.replace(self.temporary, self.target)
        except OSError as error:
            self.discard()
            raise OutputError.from_os_error(self.path, "cannot write", error) from error

    def discard(self) -> None:
        """Remove the temporary file; the target keeps what it held before."""
        with suppress(
            OSError
        ):  # the disk that refused the data may refuse the flush too; the file goes anyway
            self.stream.close()
        self.temporary.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (with a final newline) to ``path`` through a temporary file and a rename.

    ``write_atomically(Path("out/plan.pdf.json"), json_text)``; raises ``OutputError`` with one line.
    """
    with AtomicFile(Path(path)) as out:
        out.write(text)
        if not text.endswith("\n"):
            out.write("\n")


def check_folder_writable(folder: Path) -> None:
    """Before any work: can files be created in ``folder`` (or in the folder that would hold it)?

    ``check_folder_writable(Path("reports"))`` passes when reports/ is a writable folder, or does not exist
    and its nearest existing parent is; raises ``OutputError`` otherwise ("reports: is a file, not a folder",
    "reports: permission denied"). Root passes every permission test here; its failures show at the write.
    """
    if folder.is_symlink():
        real_target(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "is a file, not a folder", folder_wide=True)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(folder, f"cannot create the folder ({shown(existing)} is a file)", folder_wide=True)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(existing, "permission denied", folder_wide=True)


def check_file_writable(path: Path) -> None:
    """Before any work: can ``path`` be written as a file? ``OutputError`` when it is a folder, a link to
    nothing, or lies in a folder that cannot take it: ``findings/: is a folder, not a file``."""
    target = real_target(path)
    if target.is_dir():
        raise OutputError(path, "is a folder, not a file")
    check_folder_writable(target.parent)
