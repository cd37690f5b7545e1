"""Build the section tree: numbered and formatting-only headings, nested, spanned and classified."""

from dataclasses import dataclass, field

import regex

from extractor.normalize.numbers import format_roman_numeral
from extractor.structure.kinds import classify_heading
from extractor.structure.numbering import HeadingNumber, parse_heading_number
from extractor.structure.zones import APPENDIX_HEADING, TABLE_CAPTION, Zones, find_zones, first_line
from models.document import Block, BlockKind, Document
from models.provenance import Span
from models.sections import Section

# A heading that a long paragraph opens ends at its first colon ("4. Công chức Tư pháp: Xây dựng …") or
# sentence end; past this many characters it is cut at a word boundary.
MAX_HEADING_CHARS = 200
# A bold block with no numbering is a heading only when it is short and does not end like a sentence.
MAX_UNNUMBERED_HEADING_WORDS = 14

_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)")
_ATTACHED_TO = regex.compile(r"\(?\s*(Kèm|kèm|KÈM|Ban hành kèm|ban hành kèm)\s+theo", regex.V1)


@dataclass
class _Open:
    """A section while the tree is being built (mutable; frozen into ``Section`` at the end)."""

    style: str
    numbering: str | None
    heading: str
    heading_span: Span
    start: int
    page: int | None
    end: int = 0
    children: list["_Open"] = field(default_factory=list)


def heading_text(text: str, number_end: int) -> tuple[int, int]:
    """Offsets of the heading words in a block: after the numbering, up to a colon or the first sentence.

    "2.2 Chỉ tiêu cụ thể giao các tổ dân phố: (Có biểu 01, 02, 03 kèm theo)." -> "Chỉ tiêu cụ thể giao các tổ dân phố".
    """
    line = text.split("\n", 1)[0]
    start = number_end
    while start < len(line) and line[start] in " \t":
        start += 1
    end = len(line)
    colon = line.find(":", start)
    if colon != -1 and colon - start <= MAX_HEADING_CHARS:
        end = colon
    elif sentence := _SENTENCE_END.search(line, start):
        end = sentence.start()
    if end - start > MAX_HEADING_CHARS:
        cut = line.rfind(" ", start, start + MAX_HEADING_CHARS)
        end = cut if cut > start else start + MAX_HEADING_CHARS
    while end > start and line[end - 1] in " .,;:-":
        end -= 1
    return start, end


def _unnumbered_heading(block: Block) -> bool:
    text = block.text.strip()
    words = text.split()
    return (
        block.style.bold
        and not block.style.centered
        and 0 < len(words) <= MAX_UNNUMBERED_HEADING_WORDS
        and not text.endswith((".", ";", ","))
    )


def heading_style(block: Block, in_appendix: bool) -> tuple[str, HeadingNumber | None] | None:
    """The numbering style that makes ``block`` a heading, or None for body text."""
    if block.kind == BlockKind.TABLE or block.in_layout_table:
        return None
    if APPENDIX_HEADING.match(first_line(block)):
        return "appendix", None
    if in_appendix:
        return None
    if number := parse_heading_number(block.text):
        if number.style == "decimal" and block.text[len(number.label) :].lstrip().startswith(")"):
            return "decimal_paren", number
        return number.style, number
    if _unnumbered_heading(block):
        return "unnumbered", None
    return None


def appendix_heading_text(text: str) -> tuple[int, int]:
    """An appendix is named by its whole first line, less the reference it is attached to:
    "PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024 (Kèm theo Kế hoạch số: …)" -> "PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024"."""
    line = text.split("\n", 1)[0]
    start = len(line) - len(line.lstrip())
    reference = _ATTACHED_TO.search(line)
    end = reference.start() if reference else len(line)
    while end > start and line[end - 1] in " .,;:-(":
        end -= 1
    return start, end


def _open_section(block: Block, style: str, number: HeadingNumber | None) -> _Open:
    if style == "appendix":
        start, end = appendix_heading_text(block.text)
    else:
        start, end = heading_text(block.text, number.end if number else 0)
    base = block.span.start
    return _Open(
        style=style,
        numbering=number.label if number else None,
        heading=block.text[start:end],
        heading_span=Span(start=base + start, end=base + end),
        start=base,
        page=block.page,
    )


