"""Tables rebuilt and typed: per-unit tables (one row per thôn / tổ dân phố, a total row) and generic ones.

Rows and columns are referenced by id or index, never by label, so the checks can point at a cell exactly.
"""

from typing import Literal

from pydantic import Field

from models.provenance import BBox, Frozen, OcrConfidence, Span

CellType = Literal["count", "percent", "money", "number", "text", "empty"]
# A "detail" row ("Trong đó: vốn sự nghiệp") is a part of the row above it: never one of the parts of a sum.
RowKind = Literal["unit", "total", "subtotal", "detail", "note"]
# How a table's identity was known: written in the column-index row ("(3)=(1)+(2)"), read from the header
# words ("Hộ nghèo / TS | %", "Tổng"), read from the row labels and ordinals ("Cộng khu vực I", a group row
# "II"), from a merged group column ("Cụm" over its units), or found in the numbers alone.
Basis = Literal["index_row", "header", "labels", "group_column", "numbers"]
FormulaKind = Literal["percent", "sum", "flow", "formula"]
ColumnRole = Literal[
    "ordinal",
    "label",
    "total_households",
    "poor_start",
    "poor_reduction",
    "poor_new",
    "poor_end",
    "near_poor_start",
    "near_poor_reduction",
    "near_poor_new",
    "near_poor_end",
    "count",
    "percent",
    "money",
    "other",
]


class CellProvenance(Frozen):
    """Where a cell was read: page and box in a PDF, line in a text export, row/column in a DOCX grid."""

    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None
    span: Span | None = None


class Column(Frozen):
    """A column with its flattened header path (["HỘ NGHÈO", "Cuối năm 2024", "Tỷ lệ %"]).

    ``percent_of`` / ``base_column`` link a percent column to the count it expresses and to the base it is
    a share of (total households), so the checks need not re-read headers.
    """

    index: int = Field(ge=0)
    path: list[str]
    index_label: str | None = Field(
        default=None, description='The column\'s mark in the column-index row ("3", "B", "(4)=(3)/(2)×100").'
    )
    role: ColumnRole = "other"
    unit: str | None = None
    decimal_convention: Literal["vi", "en"] | None = None
    count_column: int | None = None
    base_column: int | None = None
    additive: bool = Field(
        default=False,
        description="Its cells add up down the rows (counts, money), so row sums are checked in it; not "
        "percents, averages, years or prices.",
    )


class Cell(OcrConfidence):
    """One cell: as written (``raw``), as read (``value``, ``type``), where (``provenance``), and for a scan
    the lowest OCR confidence of its words (a finding resting on a low-confidence cell is a warning naming it).
    """

    column: int = Field(ge=0)
    raw: str
    value: int | float | None = None
    decimals: int = 0
    type: CellType
    provenance: CellProvenance = CellProvenance()


class Row(Frozen):
    id: str
    index: int = Field(ge=0)
    label: str | None = None
    kind: RowKind
    cells: list[Cell]

    def cell(self, column: int) -> Cell | None:
        """The cell of ``column``, or None. Found by position when the cells are one per column in order (as
        the tables stage writes them), so that reading a column of a 10,000-column table costs one step a row."""
        if column < len(self.cells) and self.cells[column].column == column:
            return self.cells[column]
        return next((cell for cell in self.cells if cell.column == column), None)


class RowSum(Frozen):
    """A row that adds up other rows of its table in every additive column: the total over its subtotals or
    units, a subtotal over its group ("Cộng khu vực I" after its units, a group row "II" before them).

    ``certain`` says the grouping was read without doubt: from the labels of a table with no group rows, or
    confirmed by most of the table's numbers. A sum that is not certain can only make warnings.
    """

    row_id: str
    parts: list[str]
    basis: Basis
    certain: bool = True


class Formula(Frozen):
    """An identity among the cells of each data row: ``column`` = Σ ``plus`` − Σ ``minus``, and for a percent
    that difference / Σ ``over`` × 100.

    "(4)=(3)/(2)×100" gives column 4 = 100 × column 3 / column 2; a "Tổng" column over three year columns a
    sum; "Cuối năm = Đầu năm − Giảm + Phát sinh" a flow. ``rows_holding`` of ``rows_checked`` data rows agree
    (as read by the tables stage); ``certain`` says the identity is declared (index row, header) and not
    contradicted by most rows, or found in the numbers and confirmed by most of them.
    """

    kind: FormulaKind
    column: int = Field(ge=0)
    plus: list[int]
    minus: list[int] = Field(default_factory=list)
    over: list[int] = Field(default_factory=list)
    basis: Basis
    written: str | None = None
    rows_checked: int = Field(default=0, ge=0)
    rows_holding: int = Field(default=0, ge=0)
    certain: bool = True


class Table(Frozen):
    """One table as an auditor reads it: caption, typed columns, rows with typed cells, and the identities
    its numbers must satisfy (``sums`` between rows, ``formulas`` within each row)."""

    id: str
    caption: str | None = None
    section_id: str | None = None
    per_unit: bool = False
    columns: list[Column]
    rows: list[Row]
    sums: list[RowSum] = Field(default_factory=list)
    formulas: list[Formula] = Field(default_factory=list)
    page: int | None = None
    bbox: BBox | None = None
    span: Span | None = None
