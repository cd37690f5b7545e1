"""Citations of other documents: "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ".

A mention is read in two steps:

1. its head, which says which document is cited: a type word with its symbol ("Nghị quyết số 65/NQ - HĐND"),
   a law by name ("Luật bảo hiểm y tế"), or a symbol alone whose codes say what it is ("theo 86/2015/NĐ-CP");
2. its tail, up to the next head: the date ("ngày 02/10/2015"), the issuer ("của Chính phủ"), a date written
   after the issuer ("của BCH Đảng bộ xã ngày 26/12/2023") and the subject ("về giảm nghèo năm 2024 …").

Mentions with the same symbol (for laws cited by name, the same name) are one ``Citation``. A type word with no
number ("xây dựng kế hoạch giảm nghèo", "Chương trình 135", "Dự án 5") cites nothing, and neither does a number
left blank ("Kèm theo Kế hoạch số: /KH-UBND"), the document's own number ("Số: 267/KH-UBND") or a form
("Mẫu số 01/BC-UBND"). Words, codes and lexicons live in ``extractor/data/citation_types.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from extractor import data
from extractor.normalize.dates import find_dates
from extractor.normalize.patterns import find_at_words
from extractor.normalize.text import matching_key
from extractor.structure.plan_text import PlanText
from models.citations import Citation, CitationMention, SymbolParts
from models.provenance import Span
from models.values import PartialDate

# How far past a head the tail is read: a date, an issuer of a dozen words, a subject of a sentence.
DATE_WINDOW = 48
ISSUER_WINDOW = 160
SUBJECT_WINDOW = 400
MAX_ISSUER_WORDS = 16
MAX_LAW_NAME_WORDS = 14
# "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương"
MAX_AMENDING_LAW_NAME_WORDS = 40
LINE_CONTEXT = 60

_NOT_WORD_BEFORE = r"(?<![\p{L}\p{N}])"
_NOT_WORD_AFTER = r"(?![\p{L}\p{N}])"


# ---------------------------------------------------------------------------------------------------
# Vocabulary (data file) and patterns, built once per process
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationVocabulary:
    """The type words and codes of ``citation_types.yaml``, keyed for lookup."""

    type_by_word: dict[str, str | None]  # casefolded word -> type name; None for generic words ("Văn bản")
    type_word_spellings: tuple[str, ...]  # the words as written in the data file
    law_types: frozenset[str]  # types cited by name ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")
    code_by_upper: dict[str, str]  # "QĐ" -> "QĐ", "CTR" -> "CTr": codes as written in the data file
    type_by_code: dict[str, str]  # "NĐ" -> "Nghị định"
    issuer_code_types: dict[str, str]  # "QH" -> "Luật"
    letter_type: str
    not_cited_after: tuple[str, ...]
    protected_phrases: tuple[str, ...]
    issuer_stop_words: tuple[str, ...]
    law_name_stop_words: tuple[str, ...]
    not_law_after: frozenset[str]
    not_law_before: frozenset[str]


@cache
def load_vocabulary() -> CitationVocabulary:
    """The type words and codes of ``data/document_types.yaml`` and the lexicons of ``citation_types.yaml``."""
    types = data.document_types().types
    words = data.citation_words()
    type_by_word: dict[str, str | None] = {}
    code_by_upper: dict[str, str] = {}
    type_by_code: dict[str, str] = {}
    for entry in types:
        type_by_word[entry.name.casefold()] = entry.name
        for code in entry.codes:
            code_by_upper[code.upper()] = code
            type_by_code[code] = entry.name
    for word in words.generic_words:
        type_by_word[word.casefold()] = None
    return CitationVocabulary(
        type_by_word=type_by_word,
        type_word_spellings=tuple(words.generic_words) + tuple(entry.name for entry in types),
        law_types=frozenset(entry.name for entry in types if entry.by_name),
        code_by_upper=code_by_upper,
        type_by_code=type_by_code,
        issuer_code_types=dict(words.issuer_codes_implying_type),
        letter_type=words.letter_type,
        not_cited_after=tuple(words.not_cited_after),
        protected_phrases=tuple(words.protected_phrases),
        issuer_stop_words=tuple(words.issuer_stop_words),
        law_name_stop_words=tuple(words.law_name_stop_words),
        not_law_after=frozenset(word.casefold() for word in words.not_law_after),
        not_law_before=frozenset(word.casefold() for word in words.not_law_before),
    )


def _words_pattern(words: list[str] | tuple[str, ...], ignore_case: bool = True) -> str:
    """An alternation of ``words`` (longest first, inner spaces matching any run of spaces) as whole words;
    "TP." ends at its dot, so "TP.Hà Nội" is found too."""
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        pattern = r"\s+".join(regex.escape(part) for part in word.split())
        alternatives.append(pattern + (_NOT_WORD_AFTER if word[-1].isalnum() else ""))
    flags = "?i:" if ignore_case else "?:"
    return rf"{_NOT_WORD_BEFORE}({flags}{'|'.join(alternatives)})"


def _symbol_pattern(space: str) -> str:
    """A document symbol: "86/2015/NĐ-CP", "12-NQ/ĐU", "1424/SLĐTBOXH", "24/2021/QH15".

    ``space`` is what may stand around a separator: nothing for a symbol standing alone, a single space after
    a type word, where plans write "65/NQ - HĐND". A code starts with a capital and has at most one small
    letter ("TTg", "CTr", "QyĐ"), so "135 - Dự án" is no symbol. Compile without IGNORECASE: it would let
    \\p{Lu} match small letters.
    """
    separator = rf"{space}[/-]{space}"
    code = r"\p{Lu}[\p{Lu}\d&]*(?:[a-z][\p{Lu}\d]*)?(?![\p{L}\p{N}])"
    return (
        r"(?<![\p{L}\p{N}/.,-])(?P<seq>\d{1,5}[a-z]?)"
        rf"(?:{space}/{space}(?P<year>(?:19|20)\d\d)(?!\d))?"
        rf"(?P<codes>(?:{separator}{code})+)"
    )


@dataclass(frozen=True)
class _Patterns:
    type_word: regex.Pattern[str]
    # The first syllables of the type words, lower case ("nghị", "quyết", "luật"): where a type word can start.
    type_word_starts: tuple[str, ...]
    symbol_after_word: regex.Pattern[str]
    bare_symbol: regex.Pattern[str]
    protected: regex.Pattern[str]
    issuer_stop: regex.Pattern[str]
    law_name_stop: regex.Pattern[str]


@cache
def _patterns() -> _Patterns:
    vocabulary = load_vocabulary()
    type_word = _words_pattern(list(vocabulary.type_word_spellings))
    # "số", "số:", "Số :" between the type word and the number; "so" when OCR lost the hook.
    number_word = r"[ \t]{0,3}(?:(?i:số|so)(?![\p{L}\p{N}])\s{0,3})?(?::\s{0,3})?"
    return _Patterns(
        type_word=regex.compile(rf"(?P<word>{type_word})"),
        type_word_starts=tuple(sorted({word.split()[0].lower() for word in vocabulary.type_word_spellings})),
        symbol_after_word=regex.compile(number_word + _symbol_pattern("[ ]?")),
        bare_symbol=regex.compile(_symbol_pattern("")),
        protected=regex.compile(_words_pattern(vocabulary.protected_phrases)),
        issuer_stop=regex.compile(
            rf"\s+{_words_pattern(vocabulary.issuer_stop_words)}|[ \t]*[;,:(\n]|\.(?=\s|$)"
            rf"|\s+(?i:và)\s+(?=\p{{Ll}}|{type_word})"
        ),
        # Lower case only: a law's name may start with one of these words ("Luật Ban hành văn bản …").
        law_name_stop=regex.compile(_words_pattern(vocabulary.law_name_stop_words, ignore_case=False)),
    )


# ---------------------------------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------------------------------

_SPACES = regex.compile(r"\s+")
_SYMBOL_PARTS = regex.compile(r"(?P<seq>\d+[a-z]?)(?:/(?P<year>\d{4}))?[/-](?P<codes>.+)")
_CODE_SEPARATOR = regex.compile(r"([/-])")
_LEADING_ZEROS = regex.compile(r"^0+(?=\d)")


def normalize_symbol(written: str) -> str:
    """The symbol as cited with inner spaces removed: "65/NQ - HĐND" -> "65/NQ-HĐND"."""
    return _SPACES.sub("", written)


def parse_symbol(symbol: str) -> SymbolParts:
    """Take a normalized symbol apart: "86/2015/NĐ-CP" -> seq "86", year 2015, type_code NĐ, issuer_code CP.

    The first code is the type code when it is one ("12-NQ/ĐU" -> NQ, ĐU); otherwise every code names the
    issuer ("87/LĐTBXH-VPQGGN" -> issuer_code "LĐTBXH-VPQGGN", an official letter).
    """
    match = _SYMBOL_PARTS.fullmatch(symbol)
    if match is None:
        return SymbolParts()
    codes = _CODE_SEPARATOR.split(match["codes"])
    type_code = load_vocabulary().code_by_upper.get(codes[0].upper())
    issuer = "".join(codes[2:] if type_code else codes) or None
    return SymbolParts(
        seq=match["seq"],
        year=int(match["year"]) if match["year"] else None,
        type_code=type_code,
        issuer_code=issuer,
    )


def type_from_symbol(parts: SymbolParts) -> str:
    """The type a symbol implies when no type word is written: "86/2015/NĐ-CP" -> Nghị định,
    "24/2021/QH15" -> Luật, "1424/SLĐTBOXH" -> Công văn."""
    vocabulary = load_vocabulary()
    if parts.type_code:
        return vocabulary.type_by_code[parts.type_code]
    first_issuer = (parts.issuer_code or "").split("-")[0].split("/")[0]
    # "QH15" is Quốc hội of the 15th term: the code without its term number.
    return vocabulary.issuer_code_types.get(first_issuer.rstrip("0123456789"), vocabulary.letter_type)


def _symbol_key(symbol: str) -> str:
    """Symbols of the same document compare equal: "03/CTr-UBND" and "3/CTR-UBND"."""
    return _LEADING_ZEROS.sub("", symbol).casefold()


# ---------------------------------------------------------------------------------------------------
# Heads: what a mention cites
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Head:
    """The part of a mention that names the document: ``text[start:end]``."""

    start: int
    end: int
    type: str
    typed: bool  # the type was written as a word, not inferred from the symbol
    symbol: str | None = None
    title: str | None = None
    self_reference: bool = False  # the plan's own number: "Số: 267/KH-UBND", "(Kèm theo Kế hoạch số …"


def _line_before(text: str, offset: int) -> tuple[str, bool]:
    """The text before ``offset`` on its line (at most LINE_CONTEXT characters), and whether that is the
    whole of it."""
    line_start = text.rfind("\n", 0, offset) + 1
    if offset - line_start > LINE_CONTEXT:
        return text[offset - LINE_CONTEXT : offset], False
    return text[line_start:offset], True


_OWN_NUMBER = regex.compile(r"[\s*]*(?i:số)[\s:]*")
_ATTACHED_TO = regex.compile(r"(?:^|[(*])[\s*]*(?i:kèm\s+theo)\s*$")
_NUMBER_WORD_BEFORE = regex.compile(r"[\s:]*(?:(?i:số)[\s:]*)?$")


def _is_self_reference(text: str, start: int) -> bool:
    """ "Số: 267/KH-UBND" heading the document, or "(Kèm theo Kế hoạch số …" heading its appendix: the plan's
    own number, not a cited document."""
    before, whole_line = _line_before(text, start)
    if whole_line and _OWN_NUMBER.fullmatch(before):
        return True
    attached = _ATTACHED_TO.search(before)
    return attached is not None and (whole_line or attached.group()[:1] in "(*")


def _names_a_form(text: str, start: int) -> bool:
    """ "Mẫu số 01/BC-UBND", "Biểu số 02/KH": a form's code, not a cited document."""
    before, _ = _line_before(text, start)
    before = before[: _NUMBER_WORD_BEFORE.search(before).start()].casefold()
    return any(
        before.endswith(word) and not before[: len(before) - len(word)][-1:].isalpha()
        for word in load_vocabulary().not_cited_after
    )


