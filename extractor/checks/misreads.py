"""A finding that rests on a number OCR may have misread is a warning that names the doubtful value.

An auditor forgives a miss sooner than a false red mark, and a scan's "1,09" may be a "1,69" Tesseract was
unsure of. So after every rule has run, each finding whose cells include one read with a confidence below
``LOW_CONFIDENCE`` (a table cell's weakest word), whose text overlaps a value marked ``low_confidence`` (a
target, an amount, a citation: the lowest confidence of the words it was read from), or whose text lies in a
block read below it, becomes a warning, and its explanation says which value may be a misread ("1,09 was
read from a scan and may be a misread (OCR confidence 0,41)"). The arithmetic is left as it is: the finding
still shows what disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.checks.drafts import CellKey, Draft, reading
from extractor.normalize.tolerance import as_decimal, format_vi
from models.extracted import ExtractedDocument
from models.provenance import LOW_CONFIDENCE, Span
from models.tables import Cell


def doubt_misreads(drafts: list[Draft], document: ExtractedDocument) -> list[Draft]:
    """``drafts`` with those resting on a low-confidence value made warnings naming it (others unchanged)."""
    doubtful = _doubtful_cells(document)
    blocks = [
        block
        for block in document.blocks
        if block.confidence is not None and block.confidence < LOW_CONFIDENCE
    ]
    values = _doubtful_values(document)
    if not doubtful and not blocks and not values:
        return drafts
    for draft in drafts:
        cell = _doubtful_cell(draft, doubtful)
        if cell is not None:
            _make_warning(draft, cell.raw, cell.confidence)
            continue
        span = draft.location.span
        value = next((v for v in values if span is not None and _overlaps(v, span)), None)
        if value is not None:
            _make_warning(draft, value.raw, value.confidence)
            continue
        block = next(
            (b for b in blocks if span is not None and b.span.start < span.end and span.start < b.span.end),
            None,
        )
        if block is not None:
            quoted = document.text[span.start : span.end] if span is not None else block.text
            _make_warning(draft, quoted, block.confidence)
    return drafts


@dataclass(frozen=True)
class DoubtfulValue:
    """A value of the text read below ``LOW_CONFIDENCE``: as written, where, and its confidence."""

    raw: str
    spans: tuple[Span, ...]
    confidence: float | None


def _doubtful_values(document: ExtractedDocument) -> list[DoubtfulValue]:
    """The low-confidence targets, amounts and citations, each with the places it was read from."""
    values = [
        DoubtfulValue(item.raw or "", (item.span, *(m.span for m in item.mentions)), item.confidence)
        for item in document.targets
        if item.low_confidence
    ]
    values += [
        DoubtfulValue(item.raw, (item.span,), item.confidence)
        for item in document.amounts
        if item.low_confidence
    ]
    values += [
        DoubtfulValue(item.mentions[0].raw, tuple(m.span for m in item.mentions), item.confidence)
        for item in document.citations
        if item.low_confidence and item.mentions
    ]
    return values


def _overlaps(value: DoubtfulValue, span: Span) -> bool:
    return any(place.start < span.end and span.start < place.end for place in value.spans)


def _doubtful_cells(document: ExtractedDocument) -> dict[CellKey, Cell]:
    return {
        (table.id, row.id, cell.column): cell
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        if cell.confidence is not None and cell.confidence < LOW_CONFIDENCE
    }


def _doubtful_cell(draft: Draft, doubtful: dict[CellKey, Cell]) -> Cell | None:
    for key in [*draft.cells, *draft.context]:
        if key in doubtful:
            return doubtful[key]
    if draft.column is not None:
        table_id, column = draft.column
        return next((cell for (t, _, c), cell in doubtful.items() if t == table_id and c == column), None)
    return None


def _make_warning(draft: Draft, value: str, confidence: float | None) -> None:
    shown = format_vi(as_decimal(round(confidence or 0.0, 2)), 2)
    doubt_en, doubt_vi = reading("ocr_misread", value=value, confidence=shown)
    draft.severity = "warning"
    draft.explanation = f"{draft.explanation}; {doubt_en}" if draft.explanation else doubt_en
    draft.explanation_vi = f"{draft.explanation_vi}; {doubt_vi}" if draft.explanation_vi else doubt_vi
