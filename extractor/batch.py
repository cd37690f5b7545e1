"""`khplan batch`: every plan under some folders extracted, checked and stored in the archive, resumably.

A batch is idempotent: a file whose SHA-256 is already archived under the same extractor version (the
package version and a digest of ``extractor/data/``) is skipped; ``force`` re-extracts it. The same
content in two files is extracted once and stored with both paths. Each document runs in a worker process
of its own (``DocumentRunner``: a worker that hangs past ``max_seconds`` or dies is killed and replaced, the
document recorded as failed with its reason); ``workers`` such runners work side by side, each driven by a
thread of this process, and every result is stored from this thread, one transaction per document, so a
run stopped by Ctrl-C or killed leaves every finished document stored and none half-stored. The next run
continues where it stopped.

    with Archive.open("plans.db") as archive:
        summary = run_batch([Path("incoming/")], archive, BatchOptions(workers=2))
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import Literal

from extractor.archive import Archive, extractor_version
from extractor.archive.store import prepare_document
from extractor.errors import InputError
from extractor.options import ExtractOptions
from extractor.runner import DocumentRunner, Extraction, WorkerFault
from extractor.track import refresh_statuses

# The files a batch reads, by suffix; anything else under the folders (JSON, YAML, scripts) is not a plan.
SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
)
# Bytes read at a time when hashing a file.
HASH_CHUNK = 1 << 20

Outcome = Literal["stored", "skipped", "duplicate", "failed"]


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs: ``workers`` documents side by side (default: the machine's cores), ``force`` to
    re-extract archived files, ``extract`` the per-document options (limits, OCR); ``statuses`` to update,
    after the run, the target statuses of the plans of every unit a stored document is about."""

    workers: int | None = None
    force: bool = False
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    statuses: bool = True

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class FileResult:
    """What became of one input file: stored (with its document id), skipped as already archived, a
    duplicate of another file of the run, or failed with its reason."""

    path: Path
    outcome: Outcome
    document_id: int | None = None
    reason: str | None = None
    pages: int = 0
    ocr_pages: int = 0
    citations: int = 0
    targets: int = 0
    findings: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class BatchProgress:
    """The run so far, for a progress bar: files done of total, the file just finished, failures, ETA."""

    done: int
    total: int
    current: Path | None
    failures: int
    elapsed: float

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the pace so far; None before the first file is done."""
        if not self.done:
            return None
        return self.elapsed / self.done * (self.total - self.done)


@dataclass
class BatchSummary:
    """The totals of a run: documents stored, skipped and failed, pages (OCR'd ones apart), citations,
    targets, findings by severity, and the time it took."""

    files: int = 0
    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    pages: int = 0
    ocr_pages: int = 0
    citations: int = 0
    targets: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    failures: list[FileResult] = field(default_factory=list)
    stored_ids: list[int] = field(default_factory=list)
    plans_tracked: int = 0
    statuses_error: str | None = None  # why the statuses could not be updated (``khplan track`` will)

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.outcome == "stored":
            self.stored += 1
            if result.document_id is not None:
                self.stored_ids.append(result.document_id)
            self.pages += result.pages
            self.ocr_pages += result.ocr_pages
            self.citations += result.citations
            self.targets += result.targets
            self.findings.update(result.findings)
        elif result.outcome == "skipped":
            self.skipped += 1
        elif result.outcome == "duplicate":
            self.duplicates += 1
        else:
            self.failed += 1
            self.failures.append(result)


ProgressCallback = Callable[[FileResult, BatchProgress], None]


def find_inputs(paths: Sequence[Path]) -> list[Path]:
    """Every supported file under ``paths`` (files given by name are taken whatever their suffix), sorted,
    each once. Folders are walked recursively; a symbolic link is followed only when it stays inside the
    folder given (a link out of the tree, or a loop, is skipped)."""
    found: dict[Path, None] = {}
    for given in paths:
        if given.is_dir():
            root = given.resolve()
            seen: set[Path] = set()
            for folder, folders, files in os.walk(given, followlinks=True):
                real = Path(folder).resolve()
                if (real != root and root not in real.parents) or real in seen:
                    folders[:] = []
                    continue
                seen.add(real)
                folders.sort()
                for name in sorted(files):
                    path = Path(folder) / name
                    if path.suffix.lower() in SUPPORTED_SUFFIXES and _inside(path, root):
                        found.setdefault(path, None)
        else:
            found.setdefault(given, None)
    return list(found)


def _inside(path: Path, root: Path) -> bool:
    real = path.resolve()
    return real.is_file() and (real == root or root in real.parents)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def run_batch(
    paths: Sequence[Path],
    archive: Archive,
    options: BatchOptions = BatchOptions(),
    progress: ProgressCallback | None = None,
    recorded_paths: Mapping[Path, str] | None = None,
) -> BatchSummary:
    """Extract every supported file under ``paths`` into ``archive``; see the module's docstring.

    ``recorded_paths`` names, for an input file, the path the archive records instead of its own: an upload
    saved as "/tmp/…/001.docx" is recorded as "upload:7/ke-hoach.docx" (a name with a scheme is kept as given,
    never read as a file)."""
    started = time.monotonic()
    inputs = find_inputs(paths)
    summary = BatchSummary()
    version = extractor_version()
    failures = 0

    def report(result: FileResult) -> None:
        nonlocal failures
        summary.add(result)
        failures += result.outcome == "failed"
        if progress is not None:
            state = BatchProgress(
                summary.files, len(inputs), result.path, failures, time.monotonic() - started
            )
            progress(result, state)

    recorded = dict(recorded_paths or {})

    def where(path: Path) -> Path | str:
        return recorded.get(path, path)

    pending = list(_plan(inputs, archive, version, options.force, report, where))
    for result in _extract_all(pending, archive, version, options, where):
        report(result)
    if options.statuses and summary.stored_ids:
        try:
            summary.plans_tracked = refresh_statuses(archive, summary.stored_ids)
        except Exception as error:  # every document is stored: a bug here must not lose the run's report
            summary.statuses_error = f"{type(error).__name__}: {error}"
    summary.seconds = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class _Job:
    path: Path
    sha256: str
    duplicates: tuple[Path, ...] = ()


def _plan(
    inputs: list[Path],
    archive: Archive,
    version: str,
    force: bool,
    report: Callable[[FileResult], None],
    where: Callable[[Path], Path | str],
) -> Iterator[_Job]:
    """The files to extract: each content once, with the other files of the run holding it; a file whose
    content is archived under this version is skipped (its path added), one that cannot be read fails."""
    by_hash: dict[str, list[Path]] = {}
    for path in inputs:
        try:
            sha256 = file_sha256(path)
        except OSError as error:
            archive.store_failure(
                path=where(path), sha256=None, extractor_version=version, reason=error.strerror or str(error)
            )
            report(FileResult(path, "failed", reason=error.strerror or str(error)))
            continue
        by_hash.setdefault(sha256, []).append(path)
    failed_before = {} if force else _failures(archive, version)
    for sha256, holders in by_hash.items():
        stored = None if force else archive.lookup(sha256, version)
        if stored is not None:
            for path in holders:
                archive.add_path(stored.id, where(path))
                report(FileResult(path, "skipped", document_id=stored.id))
            continue
        if sha256 in failed_before:  # the same bytes failed under this version: not tried again
            reason = f"{failed_before[sha256]} (in an earlier run; --force tries again)"
            for path in holders:
                report(FileResult(path, "failed", reason=reason))
            continue
        yield _Job(holders[0], sha256, tuple(holders[1:]))


def _failures(archive: Archive, version: str) -> dict[str, str]:
    """The reason of each content that failed under ``version``, by SHA-256."""
    return {
        row.sha256: row.error or "failed"
        for row in archive.documents()
        if row.status == "failed" and row.sha256 is not None and row.extractor_version == version
    }


def _extract_all(
    jobs: list[_Job],
    archive: Archive,
    version: str,
    options: BatchOptions,
    where: Callable[[Path], Path | str],
) -> Iterator[FileResult]:
    """Run the jobs on ``workers`` runners and store each result as it comes, from this thread."""
    if not jobs:
        return
    workers = max(1, min(options.worker_count, len(jobs)))
    # One budget of processes: the OCR threads of a document share what the batch's workers leave.
    per_document = options.extract.model_copy(update={"workers": max(1, options.worker_count // workers)})
    # Each runner forks its worker now, from this thread, before the pool's threads start.
    runners = [DocumentRunner(per_document, prepare=prepare_document).__enter__() for _ in range(workers)]
    free: SimpleQueue[DocumentRunner] = SimpleQueue()
    for runner in runners:
        free.put(runner)

    def run(job: _Job) -> Extraction | str:
        runner = free.get()
        try:
            return _run_one(runner, job.path)
        finally:
            free.put(runner)

    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="khplan-batch") as pool:
            queue = iter(jobs)
            running: dict[Future[Extraction | str], _Job] = {}
            for job in queue:
                running[pool.submit(run, job)] = job
                if len(running) >= workers:
                    break
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    following = next(queue, None)
                    if following is not None:
                        running[pool.submit(run, following)] = following
                    yield from _store(job, future.result(), archive, version, where)
    finally:
        for runner in runners:
            runner.close()


def _run_one(runner: DocumentRunner, path: Path) -> Extraction | str:
    """The extraction of one file, or the one-line reason it failed."""
    try:
        return runner.run(path)
    except InputError as error:
        return error.reason
    except WorkerFault as error:
        return f"internal error ({error})"
    except Exception as error:  # a bug must not stop the batch
        return f"internal error ({type(error).__name__}: {error})"


def _store(
    job: _Job, outcome: Extraction | str, archive: Archive, version: str, where: Callable[[Path], Path | str]
) -> Iterator[FileResult]:
    """Store one job's result (or its failure) in one transaction; its duplicates are added as paths."""
    if isinstance(outcome, str):
        for path in (job.path, *job.duplicates):
            archive.store_failure(
                path=where(path), sha256=job.sha256, extractor_version=version, reason=outcome
            )
            yield FileResult(path, "failed", reason=outcome)
        return
    stored = archive.store(
        path=where(job.path),
        sha256=job.sha256,
        extractor_version=version,
        extraction_json=outcome.json,
        source_file=job.path,
        prepared=outcome.prepared,
    )
    counts = stored.counts
    yield FileResult(
        job.path,
        "stored",
        document_id=stored.id,
        pages=stored.pages or 0,
        ocr_pages=stored.ocr_pages or 0,
        citations=counts.citations,
        targets=counts.targets,
        findings=Counter(error=counts.errors, warning=counts.warnings, info=counts.info),
    )
    for path in job.duplicates:
        archive.add_path(stored.id, where(path))
        yield FileResult(path, "duplicate", document_id=stored.id)
