"""The project's one date parser: Vietnamese written dates, whole or with blanks left to fill in by hand.

Forms read (case-insensitive, with or without diacritics, so OCR's "ngay 19 thang 10 nam 2021" is read):

- "ngày 19 tháng 10 năm 2021", "ngày   tháng 01 năm 2024" (day blank), "ngày tháng năm 2024",
  "ngày ..... tháng ..... năm 2024" (dotted blanks), "tháng 12 năm 2023";
- "10/01/2024", "5/4/2024", "22 /02/2024", "19-12-2019", "19.12.2019", optionally after "ngày";
- "tháng 12/2023", "tháng 12-2023";
- "năm 2024" (year only).

Decisions:

- A date whose parts are each in range but which does not exist ("31/02/2024") is returned with its day,
  month and year as written and ``iso`` null: the document says so, and a check can report it. Parts out
  of range ("32/01/2024", "15/13/2024") are not a date at all: no match.
- Two-digit years ("10/01/24") are not read: plans write four digits, and "5/4/24" is more often a
  fraction or a symbol than a date.
- A bare "12/2023" (no "tháng") is not read: it is how document numbers are written ("52/2019/NQ-HĐND").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import regex

from models.values import DateSource, PartialDate

MIN_YEAR, MAX_YEAR = 1900, 2200


def _loose(word: str) -> str:
    """A pattern for ``word`` that accepts any diacritics on its letters: "tháng" also matches "thang"."""
    variants = {
        "a": "aàáảãạăằắẳẵặâầấẩẫậ",
        "e": "eèéẻẽẹêềếểễệ",
        "o": "oòóỏõọôồốổỗộơờớởỡợ",
        "y": "yỳýỷỹỵ",
    }
    parts = []
    for char in word:
        base = next((key for key, letters in variants.items() if char in letters), None)
        parts.append(rf"[{variants[base]}]\p{{Mn}}*" if base else regex.escape(char))
    return "".join(parts)


_DAY_WORD = _loose("ngày")
_MONTH_WORD = _loose("tháng")
_YEAR_WORD = _loose("năm")
# Blanks left for a hand-written day or month: spaces, dots, ellipses, underscores.
_BLANK = r"[\s._…]*"
_YEAR = r"(?P<year>\d{4})(?![\d/])"
_START = r"(?<![\p{L}\p{N}])"

# "ngày 19 tháng 10 năm 2021", "ngày   tháng 01 năm 2024", "tháng 12 năm 2023", "ngày tháng năm 2024"
_WRITTEN = (
    rf"{_START}(?:{_DAY_WORD}{_BLANK}(?:(?P<day>\d{{1,2}})(?!\d){_BLANK})?)?"
    rf"{_MONTH_WORD}{_BLANK}(?:(?P<month>\d{{1,2}})(?!\d)[\s.…_,]*)?{_YEAR_WORD}\s*{_YEAR}"
)
# "10/01/2024", "22 /02/2024", "19-12-2019", "19.12.2019", "ngày 03/02/2021"
_NUMERIC = (
    rf"(?:{_START}{_DAY_WORD}\s*)?(?<![\d/.,-])(?P<nday>\d{{1,2}})\s*(?P<sep>[/.-])\s*(?P<nmonth>\d{{1,2}})"
    rf"\s*(?P=sep)\s*(?P<nyear>\d{{4}})(?![\d/])"
)
# "tháng 12/2023"
_MONTH_YEAR = rf"{_START}{_MONTH_WORD}\s*(?P<mmonth>\d{{1,2}})\s*[/.-]\s*(?P<myear>\d{{4}})(?![\d/])"
# "năm 2024"
_YEAR_ONLY = rf"{_START}{_YEAR_WORD}\s+(?P<yyear>\d{{4}})(?![\d/])"

_DATE = regex.compile(rf"{_WRITTEN}|{_NUMERIC}|{_MONTH_YEAR}", regex.IGNORECASE | regex.V1)
_DATE_OR_YEAR = regex.compile(
    rf"{_WRITTEN}|{_NUMERIC}|{_MONTH_YEAR}|{_YEAR_ONLY}", regex.IGNORECASE | regex.V1
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: ``text[start:end]`` is what was written ("ngày 19 tháng 10 năm 2021")."""

    start: int
    end: int
    date: PartialDate


def find_dates(text: str, year_only: bool = False, source: DateSource | None = None) -> list[DateMatch]:
    """Every date written in ``text``, in order, with exact character offsets into ``text``.

    "Yên Châu, ngày 19 tháng 10 năm 2021" -> one match at [10, 35). A year alone ("năm 2024") is a date
    only when ``year_only`` is set: plans say "năm 2024" in every other sentence. The dates' ``span`` is
    left null: offsets into ``text`` are in the match, and only the caller knows where ``text`` sits.
    """
    pattern = _DATE_OR_YEAR if year_only else _DATE
    found = []
    for match in pattern.finditer(text):
        date = _date_of(match, source)
        if date is not None:
            found.append(DateMatch(start=match.start(), end=match.end(), date=date))
    return found


def parse_vietnamese_date(text: str, source: DateSource | None = None) -> PartialDate | None:
    """The first date written in ``text`` (a year alone counts), or None.

    "ngày   tháng 01 năm 2024" -> PartialDate(month=1, year=2024, iso=None); "22 /02/2024" ->
    PartialDate(day=22, month=2, year=2024, iso="2024-02-22"). ``raw`` is the matched text.
    """
    matches = find_dates(text, year_only=True, source=source)
    return matches[0].date if matches else None


def _date_of(match: regex.Match, source: DateSource | None) -> PartialDate | None:
    day = _number(match, "day", "nday")
    month = _number(match, "month", "nmonth", "mmonth")
    year = _number(match, "year", "nyear", "myear", "yyear")
    if not _in_range(day, 1, 31) or not _in_range(month, 1, 12) or not _in_range(year, MIN_YEAR, MAX_YEAR):
        return None
    return PartialDate(
        day=day, month=month, year=year, iso=_iso(day, month, year), raw=match.group(), source=source
    )


def _number(match: regex.Match, *groups: str) -> int | None:
    for group in groups:
        if match.group(group):
            return int(match.group(group))
    return None


def _in_range(value: int | None, low: int, high: int) -> bool:
    return value is None or low <= value <= high


def _iso(day: int | None, month: int | None, year: int | None) -> str | None:
    """ "2021-10-19" when the three parts are known and make a real calendar date, else None."""
    if day is None or month is None or year is None:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
