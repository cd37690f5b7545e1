"""Proportions: the count, the percent and the base it is a share of, resolved by meaning."""

from functools import cache

import pytest

from extractor.entities.proportions import find_proportions
from models.proportions import Proportion
from tests.conftest import corpus_file
from tests.factories import make_plan, plan_of_file


@cache
def read(stem: str) -> tuple[Proportion, ...]:
    return tuple(find_proportions(plan_of_file(corpus_file(stem))))


def proportions_of(*lines: str) -> list[Proportion]:
    return find_proportions(make_plan(*lines))


def test_seed_001_whole_commune_statements_have_no_base_in_text():
    found = read("001_1747db98b33217c6")
    counts = [(p.count.value, p.count.unit, p.percent.raw, p.base) for p in found]
    # 51 households (not the 111 persons) at 2,06 %; 14 households (not 16 persons) at 0,55 %
    assert counts == [(51, "hộ", "2,06 %", None), (14, "hộ", "0,55%", None), (37, "hộ", "1,51%", None),
                      (74, "hộ", "2,99%", None)]  # fmt: skip
    assert found[0].subject == "hộ nghèo"
    assert found[1].subject == "hộ nghèo thuộc đối tượng bảo trợ xã hội"


def test_seed_002_deprivation_lists_take_the_count_of_their_group():
    found = read("002_724ff193a1037eed")
    poor = [p for p in found if p.base is not None and p.base.value == 17]
    near_poor = [p for p in found if p.base is not None and p.base.value == 44]
    assert len(poor) == 12 and len(near_poor) == 12
    job = poor[0]
    assert (job.subject, job.count.value, job.percent.value, job.percent.decimals) == (
        "Thiếu hụt chỉ số việc làm",
        3,
        58.8,
        1,
    )
    assert job.base_source == "list_total" and job.base.raw == "17 hộ"
    assert near_poor[0].percent.raw == "0,10%"
    # the last item of the poor list was broken by a page: "… 12 hộ, tỷ lệ" / "70,59%."
    assert poor[-1].subject.startswith("Thiếu hụt chỉ số phương tiện") and poor[-1].percent.value == 70.59
    whole = [p for p in found if p.base is None]
    assert [(p.count.value, p.percent.value) for p in whole] == [(17, 0.57), (44, 1.47)]


def test_lead_in_that_states_the_total():
    found = proportions_of(
        "I. THỰC TRẠNG",
        "Kết quả rà soát 320 hộ chưa tham gia bảo hiểm y tế:",
        "- Hộ làm nông nghiệp: 208 hộ, tỷ lệ 65%;",
        "",
        "- Hộ khác: 32 hộ, tỷ lệ 10%.",
    )
    assert [(p.subject, p.count.value, p.base.value, p.base_source) for p in found] == [
        ("Hộ làm nông nghiệp", 208, 320, "list_total"),
        ("Hộ khác", 32, 320, "list_total"),
    ]


def test_a_list_without_a_lead_in_gets_no_base():
    found = proportions_of(
        "I. THỰC TRẠNG",
        "Toàn xã có 51 hộ nghèo, chiếm tỷ lệ 2,06%.",
        "- Trong đó hộ nghèo có lao động là 14 hộ, tỷ lệ 0,55%.",
    )
    assert [(p.count.value, p.base) for p in found] == [(51, None), (14, None)]


def test_a_rate_of_its_own_or_a_change_is_not_a_share_of_the_count():
    found = proportions_of(
        "I. KẾT QUẢ",
        "- Đào tạo nghề cho 210 lao động, trong đó 12 người khuyết tật; tỷ lệ lao động qua đào tạo đạt 65%.",
        "- Giảm 50 hộ nghèo, tỷ lệ giảm 2%.",
        "- Có 30 hộ (1,2%) thiếu hụt nước sạch.",
    )
    assert [(p.count.value, p.percent.value) for p in found] == [(30, 1.2)]


