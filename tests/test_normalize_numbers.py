"""The one number parser (extractor.normalize.numbers): numerals, numbers in text, ranges, periods, money.

Expected values are read from the documents' own wording (seeds 000-004, the funding cases) or worked out by
hand; the round-trip properties use Python's own English-style formatting as an independent oracle.
"""

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize.numbers import (
    ParsedNumber,
    find_money_amounts,
    find_numbers,
    find_ranges,
    find_year_spans,
    format_roman_numeral,
    format_vietnamese_number,
    parse_money,
    parse_roman_numeral,
    parse_vietnamese_number,
)
from tests.conftest import SEEDS

D = Decimal

# ------------------------------------------------------------------------------------------------------------
# parse_vietnamese_number
# ------------------------------------------------------------------------------------------------------------

# raw, convention -> value, decimals, convention used, ambiguous, alternative
PARSE_CASES = [
    ("1,94", "auto", D("1.94"), 2, "vi", False, None),
    ("2,60", "auto", D("2.60"), 2, "vi", False, None),
    ("2.471", "auto", D("2471"), 0, "vi", True, D("2.471")),
    ("2.405.000.000", "auto", D("2405000000"), 0, "vi", False, None),
    ("0.69", "auto", D("0.69"), 2, "en", False, None),
    ("1.011", "auto", D("1011"), 0, "vi", True, D("1.011")),
    ("1,011", "auto", D("1.011"), 3, "vi", True, D("1011")),
    ("2,471", "auto", D("2.471"), 3, "vi", True, D("2471")),
    ("0,690", "auto", D("0.690"), 3, "vi", False, None),  # "0,690" has no thousands reading
    ("0.690", "auto", D("0.690"), 3, "en", False, None),
    ("1234.5", "auto", D("1234.5"), 1, "en", False, None),
    ("1.234,5", "auto", D("1234.5"), 1, "vi", False, None),
    ("1,234.5", "auto", D("1234.5"), 1, "en", False, None),
    ("1,234,567", "auto", D("1234567"), 0, "en", False, None),
    ("06", "auto", D("6"), 0, "plain", False, None),
    ("00", "auto", D("0"), 0, "plain", False, None),
    ("-3", "auto", D("-3"), 0, "plain", False, None),
    ("\u22123,5", "auto", D("-3.5"), 1, "vi", False, None),
    ("12 345", "auto", D("12345"), 0, "plain", False, None),
    ("12\u00a0345,5", "auto", D("12345.5"), 1, "vi", False, None),
    (" 158 ", "auto", D("158"), 0, "plain", False, None),
    # the caller forces the reading of a column
    ("1.011", "en", D("1.011"), 3, "en", True, D("1011")),
    ("1,011", "en", D("1011"), 0, "en", True, D("1.011")),
    ("1.011", "vi", D("1011"), 0, "vi", True, D("1.011")),
    ("0,69", "vi", D("0.69"), 2, "vi", False, None),
    ("0.69", "en", D("0.69"), 2, "en", False, None),
    ("1.234,5", "vi", D("1234.5"), 1, "vi", False, None),
]


@pytest.mark.parametrize(
    ("raw", "convention", "value", "decimals", "used", "ambiguous", "alternative"), PARSE_CASES
)
def test_parse_vietnamese_number(raw, convention, value, decimals, used, ambiguous, alternative):
    parsed = parse_vietnamese_number(raw, convention)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.decimals == decimals
    assert parsed.convention == used
    assert parsed.ambiguous is ambiguous
    assert parsed.alternative == alternative


def test_raw_keeps_leading_zeros_and_written_decimals():
    assert parse_vietnamese_number("06").raw == "06"
    assert str(parse_vietnamese_number("2,60").value) == "2.60"


@pytest.mark.parametrize(
    ("raw", "convention"),
    [
        ("", "auto"),
        ("abc", "auto"),
        ("%", "auto"),
        ("1.2.3", "auto"),  # a section number, not a numeral
        ("2.1.1", "auto"),
        ("12a", "auto"),
        ("1,,2", "auto"),
        ("--3", "auto"),
        (".5", "auto"),
        ("5.", "auto"),
        ("1 23", "auto"),
        ("1.234.5", "auto"),
        ("1,234,5", "auto"),
        ("1.234,567.8", "auto"),
        ("0.69", "vi"),  # forced Vietnamese: a dot groups thousands, "0.69" is not that
        ("1,94", "en"),
        ("1,234.5", "vi"),
        ("1.234,5", "en"),
    ],
)
def test_unreadable_numerals_give_none(raw, convention):
    assert parse_vietnamese_number(raw, convention) is None


