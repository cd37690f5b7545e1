"""The archive: every extraction of a batch in one SQLite file (or a PostgreSQL database), through SQLAlchemy Core.

``Archive.open("plans.khplan")`` creates or migrates it; ``store`` writes one document in one transaction
(everything or nothing: a worker killed mid-write leaves the archive as it was); the source files are kept
beside it, content-addressed: ``plans.khplan.files/18/18cf555f….txt``.

SQLite runs in WAL mode, so the CLI reads (search, show, export) while batch workers write; a write
transaction starts with ``BEGIN IMMEDIATE`` and waits up to the busy timeout for another writer.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)

import extractor
from extractor.archive import schema
from extractor.archive.cite import CiteResult, cite, symbol_key
from extractor.archive.schema import (
    CONTENT_TABLES,
    FTS_TABLE,
    MIGRATIONS,
    amounts,
    archive_state,
    assignments,
    citation_mentions,
    citations,
    doc_tables,
    document_paths,
    documents,
    duties,
    findings,
    results,
    search_rows,
    sections,
    table_cells,
    target_statuses,
    targets,
)
from extractor.archive.search import (
    NO_FILTERS,
    SearchFilters,
    SearchHit,
    search,
    search_texts,
    sentence_around,
)
from extractor.normalize.text import fold, normalize_text
from models import ExtractedDocument
from models.comparison import TargetComparison
from models.sections import Section

DEFAULT_BUSY_TIMEOUT_MS = 30_000
_WRITE = "khplan_write"
# The metadata's level -> the tier a search filters on. "thanh_pho" is left out: a thành phố is a province
# (Hà Nội) or a district-level city (thành phố Tuyên Quang), and the header alone does not say which.
_TIERS = {
    "tinh": "province",
    "huyen": "district",
    "quan": "district",
    "thi_xa": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi_tran": "commune",
}


class ArchiveError(Exception):
    """The archive cannot be used: written by a newer khplan, or a reference that names no document."""


@cache
def extractor_version() -> str:
    """The extractor's version and a digest of its data files: "0.1.0+data.3f2a9c41b0de".

    A change to a lexicon or a rule file changes what is extracted, so a batch re-reads documents stored
    under another version.
    """
    data = Path(extractor.__file__).parent / "data"
    digest = hashlib.sha256()
    for path in sorted(p for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(data).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{extractor.__version__}+data.{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class DocumentCounts:
    sections: int = 0
    citations: int = 0
    targets: int = 0
    assignments: int = 0
    amounts: int = 0
    tables: int = 0
    cells: int = 0
    findings: int = 0
    results: int = 0
    errors: int = 0
    warnings: int = 0
    info: int = 0


_COUNT_COLUMNS = {name: f"n_{name}" for name in DocumentCounts.__dataclass_fields__}


@dataclass(frozen=True)
class StoredDocument:
    """One row of the archive: a document read (``status`` "ok") or that could not be read ("failed")."""

    id: int
    sha256: str | None
    extractor_version: str
    status: str
    error: str | None
    superseded: bool
    superseded_by: int | None
    path: str | None
    paths: tuple[str, ...]
    issuer: str | None
    number: str | None
    date: str | None
    year: int | None
    level: str | None
    title: str | None
    format: str | None
    pages: int | None
    ocr_pages: int | None
    counts: DocumentCounts
    has_errors: bool
    extracted_at: str
    source_file: Path | None
    unit: str | None = None
    doc_type: str | None = None

    @property
    def is_current(self) -> bool:
        """Read, and not replaced by other content at its path."""
        return self.status == "ok" and not self.superseded

    def to_json(self) -> dict[str, Any]:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "counts"}
        return {
            **fields,
            "paths": list(self.paths),
            "source_file": str(self.source_file) if self.source_file else None,
            "counts": dict(vars(self.counts)),
        }


@dataclass(frozen=True)
class FindingSummary:
    id: str
    rule: str
    severity: str
    message_vi: str
    message_en: str
    page: int | None
    table_id: str | None
    row_id: str | None
    column: int | None

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass(frozen=True)
class DocumentSummary:
    """What ``khplan show`` prints: the document, its sections' headings and its findings, errors first."""

    document: StoredDocument
    sections: tuple[str, ...]
    findings: tuple[FindingSummary, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "sections": list(self.sections),
            "findings": [finding.to_json() for finding in self.findings],
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


_CHECKED = "statuses_checked_at"


def _path_key(path: Path | str) -> str:
    """Paths are stored absolute, so a batch run from another folder names a file the same way; a name with a
    scheme ("upload:7/ke-hoach.docx", given as a string) is no file and is kept as given."""
    if isinstance(path, str) and _SCHEME.match(path):
        return path
    return str(Path(path).resolve())


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]+:(?![\\/])")  # "upload:…", not "C:\\…" nor a POSIX path


def _sqlite_on_connect(dbapi_connection: Any, _record: Any, *, busy_timeout_ms: int) -> None:
    # The driver's own transaction handling is switched off (it would not open one before DDL); the "begin"
    # listener below emits BEGIN, so every migration and every store is a real transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A writer takes the write lock at BEGIN, so two workers never both read then fail to upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _engine(target: Path | str, busy_timeout_ms: int) -> tuple[Engine, Path | None]:
    """The engine for a path or a URL, and the folder that keeps the source files (None for a server)."""
    if isinstance(target, str) and target.startswith(("sqlite:", "postgresql:", "postgresql+")):
        engine = create_engine(target)
        database = engine.url.database
        files = Path(database + ".files") if engine.dialect.name == "sqlite" and database else None
    else:
        path = Path(target).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{path}")
        files = Path(f"{path}.files")
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", partial(_sqlite_on_connect, busy_timeout_ms=busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine, files


