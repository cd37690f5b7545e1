"""Tables rebuilt and typed: per-unit tables (one row per thôn / tổ dân phố, a total row) and generic ones.

Rows and columns are referenced by id or index, never by label, so the checks can point at a cell exactly.
"""

from typing import Literal

from pydantic import Field

from models.provenance import BBox, Frozen, Span

CellType = Literal["count", "percent", "money", "number", "text", "empty"]
RowKind = Literal["unit", "total", "subtotal", "note"]
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
    role: ColumnRole = "other"
    unit: str | None = None
    decimal_convention: Literal["vi", "en"] | None = None
    count_column: int | None = None
    base_column: int | None = None


class Cell(Frozen):
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


class Table(Frozen):
    """One table as an auditor reads it: caption, typed columns, rows with typed cells."""

    id: str
    caption: str | None = None
    section_id: str | None = None
    per_unit: bool = False
    columns: list[Column]
    rows: list[Row]
    page: int | None = None
    bbox: BBox | None = None
    span: Span | None = None
