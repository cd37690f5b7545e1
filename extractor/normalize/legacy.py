"""Text typed in the legacy 8-bit Vietnamese fonts (TCVN3/ABC, VNI), found by a scored heuristic and converted.

Before Unicode, Vietnamese offices typed with fonts that drew Vietnamese letters in place of Western ones:
the byte 0xE9 is "é" in Windows-1252 but "ộ" in a TCVN3 font. Such text reaches us as Western characters:
bytes of a ``.txt`` decoded as Windows-1252 (or Latin-1), or the code points Word stores for a run in a
legacy font. It then reads "Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3) or "Coäng hoøa xaõ hoäi chuû
nghóa Vieät Nam" (VNI) for "Cộng hoà xã hội chủ nghĩa Việt Nam".

The character tables below were checked against the published TCVN 5712:1993 VN3 (ABC) and VNI-Windows
code charts (as laid out in the VBKey converter's tables); the tests round-trip every letter.

- TCVN3: one byte per letter. Tone-marked letters exist only in lower case: upper case was typed with a
  separate upper-case font (".VnTimeH") that draws the same bytes as capitals, so "CéNG HßA" is
  "CỘNG HÒA". Only Ă Â Ê Ô Ơ Ư Đ have capital codes of their own.
- VNI: a base letter followed by one byte for the vowel mark and/or the tone ("oä" = "ộ", "ôù" = "ớ"),
  with separate upper-case marks ("OÄ" = "Ộ"); ơ, ư, đ and most forms of i are single bytes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from extractor.normalize.text import is_vietnamese_syllable

TCVN3 = "tcvn3"
VNI = "vni"
ENCODINGS = (TCVN3, VNI)

# A text is legacy when its score reaches this. The score is the share of its accented words that
# become Vietnamese syllables only after conversion (see ``score_legacy``): 0.5 means at least half of
# them were garbled and are repaired. Unicode Vietnamese scores about 0 (its words are already
# syllables), English has no accented words, and TCVN3/VNI prose scores 0.6-1.
DETECTION_THRESHOLD = 0.5
# Below this many accented words the evidence is too thin to convert ("Café Noël" must stay as it is):
# the score is scaled down in proportion.
MIN_EVIDENCE_WORDS = 5

# ---------------------------------------------------------------------------------------------------
# Character tables
# ---------------------------------------------------------------------------------------------------

# TCVN3 codes of the twelve vowels: the letter itself, then with huyền, hỏi, ngã, sắc, nặng (the order
# the code chart lists them in). "a" itself is ASCII.
_TCVN3_VOWELS = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_OTHERS = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
_TONES_IN_CHART_ORDER = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# VNI: marks written after the base letter, in the same order (level, huyền, hỏi, ngã, sắc, nặng).
_VNI_PLAIN_TONES = ("", "ø", "û", "õ", "ù", "ï")
_VNI_CIRCUMFLEX = ("â", "à", "å", "ã", "á", "ä")  # â ê ô: the circumflex and the tone in one byte
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")  # ă
_VNI_BASES = {
    "a": ("a", _VNI_PLAIN_TONES),
    "ă": ("a", _VNI_BREVE),
    "â": ("a", _VNI_CIRCUMFLEX),
    "e": ("e", _VNI_PLAIN_TONES),
    "ê": ("e", _VNI_CIRCUMFLEX),
    "o": ("o", _VNI_PLAIN_TONES),
    "ô": ("o", _VNI_CIRCUMFLEX),
    "ơ": ("ô", _VNI_PLAIN_TONES),
    "u": ("u", _VNI_PLAIN_TONES),
    "ư": ("ö", _VNI_PLAIN_TONES),
    "y": ("y", _VNI_PLAIN_TONES),
}
# Letters VNI writes as one byte: i with its tones, ỵ, đ (and ơ, ư above with no tone).
_VNI_SINGLES = {"ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "ỵ": "î", "đ": "ñ"}


def _with_tone(letter: str, tone: str) -> str:
    return unicodedata.normalize("NFC", letter + tone)


def _tcvn3_encoding_table() -> dict[str, str]:
    table = {}
    for vowel, codes in _TCVN3_VOWELS.items():
        for tone, code in zip(_TONES_IN_CHART_ORDER, codes, strict=True):
            letter = _with_tone(vowel, tone)
            if not letter.isascii():
                table[letter] = chr(code)
                # The upper-case font draws the lower-case code as a capital.
                table.setdefault(letter.upper(), chr(code))
    for letter, code in _TCVN3_OTHERS.items():
        table[letter] = chr(code)
    return table


def _vni_encoding_table() -> dict[str, str]:
    table = {}
    for vowel, (base, marks) in _VNI_BASES.items():
        for tone, mark in zip(_TONES_IN_CHART_ORDER, marks, strict=True):
            letter = _with_tone(vowel, tone)
            if letter.isascii():
                continue
            table[letter] = base + mark
            table[letter.upper()] = (base + mark).upper()
    table.pop("ỵ")  # one byte, below
    table.pop("Ỵ")
    for letter, code in _VNI_SINGLES.items():
        table[letter] = code
        table[letter.upper()] = code.upper()
    return table


_ENCODE = {TCVN3: _tcvn3_encoding_table(), VNI: _vni_encoding_table()}


def _decoding_table(encoding: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for letter, code in _ENCODE[encoding].items():
        # For TCVN3 the lower-case letter wins (the upper-case font is told from context later).
        if code not in table or letter.islower():
            table[code] = letter
    if encoding == VNI:
        # Typists mixed the cases of base letter and mark ("Aø"); the base letter decides the case.
        for code, letter in list(table.items()):
            if len(code) == 2:
                for variant in (code[0] + code[1].swapcase(),):
                    table.setdefault(variant, letter)
    return table


_DECODE = {encoding: _decoding_table(encoding) for encoding in ENCODINGS}
_LONGEST_CODE = {encoding: max(len(code) for code in _DECODE[encoding]) for encoding in ENCODINGS}
# Characters that can only be part of legacy text: the codes of each table outside ASCII.
_LEGACY_CHARS = {
    encoding: frozenset(char for code in _DECODE[encoding] for char in code if not char.isascii())
    for encoding in ENCODINGS
}

# ---------------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------------


def encode_legacy(text: str, encoding: str) -> str:
    """Write Unicode ``text`` as a legacy font would store it, as Windows-1252 characters.

    The inverse of ``convert_legacy``, for making test samples: "Cộng hoà" -> "Céng hoµ" (TCVN3),
    "Coäng hoøa" (VNI). ``.encode("cp1252")`` on the result gives the file's bytes.
    """
    table = _table(_ENCODE, encoding)
    return "".join(table.get(char, char) for char in unicodedata.normalize("NFC", text))


def convert_legacy(text: str, encoding: str) -> str:
    """Convert text typed in a legacy font back to Unicode: "Céng hoµ x· héi" -> "Cộng hoà xã hội" (TCVN3).

    For TCVN3, whose tone-marked capitals share the lower-case codes, case is restored from context:
    a word or line otherwise in capitals is upper-cased ("CéNG HßA" -> "CỘNG HÒA"), and a converted
    letter that starts a line or sentence before a lower-case letter is capitalized ("ñy ban" -> "Ủy ban").
    """
    table = _table(_DECODE, encoding)
    longest = _LONGEST_CODE[encoding]
    if encoding == TCVN3 and "-" in text:
        text = restore_tcvn3_u_horn(text)
    pieces, converted, index = [], [], 0
    while index < len(text):
        for size in range(longest, 0, -1):
            code = text[index : index + size]
            if len(code) == size and code in table:
                pieces.append(table[code])
                converted.append(not code.isascii())
                index += size
                break
        else:
            pieces.append(text[index])
            converted.append(False)
            index += 1
    result = "".join(pieces)
    if encoding == TCVN3:
        result = _restore_tcvn3_case(result, converted)
    return result


# TCVN3 writes "ư" as the byte 0xAD, which WinAnsiEncoding names "hyphen": a PDF whose .VnTime font has no
# Unicode map gives it as "-" ("ng-êi" for "người", "nh-" for "như"). A hyphen inside a word or at its start or
# end, among letters of the TCVN3 table, is put back as 0xAD when the word then converts to a Vietnamese
# syllable; one after a digit or a slash ends a symbol cut at a line end ("15/KH-") and stays.
_TCVN3_LETTER = "[\\p{L}" + regex.escape("".join(sorted(_LEGACY_CHARS[TCVN3]))) + "]"
_TCVN3_HYPHEN_IN_WORD = regex.compile(
    rf"(?<![\d/.-]|{_TCVN3_LETTER})({_TCVN3_LETTER}*)-({_TCVN3_LETTER}*)(?!{_TCVN3_LETTER}|-)"
)


def restore_tcvn3_u_horn(text: str) -> str:
    """TCVN3 text with the "ư" a PDF gave as a hyphen put back: "ng-êi ®-îc nh-" -> "ng\\xadêi ®\\xadîc
    nh\\xad" (which converts to "người được như"); a hyphen that joins words ("KH-UBND", "tÕ-x·", "- T¨ng")
    stays."""
    return _TCVN3_HYPHEN_IN_WORD.sub(_u_horn_or_hyphen, text)


def _u_horn_or_hyphen(match: regex.Match[str]) -> str:
    word = f"{match[1]}\xad{match[2]}"
    if not (match[1] or match[2]):  # a dash standing alone: "kinh tế - xã hội"
        return match[0]
    return word if is_vietnamese_syllable(_decode_plain(word, TCVN3)) else match[0]


def _decode_plain(text: str, encoding: str) -> str:
    """One-byte codes decoded, case left as written (TCVN3: one character per code)."""
    table = _DECODE[encoding]
    return "".join(table.get(char, char) for char in text)


def _table(tables: dict[str, dict[str, str]], encoding: str) -> dict[str, str]:
    if encoding not in tables:
        raise ValueError(f"unknown legacy encoding {encoding!r} (known: {', '.join(ENCODINGS)})")
    return tables[encoding]


_TCVN3_WORD = regex.compile(r"\p{L}+")
_BULLETS = "-+•*"


def _restore_tcvn3_case(text: str, converted: list[bool]) -> str:
    """Upper-case the converted letters that an upper-case font drew as capitals.

    A converted word is in capitals when the letters that show their case (ASCII letters and the
    capitals Ă Â Ê Ô Ơ Ư Đ) are all capitals and there are two of them ("HßA" -> "HÒA"), or when they
    are all capitals (or none) and the nearest converted word on the same line is such a word
    ("KÕ HO¹CH" -> "KẾ HOẠCH"). Pure ASCII words do not count: "UBND" is upper case in any sentence.
    """
    # ``converted`` has one flag per character of ``text``: TCVN3 maps one character to one character.
    chars = list(text)
    line_start = 0
    for line in text.split("\n"):
        words = [
            (line_start + match.start(), converted[line_start + match.start() : line_start + match.end()])
            for match in _TCVN3_WORD.finditer(line)
        ]
        words = [(start, flags) for start, flags in words if any(flags)]
        shown = [_case_showing_letters(text, start, flags) for start, flags in words]
        capitals = [len(letters) >= 2 and letters.isupper() for letters in shown]
        for index, (start, flags) in enumerate(words):
            beside_capitals = (index > 0 and capitals[index - 1]) or (
                index + 1 < len(words) and capitals[index + 1]
            )
            no_lower_case = not any(char.islower() for char in shown[index])
            if capitals[index] or (no_lower_case and beside_capitals):
                for offset, flag in enumerate(flags):
                    if flag:
                        chars[start + offset] = chars[start + offset].upper()
            elif flags[0] and _starts_sentence(text, start):
                chars[start] = chars[start].upper()
        line_start += len(line) + 1
    return "".join(chars)


def _case_showing_letters(text: str, start: int, flags: list[bool]) -> str:
    """The letters of a converted word whose case the code tells (all but lower-case converted ones)."""
    word = text[start : start + len(flags)]
    return "".join(char for char, flag in zip(word, flags, strict=True) if not (flag and char.islower()))


def _starts_sentence(text: str, position: int) -> bool:
    """True at the start of a line, after ". ", "! ", "? ", or after a bullet that opens a line ("- ")."""
    index = _skip_spaces_back(text, position - 1)
    if index < 0 or text[index] == "\n":
        return True
    if text[index] in ".!?":
        return index < position - 1  # "hàng...đưa" has no space: not a new sentence
    if text[index] in _BULLETS:
        before = _skip_spaces_back(text, index - 1)
        return before < 0 or text[before] == "\n"
    return False


def _skip_spaces_back(text: str, index: int) -> int:
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index


# ---------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegacyScore:
    """How much a text looks like ``encoding`` read as Unicode, with the counts the score rests on.

    ``words``: words holding a non-ASCII character; ``valid_before`` / ``valid_after``: of those, how many
    are Vietnamese syllables as they are and after conversion; ``telltales``: words holding a character
    of the encoding's code table ("hoµ", "hoøa").
    """

    encoding: str
    score: float
    words: int
    valid_before: int
    valid_after: int
    telltales: int


_EDGE_PUNCTUATION = "\"'()[]{},.;:!?“”‘’…-–—"


def score_legacy(text: str, encoding: str | None = None) -> LegacyScore:
    """Score how much ``text`` looks like ``encoding`` (TCVN3 or VNI; the best of both when None), in [0, 1].

    The score is the share of accented words that are not Vietnamese syllables as written but become
    ones after conversion ("héi" -> "hội"), minus those conversion breaks, scaled down when fewer than
    ``MIN_EVIDENCE_WORDS`` accented words carry it. Real Vietnamese ("hội", "các") is already made of
    syllables and scores about 0; garbled text scores near 1.
    """
    if encoding is None:
        return max((score_legacy(text, known) for known in ENCODINGS), key=lambda found: found.score)
    words = _candidate_words(text)
    before = after = telltales = 0
    legacy_chars = _LEGACY_CHARS[encoding]
    for word in words:
        valid_before = is_vietnamese_syllable(word)
        valid_after = is_vietnamese_syllable(convert_legacy(word, encoding))
        before += valid_before
        after += valid_after
        telltales += any(char in legacy_chars for char in word)
    if not words:
        score = 0.0
    else:
        gain = max(0.0, (after - before) / len(words))
        score = gain * min(1.0, len(words) / MIN_EVIDENCE_WORDS)
    return LegacyScore(encoding, round(score, 4), len(words), before, after, telltales)


# Distinct accented words scored at most: a few hundred decide the encoding as surely as a whole plan does,
# and scoring every word of a long document cost more than the rest of the pipeline together.
MAX_SCORED_WORDS = 300


# A token (cut at white space) holding a non-ASCII character and no digit.
_CANDIDATE = regex.compile(r"(?<!\S)(?=[^\s\d]*[^\x00-\x7f])[^\s\d]+(?!\S)")


def _candidate_words(text: str) -> list[str]:
    """Distinct words that hold a non-ASCII character, surrounding punctuation trimmed, in order of first
    appearance and at most ``MAX_SCORED_WORDS`` of them.

    Legacy codes include symbols ("µ", "·", "¸"), so words are cut at white space, not at letters.
    """
    words: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text):  # lazily: the first few hundred words decide, not the whole text
        word = match.group().strip(_EDGE_PUNCTUATION)
        if word and not word.isascii():
            words[word] = None
            if len(words) >= MAX_SCORED_WORDS:
                break
    return list(words)


# Letters outside the 8-bit range: text decoded from a TCVN3 or VNI font never holds them.
_UNICODE_ONLY_LETTER = regex.compile(r"[\u1ea0-\u1ef9\u01a0\u01a1\u01af\u01b0\u0110\u0111]")


def detect_legacy_encoding(text: str) -> str | None:
    """ "tcvn3" or "vni" when ``text`` scores at least ``DETECTION_THRESHOLD`` for it (the higher wins), else None.

    "Céng hoµ x· héi chñ nghÜa ViÖt Nam" -> "tcvn3"; "Cộng hòa xã hội" -> None; "Plan" -> None.
    """
    words = _candidate_words(text)
    if sum(1 for word in words if _UNICODE_ONLY_LETTER.search(word)) * 2 > len(words):
        return None  # mostly letters no 8-bit font can hold (ộ, ư, đ): Unicode text, nothing to score
    best = score_legacy(text)
    return best.encoding if best.score >= DETECTION_THRESHOLD else None


def repair_legacy_text(text: str) -> tuple[str, str | None]:
    """Convert ``text`` when it is in a legacy encoding: (converted text, encoding), else (text, None)."""
    encoding = detect_legacy_encoding(text)
    if encoding is None:
        return text, None
    return convert_legacy(text, encoding), encoding
