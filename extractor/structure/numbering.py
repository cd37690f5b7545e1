"""Heading numbers at the start of a block: "II.", "2.1.", "a)", "Phần thứ nhất".

One parser for every place that needs to know whether a line opens a numbered part.
"""

from dataclasses import dataclass

import regex

from extractor.normalize.numbers import parse_roman_numeral

# Ordered from outermost to innermost, as plans use them (Nghị định 30/2020 leaves the scheme free, but
# "Phần" > Roman > Arabic > Arabic with dots > letter is what administrative plans write).
STYLE_ORDER = ("part", "roman", "decimal", "decimal2", "decimal3", "letter")

_PART = regex.compile(r"^(Phần|PHẦN)\s+(thứ\s+|THỨ\s+)?(\p{L}+|\d+|[IVXLC]+)\b[.:]?\s*", regex.V1)
_ROMAN = regex.compile(r"^(?P<num>[IVXL]{1,6})\s*[.)/]\s*(?=\S)", regex.V1)
_DECIMAL_DOTTED = regex.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+|(?=\p{Lu}))", regex.V1)
_DECIMAL = regex.compile(r"^(?P<num>\d{1,2})\s*[.)]\s*(?=\p{L})", regex.V1)
_LETTER = regex.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?=\S)", regex.V1)


@dataclass(frozen=True)
class HeadingNumber:
    """The numbering that opens a block.

    ``style`` is one of STYLE_ORDER, ``label`` the number as written without trailing punctuation ("2.1"),
    ``end`` the offset in the block text where the heading words start.
    """

    style: str
    label: str
    end: int


def parse_heading_number(text: str) -> HeadingNumber | None:
    """Read the numbering at the start of ``text``; None when the block is not numbered.

    "II. MỤC TIÊU" -> roman II; "2.1 Tín dụng ưu đãi" -> decimal2 2.1; "b)Chỉ tiêu cụ thể" -> letter b;
    "2.405.000.000 đồng" -> None (a number, not a heading: dotted groups have one or two digits).
    """
    if match := _PART.match(text):
        return HeadingNumber("part", match.group(0).strip().rstrip(".:"), match.end())
    if (match := _ROMAN.match(text)) and parse_roman_numeral(match["num"]):
        return HeadingNumber("roman", match["num"], match.end())
    if match := _DECIMAL_DOTTED.match(text):
        depth = match["num"].count(".")
        return HeadingNumber("decimal2" if depth == 1 else "decimal3", match["num"], match.end())
    if match := _DECIMAL.match(text):
        return HeadingNumber("decimal", match["num"], match.end())
    if match := _LETTER.match(text):
        return HeadingNumber("letter", match["num"], match.end())
    return None
