"""Page geometry for the PDF reader: glyphs → lines → segments → paragraphs, in reading order.

Pure Python over plain values, so every rule can be tested without a PDF. Coordinates are points with
the origin at the top-left corner of the page (pdfplumber's convention): ``top`` grows downwards.

The layouts this has to read are those of Vietnamese administrative documents printed from Word or
LibreOffice: a justified body with a first-line indent, numbered headings ("I.", "1.", "2.1.", "a)"),
and a header and a signature set side by side in borderless tables, for example::

    ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
      XÃ CAO NHÂN               Độc lập – Tự do – Hạnh phúc

Both lines share a baseline; they must come out as two blocks, the left one first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from extractor import data
from extractor.normalize.patterns import alternation, capitalized
from extractor.normalize.text import is_broken_token
from models.document import WordRead

# A gap wider than this many font sizes between two glyphs on one baseline separates two columns
# (a header's issuing body and its national motto); justified body text never stretches a space so far.
COLUMN_GAP_IN_SIZES = 2.0
# A gap wider than this many font sizes inside a segment is a space even when the PDF has no space glyph.
SPACE_GAP_IN_SIZES = 0.18
# Glyphs whose vertical centres differ by less than this many font sizes sit on one line.
SAME_LINE_IN_SIZES = 0.4
# A line ending within this many font sizes of the text column's right edge was wrapped, not ended.
WRAP_SLACK_IN_SIZES = 3.0
# A first line indented by more than this many font sizes starts a new paragraph.
INDENT_IN_SIZES = 0.6
# Line pitch (baseline to baseline) as a multiple of the font size when a document gives no evidence.
DEFAULT_PITCH_RATIO = 1.2
# A line further below the previous one than the normal pitch plus this many font sizes starts a block.
EXTRA_GAP_IN_SIZES = 0.2
# Running headers and footers sit within the top or bottom tenth of a page, and never further from its edge
# than two inches (144 pt), however tall the page: on a 200-inch page the top tenth is body text.
MAX_FURNITURE_BAND_POINTS = 144.0

# The start of a numbered heading or list item: "I.", "IV.", "1.", "2.1.", "2.1.1", "a)", "b.", "- ", "+ ",
# "•", "Phần thứ nhất", "Điều 3". Every one of them begins a block of its own.
LIST_OR_HEADING_START = re.compile(
    r"""^(?:
        [IVXLC]+[.)](?:\s|$)                      # I.  II)  IV.
      | \d{1,2}(?:\.\d{1,2})*[.)](?:\s|$)          # 1.  2.1.  3)
      | \d{1,2}(?:\.\d{1,2})+\s+[^\d\s]             # 2.1 Tín dụng ưu đãi
      | [a-zđ][.)](?:\s|$)                        # a)  b.  đ)
      | (?:PART_WORDS)\s+(?:thứ|THỨ|[IVXLC\d])      # Phần thứ nhất, Chương II, Điều 3
    )""".replace("PART_WORDS", alternation(capitalized(data.cues().part_words))),
    re.VERBOSE,
)
# A bullet: "- ", "+ ", "•". After a wrapped line a dash may also be text cut at a space ("kinh tế" / "- xã hội").
BULLET_START = re.compile(r"^[-+–•*·▪○●◦]")
# A short label that a tab may separate from its text ("I." ⇥ "Mục đích"): never a column of its own.
LIST_LABEL_ONLY = re.compile(r"^(?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?$|^[-+–•*·▪○●◦]$")
# Bare page numbers: "1", "- 2 -", "– 3 –", "Trang 3", "Page 3", "3/12", "Trang 3/12".
PAGE_NUMBER = re.compile(
    r"^(?:(?:trang|page)\s*)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:/|trên|of)\s*\d{1,4})?$", re.IGNORECASE
)


class Glyph(NamedTuple):
    """One character as the PDF draws it, with its box in points (top-left origin).

    ``space_before`` records a space the PDF wrote (or PDFium inferred) just before this glyph.
    ``order`` is the glyph's index in the content stream, which keeps combining marks after their base.
    ``confidence`` is the OCR confidence of the word a glyph of a scanned page belongs to (None when read).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    italic: bool
    space_before: bool
    order: int
    confidence: float | None = None


