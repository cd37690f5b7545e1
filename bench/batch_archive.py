"""The batch and the archive (issue 13): throughput, archive size, search latency and peak memory, in one run.

Usage: .venv/bin/python bench/batch_archive.py [all|batch|search|memory] [--documents N] [--targets N]
       [--rounds N] [--memory-sizes 100 1000] [--keep]

    .venv/bin/python bench/batch_archive.py                 # everything, default counts (~10 minutes, 2 cores)
    .venv/bin/python bench/batch_archive.py batch --documents 200    # a quick look at one part

Inputs: the corpus's typed plans (corpus/seeds/*.txt and *.docx, corpus/cases/*.txt), copied into a temporary
folder with one number changed per copy (in the text, or in a text run of a DOCX's word/document.xml), so every
copy has its own SHA-256 and the batch extracts each one.

- ``batch``: ``run_batch(copies, Archive.open(tmp/"a.db"), BatchOptions(workers=N))`` with 1 and 2 workers,
  each into a fresh archive, beside the bare pipeline (``extract_document`` in a loop over the same copies in
  this process, run first: its warm-up is what the batch's forked workers start from). Printed: documents/s,
  2 workers / 1 (aim >= 1.8 x), batch / bare, and the time the calling thread spent inside ``archive.store``
  (the batch stores every document from that one thread). Then the archive's size per document: the .db plus
  its -wal after ``PRAGMA wal_checkpoint(TRUNCATE)``, the kept source files (``a.db.files/``) apart, and the
  biggest tables (SQLite's dbstat, when compiled in).
- ``search``: a few plans extracted once, their JSON stored again and again under fake SHA-256 values and paths
  (``archive.store``, one transaction each) until the archive holds ``--targets`` targets (default 100,000);
  the bulk-store rate is printed, first and last thousand documents apart. Then a fixed list of queries
  (``archive.search`` with and without filters, ``archive.cite``), ``--rounds`` times each in turn: median and
  p95 per query and over all (aim p95 < 20 ms), beside the bare SQLite query on the same FTS5 table
  (``search_fts MATCH`` the same expression, ranked by the same bm25, LIMIT 50) and, for cite, a bare SELECT on
  ``citations.symbol_key``.
- ``memory``: batches of each ``--memory-sizes`` documents (2 workers), each in a fresh Python process: its
  peak RSS (``ru_maxrss`` of RUSAGE_SELF) and the largest peak among its reaped worker processes
  (RUSAGE_CHILDREN). Neither should grow with the number of documents.

The machine is shared (2 cores, +-30 % between runs): compare figures of one run, as ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"\d+")
DIGITS = re.compile(rb"[0-9]+")
DOCX_RUN = re.compile(rb"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
SUMMARY: list[tuple[str, str, str]] = []  # (measure, figure, against what)


def note(measure: str, figure: str, against: str = "") -> None:
    SUMMARY.append((measure, figure, against))


# ---------------------------------------------------------------------------------------------------
# Inputs: the typed plans and their perturbed copies
# ---------------------------------------------------------------------------------------------------


def templates() -> list[Path]:
    corpus = ROOT / "corpus"
    return [
        *sorted((corpus / "seeds").glob("*.txt")),
        *sorted((corpus / "cases").glob("*.txt")),
        *sorted((corpus / "seeds").glob("*.docx")),
    ]


def bump_number(text: str, spans: list[tuple[int, int]], copy: int) -> str:
    """``text`` with one of its numbers (at ``spans``) raised: copy k raises number k mod n by k // n + 1."""
    start, end = spans[copy % len(spans)]
    digits = text[start:end]
    raised = str(int(digits) + copy // len(spans) + 1).zfill(len(digits))
    return text[:start] + raised + text[end:]


def perturbed_txt(source: Path, copy: int) -> bytes:
    text = source.read_bytes().decode("utf-8")
    return bump_number(text, [m.span() for m in NUMBER.finditer(text)], copy).encode("utf-8")


def perturbed_docx(source: Path, copy: int, target: Path) -> None:
    """A copy of the DOCX with one number of its body's text runs raised (the XML around them untouched)."""
    with zipfile.ZipFile(source) as archive:
        body = archive.read("word/document.xml")
        spans = [
            (run.start(2) + number.start(), run.start(2) + number.end())
            for run in DOCX_RUN.finditer(body)
            for number in DIGITS.finditer(run.group(2))
        ]
        start, end = spans[copy % len(spans)]
        raised = str(int(body[start:end]) + copy // len(spans) + 1).zfill(end - start).encode()
        changed = body[:start] + raised + body[end:]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = changed if info.filename == "word/document.xml" else archive.read(info)
                out.writestr(info, data)


def make_copies(folder: Path, count: int) -> list[Path]:
    """``count`` perturbed copies of the templates in turn, each with a distinct SHA-256."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = templates()
    made, digests = [], set()
    for index in range(count):
        source = sources[index % len(sources)]
        copy = index // len(sources)
        target = folder / f"{index:05d}-{source.stem}{source.suffix}"
        while True:
            if source.suffix == ".docx":
                perturbed_docx(source, copy, target)
            else:
                target.write_bytes(perturbed_txt(source, copy))
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            if digest not in digests:
                break
            copy += 10_000  # a collision (never seen): raise by another amount
        digests.add(digest)
        made.append(target)
    assert len(digests) == count
    return made


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def archive_bytes(db: Path) -> dict[str, int]:
    """Checkpoint the WAL into the .db, then the bytes of the .db, its -wal and the kept source files."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = Path(f"{db}-wal")
    files = Path(f"{db}.files")
    kept = [p for p in files.rglob("*") if p.is_file()] if files.exists() else []
    return {
        "db": db.stat().st_size,
        "wal": wal.stat().st_size if wal.exists() else 0,
        "files": sum(p.stat().st_size for p in kept),
        "files_count": len(kept),
    }


def table_bytes(db: Path) -> list[tuple[str, int]]:
    """Bytes per table and index (dbstat), biggest first; [] when SQLite lacks dbstat."""
    try:
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(name, int(size)) for name, size in rows]


def mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


# ---------------------------------------------------------------------------------------------------
# 1, 2: batch throughput and archive size
# ---------------------------------------------------------------------------------------------------


def bare_pipeline(paths: list[Path]) -> tuple[float, int]:
    """Seconds for ``extract_document`` over ``paths`` in this process, and how many failed."""
    from extractor import extract_document
    from extractor.errors import InputError

    failed = 0
    start = time.perf_counter()
    for path in paths:
        try:
            extract_document(path)
        except InputError:
            failed += 1
    return time.perf_counter() - start, failed


def one_batch(paths: list[Path], db: Path, workers: int) -> dict[str, Any]:
    """``run_batch`` into a fresh archive at ``db``: seconds, the summary and the time inside ``store``."""
    import extractor.batch
    from extractor.archive import Archive
    from extractor.batch import BatchOptions, run_batch

    storing, tracking = [0.0], [0.0]
    refresh = extractor.batch.refresh_statuses

    def timed_refresh(*args: Any, **kwargs: Any) -> int:
        start = time.perf_counter()
        try:
            return refresh(*args, **kwargs)
        finally:
            tracking[0] += time.perf_counter() - start

    extractor.batch.refresh_statuses = timed_refresh
    with Archive.open(db) as archive:
        store = archive.store

        def timed_store(**kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return store(**kwargs)
            finally:
                storing[0] += time.perf_counter() - start

        archive.store = timed_store  # type: ignore[method-assign]
        start = time.perf_counter()
        summary = run_batch(paths, archive, BatchOptions(workers=workers))
        seconds = time.perf_counter() - start
    extractor.batch.refresh_statuses = refresh
    return {"seconds": seconds, "summary": summary, "store_seconds": storing[0], "track_seconds": tracking[0]}


def bench_batch(folder: Path, documents: int, keep: bool) -> None:
    print(f"\n== batch: {documents} typed documents (perturbed copies of {len(templates())} corpus plans)")
    paths = make_copies(folder / "copies", documents)
    from extractor import extract_document

    extract_document(templates()[0])  # warm-up: imports, vocabularies, compiled patterns
    bare_seconds, bare_failed = bare_pipeline(paths)
    bare_rate = documents / bare_seconds
    print(
        f"bare extract_document loop: {bare_seconds:7.1f} s  {bare_rate:6.1f} docs/s  ({bare_failed} failed)"
    )
    runs = {}
    for workers in (1, 2):
        db = folder / f"batch-{workers}w" / "a.db"
        run = one_batch(paths, db, workers)
        summary = run["summary"]
        rate = documents / run["seconds"]
        runs[workers] = run | {"rate": rate, "db": db}
        print(
            f"run_batch workers={workers}:       {run['seconds']:7.1f} s  {rate:6.1f} docs/s  "
            f"{rate / bare_rate:5.2f} x bare  (stored {summary.stored}, failed {summary.failed}, "
            f"dup {summary.duplicates}; calling thread in archive.store {run['store_seconds']:.1f} s = "
            f"{run['store_seconds'] / documents * 1000:.1f} ms/doc; statuses of {summary.plans_tracked} plans "
            f"updated at the end in {run['track_seconds']:.1f} s)"
        )
        for failure in summary.failures[:3]:
            print(f"  failed: {failure.path.name}: {failure.reason}")
    speedup = runs[2]["rate"] / runs[1]["rate"]
    print(f"2 workers / 1 worker: {speedup:.2f} x   (aim >= 1.8 x)")
    note("bare extract_document", f"{bare_rate:.1f} docs/s", f"{documents} docs, 1 process")
    for workers in (1, 2):
        run = runs[workers]
        note(
            f"run_batch {workers} worker(s)",
            f"{run['rate']:.1f} docs/s",
            f"{run['rate'] / bare_rate:.2f} x bare",
        )
    note("batch speed-up 2w / 1w", f"{speedup:.2f} x", "aim >= 1.8 x")
    note(
        "archive.store in batch",
        f"{runs[2]['store_seconds'] / documents * 1000:.1f} ms/doc",
        f"bare extract {bare_seconds / documents * 1000:.1f} ms/doc",
    )

    db = runs[2]["db"]
    size = archive_bytes(db)
    stored = runs[2]["summary"].stored or 1
    print(
        f"\n== archive size ({stored} documents, 2-worker archive, after checkpoint)\n"
        f".db {mib(size['db'])} + -wal {mib(size['wal'])} = {(size['db'] + size['wal']) / stored / 1024:.1f} KiB/doc;"
        f" kept sources a.db.files/: {size['files_count']} files, {mib(size['files'])} = "
        f"{size['files'] / stored / 1024:.1f} KiB/doc"
    )
    tables = table_bytes(db)
    if tables:
        shown = ", ".join(f"{name} {size / stored / 1024:.1f}" for name, size in tables[:8])
        print(f"biggest tables and indexes, KiB/doc: {shown}")
    note("archive .db + -wal", f"{(size['db'] + size['wal']) / stored / 1024:.1f} KiB/doc", f"{stored} docs")
    note("kept source files", f"{size['files'] / stored / 1024:.1f} KiB/doc", "a.db.files/")
    if not keep:
        for workers in (1, 2):
            shutil.rmtree(runs[workers]["db"].parent)


# ---------------------------------------------------------------------------------------------------
# 3: search latency over an archive of many targets
# ---------------------------------------------------------------------------------------------------

QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("search", "hộ nghèo", {}),
    ("search", "ho ngheo", {}),
    ("search", "đào tạo nghề", {}),
    ("search", "bảo hiểm y tế", {}),
    ("search", "nhà ở", {}),
    ("search", "nước sạch nông thôn", {}),
    ("search", "chuyển đổi số", {}),
    ("search", "tàu vũ trụ", {}),  # no hit
    ("search", "hộ nghèo", {"kind": "target"}),
    ("search", "hộ nghèo", {"indicator": "poverty_rate"}),
    ("search", "đào tạo nghề", {"year": 2024}),
    ("search", "bảo hiểm y tế", {"level": "commune"}),
    ("search", "nhà ở", {"issuer": "huyện"}),
    ("search", "ho ngheo", {"has_errors": False, "kind": "target"}),
    ("cite", "86/2015/NĐ-CP", {}),
    ("cite", "07/2021/NĐ-CP", {}),
]


def label(kind: str, query: str, filters: dict[str, Any]) -> str:
    shown = f"cite {query}" if kind == "cite" else f'"{query}"'
    return shown + ("".join(f" {k}={v}" for k, v in filters.items()) if filters else "")


def build_search_archive(db: Path, wanted_targets: int) -> dict[str, Any]:
    """Extract the templates once, then store their JSON under fake SHA-256 values until ``wanted_targets``."""
    from extractor import extract_document
    from extractor.archive import Archive, extractor_version
    from extractor.runner import to_json_bytes

    extracted = []
    for path in templates():
        document = extract_document(path)
        extracted.append((path, to_json_bytes(document), len(document.targets)))
    # The plans with 10 targets or more in every round, the others in one round of ten (so every query has
    # its plans): fewer documents to store for the targets wanted (the bulk store is the slow part).
    rich = [item for item in extracted if item[2] >= 10]
    other = [item for item in extracted if item[2] < 10]
    version = extractor_version()
    stored = targets = 0
    times: list[float] = []
    fake = db.parent / "fake"
    start = time.perf_counter()
    with Archive.open(db) as archive:
        round_ = 0
        while targets < wanted_targets:
            for path, data, n_targets in rich + (other if round_ % 10 == 0 else []):
                sha = hashlib.sha256(f"{stored}:{path.name}".encode()).hexdigest()
                began = time.perf_counter()
                archive.store(
                    path=fake / f"{stored:06d}-{path.name}",
                    sha256=sha,
                    extractor_version=version,
                    extraction_json=data,
                )
                times.append(time.perf_counter() - began)
                stored += 1
                targets += n_targets
            round_ += 1
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as conn:
        counted = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "targets", "search_rows", "citations")
        }
    return {"seconds": seconds, "stored": stored, "times": times, "counted": counted}


