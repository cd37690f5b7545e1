"""Tables as CSV files a person opens in a spreadsheet (``khplan tables FILE --csv DIR``).

One file per table. The first line names the columns by their flattened header path ("Hộ nghèo cuối năm
2021 / TS"), after two columns for the row id ("r3", as the checks' findings cite it) and the row kind. Numbers
are written as read, without thousands separators and with a decimal point, keeping the decimals the plan
wrote ("1.011" households -> 1011, "1,90" percent -> 1.90), so every spreadsheet reads the same values;
text and empty cells are written as they stand in the plan. UTF-8 with a byte-order mark, so Excel shows
Vietnamese correctly. Every cell, headers included, goes through ``spreadsheet_safe``: a plan's "=HYPERLINK(…)"
arrives as text, never as a formula, while a negative amount (-1250) stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from extractor.output.files import write_atomically
from extractor.output.spreadsheet import safe_row
from models.tables import Cell, Table

BYTE_ORDER_MARK = "\ufeff"
PATH_SEPARATOR = " / "
NUMERIC_TYPES = frozenset({"count", "percent", "money", "number"})


def cell_csv_value(cell: Cell) -> str:
    """ "1.011" read as 1011 -> "1011"; "0,77" -> "0.77"; "1,90" -> "1.90"; "Cây Tắt" -> "Cây Tắt"."""
    if cell.type not in NUMERIC_TYPES or cell.value is None:
        return cell.raw
    value = Decimal(str(cell.value))
    return f"{value.quantize(Decimal(1).scaleb(-cell.decimals)):f}" if cell.decimals else f"{value:f}"


def table_csv_text(table: Table) -> str:
    """The CSV text of one table (header line, then one line per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [PATH_SEPARATOR.join(column.path) or f"cột {column.index + 1}" for column in table.columns]
    writer.writerow(safe_row(["row_id", "row_kind", *names]))
    for row in table.rows:
        by_column = {cell.column: cell for cell in row.cells}
        values = [cell_csv_value(by_column[c.index]) if c.index in by_column else "" for c in table.columns]
        writer.writerow(safe_row([row.id, row.kind, *values]))
    return buffer.getvalue()


def write_table_csv(table: Table, path: Path) -> None:
    """Write one table as a CSV file at ``path`` (atomically: a crash never leaves half a file); raises
    ``OutputError`` when the path cannot be written."""
    write_atomically(Path(path), BYTE_ORDER_MARK + table_csv_text(table))


def write_tables_csv(tables: Sequence[Table], directory: Path, stem: str) -> list[Path]:
    """Write each table as ``<directory>/<stem>.<table id>.csv`` and return the paths, in table order.

    ``write_tables_csv(extracted.tables, Path("out"), "kh-267")`` -> [out/kh-267.t1.csv, …].
    """
    paths = []
    for table in tables:
        path = Path(directory) / f"{stem}.{table.id}.csv"
        write_table_csv(table, path)
        paths.append(path)
    return paths
