"""Small builders for test inputs, so a new case is one line (eyecite's test_factories habit)."""

import hashlib

from models import Block, BlockKind, Document, SourceInfo, Span, TextStyle


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
