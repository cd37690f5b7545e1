"""What a number is, as the words of its clause before it say: the label a finding names it by.

"Tổng kinh phí thực hiện: 1.500.000.000 đồng" -> "Tổng kinh phí thực hiện"; "1. Hỗ trợ làm nhà ở cho 05 hộ
× 40.000.000 đồng/hộ = 200.000.000 đồng" -> "Hỗ trợ làm nhà ở cho" for the 05 hộ that opens the cost line.
Bullets, numbering and the verbs that lead to a number ("là", "có", "gồm") are left out.
"""

from __future__ import annotations

import regex

from extractor import data
from extractor.normalize.patterns import alternation

_FLAGS = regex.V1 | regex.IGNORECASE
_BULLET = regex.compile(
    r"^[ \t\u00a0]*(?:[-+•*–][ \t]*)+|^[ \t\u00a0]*(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[IVX]+\.)[ \t]+", _FLAGS
)
LABEL_TRIM = " \t\u00a0-+•*:;,.=()"
_LABEL_TAIL = regex.compile(rf"(?:(?:^|\s+)(?:{alternation(data.cues().label_tail)}))+\s*$", _FLAGS)
# Where a clause starts before a number: a full stop and a space, a semicolon, a comma, a line break.
_CLAUSE_START = regex.compile(r"[.!?…](?=\s)|[;,\n]")
# A label longer than this many words is a sentence, not a name.
MAX_LABEL_WORDS = 12


def clean_label(label: str) -> str:
    """ "- Ngân sách tỉnh:" -> "Ngân sách tỉnh"; "2. Sửa nhà là" -> "Sửa nhà"."""
    label = label.replace("**", "").strip(LABEL_TRIM)
    label = _BULLET.sub("", label).strip(LABEL_TRIM)
    return _LABEL_TAIL.sub("", label).strip(LABEL_TRIM)


def clause_label(text: str, start: int) -> str | None:
    """The label of the number at ``start``: its clause's words before it, cleaned; None when there are none
    or they run past ``MAX_LABEL_WORDS`` (the last words are kept then)."""
    line_start = text.rfind("\n", 0, start) + 1
    clause_start = line_start
    for match in _CLAUSE_START.finditer(text, line_start, start):
        clause_start = match.end()
    words = clean_label(text[clause_start:start]).split()
    return " ".join(words[-MAX_LABEL_WORDS:]) or None