class Archive:
    """An open archive. ``with Archive.open("plans.khplan") as archive: archive.search("hộ nghèo")``."""

    def __init__(self, engine: Engine, files_dir: Path | None) -> None:
        self.engine = engine
        self.files_dir = files_dir
        self.applied_migrations: tuple[int, ...] = ()

    @classmethod
    def open(cls, path: Path | str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Archive:
        """Open ``path`` (a file, or a URL "sqlite:///…" / "postgresql://…"), creating it or applying the
        migrations it lacks; ``applied_migrations`` lists the versions this call applied."""
        engine, files_dir = _engine(path, busy_timeout_ms)
        archive = cls(engine, files_dir)
        archive.applied_migrations = archive._migrate()
        return archive

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                yield conn

    def _migrate(self) -> tuple[int, ...]:
        with self.engine.connect() as conn:
            known = inspect(conn).has_table(schema.schema_version.name)
            done = schema.applied_versions(conn) if known else set()
        if max(done, default=0) > len(MIGRATIONS):
            raise ArchiveError(f"archive schema version {max(done)} is newer than this khplan knows")
        if not known:
            with self.writing() as conn:
                schema.create_version_table(conn)
        applied = []
        for version in range(1, len(MIGRATIONS) + 1):
            if version in done:
                continue
            with self.writing() as conn:  # one transaction per migration
                if schema.apply_migration(conn, version):
                    applied.append(version)
        return tuple(applied)

    # -----------------------------------------------------------------------------------------------
    # Writing
    # -----------------------------------------------------------------------------------------------

    def store(
        self,
        *,
        path: Path | str,
        sha256: str,
        extractor_version: str,
        extraction_json: bytes,
        source_file: Path | None = None,
        prepared: PreparedDocument | None = None,
    ) -> StoredDocument:
        """Store one extraction in one transaction and return it (``prepared``: its rows, when the worker that
        extracted it built them with ``prepare_document``).

        Replaces any earlier row of the same content (another extractor version, or ``--force``), keeping its
        paths; records ``path``; supersedes a current document last seen at ``path`` with other content (a
        file edited in place); copies ``source_file`` into the archive's files folder.
        """
        prepared = prepared or prepare_document(extraction_json)
        where, now = _path_key(path), _now()
        kept = self._keep_source(source_file, sha256) if source_file else None
        with self.writing() as conn:
            earlier_paths = _drop_same_content(conn, sha256)
            _drop_failures_at(conn, where, sha256)
            row = {**prepared.document, "sha256": sha256, "extractor_version": extractor_version}
            document_id = conn.execute(
                insert(documents).values(**row, extracted_at=now, source_file=kept)
            ).inserted_primary_key[0]
            _write_content(conn, document_id, prepared)
            for old_path, first_seen, last_seen in earlier_paths:
                _insert_path(conn, document_id, old_path, first_seen, last_seen)
            _touch_path(conn, document_id, where, now)
            _supersede_at(conn, where, document_id, sha256)
        return self._get(document_id)

    def store_failure(
        self, *, path: Path | str, sha256: str | None, extractor_version: str, reason: str
    ) -> None:
        """Record that ``path`` could not be read, replacing an earlier failure there: reason "InputError:
        not a plan (empty file)"."""
        where, now = _path_key(path), _now()
        with self.writing() as conn:
            _drop_failures_at(conn, where, sha256)
            row = {
                "sha256": sha256,
                "extractor_version": extractor_version,
                "status": "failed",
                "error": reason,
            }
            document_id = conn.execute(
                insert(documents).values(**row, extracted_at=now)
            ).inserted_primary_key[0]
            _touch_path(conn, document_id, where, now)

    def add_path(self, document_id: int, path: Path | str) -> None:
        """Record that the content of ``document_id`` was seen at ``path`` too (now)."""
        with self.writing() as conn:
            if conn.scalar(select(documents.c.id).where(documents.c.id == document_id)) is None:
                raise ArchiveError(f"no document {document_id}")
            where = _path_key(path)
            _touch_path(conn, document_id, where, _now())
            _supersede_at(
                conn,
                where,
                document_id,
                conn.scalar(select(documents.c.sha256).where(documents.c.id == document_id)),
            )

    def delete_document(self, document_id: int) -> None:
        """Remove a document, its paths and content; its kept source file goes unless another row holds it."""
        with self.writing() as conn:
            conn.execute(delete(archive_state).where(archive_state.c.key == _CHECKED))  # evidence may be gone
            kept = conn.scalar(select(documents.c.source_file).where(documents.c.id == document_id))
            _delete_documents(conn, [document_id])
            shared = kept and conn.scalar(select(func.count()).where(documents.c.source_file == kept))
        if kept and not shared and self.files_dir:
            (self.files_dir / kept).unlink(missing_ok=True)

    def _keep_source(self, source_file: Path, sha256: str) -> str | None:
        """Copy ``source_file`` to ``<files>/ab/abcdef….ext`` (temp file, then rename); the path relative to
        the files folder. The copy's digest must be ``sha256``."""
        if self.files_dir is None:
            return None
        relative = f"{sha256[:2]}/{sha256}{Path(source_file).suffix.lower()}"
        target = self.files_dir / relative
        if target.exists():
            return relative
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out, open(source_file, "rb") as source:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ArchiveError(f"{source_file} does not have the digest {sha256}")
            os.replace(temporary, target)
        finally:
            Path(temporary).unlink(missing_ok=True)
        return relative

    # -----------------------------------------------------------------------------------------------
    # Reading
    # -----------------------------------------------------------------------------------------------

    def lookup(self, sha256: str, extractor_version: str) -> StoredDocument | None:
        """The current ok document with this content read by this extractor version, or None."""
        condition = (
            (documents.c.sha256 == sha256)
            & (documents.c.extractor_version == extractor_version)
            & (documents.c.status == "ok")
            & documents.c.superseded.is_(False)
        )
        found = self._load(condition)
        return found[0] if found else None

    def documents(self) -> list[StoredDocument]:
        """Every row, ok, failed and superseded, oldest first."""
        return self._load(None)

    def current_documents(self) -> list[StoredDocument]:
        """The rows read and not superseded, oldest first."""
        return self._load((documents.c.status == "ok") & documents.c.superseded.is_(False))

    def current_ids(self) -> dict[str, int]:
        """The sha256 of each current document -> its id (one light query: to link a comparison's documents)."""
        statement = select(documents.c.sha256, documents.c.id).where(
            documents.c.status == "ok", documents.c.superseded.is_(False)
        )
        with self.engine.connect() as conn:
            return {sha256: document_id for sha256, document_id in conn.execute(statement) if sha256}

    def statuses_fresh(self) -> bool:
        """True when the statuses were found current (``mark_statuses_checked``) and no document has been
        stored or deleted since: then no plan can be stale, and ``track`` need not look closer."""
        with self.engine.connect() as conn:
            checked = conn.scalar(select(archive_state.c.value).where(archive_state.c.key == _CHECKED))
            if checked is None:
                return False
            later = conn.scalar(select(func.count()).where(documents.c.extracted_at > checked))
        return not later

    def check_started(self) -> str:
        """The time to give ``mark_statuses_checked`` once a check that starts now has brought every plan's
        statuses up to date (a document stored meanwhile is then still seen as new)."""
        return _now()

    def mark_statuses_checked(self, started: str) -> None:
        """Record that every plan's statuses were current as of ``started`` (``check_started``)."""
        with self.writing() as conn:
            conn.execute(delete(archive_state).where(archive_state.c.key == _CHECKED))
            conn.execute(insert(archive_state).values(key=_CHECKED, value=started))

    def resolve(self, ref: str) -> StoredDocument | None:
        """The document named by an id ("12"), a sha256 prefix of 6 hex digits or more ("18cf555f"), or a
        path; current documents are preferred, and an ambiguous prefix gives None."""
        ref = ref.strip()
        if ref.isdigit() and (found := self._load(documents.c.id == int(ref))):
            return found[0]
        if len(ref) >= 6 and all(c in "0123456789abcdef" for c in ref.lower()):
            found = self._load(documents.c.sha256.startswith(ref.lower(), autoescape=True))
            current = [d for d in found if d.status == "ok" and not d.superseded] or found
            if len({d.sha256 for d in current}) == 1:
                return current[-1]
        at_path = select(document_paths.c.document_id).where(document_paths.c.path == _path_key(ref))
        found = self._load(documents.c.id.in_(at_path))
        found.sort(key=lambda d: (d.status == "ok" and not d.superseded, d.id))
        return found[-1] if found else None

    def extraction(self, document_id: int) -> ExtractedDocument:
        """The stored extraction rebuilt as the model."""
        return ExtractedDocument.model_validate_json(self.extraction_bytes(document_id))

    def extraction_bytes(self, document_id: int) -> bytes:
        """The stored extraction JSON, as ``khplan extract`` wrote it (decompressed)."""
        columns = (documents.c.extraction_zlib, documents.c.extraction_json)
        with self.engine.connect() as conn:
            found = conn.execute(select(*columns).where(documents.c.id == document_id)).first()
        if found is None or (found[0] is None and found[1] is None):
            raise ArchiveError(f"no extraction stored for document {document_id}")
        compressed, plain = found
        return zlib.decompress(compressed) if compressed is not None else plain.encode("utf-8")

    def summary(self, document_id: int) -> DocumentSummary:
        """The document's metadata, counts, section headings and findings (errors, then warnings, then info)."""
        document = self._get(document_id)
        with self.engine.connect() as conn:
            headings = conn.execute(
                select(sections.c.numbering, sections.c.heading)
                .where(sections.c.document_id == document_id)
                .order_by(sections.c.id)
            ).all()
            rows = conn.execute(
                select(findings).where(findings.c.document_id == document_id).order_by(findings.c.id)
            )
            found = [_finding_summary(row) for row in rows]
        order = {"error": 0, "warning": 1, "info": 2}
        found.sort(key=lambda f: order.get(f.severity, 3))
        shown = tuple(f"{number}. {heading}" if number else heading for number, heading in headings)
        return DocumentSummary(document=document, sections=shown, findings=tuple(found))

    def search(self, query: str, filters: SearchFilters = NO_FILTERS) -> list[SearchHit]:
        """Hits for ``query``, best first: ``archive.search("ho ngheo", SearchFilters(year=2024))``."""
        with self.engine.connect() as conn:
            return search(conn, query, filters)

    def cite(self, symbol: str) -> CiteResult:
        """The current plans citing ``symbol`` ("86/2015/NĐ-CP"), with the dates they give it."""
        with self.engine.connect() as conn:
            return cite(conn, symbol)

    def replace_statuses(
        self, computed: Sequence[tuple[int, Sequence[TargetComparison], Mapping[str, int]]]
    ) -> None:
        """Store, for each (plan id, comparisons, evidence ids) of ``computed``, the statuses of the plan's
        targets in place of its earlier ones, all in one transaction; the evidence ids map a result
        document's sha256 to its archive id (a status names the documents it rests on)."""
        now = _now()
        rows = [
            _status_row(plan_id, item, evidence_ids, now)
            for plan_id, comparisons, evidence_ids in computed
            for item in comparisons
        ]
        plan_ids = [plan_id for plan_id, _, _ in computed]
        with self.writing() as conn:
            for start in range(0, len(plan_ids), 500):
                chunk = plan_ids[start : start + 500]
                conn.execute(delete(target_statuses).where(target_statuses.c.document_id.in_(chunk)))
            _insert_rows(conn, target_statuses, rows)

    def statuses(
        self,
        issuer: str | None = None,
        year: int | None = None,
        status: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TargetComparison]:
        """The stored statuses of the current plans' targets (of ``issuer``, a folded substring, ``year`` and
        ``status`` when given), plan by plan in archive order, each plan's targets in its order; ``limit``
        and ``offset`` give one page of them."""
        statement = (
            select(target_statuses.c.json)
            .join(documents, documents.c.id == target_statuses.c.document_id)
            .where(*_status_conditions(issuer, year, status))
            .order_by(target_statuses.c.document_id, target_statuses.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [TargetComparison.model_validate_json(stored) for stored in conn.scalars(statement)]

    def status_totals(self, issuer: str | None = None, year: int | None = None) -> dict[str, int]:
        """How many targets of the current plans (of ``issuer`` and ``year``) have each status."""
        statement = (
            select(target_statuses.c.status, func.count())
            .join(documents, documents.c.id == target_statuses.c.document_id)
            .where(*_status_conditions(issuer, year, None))
            .group_by(target_statuses.c.status)
        )
        with self.engine.connect() as conn:
            return {status: count for status, count in conn.execute(statement)}

    def plans_with_statuses(self) -> dict[int, str]:
        """Id of each document whose targets have stored statuses -> when they were computed (ISO, UTC)."""
        statement = select(target_statuses.c.document_id, func.min(target_statuses.c.computed_at)).group_by(
            target_statuses.c.document_id
        )
        with self.engine.connect() as conn:
            return {document_id: when for document_id, when in conn.execute(statement)}

    def integrity_ok(self) -> bool:
        """SQLite's integrity check passes, and every ok document's stored counts match its rows, it has a
        path, and the FTS index holds exactly the search rows of current documents."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                if conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() != ["ok"]:
                    return False
                if schema.fts_row_count(conn) != schema.current_search_row_count(conn):
                    return False
            return not _count_mismatches(conn) and not _ok_without_path(conn)

    def _get(self, document_id: int) -> StoredDocument:
        found = self._load(documents.c.id == document_id)
        if not found:
            raise ArchiveError(f"no document {document_id}")
        return found[0]

    def _load(self, condition: Any) -> list[StoredDocument]:
        columns = [c for c in documents.c if c.name not in ("extraction_json", "extraction_zlib")]
        statement = select(*columns).order_by(documents.c.id)
        if condition is not None:
            statement = statement.where(condition)
        with self.engine.connect() as conn:
            rows = conn.execute(statement).mappings().all()
            held = select(document_paths.c.document_id, document_paths.c.path).order_by(
                document_paths.c.last_seen, document_paths.c.id
            )
            if condition is not None:  # every path otherwise: a list of ten thousand ids costs more
                held = held.where(document_paths.c.document_id.in_(select(documents.c.id).where(condition)))
            seen = conn.execute(held).all()
        paths: dict[int, list[str]] = {}
        for document_id, path in seen:
            paths.setdefault(document_id, []).append(path)
        return [self._stored(row, tuple(paths.get(row["id"], ()))) for row in rows]

    def _stored(self, row: Any, paths: tuple[str, ...]) -> StoredDocument:
        counts = DocumentCounts(**{name: row[column] for name, column in _COUNT_COLUMNS.items()})
        kept = self.files_dir / row["source_file"] if self.files_dir and row["source_file"] else None
        return StoredDocument(
            id=row["id"],
            sha256=row["sha256"],
            extractor_version=row["extractor_version"],
            status=row["status"],
            error=row["error"],
            superseded=bool(row["superseded"]),
            superseded_by=row["superseded_by"],
            path=paths[-1] if paths else None,
            paths=paths,
            issuer=row["issuer"],
            number=row["number"],
            date=row["doc_date"],
            year=row["year"],
            level=row["level"],
            title=row["title"],
            format=row["format"],
            pages=row["pages"],
            ocr_pages=row["ocr_pages"],
            counts=counts,
            has_errors=bool(row["has_errors"]),
            extracted_at=row["extracted_at"],
            source_file=kept,
            unit=row["unit"],
            doc_type=row["doc_type"],
        )


def _status_conditions(issuer: str | None, year: int | None, status: str | None) -> list[Any]:
    conditions = [documents.c.status == "ok", documents.c.superseded.is_(False)]
    if issuer:
        conditions.append(documents.c.issuer_folded.contains(fold(normalize_text(issuer)), autoescape=True))
    if year is not None:
        conditions.append(documents.c.year == year)
    if status:
        conditions.append(target_statuses.c.status == status)
    return conditions


def _status_row(plan_id: int, item: TargetComparison, evidence_ids: Mapping[str, int], now: str) -> Row:
    used = sorted(
        {evidence_ids[r.document.sha256] for r in item.results if r.document.sha256 in evidence_ids}
    )
    return {
        "document_id": plan_id,
        "target_id": item.target.id,
        "status": item.status,
        "gap": item.gap,
        "gap_percent": item.gap_percent,
        "reason": item.reason,
        "evidence": "".join(f",{i}" for i in used) + ("," if used else ""),
        "computed_at": now,
        "json": item.model_dump_json(),
    }


def _finding_summary(row: Any) -> FindingSummary:
    return FindingSummary(
        id=row.finding_id,
        rule=row.rule,
        severity=row.severity,
        message_vi=row.message_vi,
        message_en=row.message_en,
        page=row.page,
        table_id=row.table_id,
        row_id=row.row_id,
        column=row.column,
    )


# ---------------------------------------------------------------------------------------------------
# Rows of one document (all inside the caller's transaction)
# ---------------------------------------------------------------------------------------------------


def _document_number(doc: ExtractedDocument) -> str | None:
    """ "267/KH-UBND"; "/KH-UBND" for a draft whose number is left blank."""
    meta = doc.metadata
    symbol = meta.symbol.value if meta.symbol else None
    if symbol:
        return f"{meta.number or ''}/{symbol}"
    return meta.number


Row = dict[str, Any]


@dataclass(frozen=True)
class PreparedDocument:
    """Every row one extraction gives the archive, built from its JSON where it was extracted.

    A batch worker prepares its document (rebuilding the model, serializing each item, folding the search
    texts: most of the cost of storing) beside the extraction, so the one thread that writes the archive
    only inserts ready rows: two workers then extract twice as fast as one instead of waiting on the writer.
    Rows hold no ``document_id`` nor parent ids: the writer gives them. A parent's children are listed with
    it: ``citations`` is [(citation row, [mention rows])].
    """

    document: Row
    sections: list[Row]
    citations: list[tuple[Row, list[Row]]]
    targets: list[Row]
    assignments: list[tuple[Row, list[Row]]]
    amounts: list[Row]
    tables: list[tuple[Row, list[Row]]]
    findings: list[Row]
    results: list[Row]
    search: list[Row]


def prepare_document(extraction_json: bytes, doc: ExtractedDocument | None = None) -> PreparedDocument:
    """The rows of one extraction (the JSON ``khplan extract`` writes, and the document itself when at hand:
    a batch worker has it, and rebuilding it from the JSON costs a fifth of storing), ready for
    ``Archive.store``."""
    doc = doc if doc is not None else ExtractedDocument.model_validate_json(extraction_json)
    document = _document_fields(doc, extraction_json)
    return PreparedDocument(
        document=document,
        sections=_section_rows(doc),
        citations=_citation_rows(doc),
        targets=_target_rows(doc),
        assignments=_assignment_rows(doc),
        amounts=_amount_rows(doc),
        tables=_table_rows(doc),
        findings=_finding_rows(doc),
        results=_result_rows(doc),
        search=[_indexed(row, document) for row in search_texts(doc)],
    )


def _indexed(row: Row, document: Row) -> Row:
    """A search row with the four texts of its FTS5 row (``schema.FTS_COLUMNS``), prefixed "folded_"."""
    tags = schema.filter_tags(
        row["kind"], row["indicator_key"], document["year"], document["level"], document["has_errors"]
    )
    return {
        **row,
        "folded_indicator": fold(row["indicator"] or ""),
        "folded_text": fold(row["text"]),
        "folded_tags": tags,
        "folded_issuer": document["issuer_folded"] or "",
    }


def _document_fields(doc: ExtractedDocument, stored: bytes) -> Row:
    meta = doc.metadata
    severities = [finding.severity for finding in doc.findings]
    counts = DocumentCounts(
        sections=len(_flat_sections(doc.sections)),
        citations=len(doc.citations),
        targets=len(doc.targets),
        assignments=len(doc.assignments),
        amounts=len(doc.amounts),
        tables=len(doc.tables),
        cells=sum(len(row.cells) for table in doc.tables for row in table.rows),
        findings=len(doc.findings),
        results=len(doc.results),
        errors=severities.count("error"),
        warnings=severities.count("warning"),
        info=severities.count("info"),
    )
    issuer = meta.issuer.value if meta.issuer else None
    return {
        "status": "ok",
        "superseded": False,
        "issuer": issuer,
        "issuer_folded": fold(issuer) if issuer else None,
        "number": _document_number(doc),
        "doc_date": meta.date.iso if meta.date else None,
        "year": meta.plan_year or (meta.date.year if meta.date else None),
        "level": _TIERS.get(meta.level or ""),
        "admin_level": meta.level,
        "title": meta.title.value if meta.title else None,
        "unit": meta.unit.value if meta.unit else None,
        "doc_type": meta.doc_type.value if meta.doc_type else None,
        "format": doc.source.format,
        "pages": doc.source.pages,
        "ocr_pages": sum(1 for read in doc.source.page_reads if read.method == "ocr"),
        **{_COUNT_COLUMNS[name]: value for name, value in vars(counts).items()},
        "has_errors": counts.errors > 0,
        "extraction_json": None,
        "extraction_zlib": zlib.compress(stored if isinstance(stored, bytes) else stored.encode("utf-8")),
    }


def _flat_sections(tree: list[Section], parent: str | None = None) -> list[tuple[Section, str | None]]:
    flat: list[tuple[Section, str | None]] = []
    for section in tree:
        flat.append((section, parent))
        flat.extend(_flat_sections(section.children, section.id))
    return flat


def _span(span: Any, page: int | None) -> Row:
    return {"start": span.start if span else None, "end": span.end if span else None, "page": page}


def _section_rows(doc: ExtractedDocument) -> list[Row]:
    return [
        {
            "section_id": section.id,
            "parent_id": parent,
            "numbering": section.numbering,
            "heading": section.heading,
            "level": section.level,
            "kinds": ",".join(section.kinds),
            **_span(section.span, section.page),
            "json": section.model_dump_json(exclude={"children"}),
        }
        for section, parent in _flat_sections(doc.sections)
    ]


def _citation_rows(doc: ExtractedDocument) -> list[tuple[Row, list[Row]]]:
    return [
        (
            {
                "citation_id": citation.id,
                "type": citation.type,
                "symbol": citation.symbol,
                "symbol_key": symbol_key(citation.symbol) if citation.symbol else None,
                "date": citation.date.iso if citation.date else None,
                "issuer": citation.issuer,
                "subject": citation.subject,
                "title": citation.title,
                "role": citation.role,
                "n_mentions": len(citation.mentions),
                "json": citation.model_dump_json(),
            },
            [
                {
                    "raw": mention.raw,
                    "date": mention.date.iso if mention.date else None,
                    "date_raw": mention.date.raw if mention.date else None,
                    "section_id": mention.section_id,
                    **_span(mention.span, mention.page),
                }
                for mention in citation.mentions
            ],
        )
        for citation in doc.citations
    ]


def _target_rows(doc: ExtractedDocument) -> list[Row]:
    rows = []
    for target in doc.targets:
        period = target.period
        deadline = period.deadline if period else None
        rows.append(
            {
                "target_id": target.id,
                "indicator_key": target.indicator.key,
                "indicator": target.indicator.text,
                "value": target.value,
                "raw": target.raw,
                "decimals": target.decimals,
                "unit": target.unit,
                "direction": target.direction,
                "deadline": deadline.iso if deadline else None,
                "deadline_raw": (deadline.raw if deadline else None) or (period.raw if period else None),
                "start_year": period.start_year if period else None,
                "end_year": period.end_year if period else None,
                "scope": target.scope,
                "population": target.population,
                "qualitative": target.qualitative,
                "section_id": target.section_id,
                "sentence": sentence_around(doc.text, target.span),
                **_span(target.span, target.page),
                "json": target.model_dump_json(),
            }
        )
    return rows


def _result_rows(doc: ExtractedDocument) -> list[Row]:
    rows = []
    for result in doc.results:
        period = result.period
        rows.append(
            {
                "result_id": result.id,
                "indicator_key": result.indicator.key,
                "indicator": result.indicator.text,
                "value": result.value,
                "raw": result.raw,
                "unit": result.unit,
                "of_total": result.of_total,
                "period_kind": period.kind if period else None,
                "period_year": period.year if period else None,
                "period": period.raw if period else None,
                "scope_kind": result.scope.kind,
                "scope_name": result.scope.name,
                "direction": result.direction,
                "basis": result.basis,
                "text": result.text,
                **_span(result.span, result.page),
                "json": result.model_dump_json(),
            }
        )
    return rows


def _assignment_rows(doc: ExtractedDocument) -> list[tuple[Row, list[Row]]]:
    return [
        (
            {
                "assignment_id": assignment.id,
                "body": assignment.body,
                "role": assignment.role,
                "n_duties": len(assignment.duties),
                "section_id": assignment.section_id,
                **_span(assignment.span, assignment.page),
                "json": assignment.model_dump_json(),
            },
            [
                {
                    "text": duty.text,
                    "role": duty.role,
                    "deadline": duty.deadline,
                    "cadence": duty.cadence,
                    **_span(duty.span, duty.page),
                }
                for duty in assignment.duties
            ],
        )
        for assignment in doc.assignments
    ]


def _amount_rows(doc: ExtractedDocument) -> list[Row]:
    return [
        {
            "amount_id": amount.id,
            "kind": amount.kind,
            "value": amount.value,
            "raw": amount.raw,
            "decimals": amount.decimals,
            "unit": amount.unit,
            "per": amount.per,
            "of_total": amount.of_total,
            "label": amount.label,
            "in_words": amount.in_words,
            "is_total": amount.is_total,
            "section_id": amount.section_id,
            **_span(amount.span, amount.page),
            "json": amount.model_dump_json(),
        }
        for amount in doc.amounts
    ]


def _table_rows(doc: ExtractedDocument) -> list[tuple[Row, list[Row]]]:
    prepared = []
    for table in doc.tables:
        headers = {column.index: column for column in table.columns}
        cells = []
        for row in table.rows:
            for cell in row.cells:
                column = headers.get(cell.column)
                cells.append(
                    {
                        "row_id": row.id,
                        "row_index": row.index,
                        "row_label": row.label,
                        "row_kind": row.kind,
                        "column": cell.column,
                        "header": " / ".join(column.path) if column else None,
                        "column_role": column.role if column else None,
                        "raw": cell.raw,
                        "value": cell.value,
                        "decimals": cell.decimals,
                        "type": cell.type,
                        "page": cell.provenance.page if cell.provenance.page is not None else table.page,
                        "json": cell.model_dump_json(),
                    }
                )
        row = {
            "table_id": table.id,
            "caption": table.caption,
            "section_id": table.section_id,
            "per_unit": table.per_unit,
            "n_rows": len(table.rows),
            "n_columns": len(table.columns),
            "n_cells": len(cells),
            "page": table.page,
            "json": table.model_dump_json(exclude={"rows"}),
        }
        prepared.append((row, cells))
    return prepared


def _finding_rows(doc: ExtractedDocument) -> list[Row]:
    rows = []
    for finding in doc.findings:
        where = finding.location
        rows.append(
            {
                "finding_id": finding.id,
                "rule": finding.rule,
                "severity": finding.severity,
                "message_vi": finding.message_vi,
                "message_en": finding.message_en,
                "stated": finding.stated,
                "expected": finding.expected,
                "evidence": finding.evidence,
                "explanation": finding.explanation_vi or finding.explanation,
                "table_id": where.table_id,
                "row_id": where.row_id,
                "column": where.column,
                "section_id": None,
                **_span(where.span, where.page),
                "json": finding.model_dump_json(),
            }
        )
    return rows


# -- writing prepared rows ------------------------------------------------------------------------------


def _write_content(conn: Connection, document_id: int, prepared: PreparedDocument) -> None:
    """Insert every row of ``prepared`` for the document ``document_id``, inside the caller's transaction."""
    owned = {"document_id": document_id}
    _insert_rows(conn, sections, [{**owned, **row} for row in prepared.sections])
    _insert_family(conn, citations, citation_mentions, "citation_row", prepared.citations, owned)
    _insert_rows(conn, targets, [{**owned, **row} for row in prepared.targets])
    _insert_family(conn, assignments, duties, "assignment_row", prepared.assignments, owned)
    _insert_rows(conn, amounts, [{**owned, **row} for row in prepared.amounts])
    _insert_family(conn, doc_tables, table_cells, "table_row", prepared.tables, owned)
    _insert_rows(conn, findings, [{**owned, **row} for row in prepared.findings])
    _insert_rows(conn, results, [{**owned, **row} for row in prepared.results])
    _index_rows(conn, document_id, prepared.search)


def _insert_rows(conn: Connection, table: Any, rows: list[Row]) -> None:
    """One executemany, no ids returned. On SQLite the statement goes to the driver as written: building a
    SQLAlchemy statement costs half a millisecond, as much as inserting a plan's targets."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    placeholders = ", ".join("?" * len(columns))
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"
    conn.exec_driver_sql(statement, [tuple(row[column] for column in columns) for row in rows])


def _new_ids(conn: Connection, table: Any, count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table``. The writer holds SQLite's write lock (BEGIN IMMEDIATE), so the
    ids after the largest are free and can be given in the rows, with no RETURNING; other databases give
    them through RETURNING."""
    if not count:
        return []
    if conn.dialect.name != "sqlite":
        return []
    first = (conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0) + 1
    return list(range(first, first + count))


def _insert_family(
    conn: Connection, parent: Any, child: Any, key: str, family: list[tuple[Row, list[Row]]], owned: Row
) -> None:
    """Insert parent rows and, under each, its children pointing at it by ``key``."""
    if not family:
        return
    ids = _new_ids(conn, parent, len(family))
    rows = [{**owned, **row} for row, _ in family]
    if ids:
        _insert_rows(conn, parent, [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)])
    else:
        returned = insert(parent).returning(parent.c.id, sort_by_parameter_order=True)
        ids = list(conn.execute(returned, rows).scalars())
    children = [
        {**owned, **row, key: row_id} for row_id, (_, kids) in zip(ids, family, strict=True) for row in kids
    ]
    _insert_rows(conn, child, children)


def _index_rows(conn: Connection, document_id: int, rows: list[Row]) -> None:
    """The document's search rows, and their folded texts in the FTS5 index under the same rowids."""
    if not rows:
        return
    ids = _new_ids(conn, search_rows, len(rows))
    plain = [
        {key: value for key, value in row.items() if not key.startswith("folded_")}
        | {"document_id": document_id}
        for row in rows
    ]
    if ids:
        _insert_rows(
            conn, search_rows, [{**row, "id": row_id} for row, row_id in zip(plain, ids, strict=True)]
        )
    else:
        returned = insert(search_rows).returning(search_rows.c.id, sort_by_parameter_order=True)
        ids = list(conn.execute(returned, plain).scalars())
    if conn.dialect.name != "sqlite":
        return
    columns = schema.FTS_COLUMNS
    folded = [
        (row_id, *(row[f"folded_{column}"] for column in columns))
        for row_id, row in zip(ids, rows, strict=True)
    ]
    placeholders = ", ".join("?" * (len(columns) + 1))
    conn.exec_driver_sql(
        f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(columns)}) VALUES ({placeholders})", folded
    )