def bench_search(folder: Path, wanted_targets: int, rounds: int, keep: bool) -> None:
    from extractor.archive import Archive, SearchFilters, symbol_key
    from extractor.archive.schema import FTS_TABLE
    from extractor.archive.search import DEFAULT_LIMIT, INDICATOR_WEIGHT, match_expressions, query_words

    print(f"\n== search: an archive of >= {wanted_targets:,} targets")
    db = folder / "search" / "a.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    built = build_search_archive(db, wanted_targets)
    counted, times = built["counted"], built["times"]
    first, last = times[:1000], times[-1000:]
    print(
        f"bulk store: {built['stored']:,} documents in {built['seconds']:.1f} s = {built['stored'] / built['seconds']:.1f}"
        f" docs/s, {counted['targets'] / built['seconds']:,.0f} targets/s; median store {statistics.median(times) * 1000:.1f} ms"
        f" (first 1000: {statistics.mean(first) * 1000:.1f} ms, last 1000: {statistics.mean(last) * 1000:.1f} ms mean)"
    )
    print(
        f"archive: {counted['documents']:,} documents, {counted['targets']:,} targets, "
        f"{counted['search_rows']:,} search rows, {counted['citations']:,} citations; "
        f".db {mib(archive_bytes(db)['db'])}"
    )
    note(
        "bulk archive.store",
        f"{built['stored'] / built['seconds']:.1f} docs/s",
        f"{counted['targets']:,} targets",
    )

    bare = sqlite3.connect(db)
    bare_sql = (
        f"SELECT rowid, bm25({FTS_TABLE}, {INDICATOR_WEIGHT}, 1.0) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH ? ORDER BY score LIMIT {DEFAULT_LIMIT}"
    )
    cite_sql = "SELECT id, document_id FROM citations WHERE symbol_key = ?"

    latencies: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    baselines: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    hits: dict[int, int] = {}
    with Archive.open(db) as archive:
        calls: list[tuple[Callable[[], Any], Callable[[], Any]]] = []
        for kind, query, filters in QUERIES:
            if kind == "cite":
                calls.append(
                    (
                        lambda q=query: archive.cite(q).plans,
                        lambda q=query: bare.execute(cite_sql, (symbol_key(q),)).fetchall(),
                    )
                )
            else:
                anywhere = match_expressions(query_words(query))[0]
                chosen = SearchFilters(**filters)
                calls.append(
                    (
                        lambda q=query, f=chosen: archive.search(q, f),
                        lambda e=anywhere: bare.execute(bare_sql, (e,)).fetchall(),
                    )
                )
        for index, (ours, theirs) in enumerate(calls):  # warm-up: statement caches, pages into memory
            hits[index] = len(ours())
            theirs()
        for _ in range(rounds):
            for index, (ours, theirs) in enumerate(calls):
                start = time.perf_counter()
                ours()
                latencies[index].append(time.perf_counter() - start)
                start = time.perf_counter()
                theirs()
                baselines[index].append(time.perf_counter() - start)
    bare.close()

    print(
        f"{rounds} rounds; ms; bare = the same FTS5 MATCH ranked by bm25 LIMIT {DEFAULT_LIMIT} (cite: SELECT by key)"
    )
    print(f"{'query':52} {'hits':>5} {'median':>7} {'p95':>7} {'bare med':>8} {'x bare':>7}")
    for index, (kind, query, filters) in enumerate(QUERIES):
        ours, theirs = latencies[index], baselines[index]
        median, p95, base = statistics.median(ours), percentile(ours, 0.95), statistics.median(theirs)
        print(
            f"{label(kind, query, filters):52} {hits[index]:5d} {median * 1000:7.2f} {p95 * 1000:7.2f} "
            f"{base * 1000:8.2f} {median / base:7.1f}"
        )
    pooled = [t for times in latencies.values() for t in times]
    pooled_bare = [t for times in baselines.values() for t in times]
    overall_median, overall_p95 = statistics.median(pooled), percentile(pooled, 0.95)
    worst = max(range(len(QUERIES)), key=lambda i: percentile(latencies[i], 0.95))
    print(
        f"{'all queries':52} {'':5} {overall_median * 1000:7.2f} {overall_p95 * 1000:7.2f} "
        f"{statistics.median(pooled_bare) * 1000:8.2f}   (aim p95 < 20 ms)"
    )
    searches_only = [t for i, times in latencies.items() if QUERIES[i][0] == "search" for t in times]
    print(
        f"{'searches only':52} {'':5} {statistics.median(searches_only) * 1000:7.2f} "
        f"{percentile(searches_only, 0.95) * 1000:7.2f}"
    )
    note(
        "search latency",
        f"median {statistics.median(searches_only) * 1000:.1f} ms, p95 {percentile(searches_only, 0.95) * 1000:.1f} ms",
        "searches only, no cite",
    )
    note(
        "search+cite latency, all",
        f"median {overall_median * 1000:.1f} ms, p95 {overall_p95 * 1000:.1f} ms",
        f"bare median {statistics.median(pooled_bare) * 1000:.2f} ms; aim p95 < 20 ms",
    )
    note(
        "slowest query p95",
        f"{percentile(latencies[worst], 0.95) * 1000:.1f} ms",
        label(*QUERIES[worst]),
    )
    if not keep:
        shutil.rmtree(db.parent)


