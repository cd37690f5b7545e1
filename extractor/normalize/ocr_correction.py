"""Domain-aware correction of OCR text: restore the marks OCR loses or swaps in the words khplan knows.

Tesseract's Vietnamese model reads clean pages well but damages diacritics: "MỤC TIỂU" for "MỤC TIÊU",
"người nghẻo" for "người nghèo", "thưc hiện", "Quyết dịnh", "KẾ HOACH", "NQ/ÐU" (an Icelandic eth for "Đ").
``correct_ocr_text`` repairs such words, and only those, against the project's own lexicons, and says what it
changed: every ``Change`` holds its span in the input, the text before and after, and the lexicon entry and
data file it follows, so a caller keeps the raw OCR text and the provenance of each repair.

The lexicon (every word read from ``extractor/data``, none written here):

- targets, what a damaged run of words may become: heading words (``section_kinds.yaml``), document types
  (``document_types.yaml``; the generic words and the letter type of ``citation_types.yaml``), bodies and
  ministries (``admin_units.yaml`` bodies and levels, the protected names of ``citation_types.yaml``), groups
  of people (``populations.yaml``), indicators (``indicators.yaml``); and, as phrases of two words or more
  only, units and money units, and the plan's own verbs of ``cues.yaml`` (``preamble_leads``: "thực hiện",
  "triển khai"; ``action_before_count``: "tổ chức", "hỗ trợ"). The other cue lists and the table words are
  no targets: tried as targets on 30,000 OCR'd words of the seeds, they repaired no word more, spoiled two,
  and broke typed plans ("SỞ LAO ĐỘNG" became "SỐ LAO ĐỘNG", "Xây dựng - Môi trường" "Xây dựng - Mới
  trường");
- known spellings, never targets: every word and every listed phrase of every data file. They make a folded
  form ambiguous ("phương" of "Phương án" keeps "phương" from becoming "phường"), and a word spelled as one of
  them is taken for a word rather than a misreading unless the context says otherwise (below).

A candidate is a run of 1 to ``MAX_PHRASE_WORDS`` words joined by spaces, one line break or one hyphen or comma
("Sở Lao động - Thương binh và Xã hội"), tried longest first, left to right. It matches an entry when its
words are equal after folding (case folded, diacritics removed, "đ" and the eth "ð" read as "d"; "y" stays
"y", so the spelling "tỉ lệ" never becomes "tỷ lệ"), or, for a phrase of two words or more and
``MIN_FUZZY_LETTERS`` letters or more, when one folded word is one substituted letter away
(``rapidfuzz`` Levenshtein distance 1), that letter is one OCR confuses (``OCR_CONFUSED_LETTERS``: "c"/"e",
"n"/"u", "g" read as "ø" …), and the damaged word is no Vietnamese syllable at all ("nghèc", "øiúp"): a real
syllable may be another word. It is then corrected when all of these hold:

- the folded form has exactly one spelling among targets and known spellings (ambiguity means no change:
  "nha tam" is "nhà tạm" or "nhà tắm"), that spelling is a target, and the run is not already written so
  (tone placement aside: "hoà" = "hòa", "Uỷ" = "Ủy");
- it has ``MIN_LETTERS`` folded letters or more ("dự án", "tỷ lệ", "xã" are never corrected);
- the marks differ as OCR confuses them: a tone lost, added, or read as another tone written at the same
  place; a hat, horn or stroke lost, added or swapped. A tone above a letter is never read as the dot below
  ("phổ biến pháp luật" holds no damaged "biện pháp");
- no word it would change stands in a phrase of two words or more that is already written right ("mức đóng
  bảo hiểm" holds no "đồng bào": "bảo" belongs to "bảo hiểm");
- no name: a capitalised word it would change is not alone and has no capitalised neighbour ("phường An Hòa"
  is no "phương án", "Trần Thị Trân" no "thị trấn", "Huyền" no "huyện");
- when every word it would change is a known spelling ("TIỂU", "phần", "an"), the run is a heading word at the
  head of a line or in a line of capitals ("I. MỤC TIỂU"), or ``MIN_CONTEXT_WORDS`` of its words are already
  right ("thương bình và xã hội"). One clearly misread word is context enough ("Quyet dinh": "quyet" is no
  known word).

A word keeps its case pattern ("MỤC TIỂU" -> "MỤC TIÊU", "quyết dịnh" -> "quyết định"); the words of a matched
phrase that are already right are not touched. Tokens with a digit are never words and only the letters of
words change, so digits, punctuation and spacing come out as they went in.

Document symbols ("19/KH-UBND", "86/2015/NĐ-CP", "12-NQ/ĐU", "Số: /KH-UBND") are read with the symbol grammar of
the citations (number or a blank, optional year, codes; the first code is the type when it is one), their
words are not corrected as words, and a code is repaired only when it is a stroke of "Đ" away from exactly one
known code of its slot ("QD-UBND" -> "QĐ-UBND", "NQ-HDND" -> "NQ-HĐND", "ÐU" -> "ĐU"). Type codes are those of
``document_types.yaml``; issuer codes are the abbreviations of ``admin_units.yaml`` bodies, the initials of
their names ("đảng ủy" -> "ĐU", the way Nghị định 30/2020/NĐ-CP abbreviates a body) and the issuer codes of
``citation_types.yaml``. A lost stroke ("QD" for "QĐ") is repaired in any code; a stroke OCR added ("UBNĐ" for
"UBND") only in a code of three letters or more, since "HĐ" (Hợp đồng) is a real code no data file lists.

The result is a fixed point: passes repeat (at most ``MAX_PASSES``, over the runs the last pass changed)
until nothing changes, so ``correct_ocr_text(corrected.text)`` changes nothing. The index is built once per
process; the work is linear in the text (a few dictionary look-ups per word, a page in a few milliseconds).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein

from extractor import data
from extractor.normalize.text import (
    ACUTE,
    GRAVE,
    HOOK,
    TILDE,
    TONE_MARKS,
    is_vietnamese_syllable,
    strip_diacritics,
    unify_tone_placement,
)

# A candidate is at most this many words: the longest lexicon phrases ("ủy ban mặt trận tổ quốc việt nam").
MAX_PHRASE_WORDS = 6
# Fewer folded letters than this are never corrected: "tỷ lệ", "dự án", "xã" alone say too little.
MIN_LETTERS = 5
# A phrase is matched with one damaged letter only from this many folded letters on ("thực hiện" has 8).
MIN_FUZZY_LETTERS = 8
MAX_FUZZY_DISTANCE = 1
# A word the data files spell is respelled outside a heading only with this many other words already right.
MIN_CONTEXT_WORDS = 2
# Corrections can make a longer phrase readable; passes repeat until none changes anything.
MAX_PASSES = 4
# Letters Tesseract's Vietnamese model reads one for the other (folded, so marks do not count): shapes alike
# ("c"/"e"/"o", "n"/"u"/"h", "i"/"l"/"t") and "g" read as "ø".
OCR_CONFUSED_LETTERS = frozenset(
    frozenset(pair)
    for pair in ["ce", "co", "eo", "ao", "il", "it", "lt", "nu", "nh", "hb", "mn", "uv", "gq", "gø", "oø"]
)
_HEADING = "heading word (section_kinds.yaml)"
# A word may open a heading after a part number or a bullet: "I. ", "2.1. ", "a) ", "- ".
_HEADING_LEAD = regex.compile(r"[ \t]*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)][ \t]*|[-+*•][ \t]*)?")
# Fields of the data files that hold no Vietnamese words: English labels and explanations, and identifiers
# ("huyen", "near_poor", "people", "error"), which would make "huyen" a word.
_NOT_VIETNAMESE_FIELDS = frozenset(
    {"en", "label_en", "means", "level", "key", "population", "rate_key", "count_key", "kind", "severity"}
)
# A message's placeholders ("{subject}: {count}") are no words either.
_PLACEHOLDER = regex.compile(r"\{[^{}]*\}")

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_DIGIT = regex.compile(r"\p{N}")
# A code of a symbol, as the citations read it: a capital first, at most one small letter ("TTg", "CTr", "QyĐ").
# Codes are Latin capitals and "Đ" (or the eth OCR writes for it), never a letter with a tone: "2024 - KẾ
# HOẠCH" holds no symbol.
_CODE = r"[A-ZĐÐ][A-ZĐÐ\d&]*(?:[a-z][A-ZĐÐ\d]*)?(?![\p{L}\p{N}])"
# A document symbol: number (or a number left blank after "Số:"), optional year, then its codes.
_SYMBOL = regex.compile(
    r"(?:(?<![\p{L}\p{N}/.,-])\d{1,5}[a-z]?(?:[ ]?/[ ]?(?:19|20)\d\d(?!\d))?|(?<=^|[\s:(])(?=/))"
    rf"(?P<codes>(?:[ ]?[/-][ ]?{_CODE})+)",
    regex.V1,
)
_CODE_IN_SYMBOL = regex.compile(_CODE, regex.V1)
_STROKED = "ĐÐ"  # "Đ" and the eth OCR writes for it
_JOINING = frozenset(" \t\n,-")
# Characters that glue a token into a path, an address or a file name.
_ADDRESS = frozenset("/\\_@=#~")


@dataclass(frozen=True)
class Change:
    """One repair: ``text[start:end]`` of the input was ``before`` and is now ``after``, following ``reason``."""

    start: int
    end: int
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Correction:
    """The corrected text and every change made to the input, in text order."""

    text: str
    changes: tuple[Change, ...]


# ---------------------------------------------------------------------------------------------------
# Words: fold and spelling keys
# ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[str, str]:
    """(folded, spelling) of a word: ("tieu", "tiêu") for "TIÊU"; spelling keeps marks, one tone placement."""
    lowered = unicodedata.normalize("NFC", word).lower()
    return strip_diacritics(lowered), unify_tone_placement(lowered)


def _phrase_words(phrase: str) -> list[str] | None:
    """The words of a lexicon phrase, or None when it holds a digit (it is then no word run)."""
    words = _TOKEN.findall(phrase)
    if not words or any(_DIGIT.search(word) for word in words):
        return None
    return words


# ---------------------------------------------------------------------------------------------------
# The lexicon, built once
# ---------------------------------------------------------------------------------------------------


def _target_phrases() -> Iterator[tuple[str, str, bool]]:
    """(phrase, why it is a target, may it be corrected as a single word) for every target phrase."""
    for phrases in data.section_kinds().root.values():
        for phrase in phrases:
            yield phrase.lstrip("^"), _HEADING, True
    for entry in data.document_types().types:
        yield entry.name, "document type (document_types.yaml)", True
    citation = data.citation_words()
    for word in (*citation.generic_words, citation.letter_type):
        yield word, "document type (citation_types.yaml)", True
    for phrase in citation.protected_phrases:
        yield phrase, "body name (citation_types.yaml)", True
    admin = data.admin_units()
    for body in admin.bodies:
        for word in body.words:
            yield word, "body name (admin_units.yaml)", True
    for level in admin.levels:
        for word in level.words:
            yield word, "administrative level (admin_units.yaml)", True
    for population in data.populations().populations:
        for phrase in (*population.phrases, population.label_vi):
            yield phrase, "population (populations.yaml)", True
    for indicator in data.indicators().indicators.values():
        for phrase in (*indicator.phrases, *indicator.absent):
            yield phrase, "indicator (indicators.yaml)", True
    for unit in data.units().units:
        for spelling in unit.spellings:
            yield spelling, "unit (units.yaml)", False
    for written in data.money().units:
        yield written, "money unit (money.yaml)", False
    cues = data.cues()
    for phrase in cues.preamble_leads:
        yield phrase, "preamble word (cues.yaml)", False
    for phrase in cues.action_before_count:
        yield phrase, "plan verb (cues.yaml)", False
    for phrase in cues.signer_positions:
        yield phrase, "signer position (cues.yaml)", True


def _strings(value: Any) -> Iterator[str]:
    """Every Vietnamese string inside a dumped data file (English labels skipped)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in _NOT_VIETNAMESE_FIELDS:
                yield from _strings(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from _strings(child)


def _known_spellings() -> Iterator[tuple[str, ...]]:
    """Every listed phrase and every word of every data file, as spellings (never targets)."""
    for name in data.DATA_FILES:
        for string in _strings(data.load(name).model_dump(by_alias=True)):
            words = _phrase_words(_PLACEHOLDER.sub(" ", string).lstrip("^"))
            if words is None:
                continue
            yield tuple(_keys(word)[1] for word in words)
            for word in words:
                yield (_keys(word)[1],)


def _initials(name: str) -> str:
    """A body's name as its symbol code abbreviates it: "hội đồng nhân dân" -> "HĐND", "đảng ủy" -> "ĐU"."""
    return "".join(word[0] if word[0] in "đĐ" else strip_diacritics(word[0]) for word in name.split()).upper()


@dataclass(frozen=True)
class _Lexicon:
    # folded words -> every spelling (target or known) that folds to them
    spellings: dict[tuple[str, ...], frozenset[tuple[str, ...]]]
    # spelling of a target -> why it is one ("document type 'quyết định'"); single words only when allowed
    reasons: dict[tuple[str, ...], str]
    # every prefix of every folded entry: a candidate that is no prefix cannot grow into an entry
    prefixes: frozenset[tuple[str, ...]]
    # folded targets of two words or more and enough letters, by their first and by their second word
    fuzzy_by_first: dict[str, tuple[tuple[str, ...], ...]]
    fuzzy_by_second: dict[str, tuple[tuple[str, ...], ...]]
    # every single word a data file spells: a word written so is a word, not a misread one
    known_words: frozenset[str]
    # targets that name a part of a plan (section_kinds.yaml): in a heading they may replace a known word
    heading_targets: frozenset[tuple[str, ...]]
    # codes a symbol may carry -> why they are known ("type code (document_types.yaml)")
    type_codes: dict[str, str]
    issuer_codes: dict[str, str]


@cache
def _lexicon() -> _Lexicon:
    spellings: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    reasons: dict[tuple[str, ...], str] = {}
    targets: set[tuple[str, ...]] = set()
    heading_targets: set[tuple[str, ...]] = set()
    for phrase, source, single in _target_phrases():
        words = _phrase_words(phrase.lower())
        if words is None:
            continue
        folded = tuple(_keys(word)[0] for word in words)
        spelling = tuple(_keys(word)[1] for word in words)
        spellings[folded].add(spelling)
        if len(words) > 1 or single:
            reasons.setdefault(spelling, f"{source}: {' '.join(spelling)}")
            targets.add(folded)
            if source == _HEADING:
                heading_targets.add(spelling)
    known_words: set[str] = set()
    for spelling in _known_spellings():
        spellings[tuple(strip_diacritics(word) for word in spelling)].add(spelling)
        if len(spelling) == 1:
            known_words.add(spelling[0])
    prefixes = {folded[:size] for folded in spellings for size in range(1, len(folded) + 1)}
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    by_second: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for folded in sorted(targets):
        if 1 < len(folded) <= MAX_PHRASE_WORDS and sum(map(len, folded)) >= MIN_FUZZY_LETTERS:
            by_first[folded[0]].append(folded)
            by_second[folded[1]].append(folded)
    type_codes = {
        code: "type code (document_types.yaml)"
        for entry in data.document_types().types
        for code in entry.codes
    }
    issuers = dict.fromkeys(
        data.citation_words().issuer_codes_implying_type, "issuer code (citation_types.yaml)"
    )
    for body in data.admin_units().bodies:
        for word in body.words:
            code = word.upper() if " " not in word else _initials(unify_tone_placement(word))
            if code.isalpha():
                issuers.setdefault(code, "issuer code (admin_units.yaml)")
    return _Lexicon(
        spellings={folded: frozenset(found) for folded, found in spellings.items()},
        reasons=reasons,
        prefixes=frozenset(prefixes),
        fuzzy_by_first={word: tuple(found) for word, found in by_first.items()},
        fuzzy_by_second={word: tuple(found) for word, found in by_second.items()},
        known_words=frozenset(known_words),
        heading_targets=frozenset(heading_targets),
        type_codes=type_codes,
        issuer_codes=issuers,
    )


# ---------------------------------------------------------------------------------------------------
# Symbols: codes repaired against the symbol grammar
# ---------------------------------------------------------------------------------------------------


def _stroke_only(written: str, known: str) -> bool:
    """True when ``written`` is ``known`` with some "Đ" strokes lost (or an eth for "Đ"), or, in a code of
    three letters or more, with strokes added to "D"."""
    if len(written) != len(known) or written == known:
        return False
    for have, want in zip(written, known, strict=True):
        if have == want:
            continue
        if want == "Đ" and have in "DÐ":
            continue
        if want == "D" and have in _STROKED and len(written) >= 3:
            continue
        return False
    return True


@lru_cache(maxsize=4096)
def _repaired_code(written: str, slot: str) -> tuple[str, str] | None:
    """The one known code of ``slot`` ("type" or "issuer") that ``written`` is a stroke away from, with the
    reason it is known; None when there is none or more than one."""
    lexicon = _lexicon()
    known = lexicon.type_codes if slot == "type" else lexicon.issuer_codes
    if written in known or _DIGIT.search(written):
        return None
    found = [code for code in known if _stroke_only(written, code) or _doubled_letter(written, code)]
    return (found[0], f"{known[found[0]]}: {found[0]}") if len(found) == 1 else None


def _doubled_letter(written: str, code: str) -> bool:
    """True when ``written`` is ``code`` with one of its letters read twice ("ĐĐU" for "ĐU"), OCR's way of
    seeing a bold or blurred letter; codes of one letter never match."""
    if len(written) != len(code) + 1 or len(code) < 2:
        return False
    return any(
        written[index] == written[index - 1] and written[:index] + written[index + 1 :] == code
        for index in range(1, len(written))
    )


def _symbol_changes(text: str) -> tuple[list[Change], list[tuple[int, int]]]:
    """Repairs of symbol codes, and the spans of every symbol (whose words are no words to correct)."""
    changes: list[Change] = []
    spans: list[tuple[int, int]] = []
    type_codes = _lexicon().type_codes
    for match in _SYMBOL.finditer(text):
        spans.append(match.span())
        codes = list(_CODE_IN_SYMBOL.finditer(text, match.start("codes"), match.end("codes")))
        first = codes[0].group()
        first_type = _repaired_code(first, "type")
        # The first code is the type when it is one ("12-NQ/ĐU"); otherwise every code names the issuer
        # ("1424/SLĐTBOXH", an official letter), as the citations read a symbol.
        issuers = codes[1:] if first in type_codes or first_type else codes
        repairs = [(codes[0], first_type)] if first_type else []
        repairs += [(code, _repaired_code(code.group(), "issuer")) for code in issuers]
        for code, repaired in repairs:
            if repaired is not None:
                changes.append(Change(code.start(), code.end(), code.group(), *repaired))
    return changes, spans


# ---------------------------------------------------------------------------------------------------
# Words: runs, candidates, corrections
# ---------------------------------------------------------------------------------------------------


class _Words:
    """The words of a text (tokens without a digit, outside symbols), their current spelling, and the runs of
    words that may form one phrase."""

    def __init__(self, text: str, symbol_spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.starts: list[int] = []
        self.raw: list[str] = []
        self.runs: list[list[int]] = []
        self._capitals: dict[int, bool] = {}
        spans = iter(symbol_spans)
        symbol = next(spans, None)
        run: list[int] = []
        last_end = -1
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            word = token.group()
            if symbol is not None:
                while symbol is not None and symbol[1] <= start:
                    symbol = next(spans, None)
                if symbol is not None and symbol[0] < end:
                    run = self._close(run)
                    continue
            if _DIGIT.search(word) or _in_address(text, start, end):
                run = self._close(run)
                continue
            if run and not _joins(text, last_end, start):
                run = self._close(run)
            run.append(len(self.raw))
            self.starts.append(start)
            self.raw.append(word)
            last_end = end
        self._close(run)
        self.current = list(self.raw)
        self.reasons: list[str | None] = [None] * len(self.raw)

    def _close(self, run: list[int]) -> list[int]:
        if run:
            self.runs.append(run)
        return []

    def in_heading(self, k: int) -> bool:
        """True when word ``k`` opens its line, after a part number or a bullet ("I. MỤC TIÊU"), or its line is
        written in capitals ("MỤC TIÊU, CHỈ TIÊU")."""
        text, start = self.text, self.starts[k]
        line_start = text.rfind("\n", 0, start) + 1
        if _HEADING_LEAD.fullmatch(text, line_start, start):
            return True
        if line_start not in self._capitals:
            line_end = text.find("\n", start)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            self._capitals[line_start] = line.upper() == line and line.lower() != line
        return self._capitals[line_start]


def _in_address(text: str, start: int, end: int) -> bool:
    """True for a token glued to a path, a web address or a file name ("thuvienphapluat.vn/van-ban/…",
    "ke-hoach_2024.docx"): it spells no word of the text."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _ADDRESS or after in _ADDRESS:
        return True
    glued_dot = before == "." and start > 1 and text[start - 2].isalnum()
    return glued_dot or (after == "." and end + 1 < len(text) and text[end + 1].isalnum())


def _joins(text: str, end: int, start: int) -> bool:
    """True when the gap between two words lets them be one phrase: spaces, at most one line break and at most
    one hyphen or comma ("MỤC TIÊU, CHỈ TIÊU", "Lao động - Thương binh")."""
    gap = text[end:start]
    if gap == " ":
        return True
    return (
        len(gap) <= 8
        and set(gap) <= _JOINING
        and gap.count("\n") <= 1
        and gap.count(",") + gap.count("-") <= 1
    )


def _is_title(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def _with_case(written: str, spelling: str) -> str | None:
    """``spelling`` (lower case) in the case pattern of ``written``; None for a mixed case it cannot follow."""
    written = unicodedata.normalize("NFC", written)
    if written.isupper():
        return spelling.upper()
    if written.islower():
        return spelling
    if _is_title(written):
        return spelling[:1].upper() + spelling[1:]
    if len(written) == len(spelling):
        return "".join(
            want.upper() if have.isupper() else want for have, want in zip(written, spelling, strict=True)
        )
    return None


_TONES_ABOVE = frozenset((GRAVE, ACUTE, TILDE, HOOK))


def _marks(letter: str) -> tuple[str, str | None]:
    """(letter without its tone, tone) of one NFC letter: "ệ" -> ("ê", dot below)."""
    decomposed = unicodedata.normalize("NFD", letter)
    tones = [char for char in decomposed if char in TONE_MARKS]
    rest = "".join(char for char in decomposed if char not in TONE_MARKS)
    return unicodedata.normalize("NFC", rest), tones[0] if tones else None


@lru_cache(maxsize=65536)
def _ocr_marks_only(written: str, expected: str) -> bool:
    """True when two words of one fold differ only in marks OCR confuses: a tone lost, added or read as
    another tone written at the same place (above the letter: grave, acute, hook, tilde), a hat or horn
    lost, added or swapped, a stroke of "đ" lost. A tone above is never read as the dot below or back
    ("biến" is no damaged "biện")."""
    if len(written) != len(expected):
        return False
    for have, want in zip(written, expected, strict=True):
        if have == want:
            continue
        have_tone, want_tone = _marks(have)[1], _marks(want)[1]
        if have_tone and want_tone and have_tone != want_tone and not {have_tone, want_tone} <= _TONES_ABOVE:
            return False
    return True


def _one_confused_letter(written: str, expected: str) -> bool:
    """True when two folded words differ by one letter OCR confuses (same length: a substitution)."""
    if len(written) != len(expected) or Levenshtein.distance(written, expected) > MAX_FUZZY_DISTANCE:
        return False
    pairs = [frozenset((a, b)) for a, b in zip(written, expected, strict=True) if a != b]
    return len(pairs) == 1 and pairs[0] in OCR_CONFUSED_LETTERS


def _fuzzy_targets(
    lexicon: _Lexicon, folded: list[str], written: list[str]
) -> tuple[int, set[tuple[str, ...]]]:
    """The longest target phrases starting here with one damaged word, and their length in words."""
    found: dict[int, set[tuple[str, ...]]] = defaultdict(set)
    candidates: Iterable[tuple[str, ...]] = lexicon.fuzzy_by_first.get(folded[0], ())
    if len(folded) > 1:
        candidates = (*candidates, *lexicon.fuzzy_by_second.get(folded[1], ()))
    for target in candidates:
        size = len(target)
        if size > len(folded):
            continue
        damaged = [k for k in range(size) if folded[k] != target[k]]
        if (
            len(damaged) == 1
            and _one_confused_letter(folded[damaged[0]], target[damaged[0]])
            and not is_vietnamese_syllable(written[damaged[0]])
        ):
            found[size].add(target)
    if not found:
        return 0, set()
    size = max(found)
    return size, found[size]


def _longest_entry(lexicon: _Lexicon, folded: list[str]) -> tuple[str, ...] | None:
    """The longest folded entry (target or known spelling) that the folded words start with."""
    found = None
    prefix: tuple[str, ...] = ()
    for word in folded:
        prefix = (*prefix, word)
        if prefix not in lexicon.prefixes:
            break
        if prefix in lexicon.spellings:
            found = prefix
    return found


def _locked(words: _Words, run: list[int], lexicon: _Lexicon) -> set[int]:
    """The words of a run that stand in a phrase of two words or more written exactly as a lexicon writes it
    ("bảo" of "đóng bảo hiểm xã hội"): such a word is right, and no overlapping match may change it."""
    locked: set[int] = set()
    keys = [_keys(words.current[k]) for k in run]
    for index in range(len(run)):
        prefix: tuple[str, ...] = ()
        spelled: tuple[str, ...] = ()
        for folded, spelling in keys[index : index + MAX_PHRASE_WORDS]:
            prefix, spelled = (*prefix, folded), (*spelled, spelling)
            if prefix not in lexicon.prefixes:
                break
            if len(prefix) > 1 and spelled in lexicon.spellings.get(prefix, ()):
                locked.update(run[index : index + len(prefix)])
    return locked


def _correct_run(words: _Words, run: list[int], lexicon: _Lexicon) -> bool:
    """One left-to-right pass over a run of words, longest match first; True when a word changed."""
    changed = False
    locked: set[int] | None = None  # computed when a first change is proposed: most runs have none
    keys = [_keys(words.current[k]) for k in run]
    folded_run = [key[0] for key in keys]
    # Only a word that is no syllable can be a damaged letter: elsewhere the fuzzy look-up is skipped.
    misspelled = [i for i, k in enumerate(run) if not is_vietnamese_syllable(words.current[k])]
    next_misspelled = 0
    index = 0
    while index < len(run):
        end = index + MAX_PHRASE_WORDS
        folded = folded_run[index:end]
        exact = _longest_entry(lexicon, folded)
        size, matched = (len(exact), (exact,)) if exact else (0, ())
        while next_misspelled < len(misspelled) and misspelled[next_misspelled] < index:
            next_misspelled += 1
        if next_misspelled < len(misspelled) and misspelled[next_misspelled] < end:
            window = [words.current[k] for k in run[index:end]]
            fuzzy_size, fuzzy = _fuzzy_targets(lexicon, folded, window)
            if fuzzy_size > size:
                size, matched = fuzzy_size, tuple(fuzzy)
        if size == 0:
            index += 1
            continue
        spellings = {spelling for key in matched for spelling in lexicon.spellings[key]}
        written = tuple(key[1] for key in keys[index : index + size])
        if written in spellings:
            index += 1  # right as written: its words are locked, a longer phrase may start inside it
            continue
        if len(spellings) != 1:
            index += size  # ambiguous: no change, and no part of it is matched again
            continue
        (target,) = spellings
        changes = [
            (index + offset, want)
            for offset, want in enumerate(target)
            if _keys(words.current[run[index + offset]])[1] != want
        ]
        if locked is None:
            locked = _locked(words, run, lexicon)
        if any(run[position] in locked for position, _ in changes) or not _may_correct(
            words, run, index, target, changes, lexicon
        ):
            index += 1
            continue
        for position, want in changes:
            k = run[position]
            words.current[k] = _with_case(words.current[k], want) or words.current[k]
            words.reasons[k] = lexicon.reasons[target]
            changed = True
        index += size
    return changed


def _may_correct(
    words: _Words,
    run: list[int],
    index: int,
    target: tuple[str, ...],
    changes: list[tuple[int, str]],
    lexicon: _Lexicon,
) -> bool:
    """The guards of a unique match at ``run[index]``; ``changes`` are the run positions to respell.

    A target, long enough; marks OCR confuses and a case pattern to follow; no capitalised word next to
    another (a name: "phường An Hòa" is no "phương án", "Trần Thị Trân" no "thị trấn") nor, in a two-word
    target, after a lower-case one (a name begins there: "thị Trân"), no capitalised single word; and a word spelled as a word the data files know ("tiểu", "phần", "an") is respelled only in a
    heading, to a heading word ("I. MỤC TIỂU"), beside a word that is clearly misread ("Quyet dinh": "quyet" is
    no word the data files spell), or inside a phrase with two more words already right ("Ủy bạn nhân dân"):
    a known word is more often another word than a misread one ("phường An" is no "phương án").
    """
    if target not in lexicon.reasons or sum(len(strip_diacritics(word)) for word in target) < MIN_LETTERS:
        return False
    members = run[index : index + len(target)]
    for k, want in zip(members, target, strict=True):
        written = unicodedata.normalize("NFC", words.current[k])
        if _with_case(written, want) is None or not _ocr_marks_only(_keys(written)[1], want):
            return False
    if len(target) == 2:  # "thị Trân": a name begins after "thị"; in "Mặt trận Tô quốc" the other words vouch
        before, after = members
        second_changed = any(position - index == 1 for position, _ in changes)
        if second_changed and _is_title(words.current[after]) and words.current[before].islower():
            return False
    for position, _ in changes:
        if not _is_title(unicodedata.normalize("NFC", words.current[run[position]])):
            continue
        neighbours = [run[near] for near in (position - 1, position + 1) if 0 <= near < len(run)]
        if len(target) == 1 or any(_is_title(words.current[near]) for near in neighbours):
            return False
    known = [_keys(words.current[run[position]])[1] in lexicon.known_words for position, _ in changes]
    if all(known):
        in_heading = target in lexicon.heading_targets and words.in_heading(members[0])
        return in_heading or len(target) - len(changes) >= MIN_CONTEXT_WORDS
    return True


# ---------------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------------


# A heading's Roman numeral as OCR misreads it: "H." for "II.", "Ill." or "lII." for "III.", "lV." for "IV.", "L." for "I.",
# at the start of the text and before a heading in capitals ("H. PHÂN TÍCH KẾT QUẢ …") or in sentence case
# ("IL. Giải pháp thực hiện": a capital, then a lower-case word, not an initial of a name).
# "L." for "I." too: a plan has no fiftieth part.
MISREAD_NUMERAL = regex.compile(
    r"^(?P<numeral>[IVXlLH|]*[lLH|][IVXlLH|]*)(?P<rest>\.\s+(?:[A-ZĐÀ-Ỹ]{2}|\p{Lu}\p{Ll}+\s+\p{Ll}))"
)
NUMERAL_READINGS = {"H": "II", "l": "I", "L": "I", "|": "I"}  # never a digit: "1. MỤC TIÊU" is a heading
ROMAN_NUMERAL = regex.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")


def _heading_numeral_change(text: str) -> Change | None:
    """The repair of a misread Roman heading numeral ("H. PHÂN TÍCH" -> "II. PHÂN TÍCH"), or None: only
    when the letters OCR confuses, read back, give a Roman numeral."""
    found = MISREAD_NUMERAL.match(text)
    if found is None:
        return None
    before = found.group("numeral")
    after = "".join(NUMERAL_READINGS.get(char, char) for char in before)
    if after == before or not ROMAN_NUMERAL.match(after):
        return None
    return Change(0, len(before), before, after, "heading numeral (OCR confusions of I and H)")


# Specks OCR reads as punctuation: an en dash read as two hyphens ("văn hóa -- xã hội"), an apostrophe inside
# a word ("UBM'TTQVN") or opening one that no quote closes ("'Tư pháp"); Vietnamese words hold no apostrophe.
DOUBLED_DASH = regex.compile(r"(?<=\s)--(?=\s)")
QUOTE_INSIDE_WORD = regex.compile(r"(?<=\p{L})['’‘`](?=\p{L})")
QUOTE_OPENING_WORD = regex.compile(r"(?:(?<=\s)|^)['‘`](?=\p{L})")
CLOSING_QUOTES = "'’`\""
# A token of nothing but marks no plan writes alone (a ruling line's stub, a speck): "ˆ ` ~. Hộ nghèo".
# ("|" and brackets are left: a web copy's table writes its columns apart with them.)
SPECK_TOKEN = regex.compile(r"(?:(?<=\s)|^)[ˆ`~¦]+[.,]?(?:\s+|$)")


def _punctuation_changes(text: str) -> list[Change]:
    """The specks of punctuation OCR added ("--" for "-", a stray apostrophe), as changes."""
    changes = [
        Change(m.start(), m.end(), m.group(), "-", "dash read as two hyphens")
        for m in DOUBLED_DASH.finditer(text)
    ]
    changes += [
        Change(m.start(), m.end(), m.group(), "", "speck read as an apostrophe")
        for m in QUOTE_INSIDE_WORD.finditer(text)
    ]
    for match in SPECK_TOKEN.finditer(text):
        before, after = text[: match.start()].rstrip()[-1:], text[match.end() :][:1]
        if not (before.isdigit() and after.isdigit()):  # "1 | 2" stays: never join two numbers
            changes.append(Change(match.start(), match.end(), match.group(), "", "speck read as a mark"))
    for match in QUOTE_OPENING_WORD.finditer(text):
        if not any(char in CLOSING_QUOTES for char in text[match.end() :]):
            changes.append(
                Change(match.start(), match.end(), match.group(), "", "speck read as an apostrophe")
            )
    return changes


def correct_ocr_text(text: str) -> Correction:
    """Correct the lexicon words and symbol codes OCR damaged in ``text``; every change keeps its input span.

    "I. MỤC TIỂU, CHỈ TIỂU" -> "I. MỤC TIÊU, CHỈ TIÊU"; "người nghẻo" -> "người nghèo"; "Quyết dịnh số
    12/QD-UBND" -> "Quyết định số 12/QĐ-UBND"; "H. PHÂN TÍCH" -> "II. PHÂN TÍCH". Correct text comes back
    identical, and so does a corrected one.
    """
    lexicon = _lexicon()
    changes, symbol_spans = _symbol_changes(text)
    numeral = _heading_numeral_change(text)
    if numeral is not None:
        changes.append(numeral)
        symbol_spans = [*symbol_spans, (numeral.start, numeral.end)]
    for change in _punctuation_changes(text):
        if not any(start < change.end and change.start < end for start, end in symbol_spans):
            changes.append(change)
            symbol_spans = [*symbol_spans, (change.start, change.end)]
    words = _Words(text, symbol_spans)
    runs = words.runs
    for _ in range(MAX_PASSES):
        runs = [run for run in runs if _correct_run(words, run, lexicon)]
        if not runs:
            break
    for k, now in enumerate(words.current):
        reason = words.reasons[k]
        if now != words.raw[k] and reason is not None:
            start = words.starts[k]
            changes.append(Change(start, start + len(words.raw[k]), words.raw[k], now, reason))
    changes.sort(key=lambda change: change.start)
    pieces = []
    position = 0
    for change in changes:
        pieces.append(text[position : change.start])
        pieces.append(change.after)
        position = change.end
    pieces.append(text[position:])
    return Correction(text="".join(pieces), changes=tuple(changes))
