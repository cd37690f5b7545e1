"""Generated plan tables of every class, read end to end by ``extract_document``, judged by an oracle that
never calls or reads the checks (tests/generated_tables.py).

Each seeded table is written into a small plan as TXT (tab-separated rows; every third as Markdown pipes) or
DOCX (real merged cells), and extracted with no roles given, so header and role reading are tested too.
Then:
- recall: an injection the oracle says breaks an identity is named by some finding of any severity (the
  changed cell is its location or one of its ``cells``);
- no false errors: no "error" finding on the consistent table; on the injected one, every "error" finding
  involves a cell of an identity the oracle says is broken.
A cell is matched by its row's label and its column's header path (else its position): see the docstring of
tests/generated_tables.py. The oracle's own self-tests come first: they need no extraction.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from tests.generated_tables import (
    CLASSES,
    CaseResult,
    GenColumn,
    GeneratedTable,
    GenRow,
    NumberStyle,
    broken_cells,
    broken_identities,
    check_case,
    false_error_report,
    generate,
    identities,
    inject,
    miss_report,
    read_number,
    table_grid,
    text_table,
    write_number,
)

FORMATS = ("txt", "docx")
CHUNKS = 3
PER_CHUNK = 12  # 6 classes × 3 chunks × 12 = 216 tables per format, each extracted clean and injected
SLOW_PER_CHUNK = 60
SLOW_SEED_OFFSET = 1_000_000
ALWAYS_BREAKING = ("count", "subtotal", "grand_total", "row_total", "money")


def case_format(fmt: str, seed: int) -> str:
    """TXT tables are tab-separated, except every third one, written with Markdown pipes."""
    return "md" if fmt == "txt" and seed % 3 == 2 else fmt


def chunk_seeds(chunk: int, per_chunk: int, offset: int = 0) -> range:
    """The seeds of one chunk of a test."""
    start = offset + chunk * per_chunk
    return range(start, start + per_chunk)


# ---------------------------------------------------------------------------------------------------------
# The oracle on its own.
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table_class", CLASSES)
def test_generated_tables_keep_every_identity(table_class: str) -> None:
    """A generated table is consistent, rectangular, with unique row labels and column paths."""
    for seed in range(300):
        table = generate(random.Random(seed), table_class)
        assert identities(table), seed
        assert broken_identities(table) == [], (seed, table.variant)
        assert {len(row.cells) for row in table.rows} == {len(table.columns)}
        labels = [row.label for row in table.rows]
        assert len(set(labels)) == len(labels), labels
        paths = [column.path for column in table.columns]
        assert len(set(paths)) == len(paths), paths
        grid, _, top = table_grid(table)
        assert len(grid) == top + len(table.rows)
        assert all(line.count("\t") == len(table.columns) - 1 for line in text_table(table, pipes=False))


@pytest.mark.parametrize("table_class", CLASSES)
def test_an_injection_changes_one_cell(table_class: str) -> None:
    """One cell changes; a changed count, subtotal, total, row total or money cell always breaks an
    identity that involves it (sums are exact); a percent may stay within its last decimal."""
    kinds = set()
    for seed in range(300):
        rng = random.Random(seed)
        table = generate(rng, table_class)
        changed, injection = inject(table, rng)
        kinds.add(injection.kind)
        differences = [
            (r, c)
            for r, (old, new) in enumerate(zip(table.rows, changed.rows, strict=True))
            for c, (a, b) in enumerate(zip(old.cells, new.cells, strict=True))
            if a != b
        ]
        assert differences == [injection.cell], (seed, injection)
        if injection.kind in ALWAYS_BREAKING:
            assert injection.cell in broken_cells(changed), (seed, injection)
    assert "swap" in kinds and len(kinds) >= 4, kinds


def one_percent_table(count: int, base: int, stated: str) -> GeneratedTable:
    """A one-row table: base, count and the stated percent of them."""
    columns = [
        GenColumn(("Thôn",), "label"),
        GenColumn(("Tổng số hộ",), "count", additive=True),
        GenColumn(("Hộ nghèo",), "count", additive=True),
        GenColumn(("Tỷ lệ %",), "percent", decimals=2, ratio=((2,), 1), identity="percent"),
    ]
    row = GenRow("unit", "1", "Thôn 1", cells=["Thôn 1", str(base), str(count), stated])
    return GeneratedTable("headers", "test", columns, [row], [], "", "", "poverty", "xã")


@pytest.mark.parametrize(
    ("stated", "broken"), [("0,77", False), ("0,78", False), ("0,76", True), ("0,79", True), ("0,8", False)]
)
def test_a_percent_agrees_within_one_unit_of_its_last_decimal(stated: str, broken: bool) -> None:
    """1/129 = 0,775…: "0,77" (truncated), "0,78" (rounded) and "0,8" agree; "0,76" and "0,79" do not."""
    assert bool(broken_identities(one_percent_table(1, 129, stated))) is broken


@pytest.mark.parametrize(
    ("value", "column", "written"),
    [
        (Decimal(2471), GenColumn(("n",), "count", style=NumberStyle(thousands=".")), "2.471"),
        (Decimal(2471), GenColumn(("n",), "count", style=NumberStyle(thousands=" ")), "2 471"),
        (Decimal(2471), GenColumn(("n",), "count", style=NumberStyle(thousands="")), "2471"),
        (Decimal(6), GenColumn(("n",), "count", style=NumberStyle(leading_zero=True)), "06"),
        (Decimal(0), GenColumn(("n",), "count", style=NumberStyle(zero="x")), "x"),
        (Decimal("1250.5"), GenColumn(("n",), "money", decimals=1), "1.250,5"),
        (
            Decimal(100) / 129,
            GenColumn(("n",), "percent", decimals=2, style=NumberStyle(truncate=True)),
            "0,77",
        ),
        (
            Decimal("2.0625"),
            GenColumn(("n",), "percent", decimals=2, style=NumberStyle(percent_sign=True)),
            "2,06%",
        ),
        (Decimal("0.69"), GenColumn(("n",), "percent", decimals=2, style=NumberStyle(decimal=".")), "0.69"),
    ],
)
def test_numbers_are_written_and_read_in_their_style(value: Decimal, column: GenColumn, written: str) -> None:
    """The oracle writes and reads "2.471", "2 471", "2471", "06", "x", "1.250,5", "0,77", "2,06%", "0.69"."""
    assert write_number(value, column) == written
    assert abs(read_number(written, column) - value) < Decimal("0.01")


def test_a_written_formula_declares_an_identity() -> None:
    """Index tables in words no vocabulary knows declare their identities by formulas alone."""
    for seed in range(200):
        table = generate(random.Random(seed), "index")
        if table.variant == "unknown_formula":
            marks = [column.mark for column in table.columns]
            assert any("=" in mark for mark in marks), marks
            assert {identity.kind for identity in identities(table)} >= {"formula", "total"}
            return
    raise AssertionError("no unknown_formula table in 200 seeds")


# ---------------------------------------------------------------------------------------------------------
# End to end through extract_document.
# ---------------------------------------------------------------------------------------------------------


def failures(results: list[CaseResult]) -> tuple[list[str], list[str]]:
    """The recall misses and the cases with false errors, as reports."""
    misses = [miss_report(result) for result in results if result.injected.found is False]
    false = [
        false_error_report(result)
        for result in results
        if result.clean.false_errors or result.injected.false_errors
    ]
    return misses, false


def assert_checked(table_class: str, fmt: str, seeds: range, folder: Path) -> None:
    """Every broken injection found and no false error, over ``seeds``; the message shows three of each."""
    results = [check_case(seed, table_class, case_format(fmt, seed), folder) for seed in seeds]
    misses, false = failures(results)
    broken = sum(result.injected.broken for result in results)
    message = (
        f"{table_class}/{fmt}: {len(misses)} of {broken} broken injections not found, "
        f"{len(false)} of {len(results)} tables with false errors\n" + "\n\n".join(misses[:3] + false[:3])
    )
    if misses or false:
        pytest.fail(message, pytrace=False)


@pytest.mark.parametrize("chunk", range(CHUNKS))
@pytest.mark.parametrize("table_class", CLASSES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_tables_are_checked(fmt: str, table_class: str, chunk: int, tmp_path: Path) -> None:
    """A few hundred tables per format: every broken injection found, no false error."""
    assert_checked(table_class, fmt, chunk_seeds(chunk, PER_CHUNK), tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
@pytest.mark.parametrize("table_class", CLASSES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_many_generated_tables_are_checked(fmt: str, table_class: str, chunk: int, tmp_path: Path) -> None:
    """The same over five times as many tables (other seeds)."""
    assert_checked(table_class, fmt, chunk_seeds(chunk, SLOW_PER_CHUNK, SLOW_SEED_OFFSET), tmp_path)
