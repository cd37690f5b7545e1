"""Small builders for test inputs, so a new case is one line (eyecite's test_factories habit)."""

import hashlib
from pathlib import Path

from extractor.normalize.text import normalize_text
from extractor.structure.plan_text import PlanText
from extractor.structure.sections import build_sections
from extractor.tables import read_identities
from models import (
    Block,
    BlockKind,
    Document,
    ExtractedDocument,
    Metadata,
    Section,
    SourceInfo,
    Span,
    TextStyle,
)
from models.tables import Cell, Column, Row, Table


def make_document(*blocks: str | tuple[str, TextStyle], page: int | None = None) -> Document:
    """A Document whose blocks are the given texts, one after another separated by newlines, all on ``page``.

    ``make_document("KẾ HOẠCH", "Giảm nghèo năm 2024", ("I. MỤC TIÊU", TextStyle(bold=True)))``
    """
    built, pieces, offset = [], [], 0
    for item in blocks:
        text, style = item if isinstance(item, tuple) else (item, TextStyle())
        built.append(
            Block(
                kind=BlockKind.PARAGRAPH,
                text=text,
                span=Span(start=offset, end=offset + len(text)),
                style=style,
                page=page,
            )
        )
        pieces.append(text)
        offset += len(text) + 1
    text = "\n".join(pieces)
    source = SourceInfo(path="test.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), format="txt")
    return Document(source=source, text=text, blocks=built)


def make_plan(
    *lines: str, unit_name: str | None = None, sections: bool = True, page: int | None = None
) -> PlanText:
    """The ``PlanText`` the entity and table stages read, for a document whose blocks are ``lines``, with its
    section tree read by the structure stage (``sections=False`` for none).

    ``make_plan("II. MỤC TIÊU", "- Giảm tỷ lệ hộ nghèo còn 1,94%.", unit_name="Sơn Tây")``
    """
    document = make_document(*lines, page=page)
    return PlanText(document, build_sections(document) if sections else [], unit_name)


def make_section(
    start: int, end: int, section_id: str = "s1", kinds: tuple[str, ...] = ("other",)
) -> Section:
    """A top-level section over ``[start, end)`` whose heading is its first character."""
    return Section(
        id=section_id,
        numbering=None,
        heading="",
        level=1,
        kinds=list(kinds),
        span=Span(start=start, end=end),
        heading_span=Span(start=start, end=start),
    )


def text_plan(
    text: str,
    body_start: int | None = None,
    pages: tuple[int, ...] | None = None,
    unit_name: str | None = None,
    sections: list[Section] | None = None,
) -> PlanText:
    """A ``PlanText`` over ``text`` (one block per line, ``pages[i]`` the page of line i) whose numbered body
    starts at ``body_start`` (one section from there to the end), or with the given ``sections``, or none."""
    lines = text.split("\n")
    document = make_document(*lines)
    if pages is not None:
        blocks = [
            block.model_copy(update={"page": page})
            for block, page in zip(document.blocks, pages, strict=True)
        ]
        document = document.model_copy(update={"blocks": blocks})
    if sections is None:
        sections = [make_section(body_start, len(text))] if body_start is not None else []
    return PlanText(document, sections, unit_name)


def plan_of_file(path: Path, unit_name: str | None = None) -> PlanText:
    """A corpus text file as ``make_plan`` reads it: normalized, one block per line."""
    return make_plan(*normalize_text(path.read_text(encoding="utf-8")).split("\n"), unit_name=unit_name)


def make_cell(column: int, raw: str) -> Cell:
    """A typed cell from its written form: "2,19" -> percent-like number with 2 decimals, "" -> empty."""
    text = raw.strip().rstrip("%")
    if not text:
        return Cell(column=column, raw=raw, type="empty")
    if any(char.isalpha() for char in text):
        return Cell(column=column, raw=raw, type="text")
    decimals = len(text.split(",", 1)[1]) if "," in text else 0
    value = float(text.replace(",", ".")) if decimals else int(text)
    return Cell(
        column=column,
        raw=raw,
        value=value,
        decimals=decimals,
        type="percent" if decimals or raw.endswith("%") else "count",
    )


def make_table(columns: list[Column], rows: list[tuple[str, str, list[str]]], table_id: str = "t1") -> Table:
    """A table from (kind, label, cells written as in the document) rows; cell i goes to column i + 2
    (columns 0 and 1 are the ordinal and the label). Its identities are read as the tables stage reads them
    (``read_identities``): formulas from the columns' roles and links, row sums from the kinds."""
    built = []
    for index, (kind, label, raws) in enumerate(rows):
        cells = [make_cell(column + 2, raw) for column, raw in enumerate(raws)]
        built.append(Row(id=f"r{index + 1}", index=index, label=label, kind=kind, cells=cells))
    return read_identities(Table(id=table_id, columns=columns, rows=built, per_unit=True))


def document_with(table: Table) -> ExtractedDocument:
    """An extraction holding only ``table``: what the table checks read."""
    source = SourceInfo(path="table.txt", sha256="0" * 64, format="txt")
    return ExtractedDocument(source=source, text="", metadata=Metadata(), sections=[], tables=[table])
