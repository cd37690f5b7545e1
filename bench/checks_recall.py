"""Recall and false errors of the table checks, end to end, over generated plans with an independent oracle.

Usage: .venv/bin/python bench/checks_recall.py [--tables N] [--seed S] [--jobs J] [--pdf N] [--examples K]

Each seeded table (tests/generated_tables.py: six classes, ``CLASSES``) is written into a small plan, read by
``extractor.extract_document`` with no roles given, and judged twice: as generated (consistent: every
"error" finding is a false error) and with one injected change. An injection the oracle says breaks an
identity must be named by some finding (its location or one of its cells is the changed cell: recall); an
"error" finding must involve a cell of an identity the oracle says is broken. Table i is of class
CLASSES[i % 6] and written as TXT (tab-separated), DOCX, Markdown pipes or DOCX (i // 6 % 4), so half are
DOCX. A fixed sample of ``--pdf`` tables (other seeds) is rendered from DOCX by LibreOffice into PDF.

Printed: per class and format, per class and variant, per injection kind: tables, injections, oracle-broken,
found, recall, false errors (documents with one, clean and injected), table findings per clean table, and
"unread" (consistent tables with a row the extraction lost, so its cells cannot be matched); tables per second; then, per class, up to K recall misses and K false errors (the written table and its findings).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.generated_tables import (  # noqa: E402
    CLASSES,
    INJECTION_KINDS,
    CaseResult,
    case_paths,
    check_case,
    false_error_report,
    judge_case,
    miss_report,
)

FORMAT_CYCLE = ("txt", "docx", "md", "docx")
PDF_SEED_OFFSET = 7_000_000


@dataclass
class Summary:
    """What one case contributes to a row of the report."""

    table_class: str
    variant: str
    fmt: str
    kind: str
    broken: bool
    found: bool
    clean_false: bool
    injected_false: bool
    clean_findings: int
    unread: bool
    miss_text: str | None = None
    false_text: str | None = None


@dataclass
class Tally:
    """One row of a report table."""

    tables: int = 0
    broken: int = 0
    found: int = 0
    clean_false: int = 0
    injected_false: int = 0
    clean_findings: int = 0
    unread: int = 0

    def add(self, summary: Summary) -> None:
        """Count one case in this row."""
        self.tables += 1
        self.broken += summary.broken
        self.found += summary.found
        self.clean_false += summary.clean_false
        self.injected_false += summary.injected_false
        self.clean_findings += summary.clean_findings
        self.unread += summary.unread


@dataclass
class Examples:
    """Up to K failure reports per class and kind of failure, each of another variant."""

    limit: int
    reports: dict[tuple[str, str], list[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def offer(self, summary: Summary) -> None:
        """Keep the case's failure reports when its class still lacks that variant's example."""
        for failure, text in (("recall miss", summary.miss_text), ("false error", summary.false_text)):
            shown = self.reports[(summary.table_class, failure)]
            variants = {variant for variant, _, _ in shown}
            if text is not None and len(shown) < self.limit and summary.variant not in variants:
                shown.append((summary.variant, summary.fmt, text))


def summarize(result: CaseResult) -> Summary:
    """The counts of one case, and its failure report when it failed."""
    miss = result.injected.found is False
    false = bool(result.clean.false_errors) or bool(result.injected.false_errors)
    return Summary(
        table_class=result.table_class,
        variant=result.variant,
        fmt=result.fmt,
        kind=result.injection.kind,
        broken=result.injected.broken,
        found=bool(result.injected.found),
        clean_false=bool(result.clean.false_errors),
        injected_false=bool(result.injected.false_errors),
        clean_findings=len(result.clean.table_findings),
        unread=bool(result.clean.unmatched_rows),
        miss_text=miss_report(result) if miss else None,
        false_text=false_error_report(result) if false else None,
    )


def case_of(index: int, seed: int) -> tuple[int, str, str]:
    """The seed, class and format of table ``index``."""
    return seed * 100_003 + index, CLASSES[index % len(CLASSES)], FORMAT_CYCLE[index // len(CLASSES) % 4]


def run_one(arguments: tuple[int, str, str]) -> Summary:
    """A worker: one case in a private temporary folder."""
    seed, table_class, fmt = arguments
    with tempfile.TemporaryDirectory(prefix="khplan-recall-") as folder:
        return summarize(check_case(seed, table_class, fmt, Path(folder)))


def run_pdf_sample(count: int, seed: int) -> tuple[list[Summary], float]:
    """Render ``count`` cases (clean and injected) from DOCX to PDF with one LibreOffice call, extract and
    judge them; the seconds LibreOffice took."""
    from extractor import extract_document

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or count == 0:
        return [], 0.0
    cases = [(seed * 100_003 + PDF_SEED_OFFSET + i, CLASSES[i % len(CLASSES)]) for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="khplan-recall-pdf-") as work:
        folder = Path(work)
        docx_paths = [path for case_seed, cls in cases for path in case_paths(case_seed, cls, "docx", folder)]
        started = time.perf_counter()
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
        ]
        command += ["--convert-to", "pdf", "--outdir", str(folder), *map(str, docx_paths)]
        subprocess.run(command, check=True, capture_output=True, timeout=1800)
        render_seconds = time.perf_counter() - started
        summaries = []
        for case_seed, cls in cases:
            clean, injected = (folder / f"{cls}-{case_seed}-{which}.pdf" for which in ("clean", "injected"))
            result = judge_case(case_seed, cls, "pdf", extract_document(clean), extract_document(injected))
            summaries.append(summarize(result))
    return summaries, render_seconds


def percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percent, or a dash when there is no whole."""
    return f"{100 * part / whole:6.1f}%" if whole else "     -"


