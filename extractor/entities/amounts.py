"""Money and counted quantities: "05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng", "Hai tỷ … đồng".

What counts as an amount (the rule the gold files in ``corpus/gold/amounts/`` follow):

- **money**: a number followed by a currency unit, "200.000.000 đồng", "450 triệu đồng", "1,5 tỷ đồng",
  "41.798,8 triệu đồng", "500 ngàn đồng", "200.000đ", "3 tỷ" (a bare "tỷ"/"triệu" only when its clause talks
  about money: kinh phí, vốn, ngân sách …). The value is an exact integer number of đồng, the unit is always
  "đồng".
- **rate**: money per anything, "40.000.000 đồng/hộ" (per "hộ"), "1,5 triệu đồng/người/tháng" (per
  "người/tháng"), "2.000.000 đồng/bồn", "8.500.000 đồng/ngôi", whatever the noun. How far the per reaches:
  each part after a slash is a unit of ``data/units.yaml`` as written ("hội nghị", "lượt người"), longest
  first, else one word; the parts are joined by "/"; a space, a digit or a sign ends it ("đồng/con bò
  giống" is per "con"). A count with a per is a rate only per a span of time ("500 hộ/năm"); "18,8 tiêu
  chí/xã" is an average, not an amount.
- **quantity**: a count of people, households or things, written as a number followed by a counted noun
  from ``COUNTED_UNITS`` ("158 hộ nghèo", "12 sổ tiết kiệm", "01 mô hình", "04 hội nghị", "65 bồn"), and any
  noun that a rate on the same line is per: in "320 ngôi × 8.500.000 đồng/ngôi" the plan itself says "ngôi"
  is counted. The unit is the noun's canonical head ("hộ" for "hộ cận nghèo" and "hộ gia đình", "khẩu" for
  "nhân khẩu"). "X/Y noun" is one count X with ``of_total`` Y ("8/13 đơn vị", "đạt 15/19 tiêu chí").
  Measures are not counts ("254,6 ha", "35 km", "500 tấn/ngày"), except as a priced factor of their line
  ("2,5 km × 420 triệu đồng/km"). Abstract counts ("06 lĩnh vực", "5 chỉ số") and ages ("01 tuổi") are not
  quantities. A duration ("60 ngày", "2 tháng") is a quantity only as a factor of a product ("× 60 ngày"),
  never in "định kỳ 6 tháng".
- **in words**: an amount spelled out ("Hai tỷ không trăm hai mươi mốt triệu đồng"), ``in_words`` true.
- **totals**: the amount right after "Tổng kinh phí", "Tổng cộng", "Cộng mục 1" … on its line, and its
  spelled-out twin in the brackets that follow, have ``is_total`` true (subtotals included).

Not amounts: percentages (targets and proportions read them), years, dates, document numbers and symbols,
section numbers, labels such as "Chương trình 135", "Dự án 5", "lần 2", "khu vực 3", "Cụm 2 thị trấn …",
"Tổ dân phố 6" (a number right after a noun that names things by number, ``numbered`` in units.yaml),
"giai đoạn 2021-2025", ranges, dimensions ("rộng 3,5 m", "loại 1.000 lít": no counted noun), and table cells
(a bare number with no unit after it on the same line).

Numbers are located and read by the project's one number parser (``extractor.normalize.numbers``) and the
number-words reader (``extractor.normalize.number_words``); this module only decides what each number counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import regex

from extractor import data
from extractor.data.schema import NOT_TARGET_KINDS
from extractor.normalize.numbers import NumberMatch
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
# Units a cost line never makes a quantity of by pricing them: durations keep the product rule above, and
# neither "02 lần/năm" nor an age is a count of anything delivered.
NEVER_PRICED_UNITS = _UNITS.of_kinds(NOT_TARGET_KINDS)
MONEY_UNITS = _MONEY.reported_units
CURRENCY = _MONEY.currency.unit

# A number right after one of these words is a label, not an amount: "Dự án 5", "lần 2", "khu vực 3", and
# the nouns that name things by a number ("Cụm 2", "Tổ dân phố 6", ``numbered`` in units.yaml).
LABEL_WORDS = alternation([*data.cues().label_before_number, *_UNITS.numbered_spellings])

_FLAGS = regex.V1 | regex.IGNORECASE
_SPACE = r"[ \u00a0]"
_LABEL_BEFORE = regex.compile(rf"(?:^|[^\p{{L}}])(?:{LABEL_WORDS}){_SPACE}+$", _FLAGS)
_RANGE_BEFORE = regex.compile(rf"\d{_SPACE}*[-–]{_SPACE}*$")
# One part of a per after a slash: a unit as data/units.yaml writes it, longest first ("hội nghị", "lượt
# người"), else one word ("bồn", "ngôi"). A space, a digit or a sign ends it.
_PER_PART = (
    rf"(?:{alternation([s for unit in _UNITS.units for s in unit.spellings], space=f'{_SPACE}+')})"
    r"(?![\p{L}\p{M}])|[\p{L}\p{M}]+"
)
_PER_AFTER = regex.compile(
    rf"{_SPACE}*/{_SPACE}*(?P<per>(?:{_PER_PART})(?:{_SPACE}*/{_SPACE}*(?:{_PER_PART}))*)", _FLAGS
)
_PER_SLASH = regex.compile(rf"{_SPACE}*/{_SPACE}*")
_FRACTION_SLASH = regex.compile(rf"{_SPACE}*/{_SPACE}*(?=\d)")
_FACTOR_BEFORE = regex.compile(rf"[×xX*]{_SPACE}*$")
_FACTOR_AFTER = regex.compile(rf"{_SPACE}*[×*]")
_CURRENCY = regex.compile(rf"(?:{alternation(_MONEY.currency.spellings)})(?:{_SPACE}*/.*)?$", _FLAGS)
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
    of_total: int | float | None = None


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _as_number(value: Decimal, decimals: int) -> int | float:
    return int(value) if decimals == 0 and value == value.to_integral_value() else float(value)


def is_counting_number(text: str, start: int, end: int) -> bool:
    """False for a number that is a label, part of a range or glued to a token ("Dự án 5", "3 - 5", "30a",
    "Cụm 2 thị trấn")."""
    before = text[max(_line_start(text, start), start - 30) : start]
    glued = (start and (text[start - 1].isalnum() or text[start - 1] in "/-–")) or (
        end < len(text) and text[end].isalpha() and text[end].lower() != "đ"
    )
    return not (glued or _LABEL_BEFORE.search(before) or _RANGE_BEFORE.search(before))


def per_after(text: str, end: int) -> tuple[str, int] | None:
    """The per written right after a money amount ending at ``end``, and where it ends.

    "2.500.000 đồng/hội nghị × 04" -> ("hội nghị", …); "8.500.000 đồng/ngôi =" -> ("ngôi", …), a noun the
    vocabulary lacks; "1.263.600 đồng/người/năm" -> ("người/năm", …); "200.000 đồng/01 hộ" -> None.
    """
    match = _PER_AFTER.match(text, end)
    if match is None:
        return None
    parts = _PER_SLASH.split(match["per"])
    return "/".join(" ".join(part.lower().split()) for part in parts), match.end()


def _money(plan: PlanText) -> list[_Found]:
    text = plan.text
    found = []
    for match in plan.money:
        raw = text[match.start : match.end]
        if not _CURRENCY.search(raw):  # "3 tỷ" alone is money only where the clause talks about money
            clause = text[max(_line_start(text, match.start), match.start - 120) : match.start]
            if not _MONEY_CUE.search(clause):
                continue
        if not is_counting_number(text, match.start, match.start + len(raw.split()[0])):
            continue
        per, end = match.per, match.end
        if per is None and (after := per_after(text, end)) is not None:
            per, end = after  # a per the parser does not know: "đồng/bồn", "đồng/ngôi"
        kind: AmountKind = "rate" if per else "money"
        found.append(_Found(kind, match.value, match.start, end, 0, CURRENCY, per))
    return found


def priced_nouns(text: str, rates: list[_Found]) -> dict[int, frozenset[str]]:
    """Line start -> the nouns the rates of that line are per: a cost line says what it counts.

    "- Hỗ trợ di chuyển mồ mả: 320 ngôi × 8.500.000 đồng/ngôi = …" -> {line: {"ngôi"}}; "1,5 triệu
    đồng/người/tháng" gives "người" and "tháng".
    """
    nouns: dict[int, set[str]] = {}
    for rate in rates:
        if rate.per:
            nouns.setdefault(_line_start(text, rate.start), set()).update(rate.per.split("/"))
    return {line: frozenset(found) for line, found in nouns.items()}


def _priced_unit(text: str, number: NumberMatch, nouns: frozenset[str]) -> tuple[str, int] | None:
    """The noun right after ``number`` and its end, when a rate of its line is per that noun: "320 ngôi"
    beside "đồng/ngôi" -> "ngôi", "2,5 km" beside "đồng/km" -> "km"; else None."""
    if number.unit is not None:
        if number.unit in nouns and number.unit not in NEVER_PRICED_UNITS:
            return number.unit, number.end_with_unit
        return None
    for noun in nouns:
        if (match := _noun_pattern(noun).match(text, number.end)) is not None:
            return noun, match.end()
    return None


@lru_cache(maxsize=512)
def _noun_pattern(noun: str) -> regex.Pattern[str]:
    """ "ngôi" -> a pattern for " ngôi" right after a number, as a whole word (also glued: "2,5km")."""
    words = f"{_SPACE}+".join(regex.escape(word) for word in noun.split())
    return regex.compile(rf"{_SPACE}*{words}(?![\p{{L}}\p{{M}}\p{{N}}])", _FLAGS)


def _in_product(text: str, start: int, end: int) -> bool:
    return bool(_FACTOR_BEFORE.search(text[max(0, start - 3) : start]) or _FACTOR_AFTER.match(text, end))


def _counted_unit(text: str, number: NumberMatch, nouns: frozenset[str]) -> tuple[str, int] | None:
    """The unit ``number`` counts and where its noun ends, or None: a counted noun ("158 hộ"), a duration
    as a factor ("× 60 ngày") or a noun a rate of its line is per ("320 ngôi", "2,5 km")."""
    if number.percent or number.unit in MONEY_UNITS:
        return None
    if number.unit in COUNTED_UNITS or (
        number.unit in DURATION_UNITS and _in_product(text, number.start, number.end_with_unit)
    ):
        return number.unit, number.end_with_unit
    return _priced_unit(text, number, nouns) if nouns else None


def _fraction_total(text: str, numbers: list[NumberMatch], index: int) -> NumberMatch | None:
    """For "8/13 đơn vị" at ``numbers[index]`` (8), the number it is out of (13 đơn vị); else None."""
    number = numbers[index]
    if number.unit is not None or number.percent or index + 1 >= len(numbers):
        return None
    if text.find("/", number.end, number.end + 3) < 0:
        return None  # most numbers: no slash right after them
    slash = _FRACTION_SLASH.match(text, number.end)
    total = numbers[index + 1]
    if slash is None or total.start != slash.end() or total.number.value < number.number.value:
        return None
    return total


def _quantities(plan: PlanText, priced: dict[int, frozenset[str]]) -> Iterator[_Found]:
    text, numbers = plan.text, plan.numbers
    no_nouns: frozenset[str] = frozenset()
    for index, number in enumerate(numbers):
        if number.percent or number.unit in MONEY_UNITS:
            continue
        total = _fraction_total(text, numbers, index)
        counted = total if total is not None else number
        nouns = no_nouns
        if priced and counted.unit not in COUNTED_UNITS:
            nouns = priced.get(_line_start(text, number.start), no_nouns)
        reading = _counted_unit(text, counted, nouns)
        if reading is None or not is_counting_number(text, number.start, number.end):
            continue
        unit, end = reading
        if counted.per and counted.per.split("/")[0] not in DURATION_UNITS:
            continue  # "18,8 tiêu chí/xã" is an average, not a count; "500 hộ/năm" is a yearly count
        value = _as_number(number.number.value, number.number.decimals)
        of_total = _as_number(total.number.value, total.number.decimals) if total is not None else None
        kind: AmountKind = "rate" if counted.per else "quantity"
        yield _Found(
            kind, value, number.start, end, number.number.decimals, unit, counted.per, False, of_total
        )


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
    money = _money(plan)
    priced = priced_nouns(text, money)
    found = sorted([*money, *_quantities(plan, priced), *_word_amounts(plan)], key=lambda item: item.start)
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
                of_total=item.of_total,
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
