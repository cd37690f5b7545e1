"""GRIM-style explanations: which count or base would make a stated percent right.

A percent that disagrees with count / base × 100 is often right for another count (a typo in the count
cell) or another base (the list was computed on a different total). The search is bounded and exhaustive
over small integers, so "none found" is a real answer (0,10% for 4 of 44 fits no count of 44 and no base
near 44).
"""

from decimal import Decimal

from extractor.normalize.tolerance import HUNDRED, agrees, percent_of

# Bases tried are within this factor of the stated base, and never above MAX_BASE (keeps the search small).
BASE_SEARCH_FACTOR = 3
MAX_BASE = 20_000
# Above this many households a percent written with two decimals fits a whole run of bases (0,55% of 14 fits
# every base from 2.534 to 2.592), so naming one of them explains nothing.
MAX_EXPLAINING_BASE = 500


def counts_that_fit(percent: Decimal, decimals: int, base: Decimal) -> list[int]:
    """Counts c with c / base × 100 agreeing with ``percent`` (1,09% of 183 -> [2])."""
    if base <= 0:
        return []
    middle = int(percent * base / HUNDRED)
    return [
        count
        for count in range(max(0, middle - 2), middle + 3)
        if agrees(percent, decimals, percent_of(Decimal(count), base))
    ]


def bases_that_fit(percent: Decimal, decimals: int, count: Decimal, near: Decimal) -> list[int]:
    """Bases b with count / b × 100 agreeing with ``percent``, closest to ``near`` first (57,14% of 4 -> [7])."""
    if percent <= 0 or count <= 0 or near > MAX_EXPLAINING_BASE:
        return []
    upper = int(min(max(near * BASE_SEARCH_FACTOR, Decimal(10)), Decimal(MAX_BASE)))
    guess = count * HUNDRED / percent
    candidates = range(max(1, int(guess) - 3), min(upper, int(guess) + 4) + 1)
    fitting = [base for base in candidates if agrees(percent, decimals, percent_of(count, Decimal(base)))]
    return sorted(fitting, key=lambda base: abs(base - near))


def shared_base(items: list[tuple[Decimal, int, Decimal]], near: Decimal) -> int | None:
    """One base explaining at least two of the (percent, decimals, count) items, the one explaining most.

    For seed 002's poor-household list (17 households): 57,14% of 4, 28,57% of 2, 42,86% of 3 -> 7.
    """
    tally: dict[int, int] = {}
    for percent, decimals, count in items:
        for base in bases_that_fit(percent, decimals, count, near):
            tally[base] = tally.get(base, 0) + 1
    if not tally:
        return None
    best = max(tally.items(), key=lambda item: (item[1], -abs(item[0] - near)))
    return best[0] if best[1] >= 2 else None
