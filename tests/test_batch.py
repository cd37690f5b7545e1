"""`khplan batch` and ``run_batch``: every plan under folders into the archive, idempotent and resumable,
failures isolated (bad files, a hanging or dying worker, a run killed midway)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import delete

import extractor
from extractor import batch as batch_module
from extractor.archive import Archive
from extractor.archive.schema import documents
from extractor.batch import BatchOptions, find_inputs, run_batch
from extractor.cli import EXIT_FAILED, EXIT_OK, main
from extractor.options import ExtractOptions
from tests.conftest import CASES, ROOT, SEEDS

SEED_TEXTS = sorted(SEEDS.glob("*.txt"))
BAD = CASES / "bad"


def plans_folder(tmp_path: Path, *extra: Path) -> Path:
    """A folder of the four typed seeds (and ``extra`` files), with a file that is no plan beside them."""
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    for path in SEED_TEXTS[:2]:
        shutil.copy(path, folder)
    for path in SEED_TEXTS[2:]:
        shutil.copy(path, folder / "sub")
    for path in extra:
        shutil.copy(path, folder)
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    return folder


def options(**changes: object) -> BatchOptions:
    return BatchOptions(workers=2, extract=ExtractOptions(**changes))


def test_inputs_are_the_supported_files_under_the_folders_and_links_stay_inside(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SEED_TEXTS[0], outside / "elsewhere.txt")
    (folder / "link-out").symlink_to(outside, target_is_directory=True)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    found = find_inputs([folder])
    assert sorted(path.name for path in found) == sorted(path.name for path in SEED_TEXTS)


def test_a_batch_fills_the_archive_and_a_second_run_processes_nothing(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path)
    with Archive.open(tmp_path / "a.db") as archive:
        first = run_batch([folder], archive, options())
        assert (first.stored, first.failed) == (4, 0)
        assert first.targets > 0 and first.citations > 0
        second = run_batch([folder], archive, options())
        assert (second.stored, second.skipped) == (0, 4)
        assert archive.integrity_ok()


def test_a_deleted_document_is_restored_alone(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path)
    with Archive.open(tmp_path / "a.db") as archive:
        run_batch([folder], archive, options())
        gone = next(row for row in archive.documents() if row.status == "ok")
        with archive.engine.begin() as connection:  # the rows removed by hand, as an operator might
            connection.execute(delete(documents).where(documents.c.id == gone.id))
        again = run_batch([folder], archive, options())
        assert (again.stored, again.skipped) == (1, 3)
        assert {row.sha256 for row in archive.documents() if row.status == "ok"} >= {gone.sha256}


def test_a_new_extractor_version_re_extracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = plans_folder(tmp_path)
    with Archive.open(tmp_path / "a.db") as archive:
        run_batch([folder], archive, options())
        monkeypatch.setattr(batch_module, "extractor_version", lambda: "9.9.9+data.000000000000")
        again = run_batch([folder], archive, options())
        assert again.stored == 4
        current = [row for row in archive.documents() if row.status == "ok" and not row.superseded]
        assert {row.extractor_version for row in current} == {"9.9.9+data.000000000000"}


def test_the_same_content_in_two_files_is_stored_once_with_both_paths(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path)
    shutil.copy(SEED_TEXTS[0], folder / "sub" / "copy of plan.txt")
    with Archive.open(tmp_path / "a.db") as archive:
        summary = run_batch([folder], archive, options())
        assert (summary.stored, summary.duplicates) == (4, 1)
        [stored] = [row for row in archive.documents() if len(row.paths) == 2]
        assert {Path(path).name for path in stored.paths} == {SEED_TEXTS[0].name, "copy of plan.txt"}


def test_bad_files_are_recorded_with_their_reason_and_every_good_one_stored(tmp_path: Path) -> None:
    bad = [BAD / name for name in ("empty.txt", "encrypted.pdf", "truncated.pdf", "not-a-docx.docx")]
    folder = plans_folder(tmp_path, *bad)
    huge = folder / "huge.txt"
    huge.write_text(SEED_TEXTS[0].read_text(encoding="utf-8") * 40, encoding="utf-8")
    with Archive.open(tmp_path / "a.db") as archive:
        summary = run_batch([folder], archive, options(max_file_size=200_000))
        assert summary.stored == 4
        reasons = {result.path.name: result.reason for result in summary.failures}
        assert set(reasons) == {"empty.txt", "encrypted.pdf", "truncated.pdf", "not-a-docx.docx", "huge.txt"}
        assert "empty" in reasons["empty.txt"] and "password" in reasons["encrypted.pdf"]
        assert "--max-file-size" in (reasons["huge.txt"] or "")
        failed = {
            Path(row.path or "").name: row.error for row in archive.documents() if row.status == "failed"
        }
        assert failed == reasons


def hang_on(name: str):
    """``extract_document`` that never returns for the file called ``name``."""
    real = extractor.extract_document

    def extract(path, options=None):
        if Path(path).name == name:
            time.sleep(3600)
        return real(path, options)

    return extract


def die_on(name: str):
    """``extract_document`` whose process dies (as if the out-of-memory killer took it) on ``name``."""
    real = extractor.extract_document

    def extract(path, options=None):
        if Path(path).name == name:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, options)

    return extract


@pytest.mark.parametrize(("hook", "reason"), [(hang_on, "longer than 3 s"), (die_on, "killed by SIGKILL")])
def test_a_worker_that_hangs_or_dies_is_replaced_and_the_batch_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook, reason: str
) -> None:
    folder = plans_folder(tmp_path)
    victim = SEED_TEXTS[1].name
    monkeypatch.setattr(extractor, "extract_document", hook(victim))  # the forked workers inherit it
    with Archive.open(tmp_path / "a.db") as archive:
        summary = run_batch([folder], archive, options(max_seconds=3))
        assert summary.stored == 3
        [failure] = summary.failures
        assert failure.path.name == victim and reason in (failure.reason or "")


KILLED_BATCH = """
import sys, time
from pathlib import Path
import extractor
from extractor.archive import Archive
from extractor.batch import BatchOptions, run_batch

