"""What the text says about its own scope and about its attachments, read for the scope checks.

A commune's plan speaks of itself without its name: "trên địa bàn xã", "toàn xã", "UBND xã", "cấp xã". When
such a phrase names another level ("trên địa bàn huyện" in a commune's plan, "UBMTTQ xã" in a ward's), the
text was often copied from another unit's plan. ``find_level_mentions`` records these unnamed mentions; the
checks compare them with the plan's own level. A level word followed by a name ("UBND huyện Thủy Nguyên")
names another unit on purpose and is not recorded, unless the name is the plan's own ("UBND xã Cao Nhân").

``find_attachment_references`` records promises of attached material: "(Có biểu 01, 02, 03 kèm theo)".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Literal

import regex

from extractor import data
from extractor.normalize.patterns import alternation, find_at_words
from extractor.normalize.text import fold
from extractor.structure.plan_text import PlanText
from models.provenance import Span
from models.references import AttachmentReference, LevelMention

MentionRole = Literal["scope", "body", "tier"]

# ---------------------------------------------------------------------------------------------------------
# Vocabulary. Level words ("xã", "thị xã", …) and the names of bodies ("UBND", "Ủy ban MTTQ", …) come from
# data/admin_units.yaml; the words below only say how a plan points at a unit without naming it.
# ---------------------------------------------------------------------------------------------------------

# Words that make the level the area the plan covers: "trên địa bàn xã", "toàn huyện", "phạm vi toàn xã".
SCOPE_CUES = (
    "trên địa bàn toàn",
    "trên địa bàn",
    "địa bàn toàn",
    "địa bàn",
    "trên phạm vi toàn",
    "trên phạm vi",
    "phạm vi toàn",
    "phạm vi",
    "trong toàn",
    "toàn",
    "cả",
)
# Bodies a plan names by level alone, besides those of admin_units.yaml: "UBMTTQVN xã", "Đảng bộ xã",
# "Ban chỉ đạo xã", "BCĐ phường".
EXTRA_BODY_CUES = (
    "ubmttqvn",
    "ủy ban mttq việt nam",
    "ủy ban mttq",
    "mặt trận tổ quốc việt nam",
    "mặt trận tổ quốc",
    "mttq",
    "đảng bộ",
    "ban chỉ đạo",
    "bcđ",
)
# "cấp xã" names the commune tier as a whole (xã, phường and thị trấn alike), not one unit.
TIER_CUES = ("cấp",)
# Syllables after "xã" that make it another word: "xã hội" (society), "xã viên" (a co-operative's member).
NOT_A_LEVEL_AFTER = {"xã": ("hội", "viên", "giao", "luận")}
# Words before a cue that make the phrase generic: "các UBND xã", "từng Đảng bộ xã".
GENERIC_BEFORE = ("các", "những", "mỗi", "từng", "mọi", "nhiều")
GENERIC_LOOKBACK = 40  # characters: the longest generic word and the spaces after it, with room to spare
# Upper-case words after a level word in an upper-case title that are not a unit's name: "TRÊN ĐỊA BÀN XÃ NĂM 2024".
CAPITAL_NON_NAMES = frozenset({"nam", "giai", "den", "ve", "trong", "theo", "co", "la", "va"})

# Attachments: the nouns, how they are promised, and the kind the output gives them.
ATTACHMENT_NOUNS = {
    "biểu mẫu": "biểu",
    "biểu": "biểu",
    "phụ lục": "phụ lục",
    "danh sách": "danh sách",
    "bảng": "other",
}
ATTACHED_CUES = ("được kèm theo", "kèm theo", "đính kèm", "gửi kèm", "kèm")
POINTING_CUES = ("chi tiết tại", "chi tiết theo", "chi tiết có", "có", "theo", "tại", "như")
# Descriptive words allowed between the noun and "kèm theo": "danh sách hộ nghèo kèm theo".
MAX_DESCRIPTION_WORDS = 6
# "từ biểu 01 đến 05" is five labels; longer runs are not a list of attachments.
MAX_LABEL_RANGE = 30


def _alternation(words: Sequence[str]) -> str:
    """A regex alternation, longest first, "ủy" also written "uỷ"; a PDF line may break inside a phrase
    ("trên địa" / "bàn huyện"), so any white space stands between words."""
    return alternation({word for phrase in words for word in (phrase, phrase.replace("ủy", "uỷ"))})


def _level_words() -> dict[str, str]:
    """Level word (lower case) -> level id: {"thị xã": "thi_xa", "xã": "xa", …}."""
    return data.admin_units().level_by_word


@cache
def _body_cues() -> tuple[str, ...]:
    return (*data.admin_units().body_by_word, *EXTRA_BODY_CUES)


@cache
def _document_type_names() -> tuple[str, ...]:
    """Every document type and generic document word, lower case: "kế hoạch", "nghị định", "văn bản"."""
    names = [entry.name.lower() for entry in data.document_types().types]
    return (*names, *(word.lower() for word in data.citation_words().generic_words))


@cache
def _mention_pattern() -> regex.Pattern[str]:
    cues = _alternation((*SCOPE_CUES, *_body_cues(), *TIER_CUES))
    levels = _alternation(tuple(_level_words()))
    # A header writes the body over two lines: "ỦY BAN NHÂN DÂN" / "XÃ CAO NHÂN".
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(?P<cue>{cues})(?:[ \t]+|[ \t]*\n[ \t]*)(?P<level>{levels})(?![\p{{L}}\p{{N}}])"
    )


@cache
def _cue_first_words() -> tuple[str, ...]:
    """The first words of the cues a mention opens with ("trên", "ủy", "cấp" …): where a mention can start."""
    return tuple({cue.split(" ")[0] for cue in (*SCOPE_CUES, *_body_cues(), *TIER_CUES)} | {"uỷ"})


@cache
def _enumeration_pattern() -> regex.Pattern[str]:
    """A level word listed with another: "xã, thị trấn", "xã/phường", "huyện và xã"."""
    levels = _alternation(tuple(_level_words()))
    return regex.compile(rf"[ \t]*(?:,|/|-|và|hoặc)?[ \t]*(?:{levels})(?![\p{{L}}\p{{N}}])")


_GENERIC_BEFORE = regex.compile(rf"(?<![\p{{L}}])(?:{_alternation(GENERIC_BEFORE)})[ \t]+$")
_NAME_AFTER = regex.compile(r"[ \t]+(?P<word>[\p{Lu}\p{N}][\p{L}\p{M}\p{N}]*)")
_CLAUSE_BREAK = regex.compile(r"[;\n]|\.(?=\s)")
# Another document's number and symbol: "15/KH-UBND", "52/2019/NQ-HĐND", "1424/SLĐTBOXH", "Số: /KH-UBND",
# "12-NQ/ĐU", or "Kế hoạch số 15" without its symbol.
_SYMBOL = regex.compile(
    r"(?:\d+|(?<![\p{L}])[Ss]ố:?)\s*/\s*(?:\d{4}\s*/\s*)?\p{Lu}"
    r"|\d+\s*-\s*\p{Lu}+\s*/\s*\p{Lu}"
    r"|(?<![\p{L}])[Ss]ố:?\s*\d+"
)
_ABOUT = regex.compile(r"(?<![\p{L}])về(?![\p{L}])")
CLAUSE_LOOKBACK = 400


def _lower(text: str) -> str:
    """Lower case with the same length as ``text``, so offsets carry over."""
    lowered = text.lower()
    return (
        lowered
        if len(lowered) == len(text)
        else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    )


def _citation_marker_end(text: str, lowered: str, clause_start: int, position: int) -> int | None:
    """Where the last citation marker before ``position`` in its clause ends, or None when the clause cites
    nothing: "Thực hiện Kế hoạch số 15/KH-UBND … về giảm nghèo năm 2024 trên địa bàn huyện"."""
    markers = list(_SYMBOL.finditer(text, clause_start, position))
    if markers:
        return markers[-1].end()
    lead = lowered[clause_start:position].lstrip(" \t-+*•(")
    for word in data.cues().preamble_leads:  # "Thực hiện Kế hoạch của UBND huyện về …"
        if lead.startswith(word + " "):
            lead = lead[len(word) + 1 :].lstrip()
            break
    offset = position - len(lead)
    for name in _document_type_names():
        if lead.startswith(name + " ") and regex.search(r"(?<![\p{L}])của(?![\p{L}])", lead):
            return offset + len(name)
    return None


def _inside_citation(text: str, lowered: str, start: int) -> bool:
    """True when the mention belongs to a document the clause cites: its subject ("… về giảm nghèo trên địa
    bàn huyện") or its issuer ("… ngày 17/12/2020 của Hội đồng nhân dân huyện"). A comma with no "về" before
    the mention ends the citation: "Căn cứ Kế hoạch số 15/KH-UBND, UBND xã …"."""
    window_start = max(0, start - CLAUSE_LOOKBACK)
    breaks = list(_CLAUSE_BREAK.finditer(text, window_start, start))
    clause_start = breaks[-1].end() if breaks else window_start
    marker_end = _citation_marker_end(text, lowered, clause_start, start)
    if marker_end is None:
        return False
    between = lowered[marker_end:start]
    return bool(_ABOUT.search(between)) or "," not in between


def _own_name_length(text: str, at: int, own_unit_name: str | None) -> int | None:
    """Length of the plan's own unit name written at ``at`` ("Cao Nhân" after "xã "), or None."""
    if not own_unit_name:
        return None
    name = _strip_level_word(own_unit_name)
    folded_name = fold(name)
    written = fold(text[at : at + len(name) + 1])
    if written.startswith(folded_name) and not written[len(folded_name) :][:1].isalpha():
        return len(name)
    return None


def _strip_level_word(name: str) -> str:
    """ "xã Cao Nhân" -> "Cao Nhân"; "Cao Nhân" unchanged."""
    lowered = name.strip().lower()
    for word in sorted(_level_words(), key=len, reverse=True):
        if lowered.startswith(word + " "):
            return name.strip()[len(word) + 1 :].strip()
    return name.strip()


def _named_unit_after(text: str, level_end: int, level_written: str) -> regex.Match[str] | None:
    """The capitalised word after a level word on the same line, if it starts a name: "huyện Thủy Nguyên"."""
    match = _NAME_AFTER.match(text, level_end)
    if match is None:
        return None
    if level_written.isupper() and fold(match["word"]) in CAPITAL_NON_NAMES:
        return None
    return match


def find_level_mentions(plan: PlanText) -> list[LevelMention]:
    """Unnamed mentions of an administrative level, each of which can only mean one unit of that level.

    In "Ủy ban nhân dân xã Cao Nhân xây dựng kế hoạch giảm nghèo trên địa bàn xã năm 2024" (own unit
    "Cao Nhân") both "Ủy ban nhân dân xã Cao Nhân" and "trên địa bàn xã" are mentions of level "xa".
    Not mentions: a named other unit ("UBND huyện Thủy Nguyên"), plural or listed levels ("các xã",
    "UBND các xã, thị trấn", "cấp xã, thị trấn"), "xã hội", and phrases inside a citation ("Kế hoạch số
    15/KH-UBND … về giảm nghèo năm 2024 trên địa bàn huyện" names the district plan's scope, not this one's).
    """
    text, own_unit_name = plan.text, plan.unit_name
    lowered = _lower(text)
    levels = _level_words()
    mentions: list[LevelMention] = []
    for match in find_at_words(_mention_pattern(), lowered, lowered, _cue_first_words()):
        start, level_end = match.start(), match.end()
        level_word = " ".join(match["level"].split())  # "thị⏎trấn" broken across lines
        following = lowered[level_end : level_end + 12].split()
        if following and following[0].strip(".,;:") in NOT_A_LEVEL_AFTER.get(level_word, ()):
            continue
        if _enumeration_pattern().match(lowered, level_end):
            continue
        line_start = lowered.rfind("\n", 0, start) + 1
        # Only the words just before the level can make it generic ("các xã"): look back a few characters,
        # not from the start of a long paragraph.
        if _GENERIC_BEFORE.search(lowered, max(line_start, start - GENERIC_LOOKBACK), start):
            continue
        end = level_end
        name = _named_unit_after(text, level_end, text[match.start("level") : level_end])
        if name is not None:
            own_length = _own_name_length(text, name.start("word"), own_unit_name)
            if own_length is None:
                continue
            end = name.start("word") + own_length
        if _inside_citation(text, lowered, start):
            continue
        mentions.append(
            LevelMention(
                level=levels[level_word],
                raw=text[start:end],
                span=Span(start=start, end=end),
                page=plan.page_at(start),
                section_id=plan.index.id_at(start),
            )
        )
    return [mention.model_copy(update={"role": mention_role(mention)}) for mention in mentions]


def mention_role(mention: LevelMention) -> MentionRole:
    """What the mention's leading words make of the level: the area covered ("trên địa bàn huyện": scope),
    a body of that level ("UBMTTQ xã": body), or the tier as a whole ("cấp xã": tier)."""
    lowered = _lower(mention.raw)
    if any(lowered.startswith(cue) for cue in TIER_CUES):
        return "tier"
    return "body" if _body_pattern().match(lowered) else "scope"


@cache
def _body_pattern() -> regex.Pattern[str]:
    return regex.compile(rf"(?:{_alternation(_body_cues())})(?![\p{{L}}])")


# ---------------------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------------------

_NOUN = regex.compile(rf"(?<![\p{{L}}])(?i:{_alternation(tuple(ATTACHMENT_NOUNS))})(?![\p{{L}}])")
# Labels as written: "01", "3a", "I", "IV", "A". Roman numerals and letters only in capitals.
_LABEL = r"(?:\d{1,3}[a-z]?(?![\p{L}\p{N}])|[IVXLC]{1,6}(?![\p{L}\p{N}])|[A-Z](?![\p{L}\p{N}]))"
_LABEL_SEPARATOR = r"[ \t]*(?:,|;|&|-|(?i:và|đến|tới))[ \t]*"
_LABELS = regex.compile(
    rf"[ \t]*(?:(?i:số)[ \t]*:?[ \t]*)?(?P<labels>{_LABEL}(?:{_LABEL_SEPARATOR}{_LABEL})*)"
)
_ONE_LABEL = regex.compile(_LABEL + r"|(?i:đến|tới)|-")
_DESCRIPTION_WORD = regex.compile(r"[ \t]+[\p{L}][\p{L}\p{M}]*")
_ATTACHED = regex.compile(rf"[ \t]*\*?[ \t]*(?i:{_alternation(ATTACHED_CUES)})(?![\p{{L}}])")
# What may follow "kèm theo" when it promises: the clause ends, or "… kèm theo Kế hoạch này".
_PROMISE_END = regex.compile(
    r"[ \t]*\*?[ \t]*(?:[)\].;,:\n]|$)"
    rf"|[ \t]+(?i:{_alternation(_document_type_names())})[ \t]+(?i:này)(?![\p{{L}}])"
)
_CLAUSE_END = regex.compile(
    r"[ \t]*\*?[ \t]*(?:[).;\n]|$)|[ \t]*,[ \t]*(?P<next>[\p{L}]+(?:[ \t]+[\p{L}]+)?)"
)
_POINTING_BEFORE = regex.compile(rf"(?<![\p{{L}}])(?i:{_alternation(POINTING_CUES)})[ \t]+$")
_BIEU_OTHER_WORD = regex.compile(r"(?<![\p{L}])(?i:tiêu)[ \t]+$")


def _expand_labels(written: str) -> list[str]:
    """ "01, 02, 03" -> ["01", "02", "03"]; "01 - 03" and "01 đến 03" -> the three labels; "I, II" -> ["I", "II"]."""
    tokens = [token.group() for token in _ONE_LABEL.finditer(written)]
    labels: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        is_range = token.lower() in ("đến", "tới", "-")
        if is_range and labels and index + 1 < len(tokens):
            first, last = labels[-1], tokens[index + 1]
            if first.isdigit() and last.isdigit() and 0 < int(last) - int(first) <= MAX_LABEL_RANGE:
                labels += [str(number).zfill(len(first)) for number in range(int(first) + 1, int(last) + 1)]
                index += 2
                continue
        if not is_range:
            labels.append(token)
        index += 1
    return labels


def _document_type_follows(words: str | None) -> bool:
    return bool(words) and any(words.lower().startswith(name) for name in _document_type_names())


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen to the brackets around the phrase: "(Có biểu 01, 02, 03 kèm theo)"."""
    if start > 0 and text[start - 1] == "(":
        close = regex.match(r"[ \t]*\*?[ \t]*\)", text[end:])
        if close:
            return start - 1, end + close.end()
    return start, end


def _reference_at(text: str, noun: regex.Match[str]) -> tuple[int, int, list[str]] | None:
    """The promise around one attachment noun: its start, end and labels, or None when the noun is not a
    promise ("biểu dương", "lập danh sách hộ nghèo", "theo Phụ lục I Nghị định 30/2020/NĐ-CP")."""
    line_start = text.rfind("\n", 0, noun.start()) + 1
    pointing = _POINTING_BEFORE.search(text, line_start, noun.start())
    start = pointing.start() if pointing else noun.start()
    labels_match = _LABELS.match(text, noun.end())
    labels = _expand_labels(labels_match["labels"]) if labels_match else []
    after = labels_match.end() if labels_match else noun.end()
    plain_bieu = noun.group().lower() == "biểu" and not labels
    if noun.group().lower() == "biểu" and _BIEU_OTHER_WORD.search(text, line_start, noun.start()):
        return None  # "tiêu biểu"
    position = after
    for _ in range(0 if plain_bieu else MAX_DESCRIPTION_WORDS + 1):
        attached = _ATTACHED.match(text, position)
        if attached and _PROMISE_END.match(text, attached.end()):
            return start, attached.end(), labels
        word = _DESCRIPTION_WORD.match(text, position)
        if word is None or labels:
            break
        position = word.end()
    if plain_bieu:
        attached = _ATTACHED.match(text, after)
        if attached and _PROMISE_END.match(text, attached.end()):
            return start, attached.end(), labels
        return None
    if labels and pointing:
        end = _CLAUSE_END.match(text, after)
        if end and not _document_type_follows(end.groupdict().get("next")):
            return start, after, labels
    return None


def find_attachment_references(plan: PlanText) -> list[AttachmentReference]:
    """Promises of attached material, labels as written.

    "2.2 Chỉ tiêu cụ thể giao các tổ dân phố: (Có biểu 01, 02, 03 kèm theo)." gives kind "biểu", labels
    ["01", "02", "03"]; "(phụ lục kèm theo)" gives kind "phụ lục" and no labels; "chi tiết tại Phụ lục I"
    gives ["I"]. Not promises: an appendix's own caption ("PHỤ LỤC … (Kèm theo Kế hoạch số …)") and
    another document's appendix ("Phụ lục I ban hành kèm theo Nghị định số 30/2020/NĐ-CP").
    """
    text = plan.text
    references: list[AttachmentReference] = []
    last_end = -1
    for noun in _NOUN.finditer(text):
        if noun.start() < last_end:
            continue
        found = _reference_at(text, noun)
        if found is None:
            continue
        start, end, labels = found
        start, end = _with_brackets(text, start, end)
        last_end = end
        references.append(
            AttachmentReference(
                kind=ATTACHMENT_NOUNS[noun.group().lower()],
                labels=labels,
                raw=text[start:end],
                span=Span(start=start, end=end),
                page=plan.page_at(start),
            )
        )
    return references
