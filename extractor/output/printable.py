"""File names made safe to print in a message: one line, no terminal control sequences.

On Unix a file name may hold any character but "/" and NUL. A newline in it would split one stderr message in
two (a script counting failed inputs by lines miscounts, and the second half can pose as a line of khplan's
own), and an ANSI escape sequence would recolour, clear or retitle the auditor's terminal. ``shown(path)``
writes such a name the way git does with ``core.quotePath``: in double quotes, with C escapes. An ordinary
name, Vietnamese letters included, is shown as it is.
"""

from __future__ import annotations

import os
import unicodedata

# Characters that change the layout or the direction of a terminal line without being seen: line and paragraph
# separators, and the bidirectional marks and overrides of "Trojan source" names (a ".pdf" shown as ".fdp").
INVISIBLE_LAYOUT = frozenset("\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
C_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", '"': '\\"'}
# os.fsdecode turns a byte that is not UTF-8 into a lone surrogate U+DC80..U+DCFF (PEP 383).
SURROGATE_BYTES = range(0xDC80, 0xDD00)


def needs_escape(char: str) -> bool:
    """Control characters (C0, DEL, C1), lone surrogates and invisible layout marks; "\\x1b" -> True, "ệ" -> False."""
    return char in INVISIBLE_LAYOUT or unicodedata.category(char) in ("Cc", "Cs")


def _escape_char(char: str) -> str:
    if char in C_ESCAPES:
        return C_ESCAPES[char]
    code = ord(char)
    if code in SURROGATE_BYTES:
        return f"\\x{code - 0xDC00:02x}"  # the byte the name really holds
    if code < 0x100 and needs_escape(char):
        return f"\\x{code:02x}"
    if needs_escape(char):
        return f"\\u{code:04x}"
    return char


def shown(path: str | os.PathLike[str]) -> str:
    """A path as a message shows it: as it is, or quoted with C escapes when it holds a control character.

    ``shown("kế hoạch 12.docx")`` -> ``kế hoạch 12.docx``;
    ``shown("plan\\n.txt")`` -> ``"plan\\n.txt"`` (backslash, n: one line);
    ``shown("\\x1b[2Jplan.pdf")`` -> ``"\\x1b[2Jplan.pdf"`` (the terminal is not cleared).
    A name that holds a double quote or a backslash is quoted too, so that no plain name reads like a quoted one.
    """
    text = os.fspath(path)
    if not any(needs_escape(char) or char in '"\\' for char in text):
        return text
    return '"' + "".join(_escape_char(char) for char in text) + '"'


def printable(text: str) -> str:
    """A message made one safe line: control characters written as escapes, nothing quoted.

    For text that is not a path but may carry one (a reason from a converter, a library's error):
    ``printable("could not read\\n\\x1b[31mplan")`` -> ``could not read\\n\\x1b[31mplan``.
    """
    if not any(needs_escape(char) for char in text):
        return text
    return "".join(_escape_char(char) if needs_escape(char) else char for char in text)
