"""The one rule every CSV writer applies to its cells, so that a spreadsheet never runs a plan's text as a formula.

Plans arrive from anyone, and a cell written "=HYPERLINK(…)", "@SUM(…)" or "-2+3+cmd|' /C calc'!A0" would be
evaluated by Excel or LibreOffice when the auditor opens the CSV (CSV injection). The OWASP rule is followed:
a cell starting with "=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe, which makes it
text ("'=HYPERLINK(…)" is shown, never run). Leading spaces do not hide a formula: " =1+1" is escaped too.

One exception, for the auditor's sake: a plain negative number ("-1250", "-0.12", "-1.250", "-0,5", "-3%")
and a lone dash ("-", the plans' "nothing here") are written as they are. They hold no operator and no
name a spreadsheet could call, so they cannot run anything, and a negative amount must stay a number the
spreadsheet can add up, not the text "'-1250". A number written with a plus sign is escaped: plans write
changes without it, and "+84…" is more often a telephone than an amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEADING_BLANKS = " \u00a0"
PLAIN_NEGATIVE = re.compile(r"-(?:[0-9]+(?:[.,][0-9]+)*%?)?")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: "=SUM(A1)" -> "'=SUM(A1)", "@x" -> "'@x", "- a" -> "'- a",
    "-2+3" -> "'-2+3"; "-1.250", "-0,12", "-" and "Cây Tắt" stay as they are."""
    start = value.lstrip(LEADING_BLANKS)
    if not start.startswith(FORMULA_STARTS) or PLAIN_NEGATIVE.fullmatch(start):
        return value
    return f"'{value}"


def safe_row(values: Iterable[str]) -> list[str]:
    """``spreadsheet_safe`` on every cell of a CSV line: ["r1", "=1+1", "-5"] -> ["r1", "'=1+1", "-5"]."""
    return [spreadsheet_safe(value) for value in values]