def repair_dropped_numeral_strokes(opened: list[tuple[_Open, int]], blocks: list[Block]) -> None:
    """Give the Roman numbers of OCR'd headings their place in the sequence where OCR dropped a stroke.

    Tesseract reads "III." as "II." and "II." as "I." on many scans (the strokes touch), so a scanned plan's
    parts come out "I, I, II, IV". A run of Roman headings (restarting after each appendix) is renumbered
    1, 2, 3, … only when every number that is out of place was read from a scan and is its place's numeral
    with one "I" fewer: "I, I, II, IV" becomes "I, II, III, IV"; "I, II, IV" (a part really missing, or a
    typed plan's own slip) is left as written. The block keeps the text OCR read.
    """
    runs: list[list[tuple[_Open, int]]] = [[]]
    for section, index in opened:
        if section.style == "appendix":
            runs.append([])
        elif section.style == "roman":
            runs[-1].append((section, index))
    for run in runs:
        expected = [format_roman_numeral(place) for place in range(1, len(run) + 1)]
        wrong = [
            (section, numeral, index)
            for (section, index), numeral in zip(run, expected, strict=True)
            if section.numbering != numeral
        ]
        if wrong and all(
            blocks[index].confidence is not None
            and section.numbering is not None
            and _one_stroke_fewer(section.numbering, numeral)
            for section, numeral, index in wrong
        ):
            for section, numeral, _ in wrong:
                section.numbering = numeral


def _one_stroke_fewer(read: str, numeral: str) -> bool:
    """Whether ``read`` is ``numeral`` with one "I" left out: "II" of "III", "V" of "VI", "X" of "XI"."""
    return len(read) + 1 == len(numeral) and any(
        numeral[:place] + numeral[place + 1 :] == read
        for place in range(len(numeral))
        if numeral[place] == "I"
    )


def _nest(opened: list[tuple[_Open, int]], zone_end_of: dict[int, int]) -> list[_Open]:
    """Nest sections by numbering style: a style already open closes back to it (a sibling), a new style
    opens a child. Plans do not share one scheme, so the order is learnt from the document itself."""
    roots: list[_Open] = []
    stack: list[_Open] = []
    for section, index in opened:
        if section.style == "appendix":
            stack.clear()
        else:
            styles = [open_.style for open_ in stack]
            if section.style in styles:
                del stack[styles.index(section.style) :]
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
        section.end = zone_end_of[index]
    return roots


def _close_spans(sections: list[_Open], parent_end: int) -> None:
    """Each section ends where its next sibling starts, the last one where its parent ends."""
    for position, section in enumerate(sections):
        following = sections[position + 1].start if position + 1 < len(sections) else parent_end
        section.end = min(section.end, following) if section.end else following
        _close_spans(section.children, section.end)


def _freeze(section: _Open, path: str, level: int) -> Section:
    return Section(
        id=path,
        numbering=section.numbering,
        heading=section.heading,
        level=level,
        kinds=classify_heading(section.heading) if section.heading else ["other"],
        span=Span(start=section.start, end=section.end),
        heading_span=section.heading_span,
        page=section.page,
        children=[_freeze(child, f"{path}.{i}", level + 1) for i, child in enumerate(section.children, 1)],
    )


def _caption_inside_body(blocks: list[Block], index: int, closing: int) -> bool:
    """A "Biểu 01: …" line with numbered parts after it in the body captions the table it stands over (a
    report's "Biểu 01: Kết quả giảm nghèo năm 2022 theo xã" in part II.1), it does not open an appendix."""
    if not TABLE_CAPTION.match(first_line(blocks[index])):
        return False
    later = (heading_style(blocks[i], in_appendix=False) for i in range(index + 1, closing))
    return any(found is not None and found[0] not in ("appendix", "unnumbered") for found in later)


def build_sections(document: Document, zones: Zones | None = None) -> list[Section]:
    """The section tree of ``document``: body parts, then appendices after the signature."""
    zones = zones or find_zones(document)
    blocks = document.blocks
    body_end = blocks[zones.closing].span.start if zones.closing < len(blocks) else len(document.text)
    opened: list[tuple[_Open, int]] = []
    zone_end_of: dict[int, int] = {}
    body = range(zones.body_start, zones.closing)
    for index in [*body, *range(zones.appendix, len(blocks))]:
        found = heading_style(blocks[index], in_appendix=index >= zones.appendix)
        if found is None or (index in body and _caption_inside_body(blocks, index, zones.closing)):
            continue
        style, number = found
        opened.append((_open_section(blocks[index], style, number), index))
        zone_end_of[index] = body_end if index < zones.closing else len(document.text)
    repair_dropped_numeral_strokes(opened, blocks)
    roots = _nest(opened, zone_end_of)
    _close_spans(roots, len(document.text))
    return [_freeze(root, f"s{i}", 1) for i, root in enumerate(roots, 1)]
