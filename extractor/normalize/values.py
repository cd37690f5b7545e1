"""The numbers of a text as the plan readers use them: single values and ranges, with their units, money in đồng.

``read_values`` turns the one number parser's matches (``find_numbers``, ``find_ranges``, ``find_money_amounts``)
into ``Value``s in text order: "20 - 22%" is one range (its two numbers are not read again), "58 triệu đồng"
one money value of 58000000 đồng, "158 hộ" a count of households. Targets and proportions read these.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from extractor import data
from extractor.normalize.numbers import MoneyMatch, NumberMatch, RangeMatch


@dataclass(frozen=True)
class Value:
    """A number or a range as read, with its unit: "20 - 22%", "1,94%", "158 hộ", "58 triệu đồng"."""

    start: int
    end: int  # end of the numeral(s), before the unit
    end_with_unit: int
    value: Decimal | None
    raw: str
    decimals: int
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    per: str | None = None

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def per_year(self) -> bool:
        """ "3-4%/năm", "500 hộ/năm"; not "58 triệu đồng/người/năm" (an income, not a yearly change)."""
        return self.per == "năm"


def _range_value(text: str, found: RangeMatch) -> Value:
    low_start = found.start + (text[found.start : found.end].find(found.low.raw))
    high_start = text.find(found.high.raw, low_start + len(found.low.raw), found.end)
    return Value(
        start=low_start,
        end=high_start + len(found.high.raw),
        end_with_unit=found.end,
        value=None,
        raw=text[low_start : found.end],
        decimals=max(found.low.decimals, found.high.decimals),
        low=found.low.value,
        high=found.high.value,
        unit="%" if found.percent else found.unit,
        per=found.per,
    )


def _single_value(text: str, found: NumberMatch, money: MoneyMatch | None) -> Value:
    unit = "%" if found.percent else found.unit
    value, end_with_unit = found.number.value, max(found.end_with_unit, found.end)
    if money is not None and unit in data.money().reported_units:
        value, unit = Decimal(money.value), data.money().currency.unit
        end_with_unit = max(end_with_unit, money.end)
    return Value(
        start=found.start,
        end=found.end,
        end_with_unit=end_with_unit,
        value=value,
        raw=text[found.start : end_with_unit].strip(),
        decimals=found.number.decimals,
        unit=unit,
        per=found.per,
    )


def read_values(
    text: str, numbers: Sequence[NumberMatch], ranges: Sequence[RangeMatch], money: Sequence[MoneyMatch]
) -> list[Value]:
    """Values of ``text`` in order, from the parser's matches over the same text; a range replaces the numbers
    it is made of."""
    money_at = {match.start: match for match in money}
    values = [_range_value(text, found) for found in ranges]
    covered = sorted((value.start, value.end_with_unit) for value in values)
    covered_starts = [start for start, _ in covered]
    for found in numbers:
        at = bisect_right(covered_starts, found.start) - 1
        if at >= 0 and found.start < covered[at][1]:
            continue
        values.append(_single_value(text, found, money_at.get(found.start)))
    values.sort(key=lambda value: value.start)
    return values