def _typed_type(word: str, written_type: str | None, parts: SymbolParts) -> str:
    """The type of "Nghị quyết số 65/NQ-HĐND": the word wins, except a generic word ("Văn bản") or a
    lower-case common noun whose symbol says otherwise ("theo quy định 86/2015/NĐ-CP" is a Nghị định)."""
    if written_type is None:
        return type_from_symbol(parts)
    if word[:1].islower() and parts.type_code and type_from_symbol(parts) != written_type:
        return type_from_symbol(parts)
    return written_type


def _head_at_type_word(text: str, match: regex.Match[str]) -> _Head | None:
    vocabulary = load_vocabulary()
    word = match["word"]
    written_type = vocabulary.type_by_word[_SPACES.sub(" ", word).casefold()]
    if written_type in vocabulary.law_types:
        return _law_head(text, match, written_type)
    symbol_match = _patterns().symbol_after_word.match(text, match.end())
    if symbol_match is None:
        return None  # "xây dựng kế hoạch giảm nghèo", "Chương trình 135", "Kế hoạch số: /KH-UBND"
    symbol = normalize_symbol(text[symbol_match.start("seq") : symbol_match.end()])
    return _Head(
        start=match.start(),
        end=symbol_match.end(),
        type=_typed_type(word, written_type, parse_symbol(symbol)),
        typed=written_type is not None,
        symbol=symbol,
        self_reference=_is_self_reference(text, match.start()),
    )