def test_to_python_keeps_integers_integral():
    assert parse_vietnamese_number("2.471").to_python() == 2471
    assert isinstance(parse_vietnamese_number("2.471").to_python(), int)
    assert parse_vietnamese_number("0,69").to_python() == pytest.approx(0.69)
    assert isinstance(parse_vietnamese_number("2,0").to_python(), float)


def test_seed_002_table_mixes_styles_and_the_caller_can_tell():
    """Seed 002's appendix: "1.011" households and "0.69" percent in one row."""
    households, percent = parse_vietnamese_number("1.011"), parse_vietnamese_number("0.69")
    assert (households.value, households.ambiguous, households.alternative) == (1011, True, D("1.011"))
    assert (percent.value, percent.ambiguous, percent.decimals) == (D("0.69"), False, 2)


# ------------------------------------------------------------------------------------------------------------
# format_vietnamese_number and round trips
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "written"),
    [
        (D("2471"), 0, "2.471"),
        (D("1.94"), 2, "1,94"),
        (D("1234.5"), 2, "1.234,50"),
        (D("2405000000"), 0, "2.405.000.000"),
        (D("-1234567.891"), 1, "-1.234.567,9"),
        (D("0.775"), 2, "0,78"),
        (D("-0.001"), 2, "0,00"),
        (7, 0, "7"),
    ],
)
def test_format_vietnamese_number(value, decimals, written):
    assert format_vietnamese_number(value, decimals) == written


