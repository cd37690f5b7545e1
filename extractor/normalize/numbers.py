"""The one number parser of khplan: digits as Vietnamese plans write them.

Vietnamese style writes a decimal comma and a thousands dot ("1,94%", "2.471 hộ", "2.405.000.000 đồng"), but
real documents mix styles: seed 002's appendix table has "1.011" households and "0.69" percent in one table.
So the parser never applies one global rule. It reads each numeral on its own, says which convention it used,
and flags a numeral that the other convention would also read ("1.011" is 1011 or 1.011) together with that
other value, so the caller can decide per column or by context (a percent column, a total that must add up).
With ``convention="vi"`` or ``"en"`` the caller forces the reading.

Finders (``find_numbers``, ``find_ranges``, ``find_year_spans``, ``find_money_amounts``) return exact character
offsets into the text they are given, which should already be NFC-normalized (the normalize stage does that).
Numbers that belong to a document symbol ("86/2015/NĐ-CP", "12-NQ/ĐU"), to a date ("10/01/2024",
"ngày 19 tháng 12 năm 2019") or to a heading number at the start of a line ("2.1 Tín dụng …") are skipped
whole, never split into smaller numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import regex

from extractor import data

Convention = Literal["vi", "en", "plain"]
ConventionChoice = Literal["auto", "vi", "en"]

_FLAGS = regex.V1

# A numeral with more significant digits than a binary float holds exactly (15: the models write values as
# JSON numbers, which every reader takes as a double), or with more digits than any count or amount a plan
# states (18: a billion billion đồng), is not read as a number: kept as written, listed as refused
# (``normalize.refused``), never rounded into a value the checks would then find wrong.
MAX_SIGNIFICANT_DIGITS = 15
MAX_DIGITS = 18
_SPACE = "[ \u00a0\u202f\u2009]"  # spaces that may sit inside one line: plain, no-break, narrow, thin
_MINUS = "-\u2212"  # hyphen-minus and the minus sign

# ---------------------------------------------------------------------------------------------------------
# Parsing one numeral
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedNumber:
    """One numeral as written and as read.

    ``parse_vietnamese_number("2,60")`` -> value 2.60, decimals 2, convention "vi". ``raw`` keeps the leading
    zeros of "06 phường"; ``decimals`` is the number of decimals written (the checks need how precisely a value
    was stated). ``ambiguous`` is True when the other convention would also read the numeral ("1.011",
    "2,471"), and ``alternative`` is then that other value.
    """

    value: Decimal
    raw: str
    decimals: int
    convention: Convention
    ambiguous: bool = False
    alternative: Decimal | None = None

    def to_python(self) -> int | float:
        """The value as an int when it is whole and written without decimals, else a float (for JSON models)."""
        if self.decimals == 0 and self.value == self.value.to_integral_value():
            return int(self.value)
        return float(self.value)


@dataclass(frozen=True)
class _Reading:
    value: Decimal
    decimals: int
    convention: Convention


_PLAIN_DIGITS = regex.compile(r"\d+", _FLAGS)
_SEPARATED_DIGITS = regex.compile(r"\d+(?:[.,]\d+)+", _FLAGS)
_SPACE_GROUPED = regex.compile(rf"(?P<int>\d{{1,3}}(?:{_SPACE}\d{{3}})+)(?:(?P<mark>[.,])(?P<frac>\d+))?")


def _decimal_reading(integer: str, fraction: str, convention: Convention) -> _Reading:
    return _Reading(Decimal(f"{integer}.{fraction}"), len(fraction), convention)


def _thousands_reading(groups: list[str], convention: Convention) -> _Reading | None:
    """Groups of a thousands-separated integer, or None when they are not well formed ("1.2.3", "0.690")."""
    first, rest = groups[0], groups[1:]
    if not 1 <= len(first) <= 3 or first.startswith("0"):
        return None
    if any(len(group) != 3 for group in rest):
        return None
    return _Reading(Decimal("".join(groups)), 0, convention)


def _read_both_marks(body: str) -> _Reading | None:
    """ "1.234,5" (vi) or "1,234.5" (en): the last mark is the decimal one and occurs once."""
    mark = "," if body.rfind(",") > body.rfind(".") else "."
    integer, fraction = body.rsplit(mark, 1)
    if mark in integer:
        return None
    thousands = "." if mark == "," else ","
    convention: Convention = "vi" if mark == "," else "en"
    grouped = _thousands_reading(integer.split(thousands), convention)
    if grouped is None:
        return None
    return _Reading(grouped.value + Decimal(f"0.{fraction}"), len(fraction), convention)


def _read_one_mark(
    body: str, mark: str, convention: ConventionChoice
) -> tuple[_Reading | None, _Reading | None]:
    """Readings of "2.471", "0.69", "1,011" or "1.234.567": (chosen, other valid reading or None)."""
    parts = body.split(mark)
    # A dot groups thousands in Vietnamese style, a comma in English style.
    grouping_convention: Convention = "vi" if mark == "." else "en"
    decimal_convention: Convention = "en" if mark == "." else "vi"
    grouped = _thousands_reading(parts, grouping_convention)
    decimal = _decimal_reading(parts[0], parts[1], decimal_convention) if len(parts) == 2 else None
    if convention == grouping_convention:
        return grouped, decimal
    if convention == decimal_convention:
        return decimal, grouped
    # auto: Vietnamese style first ("2.471" -> 2471, "1,011" -> 1.011); the other reading only when it is
    # the one that exists ("0.69", "1234.5", "1,234,567").
    preferred, other = (grouped, decimal) if mark == "." else (decimal, grouped)
    if preferred is None:
        return other, None
    return preferred, other


def _read_space_grouped(body: str, convention: ConventionChoice) -> _Reading | None:
    """ "12 345" or "12 345,5": spaces group thousands in either convention."""
    match = _SPACE_GROUPED.fullmatch(body)
    if match is None:
        return None
    integer = regex.sub(_SPACE, "", match["int"])
    if match["mark"] is None:
        return _Reading(Decimal(integer), 0, "plain")
    mark_convention: Convention = "vi" if match["mark"] == "," else "en"
    if convention not in ("auto", mark_convention):
        return None
    return _decimal_reading(integer, match["frac"], mark_convention)


def is_overlong_numeral(raw: str) -> bool:
    """True when ``raw`` writes more digits than a number khplan reads may have (see ``MAX_DIGITS``).

    ``"2.405.000.000"`` -> False; ``"1.000.000.000.000.000.000"`` (19 digits) -> True;
    ``"3,1415926535897932"`` (17 significant digits) -> True. Leading zeros and trailing zeros do not count
    as significant.
    """
    digits = "".join(char for char in raw if char.isdigit()).lstrip("0")
    return len(digits) > MAX_DIGITS or len(digits.rstrip("0")) > MAX_SIGNIFICANT_DIGITS


def _split_sign(text: str) -> tuple[bool, str]:
    if text[:1] in _MINUS:
        return True, text[1:]
    if text[:1] == "+":
        return False, text[1:]
    return False, text


def _signed(value: Decimal, negative: bool) -> Decimal:
    if negative and value != 0:
        return -value
    return value


@functools.lru_cache(maxsize=8192)
def parse_vietnamese_number(raw: str, convention: ConventionChoice = "auto") -> ParsedNumber | None:
    """Read one numeral, or None when it is not one.

    ``parse_vietnamese_number("2.471")`` -> 2471 (ambiguous, alternative 2.471); ``"0.69"`` -> 0.69 (a dot
    before one or two digits can only be a decimal point); ``"1,94"`` -> 1.94; ``"2.405.000.000"`` ->
    2405000000; ``"1.234,5"`` and ``"1,234.5"`` -> 1234.5; ``"06"`` -> 6 with raw "06"; ``"12 345"`` -> 12345.
    ``convention="vi"`` reads dots as thousands and the comma as the decimal mark, ``"en"`` the reverse; a
    numeral that the forced convention cannot read gives None, and so does one too long to hold exactly
    (``is_overlong_numeral``). Surrounding whitespace is ignored.
    """
    text = raw.strip()
    negative, body = _split_sign(text)
    if not body or not body[0].isdigit() or is_overlong_numeral(body):
        return None
    chosen: _Reading | None
    other: _Reading | None = None
    if _PLAIN_DIGITS.fullmatch(body):
        chosen = _Reading(Decimal(body), 0, "plain")
    elif _SEPARATED_DIGITS.fullmatch(body):
        if "," in body and "." in body:
            chosen = _read_both_marks(body)
            if chosen is not None and convention not in ("auto", chosen.convention):
                chosen = None
        else:
            chosen, other = _read_one_mark(body, "," if "," in body else ".", convention)
    else:
        chosen = _read_space_grouped(body, convention)
    if chosen is None:
        return None
    return ParsedNumber(
        value=_signed(chosen.value, negative),
        raw=text,
        decimals=chosen.decimals,
        convention=chosen.convention,
        ambiguous=other is not None,
        alternative=_signed(other.value, negative) if other is not None else None,
    )


def format_vietnamese_number(value: Decimal | int, decimals: int = 0) -> str:
    """Write a value in Vietnamese style with ``decimals`` decimals (rounded half up).

    ``format_vietnamese_number(Decimal("2471"), 0)`` -> "2.471"; ``(Decimal("1.94"), 2)`` -> "1,94";
    ``(Decimal("1234.5"), 2)`` -> "1.234,50".
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if decimals else f"{sign}{grouped}"


