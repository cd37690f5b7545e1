"""Hostile scanned inputs against `khplan extract` (issue 12): exit code, message, time and memory of each.

Usage: .venv/bin/python bench/hostile_scans.py [--only NAME ...] [--json] [--keep DIR] [--skip-huge]

Every input is generated at run time in a temporary folder (``--keep DIR`` writes them there and keeps them),
deterministically (noise from ``random.Random`` with a fixed seed), and small on disk (the 100-megapixel page is
a 1-bit PNG of about 100 KB). Each case runs `khplan extract FILE -o OUT` (``.venv/bin/khplan`` next to
``sys.executable``, else ``python -m extractor.cli``) in a new session, with no ``KHPLAN_*`` variable in its
environment and ``TMPDIR`` inside the work folder. A case past its bound has its process tree killed by pid
and shows "timeout".

The cases, expected exit in brackets:
  1. empty-png: plan.png of zero bytes [3, "the file is empty"].
  2. tiff-truncated: scan.tif, a real uncompressed TIFF of a text page (Pillow writes its header and IFD
     first) cut to its first half [3, "corrupt image"]; tiff-garbage: scan.tif, a little-endian TIFF header
     whose IFD offset points into 4 KB of random bytes [3, "corrupt image"].
  3. pixels-100m: a 10000 × 10000 page (1-bit PNG, 1200 dpi stated, a few lines of Vietnamese text) with the
     default limits [3, the message names --max-pixels]; pixels-100m-raised: the same with ``--max-pixels
     120M`` [0: it is read, in bounded time and memory]; pixels-182m-raised: 13500 × 13500 (past twice
     Pillow's own ``Image.MAX_IMAGE_PIXELS``) with ``--max-pixels 200M``, to see which limit answers [0 or 3,
     and a message that names a limit the run did not raise is flagged].
  4. blank-500-pdf: a PDF of 500 blank A4 pages (pypdfium2 ``new_page``) [3, "no text"], no Tesseract run,
     within a few seconds.
  4b. pdf-huge-page: a scanned PDF of one 60 × 60 inch page (a 1200-pixel image at 20 dpi), 324 megapixels at
     the 300 dpi of OCR, under ``--max-seconds 120`` [3, the message names --max-pixels, as an image file
     past it would be refused; bound 150 s].
  5. blank-png: a white A4 page at 300 dpi [3, "Tesseract read no words"]; noise-png: the same page with
     0.5 % of its pixels black at random and 300 specks of 2 to 6 pixels [3, or 0 with no text read: exit 0
     with words read out of noise is flagged, with the characters read].

Columns: exit ("sigN": killed by signal N; "timeout": killed at the bound), wall seconds, peak RSS in MB as
``ru_maxrss`` of ``os.wait4`` on the khplan process (the kernel folds in the peak of every descendant it waited
for: the extraction worker, the Tesseract processes; a child started by fork and exec starts from the bench's
own peak, so the inputs are built in forked children and the bench stays small), "tree MB" the largest sum of
RSS over the whole process tree seen by a sampler every 50 ms (the memory the run holds at once: worker, image
copies and Tesseract), the verdict, and the first line of stderr, whole (paths relative to the work folder).
A verdict is "FAIL" with the reasons when the exit is not an expected one, the message does not match what the
case expects, stderr is more than one line or holds a traceback, the time passes the case's bound or the
memory its bound (1 GB; 2 GB for the raised-limit huge pages), a bad file exits 0, or a refusal names a limit
flag the run raised.

Baselines in the same run, for ratios: bare ``tesseract FILE stdout -l vie --dpi 300 tsv`` with
``OMP_THREAD_LIMIT=1`` on the blank and the noise page (and, unless ``--skip-huge``, on the 100-megapixel page
at 1200 dpi), pypdfium2 opening the 500-page PDF and iterating its pages (each page's text page loaded and its
characters counted, what a reader of a text layer must do at least), timed inside a fresh interpreter, and
`khplan extract` on a 40-line text plan (the start-up and import floor of any run). Exits 1 when a case fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import re
import resource
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "corpus" / "seeds" / "001_1747db98b33217c6.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

DEFAULT_BOUND = 60.0  # seconds: a refusal or an empty page must come well within it
HUGE_BOUND = 600.0  # the 100-megapixel page read by OCR
MEMORY_LIMIT_MB = 1024.0  # peak RSS of one process
HUGE_MEMORY_LIMIT_MB = 2048.0  # the 100-megapixel page: 100 MB of gray pixels, its copies and Tesseract's
SAMPLE_SECONDS = 0.05
STARTUP_RUNS = 5  # the start-up floor: its fastest run (the machine may be shared and loaded)
A4_300DPI = (2480, 3508)
A4_POINTS = (595, 842)
BLANK_PAGES = 500
HUGE_PAGE_IMAGE_DPI = 20  # a 1200-pixel image on a 60-inch page
HUGE_PAGE_BOUND = 150.0
NOISE_SEED = 12
LINES = (
    "ỦY BAN NHÂN DÂN XÃ AN BÌNH",
    "KẾ HOẠCH",
    "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024",
    "Phấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,09% cuối năm 2024.",
)


# ---------------------------------------------------------------------------------------------------
# The inputs
# ---------------------------------------------------------------------------------------------------


def font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def text_page(mode: str, size: tuple[int, int], font_size: int, margin: int) -> Any:
    """A white page of ``size`` in ``mode`` ("1" or "L") with ``LINES`` drawn in black from its top left."""
    from PIL import Image, ImageDraw

    page = Image.new(mode, size, 1 if mode == "1" else 255)
    draw = ImageDraw.Draw(page)
    face = font(font_size)
    for number, line in enumerate(LINES):
        draw.text((margin, margin + number * font_size * 2), line, fill=0, font=face)
    return page


def write_empty(path: Path) -> None:
    path.write_bytes(b"")


def write_truncated_tiff(path: Path) -> None:
    """A real TIFF (uncompressed: Pillow's own writer puts the header and IFD before the strips) cut in half."""
    page = text_page("L", (1240, 1754), 40, 100)  # A4 at 150 dpi
    page.save(path, format="TIFF", dpi=(150, 150))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def write_garbage_tiff(path: Path) -> None:
    """The little-endian TIFF signature, an IFD offset of 8, then 4 KB of random bytes where the IFD should be."""
    garbage = random.Random(NOISE_SEED).randbytes(4096)
    path.write_bytes(b"II*\x00" + (8).to_bytes(4, "little") + garbage)


def write_huge(side: int) -> Callable[[Path], None]:
    """A ``side`` × ``side`` 1-bit PNG stating 1200 dpi, with a few lines of text: small on disk and in memory."""

    def write(path: Path) -> None:
        page = text_page("1", (side, side), 150, 600)
        page.save(path, format="PNG", dpi=(1200, 1200), optimize=False)

    return write


def write_blank_pdf(path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(BLANK_PAGES):
        document.new_page(*A4_POINTS)
    document.save(str(path))
    document.close()


def write_huge_page_pdf(path: Path) -> None:
    """A scanned PDF of one 60 × 60 inch page: a 1200 × 1200 page image of text placed at 20 dpi, which the OCR
    renders at 300 dpi, 18000 × 18000 pixels (324 megapixels)."""
    page = text_page("L", (1200, 1200), 40, 60)
    page.save(path, format="PDF", resolution=HUGE_PAGE_IMAGE_DPI)


def write_blank_png(path: Path) -> None:
    from PIL import Image

    Image.new("L", A4_300DPI, 255).save(path, dpi=(300, 300))


def write_noise_png(path: Path) -> None:
    """The white A4 page with 0.5 % of its pixels black at random and 300 specks of 2 to 6 pixels a side."""
    from PIL import Image, ImageDraw

    generator = random.Random(NOISE_SEED)
    width, height = A4_300DPI
    pixels = bytearray(b"\xff" * (width * height))
    for index in generator.sample(range(width * height), width * height // 200):
        pixels[index] = 0
    page = Image.frombytes("L", A4_300DPI, bytes(pixels))
    draw = ImageDraw.Draw(page)
    for _ in range(300):
        x, y, side = generator.randrange(width), generator.randrange(height), generator.randint(2, 6)
        draw.rectangle((x, y, x + side, y + side), fill=generator.randrange(0, 100))
    page.save(path, dpi=(300, 300))


def write_tiny_plan(path: Path) -> None:
    lines = SEED_TEXT.read_text(encoding="utf-8").split("\n")[:40]
    path.write_text("\n".join(lines), encoding="utf-8")


INPUTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "empty-png": ("plan.png", write_empty),
    "tiff-truncated": ("scan.tif", write_truncated_tiff),
    "tiff-garbage": ("scan.tif", write_garbage_tiff),
    "pixels-100m": ("huge-100m.png", write_huge(10_000)),
    "pixels-182m": ("huge-182m.png", write_huge(13_500)),
    "blank-500-pdf": ("blank-500.pdf", write_blank_pdf),
    "pdf-huge-page": ("huge-page.pdf", write_huge_page_pdf),
    "blank-png": ("blank.png", write_blank_png),
    "noise-png": ("noise.png", write_noise_png),
    "tiny-plan": ("tiny.txt", write_tiny_plan),
}


@dataclass
class Workspace:
    """The work folder, the command that runs khplan, its environment, and the inputs built (each once)."""

    root: Path
    command: list[str]
    env: dict[str, str]
    built: dict[str, Path] = field(default_factory=dict)

    def input(self, key: str) -> Path:
        if key not in self.built:
            name, write = INPUTS[key]
            folder = self.root / "inputs" / key
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.unlink(missing_ok=True)
            build_apart(write, path)
            self.built[key] = path
        return self.built[key]


def build_apart(write: Callable[[Path], None], path: Path) -> None:
    """Run ``write(path)`` in a forked child: the bench itself never holds the pixels it builds, so its own RSS
    (which a child started by fork and exec reports as its ``ru_maxrss`` floor) stays small."""
    process = multiprocessing.get_context("fork").Process(target=write, args=(path,))
    process.start()
    process.join()
    if process.exitcode != 0 or not path.exists():
        raise RuntimeError(f"building {path.name} failed (exit {process.exitcode})")


def khplan_command() -> list[str]:
    script = Path(sys.executable).parent / "khplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "extractor.cli"]


def child_env(root: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("KHPLAN_")}
    tmp = root / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env["TMPDIR"] = str(tmp)
    return env


# ---------------------------------------------------------------------------------------------------
# Running one child: exit, output, wall time, peak RSS (wait4) and the tree's largest RSS sum (sampled)
# ---------------------------------------------------------------------------------------------------


@dataclass
class Run:
    exit: int | None  # negative: killed by that signal; None: killed at the bound
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    tree_mb: float


def process_table() -> dict[int, int]:
    """pid -> parent pid of every process, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{entry}/stat").read_text(errors="replace").rpartition(")")[2].split()
                table[int(entry)] = int(fields[1])
    return table


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    table = process_table()
    found, parents = [pid], [pid]
    while parents:
        parent = parents.pop()
        children = [child for child, ppid in table.items() if ppid == parent]
        found.extend(children)
        parents.extend(children)
    return found


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class TreeSampler(threading.Thread):
    """The largest sum of RSS over ``pid``'s process tree, sampled every ``SAMPLE_SECONDS`` until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_mb = max(self.peak_mb, sum(rss_mb(member) for member in tree(self.pid)))
            self.done.wait(SAMPLE_SECONDS)


def kill_tree(pid: int) -> None:
    for member in reversed(tree(pid)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(member, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def run_child(argv: list[str], folder: Path, env: dict[str, str], bound: float) -> Run:
    folder.mkdir(parents=True, exist_ok=True)
    stdout_path, stderr_path = folder / "stdout", folder / "stderr"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        start = time.monotonic()
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        exit_code: int | None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                exit_code = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - start > bound:
                kill_tree(process.pid)
                _, status, usage = os.wait4(process.pid, 0)
                exit_code = None
                break
            time.sleep(0.01)
        seconds = time.monotonic() - start
        process.returncode = -9 if exit_code is None else exit_code
        sampler.done.set()
        sampler.join()
    read = lambda p: p.read_bytes()[: 1024 * 1024].decode("utf-8", "replace")  # noqa: E731
    return Run(
        exit_code, read(stdout_path), read(stderr_path), seconds, usage.ru_maxrss / 1024, sampler.peak_mb
    )


# ---------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One input, the extra khplan flags, the exits that pass, a pattern the first stderr line must match
    (None: stderr may be empty), and the time and memory bounds."""

    name: str
    key: str
    flags: tuple[str, ...] = ()
    expected: tuple[int, ...] = (3,)
    message: str | None = None
    bound: float = DEFAULT_BOUND
    memory_mb: float = MEMORY_LIMIT_MB
    bad_file: bool = True  # exit 0 is a failure unless expected
    # Limit flags this case raises past their default: a refusal that names one of them is flagged.
    raised: tuple[str, ...] = ()
    huge: bool = False


CASES: tuple[Case, ...] = (
    Case("empty-png", "empty-png", message=r"plan\.png: the file is empty$"),
    Case("tiff-truncated", "tiff-truncated", message=r"scan\.tif: corrupt image \(.+\)$"),
    Case("tiff-garbage", "tiff-garbage", message=r"scan\.tif: corrupt image \(.+\)$"),
    Case(
        "pixels-100m",
        "pixels-100m",
        message=r"page 1 is 10000 × 10000 pixels, more than 50,000,000 \(limit --max-pixels\)$",
    ),
    Case(
        "pixels-100m-raised",
        "pixels-100m",
        flags=("--max-pixels", "120M"),
        raised=("--max-pixels",),
        expected=(0,),
        bound=HUGE_BOUND,
        memory_mb=HUGE_MEMORY_LIMIT_MB,
        bad_file=False,
        huge=True,
    ),
    Case(
        "pixels-182m-raised",
        "pixels-182m",
        flags=("--max-pixels", "200M", "--max-seconds", "300"),
        raised=("--max-pixels",),
        expected=(0, 3),
        bound=HUGE_BOUND,
        memory_mb=HUGE_MEMORY_LIMIT_MB,
        bad_file=False,
        huge=True,
    ),
    Case(
        "pdf-huge-page",
        "pdf-huge-page",
        flags=("--max-seconds", "120"),
        message=r"\(limit --max-pixels\)$",
        bound=HUGE_PAGE_BOUND,
        huge=True,
    ),
    Case("blank-500-pdf", "blank-500-pdf", message=r"blank-500\.pdf: no text: .+$", bound=20.0),
    Case("blank-png", "blank-png", message=r"blank\.png: no text: Tesseract read no words .+$", bound=20.0),
    Case("noise-png", "noise-png", message=r"noise\.png: no text: .+$", bound=30.0),
)


@dataclass
class Row:
    case: str
    exit: int | None
    expected: list[int]
    seconds: float
    peak_rss_mb: float
    tree_mb: float
    verdict: str
    stderr: str
    note: str = ""


def shown_exit(code: int | None) -> str:
    if code is None:
        return "timeout"
    return f"sig{-code}" if code < 0 else str(code)


def stderr_lines(run: Run) -> list[str]:
    return [line for line in run.stderr.split("\n") if line.strip()]


def result_text(out: Path) -> tuple[int, int] | None:
    """(blocks, characters of text) of the JSON khplan wrote into ``out``, None when it wrote none."""
    files = sorted(out.glob("*.json")) if out.is_dir() else []
    if not files:
        return None
    data = json.loads(files[0].read_text(encoding="utf-8"))
    blocks = data.get("blocks") or []
    text = data.get("text") or "".join(str(block.get("text", "")) for block in blocks)
    return len(blocks), len(text)


def case_problems(case: Case, run: Run) -> list[str]:
    lines = stderr_lines(run)
    problems = []
    if run.exit not in case.expected:
        problems.append(f"exit {shown_exit(run.exit)}")
    if run.exit == 0 and case.bad_file and 0 not in case.expected:
        problems.append("exit 0 on a bad file")
    if "Traceback (most recent call last)" in run.stderr:
        problems.append("a traceback on stderr")
    if len(lines) > 1:
        problems.append(f"{len(lines)} lines on stderr")
    if case.message and not (lines and re.search(case.message, lines[0])):
        problems.append("unexpected message")
    if run.exit not in (0, None) and not lines:
        problems.append("failed with no message")
    if run.exit is None or run.seconds > case.bound:
        problems.append(f"over {case.bound:.0f} s")
    if max(run.peak_rss_mb, run.tree_mb) > case.memory_mb:
        problems.append(f"memory over {case.memory_mb:.0f} MB")
    raised = set(case.raised)
    named = set(re.findall(r"\(limit (--max-[a-z-]+)\)", lines[0])) if lines else set()
    if named & raised:
        problems.append(f"refused naming {', '.join(sorted(named & raised))}, which this run raised")
    return problems


def run_case(ws: Workspace, case: Case) -> Row:
    folder = ws.root / "cases" / case.name
    if folder.exists():
        shutil.rmtree(folder)
    out = folder / "out"
    out.mkdir(parents=True)
    path = ws.input(case.key)
    argv = [*ws.command, "extract", str(path), "-o", str(out), *case.flags]
    run = run_child(argv, folder, ws.env, case.bound)
    problems = case_problems(case, run)
    written = result_text(out)
    note = ""
    if written is not None:
        blocks, characters = written
        note = f"JSON written: {blocks} blocks, {characters} characters of text"
        if case.key == "noise-png" and characters:
            problems.append("exit 0 with words read out of noise")
    lines = stderr_lines(run)
    return Row(
        case=case.name,
        exit=run.exit,
        expected=list(case.expected),
        seconds=round(run.seconds, 2),
        peak_rss_mb=round(run.peak_rss_mb, 1),
        tree_mb=round(run.tree_mb, 1),
        verdict="FAIL: " + "; ".join(problems) if problems else "ok",
        stderr=(lines[0] if lines else "").replace(f"{ws.root}/", ""),
        note=note,
    )


# ---------------------------------------------------------------------------------------------------
# Baselines: the bare libraries on the same inputs
# ---------------------------------------------------------------------------------------------------


@dataclass
class Baseline:
    name: str
    seconds: float | None
    peak_rss_mb: float
    note: str


PDFIUM_ITERATE = """
import sys, time
import pypdfium2 as pdfium
start = time.perf_counter()
document = pdfium.PdfDocument(sys.argv[1])
characters = 0
for index in range(len(document)):
    page = document[index]
    text = page.get_textpage()
    characters += text.count_chars()
    text.close()
    page.close()
pages = len(document)
document.close()
print(f"{time.perf_counter() - start:.4f} {pages} {characters}")
"""


def tesseract_baseline(ws: Workspace, key: str, dpi: int, bound: float) -> Baseline:
    command = shutil.which("tesseract")
    if command is None:
        return Baseline(f"tesseract {key}", None, 0.0, "tesseract not found")
    env = {**ws.env, "OMP_THREAD_LIMIT": "1"}
    argv = [command, str(ws.input(key)), "stdout", "-l", "vie", "--dpi", str(dpi), "tsv"]
    run = run_child(argv, ws.root / "baselines" / f"tesseract-{key}", env, bound)
    words = [row.split("\t") for row in run.stdout.splitlines()[1:]]
    read = [row[11] for row in words if len(row) == 12 and row[0] == "5" and row[11].strip()]
    note = f"exit {shown_exit(run.exit)}, {len(read)} words"
    return Baseline(f"tesseract {key} (OMP_THREAD_LIMIT=1)", run.seconds, run.peak_rss_mb, note)


def pdfium_baseline(ws: Workspace) -> Baseline:
    argv = [sys.executable, "-c", PDFIUM_ITERATE, str(ws.input("blank-500-pdf"))]
    run = run_child(argv, ws.root / "baselines" / "pdfium", ws.env, DEFAULT_BOUND)
    parts = run.stdout.split()
    if run.exit != 0 or len(parts) != 3:
        return Baseline("pypdfium2 open+iterate 500 pages", None, run.peak_rss_mb, run.stderr.strip()[-200:])
    seconds, pages, characters = float(parts[0]), int(parts[1]), int(parts[2])
    note = f"{pages} pages, {characters} characters (in-process time; {run.seconds:.2f} s with interpreter)"
    return Baseline("pypdfium2 open+iterate 500 pages", seconds, run.peak_rss_mb, note)


def startup_baseline(ws: Workspace) -> Baseline:
    folder = ws.root / "baselines" / "tiny-plan"
    out = folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    argv = [*ws.command, "extract", str(ws.input("tiny-plan")), "-o", str(out)]
    runs = [run_child(argv, folder, ws.env, DEFAULT_BOUND) for _ in range(STARTUP_RUNS)]
    best = min(runs, key=lambda run: run.seconds)
    return Baseline(
        f"khplan extract 40-line text (fastest of {STARTUP_RUNS})",
        best.seconds,
        best.peak_rss_mb,
        "start-up floor",
    )


# ---------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    width = max(len(row.case) for row in rows)
    print(f"{'case':<{width}} {'exit':>7} {'expect':>6} {'time s':>7} {'RSS MB':>7} {'tree MB':>7}  verdict")
    for row in rows:
        expected = "/".join(map(str, row.expected))
        print(
            f"{row.case:<{width}} {shown_exit(row.exit):>7} {expected:>6} {row.seconds:>7.2f} "
            f"{row.peak_rss_mb:>7.1f} {row.tree_mb:>7.1f}  {row.verdict}"
        )
        print(f"{'':<{width}}   stderr: {row.stderr or '(empty)'}")
        if row.note:
            print(f"{'':<{width}}   {row.note}")


def print_baselines(baselines: list[Baseline], rows: list[Row]) -> None:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthe bench's own peak RSS: {own:.1f} MB (the floor of every RSS above: a child inherits it)")
    print("baselines (bare libraries, same inputs, same run):")
    for base in baselines:
        shown = f"{base.seconds:.3f}" if base.seconds is not None else "-"
        print(f"  {base.name:<50} {shown:>8} s {base.peak_rss_mb:>7.1f} MB  {base.note}")
    by_name = {row.case: row for row in rows}
    by_base = {base.name.split(" (")[0]: base for base in baselines}
    startup = next((b.seconds for b in baselines if b.name.startswith("khplan")), None)
    pairs = (
        ("blank-png", "tesseract blank-png"),
        ("noise-png", "tesseract noise-png"),
        ("pixels-100m-raised", "tesseract pixels-100m"),
        ("blank-500-pdf", "pypdfium2 open+iterate 500 pages"),
    )
    print("\nratios (khplan wall / bare library; and with khplan's start-up floor taken off):")
    for case, base_name in pairs:
        row, base = by_name.get(case), by_base.get(base_name)
        if row is None or base is None or not base.seconds:
            continue
        beyond = ""
        if startup:
            extra = row.seconds - startup
            beyond = (
                f", {extra / base.seconds:.2f}× beyond start-up"
                if extra > 0
                else f", within khplan's start-up ({extra:+.2f} s: load noise)"
            )
        print(
            f"  {case:<20} {row.seconds:.2f} s / {base.seconds:.3f} s = {row.seconds / base.seconds:.2f}×{beyond}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", help="run only the cases named (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the rows and baselines as JSON")
    parser.add_argument("--keep", type=Path, help="build and keep the inputs and outputs in this folder")
    parser.add_argument(
        "--skip-huge", action="store_true", help="skip the raised-limit OCR of the huge pages"
    )
    arguments = parser.parse_args()
    cases = [case for case in CASES if not arguments.only or case.name in arguments.only]
    if arguments.skip_huge:
        cases = [case for case in cases if not case.huge]
    if not cases:
        parser.error(f"no case named {arguments.only}; known: {', '.join(case.name for case in CASES)}")
    with contextlib.ExitStack() as stack:
        if arguments.keep:
            root = arguments.keep.resolve()
            root.mkdir(parents=True, exist_ok=True)
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="khplan-hostile-scans-")))
        ws = Workspace(root, khplan_command(), child_env(root))
        rows = []
        for case in cases:
            print(f"… {case.name}", file=sys.stderr, flush=True)
            rows.append(run_case(ws, case))
        print("… baselines", file=sys.stderr, flush=True)
        baselines = [startup_baseline(ws)]
        names = {case.key for case in cases}
        for key in ("blank-png", "noise-png"):
            baselines.append(tesseract_baseline(ws, key, 300, DEFAULT_BOUND))
        if not arguments.skip_huge and "pixels-100m" in names:
            baselines.append(tesseract_baseline(ws, "pixels-100m", 1200, HUGE_BOUND))
        baselines.append(pdfium_baseline(ws))
    if arguments.json:
        print(
            json.dumps(
                {"rows": [asdict(r) for r in rows], "baselines": [asdict(b) for b in baselines]}, indent=2
            )
        )
    else:
        print_table(rows)
        print_baselines(baselines, rows)
    return 1 if any(row.verdict != "ok" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