def _bare_head(text: str, match: regex.Match[str]) -> _Head | None:
    """A symbol with no type word before it: "và 145/2018/NĐ-CP", "theo 86/2015/NĐ-CP"."""
    if _names_a_form(text, match.start()):
        return None
    symbol = normalize_symbol(match.group())
    return _Head(
        start=match.start(),
        end=match.end(),
        type=type_from_symbol(parse_symbol(symbol)),
        typed=False,
        symbol=symbol,
        self_reference=_is_self_reference(text, match.start()),
    )


# ---------------------------------------------------------------------------------------------------
# Laws cited by name
# ---------------------------------------------------------------------------------------------------

_TOKEN = regex.compile(r"(?P<gap>\s*)(?P<token>[\p{L}\p{N}][\p{L}\p{M}\p{N}]*|[^\s\p{L}\p{N}])")
_YEAR = regex.compile(r"(?:19|20)\d\d")
_AMENDING = regex.compile(r"sửa\s+đổi,?\s+bổ\s+sung", regex.IGNORECASE)


_LAST_WORD = regex.compile(r"([\p{L}\p{M}]+)\s*$")


def _previous_word(text: str, offset: int) -> str:
    match = _LAST_WORD.search(text[max(0, offset - 20) : offset])
    return match.group(1).casefold() if match else ""


