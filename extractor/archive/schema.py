"""The archive's tables and the migrations that build them, written with SQLAlchemy Core.

The ``Table`` objects below describe the current schema, for queries. The schema itself is made by
``MIGRATIONS``: an ordered list of functions, migration N being ``MIGRATIONS[N - 1]``, each applied once in
its own transaction and recorded in ``schema_version``. A later change adds a function at the end (an
``ALTER TABLE`` or a new table) and updates the ``Table`` objects; it never edits an applied migration.

Every child table carries ``document_id`` and the JSON of the model it was read from (``json``), so a report
can use the columns and a reader that needs more can rebuild the model.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
)

from extractor.normalize.text import fold

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _document_id() -> Column:
    return Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True
    )


def _span_columns() -> list[Column]:
    return [Column("start", Integer), Column("end", Integer), Column("page", Integer)]


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("applied_at", String, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    _id(),
    Column("sha256", String(64), index=True),
    Column("extractor_version", String, nullable=False),
    Column("status", String(8), nullable=False),  # 'ok' | 'failed'
    Column("error", Text),
    Column("superseded", Boolean, nullable=False, default=False),
    Column("superseded_by", Integer),
    Column("issuer", String),
    Column("issuer_folded", String),
    Column("number", String),  # "267/KH-UBND", "/KH-UBND" for an unnumbered draft
    Column("doc_date", String(10)),  # ISO, only when day, month and year are all written
    Column("year", Integer),  # the plan's year, else the year of its date
    Column("level", String(8)),  # province | district | commune
    Column("admin_level", String(12)),  # the metadata's own level: tinh, huyen, xa, phuong, …
    Column("title", Text),
    Column("unit", String),  # the unit the document is about when it names one besides its issuer
    Column("doc_type", String),  # "Kế hoạch", "Báo cáo", …
    Column("format", String(8)),
    Column("pages", Integer),
    Column("ocr_pages", Integer),
    Column("n_sections", Integer, nullable=False, default=0),
    Column("n_citations", Integer, nullable=False, default=0),
    Column("n_targets", Integer, nullable=False, default=0),
    Column("n_assignments", Integer, nullable=False, default=0),
    Column("n_amounts", Integer, nullable=False, default=0),
    Column("n_tables", Integer, nullable=False, default=0),
    Column("n_cells", Integer, nullable=False, default=0),
    Column("n_findings", Integer, nullable=False, default=0),
    Column("n_results", Integer, nullable=False, default=0),
    Column("n_errors", Integer, nullable=False, default=0),
    Column("n_warnings", Integer, nullable=False, default=0),
    Column("n_info", Integer, nullable=False, default=0),
    Column("has_errors", Boolean, nullable=False, default=False),
    Column("extracted_at", String, nullable=False),
    Column("source_file", String),  # the kept copy, under "<archive>.files/": "18/18cf555f….txt"
    Column("extraction_json", Text),  # archives before migration 5; since, NULL and:
    Column("extraction_zlib", LargeBinary),  # the extraction JSON compressed (zlib): a sixth of its size
)
# At most one ok row per content: a second worker storing the same file fails instead of duplicating it.
Index(
    "documents_one_ok_per_sha256",
    documents.c.sha256,
    unique=True,
    sqlite_where=documents.c.status == "ok",
    postgresql_where=documents.c.status == "ok",
)

document_paths = Table(
    "document_paths",
    metadata,
    _id(),
    _document_id(),
    Column("path", Text, nullable=False, index=True),
    Column("first_seen", String, nullable=False),
    Column("last_seen", String, nullable=False),
    UniqueConstraint("document_id", "path"),
)

sections = Table(
    "sections",
    metadata,
    _id(),
    _document_id(),
    Column("section_id", String, nullable=False),
    Column("parent_id", String),
    Column("numbering", String),
    Column("heading", Text, nullable=False),
    Column("level", Integer, nullable=False),
    Column("kinds", String),  # "objectives,targets"
    *_span_columns(),
    Column("json", Text, nullable=False),
)

citations = Table(
    "citations",
    metadata,
    _id(),
    _document_id(),
    Column("citation_id", String, nullable=False),
    Column("type", String),
    Column("symbol", String),
    Column("symbol_key", String, index=True),  # see cite.symbol_key: "07/2021/NĐ - CP" -> "7/2021/nd-cp"
    Column("date", String(10)),
    Column("issuer", String),
    Column("subject", Text),
    Column("title", Text),
    Column("role", String(12)),
    Column("n_mentions", Integer, nullable=False),
    Column("json", Text, nullable=False),
)

citation_mentions = Table(
    "citation_mentions",
    metadata,
    _id(),
    _document_id(),
    Column(
        "citation_row", Integer, ForeignKey("citations.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("raw", Text, nullable=False),
    Column("date", String(10)),
    Column("date_raw", String),
    Column("section_id", String),
    *_span_columns(),
)

targets = Table(
    "targets",
    metadata,
    _id(),
    _document_id(),
    Column("target_id", String, nullable=False),
    Column("indicator_key", String, index=True),
    Column("indicator", Text, nullable=False),
    Column("value", Float),
    Column("raw", String),
    Column("decimals", Integer),
    Column("unit", String),
    Column("direction", String),
    Column("deadline", String(10)),
    Column("deadline_raw", String),
    Column("start_year", Integer),
    Column("end_year", Integer),
    Column("scope", Text),
    Column("population", String),
    Column("qualitative", Boolean, nullable=False, default=False),
    Column("section_id", String),
    Column("sentence", Text),
    *_span_columns(),
    Column("json", Text, nullable=False),
)

assignments = Table(
    "assignments",
    metadata,
    _id(),
    _document_id(),
    Column("assignment_id", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("role", String(12)),
    Column("n_duties", Integer, nullable=False),
    Column("section_id", String),
    *_span_columns(),
    Column("json", Text, nullable=False),
)

duties = Table(
    "duties",
    metadata,
    _id(),
    _document_id(),
    Column(
        "assignment_row",
        Integer,
        ForeignKey("assignments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("text", Text, nullable=False),
    Column("role", String(12)),
    Column("deadline", Text),
    Column("cadence", Text),
    *_span_columns(),
)

amounts = Table(
    "amounts",
    metadata,
    _id(),
    _document_id(),
    Column("amount_id", String, nullable=False),
    Column("kind", String(10)),
    Column("value", Float),
    Column("raw", String),
    Column("decimals", Integer),
    Column("unit", String),
    Column("per", String),
    Column("of_total", Float),
    Column("label", Text),
    Column("in_words", Boolean, nullable=False, default=False),
    Column("is_total", Boolean, nullable=False, default=False),
    Column("section_id", String),
    *_span_columns(),
    Column("json", Text, nullable=False),
)

doc_tables = Table(
    "doc_tables",
    metadata,
    _id(),
    _document_id(),
    Column("table_id", String, nullable=False),
    Column("caption", Text),
    Column("section_id", String),
    Column("per_unit", Boolean, nullable=False, default=False),
    Column("n_rows", Integer, nullable=False),
    Column("n_columns", Integer, nullable=False),
    Column("n_cells", Integer, nullable=False),
    Column("page", Integer),
    Column("json", Text, nullable=False),  # the table without its rows (columns, sums, formulas)
)

table_cells = Table(
    "table_cells",
    metadata,
    _id(),
    _document_id(),
    Column("table_row", Integer, ForeignKey("doc_tables.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("row_id", String, nullable=False),
    Column("row_index", Integer, nullable=False),
    Column("row_label", Text),
    Column("row_kind", String(10)),
    Column("column", Integer, nullable=False),
    Column("header", Text),  # the column's header path joined with " / "
    Column("column_role", String),
    Column("raw", Text, nullable=False),
    Column("value", Float),
    Column("decimals", Integer),
    Column("type", String(8)),
    Column("page", Integer),
    Column("json", Text, nullable=False),
)

findings = Table(
    "findings",
    metadata,
    _id(),
    _document_id(),
    Column("finding_id", String, nullable=False),
    Column("rule", String, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message_vi", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("stated", String),
    Column("expected", String),
    Column("evidence", Text),
    Column("explanation", Text),
    Column("table_id", String),
    Column("row_id", String),
    Column("column", Integer),
    Column("section_id", String),
    *_span_columns(),
    Column("json", Text, nullable=False),
)

# A figure a document reports as reached (models.results.Result): what plans' targets are held against.
results = Table(
    "results",
    metadata,
    _id(),
    _document_id(),
    Column("result_id", String, nullable=False),
    Column("indicator_key", String, index=True),
    Column("indicator", Text, nullable=False),
    Column("value", Float),
    Column("raw", String),
    Column("unit", String),
    Column("of_total", Float),
    Column("period_kind", String),
    Column("period_year", Integer),
    Column("period", String),  # as written: "cuối năm 2021"
    Column("scope_kind", String),
    Column("scope_name", Text),
    Column("direction", String),
    Column("basis", String),
    Column("text", Text, nullable=False),
    *_span_columns(),
    Column("json", Text, nullable=False),
)

# The status of each target of a current plan against the archive's results (models.comparison
# .TargetComparison), kept up to date by ``khplan batch``: ``document_id`` is the plan's; ``evidence`` lists the
# ids of the documents whose results were taken, as ",12,40," (so a LIKE finds the plans resting on one).
target_statuses = Table(
    "target_statuses",
    metadata,
    _id(),
    _document_id(),
    Column("target_id", String, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("gap", Float),
    Column("gap_percent", Float),
    Column("reason", Text),
    Column("evidence", String, nullable=False, default=""),
    Column("computed_at", String, nullable=False),
    Column("json", Text, nullable=False),
)

# Facts about the archive as a whole, by key: "statuses_checked_at", when every plan's statuses were last
# found current (``khplan track`` looks closer only at what was stored since).
archive_state = Table(
    "archive_state",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", String, nullable=False),
)

# One row per searchable text: a target, a duty of an assignment, a citation mention, a section heading, a
# finding. ``text`` is shown; its folded copy lives in the FTS5 table ``search_fts`` under the same rowid.
search_rows = Table(
    "search_rows",
    metadata,
    _id(),
    _document_id(),
    Column("kind", String(10), nullable=False),  # target | assignment | citation | section | finding
    Column("ref_id", String),  # the model's id: "t3", "a2", "c1", "s1.2", "f4"
    Column("section_numbering", String),
    Column("section_heading", Text),
    Column("indicator", Text),
    Column("indicator_key", String),
    Column("text", Text, nullable=False),
    Column("value", Float),
    Column("unit", String),
    Column("direction", String),
    Column("deadline", String),
    Column("page", Integer),
)
Index("search_rows_kind", search_rows.c.kind)

# The FTS5 table: folded text, tokenized by unicode61 (diacritics are already gone, so both the index and the
# query are compared in one alphabet). Column order matters to bm25's weights: indicator first, then text;
# ``tags`` and ``issuer`` carry the search filters (``filter_tags``), so that a filtered search is one FTS5
# query (doclists intersected) rather than a join checked row by row. It holds the rows of current documents
# only: a superseded document's rows leave it (``search_rows`` keeps them).
FTS_TABLE = "search_fts"
FTS_COLUMNS = ("indicator", "text", "tags", "issuer")
_CREATE_FTS = f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(FTS_COLUMNS)}, tokenize='unicode61')"


def tag_token(prefix: str, value: object) -> str:
    """One filter as one FTS5 token: letters and digits only (unicode61 splits at "_"), after a one-letter
    prefix naming the filter: tag_token("i", "poverty_rate") -> "ipovertyrate"; tag_token("y", 2024) -> "y2024"."""
    return prefix + "".join(ch for ch in str(value).lower() if ch.isalnum())


def filter_tags(
    kind: str, indicator_key: str | None, year: int | None, level: str | None, has_errors: bool
) -> str:
    """The ``tags`` column of one search row: "ktarget ipovertyrate y2024 lcommune e0"."""
    tokens = [tag_token("k", kind), tag_token("e", int(has_errors))]
    if indicator_key:
        tokens.append(tag_token("i", indicator_key))
    if year is not None:
        tokens.append(tag_token("y", year))
    if level:
        tokens.append(tag_token("l", level))
    return " ".join(tokens)


# The tables holding a document's extracted content, children before parents (the order of deletion).
CONTENT_TABLES = (
    target_statuses,
    results,
    search_rows,
    citation_mentions,
    citations,
    duties,
    assignments,
    table_cells,
    doc_tables,
    targets,
    amounts,
    sections,
    findings,
)


# The tables migration 1 creates. A later migration that adds a column to one of them must check that the
# column is missing (a new archive gets it from migration 1 already, since the Table objects are current).
_VERSION_ONE = (
    "documents",
    "document_paths",
    "findings",
    "sections",
    "amounts",
    "targets",
    "doc_tables",
    "table_cells",
    "assignments",
    "duties",
    "citations",
    "citation_mentions",
    "search_rows",
)


def _create_tables(conn: Connection) -> None:
    """1: documents, their paths and their extracted content."""
    metadata.create_all(conn, tables=[metadata.tables[name] for name in _VERSION_ONE])


def _create_search_index(conn: Connection) -> None:
    """2: the FTS5 index of ``search_rows`` (SQLite only; a PostgreSQL archive will use tsvector)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(indicator, text, tokenize='unicode61')"
        )


