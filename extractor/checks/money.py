"""Rule family "money": quantity × rate = amount; amount in words = amount in digits.

Money totals against their parts are breakdowns (``sums.py``), reported under the rule "money.total".

The amounts stage gives each amount its kind, value and span; relations are read from their order in
the text (a quantity, then a rate per the same unit, then an amount: "05 hộ × 40.000.000 đồng/hộ =
200.000.000 đồng"), never by reading the text again.
"""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally, make_draft
from extractor.normalize.tolerance import as_decimal, format_vi
from models.amounts import Amount
from models.extracted import ExtractedDocument
from models.findings import Location

# How far apart (characters) the members of one "quantity × rate = amount" line or of an amount and its
# spelling in words may stand.
PRODUCT_REACH = 120
WORDS_REACH = 200


def _near(first: Amount, second: Amount, reach: int) -> bool:
    return 0 <= second.span.start - first.span.end <= reach


def _product_line(amounts: list[Amount], index: int) -> tuple[list[Amount], Amount] | None:
    """Around the rate at ``index``: the quantity before it, one quantity per further "/unit" of the rate,
    then the amount: "12 người × 1,5 triệu đồng/người/tháng × 2 tháng = 36 triệu đồng"."""
    rate = amounts[index]
    units = (rate.per or "").split("/")
    if index == 0 or not units[0]:
        return None
    first = amounts[index - 1]
    if first.kind != "quantity" or first.unit != units[0] or not _near(first, rate, PRODUCT_REACH):
        return None
    factors, previous, position = [first, rate], rate, index + 1
    for unit in units[1:]:
        if position >= len(amounts):
            return None
        factor = amounts[position]
        if factor.kind != "quantity" or factor.unit != unit or not _near(previous, factor, PRODUCT_REACH):
            return None
        factors.append(factor)
        previous, position = factor, position + 1
    if position >= len(amounts):
        return None
    result = amounts[position]
    if result.kind != "money" or result.in_words or not _near(previous, result, PRODUCT_REACH):
        return None
    return factors, result


def check_products(amounts: list[Amount], tally: Tally) -> list[Draft]:
    drafts = []
    for index, rate in enumerate(amounts):
        if rate.kind != "rate" or (line := _product_line(amounts, index)) is None:
            continue
        factors, result = line
        expected = Decimal(1)
        for factor in factors:
            expected *= as_decimal(factor.value)
        tally.verified += 1
        if expected == as_decimal(result.value):
            continue
        written = " × ".join(factor.raw for factor in factors)
        drafts.append(
            make_draft(
                "money.product",
                {
                    "label": factors[0].label or result.label or result.raw,
                    "factors": written,
                    "expected": format_vi(expected, 0),
                    "stated": result.raw,
                },
                stated=result.raw,
                expected=format_vi(expected, 0),
                evidence=" × ".join(format_vi(as_decimal(f.value), f.decimals) for f in factors)
                + f" = {format_vi(expected, 0)}",
                location=Location(span=result.span, page=result.page),
            )
        )
    return drafts


def check_words(amounts: list[Amount], tally: Tally) -> list[Draft]:
    """An amount spelled out in words restates the amount in digits just before it."""
    drafts = []
    for index, words in enumerate(amounts):
        if not words.in_words:
            continue
        # The restated amount is the one right before the words ("700.000.000 đồng (Bằng chữ: …)"): when
        # anything else stands between them, the words are an amount of their own.
        digits = amounts[index - 1] if index else None
        if (
            digits is None
            or digits.kind != "money"
            or digits.in_words
            or not _near(digits, words, WORDS_REACH)
        ):
            tally.skip("money.words", "no amount in digits right before it")
            continue
        tally.verified += 1
        if as_decimal(digits.value) == as_decimal(words.value):
            continue
        drafts.append(
            make_draft(
                "money.words",
                {
                    "label": digits.label or digits.raw,
                    "words": format_vi(as_decimal(words.value), 0),
                    "digits": digits.raw,
                },
                stated=words.raw,
                expected=digits.raw,
                evidence=f"{words.raw} = {format_vi(as_decimal(words.value), 0)} ≠ {format_vi(as_decimal(digits.value), 0)}",
                location=Location(span=words.span, page=words.page),
            )
        )
    return drafts


def check_money(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    amounts = sorted(document.amounts, key=lambda amount: amount.span.start)
    return check_products(amounts, tally) + check_words(amounts, tally)
