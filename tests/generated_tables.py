"""Random per-unit tables for property tests of the checks, with an independent oracle.

A table has one row per village: total households, poor households at the start, the reduction and the end
(end = start − reduction), each count with its percent of the households, and a total row. Percents are
rounded or truncated as plans write them. ``inject`` changes one cell; ``oracle_broken`` says, without the
checks' code, whether that change breaks an identity the checks promise to verify.
"""

import random
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from models.tables import Column, Table
from tests.factories import make_table

ROLES = ["poor_start", "poor_reduction", "poor_end"]
COLUMNS = [
    Column(index=0, path=["TT"], role="ordinal"),
    Column(index=1, path=["Thôn"], role="label"),
    Column(index=2, path=["Tổng số hộ"], role="total_households"),
]
for _number, _role in enumerate(ROLES):
    COLUMNS.append(Column(index=3 + 2 * _number, path=[_role, "TS"], role=_role))
    COLUMNS.append(
        Column(
            index=4 + 2 * _number,
            path=[_role, "%"],
            role="percent",
            count_column=3 + 2 * _number,
            base_column=2,
        )
    )


@dataclass
class GeneratedTable:
    counts: list[list[int]]  # per row (total row last): households, start, reduction, end
    percents: list[list[Decimal]]  # per row: start %, reduction %, end %
    decimals: int
    written: list[list[str]]  # what the document writes in columns 2 … 8


def _percent(count: int, base: int, decimals: int, truncate: bool) -> Decimal:
    exact = Decimal(count) * 100 / Decimal(base)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN if truncate else ROUND_HALF_UP)


def _write(value: Decimal | int, decimals: int = 0) -> str:
    return f"{value:.{decimals}f}".replace(".", ",") if decimals else str(value)


def generate(rng: random.Random) -> GeneratedTable:
    rows = []
    for _ in range(rng.randint(1, 10)):
        households = rng.randint(20, 900)
        start = rng.randint(0, min(households, 60))
        reduction = rng.randint(0, start)
        rows.append([households, start, reduction, start - reduction])
    rows.append([sum(column) for column in zip(*rows, strict=True)])
    decimals = rng.choice([1, 2])
    truncate = rng.random() < 0.3
    percents = [[_percent(count, row[0], decimals, truncate) for count in row[1:]] for row in rows]
    written = [
        [_write(row[0])]
        + [
            cell
            for count, percent in zip(row[1:], pcts, strict=True)
            for cell in (_write(count), _write(percent, decimals))
        ]
        for row, pcts in zip(rows, percents, strict=True)
    ]
    return GeneratedTable(rows, percents, decimals, written)


def to_table(generated: GeneratedTable) -> Table:
    kinds = ["unit"] * (len(generated.written) - 1) + ["total"]
    labels = [f"Thôn {n + 1}" for n in range(len(kinds) - 1)] + ["Tổng cộng"]
    return make_table(COLUMNS[:9], list(zip(kinds, labels, generated.written, strict=True)))


def inject(generated: GeneratedTable, rng: random.Random) -> tuple[int, int, str]:
    """Change one written cell (row, column index in the table, new text): a count, a percent, a total, or
    two swapped digits."""
    row = rng.randrange(len(generated.written))
    position = rng.randrange(len(generated.written[row]))
    old = generated.written[row][position]
    digits = [i for i, char in enumerate(old) if char.isdigit()]
    if rng.random() < 0.3 and len(digits) >= 2:
        i, j = rng.sample(digits, 2)
        chars = list(old)
        chars[i], chars[j] = chars[j], chars[i]
        new = "".join(chars)
    elif position == 0 or position % 2 == 1:  # households, or a count (TS)
        new = str(max(0, int(old) + rng.choice([-3, -2, -1, 1, 2, 3])))
    else:  # a percent
        value = Decimal(old.replace(",", ".")) + rng.choice([-1, 1]) * Decimal(rng.randint(1, 9)).scaleb(
            -generated.decimals
        )
        new = _write(max(value, Decimal(0)), generated.decimals)
    generated.written[row][position] = new
    return row, position + 2, new


def _value(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def oracle_broken(generated: GeneratedTable) -> bool:
    """Recompute every identity from the written cells: percent of base, end = start − reduction, unit rows
    adding up to the total row. True when any fails."""
    unit = Decimal(1).scaleb(-generated.decimals)
    rows = [[_value(cell) for cell in row] for row in generated.written]
    for row in rows:
        households = row[0]
        counts, percents = row[1::2], row[2::2]
        if counts[0] - counts[1] != counts[2]:
            return True
        for count, percent in zip(counts, percents, strict=True):
            if households == 0 or abs(count * 100 / households - percent) >= unit:
                return True
    return any(sum(row[column] for row in rows[:-1]) != rows[-1][column] for column in (0, 1, 3, 5))