@dataclass(frozen=True)
class Segment:
    """A run of glyphs on one baseline with no column gap inside: "ỦY BAN NHÂN DÂN" in a header."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float
    size: float
    bold: bool
    italic: bool
    upper_letters: int = 0
    letters: int = 0
    confidence: float | None = None
    words: tuple[WordRead, ...] = ()

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class Line:
    """All segments on one baseline of a page, left to right."""

    segments: tuple[Segment, ...]
    page: int

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    @property
    def top(self) -> float:
        return min(segment.top for segment in self.segments)

    @property
    def bottom(self) -> float:
        return max(segment.bottom for segment in self.segments)


@dataclass(frozen=True)
class TextColumn:
    """Where the body text of a page sits: its left and right edges in points."""

    left: float
    right: float

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass(frozen=True)
class LayoutSettings:
    """What the paragraph builder knows about the whole document before it starts."""

    pitch_ratio: float = DEFAULT_PITCH_RATIO

    def max_pitch(self, size: float) -> float:
        """The largest baseline distance between two lines of one paragraph set at ``size`` points."""
        return self.pitch_ratio * size + EXTRA_GAP_IN_SIZES * size + 0.5


@dataclass
class Paragraph:
    """A block being built: its segments top to bottom and the text joined so far."""

    segments: list[Segment]
    text: str
    line_breaks: list[str] = field(default_factory=list)

    @property
    def last(self) -> Segment:
        return self.segments[-1]

    @property
    def first(self) -> Segment:
        return self.segments[0]

    @property
    def x0(self) -> float:
        return min(segment.x0 for segment in self.segments)

    @property
    def x1(self) -> float:
        return max(segment.x1 for segment in self.segments)

    @property
    def top(self) -> float:
        return self.segments[0].top

    @property
    def bottom(self) -> float:
        return max(segment.bottom for segment in self.segments)


# ---------------------------------------------------------------------------------------------------
# Glyphs → lines → segments
# ---------------------------------------------------------------------------------------------------


def group_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """Group a page's glyphs into lines, top to bottom, each cut at column gaps into segments.

    "Số: 267/KH-UBND" and "Yên Châu, ngày 19 tháng 10 năm 2021" share a baseline 100 pt apart: one line,
    two segments. Glyphs are first chained in content-stream order into runs (which keeps a tall "Ủ"
    or a combining mark with its word), then runs on one baseline are put side by side.
    """
    lines = []
    for row in _rows_by_baseline(_stream_runs(glyphs)):
        segments = tuple(_segment(run, page) for run in _merge_touching(row))
        lines.append(Line(segments=segments, page=page))
    return lines


def _stream_runs(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Chain glyphs in content-stream order while they stay on one baseline and close together."""
    runs: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda glyph: glyph.order):
        if runs:
            previous = runs[-1][-1]
            size = max(glyph.size, previous.size, 1.0)
            gap = glyph.x0 - previous.x1
            same_line = abs(glyph.baseline - previous.baseline) <= SAME_LINE_IN_SIZES * size
            if same_line and -0.5 * size <= gap <= COLUMN_GAP_IN_SIZES * size:
                runs[-1].append(glyph)
                continue
        runs.append([glyph])
    return runs


def _rows_by_baseline(runs: list[list[Glyph]]) -> list[list[list[Glyph]]]:
    """Put runs whose baselines agree into one row; rows come top to bottom."""
    keyed = sorted(((_median([glyph.baseline for glyph in run]), run) for run in runs), key=_first)
    rows: list[list[list[Glyph]]] = []
    row_baseline = 0.0
    for baseline, run in keyed:
        size = max(run[0].size, 1.0)
        if rows and baseline - row_baseline <= SAME_LINE_IN_SIZES * size:
            rows[-1].append(run)
        else:
            rows.append([run])
            row_baseline = baseline
    return rows


def _first(pair: tuple[float, list[Glyph]]) -> float:
    return pair[0]


def _merge_touching(row: list[list[Glyph]]) -> list[list[Glyph]]:
    """Place a row's runs left to right and join those not separated by a column gap."""
    merged: list[list[Glyph]] = []
    for run in sorted(row, key=lambda run: min(glyph.x0 for glyph in run)):
        if merged and _touches(merged[-1], run):
            merged[-1] = merged[-1] + run
        else:
            merged.append(run)
    return merged


