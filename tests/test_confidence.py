"""Each value's OCR confidence: the lowest of the words under its span, the block's where no word is placed."""

from __future__ import annotations

import json

from extractor.confidence import WordConfidences, add_confidences
from extractor.normalize.document import place_words
from models.document import Block, BlockKind, WordConfidence, WordRead
from models.provenance import Span
from tests.conftest import SEEDS, extracted

LINE = "Giảm tỷ lệ hộ nghèo còn 1,09% vào cuối năm"


def ocr_block(words: list[tuple[str, float]], confidence: float = 0.85) -> Block:
    """One block of ``LINE`` read by OCR, its words placed as the normalization places them."""
    placed = place_words(LINE, 0, [WordRead(text=text, confidence=score) for text, score in words])
    return Block(
        kind=BlockKind.PARAGRAPH,
        text=LINE,
        span=Span(start=0, end=len(LINE)),
        confidence=confidence,
        words=placed,
    )


WORDS = [(word, 0.95) for word in LINE.split()]
WORDS[6] = ("1,09%", 0.41)


def span_of(text: str) -> Span:
    start = LINE.index(text)
    return Span(start=start, end=start + len(text))


def test_words_are_placed_in_the_normalized_text_in_order() -> None:
    placed = place_words(
        LINE, 100, [WordRead(text="Giảm", confidence=0.9), WordRead(text="1,09%", confidence=0.4)]
    )
    assert placed == [
        WordConfidence(span=Span(start=100, end=104), confidence=0.9),
        WordConfidence(span=Span(start=124, end=129), confidence=0.4),
    ]


def test_a_word_the_correction_changed_is_left_out_and_the_next_still_placed() -> None:
    placed = place_words(
        LINE,
        0,
        [
            WordRead(text="Giảm", confidence=0.9),
            WordRead(text="tỳ", confidence=0.3),
            WordRead(text="lệ", confidence=0.8),
        ],
    )
    assert [LINE[w.span.start : w.span.end] for w in placed] == ["Giảm", "lệ"]


def test_a_value_takes_the_lowest_confidence_of_its_words() -> None:
    words = WordConfidences([ocr_block(WORDS)])
    assert words.lowest([span_of("còn 1,09%")]) == 0.41
    assert words.lowest([span_of("tỷ lệ hộ nghèo")]) == 0.95
    assert words.lowest([span_of("tỷ lệ"), span_of("1,09%")]) == 0.41


def test_a_span_over_no_placed_word_takes_its_blocks_confidence() -> None:
    words = WordConfidences([ocr_block([], confidence=0.72)])
    assert words.lowest([span_of("1,09%")]) == 0.72


def test_text_not_read_by_ocr_has_no_confidence() -> None:
    typed = Block(kind=BlockKind.PARAGRAPH, text=LINE, span=Span(start=0, end=len(LINE)))
    words = WordConfidences([typed])
    assert not words.any
    assert words.lowest([span_of("1,09%")]) is None


def test_a_typed_plan_is_left_as_it_is_and_its_json_carries_no_confidence() -> None:
    document = extracted(SEEDS / "001_1747db98b33217c6.txt")
    assert add_confidences(document) is document
    data = json.loads(document.model_dump_json())
    assert all("confidence" not in target and "low_confidence" not in target for target in data["targets"])
    assert all("confidence" not in cell for row in data["tables"][0]["rows"] for cell in row["cells"])


def test_a_low_confidence_value_says_so_in_the_json() -> None:
    document = extracted(SEEDS / "001_1747db98b33217c6.txt")
    target = document.targets[0]
    start = target.span.start
    block = Block(
        kind=BlockKind.PARAGRAPH,
        text=document.text[start : target.span.end],
        span=target.span,
        confidence=0.5,
        words=[WordConfidence(span=Span(start=start, end=target.span.end), confidence=0.44)],
    )
    scanned = add_confidences(document.model_copy(update={"blocks": [block]}))
    data = json.loads(scanned.model_dump_json())
    assert (data["targets"][0]["confidence"], data["targets"][0]["low_confidence"]) == (0.44, True)
    elsewhere = [
        item
        for item, model in zip(data["targets"], scanned.targets, strict=True)
        if all(m.span.end <= start or m.span.start >= target.span.end for m in [model, *model.mentions])
    ]
    assert elsewhere and all("confidence" not in item for item in elsewhere)  # text OCR did not read