def _law_head(text: str, match: regex.Match[str], law_type: str) -> _Head | None:
    """ "Luật bảo hiểm y tế", "Bộ luật Lao động", "Luật Ngân sách nhà nước năm 2015", "Luật số 35/2018/QH14".

    Not a law: "luật" inside a phrase ("theo quy định của pháp luật", "kỷ luật", "Luật sư", "luật định"),
    and a lower-case "luật" not followed by a capitalised name.
    """
    patterns = _patterns()
    if _previous_word(text, match.start()) in load_vocabulary().not_law_after:
        return None
    symbol_match = patterns.symbol_after_word.match(text, match.end())
    title = None
    if symbol_match is None:
        name_end, name_words = _law_name_end(text, match.end(), needs_capital=match["word"][:1].islower())
        if name_words == 0 and law_type != "Hiến pháp":
            return None  # "các Luật,", "Luật này"
        title = text[match.start() : name_end]
        symbol_match = patterns.symbol_after_word.match(text, name_end)
    end = symbol_match.end() if symbol_match else match.start() + len(title or "")
    symbol = normalize_symbol(text[symbol_match.start("seq") : symbol_match.end()]) if symbol_match else None
    return _Head(start=match.start(), end=end, type=law_type, typed=True, symbol=symbol, title=title)


