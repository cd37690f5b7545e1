"""Targets: indicator, value or range, direction, per-year, baseline, period, scope, restatements, qualitative."""

import json
from functools import cache

import pytest

from extractor import data
from extractor.entities.indicators import indicator_hits
from extractor.entities.targets import find_targets
from extractor.evaluate import score_field
from extractor.normalize.text import fold
from models.targets import Target
from tests.conftest import GOLD, corpus_file
from tests.factories import make_plan, plan_of_file


@cache
def read(stem: str, unit_name: str | None = None) -> tuple[str, tuple[Target, ...]]:
    plan = plan_of_file(corpus_file(stem), unit_name)
    return plan.text, tuple(find_targets(plan))


def targets_of(*lines: str, unit_name: str | None = None) -> list[Target]:
    return find_targets(make_plan(*lines, unit_name=unit_name))


def by_value(targets, key: str, value: float | None = None) -> list[Target]:
    return [t for t in targets if t.indicator.key == key and (value is None or t.value == value)]


# --- the must-show targets of the seeds -------------------------------------------------------------------


def test_seed_001_poverty_rate_reduce_to_1_94_end_of_2021_whole_commune():
    _, targets = read("001_1747db98b33217c6", "Sơn Tây")
    [target] = by_value(targets, "poverty_rate", 1.94)
    assert (target.unit, target.direction, target.decimals, target.raw) == ("%", "reduce_to", 2, "1,94%")
    assert target.period.deadline.iso == "2021-12-31"
    assert target.scope == "Sơn Tây"
    assert len(target.mentions) == 2  # the objective and the targets list state it twice


def test_seed_001_scope_is_the_level_phrase_without_a_unit_name():
    _, targets = read("001_1747db98b33217c6")
    [target] = by_value(targets, "poverty_rate", 1.94)
    assert target.scope == "toàn xã"


def test_seed_004_range_with_its_per_year_equivalent():
    _, targets = read("004_ab6f31fa12f1256e")
    [target] = by_value(targets, "vocational_training_rate")
    assert (target.range.low, target.range.high, target.unit, target.value) == (20, 22, "%", None)
    assert target.per_year_equivalent.value == 0.61 and target.per_year_equivalent.raw == "0,61%/năm"
    assert not [t for t in targets if t.value == 0.61]  # the bracketed equivalent is not a target


def test_seed_004_per_year_reductions_and_a_named_scope():
    _, targets = read("004_ab6f31fa12f1256e", "Yên Châu")
    whole, villages = by_value(targets, "poverty_rate")
    assert (whole.value, whole.direction, whole.per_year, whole.scope) == (3, "reduce_by", True, "Yên Châu")
    assert (villages.range.low, villages.range.high, villages.per_year) == (3, 4, True)
    assert villages.scope == "10 xã khu vực 3"


def test_seed_002_restated_targets_are_one_target_with_mentions():
    text, targets = read("002_724ff193a1037eed")
    [rate] = by_value(targets, "poverty_rate", 0.43)
    assert [text[m.span.start : m.span.end][-5:] for m in rate.mentions] == ["0,43%", "0,43%"]
    [houses] = by_value(targets, "temporary_housing_elimination", 100)
    assert houses.direction == "eliminate" and len(houses.mentions) == 2
    # two 100% health-insurance targets for different people, the first one restated in part III
    cards = by_value(targets, "health_insurance_coverage", 100)
    assert sorted(len(t.mentions) for t in cards) == [1, 2]


def test_seed_002_situation_is_not_a_target():
    _, targets = read("002_724ff193a1037eed")
    assert not [t for t in targets if t.value in (0.57, 1.47, 58.8)]


def test_seed_000_qualitative_targets():
    _, targets = read("000_18cf555f364dcc13")
    qualitative = {t.indicator.key for t in targets if t.qualitative}
    assert qualitative == {"re_poverty", "poor_households", "housing_support"}
    [none_left] = by_value(targets, "poor_households")
    assert none_left.period.end_year == 2024


# --- behaviours on small excerpts -------------------------------------------------------------------------

OBJECTIVES = "II. MỤC TIÊU, CHỈ TIÊU"


