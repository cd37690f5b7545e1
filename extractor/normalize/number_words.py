"""Vietnamese numbers written in words: "Hai tỷ bốn trăm linh năm triệu đồng" = 2.405.000.000 đồng.

Funding parts spell their totals out ("(Bằng chữ: Chín trăm hai mươi tư triệu không trăm lẻ năm nghìn
đồng)") so the checks can compare the words with the digits. The grammar read here:

- digits: không 0, một 1, hai 2, ba 3, bốn 4, năm 5, sáu 6, bảy/bẩy 7, tám 8, chín 9;
- tens: "mười" for 10-19 ("mười lăm" 15), "<digit> mươi" for 20-90 ("hai mươi tư" 24); after tens 1 may be
  "mốt", 4 may be "tư", 5 is usually "lăm"; "mười" is also tolerated for "mươi" ("hai mười");
- an empty tens place is "linh" or "lẻ" ("một trăm linh năm" 105, "linh tư" 4);
- hundreds "<digit> trăm", with "không trăm" for an empty hundreds place after a larger scale
  ("một nghìn không trăm linh năm" 1005);
- scales nghìn/ngàn 10^3, triệu 10^6, tỷ/tỉ 10^9, and their compounds ("một nghìn tỷ" 10^12).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, NamedTuple

import regex

from extractor import data

DIGIT_WORDS: dict[str, int] = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
# The ones digit after "mươi"/"mười" may take a special form: "hai mươi mốt" 21, "hai mươi tư" 24, "mười lăm" 15.
AFTER_TENS_WORDS: dict[str, int] = {**DIGIT_WORDS, "mốt": 1, "tư": 4, "lăm": 5}
AFTER_TEENS_WORDS: dict[str, int] = {**DIGIT_WORDS, "tư": 4, "lăm": 5}  # "mười mốt" is not written
AFTER_ZERO_TENS_WORDS: dict[str, int] = {**DIGIT_WORDS, "tư": 4}  # "linh tư" 4
TENS_WORDS = ("mươi", "mười")
ZERO_TENS_WORDS = ("linh", "lẻ")
HUNDRED_WORD = "trăm"
# Scales from data/money.yaml: nghìn/ngàn 10^3, triệu 10^6, tỷ/tỉ 10^9 ("nghìn tỷ" is built from two words).
SCALE_WORDS: dict[str, int] = data.money().word_scales
VOCABULARY = frozenset([*AFTER_TENS_WORDS, *TENS_WORDS, *ZERO_TENS_WORDS, HUNDRED_WORD, *SCALE_WORDS])

_SEPARATORS = regex.compile(r"[\s,;.]+|\./\.", regex.V1)


# ---------------------------------------------------------------------------------------------------------
# Words -> integer
# ---------------------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    cleaned = unicodedata.normalize("NFC", text).lower().replace("./.", " ")
    return [token for token in _SEPARATORS.split(cleaned) if token]


def _ones(tokens: list[str], allowed: dict[str, int]) -> int | None:
    """The ones digit after tens or "linh": nothing, or exactly one word from ``allowed`` (not "không")."""
    if not tokens:
        return 0
    if len(tokens) == 1 and allowed.get(tokens[0], 0) > 0:
        return allowed[tokens[0]]
    return None


def _below_hundred(tokens: list[str]) -> int | None:
    """ "mười lăm" 15, "hai mươi tư" 24, "chín" 9; None for anything else."""
    if not tokens:
        return None
    if tokens[0] == "mười":
        ones = _ones(tokens[1:], AFTER_TEENS_WORDS)
        return None if ones is None else 10 + ones
    if len(tokens) >= 2 and tokens[1] in TENS_WORDS and DIGIT_WORDS.get(tokens[0], 0) >= 2:
        ones = _ones(tokens[2:], AFTER_TENS_WORDS)
        return None if ones is None else DIGIT_WORDS[tokens[0]] * 10 + ones
    if len(tokens) == 1 and tokens[0] in DIGIT_WORDS:
        return DIGIT_WORDS[tokens[0]]
    return None


def _after_hundreds(tokens: list[str]) -> int | None:
    """What follows "trăm" (or starts a group after a scale): "linh năm" 5, "mười" 10, "năm mươi" 50."""
    if not tokens:
        return 0
    if tokens[0] in ZERO_TENS_WORDS:
        ones = _ones(tokens[1:], AFTER_ZERO_TENS_WORDS)
        return ones if ones else None
    value = _below_hundred(tokens)
    if value is None or value < 10:
        return None  # "một trăm năm" is not written for 105 or 150: refuse rather than guess
    return value


def _group(tokens: list[str], leading: bool) -> int | None:
    """A number below one thousand. ``leading`` is False after a scale word, where "linh năm" (5) and
    "không trăm năm mươi" (50) are written."""
    if len(tokens) >= 2 and tokens[1] == HUNDRED_WORD:
        hundreds = DIGIT_WORDS.get(tokens[0])
        rest = _after_hundreds(tokens[2:])
        if hundreds is None or rest is None:
            return None
        return hundreds * 100 + rest
    if tokens and tokens[0] in ZERO_TENS_WORDS:
        return None if leading else _after_hundreds(tokens)
    value = _below_hundred(tokens)
    if value == 0 and not leading:
        return None  # "một nghìn không" is not a number
    return value


def _largest_scale_index(tokens: list[str]) -> int | None:
    """Where the last of the largest scale words stands: "một nghìn tỷ" splits at "tỷ"."""
    best: int | None = None
    for index, token in enumerate(tokens):
        if token in SCALE_WORDS and (best is None or SCALE_WORDS[token] >= SCALE_WORDS[tokens[best]]):
            best = index
    return best


def _parse(tokens: list[str], leading: bool) -> int | None:
    split = _largest_scale_index(tokens)
    if split is None:
        return _group(tokens, leading) if tokens else None
    scale = SCALE_WORDS[tokens[split]]
    multiplier = _parse(tokens[:split], leading)
    if not multiplier:
        return None  # "tỷ" alone or "không nghìn"
    tail = tokens[split + 1 :]
    if len(tail) == 1 and tail[0] in AFTER_TENS_WORDS:
        return None  # "hai nghìn tư", "một triệu năm": spoken shorthand for 2400, 1500000; refuse, not guess
    rest = _parse(tail, leading=False) if tail else 0
    if rest is None or rest >= scale:
        return None
    return multiplier * scale + rest


def parse_number_words(text: str) -> int | None:
    """The integer written in Vietnamese words, or None when the text is not a well-formed number.

    ``parse_number_words("Hai tỷ bốn trăm linh năm triệu")`` -> 2405000000; ``"một trăm hai mươi mốt"`` ->
    121; ``"một nghìn không trăm linh năm"`` -> 1005; ``"ba trăm lẻ bảy nghìn"`` -> 307000. Case, extra spaces,
    commas and a closing "./." are ignored; "tỉ" = "tỷ", "ngàn" = "nghìn". Currency words ("đồng") are not
    number words: ``find_amounts_in_words`` reads them.
    """
    tokens = _tokens(text)
    if not tokens or any(token not in VOCABULARY for token in tokens):
        return None
    return _parse(tokens, leading=True)


# ---------------------------------------------------------------------------------------------------------
# Finding amounts in words in running text
# ---------------------------------------------------------------------------------------------------------


class WordsMatch(NamedTuple):
    """An amount in words: "Hai tỷ bốn trăm linh năm triệu đồng" -> value 2405000000, unit "đồng".

    ``start``/``end`` cover the number words and, when present, "đồng" and "chẵn" after them (not the
    brackets or the "Bằng chữ:" label). A tuple, so ``start, end, value, unit = match`` works.
    """

    start: int
    end: int
    value: int
    unit: str | None


_LETTER = r"[\p{L}\p{M}]"
_WORD_GAP = r"[ \u00a0\u202f\u2009,]+"
# "tỷ lệ" (a rate) and "tỷ trọng" (a share) are not the scale word.
_SCALE_GUARD = r"(?![ \u00a0]+(?:lệ|trọng)(?![\p{L}\p{M}]))"
_WORD = (
    rf"(?<!{_LETTER})(?:"
    + "|".join(
        regex.escape(word) + (_SCALE_GUARD if word in ("tỷ", "tỉ") else "")
        for word in sorted(VOCABULARY, key=len, reverse=True)
    )
    + rf")(?!{_LETTER})"
)
_WORD_PATTERN = regex.compile(_WORD, regex.V1 | regex.IGNORECASE)
_RUN_PATTERN = regex.compile(rf"{_WORD}(?:{_WORD_GAP}{_WORD})+", regex.V1 | regex.IGNORECASE)
# A run of number words is looked for only next to a scale word or "đồng", found first with a plain scan
# (scanning every position for 24 words is about five times slower), then widened to the left.
_CURRENCY = data.money().currency.unit
_ANCHOR_WORDS = (*SCALE_WORDS, _CURRENCY)
_ANCHOR_SPELLINGS = tuple(
    variant for word in _ANCHOR_WORDS for variant in (word, word.capitalize(), word.upper())
)
_ANCHOR_PATTERN = regex.compile("|".join(_ANCHOR_SPELLINGS), regex.V1)
_RUN_ENDING_HERE = regex.compile(
    rf"(?:{_WORD}{_WORD_GAP})*{_WORD}[ \u00a0\u202f\u2009]*", regex.V1 | regex.IGNORECASE | regex.REVERSE
)
_ROUND_SUM = "|".join(regex.escape(word) for word in data.money().round_sum_words)
_CURRENCY_AFTER = regex.compile(
    rf"[ \u00a0\u202f\u2009]*(?P<unit>{_CURRENCY})(?![\p{{L}}\p{{M}}])"
    rf"(?:[ \u00a0\u202f\u2009]+(?:{_ROUND_SUM})(?![\p{{L}}\p{{M}}]))?",
    regex.V1 | regex.IGNORECASE,
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _run_tokens(run: regex.Match[str]) -> list[_Token]:
    return [
        _Token(token.group().lower(), token.start(), token.end())
        for token in _WORD_PATTERN.finditer(run.string, run.start(), run.end())
    ]


def _longest_amount(tokens: list[_Token], first: int, text: str) -> WordsMatch | None:
    """The longest amount starting at ``tokens[first]``: at least two words, ending on a scale word or
    followed by "đồng"."""
    for last in range(len(tokens) - 1, first, -1):
        currency = _CURRENCY_AFTER.match(text, tokens[last].end)
        if tokens[last].text not in SCALE_WORDS and currency is None:
            continue
        value = _parse([token.text for token in tokens[first : last + 1]], leading=True)
        if value is None:
            continue
        end = currency.end() if currency else tokens[last].end
        return WordsMatch(tokens[first].start, end, value, _CURRENCY if currency else None)
    return None


def _amounts_in_run(run: regex.Match[str]) -> list[WordsMatch]:
    tokens = _run_tokens(run)
    found: list[WordsMatch] = []
    first = 0
    while first < len(tokens) - 1:
        amount = _longest_amount(tokens, first, run.string)
        if amount is None:
            first += 1  # "đầu tư hai tỷ": "tư" cannot start an amount, try from the next word
            continue
        found.append(amount)
        first = next((i for i, token in enumerate(tokens) if token.start >= amount.end), len(tokens))
    return found


def _anchors(text: str) -> list[tuple[int, str]]:
    """(offset, spelling) of each anchor word: the matches of ``_ANCHOR_PATTERN.finditer(text)``.

    ``str.find`` of the 18 spellings is several times faster than the regex scan, which tries every alternative
    at every character. At one offset the spelling listed first wins, and an anchor overlapping the one before
    is left out, as in the regex scan.
    """
    found = []
    for order, spelling in enumerate(_ANCHOR_SPELLINGS):
        at = text.find(spelling)
        while at >= 0:
            found.append((at, order))
            at = text.find(spelling, at + 1)
    anchors: list[tuple[int, str]] = []
    for at, order in sorted(found):
        if anchors and at < anchors[-1][0] + len(anchors[-1][1]):
            continue
        anchors.append((at, _ANCHOR_SPELLINGS[order]))
    return anchors


def find_amounts_in_words(text: str) -> list[WordsMatch]:
    """Every amount spelled out in words in ``text``, with exact offsets.

    ``find_amounts_in_words("Tổng: 2.405.000.000 đồng (Bằng chữ: Hai tỷ bốn trăm linh năm triệu đồng chẵn./.)")``
    gives one match covering "Hai tỷ bốn trăm linh năm triệu đồng chẵn", value 2405000000, unit "đồng". A run
    of number words counts when it has at least two words and ends on a scale word (nghìn, triệu, tỷ) or is
    followed by "đồng", so "ba năm" (three years) and "năm 2024" are left alone.
    """
    found: list[WordsMatch] = []
    read_up_to = 0
    for anchor_start, anchor in _anchors(text):
        if anchor_start < read_up_to:
            continue
        words_end = anchor_start if anchor.lower() == _CURRENCY else anchor_start + len(anchor)
        before = _RUN_ENDING_HERE.match(text, 0, words_end)
        run = _RUN_PATTERN.match(text, before.start()) if before else None
        if run is None or run.start() < read_up_to:
            continue
        found.extend(_amounts_in_run(run))
        read_up_to = run.end()
    return found


# ---------------------------------------------------------------------------------------------------------
# Integer -> words
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordStyle:
    """Which of the written variants ``number_to_words`` uses; the defaults are the standard forms."""

    zero_tens: Literal["linh", "lẻ"] = "linh"  # 105: "một trăm linh năm" / "một trăm lẻ năm"
    thousand: Literal["nghìn", "ngàn"] = "nghìn"
    billion: Literal["tỷ", "tỉ"] = "tỷ"
    five_after_tens: Literal["lăm", "năm"] = "lăm"  # 25: "hai mươi lăm" / "hai mươi năm"
    one_after_tens: Literal["mốt", "một"] = "mốt"  # 21: "hai mươi mốt" / "hai mươi một"
    four_after_tens: Literal["bốn", "tư"] = "bốn"  # 24: "hai mươi bốn" / "hai mươi tư"; also "linh tư"


STANDARD_STYLE = WordStyle()
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _ones_after_tens(digit: int, style: WordStyle, teens: bool) -> str:
    if digit == 5:
        return style.five_after_tens
    if digit == 1 and not teens:
        return style.one_after_tens
    if digit == 4 and not teens:
        return style.four_after_tens
    return _DIGITS[digit]


def _group_words(value: int, leading: bool, style: WordStyle) -> list[str]:
    """Words for 1-999; a group after a larger scale always says its hundreds ("không trăm linh năm")."""
    hundreds, tens, ones = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], HUNDRED_WORD]
    if tens == 0:
        if ones and words:
            words += [style.zero_tens, style.four_after_tens if ones == 4 else _DIGITS[ones]]
        elif ones:
            words.append(_DIGITS[ones])
    elif tens == 1:
        words.append("mười")
        if ones:
            words.append(_ones_after_tens(ones, style, teens=True))
    else:
        words += [_DIGITS[tens], "mươi"]
        if ones:
            words.append(_ones_after_tens(ones, style, teens=False))
    return words


def _words(value: int, leading: bool, style: WordStyle) -> list[str]:
    if value >= 10**9:
        high, rest = divmod(value, 10**9)
        return _words(high, leading, style) + [style.billion] + (_words(rest, False, style) if rest else [])
    words: list[str] = []
    for scale, word in ((10**6, "triệu"), (10**3, style.thousand), (1, "")):
        group = value // scale % 1000
        if group:
            words += _group_words(group, leading and not words, style)
            if word:
                words.append(word)
    return words


def number_to_words(value: int, style: WordStyle = STANDARD_STYLE) -> str:
    """Write a non-negative integer in Vietnamese words, in lower case.

    ``number_to_words(2405000000)`` -> "hai tỷ bốn trăm linh năm triệu"; ``number_to_words(1005)`` ->
    "một nghìn không trăm linh năm"; with ``WordStyle(zero_tens="lẻ", four_after_tens="tư")``, 924005000 ->
    "chín trăm hai mươi tư triệu không trăm lẻ năm nghìn".
    """
    if value < 0:
        raise ValueError("number_to_words takes a non-negative integer")
    if value == 0:
        return "không"
    return " ".join(_words(value, True, style))