def _law_name_end(text: str, start: int, needs_capital: bool) -> tuple[int, int]:
    """Where the name after "Luật" ends, and how many words it has: before "số", "ngày", ",", ";", "(", a
    lower-case word that starts the rest of the sentence ("quy định", "hiện hành"), "và" + another document,
    or the line's end. "năm 2015" belongs to the name and ends it."""
    vocabulary = load_vocabulary()
    patterns = _patterns()
    protected = [m.span() for m in patterns.protected.finditer(text, start, min(len(text), start + 400))]
    end, words, amending = start, 0, False
    while words < (MAX_AMENDING_LAW_NAME_WORDS if amending else MAX_LAW_NAME_WORDS):
        token = _TOKEN.match(text, end)
        if token is None or "\n" in token["gap"]:
            break
        word, at = token["token"], token.start("token")
        if any(low <= at < high for low, high in protected):
            end, words = token.end(), words + 1
            amending = amending or bool(_AMENDING.search(text, start, end))
            continue
        if not word[0].isalpha():
            break
        if words == 0 and (
            word.casefold() in vocabulary.not_law_before or (needs_capital and word[0].islower())
        ):
            break
        if word.casefold() == "năm":
            year = _TOKEN.match(text, token.end())
            if year is not None and "\n" not in year["gap"] and _YEAR.fullmatch(year["token"]):
                end = year.end()
            break
        if word == "và" and _continues_after_and(text, token.end(), amending):
            end, words = token.end(), words + 1
            continue
        if word == "của" and amending:
            end, words = token.end(), words + 1
            continue
        if patterns.law_name_stop.match(text, at):
            break
        # A capitalised type word starts another document ("Luật Đất đai, Nghị định …"); a lower-case one is part
        # of the name ("Luật Ban hành văn bản quy phạm pháp luật").
        document = patterns.type_word.match(text, at) if word[0].isupper() else None
        if document is not None and words > 0 and not (amending and _is_law_word(document["word"])):
            break
        end, words = token.end(), words + 1
    return end, words


def _is_law_word(word: str) -> bool:
    vocabulary = load_vocabulary()
    return vocabulary.type_by_word.get(_SPACES.sub(" ", word).casefold()) in vocabulary.law_types


def _continues_after_and(text: str, offset: int, amending: bool) -> bool:
    """ "Luật Bảo vệ và Phát triển rừng" continues; "Luật bảo hiểm y tế và hướng dẫn …" and "Luật Đất đai và
    Nghị định …" stop; an amending law names the laws it amends ("… của Luật A và Luật B")."""
    following = _TOKEN.match(text, offset)
    if following is None or not following["token"][0].isupper():
        return False
    document = _patterns().type_word.match(text, following.start("token"))
    if document is None:
        return True
    return amending and _is_law_word(document["word"])


# ---------------------------------------------------------------------------------------------------
# Tails: date, issuer, subject
# ---------------------------------------------------------------------------------------------------

_DATE_GAP = regex.compile(
    r"[ \t]*[,(]?[ \t]*(?:(?:được[ \t]+)?(?:ban[ \t]+hành|ký)[ \t]+)?", regex.IGNORECASE
)
_ISSUER_INTRO = regex.compile(r"[ \t]*,?[ \t]*(?:của|do)[ \t]+", regex.IGNORECASE)
_SUBJECT_INTRO = regex.compile(r"[ \t]*,?[ \t]*(?:về[ \t]+việc|về|v/v)[ \t]*:?[ \t]+", regex.IGNORECASE)
_SUBJECT_END = regex.compile(r"[;\n]|\.(?=\s|$|/)")
_TRIM = " \t,.:-"
# A phrase cut at the next cited document may end in "và" ("của Thủ tướng Chính phủ và | Thông tư số …").
_DANGLING_AND = regex.compile(r"(?:[\s,]+(?i:và|hoặc|cùng))+[\s,]*$")


def _trimmed(phrase: str) -> str:
    return _DANGLING_AND.sub("", phrase.strip(_TRIM)).strip(_TRIM)


@dataclass(frozen=True)
class _Tail:
    end: int  # end of the last part of the mention (date or issuer), the subject excluded
    date: PartialDate | None
    issuer: str | None
    subject: str | None


