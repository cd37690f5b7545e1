"""Money, rates and counted quantities (extractor.entities.amounts), checked against hand-read values."""

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.entities.amounts import find_amounts
from extractor.normalize.numbers import format_vietnamese_number
from extractor.normalize.text import normalize_text
from tests.conftest import CASES, GOLD, SEEDS
from tests.factories import make_plan, plan_of_file

AMOUNTS_GOLD = GOLD / "amounts"


def amounts_in(*lines: str):
    return find_amounts(make_plan(*(normalize_text(line) for line in lines)))


def keys(*lines: str) -> list[tuple]:
    return [(a.kind, a.value, a.unit, a.per, a.in_words) for a in amounts_in(*lines)]


def Q(value, unit):
    return ("quantity", value, unit, None, False)


def M(value, words=False):
    return ("money", value, "đồng", None, words)


def R(value, per):
    return ("rate", value, "đồng", per, False)


READINGS = [
    # a quantity × rate = amount line, the three read in order
    (
        "Hỗ trợ làm nhà ở cho 05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng.",
        [Q(5, "hộ"), R(40_000_000, "hộ"), M(200_000_000)],
    ),
    (
        "Hỗ trợ bò giống cho 30 hộ nghèo × 15 triệu đồng/hộ = 450 triệu đồng.",
        [Q(30, "hộ"), R(15_000_000, "hộ"), M(450_000_000)],
    ),
    ("Hỗ trợ dê giống: 7,5 triệu đồng/hộ", [R(7_500_000, "hộ")]),
    ("Trợ cấp 1,5 triệu đồng/người/tháng × 2 tháng", [R(1_500_000, "người/tháng"), Q(2, "tháng")]),
    ("tiền ăn 25.000 đồng/người/ngày × 60 ngày", [R(25_000, "người/ngày"), Q(60, "ngày")]),
    ("Hỗ trợ hạ tầng: 1,091 tỷ đồng", [M(1_091_000_000)]),
    ("Quà tặng 500 ngàn đồng/cháu", [R(500_000, "cháu")]),
    ("Mức hỗ trợ tối đa 1,2 tỷ đồng/xã", [R(1_200_000_000, "xã")]),
    ("Chi phí in ấn 200.000đ", [M(200_000)]),
    ("vốn vay ưu đãi dự kiến 3 tỷ cho người lao động", [M(3_000_000_000)]),
    # counted things: the head noun is the unit
    ("Hỗ trợ 158 hộ nghèo khó khăn về nhà ở", [Q(158, "hộ")]),
    ("Có 74 hộ cận nghèo, với 181 khẩu", [Q(74, "hộ"), Q(181, "khẩu")]),
    ("có 17 hộ nghèo với 29 nhân khẩu", [Q(17, "hộ"), Q(29, "khẩu")]),
    ("xây dựng mới 01 mô hình giảm nghèo", [Q(1, "mô hình")]),
    ("Trao 12 sổ tiết kiệm, tặng quà 35 cháu", [Q(12, "sổ"), Q(35, "cháu")]),
    ("Thiếu hụt chỉ số dinh dưỡng: 00 hộ, tỷ lệ 00%;", [Q(0, "hộ")]),
    ("Đào tạo nghề cho 1.250 lao động nông thôn", [Q(1250, "lao động")]),
    ("tỷ lệ hộ nghèo bình quân của 10 xã khu vực 3 giảm 3-4%/năm", [Q(10, "xã")]),
    ("toàn quận còn 84 hộ nghèo, thuộc 06 phường", [Q(84, "hộ"), Q(6, "phường")]),
    # spelled out in words
    ("(Bằng chữ: Hai tỷ bốn trăm linh năm triệu đồng)", [M(2_405_000_000, True)]),
    ("Bằng chữ: Chín trăm hai mươi tư triệu không trăm lẻ năm nghìn đồng", [M(924_005_000, True)]),
    ("Bằng chữ: Hai tỷ không trăm hai mươi mốt triệu đồng", [M(2_021_000_000, True)]),
]


