"""Each extracted value's OCR confidence: the lowest confidence of the words it was read from.

A scan's value is as doubtful as its weakest word: "giảm tỷ lệ hộ nghèo còn 1,09%" read with "1,09%" at 0.41
is a target whose number may be a misread, however sure Tesseract was of "giảm". So after the entities and
the metadata are read, each value with a place in the text (metadata values and the document date,
citations, targets, amounts) gets the lowest confidence of the OCR words under its span (``Block.words``),
and ``low_confidence`` when that is below ``LOW_CONFIDENCE``. A word the lexicon correction rewrote has no
place of its own; a span over such words only takes its block's (mean) confidence. Values read from the
file's own text are left as they are: the stage costs nothing on a typed plan. Table cells get theirs in
the tables stage, from the words inside each cell's box.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import TypeVar

from models import ExtractedDocument, Metadata, Signer, Sourced
from models.document import Block
from models.provenance import OcrConfidence, Span, is_low_confidence
from models.values import PartialDate

Valued = TypeVar("Valued", bound=OcrConfidence)


class WordConfidences:
    """The OCR words of a document by their place in its text, to ask for the confidence under a span."""

    def __init__(self, blocks: list[Block]) -> None:
        self._blocks = [block for block in blocks if block.confidence is not None]
        words = sorted(
            (word.span.start, word.span.end, word.confidence)
            for block in self._blocks
            for word in block.words
        )
        self._starts = [start for start, _, _ in words]
        self._words = words
        self._longest = max((end - start for start, end, _ in words), default=0)

    @property
    def any(self) -> bool:
        """Whether any part of the document was read by OCR."""
        return bool(self._blocks)

    def lowest(self, spans: Iterable[Span | None]) -> float | None:
        """The lowest confidence of the words overlapping any of ``spans``; where a span covers no placed
        word, the lowest confidence of the OCR blocks it overlaps; None when it touches no OCR'd text."""
        scores: list[float] = []
        for span in spans:
            if span is None or span.end <= span.start:
                continue
            found = self._word_scores(span) or self._block_scores(span)
            scores.extend(found)
        return round(min(scores), 4) if scores else None

    def _word_scores(self, span: Span) -> list[float]:
        first = bisect_left(self._starts, span.start - self._longest)
        scores = []
        for start, end, confidence in self._words[first:]:
            if start >= span.end:
                break
            if end > span.start:
                scores.append(confidence)
        return scores

    def _block_scores(self, span: Span) -> list[float]:
        return [
            block.confidence
            for block in self._blocks
            if block.confidence is not None and block.span.start < span.end and span.start < block.span.end
        ]


def with_confidence(value: Valued, confidence: float | None) -> Valued:
    """``value`` carrying ``confidence`` and whether it is low; unchanged when not read by OCR."""
    if confidence is None:
        return value
    return value.model_copy(
        update={"confidence": confidence, "low_confidence": is_low_confidence(confidence)}
    )


def add_confidences(document: ExtractedDocument) -> ExtractedDocument:
    """``document`` with the OCR confidence on every metadata value, citation, target and amount."""
    words = WordConfidences(document.blocks)
    if not words.any:
        return document
    return document.model_copy(
        update={
            "metadata": _metadata(document.metadata, words),
            "citations": [
                with_confidence(item, words.lowest(mention.span for mention in item.mentions))
                for item in document.citations
            ],
            "targets": [
                with_confidence(item, words.lowest([item.span, *(mention.span for mention in item.mentions)]))
                for item in document.targets
            ],
            "amounts": [with_confidence(item, words.lowest([item.span])) for item in document.amounts],
        }
    )


def _sourced(value: Sourced | None, words: WordConfidences, *more: Span | None) -> Sourced | None:
    return None if value is None else with_confidence(value, words.lowest([value.span, *more]))


def _date(value: PartialDate | None, words: WordConfidences) -> PartialDate | None:
    return None if value is None else with_confidence(value, words.lowest([value.span]))


def _metadata(metadata: Metadata, words: WordConfidences) -> Metadata:
    """Every metadata value with its confidence; the symbol's covers the number written with it
    ("267/KH-UBND"), which has no value of its own to carry one."""
    signer = metadata.signer
    return metadata.model_copy(
        update={
            "issuer": _sourced(metadata.issuer, words),
            "issuer_parent": _sourced(metadata.issuer_parent, words),
            "unit": _sourced(metadata.unit, words),
            "symbol": _sourced(metadata.symbol, words, metadata.number_span),
            "place": _sourced(metadata.place, words),
            "date": _date(metadata.date, words),
            "doc_type": _sourced(metadata.doc_type, words),
            "title": _sourced(metadata.title, words),
            "signer": Signer(
                name=_sourced(signer.name, words),
                position=_sourced(signer.position, words),
                authority=[_sourced(line, words) or line for line in signer.authority],
            ),
            "recipients": [_sourced(line, words) or line for line in metadata.recipients],
        }
    )
