"""Remove what killed runs left behind: temporary files and work folders whose owner process is dead.

A run killed with SIGKILL (or by the out-of-memory killer, or a power cut) cannot clean up after itself: the
hidden temporary file of the result it was writing stays in the output folder, and a LibreOffice conversion
leaves its work folder, with a copy of the input, in the temporary directory. Each such name carries the
owner's process id right after a fixed prefix, ``<prefix><pid>.<anything>``:

    .khplan-4242.9f3a1c07.plan.pdf.json.tmp     a result being written (``extractor.output.files``)
    khplan-office-4242.k2x9q1ab                 a LibreOffice work folder (``extractor.ingest.office``)

The next run calls ``sweep_dead_owners(folder, prefix)``, which removes an entry only when all of these hold:
its name has the prefix and a pid, it belongs to the user running the sweep, it is a regular file or a
folder (never a link), its pid is not a live process, and, for a file, no process holds its lock. A run
that is still going, in this shell or another, on this machine or, through a shared folder, in another
container, therefore never loses a file it is writing. Names without a pid (older versions) are left alone.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

OFFICE_WORK_PREFIX = "khplan-office-"
OUTPUT_TEMP_PREFIX = ".khplan-"


def owner_pid(name: str, prefix: str) -> int | None:
    """The pid a name carries after ``prefix``: (".khplan-4242.9f3a.plan.json.tmp", ".khplan-") -> 4242;
    ("khplan-office-x1y2", "khplan-office-") -> None."""
    found = re.fullmatch(re.escape(prefix) + r"([1-9][0-9]{0,9})\..+", name, flags=re.DOTALL)
    return int(found.group(1)) if found else None


def process_alive(pid: int) -> bool:
    """True when ``pid`` is a running process (of any user); a zombie, which can write nothing, is dead.

    ``process_alive(os.getpid())`` -> True. When in doubt (a pid out of range, an unreadable status) the
    answer is True: a sweep must never take the files of a run that may still be going.
    """
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    # "4242 (python3) Z 1 …": the state follows the last ")" (the command name may hold one itself).
    return status.rpartition(")")[2].split()[:1] == ["Z"]


def _file_locked(path: Path) -> bool:
    """True when another process holds the ``flock`` a writer takes on its temporary file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return True  # cannot look: leave it
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # closing drops the lock taken just now
    return False


def stale_entries(folder: Path, prefix: str) -> list[Path]:
    """The entries of ``folder`` that ``sweep_dead_owners`` would remove, in name order."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    stale = []
    for name in names:
        pid = owner_pid(name, prefix)
        if pid is None:
            continue
        path = folder / name
        try:
            status = os.lstat(path)
        except OSError:
            continue
        if status.st_uid != os.geteuid() or not (
            stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)
        ):
            continue
        if process_alive(pid) or (stat.S_ISREG(status.st_mode) and _file_locked(path)):
            continue
        stale.append(path)
    return stale


def sweep_dead_owners(folder: Path, prefix: str) -> list[Path]:
    """Remove the temporary files and folders in ``folder`` named ``<prefix><pid>.…`` whose owner is dead.

    ``sweep_dead_owners(Path("out"), ".khplan-")`` removes out/.khplan-4242.9f3a1c07.plan.pdf.json.tmp when
    process 4242 is gone, and returns what it removed. Entries that vanish or resist meanwhile are skipped:
    a sweep is housekeeping and never fails the run.
    """
    removed = []
    for path in stale_entries(Path(folder), prefix):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def sweep_office_work_folders() -> list[Path]:
    """Remove the LibreOffice work folders (``khplan-office-<pid>.…`` in the temporary directory) of dead runs."""
    return sweep_dead_owners(Path(tempfile.gettempdir()), OFFICE_WORK_PREFIX)


def sweep_output_folder(folder: Path) -> list[Path]:
    """Remove the hidden temporary results (``.khplan-<pid>.….tmp``) that killed runs left in ``folder``."""
    return sweep_dead_owners(Path(folder), OUTPUT_TEMP_PREFIX)
