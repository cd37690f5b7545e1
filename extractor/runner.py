"""Each document in a worker process, stopped from outside past its time: the one limit code inside cannot hold.

PDFium and LibreOffice are native code: a crafted PDF can make one loop, or grow until the machine swaps, where
no Python check ever runs again. Only a process outside can stop that. ``DocumentRunner`` keeps one worker
process and hands it one document at a time; the worker extracts it with ``extract_document`` and sends back
the result. When a document takes longer than ``ExtractOptions.max_seconds``, or the worker dies (killed by
the out-of-memory killer, a crash in C), the worker is killed together with every process it started (it
leads a session of its own, LibreOffice included), the LibreOffice work folder it left is swept, the document
fails with one line ("plan.pdf: the extraction took longer than 600 s (limit --max-seconds)"), and a new
worker takes the next document.

The worker is forked from the caller, so it starts with the caller's imports, and it lives for many documents,
so the vocabularies and compiled patterns it loads for the first one serve the others. The batch workers of
the archive reuse this runner, one per worker slot.

    with DocumentRunner(ExtractOptions(max_seconds=60)) as runner:
        for path in paths:
            document = runner.extract(path)   # InputError for a bad file, a timeout or a dead worker
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from extractor.cleanup import sweep_office_work_folders
from extractor.errors import InputError
from extractor.options import LIMIT_BY_FIELD, ExtractOptions
from models import ExtractedDocument
from models.findings import Failure

# Seconds a worker is given to stop after SIGTERM at close, before it is killed.
CLOSE_SECONDS = 2.0
# Seconds a new worker may take to import the pipeline before its first document (not counted against the
# document's own time).
STARTUP_SECONDS = 120.0


class WorkerFault(Exception):
    """An unexpected exception inside the worker (a bug, not a bad input), with the worker's traceback.

    ``str(error)`` is "ValueError: …"; ``details`` the traceback as the worker printed it, for ``--debug``.
    """

    def __init__(self, summary: str, details: str) -> None:
        super().__init__(summary)
        self.details = details


class Extraction:
    """One document's result as the worker sent it: its JSON (as ``khplan extract`` writes it) and the parts
    that failed; the ``ExtractedDocument`` is rebuilt from the JSON only when asked for.

    The JSON crosses from the worker as bytes written by pydantic's serializer: for a 100,000-row table this
    takes a second, where pickling the million models takes twenty, and a caller that only writes the JSON
    never rebuilds them.
    """

    def __init__(
        self,
        json: bytes,
        failures: list[Failure],
        document: ExtractedDocument | None = None,
        prepared: Any = None,
    ) -> None:
        self.json = json
        self.failures = failures
        self._document = document
        self.prepared = prepared  # what the runner's ``prepare`` made of the JSON in the worker, if asked

    @classmethod
    def of(cls, document: ExtractedDocument) -> Extraction:
        """The extraction of a document extracted in this process."""
        return cls(to_json_bytes(document), list(document.coverage.failed), document)

    @property
    def text(self) -> str:
        return self.json.decode("utf-8")

    @property
    def document(self) -> ExtractedDocument:
        if self._document is None:
            self._document = ExtractedDocument.model_validate_json(self.json)
        return self._document


def to_json_bytes(document: ExtractedDocument) -> bytes:
    """The compact JSON of ``document`` as UTF-8 bytes, exactly as ``document.model_dump_json()`` encoded."""
    return document.__pydantic_serializer__.to_json(document)


class DocumentRunner:
    """Extracts documents one at a time in a worker process that is replaced when it hangs or dies."""

    def __init__(
        self, options: ExtractOptions, prepare: Callable[[bytes, ExtractedDocument], Any] | None = None
    ) -> None:
        """``prepare``, when given, runs in the worker on each extraction (its JSON and the document) and its
        result comes back as ``Extraction.prepared`` (the archive's rows, built beside the extraction:
        ``prepare_document``)."""
        self.options = options
        self.prepare = prepare
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> DocumentRunner:
        self._worker()  # forked now, before a caller's progress bar starts its thread
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def extract(self, path: Path) -> ExtractedDocument:
        """The extraction of ``path``; raises ``InputError`` for a bad file, one that takes longer than
        ``max_seconds`` or kills its worker, and ``WorkerFault`` for a bug inside the worker."""
        return self.run(path).document

    def run(self, path: Path) -> Extraction:
        """As ``extract``, with the result as its JSON (the document is rebuilt only when asked for)."""
        connection = self._worker()
        try:
            connection.send(str(path))
            if not connection.poll(self.options.max_seconds):
                self._kill()
                raise InputError(path, timeout_reason(self.options.max_seconds))
            kind, first, second = connection.recv()
            if kind == "document":
                payload = connection.recv_bytes()
                prepared = connection.recv() if self.prepare is not None else None
                return Extraction(payload, first, prepared=prepared)
        except (EOFError, OSError):
            exit_code = self._kill()
            raise InputError(path, death_reason(exit_code)) from None
        except BaseException:  # Ctrl-C, SIGTERM: the document in progress is abandoned with its worker
            self._kill()
            raise
        if kind == "input-error":
            raise InputError(path, first)
        raise WorkerFault(first, second)

    def close(self) -> None:
        """Stop the worker: asked to finish, killed when it does not."""
        if self._process is None:
            return
        connection, process = self._connection, self._process
        self._process = self._connection = None
        with contextlib.suppress(OSError, ValueError):
            assert connection is not None
            connection.send(None)
            connection.close()
        process.join(CLOSE_SECONDS)
        if process.is_alive():
            _kill_session(process)
        process.join()

    def _worker(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection is not None:
            return self._connection
        if self._process is not None:
            self._kill()
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(theirs, ours, self.options, self.prepare),
            name="khplan-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        with contextlib.suppress(EOFError, OSError):
            if ours.poll(STARTUP_SECONDS) and ours.recv() == "ready":
                return ours
        self._kill()
        raise RuntimeError("the extraction worker did not start")

    def _kill(self) -> int | None:
        """Kill the worker and every process of its session; sweep what a conversion left; its exit code."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if connection is not None:
            connection.close()
        if process is None:
            return None
        _kill_session(process)
        process.join()
        sweep_office_work_folders()
        return process.exitcode


