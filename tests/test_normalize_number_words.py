"""Vietnamese numbers in words (extractor.normalize.number_words): reading, finding in text, writing.

Expected values are the amounts the documents state in digits next to their words (the funding cases in
corpus/cases/) or worked out by hand from the grammar.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.normalize.number_words import (
    WordsMatch,
    WordStyle,
    find_amounts_in_words,
    number_to_words,
    parse_number_words,
)

WORDS_CASES = [
    ("hai tỷ bốn trăm linh năm triệu", 2_405_000_000),
    ("Hai tỷ bốn trăm linh năm triệu", 2_405_000_000),
    ("HAI TỶ BỐN TRĂM LINH NĂM TRIỆU", 2_405_000_000),
    ("một trăm hai mươi mốt", 121),
    ("một trăm hai mươi một", 121),
    ("mười lăm", 15),
    ("mười năm", 15),
    ("mười tư", 14),
    ("hai mươi tư", 24),
    ("hai mươi bốn", 24),
    ("hai mươi lăm", 25),
    ("hai mươi năm", 25),
    ("hai mười", 20),  # "mười" written for "mươi"
    ("một nghìn không trăm linh năm", 1005),
    ("một ngàn không trăm lẻ năm", 1005),
    ("hai nghìn linh năm", 2005),
    ("một trăm linh tư", 104),
    ("ba trăm lẻ bảy nghìn", 307_000),
    ("ba trăm lẻ bẩy nghìn", 307_000),
    ("một tỷ không trăm năm mươi triệu", 1_050_000_000),
    ("một tỉ không trăm năm mươi triệu", 1_050_000_000),
    ("hai tỷ năm triệu", 2_005_000_000),
    ("mười", 10),
    ("không", 0),
    ("chín", 9),
    ("một trăm mười", 110),
    ("một nghìn tỷ", 10**12),
    ("hai nghìn không trăm năm mươi tỷ", 2_050 * 10**9),
    ("một triệu tỷ", 10**15),
    ("  hai tỷ,  bốn trăm linh năm triệu ./.", 2_405_000_000),
    # spelled-out totals of the funding cases, next to their digits
    ("Chín trăm hai mươi tư triệu không trăm lẻ năm nghìn", 924_005_000),
    ("Ba trăm sáu mươi lăm triệu năm trăm nghìn", 365_500_000),
    ("Bảy trăm linh năm triệu", 705_000_000),
    ("một tỷ hai trăm linh năm triệu ba trăm ngàn", 1_205_300_000),
    ("Hai tỷ không trăm hai mươi mốt triệu", 2_021_000_000),
]


@pytest.mark.parametrize(("text", "value"), WORDS_CASES)
def test_parse_number_words(text, value):
    assert parse_number_words(text) == value


def test_combining_marks_are_read():
    """Seed 001 is not NFC: the parser composes before reading."""
    import unicodedata

    assert parse_number_words(unicodedata.normalize("NFD", "hai mươi mốt triệu")) == 21_000_000


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "đồng",
        "hai tỷ đồng",  # the currency is read by find_amounts_in_words
        "tỷ",
        "trăm",
        "trăm nghìn",
        "mốt",
        "tư",
        "lăm",
        "linh năm",  # "linh" opens a group only after a scale word
        "một trăm năm",  # 105 or 150: written neither way
        "một nghìn năm",  # spoken shorthand for 1500, refused
        "hai nghìn tư",
        "không nghìn",
        "một nghìn không",
        "hai mươi không",
        "mười mốt",
        "một mươi",
        "năm 2024",
        "ba hai",
        "hai mươi ba bốn",
        "một trăm linh",
        "một trăm linh mười",
        "hai tỷ ba nghìn tỷ tỷ bốn",
        "triệu một",
    ],
)
def test_not_well_formed_gives_none(text):
    assert parse_number_words(text) is None


# ------------------------------------------------------------------------------------------------------------
# number_to_words
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "words"),
    [
        (0, WordStyle(), "không"),
        (5, WordStyle(), "năm"),
        (15, WordStyle(), "mười lăm"),
        (21, WordStyle(), "hai mươi mốt"),
        (21, WordStyle(one_after_tens="một"), "hai mươi một"),
        (24, WordStyle(four_after_tens="tư"), "hai mươi tư"),
        (25, WordStyle(five_after_tens="năm"), "hai mươi năm"),
        (105, WordStyle(zero_tens="lẻ"), "một trăm lẻ năm"),
        (1005, WordStyle(), "một nghìn không trăm linh năm"),
        (1005, WordStyle(thousand="ngàn"), "một ngàn không trăm linh năm"),
        (2_405_000_000, WordStyle(), "hai tỷ bốn trăm linh năm triệu"),
        (2_405_000_000, WordStyle(billion="tỉ"), "hai tỉ bốn trăm linh năm triệu"),
        (1_050_000_000, WordStyle(), "một tỷ không trăm năm mươi triệu"),
        (
            924_005_000,
            WordStyle(zero_tens="lẻ", four_after_tens="tư"),
            "chín trăm hai mươi tư triệu không trăm lẻ năm nghìn",
        ),
        (10**12, WordStyle(), "một nghìn tỷ"),
    ],
)
def test_number_to_words(value, style, words):
    assert number_to_words(value, style) == words


def test_number_to_words_refuses_negatives():
    with pytest.raises(ValueError):
        number_to_words(-1)


styles = st.builds(
    WordStyle,
    zero_tens=st.sampled_from(["linh", "lẻ"]),
    thousand=st.sampled_from(["nghìn", "ngàn"]),
    billion=st.sampled_from(["tỷ", "tỉ"]),
    five_after_tens=st.sampled_from(["lăm", "năm"]),
    one_after_tens=st.sampled_from(["mốt", "một"]),
    four_after_tens=st.sampled_from(["bốn", "tư"]),
)
# Uniform integers rarely have zero groups; mix in sparse ones ("1.000.005", "2.050.000.000").
sparse_integers = st.lists(
    st.tuples(st.sampled_from([1, 10**3, 10**6, 10**9]), st.integers(0, 999)), max_size=4
).map(lambda parts: sum(scale * digits for scale, digits in parts))
integers_to_a_trillion = st.one_of(st.integers(0, 10**12), sparse_integers, st.integers(0, 1000))


@settings(max_examples=300)
@given(integers_to_a_trillion, styles)
def test_words_round_trip_every_variant(value, style):
    assert parse_number_words(number_to_words(value, style)) == value


@settings(max_examples=200)
@given(st.integers(10**12, 10**18), styles)
def test_words_round_trip_beyond_a_trillion(value, style):
    assert parse_number_words(number_to_words(value, style)) == value


@settings(max_examples=200)
@given(integers_to_a_trillion, styles)
def test_written_forms_capitalised_with_commas_are_read(value, style):
    words = number_to_words(value, style)
    written = words[0].upper() + words[1:].replace(" triệu ", " triệu, ").replace(" ", "  ")
    assert parse_number_words(written + "./.") == value


# ------------------------------------------------------------------------------------------------------------
# find_amounts_in_words
# ------------------------------------------------------------------------------------------------------------


def amounts(text: str) -> list[tuple]:
    return [(text[m.start : m.end], m.value, m.unit) for m in find_amounts_in_words(text)]


FIND_CASES = [
    (
        "Tổng kinh phí: 2.405.000.000 đồng (Bằng chữ: Hai tỷ bốn trăm linh năm triệu đồng chẵn./.)",
        [("Hai tỷ bốn trăm linh năm triệu đồng chẵn", 2_405_000_000, "đồng")],
    ),
    (
        "với tổng số tiền là Hai tỷ bốn trăm linh năm triệu đồng, trong đó",
        [("Hai tỷ bốn trăm linh năm triệu đồng", 2_405_000_000, "đồng")],
    ),
    (
        "Tổng kinh phí: 365.500.000 đồng (Bằng chữ: Ba trăm sáu mươi lăm triệu năm trăm nghìn đồng), trong đó:",
        [("Ba trăm sáu mươi lăm triệu năm trăm nghìn đồng", 365_500_000, "đồng")],
    ),
    (
        "theo Nghị quyết; một tỷ hai trăm linh năm triệu ba trăm ngàn đồng là dự toán ban đầu của năm 2022.",
        [("một tỷ hai trăm linh năm triệu ba trăm ngàn đồng", 1_205_300_000, "đồng")],
    ),
    ("vốn đầu tư hai tỷ đồng", [("hai tỷ đồng", 2_000_000_000, "đồng")]),
    ("khoảng một triệu người", [("một triệu", 1_000_000, None)]),
    ("năm trăm đồng", [("năm trăm đồng", 500, "đồng")]),
    ("MƯỜI LĂM TRIỆU ĐỒNG", [("MƯỜI LĂM TRIỆU ĐỒNG", 15_000_000, "đồng")]),
    ("hai tỷ và ba trăm triệu", [("hai tỷ", 2_000_000_000, None), ("ba trăm triệu", 300_000_000, None)]),
    # not amounts
    ("giảm tỷ lệ hộ nghèo; một tỷ lệ nhỏ", []),
    ("trong ba năm, năm 2024", []),
    ("định kỳ 6 tháng, một năm báo cáo", []),
    ("năm đồng chí", []),
    ("không có hộ tái nghèo", []),
    ("linh hoạt, đầu tư", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_amounts_in_words(text, expected):
    assert amounts(text) == expected


def test_words_match_unpacks_as_four_values():
    (match,) = find_amounts_in_words("(Bằng chữ: Ba tỷ đồng)")
    start, end, value, unit = match
    assert isinstance(match, WordsMatch)
    assert (start, end, value, unit) == (11, 21, 3_000_000_000, "đồng")


@settings(max_examples=200)
@given(st.one_of(st.integers(11, 10**12), sparse_integers.filter(lambda n: n >= 11)), styles)
def test_any_spelled_amount_is_found_with_exact_offsets(value, style):
    words = number_to_words(value, style)
    words = words[0].upper() + words[1:]
    prefix = "Tổng kinh phí: 1.000 đồng (Bằng chữ: "
    text = f"{prefix}{words} đồng)."
    found = find_amounts_in_words(text)
    assert len(found) == 1
    assert found[0] == (len(prefix), len(prefix) + len(words) + len(" đồng"), value, "đồng")