real = extractor.extract_document
def slow(path, options=None):
    time.sleep(0.4)
    return real(path, options)
extractor.extract_document = slow
with Archive.open(sys.argv[2]) as archive:
    run_batch([Path(sys.argv[1])], archive, BatchOptions(workers=2),
              progress=lambda result, state: print(state.done, flush=True))
"""


@pytest.mark.slow
def test_a_batch_killed_midway_leaves_a_consistent_archive_and_the_next_run_completes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = SEED_TEXTS[0].read_text(encoding="utf-8")
    for number in range(16):  # distinct contents: each is a document of its own
        (folder / f"plan-{number:02d}.txt").write_text(
            text.replace("2024", str(2000 + number)), encoding="utf-8"
        )
    database = tmp_path / "a.db"
    script = tmp_path / "batch.py"
    script.write_text(textwrap.dedent(KILLED_BATCH), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(folder), str(database)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
        text=True,
    )
    assert process.stdout is not None
    for _ in range(4):  # a few documents stored, the others in flight or not begun
        process.stdout.readline()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    with Archive.open(database) as archive:
        assert archive.integrity_ok()
        stored = [row for row in archive.documents() if row.status == "ok"]
        assert 4 <= len(stored) < 16
        for row in stored:  # every stored document whole: its extraction and its rows
            assert archive.extraction(row.id).targets
        rest = run_batch([folder], archive, options())
        assert rest.stored + rest.skipped == 16 and rest.skipped == len(stored)
        assert archive.integrity_ok()


# ---------------------------------------------------------------------------------------------- the CLI


def test_khplan_batch_exits_3_when_an_input_failed_and_its_json_summary_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plans_folder(tmp_path, BAD / "empty.txt")
    database = tmp_path / "plans.db"
    assert main(["batch", str(folder), "--db", str(database), "--workers", "2", "--json"]) == EXIT_FAILED
    summary = json.loads(capsys.readouterr().out)
    assert (summary["stored"], summary["failed"]) == (4, 1)
    assert summary["failures"][0]["path"].endswith("empty.txt")
    shutil.copy(SEED_TEXTS[0], tmp_path / "one.txt")
    jsonl = tmp_path / "new.jsonl"
    assert main(["batch", str(tmp_path / "one.txt"), "--db", str(database), "--jsonl", str(jsonl)]) == EXIT_OK
    capsys.readouterr()
    assert jsonl.read_text(encoding="utf-8") == ""  # already archived: nothing new this run


def test_the_archive_verbs_over_a_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = plans_folder(tmp_path)
    database = str(tmp_path / "plans.db")
    assert main(["batch", str(folder), "--db", database]) == EXIT_OK
    capsys.readouterr()
    assert main(["cite", "86/2015/NĐ-CP", "--db", database, "--json"]) == EXIT_OK
    cited = json.loads(capsys.readouterr().out)
    assert [Path(plan["document"]["path"]).name for plan in cited["plans"]] == [SEED_TEXTS[0].name]
    assert cited["plans"][0]["dates"] == ["2015-10-02"]
    assert main(["search", "ho ngheo", "--db", database, "--kind", "target", "--json"]) == EXIT_OK
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(hit["kind"] == "target" for hit in hits)
    assert {"path", "issuer", "number", "date"} <= set(hits[0]["document"])
    assert "hộ nghèo" in hits[0]["text"].lower()
    sha = next(row.sha256 for row in Archive.open(database).documents())
    assert main(["show", sha[:10], "--db", database, "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["document"]["sha256"] == sha
    out = tmp_path / "chi-tieu.xlsx"
    assert main(["export", "--db", database, "--what", "targets", "-o", str(out)]) == EXIT_OK
    assert out.stat().st_size > 0


def test_a_search_without_hits_is_exit_0_with_a_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plans_folder(tmp_path)
    database = str(tmp_path / "plans.db")
    main(["batch", str(folder), "--db", database])
    capsys.readouterr()
    assert main(["search", "zzzqqq", "--db", database, "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "no match" in captured.err


def test_an_archive_verb_on_a_missing_archive_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["search", "hộ nghèo", "--db", str(tmp_path / "none.db")]) == 2
    assert not (tmp_path / "none.db").exists()


def test_the_archive_verbs_print_each_document_by_its_issuer_number_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plans_folder(tmp_path)
    database = str(tmp_path / "plans.db")
    main(["batch", str(folder), "--db", database])
    capsys.readouterr()
    assert main(["cite", "86/2015/ND - CP", "--db", database]) == EXIT_OK
    assert "UBND xã Cao Nhân · /KH-UBND: 86/2015/NĐ-CP ngày 2015-10-02" in capsys.readouterr().out
    only_cao_nhan = ["--kind", "target", "--issuer", "cao nhân", "--limit", "1"]
    query = ["search", "hộ nghèo", "--db", database, *only_cao_nhan]
    assert main(query) == EXIT_OK
    printed = capsys.readouterr().out
    assert "target" in printed and "·" in printed.splitlines()[0]


def test_a_file_can_be_recorded_under_another_name(tmp_path: Path) -> None:
    """An upload saved as 001.txt is recorded as the name it was sent under; no file is read by that name."""
    saved = tmp_path / "001.txt"
    shutil.copy(SEED_TEXTS[0], saved)
    with Archive.open(tmp_path / "a.db") as archive:
        summary = run_batch([saved], archive, options(), recorded_paths={saved: "upload:job1/ke-hoach.txt"})
        (stored,) = [archive.resolve(str(i)) for i in summary.stored_ids]
        assert stored.path == "upload:job1/ke-hoach.txt"
        assert archive.resolve("upload:job1/ke-hoach.txt") == stored
        assert stored.source_file is not None and stored.source_file.read_bytes() == saved.read_bytes()


def test_a_failing_status_refresh_loses_no_stored_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("injected")

    monkeypatch.setattr(batch_module, "refresh_statuses", broken)
    folder = plans_folder(tmp_path)
    database = str(tmp_path / "plans.db")
    assert main(["batch", str(folder), "--db", database, "--workers", "1"]) == EXIT_OK
    assert "target statuses not updated (RuntimeError: injected)" in capsys.readouterr().err
    with Archive.open(database) as archive:
        assert len([row for row in archive.documents() if row.status == "ok"]) == len(SEED_TEXTS)