def print_table(title: str, tallies: dict[tuple[str, ...], Tally]) -> None:
    """A report table: one line per key."""
    print(f"\n{title}")
    print(
        f"{'':34} {'tables':>6} {'inject':>6} {'broken':>6} {'found':>6} {'recall':>7} "
        f"{'FE clean':>8} {'FE inj':>6} {'find/clean':>10} {'unread':>6}"
    )
    for key, tally in sorted(tallies.items()):
        print(
            f"{' / '.join(key):34} {tally.tables:6} {tally.tables:6} {tally.broken:6} {tally.found:6} "
            f"{percent(tally.found, tally.broken):>7} {tally.clean_false:8} {tally.injected_false:6} "
            f"{tally.clean_findings / max(tally.tables, 1):10.2f} {tally.unread:6}"
        )


def report(summaries: list[Summary], examples: int) -> None:
    """Every report table, then the failure examples per class."""
    by_format: dict[tuple[str, ...], Tally] = defaultdict(Tally)
    by_variant: dict[tuple[str, ...], Tally] = defaultdict(Tally)
    by_kind: dict[tuple[str, ...], Tally] = defaultdict(Tally)
    shown = Examples(examples)
    for summary in summaries:
        for key in ((summary.table_class, summary.fmt), (summary.table_class, "all"), ("all", summary.fmt)):
            by_format[key].add(summary)
        by_format[("all", "all")].add(summary)
        by_variant[(summary.table_class, summary.variant)].add(summary)
        by_kind[(summary.kind,)].add(summary)
        shown.offer(summary)
    print_table("Per class and format (FE = documents with a false error)", by_format)
    print_table("Per class and variant (all formats)", by_variant)
    print_table("Per injection kind", {k: v for k, v in by_kind.items() if k[0] in INJECTION_KINDS})
    for table_class in CLASSES:
        for failure in ("recall miss", "false error"):
            for variant, fmt, text in shown.reports.get((table_class, failure), []):
                print(f"\n=== {table_class}: {failure} ({variant}, {fmt})\n{text}")


def main() -> None:
    """Run the cases in worker processes, then the PDF sample, and print the report."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=3000, help="seeded tables over TXT, Markdown and DOCX")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--pdf", type=int, default=50, help="tables of the PDF sample (0: none)")
    parser.add_argument("--examples", type=int, default=3, help="failure examples per class and kind")
    args = parser.parse_args()

    started = time.perf_counter()
    cases = [case_of(index, args.seed) for index in range(args.tables)]
    with multiprocessing.Pool(args.jobs) as pool:
        summaries = list(pool.imap_unordered(run_one, cases, chunksize=8))
    seconds = time.perf_counter() - started
    pdf_started = time.perf_counter()
    pdf_summaries, render_seconds = run_pdf_sample(args.pdf, args.seed)
    pdf_seconds = time.perf_counter() - pdf_started
    report(summaries + pdf_summaries, args.examples)
    print(
        f"\n{args.tables} tables (each extracted clean and injected) in {seconds:.1f} s with {args.jobs} "
        f"processes: {args.tables / seconds:.1f} tables/s ({2 * args.tables / seconds:.1f} documents/s)"
    )
    if pdf_summaries:
        print(
            f"PDF sample: {len(pdf_summaries)} tables in {pdf_seconds:.1f} s, LibreOffice {render_seconds:.1f} s "
            f"of it ({len(pdf_summaries) / pdf_seconds:.1f} tables/s)"
        )


if __name__ == "__main__":
    main()