def _index_filters(conn: Connection) -> None:
    """3: the FTS5 index gains the filter columns ``tags`` and ``issuer``, and keeps current documents only;
    rebuilt from ``search_rows`` (the texts folded again: the index never held anything else)."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    conn.exec_driver_sql(_CREATE_FTS)
    current = (
        select(
            search_rows.c.id,
            search_rows.c.kind,
            search_rows.c.indicator,
            search_rows.c.indicator_key,
            search_rows.c.text,
            documents.c.year,
            documents.c.level,
            documents.c.has_errors,
            documents.c.issuer,
        )
        .join(documents, documents.c.id == search_rows.c.document_id)
        .where(documents.c.status == "ok", documents.c.superseded.is_(False))
    )
    rows = [
        (
            row.id,
            fold(row.indicator or ""),
            fold(row.text),
            filter_tags(row.kind, row.indicator_key, row.year, row.level, bool(row.has_errors)),
            fold(row.issuer or ""),
        )
        for row in conn.execute(current)
    ]
    if rows:
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?)", rows
        )


def _results_and_statuses(conn: Connection) -> None:
    """4: reported results and target statuses; documents gain ``unit``, ``doc_type`` and ``n_results``,
    filled (with the results) from each stored extraction's JSON."""
    added = {
        "unit": "VARCHAR",
        "doc_type": "VARCHAR",
        "n_results": "INTEGER NOT NULL DEFAULT 0",
    }
    present = {column["name"] for column in inspect(conn).get_columns("documents")}
    for name, kind in added.items():
        if name not in present:
            conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN {name} {kind}")
    metadata.create_all(conn, tables=[results, target_statuses])
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(
        "UPDATE documents SET unit = json_extract(extraction_json, '$.metadata.unit.value'), "
        "doc_type = json_extract(extraction_json, '$.metadata.doc_type.value'), "
        "n_results = coalesce(json_array_length(extraction_json, '$.results'), 0) WHERE status = 'ok'"
    )
    conn.exec_driver_sql(
        "INSERT INTO results (document_id, result_id, indicator_key, indicator, value, raw, unit, of_total, "
        'period_kind, period_year, period, scope_kind, scope_name, direction, basis, text, start, "end", page, '
        "json) SELECT d.id, json_extract(r.value, '$.id'), json_extract(r.value, '$.indicator.key'), "
        "json_extract(r.value, '$.indicator.text'), json_extract(r.value, '$.value'), "
        "json_extract(r.value, '$.raw'), json_extract(r.value, '$.unit'), json_extract(r.value, '$.of_total'), "
        "json_extract(r.value, '$.period.kind'), json_extract(r.value, '$.period.year'), "
        "json_extract(r.value, '$.period.raw'), coalesce(json_extract(r.value, '$.scope.kind'), 'whole'), "
        "json_extract(r.value, '$.scope.name'), json_extract(r.value, '$.direction'), "
        "json_extract(r.value, '$.basis'), json_extract(r.value, '$.text'), "
        "json_extract(r.value, '$.span.start'), json_extract(r.value, '$.span.end'), "
        "json_extract(r.value, '$.page'), r.value "
        "FROM documents d, json_each(d.extraction_json, '$.results') r WHERE d.status = 'ok' "
        "AND d.id NOT IN (SELECT document_id FROM results)"
    )


