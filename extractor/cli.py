"""`khplan VERB`: parse arguments, call the API, render. No extraction logic lives here.

Data goes to stdout, messages to stderr: one line each, file names shown escaped (``output.printable``).
Exit codes, the same for every verb: 0 success, 1 findings at or above --fail-on, 2 usage error, 3 an input
or an output failed; and as Unix tools do when stopped, 128 + the signal: 130 interrupted (Ctrl-C), 141 the
reader closed stdout (``khplan check … | head``), 143 terminated (SIGTERM), 129 hung up (SIGHUP).

Each result is written as soon as its document is done, through a temporary file and a rename; a failure to
write one is a line on stderr naming the path and exit 3, and what was written before stays.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeVar

from extractor import __version__
from extractor.output.printable import printable, shown

if TYPE_CHECKING:
    from rich.console import Console

    from extractor.evaluate import DocumentScore
    from extractor.options import ExtractOptions
    from extractor.output.files import AtomicFile
    from extractor.runner import Extraction
    from models import ExtractedDocument

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_FAILED = 3  # an input or an output failed
EXIT_INPUT_FAILED = EXIT_FAILED
EXIT_SIGNAL_BASE = 128  # the shell's status of a process stopped by signal N is 128 + N
EXIT_INTERRUPTED = EXIT_SIGNAL_BASE + signal.SIGINT
EXIT_BROKEN_PIPE = EXIT_SIGNAL_BASE + signal.SIGPIPE
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)

EXIT_CODES_HELP = """exit codes: 0 success, 1 findings at or above --fail-on, 2 usage error, 3 an input or an output failed;
  130 interrupted, 141 stdout closed early (| head), 143 terminated (SIGTERM)"""

MAIN_EPILOG = f"""examples:
  khplan extract plan.pdf                      JSON of one plan on stdout
  khplan extract corpus/seeds/* -o out/ --pretty   one JSON file per plan in out/
  khplan extract *.docx --jsonl > plans.jsonl  one JSON object per line
  khplan schema > extracted.schema.json        the JSON Schema of the output
  khplan check plan.pdf --fail-on error        the findings report; exit 1 on an arithmetic error

{EXIT_CODES_HELP}
"""


# What the writers write: an extraction (`khplan extract`) or a checked document (`khplan check`).
Result = TypeVar("Result")

OUTPUT_HELP = (
    "write results to OUT: a folder gets one FILE.json per input (several inputs need a folder); "
    "with --jsonl, one file of lines"
)


CHECK_EPILOG = """examples:
  khplan check plan.pdf                                  the report in the terminal
  khplan check plan.pdf --format html > plan.html        one self-contained HTML page
  khplan check corpus/seeds/*.txt --format html -o reports/   one FILE.html per plan in reports/
  khplan check *.pdf --csv findings.csv --fail-on error  findings of all plans for a spreadsheet;
                                                         exit 1 when any plan has an error

exit codes: 3 when any input or output failed (it wins: a check with a missing plan or an unwritten report is
incomplete), else 1 when a finding reaches --fail-on, else 0 (without --fail-on, findings never fail the run);
2 usage error; 130, 141, 143 when stopped by Ctrl-C, a closed pipe, SIGTERM
"""


def add_output_options(parser: argparse.ArgumentParser, output_help: str = OUTPUT_HELP) -> None:
    """The output flags every verb shares: -o, --jsonl, --pretty."""
    group = parser.add_argument_group("output")
    group.add_argument("-o", "--output", metavar="OUT", type=Path, help=output_help)
    group.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    group.add_argument("--pretty", action="store_true", help="indented JSON for reading")


# The brief of issue 11 named some limits differently; those names are kept as aliases of the flags that
# ``extractor.options.LIMITS`` gives (the ones the limit messages name).
LIMIT_ALIASES = {
    "max_file_size": "--max-file-bytes",
    "max_table_cells": "--max-cells",
    "max_characters": "--max-chars",
    "max_seconds": "--timeout",
}


class VerbParser(argparse.ArgumentParser):
    """A verb's parser that adds some of its options only when it parses or shows its help.

    The limit flags come from ``extractor.options``, which imports pydantic; deferring them keeps
    ``khplan --help`` and ``khplan --version`` as quick as a shell expects.
    """

    def __init__(self, *arguments: Any, **options: Any) -> None:
        super().__init__(*arguments, **options)
        self._deferred: list[Callable[[argparse.ArgumentParser], None]] = []

    def defer(self, add: Callable[[argparse.ArgumentParser], None]) -> None:
        self._deferred.append(add)

    def _complete(self) -> None:
        while self._deferred:
            self._deferred.pop(0)(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._complete()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self._complete()
        return super().format_help()


def add_extract_options(parser: argparse.ArgumentParser, files: bool = True) -> None:
    """The inputs and extraction flags of every verb that reads plans: FILE… (unless ``files`` is false: a
    verb with inputs of its own), --debug, OCR, --workers and the input limits."""
    if files:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    ocr = parser.add_argument_group("OCR (scanned PDFs and images: PNG, JPEG, TIFF)")
    ocr.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="which PDF pages to read by OCR: auto the scanned ones (no text layer, an image), always every "
        "page, never none (default: auto; images are always OCR'd)",
    )
    ocr.add_argument("--ocr-lang", default="vie", metavar="LANG", help="Tesseract languages (default: vie)")
    parser.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="processes to run side by side (documents in a batch, a scan's pages in OCR: one budget); "
        "default: the machine's cores",
    )
    if isinstance(parser, VerbParser):
        parser.defer(add_limit_options)
    else:
        add_limit_options(parser)


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """One flag per limit of ``extractor.options.LIMITS``: ``--max-inflated 64M`` sets ``max_inflated``."""
    from extractor import options

    limits = getattr(options, "LIMITS", ())
    if not limits:
        return
    group = parser.add_argument_group(
        "input limits",
        "past a limit the input fails with one line naming the flag (exit 3) and the other files go on; "
        "a flag wins over its environment variable, which wins over the default",
    )
    for limit in limits:
        names = [limit.flag] + [alias for field, alias in LIMIT_ALIASES.items() if field == limit.field]
        group.add_argument(
            *dict.fromkeys(names),
            dest=f"limit_{limit.field}",
            type=_limit_parser(limit.parse, limit.metavar),
            metavar=limit.metavar,
            help=f"{limit.help}; env {limit.env}",
        )


def _limit_parser(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    """``parse`` with its ``ValueError`` turned into argparse's message: "--max-pages: 'many' is not a number…"."""

    def read(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    read.__name__ = name
    return read


def _positive_int(text: str) -> int:
    """A count of at least 1 for argparse: "2" -> 2; "0" or "two" is a usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def extract_options(args: argparse.Namespace) -> ExtractOptions:
    """The ``ExtractOptions`` of the run: the limit flags given, the environment's ``KHPLAN_MAX_…`` for the
    others; an environment value that is not a limit is a ``UsageError``, found before any file is read."""
    from extractor import options

    prefix = "limit_"
    given = {
        name.removeprefix(prefix): value
        for name, value in vars(args).items()
        if name.startswith(prefix) and value is not None
    }
    if getattr(args, "workers", None) is not None:
        given["workers"] = args.workers
    given["ocr"] = getattr(args, "ocr", "auto")
    given["ocr_lang"] = getattr(args, "ocr_lang", "vie")
    try:
        return options.ExtractOptions(**given)
    except getattr(options, "LimitSettingError", ()) as error:
        raise UsageError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khplan",
        description="Extract structured data from Vietnamese local-government plans (Kế hoạch …/KH-UBND).",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"khplan {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=VerbParser)

    extract = verbs.add_parser(
        "extract",
        help="read plans (TXT, MD, DOCX, PDF, DOC/RTF/ODT) into JSON",
        description="Read each FILE and write its extraction as JSON (metadata, sections, text, blocks).",
        epilog=f"example:\n  khplan extract corpus/seeds/*.pdf -o out/ --pretty\n\n{EXIT_CODES_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_extract_options(extract)
    add_output_options(extract)
    extract.set_defaults(run=run_extract)

    check = verbs.add_parser(
        "check",
        help="check the arithmetic and form of plans: a report per plan, findings as CSV",
        description="Extract each FILE, check every number it states against the others (percents, sums, "
        "flows, money, dates, form) and report the findings: in the terminal, as one HTML page per plan, "
        "or as the JSON of `khplan extract` with its findings.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_extract_options(check)
    check.add_argument(
        "--format", choices=("text", "html", "json"), default="text", help="report format (default: text)"
    )
    check.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of labels and messages (default: vi)"
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when a finding of this severity or worse is found (default: never fail on findings)",
    )
    check.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write one row per finding of all FILEs to this CSV"
    )
    add_output_options(
        check,
        output_help="write reports to OUT: a folder gets one FILE.txt / FILE.html / FILE.json per input; "
        "one input may name the report file itself (several inputs need a folder)",
    )
    check.set_defaults(run=run_check)

    tables = verbs.add_parser(
        "tables",
        help="show the tables of plans, or write them as CSV for a spreadsheet",
        description="Find, rebuild and type every table of each FILE. Without --csv the tables are printed; "
        "--json prints them as JSON.",
        epilog="examples:\n  khplan tables plan.docx\n  khplan tables corpus/seeds/*.pdf --csv out/tables"
        f"\n\n{EXIT_CODES_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_extract_options(tables)
    tables.add_argument(
        "--csv", type=Path, metavar="DIR", help="write DIR/<file>.<table id>.csv, one per table"
    )
    tables.add_argument("--json", action="store_true", help="the tables as JSON (one list per file)")
    tables.set_defaults(run=run_tables)

    add_archive_verbs(verbs)
    add_comparison_verbs(verbs)
    add_serve_verb(verbs)

    schema = verbs.add_parser(
        "schema",
        help="print the JSON Schema of the output",
        description="Print the JSON Schema that every `khplan extract` result validates against.",
        epilog="example:\n  khplan schema > extracted.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.set_defaults(run=run_schema)

    evaluate = verbs.add_parser(
        "eval",
        help="precision, recall and F1 of the extraction against the gold files",
        description="Extract every document that has gold files under CORPUS/gold/<field>/ or "
        "CORPUS/expected/ (metadata of CORPUS/expected/*.json, the seeds' section trees there and their tables "
        "in CORPUS/expected/tables/) and score citations, targets, amounts, metadata, sections (numbering, "
        "heading, kinds), table cells and findings (precision, recall, F1).",
        epilog="examples:\n  khplan eval\n  khplan eval --corpus corpus/heldout --details\n"
        "  khplan eval --only header-number-blank-tan-phong --details\n  khplan eval --rendering scan300\n"
        "  khplan eval --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument(
        "--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)"
    )
    evaluate.add_argument(
        "--details",
        action="store_true",
        help="list missed and spurious items per document and field (for findings, the false errors)",
    )
    evaluate.add_argument(
        "--only",
        action="append",
        metavar="STEM",
        help="score only the document with this file stem (repeatable)",
    )
    evaluate.add_argument(
        "--rendering",
        metavar="NAME",
        help="read each document from this rendering: txt, docx, pdf, or a scan of corpus/scans/ "
        "(scan300, scan200, scan300-degraded, scan300.tif); documents without it are left out",
    )
    evaluate.add_argument("--json", action="store_true", help="scores as JSON on stdout")
    evaluate.set_defaults(run=run_eval)
    return parser


def warn(message: str) -> None:
    """One line on stderr, control characters escaped; a message that cannot be shown is dropped."""
    with suppress(OSError, ValueError):  # stderr closed: nothing else could be said either
        print(f"khplan: {printable(message)}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------- stopping


class Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the run is so that the result being written is removed on the way out.

    A BaseException, like KeyboardInterrupt: the ``except Exception`` that keeps one bad input from losing
    the batch must not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise ``Stopped`` in the main thread (once; a second one
    during the cleanup is ignored); the previous handlers come back after.

    A process forked inside the block (a worker) that gets the signal dies of it as usual, without
    running this process's cleanup.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()
    stopping = False

    def handler(signum: int, frame: object) -> None:
        nonlocal stopping
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if not stopping:
            stopping = True
            raise Stopped(signum)

    previous = {number: signal.signal(number, handler) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old if old is not None else signal.SIG_DFL)


class GuardedStdout:
    """sys.stdout, with a failure to write it (a full disk, an I/O error) raised as ``OutputError`` naming
    stdout; a closed pipe stays ``BrokenPipeError``, which ``main`` turns into a quiet exit 141."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._guard(self._stream.write, text)

    def flush(self) -> None:
        self._guard(self._stream.flush)

    def _guard(self, operation: Callable[..., Any], *arguments: Any) -> Any:
        try:
            return operation(*arguments)
        except BrokenPipeError:
            raise
        except OSError as error:
            from extractor.output.files import OutputError

            raise OutputError.from_os_error("stdout", "cannot write", error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Route stdout through ``GuardedStdout`` while the block runs."""
    original = sys.stdout
    sys.stdout = GuardedStdout(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = original


def _discard_stdout() -> None:
    """After a closed pipe or a full disk, point the real stdout at /dev/null, so that Python's final flush
    of what is still buffered neither fails nor prints "Exception ignored"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def console(**options: Any) -> Console:
    """A rich Console whose closed pipe raises ``BrokenPipeError`` (rich's own default exits with 1, which
    for khplan means findings)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError

    return PipeConsole(**options)


# ------------------------------------------------------------------------------------------------ inputs


def _extract_each(
    files: Sequence[Path], debug: bool, options: ExtractOptions
) -> Iterator[tuple[Path, Extraction | None]]:
    """Extract every file, reporting failures on stderr and going on with the others.

    Each document runs in the worker of a ``DocumentRunner``, which stops it past ``--max-seconds``; with
    ``--debug`` it runs in this process instead (no time limit), so that a bug shows its traceback here.
    """
    from extractor import runner as runners
    from extractor.errors import InputError
    from extractor.runner import WorkerFault

    runner_class = runners.InProcessRunner if debug else runners.DocumentRunner
    with runner_class(options) as runner:
        for path in _with_progress(files):
            try:
                extraction = runner.run(path)
            except InputError as error:
                warn(f"{shown(error.path)}: {error.reason}")
                yield path, None
                continue
            except WorkerFault as error:
                warn(f"{shown(path)}: internal error ({error}); rerun with --debug for details")
                yield path, None
                continue
            except Exception as error:  # a bug must not lose the rest of the batch
                if debug:
                    raise
                warn(f"{shown(path)}: internal error ({type(error).__name__}: {error}); rerun with --debug")
                yield path, None
                continue
            for failure in extraction.failures:
                warn(
                    f"{shown(path)}: {failure.stage} {failure.component} failed ({failure.error}); "
                    "the rest of the document was extracted"
                )
            yield path, extraction


def _documents(
    results: Iterator[tuple[Path, Extraction | None]],
) -> Iterator[tuple[Path, ExtractedDocument | None]]:
    """The extracted documents themselves, rebuilt from the worker's JSON, for the verbs that read them."""
    for path, extraction in results:
        yield path, extraction.document if extraction is not None else None


def _extraction_json(extraction: Extraction, pretty: bool) -> str:
    """The JSON ``khplan extract`` writes: the worker's own bytes, or re-indented with --pretty."""
    if pretty:
        return extraction.document.model_dump_json(indent=2)
    return extraction.text


def _with_progress(files: Sequence[Path]) -> Iterator[Path]:
    if len(files) < 2 or not sys.stderr.isatty():
        yield from files
        return
    from rich.markup import escape
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("extracting", total=len(files))
        for path in files:
            progress.update(task, description=escape(f"extracting {shown(path.name)}"))
            yield path
            progress.advance(task)


# ----------------------------------------------------------------------------------------------- outputs


class UsageError(Exception):
    """A command line that asks for something impossible, found before any work: exit 2."""


@dataclass(frozen=True)
class Destination:
    """Where a verb's per-document results go: stdout, one file, or a folder with one file per input."""

    kind: Literal["stdout", "file", "folder"]
    path: Path | None = None

    def describe(self) -> str:
        return "stdout" if self.path is None else shown(self.path)


def choose_destination(output: Path | None, inputs: int, one_file: bool = False) -> Destination:
    """How ``-o`` is read: no -o is stdout; an existing folder, several inputs, or a name without a suffix is
    a folder; else one file. ``one_file`` (--jsonl) makes -o a file whatever the count.

    ``choose_destination(Path("out"), 1)`` -> folder out/; ``choose_destination(Path("plan.json"), 1)`` ->
    file; an existing file with several inputs raises ``UsageError``: it cannot take one result per input.
    """
    if output is None:
        return Destination("stdout")
    if one_file:
        return Destination("file", output)
    if output.is_dir():
        return Destination("folder", output)
    if output.exists():
        if inputs > 1:
            raise UsageError(
                f"-o {shown(output)}: is a file, and {inputs} inputs write one result each: give a folder"
            )
        return Destination("file", output)
    if inputs > 1 or not output.suffix:
        return Destination("folder", output)
    return Destination("file", output)


def preflight(destination: Destination) -> None:
    """Before any extraction, refuse a destination that cannot be written (``OutputError``), and remove the
    temporary files killed runs left in its folder."""
    from extractor.cleanup import sweep_output_folder
    from extractor.output.files import check_file_writable, check_folder_writable, real_target

    if destination.path is None:
        return
    if destination.kind == "folder":
        check_folder_writable(destination.path)
        sweep_output_folder(destination.path)
    else:
        check_file_writable(destination.path)
        sweep_output_folder(real_target(destination.path).parent)


def _output_name(path: Path, suffix: str = "json") -> str:
    """ "plan.pdf" -> "plan.pdf.json": the suffix stays, so plan.txt and plan.pdf never collide."""
    return f"{path.name}.{suffix}"


@dataclass
class Outcome:
    """What a run's writing learned: whether everything was written, and how many results were."""

    ok: bool = True
    written: int = 0
    stopped: bool = False

    def failed(self, error: Exception) -> None:
        """Note an output failure: its line on stderr; a folder-wide one (full disk) stops the batch."""
        warn(str(error))
        self.ok = False
        if getattr(error, "folder_wide", False):
            self.stopped = True
            warn("stopping: no later result could be written there; results already written are kept")


class JoinedOutput:
    """Several results as one stream, each written as soon as its document is done: stdout (flushed after
    each) or one file (renamed into place once the last is in). ``array`` frames them as a JSON list
    ("[\n{…},\n{…}\n]"), else each is one line or block ending in a newline."""

    def __init__(self, destination: Destination, array: bool) -> None:
        self.destination = destination
        self.array = array
        self.count = 0
        self._file: AtomicFile | None = None

    def _write(self, text: str) -> None:
        if self.destination.path is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        if self._file is None:
            from extractor.output.files import AtomicFile

            self._file = AtomicFile(self.destination.path)
        self._file.write(text)

    def add(self, text: str) -> None:
        if self.array:
            self._write(("[\n" if self.count == 0 else ",\n") + text)
        else:
            self._write(text if text.endswith("\n") else text + "\n")
        self.count += 1

    def finish(self) -> None:
        if self.array and self.count:
            self._write("\n]\n")
        if self._file is not None:
            self._file.commit()
            self._file = None

    def discard(self) -> None:
        if self._file is not None:
            self._file.discard()
            self._file = None


def write_results(
    results: Iterator[tuple[Path, Result | None]],
    args: argparse.Namespace,
    render: Callable[[Result, bool], str],
) -> bool:
    """Write each result where the output options say, as soon as it is done; True when every input
    succeeded and every result was written."""
    destination: Destination = args.destination
    pretty = args.pretty and not args.jsonl
    if destination.kind == "folder":
        outcome = _write_each_in_folder(results, destination, lambda doc: render(doc, pretty), "json")
    else:
        outcome = Outcome()
        joined = JoinedOutput(destination, array=len(args.files) > 1 and not args.jsonl)
        try:
            outcome = _write_joined(results, joined, lambda doc: render(doc, pretty))
        finally:
            joined.discard()
    _say_written(outcome, destination)
    return outcome.ok


def _write_joined(
    results: Iterator[tuple[Path, Result | None]],
    joined: JoinedOutput,
    render: Callable[[Result], str],
) -> Outcome:
    from extractor.output.files import OutputError

    outcome = Outcome()
    try:
        for _path, document in results:
            if document is None:
                outcome.ok = False
                continue
            joined.add(render(document))
        joined.finish()
        outcome.written = joined.count
    except OutputError as error:
        if joined.destination.path is None:
            raise  # stdout: main says it once and stops
        outcome.failed(error)
    return outcome


def _write_each_in_folder(
    results: Iterator[tuple[Path, Result | None]],
    destination: Destination,
    render: Callable[[Result], str],
    suffix: str,
) -> Outcome:
    """One FILE.<suffix> per input in the destination folder, each renamed into place when it is done."""
    from extractor.output.files import OutputError, write_atomically

    assert destination.path is not None
    outcome = Outcome()
    for path, document in results:
        if document is None:
            outcome.ok = False
            continue
        target = destination.path / _output_name(path, suffix)
        try:
            write_atomically(target, render(document))
        except OutputError as error:
            outcome.failed(error)
            if outcome.stopped:
                break
            continue
        outcome.written += 1
    return outcome


def _say_written(outcome: Outcome, destination: Destination, what: str = "results") -> None:
    if destination.path is not None and outcome.written:
        warn(f"{what} written to {destination.describe()}")


def run_extract(args: argparse.Namespace) -> int:

    options = extract_options(args)
    args.destination = choose_destination(args.output, len(args.files), one_file=args.jsonl)
    preflight(args.destination)
    ok = write_results(_extract_each(args.files, args.debug, options), args, _extraction_json)
    return EXIT_OK if ok else EXIT_FAILED


@dataclass
class CheckTally:
    """What `khplan check` learned while writing reports: the worst severity met and the CSV rows."""

    worst: int = -1
    csv_rows: list[list[str]] = field(default_factory=list)


def _tally_findings(
    results: Iterator[tuple[Path, ExtractedDocument | None]], tally: CheckTally, args: argparse.Namespace
) -> Iterator[tuple[Path, ExtractedDocument | None]]:
    """Pass the results on unchanged, noting each document's worst finding and its CSV rows on the way."""
    from extractor.output.findings_csv import finding_rows
    from extractor.output.report_text import SEVERITY_RANK

    for path, document in results:
        if document is not None:
            for finding in document.findings:
                tally.worst = max(tally.worst, SEVERITY_RANK[finding.severity])
            if args.csv is not None:
                tally.csv_rows.extend(finding_rows(str(path), document, args.lang))
        yield path, document


def _write_reports(
    results: Iterator[tuple[Path, ExtractedDocument | None]], args: argparse.Namespace
) -> bool:
    """Text or HTML reports: to stdout, or one FILE.txt / FILE.html per input under -o; True when every
    input succeeded and every report was written."""
    from extractor.output.files import OutputError, write_atomically
    from extractor.output.report_html import html_report
    from extractor.output.report_text import print_text_report, text_report

    destination: Destination = args.destination

    def render(document: ExtractedDocument) -> str:
        return html_report(document, args.lang) if args.format == "html" else text_report(document, args.lang)

    if destination.kind == "folder":
        outcome = _write_each_in_folder(
            results, destination, render, "html" if args.format == "html" else "txt"
        )
        _say_written(outcome, destination, "reports")
        return outcome.ok
    terminal = None
    outcome = Outcome()
    for _path, document in results:
        if document is None:
            outcome.ok = False
        elif destination.path is not None:
            try:
                write_atomically(destination.path, render(document))
                outcome.written += 1
            except OutputError as error:
                outcome.failed(error)
        elif args.format == "text":
            terminal = terminal or console(highlight=False, emoji=False, markup=False)
            print_text_report(document, terminal, args.lang)
        else:
            sys.stdout.write(render(document))
            sys.stdout.flush()
    _say_written(outcome, destination, "reports")
    return outcome.ok


def run_check(args: argparse.Namespace) -> int:
    """`khplan check`: extract, report, tally; exit 3 if an input or output failed, else 1 if --fail-on is
    reached."""
    from extractor.output.files import check_file_writable
    from extractor.output.json import to_json
    from extractor.output.report_text import SEVERITY_RANK

    if args.format != "json" and (args.jsonl or args.pretty):
        warn("--jsonl and --pretty apply to --format json only")
        return EXIT_USAGE
    if args.format == "html" and args.output is None and len(args.files) > 1:
        warn("--format html writes one page per plan: give -o DIR for several files")
        return EXIT_USAGE
    options = extract_options(args)
    one_file = args.format == "json" and args.jsonl
    args.destination = choose_destination(args.output, len(args.files), one_file=one_file)
    preflight(args.destination)
    if args.csv is not None:
        check_file_writable(args.csv)
        sweep_output_folder_of(args.csv)
    tally = CheckTally()
    results = _tally_findings(_documents(_extract_each(args.files, args.debug, options)), tally, args)
    ok = write_results(results, args, to_json) if args.format == "json" else _write_reports(results, args)
    if args.csv is not None:
        ok = _write_findings_csv(args.csv, tally.csv_rows) and ok
    if not ok:
        return EXIT_FAILED
    if args.fail_on is not None and tally.worst >= SEVERITY_RANK[args.fail_on]:
        return EXIT_FINDINGS
    return EXIT_OK


def sweep_output_folder_of(path: Path) -> None:
    """Remove the temporary files killed runs left beside the output file ``path``."""
    from extractor.cleanup import sweep_output_folder
    from extractor.output.files import real_target

    sweep_output_folder(real_target(path).parent)


def _write_findings_csv(path: Path, rows: list[list[str]]) -> bool:
    from extractor.output.files import OutputError
    from extractor.output.findings_csv import write_findings_csv

    try:
        write_findings_csv(path, rows)
    except OutputError as error:
        warn(str(error))
        return False
    warn(f"{len(rows)} findings written to {shown(path)}")
    return True


def run_tables(args: argparse.Namespace) -> int:
    import json

    from extractor.output.csv import write_tables_csv
    from extractor.output.files import OutputError

    options = extract_options(args)
    if args.csv is not None:
        preflight(Destination("folder", args.csv))
    outcome = Outcome()
    for path, document in _documents(_extract_each(args.files, args.debug, options)):
        if document is None:
            outcome.ok = False
        elif args.csv is not None:
            try:
                for written in write_tables_csv(document.tables, args.csv, path.name):
                    warn(f"{shown(path)}: wrote {shown(written)}")
            except OutputError as error:
                outcome.failed(error)
                if outcome.stopped:
                    break
            if not document.tables:
                warn(f"{shown(path)}: no table found")
        elif args.json:
            tables = [table.model_dump(mode="json") for table in document.tables]
            print(json.dumps(tables, ensure_ascii=False), flush=True)
        else:
            _print_tables(path, document)
    return EXIT_OK if outcome.ok else EXIT_FAILED


def _print_tables(path: Path, document: ExtractedDocument) -> None:
    """Each table with short column heads (c1, c2 …) and, under it, the full header path of each column.

    Plan text is never read as rich markup: a cell "[/b]" is shown as written, not taken for a tag.
    """
    from rich.table import Table as RichTable
    from rich.text import Text

    screen = console(markup=False)
    if not document.tables:
        screen.print(f"{shown(path)}: no table found")
    for table in document.tables:
        title = Text(f"{shown(path.name)} · {table.id} · {table.caption or ''}")
        shown_table = RichTable(title=title, title_justify="left")
        for column in table.columns:
            justify = "left" if column.role in ("label", "other") else "right"
            shown_table.add_column(f"c{column.index}", justify=justify, no_wrap=column.role != "label")
        for row in table.rows:
            cells = {cell.column: cell.raw for cell in row.cells}
            values = (Text(cells.get(column.index, "")) for column in table.columns)
            shown_table.add_row(*values, style="bold" if row.kind != "unit" else None)
        screen.print(shown_table)
        for column in table.columns:
            role = f"  [{column.role}]" if column.role not in ("other", "count", "percent") else ""
            screen.print(f"  c{column.index} = {' / '.join(column.path)}{role}", highlight=False)


def run_schema(args: argparse.Namespace) -> int:
    from extractor.output.schema import schema_json

    sys.stdout.write(schema_json())
    return EXIT_OK


def run_eval(args: argparse.Namespace) -> int:
    """`khplan eval`: score the corpus's gold documents; a table (or JSON rows) of precision, recall, F1."""
    import json

    from extractor import extract_document
    from extractor.evaluate import evaluate, summary_rows

    if not (args.corpus / "gold").is_dir():
        warn(f"{args.corpus}: no gold/ folder to evaluate against")
        return EXIT_USAGE
    results = evaluate(args.corpus, extract_document, only=args.only, rendering=args.rendering)
    unknown = sorted(set(args.only or ()) - {result.document for result in results})
    if unknown:
        warn(f"{args.corpus}: no gold file for {', '.join(unknown)}")
        return EXIT_USAGE
    rows = summary_rows(results)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.table import Table

    table = Table(
        title=f"khplan eval over {args.corpus}",
        caption="correct: gold items found; right: predictions that are right\n"
        "precision = right / predicted, recall = correct / gold",
    )
    for column in ("field", "docs", "gold", "predicted", "correct", "right", "precision", "recall", "f1"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for row in rows:
        counts = [str(row[key]) for key in ("documents", "gold", "predicted", "correct", "correct_predicted")]
        ratios = [f"{row[key]:.3f}" for key in ("precision", "recall", "f1")]
        table.add_row(row["field"], *counts, *ratios)
    # A pipe gets 80 columns from rich, too few for nine; a terminal keeps its own width.
    screen = console() if sys.stdout.isatty() else console(width=100)
    screen.print(table)
    if args.details:
        _print_eval_details(screen, results)
    return EXIT_OK


def _print_eval_details(screen: Console, results: list[DocumentScore]) -> None:
    """One line per missed gold item and per wrong prediction (a false error, for findings)."""
    width = max((len(result.document) for result in results), default=0)
    for result in results:
        wrong = "false error" if result.score.field == "findings" else "spurious"
        for label, keys in (("missed", result.missed), (wrong, result.spurious)):
            for key in keys:
                line = f"{result.score.field:10} {result.document:{width}} {label:11} {key}"
                screen.print(line, markup=False, highlight=False, soft_wrap=True)


# ------------------------------------------------------------------------------------------------ archive

DEFAULT_ARCHIVE = Path(os.environ.get("KHPLAN_ARCHIVE", "khplan.db"))

BATCH_EPILOG = f"""examples:
  khplan batch incoming/ --db plans.db              every plan under incoming/, into plans.db
  khplan batch incoming/ --db plans.db --workers 2  two documents side by side
  khplan batch incoming/ --db plans.db --force      re-extract files already archived
  khplan batch scans/ --db plans.db --jsonl new.jsonl   also the extractions of this run, one per line

A file archived with the same SHA-256 under the same extractor version is skipped; a run stopped by Ctrl-C
or killed keeps every document it finished, and the next run goes on from there.

{EXIT_CODES_HELP}
"""


def add_archive_options(parser: argparse.ArgumentParser, json_help: str) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_ARCHIVE,
        metavar="ARCHIVE",
        help=f"the archive file (default: $KHPLAN_ARCHIVE or {DEFAULT_ARCHIVE})",
    )
    parser.add_argument("--json", action="store_true", help=json_help)


def add_search_filters(parser: argparse.ArgumentParser) -> None:
    from extractor.archive.search import KINDS, LEVELS

    group = parser.add_argument_group("filters")
    group.add_argument("--issuer", metavar="TEXT", help="issuing body contains TEXT (diacritics optional)")
    group.add_argument("--level", choices=LEVELS, help="administrative level of the issuer")
    group.add_argument("--year", type=int, metavar="YYYY", help="the plan's year")
    group.add_argument("--indicator", metavar="KEY", help="targets of this indicator (e.g. poverty_rate)")
    group.add_argument("--kind", choices=KINDS, help="only this kind of item")
    group.add_argument("--has-errors", action="store_true", default=None, help="only plans with an error")
    group.add_argument("--limit", type=_positive_int, metavar="N", help="at most N results")


def add_archive_verbs(verbs: Any) -> None:
    """batch, search, show, cite, export: the verbs of the archive of plans."""
    batch = verbs.add_parser(
        "batch",
        help="extract and check every plan under folders into an archive, resumably",
        description="Extract and check every supported file under each PATH (recursively) in worker "
        "processes, and store each in the archive: metadata, sections, citations, targets, assignments, "
        "amounts, tables, findings, the extraction JSON and the source file.",
        epilog=BATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    batch.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_extract_options(batch, files=False)
    add_archive_options(batch, "the run's summary as JSON on stdout")
    batch.add_argument("--force", action="store_true", help="re-extract files already archived")
    batch.add_argument("--jsonl", type=Path, metavar="OUT", help="also write this run's extractions to OUT")
    batch.set_defaults(run=run_batch_verb)

    search = verbs.add_parser(
        "search",
        help="search the archive: targets, assignments, citations, sections, findings",
        description='Full-text search of the archive (diacritics optional: "ho ngheo" finds "hộ nghèo"), '
        "best matches first: a phrase above its words apart, a target's indicator above a passing mention.",
        epilog='examples:\n  khplan search "hộ nghèo" --db plans.db\n'
        '  khplan search "dao tao nghe" --kind target --year 2024\n'
        '  khplan search "bảo hiểm y tế" --level commune --has-errors --json\n\n'
        "no hit is exit 0 with a line on stderr",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("query", metavar="QUERY")
    add_archive_options(search, "the hits as a JSON list")
    _defer(search, add_search_filters)
    search.set_defaults(run=run_search)

    show = verbs.add_parser(
        "show",
        help="one archived plan: its summary and findings",
        description="Print one archived document, named by its id, a SHA-256 prefix or a path.",
        epilog="examples:\n  khplan show 12 --db plans.db\n  khplan show 18cf555f\n  khplan show incoming/plan.pdf --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("document", metavar="DOC")
    add_archive_options(show, "the summary as JSON")
    show.set_defaults(run=run_show)

    cite = verbs.add_parser(
        "cite",
        help="every archived plan citing a document, with the date each gives it",
        description='List the plans citing SYMBOL (spaces and dash styles tolerated: "86/2015/NĐ-CP", '
        '"86/2015/ND - CP"), with the date each gives it; plans that disagree on the date are flagged.',
        epilog="examples:\n  khplan cite 86/2015/NĐ-CP --db plans.db\n  khplan cite 07/2021/ND-CP --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cite.add_argument("symbol", metavar="SYMBOL")
    add_archive_options(cite, "the citing plans as JSON")
    cite.set_defaults(run=run_cite)

    export = verbs.add_parser(
        "export",
        help="export targets, findings, citations, assignments or table cells as CSV or XLSX",
        description="Write one row per item of the archive (per cell for tables), document columns first, "
        "Vietnamese headers; XLSX with a frozen header, filters, numbers as numbers and dates as dates.",
        epilog="examples:\n  khplan export --db plans.db --what targets --format xlsx -o chi-tieu.xlsx\n"
        "  khplan export --what findings --format csv -o loi.csv --has-errors --year 2024",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the file to write")
    add_archive_options(export, "print the count of rows written as JSON")
    _defer(export, add_export_choices)
    _defer(export, add_search_filters)
    export.set_defaults(run=run_export)


def add_comparison_verbs(verbs: Any) -> None:
    """compare (a plan against result documents) and track (every archived plan against the archive)."""
    formats = ("text", "csv", "xlsx", "json", "html")
    compare = verbs.add_parser(
        "compare",
        help="hold a plan's targets against the results later documents report",
        description="Extract PLAN and each RESULT_DOC (results reports, the next year's plan), match every "
        "target of PLAN with the results of the same unit, indicator, scope, period and basis, and give its "
        "status: met, not met, partly met, not yet due, no result, not comparable.",
        epilog="examples:\n  khplan compare plan-2021.pdf bao-cao-2021.docx\n"
        "  khplan compare plan.txt report.txt --format xlsx -o chi-tieu.xlsx\n"
        "  khplan compare plan.txt report.txt --format json\n\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("plan", type=Path, metavar="PLAN")
    compare.add_argument("files", nargs="+", type=Path, metavar="RESULT_DOC")
    add_extract_options(compare, files=False)
    compare.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    compare.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (needed for xlsx)")
    compare.set_defaults(run=run_compare)

    track = verbs.add_parser(
        "track",
        help="every archived plan's targets against the results archived after it",
        description="For every current plan of the archive, its targets against the results of the other "
        "archived documents of the same unit (computed from the archive as it is now: a report added by "
        "`khplan batch` changes the statuses at once).",
        epilog="examples:\n  khplan track --db plans.db\n  khplan track --db plans.db --status not_met "
        "--year 2021 --format xlsx -o chua-dat.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_archive_options(track, "the comparisons as a JSON list (same as --format json)")
    track.add_argument("--issuer", metavar="TEXT", help="plans whose issuing body contains TEXT")
    track.add_argument("--year", type=int, metavar="YYYY", help="plans of this year")
    track.add_argument(
        "--status",
        choices=("met", "not_met", "partly_met", "not_yet_due", "no_result", "not_comparable"),
        help="only targets with this status",
    )
    track.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    track.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (needed for xlsx)")
    track.set_defaults(run=run_track)


def run_compare(args: argparse.Namespace) -> int:
    """`khplan compare PLAN RESULT_DOC…`: the plan's targets and their statuses; exit 3 when a file failed."""
    from extractor.compare import compare_targets

    files = [args.plan, *args.files]
    documents = dict(_documents(_extract_each(files, args.debug, extract_options(args))))
    plan = documents.get(args.plan)
    if plan is None:
        return EXIT_FAILED
    evidence = [document for path, document in documents.items() if path != args.plan and document]
    comparisons = compare_targets(plan, evidence)
    _render_comparisons(comparisons, args.format, args.output, f"{shown(args.plan)}", [plan, *evidence])
    return EXIT_FAILED if any(document is None for document in documents.values()) else EXIT_OK


def run_track(args: argparse.Namespace) -> int:
    """`khplan track`: every current archived plan against the archive's other documents (stored statuses)."""
    from extractor.track import bring_up_to_date, track_archive

    fmt = "json" if args.json else args.format
    with _open_archive(args.db) as archive:
        if not archive.statuses_fresh():
            warn("checking the target statuses against what was stored since the last check")
            computed = bring_up_to_date(archive)
            if computed:
                warn(f"statuses of {computed} plans computed and stored")
        comparisons = track_archive(archive, args.issuer, args.year, args.status)
        documents = _compared_documents(archive, comparisons) if fmt == "html" else []
    _render_comparisons(comparisons, fmt, args.output, "khplan track", documents)
    return EXIT_OK


def _compared_documents(archive: Any, comparisons: list[Any]) -> list[Any]:
    """The archived extractions of the plans and reports ``comparisons`` name, for the HTML page's texts."""
    wanted = {item.plan.sha256 for item in comparisons}
    wanted |= {result.document.sha256 for item in comparisons for result in item.results}
    rows = [row for row in archive.documents() if row.is_current and row.sha256 in wanted]
    return [archive.extraction(row.id) for row in rows]


def _render_comparisons(
    comparisons: list[Any], fmt: str, output: Path | None, title: str, documents: list[Any]
) -> None:
    from extractor.output.comparison import STATUS_NAMES, comparisons_json, status_totals, write_comparisons

    if output is not None:
        write_comparisons(comparisons, output, "json" if fmt == "text" else fmt, title, documents)
        warn(f"{shown(output)}: {len(comparisons)} targets")
    elif fmt == "xlsx":
        raise UsageError("--format xlsx needs -o FILE")
    elif fmt == "json":
        sys.stdout.write(comparisons_json(comparisons))
    elif fmt in ("csv", "html"):
        from extractor.output.comparison import comparisons_csv, comparisons_html

        sys.stdout.write(
            comparisons_csv(comparisons) if fmt == "csv" else comparisons_html(comparisons, title, documents)
        )
    else:
        _print_comparison_table(comparisons, title)
    totals = status_totals(comparisons)
    warn(", ".join(f"{STATUS_NAMES[status]} {count}" for status, count in totals.items()))


def _print_comparison_table(comparisons: list[Any], title: str) -> None:
    from rich.table import Table

    from extractor.output.comparison import STATUS_NAMES

    table = Table(title=title)
    for header in ("chỉ tiêu", "đánh giá", "kết quả", "chênh lệch"):
        table.add_column(header)
    for item in comparisons:
        target = item.target
        result = item.results[0] if item.results else None
        shown_result = (
            f"{result.value if result.value is not None else ''} {result.unit or ''} ({result.period or '?'})"
            if result
            else ""
        )
        table.add_row(
            target.mentions[0].raw if target.mentions else (target.raw or ""),
            STATUS_NAMES.get(item.status, item.status),
            shown_result.strip(),
            "" if item.gap is None else f"{item.gap:g}",
        )
    console(file=sys.stdout).print(table)


def _defer(parser: argparse.ArgumentParser, add: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add options that need the archive's modules (SQLAlchemy, pydantic) only when the verb is used, so that
    ``khplan --help`` stays quick."""
    if isinstance(parser, VerbParser):
        parser.defer(add)
    else:
        add(parser)


def add_export_choices(parser: argparse.ArgumentParser) -> None:
    from extractor.archive.export import FORMATS, WHATS

    parser.add_argument("--what", choices=WHATS, required=True, help="what to export")
    parser.add_argument("--format", choices=FORMATS, default=None, help="csv or xlsx (default: from -o)")


def _open_archive(path: Path, create: bool = False) -> Any:
    """The archive at ``path``; a verb that reads one never creates it: a missing file is a usage error."""
    from extractor.archive import Archive, ArchiveError

    if not create and not path.exists():
        raise UsageError(f"{shown(path)}: no archive there (khplan batch PATH --db {shown(path)} makes one)")
    try:
        return Archive.open(path)
    except ArchiveError as error:
        raise UsageError(f"{shown(path)}: {error}") from None
    except Exception as error:  # not SQLite, locked, unreadable
        raise UsageError(
            f"{shown(path)}: cannot open the archive ({type(error).__name__}: {error})"
        ) from None


def _filters(args: argparse.Namespace) -> Any:
    from extractor.archive.search import SearchFilters

    return SearchFilters(
        issuer=args.issuer,
        level=args.level,
        year=args.year,
        indicator=args.indicator,
        kind=args.kind,
        has_errors=args.has_errors,
        limit=args.limit,
    )


def _print_json(value: Any) -> None:
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def run_batch_verb(args: argparse.Namespace) -> int:
    """`khplan batch`: every plan under the paths into the archive; exit 3 when any input failed."""
    from extractor.batch import BatchOptions, run_batch

    for path in args.paths:
        if not path.exists():
            raise UsageError(f"{shown(path)}: no such file or folder")
    options = BatchOptions(workers=args.workers, force=args.force, extract=extract_options(args))
    with _open_archive(args.db, create=True) as archive, _batch_progress() as progress:
        summary = run_batch(args.paths, archive, options, progress=progress)
        if args.jsonl is not None:
            _write_batch_jsonl(archive, summary, args.jsonl)
    _print_batch_summary(summary, args.json)
    return EXIT_FAILED if summary.failed else EXIT_OK


def _write_batch_jsonl(archive: Any, summary: Any, path: Path) -> None:
    """The extraction JSON of every document this run stored, one per line, written atomically."""
    from extractor.output.files import AtomicFile

    with AtomicFile(path) as handle:
        for document_id in summary.stored_ids:
            handle.write(archive.extraction(document_id).model_dump_json() + "\n")


@contextmanager
def _batch_progress() -> Iterator[Callable[[Any, Any], None]]:
    """The batch's progress: a bar (files done / total, current file, failures, ETA) on a terminal, one
    line per file otherwise; each failure is a line on stderr either way."""
    if not sys.stderr.isatty():

        def plain(result: Any, state: Any) -> None:
            if result.outcome == "failed":
                warn(f"{shown(result.path)}: {result.reason}")
            else:
                warn(f"[{state.done}/{state.total}] {result.outcome} {shown(result.path)}")

        yield plain
        return
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("batch", total=None)

        def update(result: Any, state: Any) -> None:
            if result.outcome == "failed":
                bar.console.print(escape(f"khplan: {shown(result.path)}: {result.reason}"), highlight=False)
            name = escape(shown(result.path.name))
            bar.update(
                task, total=state.total, completed=state.done, description=f"{name} · {state.failures} failed"
            )

        yield update


def _print_batch_summary(summary: Any, as_json: bool) -> None:
    if summary.statuses_error:
        warn(f"target statuses not updated ({summary.statuses_error}); khplan track will compute them")
    findings = {severity: summary.findings.get(severity, 0) for severity in ("error", "warning", "info")}
    rows = {
        "files": summary.files,
        "stored": summary.stored,
        "skipped": summary.skipped,
        "duplicates": summary.duplicates,
        "failed": summary.failed,
        "pages": summary.pages,
        "ocr_pages": summary.ocr_pages,
        "citations": summary.citations,
        "targets": summary.targets,
        "plans_tracked": summary.plans_tracked,
        **{f"findings_{severity}": count for severity, count in findings.items()},
        "seconds": round(summary.seconds, 1),
    }
    if as_json:
        _print_json(
            {**rows, "failures": [{"path": str(f.path), "reason": f.reason} for f in summary.failures]}
        )
        return
    from rich.table import Table

    table = Table(title="khplan batch", show_header=False)
    for name, value in rows.items():
        table.add_row(name.replace("_", " "), str(value))
    console(file=sys.stderr).print(table)


def run_search(args: argparse.Namespace) -> int:
    """`khplan search`: the archive's best matches; no hit is exit 0 with a line on stderr."""
    with _open_archive(args.db) as archive:
        try:
            hits = archive.search(args.query, _filters(args))
        except ValueError as error:
            raise UsageError(str(error)) from None
    if not hits:
        warn(f"no match for {args.query!r}")
    if args.json:
        _print_json([hit.to_json() for hit in hits])
        return EXIT_OK
    from rich.markup import escape

    screen = console(file=sys.stdout)
    for hit in hits:
        document = hit.document
        screen.print(f"[bold]{escape(_document_head(document))}[/bold]  {escape(hit.kind)}")
        if hit.section:
            screen.print(f"  {escape(hit.section)}", highlight=False)
        screen.print(
            "  "
            + escape(hit.marked("\x00", "\x01")).replace("\x00", "[reverse]").replace("\x01", "[/reverse]"),
            highlight=False,
        )
        if hit.kind == "target" and (hit.value is not None or hit.deadline):
            facts = [
                f"{hit.direction or ''} {hit.value if hit.value is not None else ''}{hit.unit or ''}".strip(),
                f"hạn {hit.deadline}" if hit.deadline else "",
            ]
            screen.print("  → " + escape(", ".join(fact for fact in facts if fact)), highlight=False)
    return EXIT_OK


def _document_head(document: Any) -> str:
    """How an archived document is named in a listing: "UBND xã Cao Nhân · 15/KH-UBND · 2024-02-22", or its
    path when the header gave none of them."""
    head = " · ".join(part for part in (document.issuer, document.number, document.date) if part)
    return head or shown(document.path or "?")


def run_show(args: argparse.Namespace) -> int:
    """`khplan show DOC`: one archived document's summary and findings."""
    with _open_archive(args.db) as archive:
        stored = archive.resolve(args.document)
        if stored is None:
            raise UsageError(f"{args.document}: no archived document with that id, SHA-256 prefix or path")
        summary = archive.summary(stored.id)
    if args.json:
        _print_json(summary.to_json())
        return EXIT_OK
    from rich.markup import escape

    document, screen = summary.document, console(file=sys.stdout)
    screen.print(f"[bold]{escape(document.title or document.path or '?')}[/bold]")
    for label, value in (
        ("cơ quan", document.issuer),
        ("số", document.number),
        ("ngày", document.date),
        ("tệp", document.path),
        ("trạng thái", document.error or document.status),
    ):
        if value:
            screen.print(f"  {label}: {escape(str(value))}", highlight=False)
    for heading in summary.sections:
        screen.print(f"  § {escape(heading)}", highlight=False)
    for finding in summary.findings:
        screen.print(f"  [{finding.severity}] {escape(finding.message_vi)}", highlight=False, markup=False)
    return EXIT_OK


def run_cite(args: argparse.Namespace) -> int:
    """`khplan cite SYMBOL`: the plans citing it and the dates they give it, disagreements flagged."""
    with _open_archive(args.db) as archive:
        result = archive.cite(args.symbol)
    if not result.plans:
        warn(f"no archived plan cites {args.symbol}")
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    from rich.markup import escape

    screen = console(file=sys.stdout)
    for plan in result.plans:
        dates = ", ".join(plan.dates) or "không ghi ngày"
        screen.print(
            f"{escape(_document_head(plan.document))}: {escape(plan.symbol)} ngày {escape(dates)}",
            highlight=False,
        )
    if result.dates_disagree:
        warn(f"{args.symbol}: the plans give it different dates: {', '.join(result.dates)}")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """`khplan export`: one row per item of the archive, as CSV or XLSX."""
    from extractor.archive import export

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise UsageError(f"-o {shown(args.output)}: give --format csv or xlsx (or a .csv / .xlsx name)")
    with _open_archive(args.db) as archive:
        try:
            rows = export(archive, args.what, fmt, args.output, _filters(args))
        except ValueError as error:
            raise UsageError(str(error)) from None
    if args.json:
        _print_json({"rows": rows, "path": str(args.output)})
    else:
        warn(f"{shown(args.output)}: {rows} rows")
    return EXIT_OK


# -------------------------------------------------------------------------------------------------- serve

SERVE_EPILOG = """examples:
  khplan serve --db plans.db                          http://127.0.0.1:8000, this machine only
  khplan serve --db plans.db --read-only --port 8080  no uploads
  khplan serve --auth users.txt --add-user thanh      add a user (the password is asked for), then exit
  khplan serve --db plans.db --host 0.0.0.0 --auth users.txt   the team's server: sign-in required

Another address than this machine's own (127.0.0.1, ::1, localhost) needs --auth. The users file holds one
line per user, name:scrypt:N:r:p:salt:hash; a restart signs everyone out.
"""


def add_serve_verb(verbs: Any) -> None:
    """serve: the archive as a web application (extractor.web), run by uvicorn."""
    serve = verbs.add_parser(
        "serve",
        help="the archive in a browser: search, each plan with its findings, targets, upload",
        description="Serve the archive as web pages and JSON (/api/…): search with filters, each plan with "
        "its highlighted text, tables and findings (PDF pages with each finding's box), the plans citing a "
        "document, every target against the reported results, and an upload form that archives files.",
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_ARCHIVE,
        metavar="ARCHIVE",
        help=f"the archive file (default: $KHPLAN_ARCHIVE or {DEFAULT_ARCHIVE})",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_positive_int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--read-only", action="store_true", help="no uploads: the archive is only read")
    serve.add_argument(
        "--auth", type=Path, metavar="USERS_FILE", help="require sign-in by the users of USERS_FILE"
    )
    serve.add_argument(
        "--add-user", metavar="NAME", help="add NAME to --auth USERS_FILE (password asked for) and exit"
    )
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """`khplan serve`: the web application on --host:--port until Ctrl-C."""
    from extractor.web.settings import is_loopback

    if args.add_user is not None:
        return _add_user(args)
    if not is_loopback(args.host) and args.auth is None:
        raise UsageError(
            f"--host {args.host} is reachable from other machines: give --auth USERS_FILE "
            "(khplan serve --auth users.txt --add-user NAME makes one)"
        )
    if args.auth is not None and not args.auth.is_file():
        raise UsageError(f"--auth {shown(args.auth)}: no such users file (--add-user NAME makes one)")
    import uvicorn

    from extractor.web.app import create_app
    from extractor.web.auth import UsersFileError
    from extractor.web.settings import WebSettings

    settings = WebSettings(db=args.db, read_only=args.read_only, users_file=args.auth)
    with _open_archive(args.db) as archive:
        try:
            app = create_app(settings, archive)
        except UsersFileError as error:
            raise UsageError(str(error)) from None
        warn(f"serving {shown(args.db)} on http://{args.host}:{args.port}/ (Ctrl-C stops)")
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return EXIT_OK


def _add_user(args: argparse.Namespace) -> int:
    """`khplan serve --auth FILE --add-user NAME`: the password from the terminal (twice) or stdin's first line."""
    import getpass

    from extractor.web.auth import UsersFileError, add_user

    if args.auth is None:
        raise UsageError("--add-user needs --auth USERS_FILE")
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.add_user}: ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        add_user(args.auth, args.add_user, password)
    except (ValueError, UsersFileError) as error:
        raise UsageError(str(error)) from None
    warn(f"{shown(args.auth)}: user {args.add_user} added")
    return EXIT_OK


# Verbs that read plans, and so may meet the LibreOffice work folders a killed run left behind.
EXTRACTING_VERBS = frozenset({"extract", "check", "tables", "eval", "batch", "compare"})


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    with stop_on_signals(), guarded_stdout():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the verb; every way it can end becomes an exit code and at most a line on stderr."""
    from extractor.output.files import OutputError

    try:
        if args.verb in EXTRACTING_VERBS:
            from extractor.cleanup import sweep_office_work_folders

            sweep_office_work_folders()
        code = args.run(args)
        sys.stdout.flush()
        return code
    except UsageError as error:
        warn(str(error))
        return EXIT_USAGE
    except OutputError as error:
        warn(str(error))
        if error.path == "stdout":
            _discard_stdout()
        return EXIT_FAILED
    except BrokenPipeError:  # `khplan check … | head`: the reader has what it wanted; no traceback
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        warn("interrupted; results already written are kept")
        return EXIT_INTERRUPTED
    except Stopped as stop:
        warn(f"stopped by {signal.Signals(stop.signum).name}; results already written are kept")
        return EXIT_SIGNAL_BASE + stop.signum


if __name__ == "__main__":
    sys.exit(main())