# ---------------------------------------------------------------------------------------------------
# 4: peak memory of a batch, in fresh processes
# ---------------------------------------------------------------------------------------------------


def memory_child(folder: Path, documents: int) -> None:
    """Run inside a fresh process: a 2-worker batch of the first ``documents`` copies; print the peaks as JSON."""
    from extractor.archive import Archive
    from extractor.batch import BatchOptions, run_batch

    paths = sorted((folder / "copies").iterdir())[:documents]
    if len(paths) < documents:
        raise SystemExit(f"only {len(paths)} copies in {folder}")
    db = Path(tempfile.mkdtemp(prefix="mem-", dir=folder)) / "a.db"
    import extractor.batch

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refresh, peak_before_refresh = extractor.batch.refresh_statuses, [0]

    def measured_refresh(*args: Any, **kwargs: Any) -> int:
        peak_before_refresh[0] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return refresh(*args, **kwargs)

    extractor.batch.refresh_statuses = measured_refresh
    start = time.perf_counter()
    with Archive.open(db) as archive:
        summary = run_batch(paths, archive, BatchOptions(workers=2))
    seconds = time.perf_counter() - start
    result = {
        "documents": documents,
        "stored": summary.stored,
        "seconds": seconds,
        "self_before_kib": before,
        "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "self_before_refresh_kib": peak_before_refresh[0],
        "children_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    shutil.rmtree(db.parent)
    print(json.dumps(result))


def bench_memory(folder: Path, sizes: list[int]) -> None:
    print(f"\n== memory: 2-worker batches of {', '.join(map(str, sizes))} documents, each in a fresh process")
    copies = folder / "copies"
    if not copies.exists() or len(list(copies.iterdir())) < max(sizes):
        shutil.rmtree(copies, ignore_errors=True)
        make_copies(copies, max(sizes))
    results = []
    for size in sizes:
        command = [
            sys.executable,
            __file__,
            "_memory-child",
            "--folder",
            str(folder),
            "--documents",
            str(size),
        ]
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{size:6d} documents ({result['stored']} stored, {result['seconds']:.1f} s): "
            f"calling process peak {result['self_kib'] / 1024:.0f} MiB (after imports {result['self_before_kib'] / 1024:.0f} MiB, before the status refresh {result['self_before_refresh_kib'] / 1024:.0f} MiB),"
            f" largest worker peak {result['children_kib'] / 1024:.0f} MiB"
        )
    small, large = results[0], results[-1]
    self_growth = large["self_kib"] / small["self_kib"]
    child_growth = large["children_kib"] / small["children_kib"]
    print(
        f"{large['documents']} / {small['documents']} documents: calling process peak x {self_growth:.2f}, "
        f"worker peak x {child_growth:.2f}  (aim: ~1.0)"
    )
    for result in results:
        note(
            f"peak RSS, {result['documents']} docs",
            f"self {result['self_kib'] / 1024:.0f} MiB, workers {result['children_kib'] / 1024:.0f} MiB",
            "fresh process, 2 workers",
        )
    note(
        f"peak growth {large['documents']} / {small['documents']}",
        f"self x {self_growth:.2f}, workers x {child_growth:.2f}",
        "aim ~1.0",
    )