@pytest.mark.parametrize(
    ("sentence", "key", "value", "unit", "direction"),
    [
        ("- Tỷ lệ hộ nghèo giảm xuống còn 1,5%.", "poverty_rate", 1.5, "%", "reduce_to"),
        ("- Giảm tỉ lệ hộ cận nghèo 0,5%.", "near_poverty_rate", 0.5, "%", "reduce_by"),
        (
            "- Tỷ lệ trẻ em suy dinh dưỡng thể thấp còi dưới 10%.",
            "child_malnutrition_rate",
            10,
            "%",
            "at_most",
        ),
        ("- Tỷ lệ bao phủ BHYT đạt trên 95%.", "health_insurance_coverage", 95, "%", "at_least"),
        ("- 100% hộ nghèo được vay vốn tín dụng ưu đãi.", "preferential_credit_access", 100, "%", "reach"),
        ("- Duy trì tỷ lệ tiêm chủng đầy đủ trên 98%.", "vaccination_rate", 98, "%", "maintain"),
        ("- Xây dựng mới 03 mô hình giảm nghèo.", "poverty_models", 3, "mô hình", "increase_by"),
        ("- Hỗ trợ 40 hộ nghèo xây mới nhà ở.", "housing_support", 40, "hộ", None),
        ("- Giảm 120 hộ nghèo.", "poor_households", 120, "hộ", "reduce_by"),
    ],
)
def test_one_target_per_sentence(sentence, key, value, unit, direction):
    [target] = targets_of(OBJECTIVES, sentence)
    assert (target.indicator.key, target.value, target.unit, target.direction) == (
        key,
        value,
        unit,
        direction,
    )


def test_baseline_from_tu_to_con():
    [target] = targets_of(OBJECTIVES, "- Tỷ lệ hộ nghèo toàn huyện giảm từ 2,85% xuống còn 2,1%.")
    assert (target.value, target.baseline.value, target.baseline.raw) == (2.1, 2.85, "2,85%")


def test_period_forms():
    targets = targets_of(
        OBJECTIVES,
        "- Phấn đấu hết năm 2024 tỷ lệ hộ nghèo còn 1,2%.",
        "- Đến năm 2025 tỷ lệ lao động qua đào tạo đạt 70%.",
        "- Tỷ lệ hộ cận nghèo giai đoạn 2021-2025 giảm bình quân 0,5%/năm.",
    )
    end_2024, by_2025, span = (t.period for t in targets)
    assert end_2024.deadline.iso == "2024-12-31"
    assert (by_2025.end_year, by_2025.deadline.year, by_2025.deadline.iso) == (2025, 2025, None)
    assert (span.start_year, span.end_year) == (2021, 2025)
    assert targets[2].per_year


def test_not_targets_durations_ages_slogans_and_situation():
    targets = targets_of(
        "I. THỰC TRẠNG",
        "Cuối năm 2023 toàn xã có 51 hộ nghèo, chiếm tỷ lệ 2,06%.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "- Tổ chức đào tạo nghề dưới 3 tháng cho lao động nông thôn.",
        '- Thực hiện phong trào "Vì người nghèo - Không để ai bị bỏ lại phía sau".',
        "- Tuyên truyền ít nhất 02 lần/tháng về chính sách bảo hiểm y tế.",
        "- Tăng cường công tác kiểm tra, giám sát.",
    )
    assert targets == []


def test_outside_objectives_a_target_needs_a_commitment_word():
    targets = targets_of(
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "- Phối hợp với 03 đơn vị tổ chức tuyên truyền.",
        "- Phấn đấu tỷ lệ hộ sử dụng nước sạch đạt 85%.",
    )
    assert [(t.indicator.key, t.value) for t in targets] == [("clean_water_rate", 85)]


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("Phấn đấu cơ bản không còn hộ nghèo.", "poor_households"),
        ("Không để phát sinh hộ tái nghèo.", "re_poverty"),
        ("Không còn nhà tạm, nhà dột nát trên địa bàn.", "temporary_housing_elimination"),
        ("Đảm bảo không có người dân nào bị thiếu đói.", "food_security"),
        ("Tiến tới không còn hộ nghèo có khó khăn về nhà ở.", "housing_support"),
    ],
)
def test_qualitative_commitments(sentence, key):
    [target] = targets_of(OBJECTIVES, sentence)
    assert (target.indicator.key, target.qualitative, target.value) == (key, True, None)


def test_qualitative_and_numeric_in_one_clause_is_one_numeric_target():
    [target] = targets_of(OBJECTIVES, "- Xóa nhà tạm cho 100% hộ nghèo.")
    assert (target.indicator.key, target.value, target.qualitative) == (
        "temporary_housing_elimination",
        100,
        False,
    )