def _unindex(conn: Connection, ids: list[int]) -> None:
    """Take the documents ``ids`` out of the FTS5 index (deleted or superseded: search shows neither)."""
    if conn.dialect.name != "sqlite" or not ids:
        return
    indexed = select(search_rows.c.id).where(search_rows.c.document_id.in_(ids))
    rowids = list(conn.scalars(indexed))
    for start in range(0, len(rowids), 500):
        chunk = ",".join(str(int(r)) for r in rowids[start : start + 500])
        conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({chunk})")


# ---------------------------------------------------------------------------------------------------
# Paths, replacement and supersession
# ---------------------------------------------------------------------------------------------------


def _insert_path(conn: Connection, document_id: int, path: str, first_seen: str, last_seen: str) -> None:
    values = {"document_id": document_id, "path": path, "first_seen": first_seen, "last_seen": last_seen}
    conn.execute(insert(document_paths).values(**values))


def _touch_path(conn: Connection, document_id: int, path: str, now: str) -> None:
    """Record ``path`` for the document, or move its last-seen time to now."""
    mine = (document_paths.c.document_id == document_id) & (document_paths.c.path == path)
    if conn.execute(update(document_paths).where(mine).values(last_seen=now)).rowcount == 0:
        _insert_path(conn, document_id, path, now, now)