def test_spans_cover_count_and_percent():
    plan = make_plan("I. THỰC TRẠNG", "Có 74 hộ cận nghèo, với 181 khẩu, chiếm tỷ lệ 2,99%.")
    document = plan.document
    [found] = find_proportions(plan)
    assert (
        document.text[found.span.start : found.span.end] == "74 hộ cận nghèo, với 181 khẩu, chiếm tỷ lệ 2,99%"
    )
    assert document.text[found.count.span.start : found.count.span.end] == "74 hộ"


def test_a_subject_naming_a_whole_group_carries_its_population():
    found = read("001_1747db98b33217c6")
    # "51 hộ nghèo" and "74 hộ cận nghèo" name whole groups; "14 hộ nghèo thuộc diện …" would be part of one
    assert [(p.count.value, p.population) for p in found if p.count.value in (51, 74)] == [
        (51, "poor"),
        (74, "near_poor"),
    ]
    assert proportions_of("I. THỰC TRẠNG", "Có 30 lao động, chiếm 1,2%.")[0].population is None


# Each read off the sentence: (count, base or None, where the base was read).
STATED_BASES = [
    # the count is the part after "trong đó", the base the total before it, never the count itself
    ("Toàn xã có 2.471 hộ, trong đó 51 hộ nghèo, chiếm 2,06%.", (51, 2471, "sentence")),
    (
        "đào tạo nghề cho 2.150 lao động, trong đó 1.720 lao động có việc làm, chiếm tỷ lệ 80%.",
        (1720, 2150, "sentence"),
    ),
    # X/Y: the count and its total in the same words
    ("Đến nay có 64/98 xã đạt chuẩn nông thôn mới, đạt 65,31%.", (64, 98, "of_total")),
    ("Có 15/19 tiêu chí đạt chuẩn, chiếm 78,94%.", (15, 19, "of_total")),
    # a sentence opening "Trong đó" takes its total from the sentence before
    ("Toàn xã có 1.200 hộ. Trong đó hộ nghèo có 36 hộ, chiếm 3,00%.", (36, 1200, "previous_sentence")),
    # no base stated: none guessed
    ("Toàn xã có 1.200 hộ; hộ nghèo 36 hộ, chiếm 3,0%.", (36, None, None)),
    ("Số lao động có việc làm là 5.430 người, chiếm 86,5% lực lượng lao động.", (5430, None, None)),
    # households and the persons living in them: the rate is the households'
    ("Toàn xã có 51 hộ nghèo, có 111 khẩu chiếm tỷ lệ 2,06 %.", (51, None, None)),
]


@pytest.mark.parametrize(("sentence", "expected"), STATED_BASES)
def test_count_and_base_each_from_its_own_place(sentence: str, expected: tuple) -> None:
    (found,) = proportions_of("II. TÌNH HÌNH", sentence)
    base = found.base.value if found.base is not None else None
    assert (found.count.value, base, found.base_source) == expected


def test_a_total_that_is_no_count_of_the_percent_makes_no_proportion() -> None:
    """ "12.480 hộ dân, số hộ dùng nước sạch đạt 9,62%": 9,62% is not a share of 12.480 (no share word)."""
    assert (
        proportions_of("II. TÌNH HÌNH", "Toàn huyện có 12.480 hộ dân, số hộ dùng nước sạch đạt 9,62%.") == []
    )


def test_a_fraction_ending_its_clause_takes_no_later_percent() -> None:
    """ "172/236 trường đạt chuẩn quốc gia; tỷ lệ bao phủ BHYT đạt 92,6%": the 92,6% is another indicator's."""
    found = proportions_of(
        "II. TÌNH HÌNH",
        "Toàn tỉnh có 172/236 trường đạt chuẩn quốc gia; tỷ lệ bao phủ bảo hiểm y tế đạt 92,6%.",
    )
    assert found == []