def test_same_value_in_one_list_is_not_a_restatement():
    targets = targets_of(
        OBJECTIVES,
        "- 100% hộ nghèo được cấp thẻ bảo hiểm y tế.",
        "- 100% hộ mới thoát nghèo được hỗ trợ mua thẻ bảo hiểm y tế.",
        "III. NHIỆM VỤ",
        "- Đảm bảo cấp thẻ bảo hiểm y tế cho 100% người nghèo.",
    )
    assert sorted(len(t.mentions) for t in targets) == [1, 2]


def test_table_cells_are_not_targets():
    assert targets_of(OBJECTIVES, "\tTổng cộng", "\t1,94%", "\t74") == []


# --- data and helpers -------------------------------------------------------------------------------------


def test_every_phrase_of_the_taxonomy_reaches_its_key():
    entries = data.indicators().indicators
    for key, entry in entries.items():
        for phrase in entry.phrases:
            folded = fold(phrase)
            keys = {hit.key for hit in indicator_hits(folded, 0, len(folded))}
            assert key in keys or any(entries[k].priority >= entry.priority for k in keys), (key, phrase)


# --- precision and recall against the hand-written gold ---------------------------------------------------


def test_precision_and_recall_against_gold():
    correct = predicted = gold_total = 0
    for gold_file in sorted((GOLD / "targets").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        _, targets = read(gold_file.stem)
        score = score_field("targets", list(targets), gold, gold_file.stem).score
        correct, predicted, gold_total = (
            correct + score.correct,
            predicted + score.predicted,
            gold_total + score.gold,
        )
    assert gold_total >= 70
    assert correct / predicted >= 0.9 and correct / gold_total >= 0.9


def test_a_change_compared_with_last_year_belongs_to_its_target():
    [target] = targets_of(OBJECTIVES, "- Tỷ lệ lao động qua đào tạo đạt 75%, tăng 2% so với năm 2024.")
    assert (target.indicator.key, target.value) == ("vocational_training_rate", 75)


# --- targets in any domain ----------------------------------------------------------------------------------


def one(*lines: str) -> Target:
    [target] = targets_of(OBJECTIVES, *lines)
    return target


ANY_DOMAIN = [
    # areas, counts and shares of other fields, each under its key and unit
    ("- Tổng diện tích các cụm công nghiệp đạt khoảng 300 ha.", "industrial_zones", 300, "ha"),
    ("- Thành lập mới 02 cụm công nghiệp.", "industrial_zones", 2, "cụm"),
    ("- Di dời 02 cụm công nghiệp ra khỏi khu dân cư.", "industrial_zones", 2, "cụm"),
    ("- Tỷ lệ lấp đầy các khu công nghiệp đạt trên 70%.", "industrial_zones", 70, "%"),
    ("- 100% cụm công nghiệp có hệ thống xử lý nước thải tập trung.", "industrial_zones", 100, "%"),
    ("- Thu hút thêm 45 doanh nghiệp vào các cụm công nghiệp.", "enterprises", 45, "doanh nghiệp"),
    ("- Tỷ lệ doanh nghiệp ứng dụng chuyển đổi số đạt 60%.", "enterprises", 60, "%"),
    ("- Bồi thường, hỗ trợ tái định cư cho trên 250 hộ dân.", "resettlement", 250, "hộ"),
    ("- Xây dựng 03 khu tái định cư.", "resettlement", 3, "khu"),
    ("- Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý đạt 95%.", "waste_collection_rate", 95, "%"),
    ("- 100% chất thải y tế được thu gom, xử lý theo quy định.", "waste_collection_rate", 100, "%"),
    ("- Tỷ lệ che phủ rừng đạt 52,5%.", "forest_cover", 52.5, "%"),
    ("- Có thêm 05 trường đạt chuẩn quốc gia.", "school_standard", 5, "trường"),
    ("- Tỷ lệ trường mầm non đạt chuẩn quốc gia đạt 60%.", "school_standard", 60, "%"),
    ("- Tỷ lệ hồ sơ được giải quyết trực tuyến đạt 80%.", "online_public_services", 80, "%"),
    ("- 100% hồ sơ thủ tục hành chính được số hóa.", "online_public_services", 100, "%"),
    ("- 80% người dân có tài khoản định danh điện tử mức độ 2.", "online_public_services", 80, "%"),
    ("- Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.", "health_insurance_coverage", 95, "%"),
    ("- Tỷ lệ lao động qua đào tạo đạt 70%.", "vocational_training_rate", 70, "%"),
    ("- Tỷ lệ hộ dân sử dụng nước sạch đạt 60%.", "clean_water_rate", 60, "%"),
    ("- Có thêm 03 xã đạt chuẩn NTM.", "new_rural_standard", 3, "xã"),
    # outside the taxonomy: other, with the unit as written
    ("- Lắp đặt 24 camera giám sát an ninh.", "other", 24, "camera"),
    ("- Tỷ lệ phòng học kiên cố đạt 85%.", "other", 85, "%"),
]


@pytest.mark.parametrize(("sentence", "key", "value", "unit"), ANY_DOMAIN)
def test_every_numeric_commitment_is_a_target_whatever_its_topic(sentence, key, value, unit):
    target = one(sentence)
    assert (target.indicator.key, target.value, target.unit) == (key, value, unit)


GOVERNING_PHRASE = [
    # the most specific phrase wins: the latrine, not the water tank's "nước hợp vệ sinh"
    ("- Tỷ lệ hộ có nhà tiêu, nhà tắm, bể chứa nước hợp vệ sinh đạt 80%.", "sanitary_latrine_rate"),
    # "nhà tắm" (bathroom) folds like "nhà tạm" (makeshift house): the text's own marks decide
    ("- Tỷ lệ hộ có nhà tắm hợp vệ sinh đạt 70%.", "sanitary_latrine_rate"),
    ("- Hỗ trợ xóa 100% nhà tạm cho hộ nghèo.", "temporary_housing_elimination"),
    # at equal priority, what the share is of: right after "tỷ lệ", or right after the number
    ("- Tỷ lệ doanh nghiệp trong cụm công nghiệp ứng dụng chuyển đổi số đạt 60%.", "enterprises"),
    ("- Tỷ lệ trạm y tế đạt chuẩn quốc gia đạt 100%.", "health_station_standard"),
    # a count's own noun: a count of workers is no enterprise target
    ("- Giải quyết việc làm cho 3.000 lao động tại các doanh nghiệp.", "job_creation"),
    ("- Bố trí mặt bằng trong cụm công nghiệp cho 18 cơ sở sản xuất.", "industrial_zones"),
]


@pytest.mark.parametrize(("sentence", "key"), GOVERNING_PHRASE)
def test_the_phrase_that_governs_the_number_names_it(sentence, key):
    assert one(sentence).indicator.key == key


ABSENCES = [
    ("- Không còn hộ nghèo ở nhà tạm, nhà dột nát.", "temporary_housing_elimination"),
    ("- Không còn hộ dân dùng nước sông, ao hồ chưa qua xử lý để ăn uống.", "clean_water_rate"),
    ("- Không còn phòng học tạm, phòng học mượn.", "school_network"),
]


@pytest.mark.parametrize(("sentence", "key"), ABSENCES)
def test_the_most_specific_absence_is_the_commitment(sentence, key):
    target = one(sentence)
    assert (target.indicator.key, target.qualitative, target.direction) == (key, True, "eliminate")


def test_two_absences_in_one_sentence_stay_two():
    targets = targets_of(OBJECTIVES, "- Cơ bản không còn hộ nghèo, không để phát sinh hộ tái nghèo.")
    assert [t.indicator.key for t in targets] == ["poor_households", "re_poverty"]


@pytest.mark.parametrize(
    ("sentence", "value", "of_total", "percent"),
    [
        ("- Đến năm 2025 có 64/98 xã đạt chuẩn nông thôn mới, đạt 65,31%.", 64, 98, 65.31),
        ("- Phấn đấu 48/51 xã đạt chuẩn nông thôn mới (94,12%).", 48, 51, 94.12),
        ("- Đạt 19/19 tiêu chí nông thôn mới.", 19, 19, None),
    ],
)
def test_x_of_y_is_one_target_with_its_total_and_share(sentence, value, of_total, percent):
    target = one(sentence)
    assert (target.value, target.of_total, target.percent) == (value, of_total, percent)


def test_a_rate_after_a_count_of_a_total_is_its_own_target():
    targets = targets_of(OBJECTIVES, "- Đạt 15/19 tiêu chí, tỷ lệ hộ nghèo còn dưới 2%.")
    assert [(t.indicator.key, t.value, t.percent) for t in targets] == [
        ("new_rural_criteria", 15, None),
        ("poverty_rate", 2, None),
    ]


@pytest.mark.parametrize(
    ("sentence", "low", "high", "direction"),
    [
        ("- Tỷ lệ hộ nghèo mỗi năm giảm 1 - 1,5%.", 1, 1.5, "reduce_by"),
        ("- Tỷ lệ hộ nghèo giảm bình quân mỗi năm 2,5 - 3%.", 2.5, 3, "reduce_by"),
        ("- Hằng năm đào tạo nghề cho 12.000 - 13.000 lao động.", 12000, 13000, None),
    ],
)
def test_per_year_written_before_the_number(sentence, low, high, direction):
    target = one(sentence)
    assert (target.range.low, target.range.high, target.per_year, target.direction) == (
        low,
        high,
        True,
        direction,
    )
    assert "mỗi" not in target.indicator.text.lower()


@pytest.mark.parametrize(
    "sentence", ["- Tỷ lệ thất nghiệp giảm còn dưới 2%.", "- Tỷ lệ thất nghiệp giảm xuống dưới 2%."]
)
def test_reduced_below_is_at_most(sentence):
    assert (one(sentence).value, one(sentence).direction) == (2, "at_most")


def test_a_number_without_its_own_indicator_continues_the_one_before():
    targets = targets_of(
        OBJECTIVES,
        "- Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý đạt 90%; khu vực nông thôn đạt trên 55%.",
        "- Có thêm 30 trường đạt chuẩn quốc gia, trong đó năm 2025: 12 trường; năm 2026: 10 trường.",
        "- Tỷ lệ hộ nghèo giảm 1%; tỷ lệ phòng học kiên cố đạt 85%.",
    )
    assert [(t.indicator.key, t.value) for t in targets] == [
        ("waste_collection_rate", 90),
        ("waste_collection_rate", 55),
        ("school_standard", 30),
        ("school_standard", 12),
        ("school_standard", 10),
        ("poverty_rate", 1),
        ("other", 85),
    ]
    assert [t.period.end_year for t in targets[3:5]] == [2025, 2026]


def test_a_restatement_in_another_unit_is_not_a_second_target():
    target = one(
        "- Tỷ lệ hộ dân sử dụng nước sạch tăng từ 78,5% lên 85%, tương ứng tăng thêm khoảng 16.800 hộ."
    )
    assert (target.indicator.key, target.value, target.baseline.value) == ("clean_water_rate", 85, 78.5)


def test_a_status_already_reached_is_not_a_commitment():
    targets = targets_of(
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "- Ưu tiên đầu tư các trường đã đạt trên 80% tiêu chí chuẩn quốc gia.",
        "- Tỷ lệ hộ nghèo đa chiều phấn đấu giảm 1,5%.",
    )
    assert [(t.indicator.key, t.value) for t in targets] == [("poverty_rate", 1.5)]


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        (
            "- 70% người dân trong độ tuổi lao động có kỹ năng số cơ bản.",
            "người dân trong độ tuổi lao động có kỹ năng số cơ bản",
        ),
        ("- Lắp đặt 24 camera giám sát an ninh.", "Lắp đặt camera giám sát an ninh"),
        ("- Tỷ lệ hồ sơ giải quyết trễ hạn giảm còn dưới 2%.", "Tỷ lệ hồ sơ giải quyết trễ hạn"),
    ],
)
def test_a_target_outside_the_taxonomy_keeps_its_own_words(sentence, text):
    target = one(sentence)
    assert (target.indicator.key, target.indicator.text) == ("other", text)


@pytest.mark.parametrize(
    ("sentence", "direction"),
    [
        ("- Lắp đặt 24 camera giám sát an ninh.", None),  # "đặt" (place) is no "đạt" (reach)
        ("- Tặng 200 suất quà cho hộ nghèo.", None),  # "tặng" (give) is no "tăng" (increase)
        ("- Kiểm tra, giám sát 100% hồ sơ trực tuyến.", "reach"),  # "giám sát" is no "giảm"
        ("- Tang thêm 20 hộ thoát nghèo.", "increase_by"),  # a copy that lost its marks still reads
    ],
)
def test_direction_words_are_read_with_their_marks(sentence, direction):
    assert one(sentence).direction == direction


def test_every_unit_an_indicator_counts_is_a_unit():
    units = set(data.units().by_unit)
    for key, entry in data.indicators().indicators.items():
        assert set(entry.counts) <= units, key