def _date_after(text: str, offset: int, limit: int) -> tuple[PartialDate | None, int]:
    """A date written right after ``offset``: "ngày 02/10/2015", "(ngày 19 tháng 12 năm 2019)", "5/4/2024"."""
    start = _DATE_GAP.match(text, offset).end()
    window = text[start : min(limit, start + DATE_WINDOW)]
    found = find_dates(window, source="citation")
    if not found or found[0].start != 0:
        return None, offset
    match = found[0]
    span = Span(start=start + match.start, end=start + match.end)
    return match.date.model_copy(update={"span": span}), span.end


def _issuer_after(text: str, offset: int, limit: int) -> tuple[str | None, int]:
    """The "của …" phrase: "của Sở Lao động-Thương binh và Xã hội tỉnh Sơn La", stopping at "về", "ngày",
    ";", ",", "." or "và" + a lower-case word, except inside a protected name."""
    intro = _ISSUER_INTRO.match(text, offset)
    if intro is None:
        return None, offset
    start = intro.end()
    window_end = min(limit, start + ISSUER_WINDOW)
    patterns = _patterns()
    protected = [m.span() for m in patterns.protected.finditer(text, start, window_end)]
    end = window_end
    for stop in patterns.issuer_stop.finditer(text, start, window_end):
        visible = stop.start() + len(stop.group()) - len(stop.group().lstrip())
        if not any(low <= visible < high for low, high in protected):
            end = stop.start()
            break
    written = text[start:end]
    issuer = _trimmed(written)
    if not issuer:
        return None, offset
    issuer_end = start + written.find(issuer) + len(issuer)
    words = issuer.split()
    if len(words) > MAX_ISSUER_WORDS:
        issuer = " ".join(words[:MAX_ISSUER_WORDS])
    return issuer, issuer_end


def _subject_after(text: str, offset: int, limit: int) -> str | None:
    """The "về …" phrase: "về việc giao chỉ tiêu …" -> "giao chỉ tiêu …", up to ";", the line's or the
    sentence's end, or the next cited document."""
    intro = _SUBJECT_INTRO.match(text, offset)
    if intro is None:
        return None
    window_end = min(limit, intro.end() + SUBJECT_WINDOW)
    stop = _SUBJECT_END.search(text, intro.end(), window_end)
    subject = _trimmed(text[intro.end() : stop.start() if stop else window_end])
    return subject or None


def _read_tail(text: str, offset: int, limit: int) -> _Tail:
    date, end = _date_after(text, offset, limit)
    issuer, end = _issuer_after(text, end, limit)
    if date is None and issuer is not None:
        date, end = _date_after(text, end, limit)
    return _Tail(end=end, date=date, issuer=issuer, subject=_subject_after(text, end, limit))


# ---------------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mention:
    head: _Head
    tail: _Tail
    mention: CitationMention


def find_citations(plan: PlanText) -> list[Citation]:
    """Every document the plan cites, one ``Citation`` per document with each place it is cited.

    Mentions before the first numbered part (the preamble of legal bases) give the role "basis", later ones
    "reference". "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND
    huyện Thủy Nguyên về giảm nghèo năm 2024 trên địa bàn huyện;" -> Citation(type "Kế hoạch", symbol
    "15/KH-UBND", date 2024-01-10, issuer "UBND huyện Thủy Nguyên", subject "giảm nghèo năm 2024 trên địa
    bàn huyện", role "basis").
    """
    text, preamble_end = plan.text, plan.preamble_end
    heads = _find_heads(text)
    own = {_symbol_key(head.symbol) for head in heads if head.self_reference and head.symbol}
    mentions = []
    for index, head in enumerate(heads):
        if head.self_reference or (head.symbol and _symbol_key(head.symbol) in own):
            continue
        limit = heads[index + 1].start if index + 1 < len(heads) else len(text)
        tail = _read_tail(text, head.end, limit)
        end = max(head.end, tail.end)
        mention = CitationMention(
            span=Span(start=head.start, end=end),
            raw=text[head.start : end],
            date=tail.date,
            page=plan.page_at(head.start),
            section_id=plan.index.id_at(head.start),
        )
        mentions.append(_Mention(head, tail, mention))
    return [
        _citation(f"c{number}", group, preamble_end)
        for number, group in enumerate(_group_by_document(mentions), start=1)
    ]


