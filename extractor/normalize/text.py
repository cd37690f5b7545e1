"""The one text normalizer: Unicode NFC, unified spaces, dashes and quotes, and keys for matching.

Plans arrive with decomposed tone marks (Windows-1258 and some Word exports write "ệ" as "e" + U+0302 +
U+0323), no-break spaces, three kinds of dash and curly quotes. Every later stage reads text through
``normalize_text`` so that a rule written for "Độc lập - Tự do" also finds "Độc lập – Tự do".

``normalize_text`` keeps what was written (tone placement, case, line breaks): it is the display text.
``matching_key`` and ``strip_diacritics`` make comparison keys and are never shown.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import regex

# ---------------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------------

# Every Unicode space separator other than the plain space, and the line/paragraph separators.
# "\u00a0" (no-break space) is common in Word exports: "Số:\u00a0267/KH-UBND".
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible characters that only steer layout: zero-width space/joiners, word joiner, byte-order mark
# left inside the text, soft hyphen, and the Mongolian vowel separator.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, small and
# full-width hyphen-minus, two- and three-em dashes.
# PDFium reports a hyphen at the end of a line ("07/2021/NĐ-" wrapped before "CP") as U+FFFE.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2e3a\u2e3b\ufffe"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"
# Line breaks other than "\n": vertical tab, form feed, next line, line and paragraph separators.
_LINE_BREAKS = "\x0b\x0c\x85\u2028\u2029"
# Control characters with no meaning in text (tab and newline are kept: tables need them).
_CONTROLS = "".join(chr(code) for code in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, *range(0x80, 0x85)))
_CONTROLS += "".join(chr(code) for code in range(0x86, 0xA0))

_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(_SPACES, " "),
        **dict.fromkeys(_INVISIBLE + _CONTROLS, None),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_LINE_BREAKS, "\n"),
        # The Icelandic eth looks like the Vietnamese đ and never means anything else in a plan: OCR and
        # some legacy fonts give "Ð" for "Đ" ("12-NQ/ÐU").
        "\u00d0": "\u0110",
        "\u00f0": "\u0111",
    }
)
# A document symbol or a grouped number broken at a line end, in any reader (a typed PDF's line, a text
# export's line, a cell's line): "07/2021/NĐ-" + "CP", "12/NQ-" + "HU", "số 07/" + "2021/NĐ-CP",
# "2.405.000." + "000 đồng". The piece before the break ends in "/" or "-" after digits, or in a thousands dot;
# the piece after it goes on in capitals or digits ("CP ngày", "000 đồng"), never in a word ("Chương trình").
_SYMBOL_CUT = r"(?<![\p{L}\p{N}])\p{N}+(?:[/\-][\p{Lu}\p{N}.&]+)*[/\-]"
_SYMBOL_REST = r"[\p{Lu}\p{N}][\p{Lu}\p{N}/\-.&]*(?!\p{Ll})"
_NUMBER_CUT = r"(?<![\p{N}.,])\p{N}{1,3}(?:\.\p{N}{3})+\."
_NUMBER_REST = r"\p{N}{3}(?:\.\p{N}{3})*(?:,\p{N}+)?(?![\p{N}%])"
_BROKEN_AT_LINE_END = regex.compile(
    rf"(?<={_SYMBOL_CUT})\n(?={_SYMBOL_REST})|(?<={_NUMBER_CUT})\n(?={_NUMBER_REST})", regex.V1
)
_SPACE_RUN = regex.compile(r" {2,}")
_SPACES_AROUND_LINE_BREAK = regex.compile(r" *\n *")
_WHITESPACE_RUN = regex.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalize text for every later stage; idempotent, and keeps tone placement, case and line breaks.

    "Số:\\u00a0\\u00a0267/KH-UBND " -> "Số: 267/KH-UBND"; "Độc lập – Tự do – Hạnh phúc" ->
    "Độc lập - Tự do - Hạnh phúc"; "“Tết”" -> '"Tết"'; "hie\\u0323\\u0302n" (decomposed) -> "hiện".
    Runs of spaces become one, spaces at the start and end of lines go, tabs and newlines stay
    ("\\r\\n" and "\\r" become "\\n"), except a line break inside a symbol or a number
    ("07/2021/NĐ-\\nCP" -> "07/2021/NĐ-CP", "2.405.000.\\n000" -> "2.405.000.000").
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Translating first and composing last keeps the result stable: a zero-width space between a letter
    # and its tone mark ("e\\u200b\\u0301") would otherwise block composition on the first pass only.
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATION))
    text = _SPACE_RUN.sub(" ", text)
    text = _SPACES_AROUND_LINE_BREAK.sub("\n", text)
    if "\n" in text:
        text = _BROKEN_AT_LINE_END.sub("", text)
    return text.strip(" ")


def is_broken_token(before: str, after: str) -> bool:
    """True when ``before`` ends and ``after`` starts one symbol or number cut by a line end, so that the
    two join without a space: ("Căn cứ Nghị định số 07/2021/NĐ-", "CP ngày 31/01/2021 …"), ("… là
    2.405.000.", "000 đồng")."""
    tail, head = before[-80:], after[:80]
    match = _BROKEN_AT_LINE_END.search(f"{tail}\n{head}", len(tail))
    return match is not None and match.start() == len(tail)


# ---------------------------------------------------------------------------------------------------
# Tone marks and syllables
# ---------------------------------------------------------------------------------------------------

# The five tone marks as combining characters (after NFD): huyền, sắc, ngã, hỏi, nặng.
GRAVE, ACUTE, TILDE, HOOK, DOT_BELOW = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONE_MARKS = frozenset((GRAVE, ACUTE, TILDE, HOOK, DOT_BELOW))

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")

# Syllables whose rhyme is exactly oa, oe or uy (no final consonant) are written two ways: "hoà" / "hòa",
# "khoẻ" / "khỏe", "thuỷ" / "thủy", "uỷ" / "ủy". With a final consonant both ways agree ("hoàng",
# "khoét", "huyện"). "qu" is an onset, so "quý", "quỳ" are not of this kind.
_OPEN_GLIDE_SYLLABLE = regex.compile(
    r"(?P<onset>(?:ngh|ng|nh|ch|gh|kh|ph|th|tr|[bcdđghklmnprstvx])?)(?:oa|oe|uy)"
)


def split_tone(syllable: str) -> tuple[str, str | None]:
    """Split a syllable into its toneless NFC letters and its tone mark (None when level tone).

    "Hoạch" -> ("Hoach", "\\u0323"); "nghèo" -> ("ngheo", "\\u0300"). A word with two tone marks returns
    the first one and drops both from the letters.
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [char for char in decomposed if char in TONE_MARKS]
    letters = "".join(char for char in decomposed if char not in TONE_MARKS)
    return unicodedata.normalize("NFC", letters), tones[0] if tones else None


def place_tone_on(letters: str, position: int, tone: str) -> str:
    """Put ``tone`` on the letter at ``position`` of toneless NFC ``letters``: ("hoa", 1, grave) -> "hòa"."""
    head, vowel, tail = letters[:position], letters[position], letters[position + 1 :]
    return unicodedata.normalize("NFC", head + vowel + tone + tail)


def unify_tone_placement(word: str) -> str:
    """One tone placement for open oa/oe/uy syllables: the tone on the first vowel ("hoà" -> "hòa").

    This is the placement of "CỘNG HÒA" and "Ủy ban nhân dân" in official headers, and the one most
    plans use; "thuỷ" -> "thủy", "uỷ" -> "ủy", "khoẻ" -> "khỏe". Other syllables are returned unchanged.
    Expects a lower-case word.
    """
    letters, tone = split_tone(word)
    if tone is None:
        return word
    match = _OPEN_GLIDE_SYLLABLE.fullmatch(letters)
    if match is None:
        return word
    return place_tone_on(letters, len(match["onset"]), tone)


def matching_key(text: str) -> str:
    """A comparison key: normalized, lower case, one tone placement, white space collapsed to one space.

    "ỦY BAN NHÂN DÂN" and "Uỷ  ban nhân dân" both give "ủy ban nhân dân". Only for comparing: the key's
    length differs from the text's, so never take offsets from it.
    """
    lowered = normalize_text(text).lower()
    unified = _WORD.sub(lambda match: unify_tone_placement(match.group()), lowered)
    return _WHITESPACE_RUN.sub(" ", unified).strip()


def strip_diacritics(text: str) -> str:
    """Remove every diacritic and turn "đ" into "d", for matching text whose marks OCR lost or swapped.

    "MỤC TIÊU" and "MUC TIẾU" both give "MUC TIEU". On NFC text each character maps to exactly one
    character, so offsets found in the stripped text are offsets in the original.
    """
    return "".join(_strip_char(char) for char in text)


_STRIPPED = {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"}


def _strip_char(char: str) -> str:
    if char.isascii():
        return char
    if char in _STRIPPED:
        return _STRIPPED[char]
    if unicodedata.combining(char):
        return ""
    base = unicodedata.normalize("NFD", char)[0]
    return base


# ---------------------------------------------------------------------------------------------------
# Folded text: what rule-based readers match on
# ---------------------------------------------------------------------------------------------------

# Characters below this code point that folding leaves alone are listed too, mapped to themselves: a character
# missing from the table costs ``str.translate`` a failed lookup, and most characters of a plan are such.
_IDENTITY_UP_TO = 0x3000


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    vietnamese = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    for char in vietnamese + vietnamese.upper() + "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        base = strip_diacritics(char).lower()
        if len(base) == 1:
            table[ord(char)] = "i" if base == "y" else base
    table[ord("y")] = "i"
    for code in range(_IDENTITY_UP_TO):
        table.setdefault(code, chr(code))
    return table


def fold(text: str) -> str:
    """Lower case, no diacritics, "đ" read as "d" and "y" as "i", one character per character.

    "Tỉ lệ HỘ NGHÈO" and "tỷ lệ hộ nghèo" both give "ti le ho ngheo". Rule-based readers match folded text
    against folded lexicons, so spellings ("tỉ"/"tỷ"), tone placement ("hoà"/"hòa") and an OCR'd lost mark do
    not matter; offsets found in the folded text are offsets in the original (NFC text).
    """
    return text.translate(_fold_table())


# ---------------------------------------------------------------------------------------------------
# Vietnamese syllable shape (used to tell real Vietnamese from text decoded in the wrong code page)
# ---------------------------------------------------------------------------------------------------

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
# Nuclei that end in a glide or are a closed diphthong take no final consonant ("hai", "mua", "khuya").
_OPEN_NUCLEI = (
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu oai oay oao oeo uây uôi uya uyu ươi ươu yêu iêu"
)
# Nuclei that need a final consonant ("tiếng", "muốn", "được", "chuyển", "hoặc", "xuân", "lăm", "cần").
_CLOSED_NUCLEI = "iê uô ươ yê uyê oă uâ ă â"
# Nuclei that stand either way ("ca"/"cam", "hoa"/"hoàng", "thuy"/"huynh").
_FREE_NUCLEI = "a e ê i o ô ơ u ư y oa oe oo uê uơ uy"
_CODAS = "ch|ng|nh|[cmnpt]"


def _alternatives(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SYLLABLE_SHAPE = regex.compile(
    rf"(?:{_ONSETS})?(?:(?:{_alternatives(_OPEN_NUCLEI)})|(?:{_alternatives(_CLOSED_NUCLEI)})(?:{_CODAS})"
    rf"|(?:{_alternatives(_FREE_NUCLEI)})(?:{_CODAS})?)"
)
# "k", "gh" and "ngh" are written only before front vowels ("kế", "ghi", "nghèo"; never "ka", "ngha").
_FRONT_ONLY_ONSET = regex.compile(r"(?:k|gh|ngh)(?!h)(?=[^eêiy])")
_STOPPED_CODA = ("c", "ch", "p", "t")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is spelled like one Vietnamese syllable: "hoạch", "Nghèo", "QUỐC", "được".

    False for what legacy fonts look like in the wrong code page: "héi", "hoøa", "nghÜa", "chñ". Checks
    onset + rhyme shape, at most one tone mark, and that syllables ending in c, ch, p, t carry only the
    sắc or nặng tone ("học", never "hòc").
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [char for char in decomposed if char in TONE_MARKS]
    if len(tones) > 1:
        return False
    letters = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in TONE_MARKS))
    if not _SYLLABLE_SHAPE.fullmatch(letters) or _FRONT_ONLY_ONSET.match(letters):
        return False
    return not (letters.endswith(_STOPPED_CODA) and tones and tones[0] not in (ACUTE, DOT_BELOW))
