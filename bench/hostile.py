"""Hostile inputs against `khplan`: each case in a fresh process, with its exit code, message, time and memory.

Usage: .venv/bin/python bench/hostile.py [--only NAME] [--json] [--keep DIR]

Every input is generated in a temporary folder (``--keep DIR`` writes them there and keeps them), small on disk:
the zip bombs are zeros deflated while streamed through ``zipfile`` (about 1 KB per inflated MB, deflate's
limit), the oversized file of the mixed run is sparse. Then each case runs `khplan` (``.venv/bin/khplan`` next
to ``sys.executable``, else ``python -m extractor.cli``) in a new session, with ``TMPDIR`` pointing into the
work folder (LibreOffice work folders land there, and the sweep of dead runs' leftovers never touches the
machine's /tmp) and no ``KHPLAN_*`` variable. A case past its time bound has its process group and every
descendant killed (by pid: khplan's extraction worker leads a session of its own) and shows "timeout"; nothing
hangs the bench (a FIFO input is bounded at 30 s). The bench makes itself the child subreaper of what it
starts (Linux prctl), so a process a case orphans (a worker that outlives its killed khplan) is reparented to
it: after each case, a descendant still alive 3 s later is killed by pid and fails the case ("left N
process(es) running").

The cases, expected exit in brackets:
  1. network: an ODT with an image and a section linked to a loopback HTTP server, a DOCX with an external
     image relationship and an INCLUDEPICTURE field, an RTF with INCLUDEPICTURE/INCLUDETEXT fields [0]; the
     server counts connections and requests for every case, and any contact fails the case ("requests: N").
  2. limits: plan.txt a symbolic link to /dev/zero [3], plan.txt a FIFO [3], a DOCX whose document.xml
     inflates to 1 GB with honest headers [3], one that inflates to 4 GB while both headers declare 64 KB (and
     the CRC of 64 KB of zeros, so ``zipfile`` trusts the small size whole) [3], a 2 MB text under
     ``--max-file-size 1M`` [3]; the 1.5 M plan under ``--max-seconds 2`` (its worker killed at 2 s) [3].
  3. big documents: a 1.5-million-character plan (seed 001 repeated) [0], bound 300 s; a plan with a
     100,000-row village table of three columns (TT, Thôn, Số hộ nghèo; the default cell limit
     holds 100,000 rows of three) [0]; the seed alone and a tiny plan (its first 40 lines), each the fastest of 5
     runs, for the time per character.
  4. one bad value: a 310-digit household count in a target sentence [0, and the JSON must be written]; a
     percent table whose base is a 29-digit number [0].
  5. outputs: -o an existing file with two inputs [2]; -o a read-only folder [3] (as root, where chmod stops
     nothing, a folder under a regular file instead); -o a dangling symbolic link [3]; check --csv a folder [3].
  6. a 0.6 MB text table of 10,000 columns [0], bound 60 s.
  7. `khplan tables --csv` on cells =HYPERLINK(…), @SUM(…), =1+1, -2+3: each must come out with a leading
     apostrophe (extractor/output/spreadsheet.py), and no cell may start a formula unescaped [0].
  8. signals on the 1.5 M plan: SIGTERM after 1 s, and SIGTERM as soon as its temporary result appears in
     the output folder (polled every 2 ms): exit 143, one line on stderr, no ``.khplan-*.tmp`` / ``*.tmp``
     left [143]; SIGKILL as soon as its temporary result appears, then a run of the seed into the same folder:
     no temporary file of the killed pid is left [0] (the row times the second run; should the killed run
     end before writing, its leftover ``.khplan-<pid>.<hex>.<name>.tmp`` is planted, and the message says so).
  9. garbage: a 1-byte .pdf [3], an OLE2 signature and random bytes as .doc [3], a good plan named
     "plan\\n\\x1b[31m.txt" checked [0] and an empty one so named [3] (no raw ESC in any output, the name shown
     escaped, stderr one line), `khplan check good.txt | head -1` [0 or 141, no traceback].
 10. mixed: one `khplan extract` of the 12 TXT/DOCX/PDF seeds with every single-file input above interleaved
     [3], bound 900 s, against a clean run of the 12 alone [0]: the 12 results must be byte-identical (both
     runs name the same input paths, so ``source.path`` agrees).

Columns: exit ("sigN": killed by signal N; "timeout": killed at the bound; in --json a negative N and null),
wall seconds, peak RSS in MB, verdict ("ok" when the exit is the expected one, the time within the bound, peak
RSS under 1 GB, no process left running and the case's own test passed; else "FAIL"), and the first line of
stderr cut to 90 characters (preceded by what the case's test found), paths shown relative to the work folder.
Peak RSS is ``ru_maxrss`` of ``os.wait4`` on the child: the kernel folds into it the peak of every descendant
the child itself waited for (khplan's extraction worker, LibreOffice when its conversion is waited for), but
a grandchild it did not wait for (a daemonised soffice.bin, a worker orphaned by a kill) is not counted.
Exits 1 when a case fails. After the table, the time per character of the 1.5 M plan against the seed alone
(aim: ratio ≤ 1.3), as wall times and as the time beyond the tiny plan's (start-up, imports) per character
beyond its own; bench/scaling.py measures the same in one process, stage by stage.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import hostile_cases as hc

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SEED_STEM = "001_1747db98b33217c6"
SECOND_SEED_STEM = "000_18cf555f364dcc13"

DEFAULT_BOUND = 120.0
BIG_PLAN_BOUND = 300.0
FIFO_BOUND = 30.0
WIDE_TABLE_BOUND = 60.0
MIXED_BOUND = 900.0
MEMORY_LIMIT_KB = 1024 * 1024  # 1 GB
MESSAGE_WIDTH = 90
GOOD_FILES = 12
SIGNAL_DELAY = 1.0
TIMING_REPEAT = 5  # runs of the seed and the tiny plan, the fastest kept: their times are short and noisy
HOSTILE_NAME = "plan\n\x1b[31m.txt"
ESCAPED_NAME = 'plan\\n\\x1b[31m.txt"'  # the end of a path shown quoted with C escapes
EXTRACT_TO_OUT = ("extract", "{input}", "-o", "{out}")
# A CSV cell a spreadsheet would run, unless escaped with a leading apostrophe (README, spreadsheet.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NEGATIVE = re.compile(r"-(?:[0-9]+(?:[.,][0-9]+)*%?)?")
TEMP_NAME = re.compile(r"\.khplan-.*\.tmp|.*\.tmp")
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
STRAY_GRACE = 3.0  # seconds a process left behind by a case gets to end by itself before it is killed
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


# ---------------------------------------------------------------------------------------------------
# The loopback server that counts who calls it
# ---------------------------------------------------------------------------------------------------


class CountingServer(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that counts the connections and requests it receives."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), CountingHandler)
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: list[str] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def reset(self) -> None:
        with self.lock:
            self.connections = 0
            self.requests = []

    def note_connection(self) -> None:
        with self.lock:
            self.connections += 1

    def note_request(self, line: str) -> None:
        with self.lock:
            self.requests.append(line)


class CountingHandler(http.server.BaseHTTPRequestHandler):
    """Counts every connection and request line, answers any method with a 1-pixel PNG."""

    server: CountingServer

    def setup(self) -> None:
        super().setup()
        self.server.note_connection()

    def parse_request(self) -> bool:
        self.server.note_request(self.requestline)
        return super().parse_request()

    def answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(PNG)

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = do_POST = answer

    def log_message(self, format: str, *args: object) -> None:
        return


def start_server() -> CountingServer:
    server = CountingServer()
    threading.Thread(target=server.serve_forever, name="loopback", daemon=True).start()
    return server


# ---------------------------------------------------------------------------------------------------
# The work folder and the inputs, each built once
# ---------------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    """The folder every case works in, the counting server, the command that runs khplan, the inputs built."""

    root: Path
    server: CountingServer
    command: list[str]
    env: dict[str, str]
    built: dict[str, Path] = field(default_factory=dict)
    characters: dict[str, int] = field(default_factory=dict)

    @property
    def seed_text(self) -> str:
        return (SEEDS / f"{SEED_STEM}.txt").read_text(encoding="utf-8")

    def input(self, key: str) -> Path:
        """The input named ``key`` in ``INPUTS``, written on first use under inputs/<key>/."""
        if key not in self.built:
            name, write = INPUTS[key]
            folder = self.root / "inputs" / key
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            if os.path.lexists(path):  # left by an earlier run with --keep: it may name another port
                path.unlink()
            write(self, path)
            self.built[key] = path
        return self.built[key]


def khplan_command() -> list[str]:
    """`khplan` next to the running interpreter, else the module run by it."""
    script = Path(sys.executable).parent / "khplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "extractor.cli"]


def child_env(root: Path) -> dict[str, str]:
    """The environment of every child: no KHPLAN_* limit from the caller, a TMPDIR of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KHPLAN_")}
    tmp = root / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env["TMPDIR"] = str(tmp)
    return env