def _touches(left: list[Glyph], right: list[Glyph]) -> bool:
    right_edge = max(glyph.x1 for glyph in left)
    left_edge = min(glyph.x0 for glyph in right)
    size = max(left[-1].size, right[0].size, 1.0)
    if left_edge - right_edge <= COLUMN_GAP_IN_SIZES * size:
        return True
    label = "".join(glyph.text for glyph in left).strip()
    return bool(LIST_LABEL_ONLY.match(label)) and left_edge - right_edge <= 8 * size


def _segment(run: list[Glyph], page: int) -> Segment:
    parts: list[str] = []
    previous: Glyph | None = None
    for glyph in run:
        if previous is not None and _space_between(previous, glyph):
            parts.append(" ")
        parts.append(glyph.text)
        previous = glyph
    text = "".join(parts).strip()
    sizes = [glyph.size for glyph in run]
    bold = sum(1 for glyph in run if glyph.bold)
    italic = sum(1 for glyph in run if glyph.italic)
    letters = [char for char in text if char.isalpha()]
    return Segment(
        text=text,
        page=page,
        x0=min(glyph.x0 for glyph in run),
        top=_median([glyph.top for glyph in run]),
        x1=max(glyph.x1 for glyph in run),
        bottom=_median([glyph.bottom for glyph in run]),
        baseline=_median([glyph.baseline for glyph in run]),
        size=_median(sizes),
        bold=bold * 2 > len(run),
        italic=italic * 2 > len(run),
        upper_letters=sum(1 for char in letters if char.isupper()),
        letters=len(letters),
        confidence=_mean_confidence(run),
        words=_ocr_words(run),
    )


def _ocr_words(run: list[Glyph]) -> tuple[WordRead, ...]:
    """The OCR words of a run, each with its confidence (the lowest of its glyphs'); () for drawn text.

    A word is what lies between spaces, as the segment's text writes them: "Giảm 1,09%" gives "Giảm" and
    "1,09%", whatever Tesseract's own split was.
    """
    if run[0].confidence is None:
        return ()
    words: list[WordRead] = []
    letters: list[str] = []
    lowest = 1.0
    previous: Glyph | None = None
    for glyph in run:
        if letters and (glyph.text.isspace() or (previous is not None and _space_between(previous, glyph))):
            words.append(WordRead(text="".join(letters), confidence=round(lowest, 4)))
            letters, lowest = [], 1.0
        if not glyph.text.isspace():
            letters.append(glyph.text)
            lowest = min(lowest, glyph.confidence if glyph.confidence is not None else 1.0)
        previous = glyph
    if letters:
        words.append(WordRead(text="".join(letters), confidence=round(lowest, 4)))
    return tuple(words)


def _mean_confidence(run: list[Glyph]) -> float | None:
    """The mean OCR confidence of a run's glyphs; None for glyphs the PDF itself drew."""
    if run[0].confidence is None:
        return None
    return sum(glyph.confidence or 0.0 for glyph in run) / len(run)


