"""Money and counted quantities: "05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng", "Hai tỷ … đồng".

What counts as an amount (the rule the gold files in ``corpus/gold/amounts/`` follow):

- **money**: a number followed by a currency unit, "200.000.000 đồng", "450 triệu đồng", "1,5 tỷ đồng",
  "500 ngàn đồng", "200.000đ", "3 tỷ" (a bare "tỷ"/"triệu" only when its clause talks about money: kinh phí,
  vốn, ngân sách …). The value is an exact integer number of đồng, the unit is always "đồng".
- **rate**: money per something, "40.000.000 đồng/hộ" (per "hộ"), "1,5 triệu đồng/người/tháng"
  (per "người/tháng"): everything after the first slash, words joined by "/".
- **quantity**: a count of people, households or things a plan delivers, written as a number followed by a
  counted noun from ``COUNTED_UNITS`` ("158 hộ nghèo", "12 sổ tiết kiệm", "01 mô hình", "00 hộ"). The unit is
  the noun's canonical head ("hộ" for "hộ cận nghèo" and "hộ gia đình", "khẩu" for "nhân khẩu"). Abstract
  counts ("06 lĩnh vực", "5 chỉ số") and ages ("01 tuổi") are not quantities. A duration ("60 ngày",
  "2 tháng") is a quantity only as a factor of a product ("× 60 ngày"), never in "định kỳ 6 tháng".
- **in words**: an amount spelled out ("Hai tỷ không trăm hai mươi mốt triệu đồng"), ``in_words`` true.
- **totals**: the amount right after "Tổng kinh phí", "Tổng cộng", "Cộng mục 1" … on its line, and its
  spelled-out twin in the brackets that follow, have ``is_total`` true (subtotals included).

Not amounts: percentages (targets and proportions read them), years, dates, document numbers and symbols,
section numbers, labels such as "Chương trình 135", "Dự án 5", "lần 2", "khu vực 3", "giai đoạn 2021-2025",
ranges, and table cells (a bare number with no unit after it on the same line).

Numbers are located and read by the project's one number parser (``extractor.normalize.numbers``) and the
number-words reader (``extractor.normalize.number_words``); this module only decides what each number counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from extractor import data
from extractor.normalize.patterns import alternation
from extractor.structure.plan_text import PlanText
from models.amounts import Amount, AmountKind
from models.provenance import Span

_UNITS = data.units()
_MONEY = data.money()
# Units whose counts are quantities ("158 hộ", "12 sổ", "01 mô hình"): see the kinds of data/units.yaml.
COUNTED_UNITS = frozenset(unit.unit for unit in _UNITS.units if unit.is_counted)
# Durations: quantities only as factors of a product ("× 60 ngày"), never in "định kỳ 6 tháng".
DURATION_UNITS = _UNITS.of_kinds(frozenset({"duration"}))
MONEY_UNITS = _MONEY.reported_units
CURRENCY = _MONEY.currency.unit

# A number right after one of these words is a label, not an amount: "Dự án 5", "lần 2", "khu vực 3".
LABEL_WORDS = alternation(data.cues().label_before_number)

_FLAGS = regex.V1 | regex.IGNORECASE
_LABEL_BEFORE = regex.compile(rf"(?:^|[^\p{{L}}])(?:{LABEL_WORDS})[ \u00a0]+$", _FLAGS)
_RANGE_BEFORE = regex.compile(r"\d[ \u00a0]*[-–][ \u00a0]*$")
_PER_AFTER = regex.compile(
    rf"[ \u00a0]*/[ \u00a0]*(?P<per>(?:{alternation([*COUNTED_UNITS, *DURATION_UNITS])})"
    rf"(?:/(?:{alternation(DURATION_UNITS)}))?)(?!\p{{L}})",
    _FLAGS,
)
_FACTOR_BEFORE = regex.compile(r"[×xX*][ \u00a0]*$")
_FACTOR_AFTER = regex.compile(r"[ \u00a0]*[×*]")
_CURRENCY = regex.compile(rf"(?:{alternation(_MONEY.currency.spellings)})(?:[ \u00a0]*/.*)?$", _FLAGS)
# Money talk in the clause before a bare "3 tỷ".
_MONEY_CUE = regex.compile(alternation(_MONEY.money_talk), _FLAGS)
# "Tổng kinh phí: …", "Tổng cộng (1+2): …", "Cộng mục 1: …", "Tổng số tiền …"
_TOTAL_CUE = regex.compile(
    rf"(?:^|[^\p{{L}}])(?:(?:{alternation(data.cues().money_total)})(?!\p{{L}})|cộng(?=\s+mục|\s*[:(]))"
    r"(?:\s+mục\s+[\p{L}\d.]+)?(?:\s*\([^()\n]{0,20}\))?",
    _FLAGS,
)
_DIGIT = regex.compile(r"\d")
_BREAK_BEFORE_TOTAL = regex.compile(r"\d|trong\s+đó|bao\s+gồm|gồm", _FLAGS)


@dataclass(frozen=True)
class _Found:
    kind: AmountKind
    value: int | float
    start: int
    end: int
    decimals: int
    unit: str
    per: str | None = None
    in_words: bool = False


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _as_number(value: Decimal, decimals: int) -> int | float:
    return int(value) if decimals == 0 and value == value.to_integral_value() else float(value)


def is_counting_number(text: str, start: int, end: int) -> bool:
    """False for a number that is a label, part of a range or glued to a token ("Dự án 5", "3 - 5", "30a")."""
    before = text[max(_line_start(text, start), start - 30) : start]
    glued = (start and (text[start - 1].isalnum() or text[start - 1] in "/-–")) or (
        end < len(text) and text[end].isalpha() and text[end].lower() != "đ"
    )
    return not (glued or _LABEL_BEFORE.search(before) or _RANGE_BEFORE.search(before))


def _money(plan: PlanText) -> Iterator[_Found]:
    text = plan.text
    for match in plan.money:
        raw = text[match.start : match.end]
        if not _CURRENCY.search(raw):  # "3 tỷ" alone is money only where the clause talks about money
            clause = text[max(_line_start(text, match.start), match.start - 120) : match.start]
            if not _MONEY_CUE.search(clause):
                continue
        if not is_counting_number(text, match.start, match.start + len(raw.split()[0])):
            continue
        per, end = match.per, match.end
        if per is None and (after := _PER_AFTER.match(text, end)):  # "đồng/sổ": a counted noun the parser
            per, end = after["per"].lower(), after.end()  # does not list after a slash
        kind: AmountKind = "rate" if per else "money"
        yield _Found(kind, match.value, match.start, end, 0, CURRENCY, per)


def _in_product(text: str, start: int, end: int) -> bool:
    return bool(_FACTOR_BEFORE.search(text[max(0, start - 3) : start]) or _FACTOR_AFTER.match(text, end))


def _quantities(plan: PlanText) -> Iterator[_Found]:
    text = plan.text
    for number in plan.numbers:
        if number.percent or number.unit is None or number.unit in MONEY_UNITS:
            continue
        end = number.end_with_unit
        unit = number.unit
        if unit not in COUNTED_UNITS and not (
            unit in DURATION_UNITS and _in_product(text, number.start, end)
        ):
            continue
        if not is_counting_number(text, number.start, number.end):
            continue
        value = _as_number(number.number.value, number.number.decimals)
        kind: AmountKind = "rate" if number.per else "quantity"
        yield _Found(kind, value, number.start, end, number.number.decimals, unit, number.per)


def _word_amounts(plan: PlanText) -> Iterator[_Found]:
    for start, end, value, unit in plan.amounts_in_words:
        if unit and CURRENCY in unit.lower():
            yield _Found("money", value, start, end, 0, CURRENCY, None, True)


def _is_total(text: str, found: _Found, previous: Amount | None) -> bool:
    """True for the amount a total cue on its line introduces, and for its spelled-out twin right after it
    ("Tổng cộng: 924.005.000 đồng (Bằng chữ: Chín trăm hai mươi tư triệu … đồng)")."""
    if found.in_words and previous is not None and previous.is_total and previous.value == found.value:
        between = text[previous.span.end : found.start]
        return len(between) < 40 and not _DIGIT.search(between)
    if found.kind != "money":
        return False
    before = text[_line_start(text, found.start) : found.start]
    cues = list(_TOTAL_CUE.finditer(before))
    return bool(cues) and not _BREAK_BEFORE_TOTAL.search(before[cues[-1].end() :])


def find_amounts(plan: PlanText) -> list[Amount]:
    """Every money amount, rate and counted quantity of the plan, in reading order.

    "Hỗ trợ làm nhà ở cho 05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng" gives a quantity 5 "hộ", a rate
    40000000 "đồng" per "hộ" and money 200000000 "đồng", each with its span.
    """
    text = plan.text
    found = sorted([*_money(plan), *_quantities(plan), *_word_amounts(plan)], key=lambda item: item.start)
    amounts: list[Amount] = []
    previous: Amount | None = None  # the last money amount, for a total's spelled-out twin
    for item in found:
        if amounts and item.start < amounts[-1].span.end:
            continue  # words overlapping digits already read
        amounts.append(
            Amount(
                id=f"amt{len(amounts) + 1}",
                kind=item.kind,
                value=item.value,
                raw=text[item.start : item.end],
                decimals=item.decimals,
                unit=item.unit,
                per=item.per,
                in_words=item.in_words,
                is_total=_is_total(text, item, previous),
                section_id=plan.index.id_at(item.start),
                span=Span(start=item.start, end=item.end),
                page=plan.page_at(item.start),
            )
        )
        if item.kind == "money":
            previous = amounts[-1]
    return amounts