def _english(value: Decimal, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _vietnamese_by_swapping(english: str) -> str:
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


values_with_decimals = st.tuples(st.integers(-(10**13), 10**13), st.integers(0, 4)).map(
    lambda pair: (Decimal(pair[0]).scaleb(-pair[1]), pair[1])
)


@settings(max_examples=300)
@given(values_with_decimals)
def test_vietnamese_round_trip(pair):
    value, decimals = pair
    written = format_vietnamese_number(value, decimals)
    assert written == _vietnamese_by_swapping(_english(value, decimals))
    for convention in ("auto", "vi"):
        parsed = parse_vietnamese_number(written, convention)
        assert parsed is not None
        assert parsed.value == value
        assert parsed.decimals == decimals


@settings(max_examples=300)
@given(values_with_decimals)
def test_english_round_trip_when_forced(pair):
    value, decimals = pair
    parsed = parse_vietnamese_number(_english(value, decimals), "en")
    assert parsed is not None
    assert (parsed.value, parsed.decimals) == (value, decimals)


@settings(max_examples=200)
@given(st.integers(1, 999), st.integers(0, 999))
def test_one_dot_three_digits_is_always_flagged(head, tail):
    """ "2.471" reads as 2471 but is flagged, with 2.471 as the alternative, whatever the digits."""
    raw = f"{head}.{tail:03d}"
    parsed = parse_vietnamese_number(raw)
    assert parsed.value == head * 1000 + tail
    assert parsed.ambiguous
    assert parsed.alternative == Decimal(raw)


# ------------------------------------------------------------------------------------------------------------
# find_numbers
# ------------------------------------------------------------------------------------------------------------


def numbers(text: str) -> list[tuple]:
    """(numeral as written, value, percent, unit, per) for each number found; offsets checked on the way."""
    found = []
    for match in find_numbers(text):
        assert text[match.start : match.end] == match.number.raw
        assert match.end <= match.end_with_unit
        found.append((match.number.raw, match.number.value, match.percent, match.unit, match.per))
    return found


FIND_CASES = [
    # seed 004: a per-year rate written "% năm", a count of communes, a label number and a range's ends
    (
        "Tỷ lệ hộ nghèo toàn huyện giảm bình quân 3% năm; tỷ lệ hộ nghèo bình quân của 10 xã khu vực 3 giảm 3-4%/năm.",
        [
            ("3", 3, True, None, "năm"),
            ("10", 10, False, "xã", None),
            ("3", 3, False, None, None),
            ("3", 3, False, None, None),
            ("4", 4, True, None, "năm"),
        ],
    ),
    ("Tỷ lệ hộ nghèo còn 1,94%(Theo tiêu chí", [("1,94", D("1.94"), True, None, None)]),
    ("(tương ứng với 0,61%/năm)", [("0,61", D("0.61"), True, None, "năm")]),
    ("Hỗ trợ làm nhà 40.000.000 đồng/hộ", [("40.000.000", 40000000, False, "đồng", "hộ")]),
    ("1,5 triệu đồng/người/tháng", [("1,5", D("1.5"), False, "triệu đồng", "người/tháng")]),
    (
        "450 triệu đồng; 3 tỷ; 1,5 tỷ đồng",
        [
            ("450", 450, False, "triệu đồng", None),
            ("3", 3, False, "tỷ", None),
            ("1,5", D("1.5"), False, "tỷ đồng", None),
        ],
    ),
    ("200.000đ", [("200.000", 200000, False, "đồng", None)]),
    ("84 hộ, thuộc 06 phường", [("84", 84, False, "hộ", None), ("06", 6, False, "phường", None)]),
    ("01 mô hình giảm nghèo", [("01", 1, False, "mô hình", None)]),
    ("00 hộ, tỷ lệ 00%", [("00", 0, False, "hộ", None), ("00", 0, True, None, None)]),
    (
        "17 hộ nghèo với 29 nhân khẩu",
        [("17", 17, False, "hộ", None), ("29", 29, False, "khẩu", None)],
    ),  # "nhân khẩu" is the unit "khẩu" (data/units.yaml)
    (
        "12 sổ, 35 cháu, 5ha, 20 m2",
        [
            ("12", 12, False, "sổ", None),
            ("35", 35, False, "cháu", None),
            ("5", 5, False, "ha", None),
            ("20", 20, False, "m2", None),
        ],
    ),
    ("06\u00a0phường", [("06", 6, False, "phường", None)]),
    ("05 Hộ", [("05", 5, False, "hộ", None)]),
    # numbers without a unit
    ("Chương trình 135", [("135", 135, False, None, None)]),
    ("Giảm nghèo năm 2024 trên địa bàn xã", [("2024", 2024, False, None, None)]),
    ("đến cuối năm 2024 hộ nghèo giảm", [("2024", 2024, False, None, None)]),
    ("năm 2024 tỷ lệ hộ nghèo", [("2024", 2024, False, None, None)]),
    ("03 đồng chí", [("03", 3, False, None, None)]),
    ("3% năm 2024", [("3", 3, True, None, None), ("2024", 2024, False, None, None)]),
    ("3 hội viên", [("3", 3, False, "hội viên", None)]),
    ("3 hội thi", [("3", 3, False, None, None)]),
    # signs: a minus after punctuation or alone in a cell; a dash after a number or a bullet is no sign
    ("chênh lệch: -3", [("-3", -3, False, None, None)]),
    ("TDP Kẽ\n\t-3\n", [("-3", -3, False, None, None)]),
    ("-100% hộ nghèo được cấp thẻ", [("100", 100, True, None, None)]),
    ("giai đoạn 2021-2025", [("2021", 2021, False, None, None), ("2025", 2025, False, None, None)]),
    ("20 -22%", [("20", 20, False, None, None), ("22", 22, True, None, None)]),
    # seed 002's appendix row: tab-separated cells take no unit from the next cell
    (
        "1\tTDP Khả Lý Thượng\t1.011\t7\t0.69\t01",
        [
            ("1", 1, False, None, None),
            ("1.011", 1011, False, None, None),
            ("7", 7, False, None, None),
            ("0.69", D("0.69"), False, None, None),
            ("01", 1, False, None, None),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_numbers(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ",
        "Số: 267/KH-UBND",
        "Nghị quyết số 12-NQ/ĐU của BCH Đảng ủy",
        "Thông báo kết luận số 512-TB/HU",
        "Nghị quyết số 65/NQ - HĐND",
        "Công văn số 1424/SLĐTBOXH",
        "Yên Châu, ngày 19 tháng 10 năm 2021",
        "Cao Nhân, ngày   tháng 01 năm 2024",
        "Kèm theo Kế hoạch số: /KH-UBND ngày 22 /02/2024",
        "ngày 5/4/2024",
        "từ tháng 01/2024",
        "trước ngày 25/12 hằng năm",
        "1. Mục đích",
        "2.1 Tín dụng ưu đãi",
        "2.1. Các chính sách hỗ trợ",
        "   3) Tổ chức thực hiện",
        "Chương trình 30a",
        "mục 1.2.3 của phụ lục",
    ],
)
def test_numbers_in_symbols_dates_and_headings_are_skipped_whole(text):
    assert numbers(text) == []


def test_a_number_next_to_a_symbol_is_still_found():
    text = "Hỗ trợ 05 hộ theo Quyết định số 7456/QĐ-UBND ngày 21/12/2020, còn 2,06%."
    assert numbers(text) == [("05", 5, False, "hộ", None), ("2,06", D("2.06"), True, None, None)]


def test_end_with_unit_covers_unit_and_per():
    text = "mức 40.000.000 đồng/hộ và 3-4%/năm"
    first, *_, last = find_numbers(text)
    assert text[first.start : first.end_with_unit] == "40.000.000 đồng/hộ"
    assert text[last.start : last.end_with_unit] == "4%/năm"


def _seed_texts() -> list[str]:
    return [
        unicodedata.normalize("NFC", path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))
    ]


def test_no_seed_number_comes_from_inside_a_symbol_or_date():
    """Across the seeds, no number found touches a slash (symbols and dates are the only slashed numerals)."""
    texts = _seed_texts()
    assert texts
    for text in texts:
        for match in find_numbers(text):
            assert text[match.start - 1 : match.start] != "/", text[match.start - 20 : match.end + 20]
            assert text[match.end : match.end + 1] != "/", text[match.start - 20 : match.end + 20]


def test_seed_001_total_row_is_read_with_decimals():
    text = next(t for t in _seed_texts() if "1,94%(Theo" in t)
    rates = [m.number for m in find_numbers(text) if m.percent]
    assert ParsedNumber(D("1.94"), "1,94", 2, "vi") in rates


# ------------------------------------------------------------------------------------------------------------
# Ranges and periods of years
# ------------------------------------------------------------------------------------------------------------


def ranges(text: str) -> list[tuple]:
    return [
        (text[r.start : r.end], r.low.value, r.high.value, r.percent, r.unit, r.per)
        for r in find_ranges(text)
    ]


RANGE_CASES = [
    (
        "Tỷ lệ lao động được đào tạo 20 - 22% (tương ứng với 0,61%/năm).",
        [("20 - 22%", 20, 22, True, None, None)],
    ),
    ("chuyển giao khoa học kỹ thuật từ 55 - 60% (tương ứng", [("từ 55 - 60%", 55, 60, True, None, None)]),
    ("10 xã khu vực 3 giảm 3-4%/năm.", [("3-4%/năm", 3, 4, True, None, "năm")]),
    ("mỗi thôn từ 2 đến 3 hộ", [("từ 2 đến 3 hộ", 2, 3, False, "hộ", None)]),
    ("đạt 20% - 22%", [("20% - 22%", 20, 22, True, None, None)]),
    ("từ 2.000 đến 3.000 người", [("từ 2.000 đến 3.000 người", 2000, 3000, False, "người", None)]),
    ("1,5 – 2,5 triệu đồng/hộ", [("1,5 – 2,5 triệu đồng/hộ", D("1.5"), D("2.5"), False, "triệu đồng", "hộ")]),
    ("2000 - 2500 người", [("2000 - 2500 người", 2000, 2500, False, "người", None)]),
    # not ranges
    ("giai đoạn 2021-2025", []),
    ("(Theo tiêu chí giai đoạn 2016 - 2020)", []),
    ("từ ngày 10/01/2024 - 15/01/2024", []),
    ("Nghị quyết số 12-NQ/ĐU", []),
    ("giảm từ 22 - 20%", []),
    ("Thôn 3 - Thôn 4", []),
]


@pytest.mark.parametrize(("text", "expected"), RANGE_CASES)
def test_find_ranges(text, expected):
    assert ranges(text) == expected


@settings(max_examples=200)
@given(
    st.integers(0, 999),
    st.integers(1, 999),
    st.sampled_from(["-", " - ", "–", " đến "]),
    st.sampled_from(["%", " hộ", "%/năm"]),
)
def test_range_round_trip(low, width, join, unit):
    high = low + width
    text = f"Chỉ tiêu {low}{join}{high}{unit} trong năm"
    (found,) = find_ranges(text)
    assert (found.low.value, found.high.value) == (low, high)
    assert text[found.start : found.end] == f"{low}{join}{high}{unit}"


YEAR_SPAN_CASES = [
    ("chuẩn nghèo giai đoạn 2021-2025 quy định", [("giai đoạn 2021-2025", 2021, 2025)]),
    ("chuẩn nghèo đa chiều 2022-2025 trên địa bàn", [("2022-2025", 2022, 2025)]),
    ("giai đoạn 2021- 2025", [("giai đoạn 2021- 2025", 2021, 2025)]),
    ("(Theo tiêu chí 2016 - 2020)", [("2016 - 2020", 2016, 2020)]),
    ("từ năm 2021 đến năm 2025", [("từ năm 2021 đến năm 2025", 2021, 2025)]),
    ("2021–2025", [("2021–2025", 2021, 2025)]),
    ("2025-2021", []),
    ("2000 - 2500 người", []),
    ("từ 2021-2025%", []),
    ("ngày 10/01/2024-2025", []),
]


@pytest.mark.parametrize(("text", "expected"), YEAR_SPAN_CASES)
def test_find_year_spans(text, expected):
    assert [(text[s.start : s.end], s.first, s.last) for s in find_year_spans(text)] == expected


# ------------------------------------------------------------------------------------------------------------
# Money
# ------------------------------------------------------------------------------------------------------------

MONEY_CASES = [
    ("450 triệu đồng", 450_000_000),
    ("1,5 tỷ đồng", 1_500_000_000),
    ("2 tỷ 405 triệu đồng", 2_405_000_000),
    ("2 tỷ 405 triệu 500 nghìn đồng", 2_405_500_000),
    ("40.000.000 đồng", 40_000_000),
    ("40.000.000 đồng/hộ", 40_000_000),
    ("3 tỷ", 3_000_000_000),
    ("12,5 triệu", 12_500_000),
    ("7,5 triệu đồng/hộ", 7_500_000),
    ("1,091 tỷ đồng", 1_091_000_000),  # funding case: 930 triệu + 1,091 tỷ = 2.021.000.000 đồng
    ("200.000đ", 200_000),
    ("500 ngàn đồng", 500_000),
    ("1,5 nghìn tỷ đồng", 1_500_000_000_000),
    ("365.500.000 đồng chẵn", 365_500_000),
    ("3 TỶ ĐỒNG", 3_000_000_000),
    ("1,500 đồng", 1_500),  # not a whole number of đồng as 1.5: the thousands reading is taken
]


@pytest.mark.parametrize(("raw", "value"), MONEY_CASES)
def test_parse_money(raw, value):
    assert parse_money(raw) == value
    assert isinstance(parse_money(raw), int)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "450 hộ",
        "12,3456789 triệu",
        "1 tỷ 1.500 triệu",
        "2 triệu 3 tỷ",
        "triệu đồng",
        "đồng 5",
        "1,5 đồng",
        "2 tỷ 1,5 triệu",
        "5 5 đồng",
    ],
)
def test_parse_money_refuses(raw):
    assert parse_money(raw) is None