def _median(values: list[float]) -> float:
    """The middle value (upper middle for an even count): cheaper than ``statistics.median`` per segment."""
    return sorted(values)[len(values) // 2]


def _space_between(previous: Glyph, glyph: Glyph) -> bool:
    if glyph.space_before:
        return True
    return glyph.x0 - previous.x1 > SPACE_GAP_IN_SIZES * max(glyph.size, previous.size, 1.0)


# ---------------------------------------------------------------------------------------------------
# Running headers, footers and page numbers
# ---------------------------------------------------------------------------------------------------


def is_page_number(text: str) -> bool:
    """True for a bare page number: "3", "- 2 -", "Trang 3", "3/12"."""
    return bool(PAGE_NUMBER.match(text.strip()))


def find_page_furniture(pages: list[list[Line]], page_heights: list[float], margin: float = 0.1) -> set[int]:
    """Return ids of the lines that are page furniture rather than text.

    A line counts when it is among the first two or last two lines of its page, lies in the top or
    bottom band of the page (``margin`` of its height, at most ``MAX_FURNITURE_BAND_POINTS``), and is
    either a bare page number or repeats, with its digits masked, in the same band of at least half the
    pages (and at least two). "Trang 2" in a footer of page 2 and "Kế hoạch giảm nghèo năm 2024 - 3" at the
    top of every page both go; two first lines of one page that differ only in their numbers ("Dòng 1",
    "Dòng 2") repeat on one page only, and stay.
    """
    candidates: list[tuple[Line, str, int]] = []
    for index, (lines, height) in enumerate(zip(pages, page_heights, strict=True)):
        band = min(margin * height, MAX_FURNITURE_BAND_POINTS)
        for line in lines[:2]:
            if line.bottom <= band:
                candidates.append((line, "top", index))
        for line in lines[-2:]:
            if line.top >= height - band:
                candidates.append((line, "bottom", index))
    pages_with: dict[tuple[str, str], set[int]] = {}
    for line, band_name, index in candidates:
        pages_with.setdefault((band_name, _digits_masked(line.text)), set()).add(index)
    needed = max(2, (len(pages) + 1) // 2)
    furniture = set()
    for line, band_name, _ in candidates:
        if is_page_number(line.text) or len(pages_with[(band_name, _digits_masked(line.text))]) >= needed:
            furniture.add(id(line))
    return furniture


def _digits_masked(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


# ---------------------------------------------------------------------------------------------------
# Segments → paragraphs
# ---------------------------------------------------------------------------------------------------


def estimate_pitch_ratio(pages: list[list[Line]]) -> float:
    """The usual baseline-to-baseline distance over the font size, read from consecutive body lines.

    A body set at 14 pt with single spacing in Liberation Serif gives a pitch of about 17.7 pt (1.26).
    """
    ratios: Counter[float] = Counter()
    for lines in pages:
        for upper, lower in pairwise(lines):
            if len(upper.segments) != 1 or len(lower.segments) != 1:
                continue
            a, b = upper.segments[0], lower.segments[0]
            if abs(a.size - b.size) > 0.5 or a.size <= 0:
                continue
            ratio = (b.baseline - a.baseline) / a.size
            if 0.9 <= ratio <= 2.5:
                ratios[round(ratio, 2)] += 1
    if not ratios:
        return DEFAULT_PITCH_RATIO
    best, _ = ratios.most_common(1)[0]
    # Take the smallest well-attested ratio near the most common one: lines inside a paragraph.
    close = [ratio for ratio, count in ratios.items() if count >= 2 and ratio <= best + 0.03]
    return min(close) if close else best


def text_column(lines: list[Line]) -> TextColumn | None:
    """The page's body column: the most common left edge of full-width lines and their right edge.

    Justified lines all end at the right margin (537.5 pt on an A4 page with a 2 cm right margin).
    """
    singles = [line.segments[0] for line in lines if len(line.segments) == 1]
    if not singles:
        return None
    right = Counter(round(segment.x1) for segment in singles)
    left = Counter(round(segment.x0) for segment in singles)
    right_edge = max(edge for edge, count in right.items() if count >= right.most_common(1)[0][1] / 2)
    left_edge = min(edge for edge, count in left.items() if count >= left.most_common(1)[0][1] / 2)
    if right_edge - left_edge < 50:
        return TextColumn(min(s.x0 for s in singles), max(s.x1 for s in singles))
    return TextColumn(float(left_edge), float(right_edge))


def build_paragraphs(
    lines: list[Line], column: TextColumn | None, settings: LayoutSettings
) -> list[Paragraph]:
    """Join a page's segments into paragraphs, each column on its own.

    A segment continues the paragraph whose last segment is straight above it when the gap is one normal
    line pitch, size and weight agree, it does not start with a numbering ("2.1.", "a)", "- ") and either
    the line above ran to the right edge (a wrap) or both lines are centred on one axis (a title or
    header written over two lines). Paragraphs come back in the order they start.
    """
    paragraphs: list[Paragraph] = []
    wide_lines = {id(line.segments[0]) for line in lines if len(line.segments) == 1}
    for line in lines:
        for segment in line.segments:
            above = _paragraph_above(paragraphs, segment)
            joiner = None
            if above is not None:
                joiner = _continuation(above, segment, column, settings, id(above.last) in wide_lines)
            if above is not None and joiner is not None:
                above.text = _join(above.text, joiner, segment.text)
                above.segments.append(segment)
                above.line_breaks.append(joiner)
            else:
                paragraphs.append(Paragraph(segments=[segment], text=segment.text))
    return paragraphs


def _paragraph_above(paragraphs: list[Paragraph], segment: Segment) -> Paragraph | None:
    """The paragraph whose last segment is the nearest one above ``segment`` and overlaps it sideways."""
    best: Paragraph | None = None
    for paragraph in paragraphs:
        last = paragraph.last
        if last.baseline > segment.baseline - 0.5 * segment.size:
            continue
        if min(last.x1, segment.x1) - max(last.x0, segment.x0) <= 0:
            continue
        if best is None or last.baseline > best.last.baseline:
            best = paragraph
    return best


def _continuation(
    paragraph: Paragraph,
    segment: Segment,
    column: TextColumn | None,
    settings: LayoutSettings,
    above_is_wide: bool,
) -> str | None:
    """How ``segment`` joins ``paragraph`` (" " for a wrap, "\\n" for a deliberate line break), or None."""
    last = paragraph.last
    size = max(last.size, segment.size)
    wrapped = above_is_wide and column is not None and last.x1 >= column.right - WRAP_SLACK_IN_SIZES * size
    if starts_item(segment.text, after_wrap=wrapped and not _ends_sentence(paragraph.text)):
        return None
    if abs(last.size - segment.size) > 0.6 or last.bold != segment.bold:
        return None
    if segment.baseline - last.baseline > settings.max_pitch(size):
        return None
    if wrapped:
        return " " if _keeps_left_edge(paragraph, segment, size) else None
    if _is_centred_under(last, segment, size, column):
        return "\n"
    if (
        not above_is_wide
        and not _ends_sentence(paragraph.text)
        and 0 <= segment.x0 - paragraph.x0 <= 2 * size
    ):
        return " "  # a wrap inside a side column: "- Thường trực Đảng ủy, HĐND phường" / "(B/c);"
    return None


def starts_item(text: str, after_wrap: bool = False) -> bool:
    """True when a line opens a heading or list item: "II. Mục tiêu", "2.1 Tín dụng", "a) …", "- Lưu: VT".

    ``after_wrap`` says the line above ran to the right margin in mid-sentence. A dash is then more
    likely text cut at its space ("Lao động" / "– Thương binh và Xã hội") than a new item, so a bullet
    alone does not decide; the line's left edge does.
    """
    if LIST_OR_HEADING_START.match(text):
        return True
    return not after_wrap and BULLET_START.match(text) is not None


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in (".", ";", ":", "!", "?")


def _keeps_left_edge(paragraph: Paragraph, segment: Segment, size: float) -> bool:
    """A wrapped line starts at the paragraph's body edge, not indented like a new first line."""
    indent = INDENT_IN_SIZES * size
    if len(paragraph.segments) >= 2:
        return abs(segment.x0 - paragraph.segments[1].x0) <= indent
    first = paragraph.first
    if segment.x0 <= first.x0 + indent:
        return True  # flush or a first-line indent above
    return bool(LIST_OR_HEADING_START.match(first.text))  # a hanging indent under "1. …"


def _is_centred_under(last: Segment, segment: Segment, size: float, column: TextColumn | None) -> bool:
    if abs(last.center - segment.center) > 0.75 * size:
        return False
    # Two short lines both flush with the left margin are two paragraphs, not one centred title.
    return column is None or abs(last.x0 - column.left) > 1 or abs(segment.x0 - column.left) > 1


def _join(text: str, joiner: str, addition: str) -> str:
    """Join a wrapped line: a hyphen glued to its word stays and takes no space ("12-" + "NQ/ĐU"), nor does
    a number cut after a thousands dot ("2.405.000." + "000 đồng")."""
    if joiner == " " and len(text) >= 2 and text[-1] in "-/" and not text[-2].isspace():
        return text + addition
    if joiner == " " and is_broken_token(text, addition):
        return text + addition
    return text + joiner + addition


# ---------------------------------------------------------------------------------------------------
# Reading order
# ---------------------------------------------------------------------------------------------------


class Placed(NamedTuple):
    """Anything with a box on a page that must be put in reading order (a paragraph or a table).

    ``size`` is its font size and ``first_baseline``/``last_baseline`` the baselines of its first and
    last lines (for a table: its top and bottom).
    """

    x0: float
    top: float
    x1: float
    bottom: float
    item: object
    size: float
    first_baseline: float
    last_baseline: float


def reading_order(items: list[Placed], settings: LayoutSettings | None = None) -> list[Placed]:
    """Order a page's blocks: bands top to bottom; inside a band, columns left to right.

    A band is a run of blocks that overlap vertically (a header row, a signature with the recipients
    beside it), extended by the blocks below it that continue its columns at the normal line pitch.
    Inside a band the left column is read top to bottom before the right one, so "Nơi nhận:" and its
    whole list come before "TM. ỦY BAN NHÂN DÂN". A header's second row ("Số: …" beside the date) sits
    further down than one line pitch and stays a band of its own, read after the first row.
    """
    return [item for band in page_bands(items, settings) for column in band for item in column]


def page_bands(items: list[Placed], settings: LayoutSettings | None = None) -> list[list[list[Placed]]]:
    """A page's blocks as bands (top to bottom) of columns (left to right) of blocks (top to bottom)."""
    settings = settings or LayoutSettings()
    bands = _merge_continued_bands(_bands(sorted(items, key=lambda item: (item.top, item.x0))), settings)
    return [
        [sorted(column, key=lambda item: (item.top, item.x0)) for column in _columns(band)] for band in bands
    ]


def continue_band_across_pages(
    last_band: list[list[Placed]], next_bands: list[list[list[Placed]]], settings: LayoutSettings
) -> tuple[list[list[Placed]], int]:
    """Join a side-by-side band cut by a page break with its rest at the top of the next page.

    A signature table split over two pages leaves "Nơi nhận:", two recipients and "TM. ỦY BAN NHÂN
    DÂN" at the foot of one page, the other recipients and the signer's name at the top of the next.
    The next page's bands join while each of their blocks lies under exactly one column of
    ``last_band`` and (after the first) one of them is its column's next line. Returns the joined
    columns and how many of ``next_bands`` they took (0: nothing joined).
    """
    if len(last_band) < 2:
        return last_band, 0
    spans = [(min(item.x0 for item in column), max(item.x1 for item in column)) for column in last_band]
    joined = [list(column) for column in last_band]
    added: list[list[Placed]] = [[] for _ in last_band]
    taken = 0
    for band in next_bands:
        placement = []
        continues = taken == 0
        for item in (item for column in band for item in column):
            under = [i for i, (x0, x1) in enumerate(spans) if min(x1, item.x1) - max(x0, item.x0) > 0]
            if len(under) != 1:
                return joined, taken
            placement.append((under[0], item))
            previous = added[under[0]][-1] if added[under[0]] else None
            size = max(item.size, 1.0)
            if (
                previous is not None
                and 0 < item.first_baseline - previous.last_baseline <= settings.max_pitch(size)
            ):
                continues = True
        if not continues:
            break
        for index, item in placement:
            joined[index].append(item)
            added[index].append(item)
        taken += 1
    return joined, taken


def _bands(items: list[Placed]) -> list[list[Placed]]:
    bands: list[list[Placed]] = []
    band_bottom = float("-inf")
    for item in items:
        if bands and item.top < band_bottom - 1.0:
            bands[-1].append(item)
            band_bottom = max(band_bottom, item.bottom)
        else:
            bands.append([item])
            band_bottom = item.bottom
    return bands


def _merge_continued_bands(bands: list[list[Placed]], settings: LayoutSettings) -> list[list[Placed]]:
    merged: list[list[Placed]] = []
    for band in bands:
        if merged and _continues_columns(merged[-1], band, settings):
            merged[-1] = merged[-1] + band
        else:
            merged.append(band)
    return merged


def _continues_columns(band: list[Placed], below: list[Placed], settings: LayoutSettings) -> bool:
    """True when every block of ``below`` sits under exactly one column of a side-by-side ``band`` and
    one of them is that column's next line ("- Các ngành liên quan;" under the recipients list)."""
    columns = _columns(band)
    if len(columns) < 2:
        return False
    continues = False
    for item in below:
        touched = [column for column in columns if any(_overlap_x(member, item) for member in column)]
        if len(touched) != 1:
            return False
        above = max(touched[0], key=lambda member: member.last_baseline)
        size = max(item.size, above.size, 1.0)
        if 0 < item.first_baseline - above.last_baseline <= settings.max_pitch(size):
            continues = True
    return continues


def _overlap_x(a: Placed, b: Placed) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def _columns(band: list[Placed]) -> list[list[Placed]]:
    """Split a band's blocks into columns: blocks that overlap sideways share a column."""
    columns: list[list[Placed]] = []
    spans: list[tuple[float, float]] = []
    for item in sorted(band, key=lambda item: item.x0):
        for index, (left, right) in enumerate(spans):
            if min(right, item.x1) - max(left, item.x0) > 0:
                columns[index].append(item)
                spans[index] = (min(left, item.x0), max(right, item.x1))
                break
        else:
            columns.append([item])
            spans.append((item.x0, item.x1))
    return [column for _, column in sorted(zip(spans, columns, strict=True), key=lambda pair: pair[0][0])]
