"""How precisely a stated number is known, and when two numbers agree. The one place tolerances live.

A stated value is only known to one unit of its last written decimal: plans both round and truncate
("1/129 = 0,775…" is written 0,77 or 0,78), so "1,94" stands for any exact value in (1,93; 1,95).
All arithmetic is in ``Decimal``: binary floats would invent disagreements in the last decimal.
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext

HUNDRED = Decimal(100)


def as_decimal(value: int | float | Decimal) -> Decimal:
    """The exact decimal a model value stands for (floats go through their shortest repr: 1.94 -> 1.94)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def last_unit(decimals: int) -> Decimal:
    """One unit of the last written decimal: 2 decimals -> 0.01, none -> 1."""
    return Decimal(1).scaleb(-decimals)


def agrees(stated: Decimal, decimals: int, exact: Decimal) -> bool:
    """True when ``stated`` (written with ``decimals`` decimals) is a rounding or truncation of ``exact``."""
    return abs(stated - exact) < last_unit(decimals)


def percent_of(count: Decimal, base: Decimal) -> Decimal:
    """count / base × 100, to 12 significant digits (enough to decide any written percent)."""
    with localcontext() as context:
        context.prec = 28
        return count * HUNDRED / base


@dataclass(frozen=True)
class Interval:
    """The open interval of exact values a stated number may stand for."""

    low: Decimal
    high: Decimal

    @classmethod
    def stated(cls, value: Decimal, decimals: int) -> "Interval":
        unit = last_unit(decimals)
        return cls(value - unit, value + unit)

    @classmethod
    def exact(cls, value: Decimal) -> "Interval":
        return cls(value, value)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.low - other.high, self.high - other.low)

    def overlaps(self, other: "Interval") -> bool:
        """Open intervals overlap; a degenerate (exact) interval overlaps when it lies inside the other."""
        if self.low == self.high and other.low == other.high:
            return self.low == other.low
        return self.low < other.high and other.low < self.high


def format_vi(value: Decimal, decimals: int) -> str:
    """Vietnamese writing of a number for messages: 1.6393 with 2 decimals -> "1,64"; 2471 -> "2.471"."""
    quantized = value.quantize(last_unit(decimals)) if decimals else value.quantize(Decimal(1))
    text = f"{quantized:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def sum_slack(decimals: int, terms: int) -> Decimal:
    """How far a stated sum of ``terms`` rounded numbers may lie from the sum of the numbers as written.

    Whole counts add up exactly. Numbers written to ``decimals`` places were rounded each on its own (a
    spreadsheet adds the exact values, then shows every cell rounded), so "1.250,5 + 2.300,3" may be stated
    as 3.550,9: each of the terms and the total is off by at most half a unit of the last decimal.
    """
    if decimals == 0:
        return Decimal(0)
    return last_unit(decimals) * (terms + 1) / 2


def sum_agrees(stated: Decimal, found: Decimal, decimals: int, terms: int) -> bool:
    """True when a stated sum equals the sum found, up to the rounding of its ``terms`` (see ``sum_slack``)."""
    return abs(stated - found) <= sum_slack(decimals, terms)