@settings(max_examples=300)
@given(st.integers(0, 999), st.integers(0, 999), st.integers(0, 999))
def test_money_parts_add_up(billions, millions, thousands):
    parts = [
        f"{n} {scale}" for n, scale in ((billions, "tỷ"), (millions, "triệu"), (thousands, "nghìn")) if n
    ]
    expected = billions * 10**9 + millions * 10**6 + thousands * 10**3
    if parts:
        assert parse_money(" ".join(parts) + " đồng") == expected
    assert parse_money(format_vietnamese_number(expected) + " đồng") == expected


def test_find_money_amounts():
    text = (
        "a) Hỗ trợ bò giống cho 30 hộ nghèo × 15 triệu đồng/hộ = 450 triệu đồng; vốn vay dự kiến 3 tỷ cho người "
        "lao động; 1,2 triệu người; 03 đồng chí; năm 2024 tỷ lệ; Tổng: 2.021.000.000 đồng."
    )
    found = [(text[m.start : m.end], m.value, m.per) for m in find_money_amounts(text)]
    assert found == [
        ("15 triệu đồng/hộ", 15_000_000, "hộ"),
        ("450 triệu đồng", 450_000_000, None),
        ("3 tỷ", 3_000_000_000, None),
        ("2.021.000.000 đồng", 2_021_000_000, None),
    ]


# -- Roman numerals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XL", 40), ("XXI", 21), ("MCMXC", 1990)],
)
def test_roman_values(numeral: str, value: int) -> None:
    assert parse_roman_numeral(numeral) == value
    assert format_roman_numeral(value) == numeral


@pytest.mark.parametrize("written", ["", "IIV", "VX", "IIII", "iv", "I.", "A"])
def test_malformed_roman_numerals_are_none(written: str) -> None:
    assert parse_roman_numeral(written) is None


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(value: int) -> None:
    assert parse_roman_numeral(format_roman_numeral(value)) == value