# ---------------------------------------------------------------------------------------------------


def print_summary() -> None:
    if not SUMMARY:
        return
    width = max(len(row[0]) for row in SUMMARY)
    figure = max(len(row[1]) for row in SUMMARY)
    print("\n== summary")
    for measure, value, against in SUMMARY:
        print(f"{measure:{width}}  {value:{figure}}  {against}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "part", nargs="?", default="all", choices=["all", "batch", "search", "memory", "_memory-child"]
    )
    parser.add_argument("--documents", type=int, default=1000, help="documents in the throughput batches")
    parser.add_argument("--targets", type=int, default=100_000, help="targets in the search archive")
    parser.add_argument("--rounds", type=int, default=20, help="times each query runs")
    parser.add_argument("--memory-sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part == "_memory-child":
        memory_child(args.folder, args.documents)
        return
    folder = Path(tempfile.mkdtemp(prefix="khplan-batch-archive-"))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"temporary folder {folder}; {os.cpu_count()} cores; load average {load}; python {sys.version.split()[0]}"
    )
    started = time.perf_counter()
    try:
        if args.part in ("all", "batch"):
            bench_batch(folder, args.documents, args.keep)
        if args.part in ("all", "memory"):
            bench_memory(folder, args.memory_sizes)
        if args.part in ("all", "search"):
            bench_search(folder, args.targets, args.rounds, args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print_summary()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{time.perf_counter() - started:.0f} s in all; load average at the end {load} (other work on the machine)"
    )


if __name__ == "__main__":
    main()