@pytest.mark.parametrize(("line", "expected"), READINGS)
def test_reads_each_amount_exactly(line: str, expected: list[tuple]) -> None:
    assert keys(line) == expected


NOT_AMOUNTS = [
    "Giảm tỷ lệ hộ nghèo xuống còn 1,94% cuối năm 2021",
    "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện",
    "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ",
    "ưu tiên các bản thuộc Chương trình 135 và Chương trình 30a",
    "Phối hợp thực hiện Dự án 5 và Tiểu dự án 1 Dự án 3",
    "bình xét hộ tham gia lần 2 trong tháng 5/2024",
    "giai đoạn 2021-2025; Tỷ lệ lao động được đào tạo 20 - 22%",
    "Định kỳ 6 tháng, một năm báo cáo kết quả; đào tạo nghề dưới 3 tháng",
    "Tỷ lệ trẻ em dưới 01 tuổi được tiêm phòng đạt 97,1%",
    "Cuối năm 2024 hộ nghèo giảm còn 0,43%",
    "Đảm bảo 100% hộ nghèo, hộ cận nghèo được cấp thẻ Bảo hiểm y tế",
    "thiếu hụt ở 06 lĩnh vực: Việc làm, Y tế",
    "(Có biểu 01, 02, 03 kèm theo); danh sách tại Phụ lục 01",
    "\t13\n\tPhố Tây\n\t160\n\t3\n\t1,88",
    "Cộng mục 1 và Mục 4 phần II; 03 đồng chí Phó Chủ tịch",
]


@pytest.mark.parametrize("line", NOT_AMOUNTS)
def test_labels_dates_symbols_and_percentages_are_not_amounts(line: str) -> None:
    assert keys(line) == []


def test_totals_and_their_words_are_marked() -> None:
    found = amounts_in(
        "3. Chi phí kiểm tra: 5.500.000 đồng.",
        "Tổng kinh phí: 365.500.000 đồng (Bằng chữ: Ba trăm sáu mươi lăm triệu năm trăm nghìn đồng), trong đó:",
        "- Ngân sách tỉnh: 260.000.000 đồng;",
        "Cộng mục 1: 930 triệu đồng.",
        "Tổng cộng (1+2): 2.021.000.000 đồng",
    )
    assert [(a.value, a.is_total) for a in found] == [
        (5_500_000, False),
        (365_500_000, True),
        (365_500_000, True),
        (260_000_000, False),
        (930_000_000, True),
        (2_021_000_000, True),
    ]


def test_spans_cover_the_raw_text_and_sections_are_set() -> None:
    plan = make_plan(
        "III. KINH PHÍ THỰC HIỆN",
        "Hỗ trợ làm nhà ở cho 05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng.",
        page=3,
    )
    document, sections = plan.document, plan.sections
    found = find_amounts(plan)
    assert [a.raw for a in found] == ["05 hộ", "40.000.000 đồng/hộ", "200.000.000 đồng"]
    for amount in found:
        assert document.text[amount.span.start : amount.span.end] == amount.raw
        assert amount.page == 3
        assert amount.section_id == sections[0].id


def _document_path(stem: str) -> Path:
    return next(folder / f"{stem}.txt" for folder in (CASES, SEEDS) if (folder / f"{stem}.txt").exists())


def _gold_documents() -> list[str]:
    return sorted(path.stem for path in AMOUNTS_GOLD.glob("*.json"))


def _key(item) -> tuple:
    if isinstance(item, dict):
        return (item["kind"], float(item["value"]), item["unit"], item["per"], item["in_words"])
    return (item.kind, float(item.value), item.unit, item.per, item.in_words)


