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