def text_input(make: Callable[[Workspace], str]) -> Callable[[Workspace, Path], None]:
    """A writer of the UTF-8 text ``make`` builds."""
    return lambda ws, path: hc.write_text(path, make(ws))


def big_plan(ws: Workspace) -> str:
    return hc.repeat_to(ws.seed_text, 1_500_000)


def tiny_plan(ws: Workspace) -> str:
    return "\n".join(ws.seed_text.split("\n")[:40])


def hundred_thousand_rows(ws: Workspace) -> str:
    table = hc.long_village_table(100_000)
    return hc.with_appendix(ws.seed_text, "Danh sách hộ nghèo theo thôn", table)


def ten_thousand_columns(ws: Workspace) -> str:
    return hc.with_appendix(ws.seed_text, "Số hộ theo thôn", hc.wide_table(10_000, 600_000))


INPUTS: dict[str, tuple[str, Callable[[Workspace, Path], None]]] = {
    "network-odt": ("linked.odt", lambda ws, p: hc.write_linked_odt(p, ws.seed_text, ws.server.port)),
    "network-docx": (
        "linked.docx",
        lambda ws, p: hc.write_linked_docx(p, SEEDS / f"{SEED_STEM}.docx", ws.server.port),
    ),
    "network-rtf": ("linked.rtf", lambda ws, p: hc.write_linked_rtf(p, ws.seed_text, ws.server.port)),
    "zero-link": ("plan.txt", lambda ws, p: hc.write_symlink(p, "/dev/zero")),
    "fifo": ("plan.txt", lambda ws, p: hc.write_fifo(p)),
    "bomb-1g": ("bomb-1g.docx", lambda ws, p: hc.write_zeros_docx(p, 1024**3)),
    "bomb-lying-4g": ("bomb-lying-4g.docx", lambda ws, p: hc.write_lying_docx(p, 4 * 1024**3, 64 * 1024)),
    "text-2m": ("text-2m.txt", text_input(lambda ws: hc.filler_text(2 * 1024**2))),
    "sparse-300m": ("sparse-300m.txt", lambda ws, p: hc.write_sparse(p, 300 * 1024**2)),
    "seed": ("seed.txt", text_input(lambda ws: ws.seed_text)),
    "tiny": ("tiny.txt", text_input(tiny_plan)),
    "plan-1.5m": ("plan-1.5m.txt", text_input(big_plan)),
    "rows-100k": ("rows-100k.txt", text_input(hundred_thousand_rows)),
    "count-310": (
        "count-310.txt",
        text_input(lambda ws: hc.with_sentence(ws.seed_text, hc.huge_count_sentence(310))),
    ),
    "base-29": (
        "base-29.txt",
        text_input(lambda ws: hc.with_appendix(ws.seed_text, "Tỷ lệ hộ nghèo", hc.huge_base_table(29))),
    ),
    "columns-10k": ("columns-10k.txt", text_input(ten_thousand_columns)),
    "formulas": (
        "formulas.txt",
        text_input(lambda ws: hc.with_appendix(ws.seed_text, "Hộ nghèo theo thôn", hc.formula_table())),
    ),
    "pdf-1-byte": ("one-byte.pdf", lambda ws, p: hc.write_one_byte_pdf(p)),
    "ole-garbage": ("garbage.doc", lambda ws, p: hc.write_garbage_ole(p)),
    "name-good": (HOSTILE_NAME, text_input(lambda ws: ws.seed_text)),
    "name-empty": (HOSTILE_NAME, lambda ws, p: hc.write_text(p, "")),
}