class InProcessRunner:
    """The runner's interface, extracting in this very process: no time limit, and a bug raises here with
    its traceback (``khplan … --debug``; tests that stand in for ``extract_document``)."""

    def __init__(self, options: ExtractOptions) -> None:
        self.options = options

    def __enter__(self) -> InProcessRunner:
        return self

    def __exit__(self, *exception: object) -> None:
        return None

    def run(self, path: Path) -> Extraction:
        from extractor import extract_document

        return Extraction.of(extract_document(path, self.options))

    def extract(self, path: Path) -> ExtractedDocument:
        return self.run(path).document

    def close(self) -> None:
        return None


def timeout_reason(seconds: float) -> str:
    """600.0 -> "the extraction took longer than 600 s (limit --max-seconds)"."""
    shown = f"{seconds:g}"
    return f"the extraction took longer than {shown} s (limit {LIMIT_BY_FIELD['max_seconds'].flag})"


def death_reason(exit_code: int | None) -> str:
    """-9 -> "the extraction process was killed by SIGKILL (out of memory?)"; 3 -> "… exited with code 3"."""
    if exit_code is not None and exit_code < 0:
        name = signal.Signals(-exit_code).name
        hint = " (out of memory?)" if exit_code == -signal.SIGKILL else ""
        return f"the extraction process was killed by {name}{hint}"
    return f"the extraction process exited with code {exit_code} before it finished"


def _kill_session(process: multiprocessing.process.BaseProcess) -> None:
    """SIGKILL to the worker and to every process in its session (LibreOffice and its helpers)."""
    pid = process.pid
    if pid is None:
        return
    for member in session_members(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(member, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def session_members(session: int) -> list[int]:
    """The live pids whose session id is ``session`` (read from /proc; none where there is no /proc; a zombie,
    already dead, is left out).

    A worker leads its own session, and LibreOffice, started in a process group of its own, stays in it:
    ``session_members(worker_pid)`` finds soffice.bin after its launcher has exited.
    """
    members: list[int] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
                    fields = stat.rsplit(")", 1)[1].split()  # state, ppid, pgrp, session, …
                    if int(fields[3]) == session and fields[0] != "Z":
                        members.append(int(entry.name))
    return members


def _serve(
    connection: Connection,
    callers_end: Connection,
    options: ExtractOptions,
    prepare: Callable[[bytes, ExtractedDocument], Any] | None = None,
) -> None:
    """The worker's loop: a path in; out ("document", failures, None) followed by the JSON bytes, or
    ("input-error", reason, None), or ("fault", "ValueError: …", traceback); until None or a closed pipe."""
    callers_end.close()  # inherited by the fork: while the worker held it, it never saw the caller go
    _become_worker()
    from extractor import extract_document
    from extractor.pipeline import run_pipeline  # noqa: F401 - imported before the first document's clock

    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        payload = prepared = None
        try:
            document = extract_document(Path(request), options)
            payload = to_json_bytes(document)
            reply: tuple[str, Any, Any] = ("document", list(document.coverage.failed), None)
            if prepare is not None:
                prepared = prepare(payload, document)
            del document
        except InputError as error:
            reply = ("input-error", error.reason, None)
        except Exception as error:
            reply = ("fault", f"{type(error).__name__}: {error}", traceback.format_exc())
        try:
            if reply[0] != "document":
                payload = None
            connection.send(reply)
            if payload is not None:
                connection.send_bytes(payload)
                if prepare is not None:
                    connection.send(prepared)
        except (OSError, ValueError):
            return


def _become_worker() -> None:
    """Lead a session (so that one kill stops all it starts), take default signals (the caller's handlers
    clean the caller's files, not the worker's; Ctrl-C is the caller's to handle), write nothing to the
    caller's terminal (its messages come back as data)."""
    with contextlib.suppress(OSError):
        os.setsid()
    _die_with_the_caller()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(number, signal.SIG_DFL)
    devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - the worker's stdout/stderr for life
    sys.stdout = sys.stderr = devnull


# prctl(2) option: the signal a process gets when the thread that forked it ends (Linux only).
PR_SET_PDEATHSIG = 1


def _die_with_the_caller() -> None:
    """Ask Linux to SIGKILL the worker when its caller dies, even by SIGKILL (elsewhere the worker sees its
    pipe close when it next reads, and exits then)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the caller died before the request was made
        os._exit(1)