def _find_heads(text: str) -> list[_Head]:
    """Heads in text order; a symbol inside a typed head ("Nghị định số 86/2015/NĐ-CP") is not read again."""
    patterns = _patterns()
    found = [head for match in _type_words(text) if (head := _head_at_type_word(text, match))]
    found += [head for match in patterns.bare_symbol.finditer(text) if (head := _bare_head(text, match))]
    found.sort(key=lambda head: (head.start, -head.end))
    heads: list[_Head] = []
    for head in found:
        if heads and head.start < heads[-1].end:
            continue
        heads.append(head)
    return heads


def _type_words(text: str) -> list[regex.Match[str]]:
    """The type words of ``text`` ("Nghị quyết", "QUYẾT ĐỊNH", "luật"), the same matches as
    ``type_word.finditer(text)``.

    Why not that call: the regex module scans a case-insensitive alternation of thirty words at about 10 M
    characters/s, a third of the time of the whole citation stage. ``str.find`` of the first syllables in the
    lower-cased text finds the few places where a type word can start, and the pattern is tried only there.
    """
    patterns = _patterns()
    return find_at_words(patterns.type_word, text, text.lower(), patterns.type_word_starts)


# ---------------------------------------------------------------------------------------------------
# One Citation per document
# ---------------------------------------------------------------------------------------------------

_TRAILING_YEAR = regex.compile(r"\s+(?:năm\s+)?(?:19|20)\d\d$")


def _title_key(title: str) -> str:
    return matching_key(title)


def _group_by_document(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Mentions of one document together, groups in order of first mention: same symbol, or for laws cited
    by name the same name ("Luật Ngân sách nhà nước" joins "Luật Ngân sách nhà nước năm 2015" when that is the
    only one of its name, and joins a numbered citation of the same name)."""
    groups: dict[str, list[_Mention]] = {}
    titles: dict[str, str] = {}  # title key -> group key, for laws cited with a symbol and a name
    for item in mentions:
        head = item.head
        if head.symbol:
            key = "symbol:" + _symbol_key(head.symbol)
            if head.title:
                titles.setdefault(_title_key(head.title), key)
        else:
            key = "title:" + _title_key(head.title or "")
        groups.setdefault(key, []).append(item)
    merged: dict[str, list[_Mention]] = {}
    for key, group in groups.items():
        target = _merge_target(key, groups, titles)
        merged.setdefault(target, []).extend(group)
    ordered = sorted(merged.values(), key=lambda group: min(item.head.start for item in group))
    return [sorted(group, key=lambda item: item.head.start) for group in ordered]


def _merge_target(key: str, groups: dict[str, list[_Mention]], titles: dict[str, str]) -> str:
    if not key.startswith("title:"):
        return key
    title = key.removeprefix("title:")
    if title in titles:
        return titles[title]
    if _TRAILING_YEAR.search(title):
        return key
    with_year = [
        other
        for other in groups
        if other.startswith("title:")
        and _TRAILING_YEAR.sub("", other.removeprefix("title:")) == title
        and other != key
    ]
    return with_year[0] if len(with_year) == 1 else key


def _agreed_date(mentions: list[CitationMention]) -> PartialDate | None:
    """The date the dated mentions agree on; None when none is dated or two differ (19/12/2019 vs 09/12/2019)."""
    dated = [mention.date for mention in mentions if mention.date is not None]
    if not dated or len({(date.year, date.month, date.day) for date in dated}) > 1:
        return None
    return dated[0]


def _citation(citation_id: str, group: list[_Mention], preamble_end: int) -> Citation:
    heads = [item.head for item in group]
    typed = [head for head in heads if head.typed]
    symbol = next((head.symbol for head in heads if head.symbol), None)
    mentions = [item.mention for item in group]
    return Citation(
        id=citation_id,
        type=(typed[0] if typed else heads[0]).type,
        symbol=symbol,
        parts=parse_symbol(symbol) if symbol else None,
        date=_agreed_date(mentions),
        issuer=next((item.tail.issuer for item in group if item.tail.issuer), None),
        subject=next((item.tail.subject for item in group if item.tail.subject), None),
        title=next((head.title for head in heads if head.title), None),
        role="basis" if any(head.start < preamble_end for head in heads) else "reference",
        mentions=mentions,
    )
