"""`khplan tables FILE --csv DIR`: each table as a CSV a spreadsheet opens with the plan's values."""

from __future__ import annotations

import csv
from pathlib import Path

from extractor.output.csv import write_table_csv, write_tables_csv
from tests.test_tables_build import only_table, text_grid

GRID = text_grid(
    [
        ["TT", "Thôn", "Tổng số hộ", "Hộ nghèo cuối năm 2024", ""],
        ["", "", "", "Số hộ", "Tỷ lệ %"],
        ["1", "Khả Lý Thượng", "1.011", "6", "0.59"],
        ["2", "Khả Lý Hạ", "494", "-", "0.00"],
        ["", "Cộng", "1.505", "6", "0.40"],
    ]
)


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_csv_has_paths_row_ids_and_values_as_read(tmp_path: Path) -> None:
    table = only_table(GRID)
    path = tmp_path / "plan.t1.csv"
    write_table_csv(table, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the mark to show Vietnamese
    rows = read_back(path)
    assert rows[0] == [
        "row_id",
        "row_kind",
        "TT",
        "Thôn",
        "Tổng số hộ",
        "Hộ nghèo cuối năm 2024 / Số hộ",
        "Hộ nghèo cuối năm 2024 / Tỷ lệ %",
    ]
    assert rows[1] == ["r1", "unit", "1", "Khả Lý Thượng", "1011", "6", "0.59"]
    assert rows[2] == ["r2", "unit", "2", "Khả Lý Hạ", "494", "-", "0.00"]  # decimals kept, dash as written
    assert rows[3] == ["r3", "total", "", "Cộng", "1505", "6", "0.40"]


def test_one_file_per_table(tmp_path: Path) -> None:
    table = only_table(GRID)
    paths = write_tables_csv([table, table.model_copy(update={"id": "t2"})], tmp_path / "out", "kh-15")
    assert [path.name for path in paths] == ["kh-15.t1.csv", "kh-15.t2.csv"]
    assert all(len(read_back(path)) == 4 for path in paths)
