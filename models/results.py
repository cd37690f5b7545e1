"""Reported results: what a later document says a unit achieved ("cuối năm 2021 toàn xã còn 50 hộ nghèo, tỷ lệ
hộ nghèo còn 2,01%"), which the comparison holds against a plan's targets (``models/targets.py``)."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, Span
from models.targets import Indicator
from models.values import PartialDate

PeriodKind = Literal["year", "half_year", "months", "to_date", "start_of_year", "end_of_year"]
ScopeKind = Literal["whole", "part", "other_unit"]
ChangeDirection = Literal["reduce_by", "increase_by"]


class ResultPeriod(Frozen):
    """The time a figure is stated for: "cuối năm 2020" (end_of_year 2020), "năm 2023" (year), "6 tháng đầu
    năm 2024" (half_year, months 6), "đến 31/5/2022" (to_date), "đầu năm 2022" (start_of_year: the state left
    at the end of 2021). ``end`` is the last day the figure covers."""

    kind: PeriodKind
    year: int
    months: int | None = None
    end: PartialDate | None = None
    raw: str | None = None

    @property
    def full_year(self) -> int | None:
        """The calendar year whose outcome the figure is, or None for part of a year: "đầu năm 2022" -> 2021."""
        if self.kind in ("year", "end_of_year"):
            return self.year
        if self.kind == "start_of_year":
            return self.year - 1
        return None


class ResultScope(Frozen):
    """Where a figure holds: the whole unit of the document ("toàn xã"), a named part of it ("thôn Bồng Phài",
    "TDP Đông Long", "10 xã khu vực III"), or another unit ("toàn huyện Hương Sơn", "xã Sơn Lĩnh liền kề")."""

    kind: ScopeKind = "whole"
    name: str | None = None


class TableSource(Frozen):
    table_id: str
    row_id: str
    column: int


class Result(Frozen):
    """One figure a document reports as reached, with where it was read."""

    id: str
    indicator: Indicator
    value: float | None = None
    raw: str | None = None
    decimals: int | None = None
    unit: str | None = None
    of_total: float | None = Field(
        default=None,
        description='The whole a count is stated out of: "112/128 hộ" -> value 112, of_total 128.',
    )
    period: ResultPeriod | None = None
    scope: ResultScope = ResultScope()
    direction: ChangeDirection | None = Field(
        default=None,
        description='Set when the figure is a change, not a level: "so với đầu năm tỷ lệ hộ nghèo giảm 0,05%".',
    )
    basis: str | None = Field(
        default=None,
        description="What a percent is out of when the text says so: 'persons' (\"chiếm 1,09% dân số\"), "
        "'plan' (\"46,2% kế hoạch năm\"), or the poverty standard of a household figure "
        "('poverty_standard:2016-2020', 'poverty_standard:2021-2025').",
    )
    groups: list[str] = Field(
        default_factory=list,
        description="The groups (populations.yaml keys) the figure is about, besides the indicator's own: "
        "\"100% hộ nghèo, hộ cận nghèo được cấp thẻ BHYT\" -> ['near_poor', 'poor'].",
    )
    achieved: bool | None = Field(
        default=None,
        description='For a statement without a number: "Không có người dân nào bị thiếu đói" -> true; '
        '"mục tiêu … không còn hộ nghèo … chưa đạt" -> false.',
    )
    source: Literal["text", "table"] = "text"
    table: TableSource | None = None
    text: str = Field(description="The words the figure was read from.")
    span: Span
    page: int | None = None
    section_id: str | None = None