def _drop_same_content(conn: Connection, sha256: str) -> list[tuple[str, str, str]]:
    """Delete every ok row of this content (an older version's, or a forced re-read); their paths."""
    ids = list(
        conn.scalars(select(documents.c.id).where(documents.c.sha256 == sha256, documents.c.status == "ok"))
    )
    if not ids:
        return []
    seen = conn.execute(
        select(
            document_paths.c.path, func.min(document_paths.c.first_seen), func.max(document_paths.c.last_seen)
        )
        .where(document_paths.c.document_id.in_(ids))
        .group_by(document_paths.c.path)
    ).all()
    _delete_documents(conn, ids)
    return [tuple(row) for row in seen]


def _drop_failures_at(conn: Connection, path: str, sha256: str | None) -> None:
    """Delete failed rows at ``path`` or of this content: a new attempt replaces them."""
    at_path = select(document_paths.c.document_id).where(document_paths.c.path == path)
    same = documents.c.id.in_(at_path)
    if sha256:
        same = same | (documents.c.sha256 == sha256)
    ids = list(conn.scalars(select(documents.c.id).where(documents.c.status == "failed", same)))
    _delete_documents(conn, ids)


def _supersede_at(conn: Connection, path: str, document_id: int, sha256: str | None) -> None:
    """Other current content last seen at ``path`` was replaced by this one: a document seen only there is
    superseded; one also seen elsewhere just loses this path."""
    others = conn.scalars(
        select(documents.c.id)
        .join(document_paths, document_paths.c.document_id == documents.c.id)
        .where(
            document_paths.c.path == path,
            documents.c.id != document_id,
            documents.c.sha256 != sha256,
            documents.c.status == "ok",
            documents.c.superseded.is_(False),
        )
    ).all()
    for other in others:
        n_paths = conn.scalar(select(func.count()).where(document_paths.c.document_id == other))
        if n_paths > 1:
            conn.execute(
                delete(document_paths).where(
                    document_paths.c.document_id == other, document_paths.c.path == path
                )
            )
        else:
            conn.execute(
                update(documents)
                .where(documents.c.id == other)
                .values(superseded=True, superseded_by=document_id)
            )
            _unindex(conn, [other])


