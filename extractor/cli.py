"""`khplan VERB`: parse arguments, call the API, render. No extraction logic lives here.

Data goes to stdout, messages to stderr. Exit codes, the same for every verb:
0 success, 1 findings at or above --fail-on, 2 usage error, 3 one or more inputs failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extractor import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from extractor.evaluate import DocumentScore
    from models import ExtractedDocument

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INPUT_FAILED = 3

MAIN_EPILOG = """examples:
  khplan extract plan.pdf                      JSON of one plan on stdout
  khplan extract corpus/seeds/* -o out/ --pretty   one JSON file per plan in out/
  khplan extract *.docx --jsonl > plans.jsonl  one JSON object per line
  khplan schema > extracted.schema.json        the JSON Schema of the output
  khplan check plan.pdf --fail-on error        the findings report; exit 1 on an arithmetic error

exit codes: 0 success, 1 findings at or above --fail-on, 2 usage error, 3 an input failed
"""


OUTPUT_HELP = (
    "write results to OUT: a directory gets one FILE.json per input; with --jsonl, one file of lines"
)


CHECK_EPILOG = """examples:
  khplan check plan.pdf                                  the report in the terminal
  khplan check plan.pdf --format html > plan.html        one self-contained HTML page
  khplan check corpus/seeds/*.txt --format html -o reports/   one FILE.html per plan in reports/
  khplan check *.pdf --csv findings.csv --fail-on error  findings of all plans for a spreadsheet;
                                                         exit 1 when any plan has an error

exit codes: 3 when any input failed (it wins: a check with a missing plan is incomplete), else 1 when a
finding reaches --fail-on, else 0 (without --fail-on, findings never fail the run); 2 usage error
"""


def add_output_options(parser: argparse.ArgumentParser, output_help: str = OUTPUT_HELP) -> None:
    """The output flags every verb shares: -o, --jsonl, --pretty."""
    group = parser.add_argument_group("output")
    group.add_argument("-o", "--output", metavar="OUT", type=Path, help=output_help)
    group.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    group.add_argument("--pretty", action="store_true", help="indented JSON for reading")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khplan",
        description="Extract structured data from Vietnamese local-government plans (Kế hoạch …/KH-UBND).",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"khplan {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    extract = verbs.add_parser(
        "extract",
        help="read plans (TXT, MD, DOCX, PDF, DOC/RTF/ODT) into JSON",
        description="Read each FILE and write its extraction as JSON (metadata, sections, text, blocks).",
        epilog="example:\n  khplan extract corpus/seeds/*.pdf -o out/ --pretty",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
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
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
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
    check.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    add_output_options(
        check,
        output_help="write reports to OUT: a directory gets one FILE.txt / FILE.html / FILE.json per input; "
        "one input may name the report file itself",
    )
    check.set_defaults(run=run_check)

    tables = verbs.add_parser(
        "tables",
        help="show the tables of plans, or write them as CSV for a spreadsheet",
        description="Find, rebuild and type every table of each FILE. Without --csv the tables are printed; "
        "--json prints them as JSON.",
        epilog="examples:\n  khplan tables plan.docx\n  khplan tables corpus/seeds/*.pdf --csv out/tables",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tables.add_argument("files", nargs="+", type=Path, metavar="FILE")
    tables.add_argument(
        "--csv", type=Path, metavar="DIR", help="write DIR/<file>.<table id>.csv, one per table"
    )
    tables.add_argument("--json", action="store_true", help="the tables as JSON (one list per file)")
    tables.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    tables.set_defaults(run=run_tables)

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
        description="Extract every document that has gold files under CORPUS/gold/<field>/ (and, for metadata, "
        "CORPUS/expected/header-*.json) and score citations, targets, amounts, metadata and findings "
        "(precision, recall, F1).",
        epilog="examples:\n  khplan eval\n  khplan eval --corpus corpus/heldout --details\n"
        "  khplan eval --only header-number-blank-tan-phong --details\n  khplan eval --json",
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
    evaluate.add_argument("--json", action="store_true", help="scores as JSON on stdout")
    evaluate.set_defaults(run=run_eval)
    return parser


def warn(message: str) -> None:
    print(f"khplan: {message}", file=sys.stderr)


def _extract_each(files: Sequence[Path], debug: bool) -> Iterator[tuple[Path, ExtractedDocument | None]]:
    """Extract every file, reporting failures on stderr and going on with the others."""
    from extractor import extract_document
    from extractor.errors import InputError

    for path in _with_progress(files):
        try:
            yield path, extract_document(path)
        except InputError as error:
            warn(str(error))
            yield path, None
        except Exception as error:  # a bug must not lose the rest of the batch
            if debug:
                raise
            warn(f"{path}: internal error ({type(error).__name__}: {error}); rerun with --debug for details")
            yield path, None


def _with_progress(files: Sequence[Path]) -> Iterator[Path]:
    if len(files) < 2 or not sys.stderr.isatty():
        yield from files
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("extracting", total=len(files))
        for path in files:
            progress.update(task, description=f"extracting {path.name}")
            yield path
            progress.advance(task)


def _output_name(path: Path, suffix: str = "json") -> str:
    """ "plan.pdf" -> "plan.pdf.json": the suffix stays, so plan.txt and plan.pdf never collide."""
    return f"{path.name}.{suffix}"


def write_results(
    results: Iterator[tuple[Path, ExtractedDocument | None]],
    args: argparse.Namespace,
    render: Callable[[ExtractedDocument, bool], str],
) -> bool:
    """Write each result where the output options say; return True when every input succeeded."""
    from extractor.output.json import write_atomically

    ok = True
    lines: list[str] = []
    many = len(args.files) > 1
    to_directory = (
        args.output is not None
        and not args.jsonl
        and (many or args.output.is_dir() or not args.output.suffix)
    )
    for path, document in results:
        if document is None:
            ok = False
            continue
        text = render(document, args.pretty and not args.jsonl)
        if to_directory:
            write_atomically(args.output / _output_name(path), text)
        elif args.output is not None or args.jsonl or many:
            lines.append(text)
        else:
            print(text)
    if args.output is not None and not to_directory and lines:
        write_atomically(args.output, "\n".join(lines))
    elif lines and args.jsonl:
        print("\n".join(lines))
    elif lines:
        print("[\n" + ",\n".join(lines) + "\n]")
    if args.output is not None:
        warn(f"results written to {args.output}")
    return ok


def run_extract(args: argparse.Namespace) -> int:
    from extractor.output.json import to_json

    ok = write_results(_extract_each(args.files, args.debug), args, to_json)
    return EXIT_OK if ok else EXIT_INPUT_FAILED


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
    input succeeded."""
    from extractor.output.json import write_atomically
    from extractor.output.report_html import html_report
    from extractor.output.report_text import print_text_report, text_report

    suffix = "html" if args.format == "html" else "txt"
    to_directory = args.output is not None and (
        len(args.files) > 1 or args.output.is_dir() or not args.output.suffix
    )
    console = None
    ok = True
    for path, document in results:
        if document is None:
            ok = False
            continue
        if args.output is None and args.format == "text":
            if console is None:
                from rich.console import Console

                console = Console(highlight=False, emoji=False, markup=False)
            print_text_report(document, console, args.lang)
            continue
        if args.format == "html":
            report = html_report(document, args.lang)
        else:
            report = text_report(document, args.lang)
        if args.output is None:
            sys.stdout.write(report)
        else:
            write_atomically(
                args.output / _output_name(path, suffix) if to_directory else args.output, report
            )
    if args.output is not None:
        warn(f"reports written to {args.output}")
    return ok


def run_check(args: argparse.Namespace) -> int:
    """`khplan check`: extract, report, tally; exit 3 if an input failed, else 1 if --fail-on is reached."""
    from extractor.output.json import to_json
    from extractor.output.report_text import SEVERITY_RANK

    if args.format != "json" and (args.jsonl or args.pretty):
        warn("--jsonl and --pretty apply to --format json only")
        return EXIT_USAGE
    if args.format == "html" and args.output is None and len(args.files) > 1:
        warn("--format html writes one page per plan: give -o DIR for several files")
        return EXIT_USAGE
    tally = CheckTally()
    results = _tally_findings(_extract_each(args.files, args.debug), tally, args)
    ok = write_results(results, args, to_json) if args.format == "json" else _write_reports(results, args)
    if args.csv is not None:
        from extractor.output.findings_csv import write_findings_csv

        write_findings_csv(args.csv, tally.csv_rows)
        warn(f"{len(tally.csv_rows)} findings written to {args.csv}")
    if not ok:
        return EXIT_INPUT_FAILED
    if args.fail_on is not None and tally.worst >= SEVERITY_RANK[args.fail_on]:
        return EXIT_FINDINGS
    return EXIT_OK


def run_tables(args: argparse.Namespace) -> int:
    import json

    from extractor.output.csv import write_tables_csv

    ok = True
    for path, document in _extract_each(args.files, args.debug):
        if document is None:
            ok = False
            continue
        if args.csv is not None:
            for written in write_tables_csv(document.tables, args.csv, path.name):
                warn(f"{path}: wrote {written}")
            if not document.tables:
                warn(f"{path}: no table found")
        elif args.json:
            print(
                json.dumps([table.model_dump(mode="json") for table in document.tables], ensure_ascii=False)
            )
        else:
            _print_tables(path, document)
    return EXIT_OK if ok else EXIT_INPUT_FAILED


def _print_tables(path: Path, document: ExtractedDocument) -> None:
    """Each table with short column heads (c1, c2 …) and, under it, the full header path of each column."""
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console()
    if not document.tables:
        console.print(f"{path}: no table found", markup=False)
    for table in document.tables:
        shown = RichTable(title=f"{path.name} · {table.id} · {table.caption or ''}", title_justify="left")
        for column in table.columns:
            justify = "left" if column.role in ("label", "other") else "right"
            shown.add_column(f"c{column.index}", justify=justify, no_wrap=column.role != "label")
        for row in table.rows:
            cells = {cell.column: cell.raw for cell in row.cells}
            values = (cells.get(column.index, "") for column in table.columns)
            shown.add_row(*values, style="bold" if row.kind != "unit" else None)
        console.print(shown)
        for column in table.columns:
            role = f"  [{column.role}]" if column.role not in ("other", "count", "percent") else ""
            console.print(
                f"  c{column.index} = {' / '.join(column.path)}{role}", markup=False, highlight=False
            )


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
    results = evaluate(args.corpus, extract_document, only=args.only)
    unknown = sorted(set(args.only or ()) - {result.document for result in results})
    if unknown:
        warn(f"{args.corpus}: no gold file for {', '.join(unknown)}")
        return EXIT_USAGE
    rows = summary_rows(results)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    from rich.console import Console
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
    console = Console() if sys.stdout.isatty() else Console(width=100)
    console.print(table)
    if args.details:
        _print_eval_details(console, results)
    return EXIT_OK


def _print_eval_details(console: Console, results: list[DocumentScore]) -> None:
    """One line per missed gold item and per wrong prediction (a false error, for findings)."""
    width = max((len(result.document) for result in results), default=0)
    for result in results:
        wrong = "false error" if result.score.field == "findings" else "spurious"
        for label, keys in (("missed", result.missed), (wrong, result.spurious)):
            for key in keys:
                line = f"{result.score.field:10} {result.document:{width}} {label:11} {key}"
                console.print(line, markup=False, highlight=False, soft_wrap=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verb is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except BrokenPipeError:  # `khplan extract … | head` is not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        warn("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