@pytest.mark.parametrize("stem", _gold_documents())
def test_matches_the_hand_read_gold(stem: str) -> None:
    plan = plan_of_file(_document_path(stem))
    gold = Counter(
        _key(item) for item in json.loads((AMOUNTS_GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    )
    predicted = Counter(_key(item) for item in find_amounts(plan))
    assert predicted == gold, {"missed": gold - predicted, "spurious": predicted - gold}


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=999),
    rate_thousands=st.integers(min_value=1, max_value=99_999),
    noun=st.sampled_from(["hộ", "người", "mô hình", "lớp", "sổ", "cháu"]),
)
def test_product_lines_round_trip(count: int, rate_thousands: int, noun: str) -> None:
    rate = rate_thousands * 1000
    line = (
        f"Hỗ trợ {count:02d} {noun} × {format_vietnamese_number(rate)} đồng/{noun}"
        f" = {format_vietnamese_number(count * rate)} đồng."
    )
    assert keys(line) == [Q(count, noun), R(rate, noun), M(count * rate)]


# --- amounts in any domain ---------------------------------------------------------------------------------


def F(value, unit, of_total):
    """A count out of a total: "8/13 đơn vị" -> F(8, "đơn vị", 13)."""
    return ("quantity", value, unit, None, of_total)


def keys_with_totals(*lines: str) -> list[tuple]:
    return [(a.kind, a.value, a.unit, a.per, a.of_total) for a in amounts_in(*lines)]


RATES_PER_ANY_NOUN = [
    ("In tờ rơi: 1.500 đồng/tờ", R(1_500, "tờ")),
    ("Chi hội nghị: 2.500.000 đồng/hội nghị", R(2_500_000, "hội nghị")),
    ("Hỗ trợ bồn chứa: 2.000.000 đồng/bồn", R(2_000_000, "bồn")),
    ("Hỗ trợ làm nhà 40.000.000 đồng/hộ", R(40_000_000, "hộ")),
    ("Mức đóng bảo hiểm 1.263.600 đồng/người/năm", R(1_263_600, "người/năm")),
    # nouns the vocabulary lacks: one word after the slash
    ("Di chuyển mồ mả: 8.500.000 đồng/ngôi", R(8_500_000, "ngôi")),
    ("Ống dẫn nước 18.000 đồng/mét", R(18_000, "mét")),
    ("Cây giống 35.000 đồng/cây", R(35_000, "cây")),
    # a known unit is read whole, then the per stops at the space
    ("Bò giống 3.000.000 đồng/con bò giống", R(3_000_000, "con")),
    ("Suất ăn 30.000 đồng/lượt người", R(30_000, "lượt người")),
]


@pytest.mark.parametrize(("line", "rate"), RATES_PER_ANY_NOUN)
def test_a_rate_is_money_per_whatever_noun_follows_the_slash(line: str, rate: tuple) -> None:
    assert keys(line) == [rate]


def test_a_slash_before_a_digit_is_no_per() -> None:
    assert keys("Hỗ trợ 200.000 đồng/01 hộ") == [M(200_000)]


COUNTED_NOUNS = [
    ("Tổ chức 04 hội nghị và 06 lớp tập huấn", [Q(4, "hội nghị"), Q(6, "lớp")]),
    (
        "in 5.000 tờ rơi, 500 cuốn sổ tay, 20 pano, 40 băng rôn",
        [Q(5000, "tờ rơi"), Q(500, "cuốn"), Q(20, "pano"), Q(40, "băng rôn")],
    ),
    (
        "Xây dựng 02 trạm cấp nước, khoan 12 giếng, xây 30 bể chứa",
        [Q(2, "trạm"), Q(12, "giếng"), Q(30, "bể")],
    ),
    ("Đầu tư 03 lò đốt rác, 02 bãi chôn lấp, mua 04 xe thu gom", [Q(3, "lò"), Q(2, "bãi"), Q(4, "xe")]),
    (
        "Làm 03 tuyến đường, 02 cầu, 05 phòng học, lắp 10 máy bơm",
        [Q(3, "tuyến"), Q(2, "cầu"), Q(5, "phòng học"), Q(10, "máy")],
    ),
    (
        "Di dời 31 cơ sở sản xuất vào 02 cụm công nghiệp, 01 khu tái định cư",
        [Q(31, "cơ sở"), Q(2, "cụm"), Q(1, "khu")],
    ),
    ("còn 4 tiêu chí chưa đạt", [Q(4, "tiêu chí")]),
]


