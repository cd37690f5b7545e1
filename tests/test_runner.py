"""The document runner: each document in a worker process, killed with all it started past --max-seconds.

The worker is forked from the test process, so a stand-in for ``extract_document`` patched here runs there:
one that sleeps stands for a PDF that makes PDFium loop, one that kills itself for the out-of-memory killer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import extractor
from extractor.errors import InputError
from extractor.options import ExtractOptions
from extractor.runner import DocumentRunner, WorkerFault, session_members
from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "000_18cf555f364dcc13.txt"


def _sleeping_extract(path: Path, options: ExtractOptions) -> object:
    if "slow" in Path(path).name:
        time.sleep(60)
    return _real_extract(path, options)


_real_extract = extractor.extract_document


def test_a_document_is_extracted_in_the_worker_as_in_process() -> None:
    with DocumentRunner(ExtractOptions()) as runner:
        assert runner.extract(SEED) == extractor.extract_document(SEED)


def test_a_bad_input_comes_back_as_its_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with DocumentRunner(ExtractOptions()) as runner, pytest.raises(InputError) as raised:
        runner.extract(empty)
    assert str(raised.value) == f"{empty}: the file is empty"


def test_past_its_time_a_document_fails_and_the_next_one_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_bytes(SEED.read_bytes())
    monkeypatch.setattr(extractor, "extract_document", _sleeping_extract)
    started = time.monotonic()
    with DocumentRunner(ExtractOptions(max_seconds=1)) as runner:
        with pytest.raises(InputError, match=r"took longer than 1 s \(limit --max-seconds\)"):
            runner.extract(slow)
        assert time.monotonic() - started < 30
        assert runner.extract(SEED).metadata == _real_extract(SEED).metadata


def test_a_worker_that_dies_fails_its_document_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def dying(path: Path, options: ExtractOptions) -> object:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    with DocumentRunner(ExtractOptions()) as runner:
        monkeypatch.setattr(extractor, "extract_document", dying)
        runner.close()  # the next worker is forked with the stand-in
        with pytest.raises(InputError, match="killed by SIGKILL"):
            runner.extract(SEED)
        monkeypatch.setattr(extractor, "extract_document", _real_extract)
        runner.close()
        assert runner.extract(SEED).source.path == str(SEED)


def test_a_bug_in_the_worker_is_a_fault_with_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(path: Path, options: ExtractOptions) -> object:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(extractor, "extract_document", buggy)
    with DocumentRunner(ExtractOptions()) as runner, pytest.raises(WorkerFault) as raised:
        runner.extract(SEED)
    assert str(raised.value) == "ZeroDivisionError: a bug"
    assert "in buggy" in raised.value.details


def test_a_timeout_kills_what_the_worker_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A program the worker started in a process group of its own, as LibreOffice is, dies with the worker."""
    pid_file = tmp_path / "child.pid"

    def converting(path: Path, options: ExtractOptions) -> object:
        child = subprocess.Popen(["sleep", "300"], process_group=0)
        pid_file.write_text(str(child.pid))
        time.sleep(300)
        raise AssertionError("unreachable")

    monkeypatch.setattr(extractor, "extract_document", converting)
    with DocumentRunner(ExtractOptions(max_seconds=2)) as runner:
        worker = runner._process
        assert worker is not None and worker.pid is not None
        with pytest.raises(InputError, match="took longer than 2 s"):
            runner.extract(SEED)
    child = int(pid_file.read_text())
    assert _gone(child)
    assert session_members(worker.pid) == []


def _gone(pid: int) -> bool:
    """True when ``pid`` is no longer a running process (a zombie waiting for init counts as gone)."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


CALLER_SCRIPT = """
import sys, time
from pathlib import Path
from extractor.options import ExtractOptions
from extractor.runner import DocumentRunner
runner = DocumentRunner(ExtractOptions()).__enter__()
print(runner._process.pid, flush=True)
time.sleep(300)
"""


def test_a_worker_dies_with_its_caller_even_by_sigkill() -> None:
    """A caller killed with SIGKILL runs no cleanup: its worker must not live on, waiting for work."""
    caller = subprocess.Popen(
        [sys.executable, "-c", CALLER_SCRIPT], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert caller.stdout is not None
        worker = int(caller.stdout.readline())
        assert not _gone_now(worker)
        caller.kill()
        caller.wait(10)
        assert _gone(worker)
    finally:
        caller.kill()


def _gone_now(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
