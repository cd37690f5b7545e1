"""Rule family "money": quantity × rate = amount; parts = total; amount in words = amount in digits.

The amounts stage gives each amount its kind, value and span; relations are read from their order in
the text (a quantity, then a rate per the same unit, then an amount: "05 hộ × 40.000.000 đồng/hộ =
200.000.000 đồng"), never by reading the text again.
"""

from decimal import Decimal

from extractor.checks.drafts import Draft, Tally
from extractor.checks.tolerance import as_decimal, format_vi
from models.amounts import Amount
from models.extracted import ExtractedDocument
from models.findings import Location

# How far apart (characters) the members of one "quantity × rate = amount" line or of an amount and its
# spelling in words may stand.
PRODUCT_REACH = 120
WORDS_REACH = 200


def _near(first: Amount, second: Amount, reach: int) -> bool:
    return 0 <= second.span.start - first.span.end <= reach


def check_products(amounts: list[Amount], tally: Tally) -> list[Draft]:
    drafts = []
    for index in range(len(amounts) - 2):
        quantity, rate, result = amounts[index : index + 3]
        if not (
            quantity.kind == "quantity"
            and rate.kind == "rate"
            and result.kind == "money"
            and not result.in_words
            and rate.per == quantity.unit
            and _near(quantity, rate, PRODUCT_REACH)
            and _near(rate, result, PRODUCT_REACH)
        ):
            continue
        expected = as_decimal(quantity.value) * as_decimal(rate.value)
        tally.verified += 1
        if expected == as_decimal(result.value):
            continue
        drafts.append(
            Draft(
                rule="money.product",
                message_vi=f"{quantity.raw} × {rate.raw} = {format_vi(expected, 0)} đồng, văn bản ghi {result.raw}",
                message_en=f"{quantity.raw} × {rate.raw} = {format_vi(expected, 0)} đồng, the text says {result.raw}",
                stated=result.raw,
                expected=format_vi(expected, 0),
                evidence=f"{format_vi(as_decimal(quantity.value), quantity.decimals)} × {format_vi(as_decimal(rate.value), 0)} = {format_vi(expected, 0)}",
                location=Location(span=result.span, page=result.page),
            )
        )
    return drafts


def _parts(money: list[Amount], total_index: int, direction: int) -> list[Amount]:
    """Money amounts next to a total, up to the previous/next total or a change of section."""
    parts = []
    index = total_index + direction
    total = money[total_index]
    while (
        0 <= index < len(money) and not money[index].is_total and money[index].section_id == total.section_id
    ):
        parts.append(money[index])
        index += direction
    return parts


def check_totals(amounts: list[Amount], tally: Tally) -> list[Draft]:
    """A total equals the sum of the amounts listed just before it, or just after it ("trong đó: …")."""
    money = [amount for amount in amounts if amount.kind == "money" and not amount.in_words]
    drafts = []
    for index, total in enumerate(money):
        if not total.is_total:
            continue
        candidates = [
            parts for parts in (_parts(money, index, -1), _parts(money, index, 1)) if len(parts) >= 2
        ]
        if not candidates:
            tally.skip("money.total", "no listed parts")
            continue
        stated = as_decimal(total.value)
        sums = [sum((as_decimal(part.value) for part in parts), Decimal(0)) for parts in candidates]
        tally.verified += 1
        if stated in sums:
            continue
        closest = min(sums, key=lambda value: abs(value - stated))
        parts = candidates[sums.index(closest)]
        drafts.append(
            Draft(
                rule="money.total",
                message_vi=f"Tổng {total.raw} nhưng các khoản cộng lại được {format_vi(closest, 0)} đồng",
                message_en=f"Total {total.raw} but the listed amounts add up to {format_vi(closest, 0)} đồng",
                stated=total.raw,
                expected=format_vi(closest, 0),
                evidence=" + ".join(format_vi(as_decimal(part.value), 0) for part in parts)
                + f" = {format_vi(closest, 0)}",
                location=Location(span=total.span, page=total.page),
            )
        )
    return drafts


def check_words(amounts: list[Amount], tally: Tally) -> list[Draft]:
    """An amount spelled out in words restates the amount in digits just before it."""
    drafts = []
    for index, words in enumerate(amounts):
        if not words.in_words:
            continue
        digits = next(
            (
                amount
                for amount in reversed(amounts[:index])
                if amount.kind == "money" and not amount.in_words
            ),
            None,
        )
        if digits is None or not _near(digits, words, WORDS_REACH):
            tally.skip("money.words", "no amount in digits beside it")
            continue
        tally.verified += 1
        if as_decimal(digits.value) == as_decimal(words.value):
            continue
        drafts.append(
            Draft(
                rule="money.words",
                message_vi=f"Bằng chữ {format_vi(as_decimal(words.value), 0)} đồng khác bằng số {digits.raw}",
                message_en=f"In words {format_vi(as_decimal(words.value), 0)} đồng, in digits {digits.raw}",
                stated=words.raw,
                expected=digits.raw,
                evidence=f"{words.raw} = {format_vi(as_decimal(words.value), 0)} ≠ {format_vi(as_decimal(digits.value), 0)}",
                location=Location(span=words.span, page=words.page),
            )
        )
    return drafts


def check_money(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    amounts = sorted(document.amounts, key=lambda amount: amount.span.start)
    return check_products(amounts, tally) + check_totals(amounts, tally) + check_words(amounts, tally)
