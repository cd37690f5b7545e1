"""The archive's storage: one transaction per document, paths, supersession, failures, migrations, WAL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from extractor.archive import Archive, ArchiveError, SearchFilters, extractor_version, schema
from extractor.archive import store as store_module
from tests.archive_fixtures import (
    SEED_000,
    SEED_001,
    SEED_002,
    SEED_004,
    VERSION,
    corpus_doc,
    store_doc,
    with_sha,
)
from tests.conftest import ROOT, corpus_file


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    with Archive.open(tmp_path / "plans.khplan") as opened:
        yield opened


def row_counts(archive: Archive) -> dict[str, int]:
    with archive.engine.connect() as conn:
        counts = {
            t.name: conn.scalar(select(func.count()).select_from(t)) for t in schema.metadata.sorted_tables
        }
        counts[schema.FTS_TABLE] = schema.fts_row_count(conn)
    return counts


def test_extractor_version_names_the_code_and_a_digest_of_the_data() -> None:
    assert re.fullmatch(r"0\.1\.0\+data\.[0-9a-f]{12}", extractor_version())


def test_store_then_lookup(archive: Archive) -> None:
    doc = corpus_doc(SEED_000)
    stored = store_doc(archive, doc)
    assert archive.lookup(doc.source.sha256, VERSION) == stored
    assert stored.issuer == "UBND xã Cao Nhân" and stored.level == "commune" and stored.year == 2024
    assert stored.counts.targets == len(doc.targets) and stored.counts.warnings == 3
    assert archive.lookup(doc.source.sha256, "0.0.9+data.ffffffffffff") is None
    assert archive.extraction(stored.id) == doc


def test_same_content_from_two_paths_is_stored_once_with_both(archive: Archive, tmp_path: Path) -> None:
    doc = corpus_doc(SEED_000)
    first = store_doc(archive, doc, tmp_path / "a" / "ke-hoach.txt")
    archive.add_path(first.id, tmp_path / "b" / "ban-sao.txt")
    # A forced re-read from a third place replaces the row but keeps where the content was seen.
    again = store_doc(archive, doc, tmp_path / "c" / "ke-hoach.txt")
    assert [d.id for d in archive.documents()] == [again.id]
    assert {Path(p).parent.name for p in again.paths} == {"a", "b", "c"}
    assert again.path == str(tmp_path / "c" / "ke-hoach.txt")


def test_older_version_is_replaced_by_a_new_read(archive: Archive) -> None:
    doc = corpus_doc(SEED_000)
    store_doc(archive, doc, version="0.0.1+data.aaaaaaaaaaaa")
    newer = store_doc(archive, doc)
    assert archive.lookup(doc.source.sha256, "0.0.1+data.aaaaaaaaaaaa") is None
    assert archive.lookup(doc.source.sha256, VERSION) == newer
    assert len(archive.documents()) == 1 and archive.integrity_ok()


def test_changed_content_at_a_path_supersedes_the_old_document(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.txt"
    old = store_doc(archive, corpus_doc(SEED_000), path)
    new = store_doc(archive, corpus_doc(SEED_001), path)
    assert new.id != old.id and not new.superseded
    old_now = archive.resolve(str(old.id))
    assert old_now.superseded and old_now.superseded_by == new.id
    assert archive.lookup(old.sha256, VERSION) is None
    assert archive.resolve(str(path)) == new
    assert {hit.document.id for hit in archive.search("Cao Nhân")} <= {new.id}
    assert archive.cite("86/2015/NĐ-CP").plans == ()
    assert archive.integrity_ok()  # the superseded document's rows left the search index


def test_content_also_seen_elsewhere_only_loses_the_changed_path(archive: Archive, tmp_path: Path) -> None:
    old = store_doc(archive, corpus_doc(SEED_000), tmp_path / "a.txt")
    archive.add_path(old.id, tmp_path / "copy.txt")
    store_doc(archive, corpus_doc(SEED_001), tmp_path / "a.txt")
    kept = archive.resolve(str(old.id))
    assert not kept.superseded and kept.paths == (str(tmp_path / "copy.txt"),)


def test_failure_is_recorded_with_its_reason_and_replaced_by_a_success(
    archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "hong.docx"
    archive.store_failure(
        path=path, sha256=None, extractor_version=VERSION, reason="InputError: not a DOCX file"
    )
    [failed] = archive.documents()
    assert (failed.status, failed.error, failed.path) == ("failed", "InputError: not a DOCX file", str(path))
    assert archive.integrity_ok()
    stored = store_doc(archive, corpus_doc(SEED_000), path)
    assert [d.id for d in archive.documents()] == [stored.id]


def test_a_store_failing_midway_leaves_nothing_of_the_document(archive: Archive, monkeypatch) -> None:
    store_doc(archive, corpus_doc(SEED_000))
    before = row_counts(archive)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_module, "_index_rows", broken)  # the last step: after every other row
    with pytest.raises(RuntimeError, match="disk full"):
        store_doc(archive, corpus_doc(SEED_001))
    assert row_counts(archive) == before
    assert archive.lookup(corpus_doc(SEED_001).source.sha256, VERSION) is None
    assert archive.integrity_ok()


_KILLED_WORKER = """
import os, sys
from pathlib import Path
from extractor.archive import Archive, store
archive = Archive.open(sys.argv[1])
store._index_rows = lambda *args: os._exit(9)
json_path = Path(sys.argv[2])
archive.store(path=json_path, sha256=sys.argv[3], extractor_version="v", extraction_json=json_path.read_bytes())
"""


def test_a_worker_killed_mid_write_leaves_a_consistent_archive(archive: Archive, tmp_path: Path) -> None:
    kept = store_doc(archive, corpus_doc(SEED_000))
    doc = corpus_doc(SEED_001)
    dumped = tmp_path / "001.json"
    dumped.write_text(doc.model_dump_json(), encoding="utf-8")
    database = str(tmp_path / "plans.khplan")
    worker = subprocess.run(
        [sys.executable, "-c", _KILLED_WORKER, database, str(dumped), doc.source.sha256],
        cwd=ROOT,
        timeout=120,
    )
    assert worker.returncode == 9
    with Archive.open(database) as reopened:
        assert [d.id for d in reopened.documents()] == [kept.id]
        assert reopened.integrity_ok()


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "plans.khplan"
    with Archive.open(path) as first:
        assert first.applied_migrations == tuple(range(1, len(schema.MIGRATIONS) + 1))
    with Archive.open(path) as second:
        assert second.applied_migrations == ()
        with second.writing() as conn:  # an archive from before the search index
            conn.execute(text(f"DROP TABLE {schema.FTS_TABLE}"))
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version >= 2))
    with Archive.open(path) as third:
        assert third.applied_migrations == (2, 3, 4, 5, 6)
        with third.engine.connect() as conn:
            assert sorted(conn.scalars(select(schema.schema_version.c.version))) == [1, 2, 3, 4, 5, 6]


def test_migration_3_rebuilds_the_index_with_its_filters_from_the_stored_rows(tmp_path: Path) -> None:
    """An archive written before the filter columns: its two-column index is rebuilt, current rows only."""
    path = tmp_path / "plans.khplan"
    with Archive.open(path) as archive:
        kept = store_doc(archive, corpus_doc(SEED_000))
        with archive.writing() as conn:  # back to version 2: the old index layout, holding every row
            conn.exec_driver_sql(f"DROP TABLE {schema.FTS_TABLE}")
            conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {schema.FTS_TABLE} USING fts5(indicator, text)")
            conn.exec_driver_sql(
                f"INSERT INTO {schema.FTS_TABLE} (rowid, indicator, text) "
                "SELECT id, coalesce(indicator, ''), text FROM search_rows"
            )
            conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version == 3))
    with Archive.open(path) as reopened:
        assert reopened.applied_migrations == (3,)
        assert reopened.integrity_ok()
        hits = reopened.search("ho ngheo", SearchFilters(kind="target", year=2024, issuer="cao nhân"))
        assert hits and {hit.document.id for hit in hits} == {kept.id}
        assert all(hit.kind == "target" for hit in hits)
        assert not reopened.search("ho ngheo", SearchFilters(year=2023))


def to_version_3(archive: Archive) -> None:
    """Turn an archive back into one written by version 3: plain JSON, no results, no statuses."""
    with archive.writing() as conn:
        for row_id, compressed in conn.exec_driver_sql("SELECT id, extraction_zlib FROM documents").all():
            plain = zlib.decompress(compressed).decode("utf-8")
            conn.exec_driver_sql("UPDATE documents SET extraction_json = ? WHERE id = ?", (plain, row_id))
        conn.exec_driver_sql("DROP TABLE results")
        conn.exec_driver_sql("DROP TABLE target_statuses")
        conn.exec_driver_sql("DROP TABLE archive_state")
        for column in ("unit", "doc_type", "n_results", "extraction_zlib"):
            conn.exec_driver_sql(f"ALTER TABLE documents DROP COLUMN {column}")
        conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version >= 4))


def test_an_extraction_is_stored_compressed_and_one_stored_plain_is_still_read(tmp_path: Path) -> None:
    doc = corpus_doc(SEED_000)
    with Archive.open(tmp_path / "plans.khplan") as archive:
        stored = store_doc(archive, doc)
        with archive.engine.connect() as conn:
            plain, compressed = conn.exec_driver_sql(
                "SELECT extraction_json, extraction_zlib FROM documents WHERE id = ?", (stored.id,)
            ).one()
        assert plain is None and len(compressed) < len(doc.model_dump_json()) / 3
        assert archive.extraction(stored.id) == doc
        to_version_3(archive)  # as an archive of an earlier khplan holds it
    with Archive.open(tmp_path / "plans.khplan") as reopened:
        assert reopened.extraction(stored.id) == doc


def test_migration_4_fills_results_and_document_types_from_the_stored_json(tmp_path: Path) -> None:
    """An archive written before results were kept: the columns and rows come from each extraction's JSON."""
    path = tmp_path / "plans.khplan"
    doc = corpus_doc(SEED_002)  # phường Quảng Minh: part II reports 2023 (17 poor households, 0,57%)
    assert doc.results
    with Archive.open(path) as archive:
        store_doc(archive, doc)
        to_version_3(archive)
    with Archive.open(path) as reopened:
        assert reopened.applied_migrations == (4, 5, 6)
        assert reopened.integrity_ok()
        (stored,) = reopened.documents()
        assert stored.counts.results == len(doc.results) and stored.doc_type == "Kế hoạch"
        with reopened.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT result_id, value, period_year FROM results ORDER BY id").all()
        assert [(r.id, r.value, r.period.year if r.period else None) for r in doc.results] == [
            tuple(row) for row in rows
        ]


