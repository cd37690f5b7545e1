"""`khplan compare` and `khplan track`: a plan's targets against the results later documents report."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extractor.cli import EXIT_FAILED, EXIT_OK, main
from tests.conftest import ROOT, SEEDS

RESULTS = ROOT / "corpus" / "results"
SEED_001 = SEEDS / "001_1747db98b33217c6.txt"
SEED_002 = SEEDS / "002_724ff193a1037eed.txt"


def expected_statuses(report: str) -> Counter[str]:
    expected = json.loads((RESULTS / "expected" / f"{report}.json").read_text(encoding="utf-8"))
    return Counter(target["status"] for target in expected["targets"])


def test_compare_gives_every_target_of_the_plan_its_expected_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(["compare", str(SEED_001), str(RESULTS / "bao-cao-001-2021.txt"), "--format", "json"]) == EXIT_OK
    )
    captured = capsys.readouterr()
    comparisons = json.loads(captured.out)
    assert Counter(item["status"] for item in comparisons) == expected_statuses("bao-cao-001-2021")
    assert {"target", "status", "results", "gap", "reason"} <= set(comparisons[0])
    assert "không đạt 3" in captured.err  # the totals per status on stderr


def test_compare_writes_an_xlsx_with_a_frozen_header_and_typed_numbers(tmp_path: Path) -> None:
    out = tmp_path / "chi-tieu.xlsx"
    report = str(RESULTS / "bao-cao-001-2021.txt")
    assert main(["compare", str(SEED_001), report, "--format", "xlsx", "-o", str(out)]) == EXIT_OK
    sheet = load_workbook(out).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.cell(row=1, column=9).value == "Kết quả đánh giá"
    values = [sheet.cell(row=row, column=6).value for row in range(2, sheet.max_row + 1)]
    assert any(isinstance(value, float | int) for value in values)


def text_after(page: str, anchor_id: str, characters: int = 80) -> str:
    """The page's text (tags dropped) that follows the element ``id=anchor_id``."""
    at = page.index(f'id="{anchor_id}"')
    return html.unescape(re.sub(r"<[^>]+>", "", page[at:].split(">", 1)[1]))[:characters]


def test_compare_html_links_each_target_and_its_evidence_to_their_places_in_both_documents(
    tmp_path: Path,
) -> None:
    out = tmp_path / "so-sanh.html"
    report = str(RESULTS / "bao-cao-001-2021.txt")
    assert main(["compare", str(SEED_001), report, "--format", "html", "-o", str(out)]) == EXIT_OK
    page = out.read_text(encoding="utf-8")
    plan_at, report_at = page.index("<section class='compared' id='d1'>"), page.index("id='d2'")
    assert plan_at < report_at  # the plan's text, then the report's, after the table
    links = re.findall(r"href='#(d-\d-[^']+)'", page)
    assert links and all(f'id="{anchor}"' in page for anchor in links)
    # Seed 001 part II: "giảm tỷ lệ hộ nghèo … còn 1,94%"; the report: "tỷ lệ hộ nghèo còn 2,01%" (not met).
    row = next(line for line in page.splitlines() if "không đạt" in line and "d-2-" in line)
    target_link, result_link = re.findall(r"href='#(d-\d-[^']+)'", row)[:2]
    assert target_link.startswith("d-1-") and result_link.startswith("d-2-")
    assert "1,94%" in text_after(page, target_link)
    assert page.index(f'id="{result_link}"') > report_at
    assert "2,01%" in text_after(page, result_link)


def test_compare_with_a_missing_report_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(SEED_001), str(tmp_path / "none.txt"), "--format", "json"]) == EXIT_FAILED
    assert all(item["status"] == "no_result" for item in json.loads(capsys.readouterr().out))


def test_track_follows_the_archive_and_a_report_added_later_updates_the_statuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans, reports = tmp_path / "plans", tmp_path / "reports"
    plans.mkdir()
    reports.mkdir()
    for path in (SEED_001, SEED_002):
        shutil.copy(path, plans)
    shutil.copy(RESULTS / "bao-cao-001-2021.txt", reports)
    database = str(tmp_path / "plans.db")
    assert main(["batch", str(plans), "--db", database]) == EXIT_OK
    capsys.readouterr()
    assert main(["track", "--db", database, "--json"]) == EXIT_OK
    before = json.loads(capsys.readouterr().out)
    assert before and {item["status"] for item in before} <= {"no_result", "not_yet_due"}
    assert main(["batch", str(reports), "--db", database]) == EXIT_OK
    capsys.readouterr()
    assert main(["track", "--db", database, "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    after = json.loads(captured.out)
    assert "checking the target statuses" in captured.err  # a report was stored since the last look
    assert len(after) == len(before)  # one row per target of every plan
    of_001 = Counter(item["status"] for item in after if item["plan"]["issuer"] == "UBND xã Sơn Tây")
    assert of_001 == expected_statuses("bao-cao-001-2021")
    of_002 = [item for item in after if item["plan"]["issuer"] != "UBND xã Sơn Tây"]
    assert of_002 and all(item["status"] in ("no_result", "not_yet_due") for item in of_002)  # no report yet
    assert main(["track", "--db", database, "--status", "not_met", "--json"]) == EXIT_OK
    captured = capsys.readouterr()
    assert {item["status"] for item in json.loads(captured.out)} == {"not_met"}
    assert "checking the target statuses" not in captured.err  # nothing stored since the last track
