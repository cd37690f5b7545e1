"""The one date parser: written forms, blanks, numeric forms, offsets, and round trips."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalize.dates import DateMatch, find_dates, parse_vietnamese_date

# (text, day, month, year, iso, raw)
PARSE_CASES = [
    ("ngày 19 tháng 10 năm 2021", 19, 10, 2021, "2021-10-19", "ngày 19 tháng 10 năm 2021"),
    ("ngày   tháng 01 năm 2024", None, 1, 2024, None, "ngày   tháng 01 năm 2024"),
    ("ngày tháng năm 2024", None, None, 2024, None, "ngày tháng năm 2024"),
    ("ngày ..... tháng ..... năm 2024", None, None, 2024, None, "ngày ..... tháng ..... năm 2024"),
    ("Yên Châu, ngày 19 tháng 10 năm 2021", 19, 10, 2021, "2021-10-19", "ngày 19 tháng 10 năm 2021"),
    ("10/01/2024", 10, 1, 2024, "2024-01-10", "10/01/2024"),
    ("5/4/2024", 5, 4, 2024, "2024-04-05", "5/4/2024"),
    ("22 /02/2024", 22, 2, 2024, "2024-02-22", "22 /02/2024"),
    ("ngày 22 /02/2024", 22, 2, 2024, "2024-02-22", "ngày 22 /02/2024"),
    ("19-12-2019", 19, 12, 2019, "2019-12-19", "19-12-2019"),
    ("19.12.2019", 19, 12, 2019, "2019-12-19", "19.12.2019"),
    ("tháng 12/2023", None, 12, 2023, None, "tháng 12/2023"),
    ("tháng 12 năm 2023", None, 12, 2023, None, "tháng 12 năm 2023"),
    ("năm 2024", None, None, 2024, None, "năm 2024"),
    ("NGÀY 19 THÁNG 10 NĂM 2021", 19, 10, 2021, "2021-10-19", "NGÀY 19 THÁNG 10 NĂM 2021"),
    # OCR lost the diacritics
    ("ngay 19 thang 10 nam 2021", 19, 10, 2021, "2021-10-19", "ngay 19 thang 10 nam 2021"),
    # decided: parts in range but no such day -> the parts as written, no iso
    ("31/02/2024", 31, 2, 2024, None, "31/02/2024"),
    ("ngày 29 tháng 02 năm 2023", 29, 2, 2023, None, "ngày 29 tháng 02 năm 2023"),
    ("ngày 29 tháng 02 năm 2024", 29, 2, 2024, "2024-02-29", "ngày 29 tháng 02 năm 2024"),
]


@pytest.mark.parametrize(("text", "day", "month", "year", "iso", "raw"), PARSE_CASES)
def test_parse_vietnamese_date(text, day, month, year, iso, raw) -> None:
    date = parse_vietnamese_date(text, source="header")
    assert date is not None
    assert (date.day, date.month, date.year, date.iso, date.raw) == (day, month, year, iso, raw)
    assert date.source == "header"


NOT_DATES = [
    "32/01/2024",  # day out of range
    "15/13/2024",  # month out of range
    "Nghị quyết số 52/2019/NQ-HĐND",  # document number, not a date
    "2.405.000.000 đồng",
    "12/2023",  # bare month/year is how numbers are written
    "10/01/24",  # two-digit year: not read
    "tỷ lệ 1,94%",
    "",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_vietnamese_date(text) is None


def test_find_dates_gives_exact_offsets() -> None:
    text = "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ; Nghị quyết 52/2019/NQ-HĐND ngày 19 tháng 12 năm 2019"
    found = find_dates(text)
    assert [text[match.start : match.end] for match in found] == [
        "ngày 02/10/2015",
        "ngày 19 tháng 12 năm 2019",
    ]
    assert [match.date.iso for match in found] == ["2015-10-02", "2019-12-19"]
    assert all(isinstance(match, DateMatch) for match in found)


def test_find_dates_reads_a_year_alone_only_when_asked() -> None:
    text = "Giảm nghèo năm 2024 trên địa bàn xã"
    assert find_dates(text) == []
    (match,) = find_dates(text, year_only=True)
    assert (text[match.start : match.end], match.date.year) == ("năm 2024", 2024)


def test_blank_date_in_a_header_line() -> None:
    (match,) = find_dates("Cao Nhân, ngày   tháng 01 năm 2024")
    assert (match.start, match.end) == (10, 34)
    assert (match.date.day, match.date.month, match.date.year) == (None, 1, 2024)


# -- round trips ------------------------------------------------------------------------------------------

DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


def _two(value: int, padded: bool) -> str:
    return f"{value:02d}" if padded else str(value)


WRITTEN_FORMS = [
    lambda d, p: f"ngày {_two(d.day, p)} tháng {_two(d.month, p)} năm {d.year}",
    lambda d, p: f"Ngày {_two(d.day, p)} tháng {_two(d.month, p)} năm {d.year}",
    lambda d, p: f"{_two(d.day, p)}/{_two(d.month, p)}/{d.year}",
    lambda d, p: f"{_two(d.day, p)} /{_two(d.month, p)}/{d.year}",
    lambda d, p: f"{_two(d.day, p)}-{_two(d.month, p)}-{d.year}",
    lambda d, p: f"{_two(d.day, p)}.{_two(d.month, p)}.{d.year}",
    lambda d, p: f"ngày {_two(d.day, p)}/{_two(d.month, p)}/{d.year}",
]


@given(DATES, st.sampled_from(range(len(WRITTEN_FORMS))), st.booleans())
def test_any_written_date_parses_back(date: datetime.date, form: int, padded: bool) -> None:
    written = WRITTEN_FORMS[form](date, padded)
    parsed = parse_vietnamese_date(f"Hà Nội, {written} của UBND")
    assert parsed is not None
    assert (parsed.day, parsed.month, parsed.year) == (date.day, date.month, date.year)
    assert parsed.iso == date.isoformat()
    assert parsed.raw == written


@given(DATES, st.booleans())
def test_month_and_year_parse_back(date: datetime.date, padded: bool) -> None:
    for written in (f"tháng {_two(date.month, padded)}/{date.year}", f"tháng {date.month} năm {date.year}"):
        parsed = parse_vietnamese_date(written)
        assert parsed is not None
        assert (parsed.day, parsed.month, parsed.year, parsed.iso) == (None, date.month, date.year, None)


@given(st.lists(DATES, min_size=1, max_size=4), st.text(alphabet="abc xyz;,", max_size=10))
def test_find_dates_finds_every_date_at_its_place(dates: list[datetime.date], filler: str) -> None:
    pieces, spans, offset = [], [], 0
    for date in dates:
        prefix = f" {filler} "
        written = f"ngày {date.day} tháng {date.month} năm {date.year}"
        spans.append((offset + len(prefix), offset + len(prefix) + len(written)))
        pieces.append(prefix + written)
        offset += len(prefix) + len(written)
    text = "".join(pieces)
    found = find_dates(text)
    assert [(match.start, match.end) for match in found] == spans
    assert [match.date.iso for match in found] == [date.isoformat() for date in dates]
