"""Upload jobs: the accepted files of one upload go through ``run_batch`` in a background thread.

Jobs run one at a time, in the order they came (the archive has one writer anyway); each job's files sit
in a private temporary folder (``tempfile.mkdtemp``: mode 0700) that is removed when the job ends, by which
time the archive keeps its own copy of every stored file. A job's page reads its state as it goes: files
done of total, each file's outcome (stored, skipped as already archived, a duplicate, failed with its reason)
and the files refused before the batch with theirs.
"""

from __future__ import annotations

import queue
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.archive import Archive
from extractor.batch import BatchOptions, BatchProgress, FileResult, run_batch
from extractor.web.uploads import Accepted, Rejected

# Jobs remembered for their pages; the oldest finished ones are forgotten past this.
KEPT_JOBS = 200


@dataclass
class FileState:
    """One accepted file of a job: its shown name and, once done, what became of it."""

    name: str
    path: Path
    outcome: str = "queued"
    document_id: int | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "outcome": self.outcome,
            "document_id": self.document_id,
            "reason": self.reason,
        }


@dataclass
class Job:
    id: str
    folder: Path
    files: list[FileState]
    rejected: list[Rejected]
    state: str = "queued"  # queued, running, done, failed
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def done(self) -> int:
        return sum(f.outcome != "queued" for f in self.files)

    @property
    def finished_all(self) -> bool:
        return self.state in ("done", "failed")

    def to_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "id": self.id,
                "state": self.state,
                "error": self.error,
                "done": self.done,
                "total": len(self.files),
                "files": [f.to_json() for f in self.files],
                "rejected": [{"name": r.name, "reason": r.reason} for r in self.rejected],
            }


class UploadJobs:
    """The server's upload jobs and the one thread that runs them: ``jobs.submit(folder, accepted, rejected)``."""

    def __init__(self, archive: Archive, options: BatchOptions) -> None:
        self.archive = archive
        self.options = options
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def submit(self, folder: Path, accepted: list[Accepted], rejected: list[Rejected]) -> Job:
        job = Job(
            id=secrets.token_urlsafe(12),
            folder=folder,
            files=[FileState(a.name, a.path) for a in accepted],
            rejected=rejected,
        )
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="khplan-upload", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Stop the thread after the job it is running (queued jobs are dropped, their folders removed)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=60)
        for job in list(self._jobs.values()):
            shutil.rmtree(job.folder, ignore_errors=True)

    def _forget_old(self) -> None:
        while len(self._jobs) > KEPT_JOBS:
            oldest = next((key for key, job in self._jobs.items() if job.finished_all), None)
            if oldest is None:
                return
            del self._jobs[oldest]

    def _work(self) -> None:
        while (job := self._queue.get()) is not None:
            self._run(job)

    def _run(self, job: Job) -> None:
        by_path = {f.path: f for f in job.files}

        def progress(result: FileResult, _state: BatchProgress) -> None:
            holder = by_path.get(result.path)
            if holder is None:
                return
            with job.lock:
                holder.outcome = result.outcome
                holder.document_id = result.document_id
                holder.reason = result.reason

        with job.lock:
            job.state = "running"
        try:
            if job.files:
                recorded = {f.path: f"upload:{job.id}/{f.name}" for f in job.files}
                paths = [f.path for f in job.files]
                run_batch(paths, self.archive, self.options, progress=progress, recorded_paths=recorded)
            final = "done"
        except Exception as error:  # the job fails, the server goes on
            final = "failed"
            with job.lock:
                job.error = f"{type(error).__name__}: {error}"
        finally:
            shutil.rmtree(job.folder, ignore_errors=True)
        with job.lock:
            job.state = final
            job.finished = time.time()