# ---------------------------------------------------------------------------------------------------------
# Roman numerals: parts of a plan ("II. MỤC TIÊU"), group rows of a table ("I", "II"), Word's list labels
# ---------------------------------------------------------------------------------------------------------

_ROMAN_VALUES = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
_ROMAN_DIGITS = {numeral: value for value, numeral in _ROMAN_VALUES if len(numeral) == 1}


def format_roman_numeral(value: int) -> str:
    """ "II" for 2, "XIV" for 14; a value below 1 is written in digits."""
    if value <= 0:
        return str(value)
    parts = []
    for amount, numeral in _ROMAN_VALUES:
        count, value = divmod(value, amount)
        parts.append(numeral * count)
    return "".join(parts)


@functools.lru_cache(maxsize=1024)
def parse_roman_numeral(numeral: str) -> int | None:
    """The value of an upper-case Roman numeral written the standard way: "IV" -> 4, "XIV" -> 14; None for
    anything else ("IIV", "VX", "iv", "")."""
    if not numeral or any(char not in _ROMAN_DIGITS for char in numeral):
        return None
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_DIGITS[char]
        following = _ROMAN_DIGITS[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total > 0 and format_roman_numeral(total) == numeral else None


# ---------------------------------------------------------------------------------------------------------
# Finding numbers in running text
# ---------------------------------------------------------------------------------------------------------


def _unit_words() -> dict[str, str]:
    """Words a number counts or measures, as written (lower case) -> the unit reported: every spelling of
    ``data/units.yaml`` ("nhân khẩu" -> "khẩu") and every money unit of ``data/money.yaml``."""
    words = {spelling: unit.unit for spelling, unit in data.units().by_spelling.items()}
    words.update(data.money().units)
    return words


UNIT_WORDS = _unit_words()
_MONEY = data.money()
_UNITS = data.units()
# Units that may follow the digits without a space: "5ha", "20m2", "200.000đ".
ATTACHED_UNITS = [
    s for unit in _UNITS.units if unit.attached for s in unit.spellings
] + _MONEY.currency.attached
# What may follow a slash as "per": "đồng/hộ", "%/năm", "đồng/người/tháng": any unit but an age.
PER_WORDS = [s for unit in _UNITS.units if unit.kind != "age" for s in unit.spellings]
# Words that, right after a unit word, show it is no unit: "03 đồng chí", "đồng bào", "năm 2024 tỷ lệ".
NOT_A_UNIT_AFTER: dict[str, str] = {word: "|".join(after) for word, after in _MONEY.not_money_after.items()}


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    """Longest first, so "nhân khẩu" wins over "khẩu", with any one-line spacing between words; a money word
    may not be followed by what makes it another word ("đồng chí")."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(_word_pattern(word) for word in ordered)


def _word_pattern(word: str) -> str:
    pattern = regex.escape(word).replace(r"\ ", f"{_SPACE}+")
    if word in NOT_A_UNIT_AFTER:
        pattern += f"(?!{_SPACE}+(?:{NOT_A_UNIT_AFTER[word]})(?![\\p{{L}}\\p{{M}}]))"
    return pattern


_END_OF_WORD = r"(?![\p{L}\p{M}\p{N}])"
_NUMERAL = r"\d+(?:[.,]\d+)*+"
_UNIT = rf"(?P<unit>(?i:{_alternation(list(UNIT_WORDS))}){_END_OF_WORD})"
_PER_WORD = rf"(?i:{_alternation(PER_WORDS)})"
_PER = rf"(?:{_SPACE}*/{_SPACE}*(?P<per>{_PER_WORD}(?:/{_PER_WORD})?){_END_OF_WORD})"
_PERCENT = rf"(?P<percent>%|(?i:phần){_SPACE}+(?i:trăm){_END_OF_WORD})"
# "3% năm" is per year; "3% năm 2024" is a percent in the year 2024.
_PER_YEAR_WORD = rf"(?:{_SPACE}+(?P<per_year>(?i:năm)){_END_OF_WORD}(?!{_SPACE}*\d))"
_ATTACHED = rf"(?=(?i:{_alternation(ATTACHED_UNITS)}){_END_OF_WORD})"
_TAIL = (
    rf"(?:{_SPACE}*{_PERCENT}(?:{_PER}|{_PER_YEAR_WORD})?"
    rf"|(?:{_SPACE}+|{_ATTACHED}){_UNIT}{_PER}?"
    rf"|{_END_OF_WORD})"
)

# Dates: "10/01/2024", "ngày 22 /02/2024", "02-10-2015", "tháng 01/2024", "01/2024", "ngày 25/12",
# "ngày 19 tháng 12 năm 2019", "tháng 01 năm 2024" (a blank day).
_MONTH_WORD = "(?:[tT]háng|THÁNG)"
_YEAR_WORD = "(?:[nN]ăm|NĂM)"
_DIGIT_DATE = (
    r"\d{1,2}[ \t]*[/\-.][ \t]*\d{1,2}[ \t]*[/\-.][ \t]*\d{4}(?!\d)"
    r"|(?:0?[1-9]|1[0-2])[ \t]*/[ \t]*(?:19|20)\d\d(?![\d/])"
    r"|(?<=(?:[nN]gày|NGÀY)[ \t]+)\d{1,2}[ \t]*/[ \t]*\d{1,2}(?![\d/])"
    rf"|\d{{1,2}}{_SPACE}+{_MONTH_WORD}{_SPACE}+\d{{1,2}}{_SPACE}+{_YEAR_WORD}{_SPACE}+\d{{4}}(?!\d)"
)
_MONTH_DATE = rf"{_MONTH_WORD}{_SPACE}+\d{{1,2}}{_SPACE}+{_YEAR_WORD}{_SPACE}+\d{{4}}(?!\d)"
# Document symbols: "86/2015/NĐ-CP", "15/KH-UBND", "65/NQ - HĐND", "1424/SLĐTBOXH", "12-NQ/ĐU".
_CODE = r"\p{Lu}[\p{L}\p{M}\d]*"
_SYMBOL = (
    rf"\d+(?:[ \t]*/[ \t]*\d{{4}})?[ \t]*/[ \t]*{_CODE}(?:[ \t]*[-–][ \t]*{_CODE})*"
    rf"|\d+[ \t]*[-–][ \t]*{_CODE}[ \t]*/[ \t]*{_CODE}"
)
# Heading numbers at the start of a line: "1. Mục đích", "2.1. Các chính sách", "2.1 Tín dụng ưu đãi", "3)".
_HEADING_NUMBER = r"(?m:^)[ \t]*(?:\d{1,2}(?:\.\d{1,2})*[.)](?=[ \t])|\d{1,2}(?:\.\d{1,2})+(?=[ \t]+\p{Lu}))"
# Each pattern starts with a digit, a line start or a fixed word so that the scan stays fast: one alternation
# of differently starting patterns, or a leading lookbehind, is several times slower.
_SKIPPED_PATTERNS = (
    regex.compile(rf"(?=\d)(?<![\p{{L}}\p{{N}}/])(?:{_SYMBOL}|{_DIGIT_DATE})", _FLAGS),
    regex.compile(_MONTH_DATE, _FLAGS),
)
# Tried at each line start only (a match cannot start elsewhere nor cross a line): faster than a scan.
_HEADING_NUMBER_PATTERN = regex.compile(_HEADING_NUMBER, _FLAGS)
_NUMBER_START = r"(?<![\p{L}\p{M}\p{N}]|\p{N}[.,])"

_NUMBER_PATTERN = regex.compile(
    rf"{_NUMBER_START}(?P<sign>[{_MINUS}])?(?P<num>(?>{_NUMERAL})){_TAIL}", _FLAGS
)
_YEAR_LABEL_BEFORE = regex.compile(rf"(?i:năm){_SPACE}*$", _FLAGS)


@dataclass(frozen=True)
class NumberMatch:
    """A number found in running text.

    In "Hỗ trợ 05 hộ × 40.000.000 đồng/hộ" the second match has ``start``/``end`` around "40.000.000" (the
    numeral only, so a caller can look right after it), ``unit`` "đồng", ``per`` "hộ" and ``end_with_unit`` at
    the end of "/hộ". ``percent`` is True for "1,94%"; "0,61%/năm" and "3% năm" have ``per`` "năm".
    """

    start: int
    end: int
    number: ParsedNumber
    percent: bool = False
    unit: str | None = None
    per: str | None = None
    end_with_unit: int = 0


def _canonical_unit(written: str) -> str:
    key = " ".join(written.lower().split())
    return UNIT_WORDS.get(key, key)


def _canonical_per(written: str) -> str:
    return "/".join(" ".join(part.lower().split()) for part in written.split("/"))


def _sign_applies(text: str, sign_start: int, number_end: int) -> bool:
    """A dash right before digits is a minus sign, except after a word or number on its line (a range or a
    hyphen: "20 -22%", "2021-2025") and as a bullet ("-100% hộ nghèo"). A cell alone on its line ("\t-3")
    keeps its sign."""
    line_start = text.rfind("\n", 0, sign_start) + 1
    before = text[line_start:sign_start].rstrip(" \u00a0\u202f\u2009")
    if not before.strip():
        line_end = text.find("\n", number_end)
        return not text[number_end : len(text) if line_end < 0 else line_end].strip()
    return not (before[-1].isalnum() or before[-1] in "%)]")


def _number_from_match(text: str, match: regex.Match[str]) -> NumberMatch | None:
    start = match.start("num")
    raw = match["num"]
    if match["sign"] and _sign_applies(text, match.start("sign"), match.end("num")):
        start, raw = match.start("sign"), match["sign"] + raw
    number = parse_vietnamese_number(raw)
    if number is None:
        return None  # "1.2.3" and similar are left whole, not split
    unit = _canonical_unit(match["unit"]) if match["unit"] else None
    if unit is not None and _is_year_after_label(text, start, number):
        unit = None
    per = match["per"] or match["per_year"]
    return NumberMatch(
        start=start,
        end=match.end("num"),
        number=number,
        percent=match["percent"] is not None,
        unit=unit,
        per=_canonical_per(per) if per else None,
        end_with_unit=match.end() if (unit or match["percent"]) else match.end("num"),
    )


def _is_year_after_label(text: str, start: int, number: ParsedNumber) -> bool:
    """ "năm 2024 hộ nghèo giảm …": a year after "năm" takes no unit."""
    if number.decimals or not 1900 <= number.value <= 2100:
        return False
    return _YEAR_LABEL_BEFORE.search(text, max(0, start - 8), start) is not None


SkippedSpans = tuple[tuple[int, int], ...]


def find_numbers(text: str, skipped: SkippedSpans | None = None) -> list[NumberMatch]:
    """Every number in ``text`` with what follows it: a percent sign, a unit word, a "per" after a slash.

    ``find_numbers("giảm bình quân 3% năm; 10 xã khu vực 3 giảm 3-4%/năm")`` gives 3 (percent, per "năm"),
    10 (unit "xã"), 3, 3 and 4 (percent, per "năm"). Years are numbers without a unit ("năm 2024" -> 2024);
    numbers inside symbols ("86/2015/NĐ-CP"), dates ("10/01/2024") and line-start heading numbers are skipped.
    ``skipped`` is ``skipped_spans(text)`` when the caller has it already (``PlanText`` computes it once).
    """
    found: list[NumberMatch] = []
    spans = _SkippedSpans(skipped if skipped is not None else skipped_spans(text))
    for match in _NUMBER_PATTERN.finditer(text):
        if spans.overlaps(match.start("num"), match.end("num")):
            continue
        number = _number_from_match(text, match)
        if number is not None:
            found.append(number)
    return found


def skipped_spans(text: str) -> SkippedSpans:
    """Sorted spans of ``text`` that hold no numbers of their own: symbols ("86/2015/NĐ-CP"), dates and
    line-start heading numbers. Finding numbers, ranges and money in one text all need them."""
    spans = {match.span() for pattern in _SKIPPED_PATTERNS for match in pattern.finditer(text)}
    spans.update(_heading_number_spans(text))
    return tuple(sorted(spans))


def _heading_number_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of heading numbers at line starts ("2.1. Các chính sách"): ``_HEADING_NUMBER`` matched at each
    line start, the same spans as scanning the whole text for it."""
    line_start = 0
    while line_start >= 0:
        match = _HEADING_NUMBER_PATTERN.match(text, line_start)
        if match is not None:
            yield match.span()
        newline = text.find("\n", line_start)
        line_start = newline + 1 if newline >= 0 else -1


class _SkippedSpans:
    """Spans of symbols, dates and heading numbers in a text, asked in increasing order of position."""

    def __init__(self, spans: SkippedSpans) -> None:
        self._spans = spans
        self._next = 0

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) touches a skipped span; calls must come with non-decreasing ``start``."""
        spans = self._spans
        while self._next < len(spans) and spans[self._next][1] <= start:
            self._next += 1
        return self._next < len(spans) and spans[self._next][0] < end


# ---------------------------------------------------------------------------------------------------------
# Ranges and periods of years
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RangeMatch:
    """ "từ 55 - 60%" -> low 55, high 60, percent True; ``start``/``end`` cover the whole phrase with its unit."""

    start: int
    end: int
    low: ParsedNumber
    high: ParsedNumber
    percent: bool = False
    unit: str | None = None
    per: str | None = None


@dataclass(frozen=True)
class YearSpan:
    """A period of years: "giai đoạn 2021-2025" -> first 2021, last 2025 (the span includes "giai đoạn")."""

    start: int
    end: int
    first: int
    last: int


_RANGE_LOW_UNIT = rf"(?:{_SPACE}*(?P<low_percent>%)|{_SPACE}+(?P<low_unit>(?i:{_alternation(list(UNIT_WORDS))})){_END_OF_WORD})"
_RANGE_JOIN = rf"(?:{_SPACE}*[-–—]{_SPACE}*|{_SPACE}+(?i:đến|tới){_SPACE}+)"
_RANGE_PATTERN = regex.compile(
    rf"{_NUMBER_START}(?P<low>(?>{_NUMERAL}))"
    rf"{_RANGE_LOW_UNIT}?{_RANGE_JOIN}(?P<num>(?>{_NUMERAL}))(?!{_SPACE}*/{_SPACE}*\d){_TAIL}",
    _FLAGS,
)
# "từ 55 - 60%": the opening word belongs to the range.
_FROM_BEFORE = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?i:từ){_SPACE}+$", _FLAGS)
_YEAR = r"(?:19|20)\d\d"
# "giai đoạn 2021-2025", "từ năm 2021 đến năm 2025": the words before the first year belong to the span.
_PERIOD_WORDS_BEFORE = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}])(?:(?i:giai){_SPACE}+(?i:đoạn)|(?i:từ)|(?i:năm))(?:{_SPACE}+(?i:từ|năm))*{_SPACE}+$",
    _FLAGS,
)
_YEAR_SPAN_PATTERN = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}\p{{N}}/.,])"
    rf"(?P<first>{_YEAR})(?:{_SPACE}*[-–—]{_SPACE}*|{_SPACE}+(?i:đến|tới){_SPACE}+)"
    rf"(?:(?i:năm){_SPACE}+)?(?P<last>{_YEAR})(?![\p{{N}}/]|[.,]\d)"
    rf"(?!{_SPACE}*(?:%|(?i:{_alternation([u for u in UNIT_WORDS if u != 'năm'])}){_END_OF_WORD}))",
    _FLAGS,
)


def _is_year_pair(low: ParsedNumber, high: ParsedNumber) -> bool:
    return all(n.decimals == 0 and n.convention == "plain" and 1900 <= n.value <= 2100 for n in (low, high))


def _range_from_match(match: regex.Match[str]) -> RangeMatch | None:
    """The range a pattern match reads, or None for a period of years or a falling pair ("22 - 20")."""
    low = parse_vietnamese_number(match["low"])
    high = parse_vietnamese_number(match["num"])
    if low is None or high is None or low.value >= high.value:
        return None
    low_unit = _canonical_unit(match["low_unit"]) if match["low_unit"] else None
    high_unit = _canonical_unit(match["unit"]) if match["unit"] else None
    if low_unit and high_unit and low_unit != high_unit:
        return None
    percent = match["percent"] is not None or match["low_percent"] is not None
    unit = high_unit or low_unit
    if not percent and unit is None and _is_year_pair(low, high):
        return None  # "2021-2025" is a period, see find_year_spans
    per = match["per"] or match["per_year"]
    end = match.end() if (unit or match["percent"]) else match.end("num")
    opening = _FROM_BEFORE.search(match.string, max(0, match.start() - 8), match.start())
    return RangeMatch(
        start=opening.start() if opening else match.start(),
        end=end,
        low=low,
        high=high,
        percent=percent,
        unit=unit,
        per=_canonical_per(per) if per else None,
    )


def find_ranges(text: str, skipped: SkippedSpans | None = None) -> list[RangeMatch]:
    """Ranges of values: "20 - 22%", "3-4%/năm", "từ 55 - 60%", "từ 2 đến 3 hộ", "20% - 22%".

    Periods of years ("2021-2025") are not ranges; ``find_year_spans`` reads them. The low end must be
    below the high end, and dates and symbols are skipped as in ``find_numbers``.
    """
    found: list[RangeMatch] = []
    spans = _SkippedSpans(skipped if skipped is not None else skipped_spans(text))
    for match in _RANGE_PATTERN.finditer(text):
        if spans.overlaps(match.start(), match.end("num")):
            continue
        if (item := _range_from_match(match)) is not None:
            found.append(item)
    return found


def find_year_spans(text: str) -> list[YearSpan]:
    """Periods of years: "giai đoạn 2021-2025", "2022-2025", "2021- 2025", "từ năm 2021 đến năm 2025"."""
    spans: list[YearSpan] = []
    for match in _YEAR_SPAN_PATTERN.finditer(text):
        first, last = int(match["first"]), int(match["last"])
        if first < last:
            words = _PERIOD_WORDS_BEFORE.search(text, max(0, match.start() - 24), match.start())
            spans.append(YearSpan(words.start() if words else match.start(), match.end(), first, last))
    return spans


# ---------------------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------------------

# Scale words of money amounts written with digits: "450 triệu đồng", "1,5 tỷ", "2 tỷ 405 triệu".
MONEY_SCALES: dict[str, int] = _MONEY.scale_values
CURRENCY_WORDS = _MONEY.currency.spellings
# Scales large enough to be money alone, without a currency word: "3 tỷ", "2 tỷ 405 triệu" (not "5 nghìn").
_LARGE_SCALES = [
    s for scale in _MONEY.scales if not scale.compound and scale.value >= 10**6 for s in scale.spellings
]
_ROUND_SUM = _alternation(_MONEY.round_sum_words)

_MONEY_TOKEN = regex.compile(
    rf"{_SPACE}*(?:(?P<num>[{_MINUS}]?{_NUMERAL})|(?P<scale>(?i:{_alternation(list(MONEY_SCALES))})){_END_OF_WORD}"
    rf"|(?P<currency>(?i:{_alternation(CURRENCY_WORDS)})){_END_OF_WORD}(?:{_SPACE}+(?i:{_ROUND_SUM}){_END_OF_WORD})?"
    rf"(?:{_SPACE}*/{_SPACE}*[\p{{L}}\p{{M}}]+(?:{_SPACE}+[\p{{L}}\p{{M}}]+)?)*)",
    _FLAGS,
)


@dataclass(frozen=True)
class _MoneyPart:
    number: ParsedNumber
    scale: int


def _money_parts(raw: str) -> list[_MoneyPart] | None:
    """ "2 tỷ 405 triệu đồng" -> [(2, 10^9), (405, 10^6)]; None when the text is not digits with scales."""
    parts: list[_MoneyPart] = []
    pending: ParsedNumber | None = None
    offset, text = 0, raw.rstrip()
    while offset < len(text):
        token = _MONEY_TOKEN.match(text, offset)
        if token is None or token.end() == offset:
            return None
        offset = token.end()
        if token["num"] is not None:
            if pending is not None:
                return None
            pending = parse_vietnamese_number(token["num"])
            if pending is None or pending.value < 0:
                return None
        elif token["scale"] is not None:
            if pending is None:
                return None
            parts.append(_MoneyPart(pending, MONEY_SCALES[" ".join(token["scale"].lower().split())]))
            pending = None
        elif offset != len(text):  # the currency word closes the amount
            return None
    if pending is not None:
        parts.append(_MoneyPart(pending, 1))
    return parts or None


def _money_value(parts: list[_MoneyPart], use_alternative: bool) -> Decimal | None:
    total = Decimal(0)
    for index, part in enumerate(parts):
        value = part.number.value
        if use_alternative and index == 0 and part.number.alternative is not None:
            value = part.number.alternative
        if index > 0 and part.number.decimals:
            return None  # only the leading part may carry decimals: "1,5 tỷ", not "2 tỷ 1,5 triệu"
        total += value * part.scale
    return total


def _scales_descend(parts: list[_MoneyPart]) -> bool:
    """Each part below the scale of the part before it: "2 tỷ 405 triệu", not "1 tỷ 1.500 triệu"."""
    for index in range(1, len(parts)):
        limit = parts[index - 1].scale
        tail = sum(part.number.value * part.scale for part in parts[index:])
        if parts[index].scale >= limit or tail >= limit:
            return False
    return True


def parse_money(raw: str) -> int | None:
    """An exact number of đồng written with digits and scale words, or None.

    ``parse_money("2 tỷ 405 triệu đồng")`` -> 2405000000; ``"1,5 tỷ đồng"`` -> 1500000000; ``"12,5 triệu"``
    -> 12500000; ``"40.000.000 đồng"`` -> 40000000; ``"200.000đ"`` -> 200000. A "/hộ" after the currency
    is allowed and ignored (``find_money_amounts`` reports it). None when the amount is not a whole number of
    đồng or the text holds anything else. When the first reading is not whole but the other convention's
    is ("1,500 đồng"), the whole one is taken: đồng amounts are integers.
    """
    parts = _money_parts(raw)
    if parts is None or not _scales_descend(parts):
        return None
    for use_alternative in (False, True):
        value = _money_value(parts, use_alternative)
        if value is not None and abs(value) >= 10**MAX_DIGITS:
            return None
        if value is not None and value == value.to_integral_value():
            return int(value)
        if not parts[0].number.ambiguous:
            break
    return None


@dataclass(frozen=True)
class MoneyMatch:
    """A money amount in running text: "2 tỷ 405 triệu đồng" -> 2405000000, "40.000.000 đồng/hộ" -> per "hộ"."""

    start: int
    end: int
    value: int
    per: str | None = None


_MONEY_SCALE = rf"{_SPACE}*(?i:{_alternation(list(MONEY_SCALES))}){_END_OF_WORD}"
_CURRENCY = rf"{_SPACE}*(?i:{_alternation(CURRENCY_WORDS)}){_END_OF_WORD}"
# "1,2 triệu người": a scale before a counted noun is a count, not money.
_NOT_MONEY_AFTER_SCALE = _alternation([word for word in UNIT_WORDS if word not in _MONEY.units])
# "2 tỷ 405 triệu": further parts after a scale word.
_MORE_MONEY_PARTS = rf"(?:{_SPACE}+(?>{_NUMERAL}){_MONEY_SCALE})*"
_MONEY_PATTERN = regex.compile(
    rf"{_NUMBER_START}(?P<money>(?>{_NUMERAL})(?:"
    # with a currency word: "40.000.000 đồng", "450 triệu đồng", "2 tỷ 405 triệu 500 đồng"
    rf"(?:{_MONEY_SCALE}{_MORE_MONEY_PARTS}(?:{_SPACE}+(?>{_NUMERAL})(?={_CURRENCY}))?)?{_CURRENCY}"
    # a large scale word alone: "3 tỷ", "2 tỷ 405 triệu", but not "1,2 triệu người" or "2024 tỷ lệ"
    rf"|{_SPACE}*(?i:{_alternation(_LARGE_SCALES)}){_END_OF_WORD}(?!{_SPACE}+(?i:{_NOT_MONEY_AFTER_SCALE}){_END_OF_WORD})"
    rf"{_MORE_MONEY_PARTS}))"
    rf"{_PER}?",
    _FLAGS,
)


def _money_matches(text: str, skipped: SkippedSpans) -> Iterator[MoneyMatch]:
    spans = _SkippedSpans(skipped)
    for match in _MONEY_PATTERN.finditer(text):
        if spans.overlaps(match.start(), match.end("money")):
            continue
        value = parse_money(match["money"])
        if value is None:
            continue
        end = match.end() if match["per"] else match.end("money")
        yield MoneyMatch(
            match.start("money"), end, value, _canonical_per(match["per"]) if match["per"] else None
        )


def find_money_amounts(text: str, skipped: SkippedSpans | None = None) -> list[MoneyMatch]:
    """Money written with digits: a number with a currency word ("40.000.000 đồng/hộ", "200.000đ",
    "450 triệu đồng"), or with "tỷ"/"triệu" alone ("3 tỷ", "2 tỷ 405 triệu") unless a counted noun follows
    ("1,2 triệu người" is not money). A bare "5 nghìn" is not money: it is more often a count."""
    return list(_money_matches(text, skipped if skipped is not None else skipped_spans(text)))
