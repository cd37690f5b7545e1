"""Degrade, never die: a program fault in one part, or a value too long to hold, costs that part, not the document.

A fault inside one extractor, table or check rule is listed in ``coverage.failed`` (and on stderr by the
CLI) while everything else is extracted; the test suite itself runs strict (``KHPLAN_STRICT=1`` in
conftest), where such a fault is raised. A numeral longer than a float holds exactly is not read: it is kept
in the text and listed in ``coverage.skipped`` (rule "numbers").
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor import checks, extract_document
from extractor.faults import Faults
from extractor.normalize.numbers import (
    MAX_DIGITS,
    MAX_SIGNIFICANT_DIGITS,
    is_overlong_numeral,
    parse_money,
    parse_vietnamese_number,
)
from extractor.options import ExtractOptions
from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "001_1747db98b33217c6.txt"
LENIENT = ExtractOptions(strict=False)


def _boom(*arguments: object) -> list[object]:
    raise ValueError("a bug in this part")


# ---------------------------------------------------------------------------------------------- faults


def test_a_fault_is_recorded_with_its_part_and_the_fallback_is_used() -> None:
    faults = Faults(strict=False)
    assert faults.run("entities", "targets", _boom, ["fallback"]) == ["fallback"]
    [failure] = faults.failures
    assert (failure.stage, failure.component) == ("entities", "targets")
    assert failure.error == "ValueError: a bug in this part"
    assert failure.where is not None and failure.where.startswith("tests/test_faults.py:")


def test_strict_mode_raises_the_fault() -> None:
    with pytest.raises(ValueError, match="a bug in this part"):
        Faults(strict=True).run("entities", "targets", _boom, [])


def test_the_suite_runs_strict() -> None:
    assert ExtractOptions().strict is True


def test_a_failing_extractor_loses_only_its_own_list(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = extract_document(SEED)
    assert whole.targets and whole.citations and whole.tables
    monkeypatch.setattr("extractor.entities.find_targets", _boom)
    document = extract_document(SEED, LENIENT)
    assert document.targets == []
    assert document.citations == whole.citations
    assert document.tables == whole.tables
    assert [(f.stage, f.component) for f in document.coverage.failed] == [("entities", "targets")]


def test_a_failing_table_is_left_out_and_named_by_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("extractor.tables.build_table", _boom)
    document = extract_document(SEED, LENIENT)
    assert document.tables == []
    assert document.citations
    [failure] = document.coverage.failed
    assert failure.stage == "tables" and failure.component.startswith("table at line ")


def test_a_failing_check_rule_leaves_the_other_rules_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = extract_document(SEED)
    form_rules = {finding.rule for finding in whole.findings if finding.rule.startswith("form.")}
    assert form_rules
    rules = tuple((name, _boom if name == "form" else rule) for name, rule in checks.DOCUMENT_RULES)
    monkeypatch.setattr(checks, "DOCUMENT_RULES", rules)
    document = extract_document(SEED, LENIENT)
    assert [(f.stage, f.component) for f in document.coverage.failed] == [("checks", "form")]
    kept = [finding for finding in whole.findings if finding.rule not in form_rules]
    assert [finding.rule for finding in document.findings] == [finding.rule for finding in kept]


def test_cli_says_which_part_failed_writes_the_rest_and_exits_0(tmp_path: Path) -> None:
    """Run in a child interpreter whose targets extractor raises: a fault is no finding and no failed input."""
    script = (
        "import sys, extractor.entities as e\n"
        "def boom(plan): raise RuntimeError('injected')\n"
        "e.find_targets = boom\n"
        "from extractor.cli import main\n"
        f"sys.exit(main(['extract', {str(SEED)!r}, '-o', {str(tmp_path)!r}, '--max-seconds', '120']))\n"
    )
    environment = {"PATH": "/usr/bin:/bin", "KHPLAN_STRICT": "0", "PYTHONPATH": str(ROOT)}
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=120
    )
    assert finished.returncode == 0, finished.stderr
    lines = [line for line in finished.stderr.splitlines() if "failed" in line]
    assert lines == [
        f"khplan: {SEED}: entities targets failed (RuntimeError: injected); the rest of the document was "
        "extracted"
    ]
    written = (tmp_path / f"{SEED.name}.json").read_text(encoding="utf-8")
    assert '"failed":[{"stage":"entities","component":"targets"' in written


# ---------------------------------------------------------------------------------------------- numbers


def test_a_numeral_past_the_digits_a_float_holds_is_not_read() -> None:
    assert parse_vietnamese_number("1" * MAX_SIGNIFICANT_DIGITS) is not None
    assert parse_vietnamese_number("1" * (MAX_SIGNIFICANT_DIGITS + 1)) is None
    assert parse_vietnamese_number("1" + "0" * MAX_DIGITS) is None  # 19 digits, one significant
    assert parse_vietnamese_number("1" + "0" * (MAX_DIGITS - 1)).value == Decimal(10) ** (MAX_DIGITS - 1)
    assert parse_money("999.999.999 tỷ đồng") == 999_999_999_000_000_000
    assert parse_money("1.000.000.000 tỷ đồng") is None  # 10^18 đồng


@given(st.integers(min_value=1, max_value=10**MAX_SIGNIFICANT_DIGITS - 1), st.integers(0, 3))
def test_every_numeral_read_survives_a_float(digits: int, scale: int) -> None:
    """What the parser accepts, a JSON number (a double) holds exactly: float -> shortest repr -> same value."""
    value = Decimal(digits).scaleb(-scale)
    written = f"{value:f}".replace(".", ",")
    parsed = parse_vietnamese_number(written, "vi")
    if parsed is None:
        assert is_overlong_numeral(written)
        return
    assert Decimal(repr(float(parsed.value))) == parsed.value


def test_a_310_digit_count_is_kept_as_written_and_listed(tmp_path: Path) -> None:
    long_count = "1" * 310
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "KẾ HOẠCH\nGiảm nghèo năm 2025\nI. MỤC TIÊU\n"
        f"1. Phấn đấu giảm {long_count} hộ nghèo trong năm.\n2. Tỷ lệ hộ nghèo giảm còn 2,5%.\n",
        encoding="utf-8",
    )
    document = extract_document(plan)
    assert [target.value for target in document.targets] == [2.5]
    [refused] = [skip for skip in document.coverage.skipped if skip.rule == "numbers"]
    assert refused.count == 1
    span = refused.refs[0].span
    assert span is not None and document.text[span.start : span.end] == long_count


def test_a_29_digit_base_in_a_percent_table_refuses_that_cell_only(tmp_path: Path) -> None:
    huge = "12345678901234567890123456789"
    plan = tmp_path / "plan.md"
    plan.write_text(
        "KẾ HOẠCH\nGiảm nghèo\nI. MỤC TIÊU\n"
        "| TT | Thôn | Tổng số hộ | Số hộ nghèo | Tỷ lệ (%) |\n|---|---|---|---|---|\n"
        f"| 1 | Thôn 1 | {huge} | 6 | 5,00 |\n| 2 | Thôn 2 | 120 | 6 | 5,00 |\n| 3 | Thôn 3 | 200 | 9 | 9,00 |\n",
        encoding="utf-8",
    )
    document = extract_document(plan)
    [table] = document.tables
    assert table.rows[0].cell(2).raw == huge and table.rows[0].cell(2).value is None
    [refused] = [skip for skip in document.coverage.skipped if skip.rule == "numbers"]
    assert [(ref.table_id, ref.row_id, ref.column) for ref in refused.refs] == [("t1", table.rows[0].id, 2)]
    # 9 / 200 = 4,5 %, not 9,00: the readable rows are still checked.
    wrong = [finding for finding in document.findings if finding.location.row_id == table.rows[2].id]
    assert wrong and all(finding.location.row_id != table.rows[0].id for finding in document.findings)