# ---------------------------------------------------------------------------------------------------
# Running one child
# ---------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """What one child did: its exit (negative: the signal that killed it; None: killed at the bound)."""

    pid: int
    exit: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int


# What a case does while its child runs, given the child and the deadline of its bound (monotonic seconds).
During = Callable[[subprocess.Popen[bytes], float], None]


def child_exited(pid: int) -> bool:
    """True once ``pid`` (our child) has exited, without reaping it."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def wait_child(process: subprocess.Popen[bytes], deadline: float) -> tuple[int | None, int]:
    """Reap the child with ``os.wait4``: (exit, peak RSS in KB); past ``deadline`` its tree is killed first."""
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            kill_tree(process.pid)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = -signal.SIGKILL
            return None, usage.ru_maxrss
        time.sleep(0.01)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss


def kill_tree(pid: int) -> None:
    """SIGKILL ``pid``'s process group and every descendant, by pid: a worker in a session of its own too."""
    for member in [*descendants(pid), pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(member, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def process_table() -> dict[int, tuple[int, str]]:
    """Every process as pid -> (parent pid, state letter), from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{entry}/stat").read_text(errors="replace").rpartition(")")[2].split()
                table[int(entry)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int, table: dict[int, tuple[int, str]] | None = None) -> list[int]:
    """The pids below ``pid`` in the process tree, zombies included."""
    table = process_table() if table is None else table
    found, parents = [], [pid]
    while parents:
        parent = parents.pop()
        children = [child for child, (ppid, _) in table.items() if ppid == parent]
        found.extend(children)
        parents.extend(children)
    return found


def become_subreaper() -> bool:
    """Make the bench the Linux "child subreaper" of its descendants: a worker orphaned by its khplan
    (after a SIGKILL) is reparented here instead of to init, where the bench sees it and kills it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_strays(grace: float = STRAY_GRACE) -> list[str]:
    """The processes a case left running under the bench (orphans reparented here), killed by pid after
    ``grace`` seconds to end by themselves, and reaped: their names, e.g. ["khplan"]."""
    deadline = time.monotonic() + grace
    killed: dict[int, str] = {}
    while True:
        table = process_table()
        strays = descendants(os.getpid(), table)
        for pid in strays:
            if table[pid][1] == "Z" and table[pid][0] == os.getpid():
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
        alive = [pid for pid in strays if table[pid][1] != "Z"]
        if not alive:
            return list(killed.values())
        if time.monotonic() > deadline:
            for pid in alive:
                if pid not in killed:
                    with contextlib.suppress(OSError):
                        killed[pid] = Path(f"/proc/{pid}/comm").read_text().strip()
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)


def read_head(path: Path, limit: int = 1024 * 1024) -> str:
    with path.open("rb") as handle:
        return handle.read(limit).decode("utf-8", errors="replace")


def run_child(
    ws: Workspace, argv: list[str], folder: Path, bound: float, during: During | None = None
) -> Run:
    """Run ``argv`` in a new session, stdout and stderr to files in ``folder``; ``during`` acts while it runs."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    stdout_path, stderr_path = folder / f"stdout.{stamp}", folder / f"stderr.{stamp}"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=ws.env,
            cwd=ROOT,
            start_new_session=True,
        )
        if during is not None:
            during(process, start + bound)
        exit_code, peak = wait_child(process, start + bound)
        seconds = time.monotonic() - start
    return Run(process.pid, exit_code, read_head(stdout_path), read_head(stderr_path), seconds, peak)


def signal_after(delay: float, number: int) -> During:
    """Send ``number`` to the child ``delay`` seconds after its start (unless it has exited already)."""

    def act(process: subprocess.Popen[bytes], bound: float) -> None:
        deadline = min(time.monotonic() + delay, bound)
        while time.monotonic() < deadline and not child_exited(process.pid):
            time.sleep(0.01)
        if not child_exited(process.pid):
            os.kill(process.pid, number)

    return act


def signal_when_writing(folder: Path, number: int) -> During:
    """Send ``number`` to the child as soon as a temporary result (``.khplan-<pid>.…``, the pid of whichever
    process writes it) appears in ``folder``, polled every 2 ms."""

    def act(process: subprocess.Popen[bytes], bound: float) -> None:
        while time.monotonic() < bound and not child_exited(process.pid):
            with contextlib.suppress(OSError):
                if any(name.startswith(".khplan-") for name in os.listdir(folder)):
                    os.kill(process.pid, number)
                    return
            time.sleep(0.002)

    return act


# ---------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """A case's inputs and outputs, by the placeholder names of its arguments, and a note on how it was set."""

    paths: dict[str, Path]
    note: str = ""


@dataclass
class Checked:
    """What a case's own test found: a problem (the verdict is FAIL) and a note shown in the message."""

    problem: str | None = None
    note: str | None = None


Build = Callable[[Workspace, Path], Prepared]
Check = Callable[[Workspace, Prepared, Run], Checked]
Runner = Callable[[Workspace, "Case", Prepared, Path], tuple[Run, Checked]]


@dataclass(frozen=True)
class Case:
    """One hostile case: how its inputs are built, the khplan arguments ({input}, {out}, {dir}, {seed}, {seed2}
    and the build's own names), the exit codes that pass, the time bound, its own test, a runner when it is
    not one plain call, the single-file input it adds to the mixed run, and how many runs to take the fastest
    of."""

    name: str
    build: Build
    args: tuple[str, ...] = EXTRACT_TO_OUT
    expected: tuple[int, ...] = (0,)
    bound: float = DEFAULT_BOUND
    check: Check | None = None
    runner: Runner | None = None
    mix: str | None = None
    repeat: int = 1


def from_input(key: str) -> Build:
    return lambda ws, folder: Prepared({"input": ws.input(key)})


def with_defaults(prepared: Prepared, folder: Path) -> Prepared:
    """The build's names and the ones every case has: {dir}, {out} (dir/out), {seed}, {seed2}."""
    names = {
        "dir": folder,
        "out": folder / "out",
        "seed": SEEDS / f"{SEED_STEM}.txt",
        "seed2": SEEDS / f"{SECOND_SEED_STEM}.txt",
    }
    return Prepared({**names, **prepared.paths}, prepared.note)


def khplan_argv(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> list[str]:
    names = {name: str(path) for name, path in prepared.paths.items()}
    return [*ws.command, *(argument.format(**names) for argument in case.args)]


def run_plain(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """One khplan call (the fastest of ``case.repeat``), then the case's own test."""
    argv = khplan_argv(ws, case, prepared, folder)
    run = min((run_child(ws, argv, folder, case.bound) for _ in range(case.repeat)), key=lambda r: r.seconds)
    checked = case.check(ws, prepared, run) if case.check else Checked()
    return run, checked


# --- checks --------------------------------------------------------------------------------------------


def all_of(*checks: Check) -> Check:
    """All of ``checks``: the first problem found and every note."""

    def check(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
        results = [one(ws, prepared, run) for one in checks]
        problems = [result.problem for result in results if result.problem]
        notes = [result.note for result in results if result.note]
        return Checked(problems[0] if problems else None, "; ".join(notes) or None)

    return check


def result_path(prepared: Prepared, folder: Path) -> Path:
    return folder / f"{prepared.paths['input'].name}.json"


def check_written(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
    """The input's JSON result is in the output folder, not empty."""
    path = result_path(prepared, prepared.paths["out"])
    if not path.exists() or path.stat().st_size == 0:
        return Checked(f"no result {path.name}")
    return Checked(note=f"result {path.stat().st_size / 1e6:.1f} MB")


def check_json_text_holds(fragment: str) -> Check:
    def check(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
        path = result_path(prepared, prepared.paths["out"])
        if not path.exists():
            return Checked(f"no result {path.name}")
        document = json.loads(path.read_text(encoding="utf-8"))
        if fragment not in document.get("text", ""):
            return Checked("the bad value is missing from the extracted text")
        return Checked(note=f"extracted, {len(document.get('findings', []))} findings")

    return check


def temp_files(folder: Path) -> list[str]:
    """The temporary-looking files in ``folder`` (``.khplan-*.tmp`` and any ``*.tmp``)."""
    if not folder.is_dir():
        return []
    return sorted(name for name in os.listdir(folder) if TEMP_NAME.fullmatch(name))


def check_no_temp(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
    left = temp_files(Path(prepared.paths["out"]))
    return Checked(f"temporary files left: {left}") if left else Checked(note="no temp left")


def stderr_lines(run: Run) -> list[str]:
    return [line for line in run.stderr.split("\n") if line.strip()]


def check_one_line(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
    count = len(stderr_lines(run))
    return Checked(None if count == 1 else f"{count} lines on stderr, not one")


def check_name_escaped(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
    """No raw ESC on stdout or stderr, and the hostile name shown with C escapes somewhere."""
    if "\x1b" in run.stdout or "\x1b" in run.stderr:
        return Checked("a raw ESC reached the terminal")
    if ESCAPED_NAME not in run.stdout and ESCAPED_NAME not in run.stderr:
        return Checked("the name is not shown escaped")
    where = "stderr" if ESCAPED_NAME in run.stderr else "stdout"
    return Checked(note=f"name shown escaped on {where}")


def unsafe_cell(value: str) -> bool:
    """A cell a spreadsheet would run: it starts (after blanks) with a formula character and is neither
    escaped nor a plain negative number."""
    start = value.lstrip(" \u00a0")
    return start.startswith(FORMULA_STARTS) and not PLAIN_NEGATIVE.fullmatch(start)


def check_csv_escaped(ws: Workspace, prepared: Prepared, run: Run) -> Checked:
    """The formula cells of the table are in the CSV, each with a leading apostrophe; no cell is unsafe."""
    files = sorted(Path(prepared.paths["out"]).glob("*.csv"))
    if not files:
        return Checked("no CSV written")
    cells = []
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells.extend(cell for row in csv.reader(handle) for cell in row)
    unsafe = [cell for cell in cells if unsafe_cell(cell)]
    planted = [cell for cell in cells if any(word in cell for word in ("HYPERLINK", "SUM(", "1+1", "2+3"))]
    if unsafe:
        return Checked(f"unescaped formula cells: {unsafe[:3]}")
    if len(planted) < 4:
        return Checked(f"only {len(planted)} of the 4 formula cells reached the CSV")
    if not all(cell.startswith("'") for cell in planted):
        return Checked(f"formula cells not escaped by an apostrophe: {planted}")
    return Checked(note=f"{len(planted)} formula cells escaped, e.g. {planted[0][:24]}")


# --- builds --------------------------------------------------------------------------------------------


def build_existing_file(ws: Workspace, folder: Path) -> Prepared:
    target = folder / "existing.json"
    target.write_text("{}\n", encoding="utf-8")
    return Prepared({"target": target})


def build_readonly_folder(ws: Workspace, folder: Path) -> Prepared:
    """A read-only folder (chmod 0555); as root, whom chmod does not stop, a folder under a regular file."""
    if os.geteuid() == 0:
        blocker = folder / "a-regular-file"
        blocker.write_text("x\n", encoding="utf-8")
        return Prepared({"target": blocker / "out"}, note="root: under a regular file")
    readonly = folder / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    return Prepared({"target": readonly})


def build_dangling_link(ws: Workspace, folder: Path) -> Prepared:
    link = folder / "out-link"
    os.symlink(folder / "gone" / "nowhere", link)
    return Prepared({"target": link})


def build_csv_folder(ws: Workspace, folder: Path) -> Prepared:
    target = folder / "csv-folder"
    target.mkdir()
    return Prepared({"target": target})


def timed_input(key: str) -> Build:
    """An input whose characters are noted for the time-per-character summary."""

    def build(ws: Workspace, folder: Path) -> Prepared:
        path = ws.input(key)
        ws.characters[key] = len(path.read_text(encoding="utf-8"))
        return Prepared({"input": path})

    return build


# --- runners -------------------------------------------------------------------------------------------


def run_sigterm(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """SIGTERM one second into the run of the 1.5 M plan."""
    argv = khplan_argv(ws, case, prepared, folder)
    run = run_child(ws, argv, folder, case.bound, signal_after(SIGNAL_DELAY, signal.SIGTERM))
    return run, all_of(check_one_line, check_no_temp)(ws, prepared, run)


def run_sigterm_writing(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """SIGTERM the run of the 1.5 M plan as soon as its temporary result appears."""
    out = Path(prepared.paths["out"])
    out.mkdir(parents=True, exist_ok=True)
    argv = khplan_argv(ws, case, prepared, folder)
    run = run_child(ws, argv, folder, case.bound, signal_when_writing(out, signal.SIGTERM))
    return run, all_of(check_one_line, check_no_temp)(ws, prepared, run)


def run_after_sigkill(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """SIGKILL the 1.5 M plan while it writes its result, then a run of the seed into the same folder."""
    out = Path(prepared.paths["out"])
    out.mkdir(parents=True, exist_ok=True)
    killed_argv = [*ws.command, "extract", str(ws.input("plan-1.5m")), "-o", str(out)]
    killed = run_child(ws, killed_argv, folder, case.bound, signal_when_writing(out, signal.SIGKILL))
    left = [name for name in os.listdir(out) if name.startswith(".khplan-")]
    how = f"the kill left {len(left)}"
    if not left:
        left = [f".khplan-{killed.pid}.0badc0de.plan-1.5m.txt.json.tmp"]
        (out / left[0]).write_text('{"partial": ', encoding="utf-8")
        how = "planted 1 (the run ended before any write)"
    strays = reap_strays()  # what the kill orphaned must not hold a lock on the leftover
    if strays:
        how += f"; the kill orphaned {len(strays)} process(es): {', '.join(strays)}"
    run = run_child(ws, khplan_argv(ws, case, prepared, folder), folder, case.bound)
    stale = [name for name in left if (out / name).exists()]
    killed_exit = "timeout" if killed.exit is None else killed.exit
    note = f"killed run exit {killed_exit}; temp files: {how}, after the next run {len(stale)}"
    problem = f"stale temp files: {stale}" if stale else None
    if strays:
        problem = f"SIGKILL of khplan left {len(strays)} process(es) running: {', '.join(strays)}"
    return run, Checked(problem, note)


def run_head_pipe(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """`khplan check good.txt | head -1` under pipefail; the exit is khplan's own status in the pipeline."""
    script = 'set -o pipefail; f=$1; shift; "$@" check "$f" | head -n 1 >/dev/null; exit "${PIPESTATUS[0]}"'
    argv = ["bash", "-c", script, "hostile-pipe", str(prepared.paths["input"]), *ws.command]
    run = run_child(ws, argv, folder, case.bound)
    return run, Checked(note="khplan's status in the pipeline")


def interleave(good: list[Path], hostile: list[Path]) -> list[Path]:
    """good[0], hostile[0], good[1], hostile[1], … then what is left of either."""
    mixed: list[Path] = []
    for index in range(max(len(good), len(hostile))):
        mixed.extend(group[index] for group in (good, hostile) if index < len(group))
    return mixed


def good_files() -> list[Path]:
    """12 good inputs: the TXT, DOCX and PDF renderings of the seeds, then the cases' TXT plans."""
    seeds = sorted(path for path in SEEDS.iterdir() if path.suffix in (".txt", ".docx", ".pdf"))
    cases = sorted((ROOT / "corpus" / "cases").glob("*.txt"))
    return [*seeds, *cases][:GOOD_FILES]


def compare_outputs(names: list[str], clean: Path, mixed: Path) -> list[str]:
    """The names whose result differs (or is missing) between the two folders."""
    differ = []
    for name in names:
        a, b = clean / f"{name}.json", mixed / f"{name}.json"
        if not (a.exists() and b.exists() and a.read_bytes() == b.read_bytes()):
            differ.append(name)
    return differ


def run_mixed(ws: Workspace, case: Case, prepared: Prepared, folder: Path) -> tuple[Run, Checked]:
    """One extract of the good files with every single-file hostile input, against the good files alone."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    good = []
    for source in good_files():
        shutil.copyfile(source, inputs / source.name)
        good.append(inputs / source.name)
    hostile = []
    for other in CASES:
        if other.mix is not None:
            source = ws.input(other.mix)
            target = inputs / f"{other.mix}-{source.name}"
            if not os.path.lexists(target):
                hc.clone(source, target)
            hostile.append(target)
    clean = run_child(
        ws, [*ws.command, "extract", *map(str, good), "-o", str(folder / "clean")], folder, case.bound
    )
    mixed_argv = [*ws.command, "extract", *map(str, interleave(good, hostile)), "-o", str(folder / "mixed")]
    run = run_child(ws, mixed_argv, folder, case.bound)
    differ = compare_outputs([path.name for path in good], folder / "clean", folder / "mixed")
    refused = sum(1 for line in stderr_lines(run) if "results written to" not in line)
    note = f"{len(good) - len(differ)}/{len(good)} identical, clean exit {clean.exit}, "
    note += f"{refused} of {len(hostile)} hostile refused"
    if clean.exit != 0:
        return run, Checked(f"the clean run exited {clean.exit}", note)
    return run, Checked(f"results differ: {differ}" if differ else None, note)


# --- the list ------------------------------------------------------------------------------------------


def extract_input(name: str, key: str, expected: int, **more: object) -> Case:
    """A case that extracts one input into out/ and is mixed into the batch of case 10."""
    return Case(name, from_input(key), expected=(expected,), mix=key, **more)  # type: ignore[arg-type]


CASES: list[Case] = [
    extract_input("network-odt", "network-odt", 0, check=check_written),
    extract_input("network-docx", "network-docx", 0, check=check_written),
    extract_input("network-rtf", "network-rtf", 0, check=check_written),
    extract_input("symlink-dev-zero", "zero-link", 3),
    extract_input("fifo", "fifo", 3, bound=FIFO_BOUND),
    extract_input("docx-bomb-1g", "bomb-1g", 3),
    extract_input("docx-bomb-lying-4g", "bomb-lying-4g", 3),
    Case(
        "over-max-file-size",
        from_input("text-2m"),
        args=(*EXTRACT_TO_OUT, "--max-file-size", "1M"),
        expected=(3,),
        mix="sparse-300m",
    ),
    Case(
        "past-max-seconds",
        from_input("plan-1.5m"),
        args=(*EXTRACT_TO_OUT, "--max-seconds", "2"),
        expected=(3,),
        bound=30,
    ),
    Case("plan-tiny", timed_input("tiny"), check=check_written, repeat=TIMING_REPEAT),
    Case("seed-alone", timed_input("seed"), check=check_written, repeat=TIMING_REPEAT),
    Case(
        "plan-1.5m-chars",
        timed_input("plan-1.5m"),
        bound=BIG_PLAN_BOUND,
        check=check_written,
        mix="plan-1.5m",
    ),
    extract_input("table-100k-rows", "rows-100k", 0, check=check_written),
    extract_input("count-310-digits", "count-310", 0, check=check_json_text_holds("1234567890" * 31)),
    extract_input("percent-base-29-digits", "base-29", 0, check=check_written),
    Case(
        "out-existing-file-2-inputs",
        build_existing_file,
        ("extract", "{seed}", "{seed2}", "-o", "{target}"),
        (2,),
    ),
    Case("out-readonly-folder", build_readonly_folder, ("extract", "{seed}", "-o", "{target}"), (3,)),
    Case("out-dangling-link", build_dangling_link, ("extract", "{seed}", "-o", "{target}"), (3,)),
    Case("check-csv-is-folder", build_csv_folder, ("check", "{seed}", "--csv", "{target}"), (3,)),
    extract_input("table-10k-columns", "columns-10k", 0, bound=WIDE_TABLE_BOUND, check=check_written),
    Case(
        "csv-formulas",
        from_input("formulas"),
        ("tables", "{input}", "--csv", "{out}"),
        check=check_csv_escaped,
        mix="formulas",
    ),
    Case("sigterm-1s", from_input("plan-1.5m"), expected=(143,), bound=BIG_PLAN_BOUND, runner=run_sigterm),
    Case(
        "sigterm-while-writing",
        from_input("plan-1.5m"),
        expected=(143,),
        bound=BIG_PLAN_BOUND,
        runner=run_sigterm_writing,
    ),
    Case("sigkill-then-sweep", from_input("seed"), runner=run_after_sigkill, bound=BIG_PLAN_BOUND),
    extract_input("pdf-1-byte", "pdf-1-byte", 3),
    extract_input("doc-garbage-ole", "ole-garbage", 3),
    Case(
        "name-escape-good",
        from_input("name-good"),
        ("check", "{input}"),
        check=check_name_escaped,
        mix="name-good",
    ),
    extract_input("name-escape-empty", "name-empty", 3, check=all_of(check_name_escaped, check_one_line)),
    Case("check-pipe-head", from_input("seed"), expected=(0, 141), runner=run_head_pipe),
    Case(
        "mixed-12-good", lambda ws, folder: Prepared({}), expected=(3,), bound=MIXED_BOUND, runner=run_mixed
    ),
]


# ---------------------------------------------------------------------------------------------------
# Rows and the table
# ---------------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    exit: int | None
    expected: list[int]
    seconds: float
    peak_rss_mb: float
    verdict: str
    message: str


def first_line(text: str) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    return lines[0] if lines else ""


def cut(text: str, width: int = MESSAGE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def traceback_problem(run: Run) -> str | None:
    return "a traceback on stderr" if "Traceback (most recent call last)" in run.stderr else None


def network_note(ws: Workspace) -> tuple[str | None, str]:
    """The loopback server's count since its reset: (a problem when anything called it, the note)."""
    with ws.server.lock:
        connections, requests = ws.server.connections, list(ws.server.requests)
    note = f"requests: {len(requests)}" + (
        f" ({connections} connections)" if connections != len(requests) else ""
    )
    problem = (
        f"the loopback server was called: {requests[:2] or connections}" if connections or requests else None
    )
    return problem, note


def run_case(ws: Workspace, case: Case) -> Row:
    folder = fresh_folder(ws.root / "cases" / case.name)
    prepared = with_defaults(case.build(ws, folder), folder)
    ws.server.reset()
    run, checked = (case.runner or run_plain)(ws, case, prepared, folder)
    network_problem, requests = network_note(ws)
    strays = reap_strays()
    problems = [
        None if run.exit in case.expected else f"exit {shown_exit(run.exit)}",
        None if run.seconds <= case.bound else f"over {case.bound:.0f} s",
        None if run.peak_rss_kb < MEMORY_LIMIT_KB else "peak RSS ≥ 1 GB",
        traceback_problem(run),
        network_problem,
        f"left {len(strays)} process(es) running: {', '.join(strays)}" if strays else None,
        checked.problem,
    ]
    problem = "; ".join(found for found in problems if found)
    notes = [note for note in (prepared.note, checked.note) if note]
    if case.name.startswith("network") or case.name.startswith("mixed"):
        notes.insert(0, requests)
    if problem:
        notes.insert(0, problem)
    message = " · ".join([*notes, first_line(run.stderr)]) if run.stderr.strip() else " · ".join(notes)
    return Row(
        case=case.name,
        exit=run.exit,
        expected=list(case.expected),
        seconds=round(run.seconds, 2),
        peak_rss_mb=round(run.peak_rss_kb / 1024, 1),
        verdict="FAIL" if problem else "ok",
        message=message.replace(f"{ws.root}/", ""),
    )


def fresh_folder(folder: Path) -> Path:
    """``folder``, empty (what an earlier run with --keep left there is removed)."""
    if folder.exists():
        make_writable(folder)
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def failed_row(case: Case, error: Exception) -> Row:
    """The row of a case the bench itself could not run."""
    message = f"bench error: {type(error).__name__}: {error}"
    return Row(case.name, None, list(case.expected), 0.0, 0.0, "FAIL", message)


def shown_exit(code: int | None) -> str:
    if code is None:
        return "timeout"
    return f"sig{-code}" if code < 0 else str(code)


def print_table(rows: list[Row]) -> None:
    width = max(len(row.case) for row in rows)
    print(f"{'case':<{width}} {'exit':>7} {'expect':>7} {'time s':>7} {'RSS MB':>7} {'verdict':<7} message")
    for row in rows:
        expected = "/".join(map(str, row.expected))
        print(
            f"{row.case:<{width}} {shown_exit(row.exit):>7} {expected:>7} {row.seconds:7.2f} "
            f"{row.peak_rss_mb:7.1f} {row.verdict:<7} {cut(row.message)}"
        )


def per_character_summary(ws: Workspace, rows: list[Row]) -> str | None:
    """The 1.5 M plan's time per character against the seed's, raw and less the tiny plan's fixed cost."""
    by_case = {row.case: row for row in rows}
    big, seed, tiny = (by_case.get(name) for name in ("plan-1.5m-chars", "seed-alone", "plan-tiny"))
    if not (big and seed) or big.exit != 0 or seed.exit != 0:
        return None
    big_chars, seed_chars = ws.characters["plan-1.5m"], ws.characters["seed"]
    big_us, seed_us = big.seconds / big_chars * 1e6, seed.seconds / seed_chars * 1e6
    line = (
        f"time per character: 1.5 M plan {big_us:.2f} µs ({big_chars:,} chars), seed {seed_us:.2f} µs "
        f"({seed_chars:,} chars): ratio {big_us / seed_us:.2f} (aim ≤ 1.3)"
    )
    if tiny and tiny.exit == 0 and seed.seconds > tiny.seconds:
        fixed, tiny_chars = tiny.seconds, ws.characters["tiny"]
        big_net = (big.seconds - fixed) / (big_chars - tiny_chars) * 1e6
        seed_net = (seed.seconds - fixed) / (seed_chars - tiny_chars) * 1e6
        line += (
            f"; beyond the tiny plan ({fixed:.2f} s, {tiny_chars:,} chars: start-up): {big_net:.2f} vs "
            f"{seed_net:.2f} µs, ratio {big_net / seed_net:.2f} (the seed's share is a tenth of a second: noisy)"
        )
    return line


def make_writable(root: Path) -> None:
    """Give back write permission to every folder (the read-only case's), so the tree can be removed."""
    for folder, _, _ in os.walk(root):
        os.chmod(folder, 0o755)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", metavar="NAME", help="run the cases whose name holds NAME")
    parser.add_argument("--json", action="store_true", help="the rows as JSON on stdout instead of the table")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="generate the inputs in DIR and keep them")
    args = parser.parse_args()
    selected = [case for case in CASES if args.only is None or args.only in case.name]
    if not selected:
        print(f"no case matches {args.only!r}", file=sys.stderr)
        return 2
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        root = args.keep.resolve()
    else:
        root = Path(tempfile.mkdtemp(prefix="khplan-hostile-"))
    if not become_subreaper():
        print("not a child subreaper: processes orphaned by a case go unseen", file=sys.stderr)
    server = start_server()
    ws = Workspace(root, server, khplan_command(), child_env(root))
    rows = []
    try:
        for number, case in enumerate(selected, 1):
            print(f"[{number}/{len(selected)}] {case.name} …", file=sys.stderr, flush=True)
            try:
                rows.append(run_case(ws, case))
            except Exception as error:  # a broken case must not hide the others
                rows.append(failed_row(case, error))
    finally:
        server.shutdown()
        make_writable(root)
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    summary = per_character_summary(ws, rows)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1))
        if summary:
            print(summary, file=sys.stderr)
    else:
        print_table(rows)
        if summary:
            print(summary)
    failed = [row.case for row in rows if row.verdict != "ok"]
    if failed:
        print(f"{len(failed)} of {len(rows)} cases FAIL: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
