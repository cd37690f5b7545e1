"""Commitments a later report can be checked against: "giảm tỷ lệ hộ nghèo còn 1,94%"."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, OcrConfidence, Span
from models.values import PartialDate, Quantity

Direction = Literal[
    "reduce_to",
    "reduce_by",
    "at_least",
    "at_most",
    "reach",
    "maintain",
    "increase_by",
    "increase_to",
    "eliminate",
]


class Indicator(Frozen):
    """What is measured: the phrase as written and its canonical key from ``extractor/data/indicators.yaml``."""

    text: str
    key: str


class ValueRange(Frozen):
    """ "20 - 22%" -> low 20, high 22."""

    low: float
    high: float


class Period(Frozen):
    """When a target applies: a deadline ("cuối năm 2024") or a span of years ("giai đoạn 2021-2025")."""

    start_year: int | None = None
    end_year: int | None = None
    deadline: PartialDate | None = None
    raw: str | None = None


class TargetMention(Frozen):
    span: Span
    raw: str
    page: int | None = None
    section_id: str | None = None


class Target(OcrConfidence):
    """One quantified or explicit commitment, with every place it is stated."""

    id: str
    indicator: Indicator
    value: float | None = None
    raw: str | None = None
    decimals: int | None = None
    range: ValueRange | None = None
    unit: str | None = None
    of_total: float | None = Field(
        default=None,
        description='The whole a count is stated out of: "64/98 xã đạt chuẩn" -> value 64, of_total 98.',
    )
    percent: float | None = Field(
        default=None,
        description='The share stated with such a count: "64/98 xã …, đạt 65,31%" -> 65.31.',
    )
    direction: Direction | None = None
    per_year: bool = False
    per_year_equivalent: Quantity | None = None
    baseline: Quantity | None = None
    period: Period | None = None
    scope: str | None = None
    population: str | None = Field(
        default=None,
        description="For a household indicator, the group it counts (a key of extractor/data/populations.yaml: "
        "'poor', 'near_poor'), which per-unit tables and the whole group's situation are compared with.",
    )
    qualitative: bool = False
    section_id: str | None = None
    span: Span
    page: int | None = None
    mentions: list[TargetMention]
