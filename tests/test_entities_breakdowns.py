"""Breakdowns of a stated total into listed parts (extractor.entities.breakdowns), values read by hand."""

from pathlib import Path

import pytest

from extractor.entities.amounts import find_amounts
from extractor.entities.breakdowns import find_breakdowns
from extractor.normalize.text import normalize_text
from extractor.structure.plan_text import PlanText
from tests.conftest import CASES, SEEDS
from tests.factories import make_plan, plan_of_file


def breakdowns_of(plan: PlanText):
    return find_breakdowns(plan, find_amounts(plan))


def breakdowns_in(*lines: str):
    return breakdowns_of(make_plan(*(normalize_text(line) for line in lines)))


def summary(breakdown) -> tuple:
    """(total, stated count or None, [item values], unit) — what the checks add up."""
    count = breakdown.stated_count.value if breakdown.stated_count else None
    return (
        breakdown.total.value,
        count,
        [item.quantity.value if item.quantity else None for item in breakdown.items],
        breakdown.total.unit,
    )


def from_file(path: Path) -> list[tuple]:
    return [summary(b) for b in breakdowns_of(plan_of_file(path))]


WRITTEN_FORMS = [
    (
        ["toàn quận còn 84 hộ nghèo, thuộc 06 phường: Hà Cầu 02 hộ, Kiến Hưng 05 hộ, Phú Lương 31 hộ."],
        [(84, 6, [2, 5, 31], "hộ")],
    ),
    (
        [
            "phân tích mức độ thiếu hụt của 06 lĩnh vực: Việc làm, Y tế, Giáo dục, Nhà ở, Nước sinh hoạt và vệ sinh, "
            "Tiếp cận thông tin để có giải pháp"
        ],
        [(6, 6, [None] * 6, "lĩnh vực")],
    ),
    (
        ["Năm 2023 hỗ trợ 45 hộ nghèo về nhà ở, trong đó: làm mới 12 hộ, sửa chữa 30 hộ."],
        [(45, None, [12, 30], "hộ")],
    ),
    (
        [
            "Tổng kinh phí thực hiện: 1.500.000.000 đồng, gồm:",
            "- Ngân sách thành phố: 1.000.000.000 đồng;",
            "- Ngân sách quận: 400.000.000 đồng;",
            "- Nguồn xã hội hóa: 100.000.000 đồng.",
            "IV. TỔ CHỨC THỰC HIỆN",
        ],
        [(1_500_000_000, None, [1_000_000_000, 400_000_000, 100_000_000], "đồng")],
    ),
    (
        [
            "1. Hỗ trợ làm nhà ở cho 05 hộ × 40.000.000 đồng/hộ = 200.000.000 đồng.",
            "2. Hỗ trợ sửa chữa nhà ở cho 08 hộ × 20.000.000 đồng/hộ = 160.000.000 đồng.",
            "Tổng cộng: 360.000.000 đồng",
        ],
        [(360_000_000, None, [200_000_000, 160_000_000], "đồng")],
    ),
    # a subset named with "trong đó" is not a partition: no breakdown of one part
    (["Có 07 hộ nghèo có lao động trong hộ trong đó có 02 hộ nghèo có người khuyết tật."], []),
    # the total is the last one of the parts' unit before the marker, whatever else lies between
    (
        [
            "Năm 2022 tổ chức 41 lớp đào tạo nghề cho 1.435 lao động, trong đó nông nghiệp 26 lớp, phi nông nghiệp 15 lớp."
        ],
        [(41, None, [26, 15], "lớp")],
    ),
    # parts listed after a nearer total of their unit belong to it, not to the whole before it
    (
        ["Huyện có 25 xã, trong đó 12 xã đạt chuẩn, gồm: vùng thấp 7 xã, vùng cao 5 xã."],
        [(12, None, [7, 5], "xã")],
    ),
    # a clause ended between the total and the list: the parts are of something else
    (["Huyện có 25 xã; năm 2024 thêm các xã đạt chuẩn gồm: vùng thấp 7 xã, vùng cao 5 xã."], []),
]


@pytest.mark.parametrize(("lines", "expected"), WRITTEN_FORMS)
def test_reads_totals_counts_and_parts(lines: list[str], expected: list[tuple]) -> None:
    assert [summary(b) for b in breakdowns_in(*lines)] == expected


def test_labels_name_each_part() -> None:
    (found,) = breakdowns_in(
        "còn 84 hộ nghèo, thuộc 06 phường: Hà Cầu 02 hộ, Kiến Hưng 05 hộ, Phú Lương 31 hộ."
    )
    assert [item.label for item in found.items] == ["Hà Cầu", "Kiến Hưng", "Phú Lương"]
    assert found.stated_count is not None and found.stated_count.unit == "phường"


def test_subtotals_stand_for_the_lines_they_close() -> None:
    found = from_file(CASES / "funding-sinh-ke-dien-bien.txt")
    assert (930_000_000, None, [450_000_000, 180_000_000, 250_000_000, 50_000_000], "đồng") in found
    assert (2_021_000_000, None, [930_000_000, 1_091_000_000], "đồng") in found


def test_breakdowns_that_add_up() -> None:
    found = from_file(CASES / "breakdown-phuong-ha-dong.txt")
    assert found == [
        (84, 6, [2, 5, 31, 24, 15, 7], "hộ"),
        (6, 6, [None] * 6, "lĩnh vực"),
        (1250, None, [700, 550], "người"),
        (1_500_000_000, None, [1_000_000_000, 400_000_000, 100_000_000], "đồng"),
    ]
    for total, count, parts, _ in found:
        assert None in parts or sum(parts) == total
        assert count is None or count == len(parts)