def test_an_archive_from_a_newer_khplan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plans.khplan"
    with Archive.open(path) as archive, archive.writing() as conn:
        conn.execute(
            schema.schema_version.insert().values(version=99, name="future", applied_at="2030-01-01")
        )
    with pytest.raises(ArchiveError, match="newer"):
        Archive.open(path)


def test_connections_use_wal(archive: Archive) -> None:
    with archive.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_a_reader_reads_while_a_writer_holds_its_transaction(tmp_path: Path) -> None:
    path = tmp_path / "plans.khplan"
    with Archive.open(path, busy_timeout_ms=300) as writer, Archive.open(path, busy_timeout_ms=300) as reader:
        first = store_doc(writer, corpus_doc(SEED_000))
        with writer.writing() as conn:  # an open write transaction, nothing committed yet
            conn.execute(schema.documents.update().values(issuer="đang ghi"))
            assert [d.issuer for d in reader.documents()] == ["UBND xã Cao Nhân"]
        # A reader's open snapshot does not stop a writer committing (rollback journals would: "locked").
        with reader.engine.connect() as conn, conn.begin():
            seen = conn.scalar(select(func.count()).select_from(schema.documents))
            store_doc(writer, corpus_doc(SEED_004))
            assert conn.scalar(select(func.count()).select_from(schema.documents)) == seen == 1
        assert len(reader.documents()) == 2 and reader.resolve(str(first.id)).issuer == "đang ghi"


