"""Small builders for test inputs, so a new case is one line (eyecite's test_factories habit)."""

import hashlib

from models import Block, BlockKind, Document, ExtractedDocument, Metadata, SourceInfo, Span, TextStyle
from models.tables import Cell, Column, Row, Table


def make_document(*blocks: str | tuple[str, TextStyle]) -> Document:
    """A Document whose blocks are the given texts, one after another separated by newlines.

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
            )
        )
        pieces.append(text)
        offset += len(text) + 1
    text = "\n".join(pieces)
    source = SourceInfo(path="test.txt", sha256=hashlib.sha256(text.encode()).hexdigest(), format="txt")
    return Document(source=source, text=text, blocks=built)


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
    (columns 0 and 1 are the ordinal and the label)."""
    built = []
    for index, (kind, label, raws) in enumerate(rows):
        cells = [make_cell(column + 2, raw) for column, raw in enumerate(raws)]
        built.append(Row(id=f"r{index + 1}", index=index, label=label, kind=kind, cells=cells))
    return Table(id=table_id, columns=columns, rows=built, per_unit=True)


def document_with(table: Table) -> ExtractedDocument:
    """An extraction holding only ``table``: what the table checks read."""
    source = SourceInfo(path="table.txt", sha256="0" * 64, format="txt")
    return ExtractedDocument(source=source, text="", metadata=Metadata(), sections=[], tables=[table])
