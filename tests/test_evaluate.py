"""The eval scorer: multiset matching of predicted items to gold items on their keys."""

import pytest

from extractor.evaluate import Score, score_field
from models.amounts import Amount
from models.provenance import Span
from models.targets import Indicator, Target, ValueRange

SPAN = Span(start=0, end=1)


def amount(value: int, unit: str = "đồng", kind: str = "money", per: str | None = None) -> Amount:
    return Amount(id="m", kind=kind, value=value, raw=str(value), unit=unit, per=per, span=SPAN)


def test_amounts_precision_and_recall() -> None:
    predicted = [amount(200_000_000), amount(40_000_000, kind="rate", per="hộ"), amount(5, "hộ", "quantity")]
    gold = [
        {"kind": "money", "value": 200000000, "unit": "đồng", "per": None},
        {"kind": "rate", "value": 40000000, "unit": "đồng", "per": "hộ"},
        {"kind": "money", "value": 2405000000, "unit": "đồng", "per": None},
    ]
    result = score_field("amounts", predicted, gold, "case")
    assert (result.score.gold, result.score.predicted, result.score.correct) == (3, 3, 2)
    assert result.missed == [("money", 2405000000.0, "đồng", None)]
    assert result.spurious == [("quantity", 5.0, "hộ", None)]


def test_a_duplicate_prediction_counts_once() -> None:
    predicted = [amount(5, "hộ", "quantity"), amount(5, "hộ", "quantity")]
    gold = [{"kind": "quantity", "value": 5, "unit": "hộ", "per": None}]
    score = score_field("amounts", predicted, gold, "case").score
    assert (score.precision, score.recall) == (0.5, 1.0)


def test_targets_match_on_range_and_indicator() -> None:
    target = Target(
        id="t1",
        indicator=Indicator(text="Tỷ lệ lao động được đào tạo", key="vocational_training_rate"),
        range=ValueRange(low=20, high=22),
        unit="%",
        span=SPAN,
        mentions=[],
    )
    gold = [
        {
            "indicator": "vocational_training_rate",
            "value": None,
            "range": [20, 22],
            "unit": "%",
            "qualitative": False,
        }
    ]
    assert score_field("targets", [target], gold, "case").score.correct == 1
    gold[0]["range"] = [20, 23]
    assert score_field("targets", [target], gold, "case").score.correct == 0


@pytest.mark.parametrize(("gold", "predicted", "precision", "recall"), [(0, 0, 1.0, 1.0), (4, 2, 1.0, 0.5)])
def test_score_ratios(gold: int, predicted: int, precision: float, recall: float) -> None:
    score = Score("targets", gold=gold, predicted=predicted, correct=min(gold, predicted))
    assert (score.precision, score.recall) == (precision, recall)