def test_integrity_ok_sees_counts_that_do_not_match_rows(archive: Archive) -> None:
    stored = store_doc(archive, corpus_doc(SEED_001))
    assert archive.integrity_ok()
    with archive.writing() as conn:
        conn.execute(schema.table_cells.delete().where(schema.table_cells.c.id == 1))
    assert not archive.integrity_ok()
    archive.delete_document(stored.id)
    assert archive.integrity_ok() and archive.documents() == []
    assert {name: n for name, n in row_counts(archive).items() if n and name != "schema_version"} == {}


def test_the_source_file_is_kept_content_addressed(archive: Archive) -> None:
    source = corpus_file(SEED_000)
    doc = corpus_doc(SEED_000)
    stored = store_doc(archive, doc, source_file=source)
    sha = doc.source.sha256
    assert stored.source_file == archive.files_dir / sha[:2] / f"{sha}.txt"
    assert stored.source_file.read_bytes() == source.read_bytes()
    assert [p.name for p in stored.source_file.parent.iterdir()] == [f"{sha}.txt"]  # no temp file left
    with pytest.raises(ArchiveError, match="digest"):
        store_doc(archive, with_sha(doc, "ab" * 32), source_file=source)
    archive.delete_document(stored.id)
    assert not stored.source_file.exists()


def test_resolve_by_id_sha_prefix_and_path(archive: Archive) -> None:
    doc = corpus_doc(SEED_004)
    stored = store_doc(archive, doc)
    assert archive.resolve(str(stored.id)) == stored
    assert archive.resolve(doc.source.sha256[:8]) == stored
    assert archive.resolve(doc.source.path) == stored
    assert archive.resolve("no/such/file.txt") is None


def test_summary_and_json_name_the_document(archive: Archive) -> None:
    stored = store_doc(archive, corpus_doc(SEED_001))
    summary = archive.summary(stored.id)
    assert summary.findings[0].severity == "error" and summary.findings[-1].severity == "info"
    assert len(summary.findings) == stored.counts.findings == 32
    shown = summary.to_json()
    assert {"path", "issuer", "number", "date"} <= shown["document"].keys()
    assert shown["document"]["issuer"] == "UBND xã Sơn Tây" and shown["document"]["counts"]["cells"] > 0
    assert shown["sections"][0] == "I. MỤC TIÊU, CHỈ TIÊU"
    assert os.path.isabs(shown["document"]["path"])