def _delete_documents(conn: Connection, ids: list[int]) -> None:
    if not ids:
        return
    _unindex(conn, ids)
    for table in (*CONTENT_TABLES, document_paths):
        conn.execute(delete(table).where(table.c.document_id.in_(ids)))
    conn.execute(update(documents).where(documents.c.superseded_by.in_(ids)).values(superseded_by=None))
    conn.execute(delete(documents).where(documents.c.id.in_(ids)))


# ---------------------------------------------------------------------------------------------------
# Integrity
# ---------------------------------------------------------------------------------------------------

_COUNTED = (
    ("n_sections", sections),
    ("n_citations", citations),
    ("n_targets", targets),
    ("n_assignments", assignments),
    ("n_amounts", amounts),
    ("n_tables", doc_tables),
    ("n_cells", table_cells),
    ("n_findings", findings),
    ("n_results", results),
)


def _count_mismatches(conn: Connection) -> list[int]:
    """Ids of ok documents whose stored counts differ from their rows."""
    bad: set[int] = set()
    for column, table in _COUNTED:
        counted = (
            select(table.c.document_id, func.count().label("n")).group_by(table.c.document_id).subquery()
        )
        statement = (
            select(documents.c.id)
            .outerjoin(counted, counted.c.document_id == documents.c.id)
            .where(documents.c.status == "ok", documents.c[column] != func.coalesce(counted.c.n, 0))
        )
        bad.update(conn.scalars(statement))
    return sorted(bad)


def _ok_without_path(conn: Connection) -> list[int]:
    with_path = select(document_paths.c.document_id)
    statement = select(documents.c.id).where(documents.c.status == "ok", documents.c.id.not_in(with_path))
    return list(conn.scalars(statement))