def test_breakdowns_that_do_not_add_up_are_still_reported() -> None:
    found = from_file(CASES / "breakdown-khong-khop-muong-cha.txt")
    assert found == [
        (126, 5, [40, 35, 28, 20], "hộ"),
        (7, 7, [None] * 6, "lĩnh vực"),
        (45, None, [12, 30], "hộ"),
        (950_000_000, None, [600_000_000, 300_000_000], "đồng"),
    ]


def test_funding_totals_by_activity_and_by_source() -> None:
    found = from_file(CASES / "funding-nha-o-quang-binh.txt")
    assert (13, None, [5, 8], "hộ") in found
    assert (365_500_000, None, [200_000_000, 160_000_000, 5_500_000], "đồng") in found
    assert (365_500_000, None, [260_000_000, 65_500_000, 40_000_000], "đồng") in found


def test_a_wrong_total_is_kept_as_written() -> None:
    found = from_file(CASES / "funding-sai-so-thanh-hoa.txt")
    assert (700_000_000, None, [310_000_000, 250_000_000, 120_000_000], "đồng") in found


def test_seed_counts_split_by_unit_and_by_population() -> None:
    seed_001 = from_file(SEEDS / "001_1747db98b33217c6.txt")
    assert (51, None, [14, 37], "hộ") in seed_001
    assert (111, None, [16, 95], "khẩu") in seed_001
    seed_002 = from_file(SEEDS / "002_724ff193a1037eed.txt")
    # "Trong đó: Hộ nghèo …: 13 hộ; Hộ nghèo …: 04 hộ" follows the near-poor line but splits the 17 poor
    assert (17, None, [13, 4], "hộ") in seed_002
    assert (6, 6, [None] * 6, "lĩnh vực") in seed_002


def test_groups_split_by_a_property_and_its_negation() -> None:
    found = breakdowns_in(
        "II. THỰC TRẠNG",
        "Trên địa bàn có 40 hộ nghèo, chiếm 2,1%.",
        "- Có 12 hộ nghèo có đất sản xuất trong hộ.",
        "- Có 25 hộ nghèo không có đất sản xuất, cần hỗ trợ.",
    )
    complementary = [b for b in found if b.complementary]
    assert [(b.total.value, [i.quantity.value for i in b.items]) for b in complementary] == [(40, [12, 25])]


def test_a_property_without_its_negation_is_no_split() -> None:
    found = breakdowns_in(
        "Có 40 hộ nghèo.", "- Có 12 hộ nghèo có đất sản xuất.", "- Có 25 hộ nghèo thiếu vốn."
    )
    assert [b for b in found if b.complementary] == []


def test_a_list_opening_its_own_sentence_takes_the_total_before_it() -> None:
    """ "Trong đó …" in the sentence after the total: certain when that sentence states one number of the
    parts' unit, a doubt when it states several (the parts' labels then choose)."""
    (doubtful,) = breakdowns_in(
        "Xã có 51 hộ nghèo và 74 hộ cận nghèo.", "- Trong đó hộ nghèo già cả 14 hộ, hộ nghèo ốm đau 37 hộ."
    )
    assert summary(doubtful) == (51, None, [14, 37], "hộ") and not doubtful.certain
    (funding,) = breakdowns_in(
        "Tổng kinh phí thực hiện: 2.500.000.000 đồng.",
        "Trong đó: ngân sách tỉnh 1.500.000.000 đồng, ngân sách huyện 1.000.000.000 đồng.",
    )
    assert (
        summary(funding) == (2_500_000_000, None, [1_500_000_000, 1_000_000_000], "đồng") and funding.certain
    )
    (same_sentence,) = breakdowns_in(
        "Năm 2023 hỗ trợ 45 hộ nghèo về nhà ở, trong đó: làm mới 12 hộ, sửa chữa 30 hộ."
    )
    assert same_sentence.certain


@pytest.mark.parametrize(
    ("lines", "label"),
    [
        (
            [
                "Tổng kinh phí thực hiện: 1.500.000.000 đồng, gồm: ngân sách tỉnh 1.000.000.000 đồng, ngân sách huyện 500.000.000 đồng."
            ],
            "Tổng kinh phí thực hiện",
        ),
        (
            ["toàn quận còn 84 hộ nghèo, thuộc 06 phường: Hà Cầu 02 hộ, Kiến Hưng 05 hộ, Phú Lương 31 hộ."],
            "toàn quận",
        ),
        (
            ["1. Làm nhà: 200.000.000 đồng.", "2. Sửa nhà: 160.000.000 đồng.", "Tổng cộng: 360.000.000 đồng"],
            "Tổng cộng",
        ),
    ],
)
def test_a_total_is_named_as_its_clause_names_it(lines: list[str], label: str) -> None:
    """The label a finding names the total by: what the words before its number say it is."""
    (found,) = breakdowns_in(*lines)
    assert found.label == label


@pytest.mark.parametrize(
    ("line", "exhaustive"),
    [
        (
            "Toàn thị trấn có 2.465 hộ, trong đó 70 hộ nghèo, chiếm 2,84%; 96 hộ cận nghèo, chiếm 3,89%.",
            False,
        ),
        ("Năm 2023 hỗ trợ 45 hộ nghèo về nhà ở, gồm: làm mới 12 hộ, sửa chữa 33 hộ.", True),
    ],
)
def test_parts_named_with_trong_do_need_not_cover_the_total(line: str, exhaustive: bool) -> None:
    """ "trong đó" (of which) names some parts; "gồm" lists all of them."""
    (found,) = breakdowns_in(line)
    assert found.exhaustive is exhaustive