def _compressed_extractions(conn: Connection) -> None:
    """5: documents gain ``extraction_zlib``, where new extractions are stored compressed (the JSON was
    half of an archive); rows stored before keep their ``extraction_json``, which readers still take."""
    present = {column["name"] for column in inspect(conn).get_columns("documents")}
    if "extraction_zlib" not in present:
        kind = "BYTEA" if conn.dialect.name == "postgresql" else "BLOB"
        conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN extraction_zlib {kind}")


def _archive_state(conn: Connection) -> None:
    """6: the table of facts about the archive as a whole (``archive_state``)."""
    metadata.create_all(conn, tables=[archive_state])


MIGRATIONS: list[Callable[[Connection], None]] = [
    _create_tables,
    _create_search_index,
    _index_filters,
    _results_and_statuses,
    _compressed_extractions,
    _archive_state,
]


def create_version_table(conn: Connection) -> None:
    schema_version.create(conn, checkfirst=True)


def applied_versions(conn: Connection) -> set[int]:
    return set(conn.scalars(select(schema_version.c.version)))


def apply_migration(conn: Connection, version: int) -> bool:
    """Apply migration ``version`` inside the caller's (write) transaction unless it is recorded already;
    True when it ran. Checked inside the transaction, so two processes opening one archive apply it once."""
    if version in applied_versions(conn):
        return False
    migration = MIGRATIONS[version - 1]
    migration(conn)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(
        insert(schema_version).values(version=version, name=migration.__name__.strip("_"), applied_at=now)
    )
    return True


def current_version(conn: Connection) -> int:
    return conn.scalar(select(func.coalesce(func.max(schema_version.c.version), 0))) or 0


def fts_row_count(conn: Connection) -> int:
    return conn.scalar(text(f"SELECT count(*) FROM {FTS_TABLE}")) or 0


def current_search_row_count(conn: Connection) -> int:
    """The search rows of current (ok, not superseded) documents: what the FTS5 index must hold."""
    current = (
        select(func.count())
        .select_from(search_rows.join(documents, documents.c.id == search_rows.c.document_id))
        .where(documents.c.status == "ok", documents.c.superseded.is_(False))
    )
    return conn.scalar(current) or 0
