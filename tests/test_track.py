"""Target statuses kept in the archive: computed by a batch, found stale when a report arrives otherwise."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

from extractor.archive import Archive
from extractor.batch import BatchOptions, run_batch
from extractor.track import bring_up_to_date, refresh_statuses, stale_plans, track_archive
from tests.archive_fixtures import SEED_001, SEED_002, corpus_doc, store_doc, with_sha
from tests.conftest import ROOT, extracted

RESULTS = ROOT / "corpus" / "results"
REPORT_001 = RESULTS / "bao-cao-001-2021.txt"  # xã Sơn Tây's constructed results for 2021


def expected_statuses(report: str) -> Counter[str]:
    expected = json.loads((RESULTS / "expected" / f"{report}.json").read_text(encoding="utf-8"))
    return Counter(target["status"] for target in expected["targets"])


def test_a_batch_stores_the_statuses_of_the_plans_a_report_is_about(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in (corpus_doc(SEED_001).source.path, corpus_doc(SEED_002).source.path, REPORT_001):
        shutil.copy(path, folder)
    with Archive.open(tmp_path / "a.db") as archive:
        summary = run_batch([folder], archive, BatchOptions(workers=1))
        assert summary.stored == 3 and summary.plans_tracked == 2  # the report is evidence, not a plan
        assert stale_plans(archive) == []
        plan = next(row for row in archive.documents() if row.sha256 == corpus_doc(SEED_001).source.sha256)
        son_tay = [item for item in archive.statuses() if item.plan.issuer == "UBND xã Sơn Tây"]
        assert Counter(item.status for item in son_tay) == expected_statuses("bao-cao-001-2021")
        report = next(row for row in archive.documents() if row.doc_type == "Báo cáo")
        with archive.engine.connect() as conn:
            evidence = set(
                conn.exec_driver_sql(
                    "SELECT evidence FROM target_statuses WHERE document_id = ? AND evidence != ''",
                    (plan.id,),
                ).scalars()
            )
        assert evidence == {f",{report.id},"}
        assert archive.statuses(status="not_met") and all(
            item.status == "not_met" for item in archive.statuses(status="not_met")
        )


def test_a_report_stored_outside_a_batch_makes_only_its_units_plans_stale(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        son_tay = store_doc(archive, corpus_doc(SEED_001))
        quang_minh = store_doc(archive, corpus_doc(SEED_002))
        assert set(stale_plans(archive)) == {son_tay.id, quang_minh.id}  # never computed
        assert not archive.statuses_fresh()
        assert refresh_statuses(archive) == 2 and stale_plans(archive) == []
        assert not archive.statuses_fresh()  # computed, but not yet checked as a whole
        assert bring_up_to_date(archive) == 0 and archive.statuses_fresh()
        before = Counter(item.status for item in archive.statuses(issuer="Sơn Tây"))
        assert set(before) <= {"no_result", "not_yet_due"}
        store_doc(archive, extracted(REPORT_001))
        assert stale_plans(archive) == [son_tay.id] and not archive.statuses_fresh()
        after = Counter(item.status for item in track_archive(archive, issuer="Sơn Tây"))
        assert after == expected_statuses("bao-cao-001-2021")
        assert stale_plans(archive) == [] and archive.statuses_fresh()  # the report needs no statuses


def test_a_document_whose_issuer_names_no_unit_is_of_no_unit(tmp_path: Path) -> None:
    """An issuer read as bare "UBND" (a damaged header) leaves no name to match: the refresh goes on, and
    that document is nobody's evidence."""
    damaged = corpus_doc(SEED_002)
    issuer = damaged.metadata.issuer.model_copy(update={"value": "UBND"})
    metadata = damaged.metadata.model_copy(update={"issuer": issuer, "unit": None})
    damaged = with_sha(damaged, "d" * 64).model_copy(update={"metadata": metadata})
    with Archive.open(tmp_path / "a.db") as archive:
        son_tay = store_doc(archive, corpus_doc(SEED_001))
        store_doc(archive, damaged)
        assert refresh_statuses(archive) == 2
        evidence = {r.document.sha256 for item in archive.statuses() for r in item.results}
        assert "d" * 64 not in evidence
        assert {item.plan.sha256 for item in archive.statuses(issuer="Sơn Tây")} == {son_tay.sha256}
