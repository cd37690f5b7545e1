"""A finding that rests on a number OCR may have misread is a warning that names the doubtful value.

An auditor forgives a miss sooner than a false red mark, and a scan's "1,09" may be a "1,69" Tesseract was
unsure of. So after every rule has run, each finding whose cells include one read with a confidence below
``LOW_CONFIDENCE`` (a table cell's weakest word), or whose text lies in such a block, becomes a warning, and
its explanation says which value may be a misread ("1,09 was read from a scan and may be a misread (OCR
confidence 0,41)"). The arithmetic is left as it is: the finding still shows what disagrees.
"""

from __future__ import annotations

from extractor.checks.drafts import CellKey, Draft, reading
from extractor.normalize.tolerance import as_decimal, format_vi
from models.document import LOW_CONFIDENCE
from models.extracted import ExtractedDocument
from models.tables import Cell


def doubt_misreads(drafts: list[Draft], document: ExtractedDocument) -> list[Draft]:
    """``drafts`` with those resting on a low-confidence value made warnings naming it (others unchanged)."""
    doubtful = _doubtful_cells(document)
    blocks = [
        block
        for block in document.blocks
        if block.confidence is not None and block.confidence < LOW_CONFIDENCE
    ]
    if not doubtful and not blocks:
        return drafts
    for draft in drafts:
        cell = _doubtful_cell(draft, doubtful)
        if cell is not None:
            _make_warning(draft, cell.raw, cell.confidence)
            continue
        span = draft.location.span
        block = next(
            (b for b in blocks if span is not None and b.span.start < span.end and span.start < b.span.end),
            None,
        )
        if block is not None:
            quoted = document.text[span.start : span.end] if span is not None else block.text
            _make_warning(draft, quoted, block.confidence)
    return drafts


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
