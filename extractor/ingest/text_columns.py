"""Two blocks set side by side in a text export, read one after the other.

An administrative document sets its header and its signature in two columns: the issuing body beside the
national motto, the number beside the place and date, the recipients beside the signature. A text export
keeps them on shared lines: ``pdftotext -layout`` with a wide run of spaces between them, a Word table pasted
as text with a tab, a web page's layout table with pipes::

    ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    HUYỆN BẮC QUANG                        Độc lập - Tự do - Hạnh phúc
    Số: 186 /KH-UBND                     Bắc Quang, ngày 14 tháng 5 năm 2024
    …
    - Lưu: VT, NN.                                   Lương Văn Định
    ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |

Read as written, each line mixes two texts. ``unfold_columns`` finds such regions (runs of lines where some
line holds exactly two pieces) and lays each out as its left column, top to bottom, then its right column,
every piece keeping the number of the line it came from. A line of three pieces or more is a table row and is
left alone (the table finders read it), and so is every line outside a region.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from extractor import data
from extractor.normalize.patterns import alternation

# Two pieces of one line are this many spaces apart at least (justified text stretches a space to two).
MIN_GAP_SPACES = 3
# Blank lines a region may hold between two of its lines (a header's rows, a signature's space to sign).
MAX_BLANKS_IN_REGION = 2

# A run of spaces after one of these words is a blank left to fill in ("Số:     /KH-UBND"), not a column gap.
_BLANK_BEFORE = regex.compile(
    rf"(?i:(?<![\p{{L}}])(?:{alternation(data.cues().form_blank_after)})):? {{{MIN_GAP_SPACES},}}(?=\S)|"
    rf" {{{MIN_GAP_SPACES},}}(?=/)"
)
_SEPARATOR = regex.compile(rf"\t+| {{{MIN_GAP_SPACES},}}|[ \t]*\|[ \t]*")
_PIPE_EDGES = regex.compile(r"^[ \t]*\|?|\|?[ \t]*$")


@dataclass(frozen=True)
class Piece:
    """A piece of a line: its text (stripped) and the column it starts at in the line as written."""

    text: str
    start: int


def pieces(line: str) -> list[Piece]:
    """The texts a line holds, cut at tabs, at runs of three spaces or more and at pipes.

    "Số: 186 /KH-UBND       Bắc Quang, ngày 14 …" -> two pieces; "Số: 61/KH-UBND | Tuyên Quang, ngày … |" ->
    two; an indented paragraph -> one.
    """
    if not line.strip():
        return []
    body = _BLANK_BEFORE.sub(lambda match: match.group().replace(" ", "\x00"), line)  # kept whole
    if "|" in body:
        body = _PIPE_EDGES.sub(lambda match: " " * len(match.group()), body)
    found: list[Piece] = []
    position = 0
    for separator in [*_SEPARATOR.finditer(body), None]:
        end = separator.start() if separator else len(body)
        text = body[position:end]
        if text.strip():
            start = position + len(text) - len(text.lstrip())
            found.append(Piece(line[start : start + len(text.strip())].strip(), start))
        position = separator.end() if separator else end
    return found


def _is_rule(piece: Piece) -> bool:
    """A rule under a header block ("-------", "___"): no letter or digit."""
    return not any(char.isalnum() for char in piece.text)


def _region_end(split: Sequence[list[Piece]], start: int) -> int:
    """The line after a region opening at ``start``: it runs over lines of one or two pieces, across at most
    ``MAX_BLANKS_IN_REGION`` blank lines when a line of two pieces follows them. A line of one piece after
    blank lines ends it: the title centred under the header is such a line, and so is a signer's name alone
    under the recipients, which then comes right after the region, where it belongs."""
    end = start + 1
    index = start + 1
    while index < len(split):
        if len(split[index]) > 2:
            break
        if split[index]:
            end = index = index + 1
            continue
        blanks = index
        while blanks < len(split) and not split[blanks]:
            blanks += 1
        if blanks - index > MAX_BLANKS_IN_REGION or blanks >= len(split) or len(split[blanks]) != 2:
            break
        index = blanks
    return end


def _column_starts(split: Sequence[list[Piece]], start: int, end: int) -> tuple[float, float]:
    """Where the left and the right column start in the region's two-piece lines (the median of each)."""
    pairs = [line for line in split[start:end] if len(line) == 2]
    return statistics.median(line[0].start for line in pairs), statistics.median(
        line[1].start for line in pairs
    )


def _layout(split: Sequence[list[Piece]], start: int, end: int) -> list[tuple[int, str]]:
    """(line index, text) of a region: the left column's pieces, then the right column's. A line of one piece
    goes with the column whose start it is nearer ("KT. CHỦ TỊCH" centred under "TM. ỦY BAN NHÂN DÂN")."""
    left_start, right_start = _column_starts(split, start, end)
    left: list[tuple[int, str]] = []
    right: list[tuple[int, str]] = []
    for index in range(start, end):
        line = split[index]
        if len(line) == 2:
            left.append((index, line[0].text))
            right.append((index, line[1].text))
        elif len(line) == 1:
            nearer_right = abs(line[0].start - right_start) < abs(line[0].start - left_start)
            (right if nearer_right else left).append((index, line[0].text))
    return [(index, text) for index, text in left + right if text and not _is_rule(Piece(text, 0))]


def unfold_columns(lines: Sequence[str], keep: Sequence[bool]) -> list[tuple[int, str]]:
    """Lines in reading order as (index of the line they come from, text); ``keep[i]`` leaves line i as it is
    (a table row already found). Regions of two side-by-side columns are laid out column after column; a line
    outside them is given back unchanged, its trailing web-table pipe dropped ("Số: 57/KH-UBND |")."""
    split = [pieces(line) if not keep[index] else [] for index, line in enumerate(lines)]
    ordered: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        if keep[index] or len(split[index]) != 2:
            line = lines[index]
            if not keep[index] and len(split[index]) == 1 and line.rstrip().endswith("|"):
                line = line.rstrip().rstrip("|").rstrip()
            ordered.append((index, line))
            index += 1
            continue
        end = _region_end(split, index)
        ordered.extend(_layout(split, index, end))
        index = end
    return ordered
