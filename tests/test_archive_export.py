"""Exports for auditors: Vietnamese headers, document columns first, typed XLSX cells, one row per table cell."""

from __future__ import annotations

import csv
import importlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from extractor.archive import Archive, SearchFilters, export
from tests.archive_fixtures import SEED_001, SEED_002, SEED_004, corpus_doc, store_doc

# The package re-exports the function ``export``, which hides its module of the same name.
export_module = importlib.import_module("extractor.archive.export")
DOCUMENT_HEADERS = ["Tệp", "Cơ quan ban hành", "Số ký hiệu", "Ngày ban hành", "Năm", "Cấp"]
STEMS = (SEED_001, SEED_002, SEED_004)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    with Archive.open(tmp_path_factory.mktemp("export") / "plans.khplan") as built:
        for stem in STEMS:
            store_doc(built, corpus_doc(stem))
        yield built


def read_xlsx(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[str]]:
    sheet = openpyxl.load_workbook(path).active
    return sheet, [cell.value for cell in sheet[1]]


def column(sheet, headers: list[str], header: str) -> list:
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_xlsx_is_frozen_filtered_and_typed(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "chi-tieu.xlsx"
    written = export(archive, "targets", "xlsx", out)
    sheet, headers = read_xlsx(out)
    assert headers[:6] == DOCUMENT_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}{written + 1}"
    assert sheet.max_row == written + 1 == sum(len(corpus_doc(stem).targets) for stem in STEMS) + 1
    values = [v for v in column(sheet, headers, "Giá trị") if v is not None]
    assert values and all(isinstance(v, int | float) for v in values) and 1.94 in values
    issued = {v for v in column(sheet, headers, "Ngày ban hành") if v is not None}
    assert issued == {datetime(2024, 2, 22), datetime(2021, 10, 19)}
    deadlines = [cell for cell in sheet[openpyxl.utils.get_column_letter(headers.index("Thời hạn") + 1)][1:]]
    assert any(cell.is_date for cell in deadlines if cell.value is not None)
    assert all(isinstance(v, int) for v in column(sheet, headers, "Năm"))
    assert sheet.column_dimensions["B"].width >= len("UBND phường Quảng Minh")


def test_csv_has_vietnamese_headers_and_a_bom(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "phat-hien.csv"
    written = export(archive, "findings", "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:6] == DOCUMENT_HEADERS and rows[0][6:9] == ["Mức độ", "Quy tắc", "Nội dung"]
    assert len(rows) - 1 == written == sum(len(corpus_doc(stem).findings) for stem in STEMS)
    assert {row[6] for row in rows[1:]} <= {"Lỗi", "Cảnh báo", "Thông tin"}
    assert "2024-02-22" in {row[3] for row in rows[1:]}


def test_tables_export_one_row_per_cell(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "bang.xlsx"
    written = export(archive, "tables", "xlsx", out)
    cells = [
        cell
        for stem in STEMS
        for table in corpus_doc(stem).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert written == len(cells) > 0
    sheet, headers = read_xlsx(out)
    assert column(sheet, headers, "Nội dung ô") == [cell.raw or None for cell in cells]
    numbers = column(sheet, headers, "Giá trị")
    assert [n for n in numbers if n is not None] == [c.value for c in cells if c.value is not None]
    assert all(isinstance(n, int | float) for n in numbers if n is not None)


@pytest.mark.parametrize("what", ["citations", "assignments"])
def test_citations_and_assignments_export(archive: Archive, tmp_path: Path, what: str) -> None:
    out = tmp_path / f"{what}.csv"
    written = export(archive, what, "csv", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == written > 0 and list(rows[0])[:6] == DOCUMENT_HEADERS
    if what == "citations":
        assert {"Số hiệu văn bản", "Ngày văn bản"} <= rows[0].keys()
        assert "07/2021/NĐ-CP" in {row["Số hiệu văn bản"] for row in rows}
    else:
        duties = sum(max(1, len(a.duties)) for stem in STEMS for a in corpus_doc(stem).assignments)
        assert written == duties and all(row["Cơ quan thực hiện"] for row in rows)


def test_filters_choose_the_documents(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "nam-2021.csv"
    written = export(archive, "targets", "csv", out, SearchFilters(year=2021, indicator="poverty_rate"))
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert written == len(rows) > 0
    assert {(row["Cơ quan ban hành"], row["Mã chỉ tiêu"]) for row in rows} == {
        ("UBND xã Sơn Tây", "poverty_rate")
    }


def test_a_failed_export_leaves_the_old_file_whole(archive: Archive, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "chi-tieu.xlsx"
    out.write_bytes(b"the previous export")

    def broken(path: Path, *_args) -> None:
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "_write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        export(archive, "targets", "xlsx", out)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["chi-tieu.xlsx"]


def test_unknown_kind_or_format_is_refused(archive: Archive, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="targets"):
        export(archive, "budgets", "csv", tmp_path / "x.csv")
    with pytest.raises(ValueError, match="xlsx"):
        export(archive, "targets", "ods", tmp_path / "x.ods")