@pytest.mark.parametrize(("line", "expected"), COUNTED_NOUNS)
def test_counted_nouns_of_other_domains(line: str, expected: list[tuple]) -> None:
    assert keys(line) == expected


PRICED_ON_THE_LINE = [
    # the rate's per makes the noun counted on its line, before or after the rate
    (
        "Di chuyển mồ mả: 320 ngôi × 8.500.000 đồng/ngôi = 2.720.000.000 đồng",
        [Q(320, "ngôi"), R(8_500_000, "ngôi"), M(2_720_000_000)],
    ),
    (
        "Ống dẫn nước: 18.000 đồng/mét × 2.400 mét = 43.200.000 đồng",
        [R(18_000, "mét"), Q(2400, "mét"), M(43_200_000)],
    ),
    # a measure is an amount only as a priced factor of its line
    (
        "Cứng hóa 2,5 km × 420 triệu đồng/km = 1.050 triệu đồng",
        [Q(2.5, "km"), R(420_000_000, "km"), M(1_050_000_000)],
    ),
    (
        "Thuê đất 12 ha × 30 triệu đồng/ha = 360 triệu đồng",
        [Q(12, "ha"), R(30_000_000, "ha"), M(360_000_000)],
    ),
]


@pytest.mark.parametrize(("line", "expected"), PRICED_ON_THE_LINE)
def test_a_cost_line_says_what_it_counts(line: str, expected: list[tuple]) -> None:
    assert keys(line) == expected


def test_a_noun_priced_on_another_line_is_not_counted_here() -> None:
    assert keys("Di chuyển 8.500.000 đồng/ngôi", "Có 320 ngôi mộ cần di chuyển") == [R(8_500_000, "ngôi")]


FRACTIONS = [
    ("Có 8/13 đơn vị cấp huyện hoàn thành", [F(8, "đơn vị", 13)]),
    ("xã đạt 15/19 tiêu chí, còn 4 tiêu chí", [F(15, "tiêu chí", 19), F(4, "tiêu chí", None)]),
    ("Mới có 02/04 cụm công nghiệp có hệ thống xử lý nước thải", [F(2, "cụm", 4)]),
    ("07/12 tổ dân phố có tổ công nghệ số cộng đồng", [F(7, "tổ dân phố", 12)]),
    ("quy hoạch chi tiết tỷ lệ 1/500", []),
]


@pytest.mark.parametrize(("line", "expected"), FRACTIONS)
def test_x_of_y_is_one_count_with_its_total(line: str, expected: list[tuple]) -> None:
    assert keys_with_totals(line) == expected


MEASURES_AND_LABELS = [
    "Diện tích 254,6 ha; trồng mới 450 ha rừng; cứng hóa 35 km đường",
    "công suất 500 tấn/ngày; thu gom 973,0 tấn/ngày; 15 kg gạo",
    "đường rộng 3,5 m; bồn loại 1.000 lít",
    "trẻ em dưới 6 tuổi, trẻ 18 tháng tuổi; báo cáo định kỳ 6 tháng",
    "tiêu chí số 17 về môi trường; mức độ 2; Đề án 06; thực hiện 3 sạch",
    "Khối 7, ấp Xa Mau 1, cụm 3",
    "nhà văn hóa Cụm 3 thôn Ka Tư; Khu phố 3 phường Tân Lập; Tổ dân phố 6 xã Cam Lộc; Thôn 4 xã Đông",
    "bình quân đạt 18,8 tiêu chí/xã",
]


@pytest.mark.parametrize("line", MEASURES_AND_LABELS)
def test_measures_labels_ages_periods_and_averages_are_not_amounts(line: str) -> None:
    assert keys(line) == []


def test_a_yearly_count_stays_a_rate() -> None:
    assert keys("giảm 2.500 hộ (tương ứng 500 hộ/năm)") == [Q(2500, "hộ"), ("rate", 500, "hộ", "năm", False)]


def test_millions_with_a_decimal_are_exact() -> None:
    assert keys("Tổng kinh phí 41.798,8 triệu đồng") == [M(41_798_800_000)]
