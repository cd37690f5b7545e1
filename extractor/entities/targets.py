"""Targets (chỉ tiêu): every quantified or explicit commitment a later report can be checked against.

"cuối năm 2021 tỷ lệ hộ nghèo chung toàn xã giảm tối thiểu còn 1,94%" is one target: indicator poverty_rate,
value 1.94 %, direction reduce_to, deadline the end of 2021, scope the whole commune. A target restated in
another part of the plan is one target with several mentions; a bracketed per-year equivalent
("20 - 22% (tương ứng với 0,61%/năm)") belongs to its target; "cơ bản không còn hộ nghèo" is a qualitative
target. Statements of the past situation ("cuối năm 2020 … có 51 hộ nghèo … chiếm tỷ lệ 2,06%") are not
targets: see ``proportions.py``.

How it reads a plan:
1. Text is cut into lines (a line broken by a page joins the next) and sentences; table rows are skipped
   (the tables stage reads them).
2. Numbers come from the project's one number parser (``find_numbers``, ``find_ranges``). A number is a
   candidate when it is a percent or a count of something a plan commits to ("hộ", "mô hình", "km"), not a
   year, age, duration or frequency. A candidate right after "từ" and before "xuống còn" is the baseline of
   the next one; one in brackets after a target is its equivalent, not a target of its own.
3. In parts about objectives, targets or purpose every candidate is a target; elsewhere only one with a
   commitment word ("phấn đấu", "đảm bảo", "đạt", "100%" …); parts about the situation, funding and
   appendices hold none.
4. The indicator is the highest-priority phrase of ``data/indicators.yaml`` found in the words before the
   number (back to the previous candidate) or after it; direction, per-year, period and scope come from the
   words around it.
5. Mentions with the same indicator, value, unit and per-year flag whose direction, period, scope and
   population (hộ nghèo / hộ mới thoát nghèo …) do not contradict each other are merged into one target.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache

import regex

from extractor.data import load_data
from extractor.normalize.numbers import (
    NumberMatch,
    ParsedNumber,
    find_money_amounts,
    find_numbers,
    find_ranges,
    find_year_spans,
)
from extractor.normalize.text import strip_diacritics
from models.provenance import Span
from models.sections import Section
from models.targets import Direction, Indicator, Period, Target, TargetMention, ValueRange
from models.values import PartialDate, Quantity

PageAt = Callable[[int], int | None]

# Words before a number that are read for the indicator, and after it.
LEFT_WINDOW_SYLLABLES = 25
RIGHT_WINDOW_SYLLABLES = 40
# When the words up to the next semicolon only name people, the indicator is read this far into the sentence.
LONG_RIGHT_WINDOW_SYLLABLES = 70
# Words right before the number that carry its direction ("giảm tối thiểu còn 1,94%").
DIRECTION_SYLLABLES = 7
# Kinds of parts whose every quantified sentence is a commitment.
COMMITMENT_KINDS = frozenset({"objectives", "targets", "purpose", "requirements"})
# Kinds of parts that hold no targets: past results, money, appendix tables.
NO_TARGET_KINDS = frozenset({"situation", "funding", "appendix"})
# Counts that are not commitments: durations, frequencies, ages ("dưới 3 tháng", "02 lần/tháng", "dưới 5 tuổi").
NOT_TARGET_UNITS = frozenset({"năm", "tháng", "tuần", "ngày", "quý", "giờ", "buổi", "lần", "tuổi", "lượt"})
MONEY_UNITS = frozenset({"đồng", "triệu", "tỷ", "nghìn", "triệu đồng", "tỷ đồng", "nghìn đồng"})
WHOLE_UNIT_LEVELS = "xa|phuong|thi tran|huien|quan|thi xa|thanh pho|tinh"

# Patterns used inside loops, compiled once.
_WORD_PATTERN = regex.compile(r"[\p{L}\p{N}]+")
_NON_SPACE_RUN = regex.compile(r"\S+")
_QUOTED_PHRASE = regex.compile(r'"[^"\n]*"')
_COMMA_OR_SEMICOLON = regex.compile(r"[,;]")
_LETTER_RUN = regex.compile(r"\p{L}+")
_RATE_OR_COUNT_TAIL = regex.compile(r"(?<![\p{L}])(ti le|so)\s+[^,;]*$")
_TRONG_DO = regex.compile(r"(?<![\p{L}])trong do(?![\p{L}])")
_AND_OR_COMMA = regex.compile(r"\s(va|,)\s")
_RATE_WORDS = regex.compile(r"(?<![\p{L}])ti le(?![\p{L}])")


# ---------------------------------------------------------------------------------------------------------
# Folded text: lower case, no diacritics, "y" read as "i" ("tỉ lệ" = "tỷ lệ"); one character per character,
# so offsets found in the folded text are offsets in the original. Patterns over folded text are written
# folded too: "duy trì" is "dui tri", "huyện" is "huien", "xây dựng" is "xai dung".
# ---------------------------------------------------------------------------------------------------------


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


@lru_cache(maxsize=8)
def fold(text: str) -> str:
    """ "Tỉ lệ HỘ NGHÈO" -> "ti le ho ngheo"; same length as ``text``. Cached: targets and proportions fold
    the same document text several times."""
    return text.translate(_fold_table())


def phrase_pattern(phrase: str) -> str:
    """A folded phrase as a pattern: any run of spaces or dashes between syllables, whole words only."""
    words = _WORD_PATTERN.findall(fold(phrase))
    return r"(?<![\p{L}\p{N}])" + r"[\s\-]+".join(regex.escape(w) for w in words) + r"(?![\p{L}\p{N}])"


# ---------------------------------------------------------------------------------------------------------
# The taxonomy (data/indicators.yaml)
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorEntry:
    key: str
    priority: int
    rate_key: str | None
    count_key: str | None


@dataclass(frozen=True)
class Taxonomy:
    entries: dict[str, IndicatorEntry]
    phrases: regex.Pattern[str]  # every phrase; the matched folded text names the keys
    # The same phrases grouped by their first word ("ho" -> "ho ngheo|ho can ngheo|…"), longest first as above.
    phrases_by_first_word: dict[str, regex.Pattern[str]]
    keys_by_phrase: dict[str, tuple[str, ...]]
    absent: regex.Pattern[str]  # "không còn … hộ nghèo": group "absent"
    keys_by_absent: dict[str, str]
    populations: tuple[tuple[str, regex.Pattern[str]], ...]
    count_nouns: regex.Pattern[str]


def _squash(folded: str) -> str:
    return " ".join(_WORD_PATTERN.findall(folded))


@cache
def taxonomy() -> Taxonomy:
    """The indicator taxonomy, compiled once per process."""
    data = load_data("indicators.yaml")
    entries: dict[str, IndicatorEntry] = {}
    keys_by_phrase: dict[str, list[str]] = {}
    keys_by_absent: dict[str, str] = {}
    for key, entry in data["indicators"].items():
        entries[key] = IndicatorEntry(key, entry["priority"], entry.get("rate_key"), entry.get("count_key"))
        for phrase in entry["phrases"]:
            keys_by_phrase.setdefault(_squash(fold(phrase)), []).append(key)
        for phrase in entry.get("absent", []):
            keys_by_absent[_squash(fold(phrase))] = key
    phrases = sorted(keys_by_phrase, key=len, reverse=True)
    absent = sorted(keys_by_absent, key=len, reverse=True)
    # "không còn hộ tái nghèo", "không để phát sinh …", "không có người dân nào bị thiếu đói", "xóa nhà tạm",
    # "tiến tới không còn …": a few words may stand between the negation and what must be absent.
    absent_pattern = (
        r"(?<![\p{L}\p{N}])(?P<cue>khong con|khong de(?:[\s\-]+(?:phat sinh|xai ra))?|khong co|xoa(?: bo| het)?)"
        r"(?:\s+[\p{L}]+){0,5}?\s+(?P<absent>" + "|".join(phrase_pattern(p) for p in absent) + ")"
    )
    populations = tuple(
        (group, regex.compile("|".join(phrase_pattern(p) for p in written)))
        for group, written in data["populations"].items()
    )
    nouns = sorted(data["count_nouns"], key=len, reverse=True)
    return Taxonomy(
        entries=entries,
        phrases=regex.compile("|".join(phrase_pattern(p) for p in phrases)),
        phrases_by_first_word=_by_first_word(phrases),
        keys_by_phrase={phrase: tuple(keys) for phrase, keys in keys_by_phrase.items()},
        absent=regex.compile(absent_pattern),
        keys_by_absent=keys_by_absent,
        populations=populations,
        count_nouns=regex.compile(r"\s*(?P<noun>" + "|".join(phrase_pattern(n) for n in nouns) + ")"),
    )


def _by_first_word(phrases: list[str]) -> dict[str, regex.Pattern[str]]:
    """One pattern per first word of the (folded, squashed) ``phrases``, keeping their order."""
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase.split(" ")[0], []).append(phrase)
    return {
        word: regex.compile("|".join(phrase_pattern(p) for p in group)) for word, group in grouped.items()
    }


@dataclass(frozen=True)
class IndicatorHit:
    key: str
    priority: int
    start: int
    end: int


def indicator_hits(folded: str, start: int, end: int) -> list[IndicatorHit]:
    """Every taxonomy phrase in ``folded[start:end]`` (absolute offsets), each with its best key.

    The same hits as ``phrases.finditer(folded, start, end, overlapped=True)``: a phrase starts at a word and its
    first word is that whole word, so only the phrases beginning with each word of the window are tried there
    (trying all 130 phrases at every character was the slowest part of reading targets).
    """
    table = taxonomy()
    hits = []
    for match in _phrases_at_words(table, folded, start, end):
        keys = table.keys_by_phrase[_squash(match.group())]
        best = max(keys, key=lambda k: table.entries[k].priority)
        hits.append(IndicatorHit(best, table.entries[best].priority, match.start(), match.end()))
    return hits


_WORD_CHARACTER = regex.compile(r"[\p{L}\p{N}]")


def _phrases_at_words(table: Taxonomy, folded: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    for word in _WORD_PATTERN.finditer(folded, start, end):
        at = word.start()
        if at == start and at > 0 and _WORD_CHARACTER.match(folded, at - 1):
            continue  # the window starts inside a word: no phrase starts there
        pattern = table.phrases_by_first_word.get(word.group())
        if pattern is not None and (match := pattern.match(folded, at, end)) is not None:
            yield match


def best_hit(hits: Sequence[IndicatorHit], prefer_last: bool) -> IndicatorHit | None:
    """Highest priority, then longest, then nearest to the number."""
    if not hits:
        return None
    order = range(len(hits) - 1, -1, -1) if prefer_last else range(len(hits))
    return max((hits[i] for i in order), key=lambda h: (h.priority, h.end - h.start))


def populations_in(folded: str) -> frozenset[str]:
    """Who a target is for: "hộ nghèo, hộ cận nghèo" -> {poor, near_poor}; an earlier group's words are used up."""
    found = set()
    remaining = folded
    for group, pattern in taxonomy().populations:
        if pattern.search(remaining):
            found.add(group)
            remaining = pattern.sub(lambda m: " " * len(m.group()), remaining)
    return frozenset(found)


# ---------------------------------------------------------------------------------------------------------
# Lines, sentences and sections
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A logical line: physical lines joined when a page or a wrap broke a sentence ("tỷ lệ" / "70,59%.")."""

    start: int
    end: int
    tabular: bool


_BULLET_START = regex.compile(r"^\s*(?:[-+•*]|\d+[.)]|[a-zđ]\)|[IVX]+\.)")
_SENTENCE_END = regex.compile(r"[.!?;:]\s*$")


def _is_tabular(raw: str) -> bool:
    """A table cell or row: two tabs or more, or a tab-indented cell of a few words ("\\tCây Tắt", "\\t1,94%")."""
    if raw.count("\t") >= 2:
        return True
    return raw.startswith("\t") and len(raw.split()) <= 3


def logical_lines(text: str) -> list[Line]:
    """Lines of ``text``; a line that continues the sentence of the line before (across at most one blank
    line, as a page break leaves it: "… 12 hộ, tỷ lệ" / "" / "70,59%.") is joined to it."""
    return list(_logical_lines(text))


@lru_cache(maxsize=2)
def _logical_lines(text: str) -> tuple[Line, ...]:
    """Cached for the last texts read: the targets and proportions of one document cut the same lines."""
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        start, end = offset, offset + len(raw)
        offset = end + 1
        tabular = _is_tabular(raw)
        stripped = raw.strip()
        blank_between = len(lines) >= 2 and lines[-1].start == lines[-1].end
        previous = lines[-2] if blank_between else (lines[-1] if lines else None)
        if (
            previous is not None
            and stripped
            and not tabular
            and not previous.tabular
            and previous.end > previous.start
            and (stripped[0].islower() or stripped[0].isdigit())
            and not _BULLET_START.match(stripped)
            and not _SENTENCE_END.search(text[previous.start : previous.end])
        ):
            if blank_between:
                lines.pop()
            lines[-1] = Line(previous.start, end, False)
            continue
        lines.append(Line(start, end, tabular))
    return tuple(lines)


# A sentence ends at ".", "!" or "?" before a space and a capital, a bullet or a bracket, or at the line end.
_SENTENCE_BREAK = regex.compile(r"(?<=[.!?])\s+(?=[\p{Lu}\d\-+•(\"“])")


def sentences(text: str, line: Line) -> Iterator[tuple[int, int]]:
    start = line.start
    for match in _SENTENCE_BREAK.finditer(text, line.start, line.end):
        yield start, match.start()
        start = match.end()
    if start < line.end:
        yield start, line.end


def section_chain(sections: Sequence[Section], offset: int) -> list[Section]:
    """The sections containing ``offset``, outermost first."""
    chain: list[Section] = []
    level = sections
    while level:
        inner = next((s for s in level if s.span.start <= offset < s.span.end), None)
        if inner is None:
            break
        chain.append(inner)
        level = inner.children
    return chain


def chain_kinds(chain: Sequence[Section]) -> set[str]:
    """The kinds that apply: the innermost section's, or its nearest ancestor's when it says "other"."""
    for section in reversed(chain):
        kinds = set(section.kinds) - {"other"}
        if kinds:
            return kinds
    return set()


# ---------------------------------------------------------------------------------------------------------
# Candidates: numbers that may be target values
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A number or a range as read, with its unit: "20 - 22%", "1,94%", "158 hộ", "58 triệu đồng"."""

    start: int
    end: int  # end of the numeral(s), before the unit
    end_with_unit: int
    value: Decimal | None
    raw: str
    decimals: int
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    per: str | None = None

    @property
    def percent(self) -> bool:
        return self.unit == "%"

    @property
    def per_year(self) -> bool:
        """ "3-4%/năm", "500 hộ/năm"; not "58 triệu đồng/người/năm" (an income, not a yearly change)."""
        return self.per == "năm"


def _unit_of(text: str, folded: str, end: int, unit: str | None, percent: bool) -> str | None:
    if percent:
        return "%"
    if unit:
        return unit
    noun = taxonomy().count_nouns.match(folded, end, end + 30)
    return " ".join(text[noun.start("noun") : noun.end("noun")].lower().split()) if noun else None


@lru_cache(maxsize=2)
def read_values(text: str) -> tuple[Value, ...]:
    """Numbers and ranges of ``text`` in order; a range replaces the numbers it is made of.

    Cached for the last texts read: the targets and proportions of one document read the same numbers.
    """
    folded = fold(text)
    money = {m.start: m for m in find_money_amounts(text)}
    values: list[Value] = []
    ranges = find_ranges(text)
    covered: list[tuple[int, int]] = []
    for found in ranges:
        low_start = found.start + (text[found.start : found.end].find(found.low.raw))
        high_start = text.find(found.high.raw, low_start + len(found.low.raw), found.end)
        unit = _unit_of(text, folded, high_start + len(found.high.raw), found.unit, found.percent)
        values.append(
            Value(
                start=low_start,
                end=high_start + len(found.high.raw),
                end_with_unit=found.end,
                value=None,
                raw=text[low_start : found.end],
                decimals=max(found.low.decimals, found.high.decimals),
                low=found.low.value,
                high=found.high.value,
                unit=unit,
                per=found.per,
            )
        )
        covered.append((low_start, found.end))
    covered.sort()
    covered_starts = [start for start, _ in covered]
    for found in find_numbers(text):
        at = bisect_right(covered_starts, found.start) - 1
        if at >= 0 and found.start < covered[at][1]:
            continue
        values.append(_single_value(text, folded, found, money.get(found.start)))
    values.sort(key=lambda v: v.start)
    return tuple(values)


def _single_value(text: str, folded: str, found: NumberMatch, money: object | None) -> Value:
    number: ParsedNumber = found.number
    unit = _unit_of(text, folded, found.end, found.unit, found.percent)
    value, end_with_unit = number.value, max(found.end_with_unit, found.end)
    if money is not None and unit in MONEY_UNITS:
        value, unit = Decimal(money.value), "đồng"  # type: ignore[attr-defined]
        end_with_unit = max(end_with_unit, money.end)  # type: ignore[attr-defined]
    if unit and unit != "%" and end_with_unit == found.end:
        noun = taxonomy().count_nouns.match(folded, found.end, found.end + 30)
        if noun:
            end_with_unit = noun.end("noun")
    return Value(
        start=found.start,
        end=found.end,
        end_with_unit=end_with_unit,
        value=value,
        raw=text[found.start : end_with_unit].strip(),
        decimals=number.decimals,
        unit=unit,
        per=found.per,
    )


def is_candidate_unit(value: Value) -> bool:
    """A percent or a count of something a plan commits to; not a year, an age, a duration or a frequency."""
    if value.unit is None or value.unit in NOT_TARGET_UNITS:
        return False
    return not (value.per and value.per.split("/")[0] in NOT_TARGET_UNITS - {"năm"} and value.unit != "%")


# ---------------------------------------------------------------------------------------------------------
# Reading one mention
# ---------------------------------------------------------------------------------------------------------

# "giảm" but not "giảm nghèo" (poverty reduction, a noun).
_REDUCE = regex.compile(r"(?<![\p{L}])giam(?![\p{L}])(?!\s+ngheo)")
_REMAIN = regex.compile(r"(?<![\p{L}])(?<!khong )con(?![\p{L}])")
_AT_MOST = regex.compile(r"(?<![\p{L}])(duoi|khong qua|toi da|khong vuot qua|thap hon)\s*$")
_AT_LEAST = regex.compile(r"(?<![\p{L}])(toi thieu|it nhat|tren|khong duoi|cao hon|hon)(?![\p{L}])")
_INCREASE_TO = regex.compile(r"(?<![\p{L}])tang(\s+\p{L}+){0,3}\s+len(?![\p{L}])")
_INCREASE = regex.compile(r"(?<![\p{L}])(tang|them)(?![\p{L}])|xai dung moi|lam moi|thanh lap moi")
_REACH = regex.compile(r"(?<![\p{L}])dat(?![\p{L}])")
_MAINTAIN = regex.compile(r"(?<![\p{L}])dui tri(?![\p{L}])")
_ELIMINATE = regex.compile(r"(?<![\p{L}])xoa(?![\p{L}])")
# Words that make a sentence outside the objective parts a commitment.
_COMMITMENT = regex.compile(
    r"(?<![\p{L}])(phan dau|chi tieu|muc tieu|dam bao|bao dam|toi thieu|it nhat|xoa|dat|giam|tang|them|dui tri)"
    r"(?![\p{L}])"
)
# A verb of doing right before a count: "Tổ chức 04 phiên", "Mở 45 lớp", "Hỗ trợ 158 hộ".
_ACTION_BEFORE = regex.compile(
    r"(?<![\p{L}])(to chuc|mo|xai dung|ho tro|dao tao|cap|tap huan|cung hoa|be tong hoa|sua chua|giai quyet viec lam"
    r"(?: moi)?(?: cho)?|dua|trong|lam)\s*$"
)
# A count after these words names where, not how many: "tỷ lệ hộ nghèo của 10 xã khu vực 3 giảm 3-4%/năm".
_SCOPE_BEFORE = regex.compile(r"(?<![\p{L}])(cua|tai|o|thuoc|trong|cac)\s*$")
# A part of the target stated just before it: "…, trong đó lao động thuộc hộ nghèo tối thiểu 300 người".
_SUBTARGET = regex.compile(r"[\s,;:]*trong do(?![\p{L}])")
_PROPORTION_CUE = regex.compile(r"(?<![\p{L}])(chiem|chiem ti le)\s*$")
_COMPARED = regex.compile(r"\s*so voi(?![\p{L}])")
_BASELINE_FROM = regex.compile(r"(?<![\p{L}])tu\s*$")
_BASELINE_TO = regex.compile(r"^\s*(xuong con|xuong|con|len|den|toi)(?![\p{L}])")
# The per-year reading of a rate: "bình quân 3% năm", "giảm 3-4%/năm", "0,5% mỗi năm".
_PER_YEAR_AFTER = regex.compile(r"^\s*(moi nam|hang nam|hang nam|mot nam)(?![\p{L}])")
_SCOPE_WHOLE = regex.compile(
    rf"(?<![\p{{L}}])(?:chung\s+)?(?P<phrase>toan\s+(?P<level>{WHOLE_UNIT_LEVELS})"
    rf"|tren\s+(?:dia\s+ban|pham\s+vi)\s+(?:toan\s+)?(?P<level2>{WHOLE_UNIT_LEVELS}))(?![\p{{L}}])"
)
_SCOPE_NAMED = regex.compile(
    r"(?<![\p{L}])(?:cua|tai|o)\s+(?P<phrase>(?:cac\s+)?(?:\d+\s+)?(?:xa|thon|ban|phuong|to dan pho|khu pho|ap)"
    r"(?:\s+[\p{L}\d]+){1,4}?)(?=\s+(?:giam|dat|tang|con|la|co)(?![\p{L}])|\s*[,;.]|$)"
)
_PERIOD_END = regex.compile(r"(?<![\p{L}])(?:den\s+)?(?:cuoi|het)\s+nam\s+(?P<year>\d{4})")
_PERIOD_BY = regex.compile(r"(?<![\p{L}])(?:den|toi|vao)\s+nam\s+(?P<year>\d{4})")
_PERIOD_YEAR = regex.compile(r"(?<![\p{L}])(?<!so voi )nam\s+(?P<year>\d{4})")
_TRAILING_CUES = regex.compile(
    r"(?:[\s,]+(?:giam|xuong|con|toi thieu|it nhat|dat|tren|duoi|khong qua|binh quan|tang|them|len|tu|la|co"
    r"|phan dau|dui tri|den|cuoi|het|nam|[\d.,]+%?))+[\s,:]*$"
)
_PARENTHESES = regex.compile(r"\([^()]*\)")


@dataclass
class Mention:
    """One place a target is stated, before restatements are merged."""

    key: str
    indicator_text: str
    value: Value | None
    direction: Direction | None
    per_year: bool
    per_year_equivalent: Quantity | None
    baseline: Quantity | None
    period: Period | None
    scope: str | None
    populations: frozenset[str]
    qualitative: bool
    span: Span
    section_id: str | None
    page: int | None
    sentence: tuple[int, int] = (0, 0)


@dataclass
class Context:
    """What every reader of one document shares."""

    text: str
    folded: str
    sections: Sequence[Section]
    unit_name: str | None
    page_at: PageAt | None
    years: dict[int, int] = field(default_factory=dict)  # start offset -> year, from the number parser

    def page(self, offset: int) -> int | None:
        return self.page_at(offset) if self.page_at else None


def _syllable_start(folded: str, start: int, end: int, syllables: int) -> int:
    """The offset from which the last ``syllables`` words of ``folded[start:end]`` begin."""
    words = list(_NON_SPACE_RUN.finditer(folded[start:end]))
    return start if len(words) <= syllables else start + words[-syllables].start()


def _syllable_end(folded: str, start: int, end: int, syllables: int) -> int:
    words = list(_NON_SPACE_RUN.finditer(folded[start:end]))
    return end if len(words) <= syllables else start + words[syllables - 1].end()


def direction_of(tail: str, value: Value | None) -> Direction | None:
    """Read from the folded words right before the number: "giảm tối thiểu còn" -> reduce_to."""
    near = tail[-40:]
    if _ELIMINATE.search(tail):
        return "eliminate"
    if _MAINTAIN.search(near):
        return "maintain"
    if _AT_MOST.search(near):
        return "at_most"
    if _REDUCE.search(near) or _REMAIN.search(near):
        return "reduce_to" if _REMAIN.search(near) else "reduce_by"
    if _INCREASE_TO.search(near):
        return "increase_to"
    if _INCREASE.search(near):
        return "increase_by"
    if _AT_LEAST.search(near[-20:]):
        return "at_least"
    if _REACH.search(near):
        return "reach"
    if value is not None and value.percent and value.value == 100:
        return "reach"
    return None


def period_in(context: Context, start: int, end: int) -> Period | None:
    """The period named nearest before ``end`` in ``[start, end)``: "cuối năm 2024", "giai đoạn 2021-2025"."""
    folded, text = context.folded, context.text
    found: list[tuple[int, Period]] = []
    for span in find_year_spans(text[start:end]):
        raw = text[start + span.start : start + span.end]
        found.append((start + span.end, Period(start_year=span.first, end_year=span.last, raw=raw)))
    for pattern, kind in ((_PERIOD_END, "end"), (_PERIOD_BY, "by"), (_PERIOD_YEAR, "year")):
        for match in pattern.finditer(folded, start, end):
            year = context.years.get(match.start("year"))
            if year is None or any(abs(at - match.end()) <= 1 for at, _ in found):
                continue
            raw = text[match.start() : match.end()]
            if kind == "end":
                deadline = PartialDate(
                    day=31, month=12, year=year, iso=f"{year}-12-31", raw=raw, source="body"
                )
                period = Period(start_year=year, end_year=year, deadline=deadline, raw=raw)
            elif kind == "by":
                period = Period(
                    end_year=year, deadline=PartialDate(year=year, raw=raw, source="body"), raw=raw
                )
            else:
                period = Period(start_year=year, end_year=year, raw=raw)
            found.append((match.end(), period))
    if not found:
        return None
    return max(found, key=lambda item: item[0])[1]


def _heading_period(context: Context, chain: Sequence[Section]) -> Period | None:
    for section in reversed(chain):
        heading = section.heading_span
        period = period_in(context, heading.start, heading.end)
        if period is not None:
            return period
    return None


def scope_in(context: Context, start: int, end: int) -> tuple[str | None, bool]:
    """(scope, stated): "toàn xã" -> the unit's name (or "toàn xã" without one); "của 10 xã khu vực 3" -> that."""
    folded = context.folded
    whole = _SCOPE_WHOLE.search(folded, start, end)
    if whole:
        if context.unit_name:
            return context.unit_name, True
        level = whole.group("level") or whole.group("level2")
        start_level = whole.start("level") if whole.group("level") else whole.start("level2")
        return "toàn " + context.text[start_level : start_level + len(level)].lower(), True
    named = _SCOPE_NAMED.search(folded, start, end)
    if named:
        return " ".join(context.text[named.start("phrase") : named.end("phrase")].split()), True
    return context.unit_name, False


def _quantity(context: Context, value: Value) -> Quantity:
    number = value.value if value.value is not None else value.high
    return Quantity(
        value=_plain(number),
        raw=context.text[value.start : value.end_with_unit].strip(),
        decimals=value.decimals,
        unit=value.unit,
        span=Span(start=value.start, end=value.end_with_unit),
        page=context.page(value.start),
    )


def _plain(number: Decimal | None) -> int | float:
    if number is None:
        return 0
    return int(number) if number == number.to_integral_value() else float(number)


def _indicator_text(context: Context, start: int, end: int) -> str:
    """The phrase as written, without the direction and period words that end it."""
    folded = context.folded[start:end]
    trailing = _TRAILING_CUES.search(folded)
    if trailing and trailing.start() > 0:
        end = start + trailing.start()
    return " ".join(context.text[start:end].strip(" ,;:-+").split())


def _adjust_key(key: str, value: Value | None) -> str:
    """A count key for a count, a rate key for a percent ("51 hộ nghèo" vs "2,06% hộ nghèo")."""
    entry = taxonomy().entries.get(key)
    if entry is None or value is None:
        return key
    if value.percent and entry.rate_key:
        return entry.rate_key
    if not value.percent and entry.count_key:
        return entry.count_key
    return key


# ---------------------------------------------------------------------------------------------------------
# Finding mentions in a sentence
# ---------------------------------------------------------------------------------------------------------


def _inside(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    return next((span for span in spans if span[0] <= offset < span[1]), None)


def _quoted(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED_PHRASE.finditer(text[start:end])]


def _roles(context: Context, values: list[Value], start: int, end: int) -> tuple[list[Value], dict, dict]:
    """Split a sentence's candidates into targets, baselines (of the next) and equivalents (of the previous)."""
    if not values:
        return [], {}, {}  # most sentences hold no number: their brackets and quotes need not be read
    folded = context.folded
    brackets = [(start + m.start(), start + m.end()) for m in _PARENTHESES.finditer(context.text[start:end])]
    quotes = [(start + a, start + b) for a, b in _quoted(context.text, start, end)]
    targets: list[Value] = []
    baselines: dict[int, Value] = {}
    equivalents: dict[int, Value] = {}
    pending_baseline: Value | None = None
    for value in values:
        if _inside(quotes, value.start):
            continue
        bracket = _inside(brackets, value.start)
        if bracket is not None:
            if targets and targets[-1].end_with_unit <= bracket[0] and value.per_year:
                equivalents.setdefault(id(targets[-1]), value)
            continue
        if not is_candidate_unit(value):
            continue
        before = folded[max(start, value.start - 30) : value.start]
        after = folded[value.end_with_unit : min(end, value.end_with_unit + 20)]
        if not value.percent and _SCOPE_BEFORE.search(before):
            continue
        if _PROPORTION_CUE.search(before):
            continue
        if targets and _COMPARED.match(after):
            continue  # "đạt 75%, tăng 2% so với năm 2024": the change of the target before, not a target
        if _BASELINE_FROM.search(before) and _BASELINE_TO.search(after):
            pending_baseline = value
            continue
        if pending_baseline is not None:
            baselines[id(value)] = pending_baseline
            pending_baseline = None
        targets.append(value)
    return targets, baselines, equivalents


def _window_hit(
    context: Context, left: tuple[int, int], right: tuple[int, int], long_right: tuple[int, int]
) -> tuple[IndicatorHit | None, str | None]:
    """The indicator of a number and the side it stands on.

    "Tỷ lệ X … N%" names it before the number: then only the words after it up to the next comma may name a
    more specific one. "N% hộ nghèo, hộ cận nghèo …; … được cấp thẻ BHYT" names it after: when the words up to
    the semicolon only name people, the rest of the sentence is read too.
    """
    folded = context.folded
    left_hit = best_hit(indicator_hits(folded, *left), prefer_last=True)
    if left_hit is not None:
        comma = _COMMA_OR_SEMICOLON.search(folded[right[0] : right[1]])
        right = (right[0], right[0] + comma.start()) if comma else right
    right_hit = best_hit(indicator_hits(folded, *right), prefer_last=False)
    if left_hit is None and (right_hit is None or right_hit.priority <= 2) and long_right != right:
        longer = best_hit(indicator_hits(folded, *long_right), prefer_last=False)
        if longer is not None and (right_hit is None or longer.priority > right_hit.priority):
            right_hit = longer
    if left_hit is not None and _RATE_WORDS.search(folded[left[0] : left_hit.start]):
        return left_hit, "left"  # "Tỷ lệ hộ nghèo … 1,94% (Theo tiêu chí …)": the rate names itself
    if right_hit is not None and (left_hit is None or right_hit.priority > left_hit.priority):
        return right_hit, "right"
    if left_hit is not None:
        return left_hit, "left"
    return None, None


def _numeric_mentions(
    context: Context, values: list[Value], start: int, end: int, chain: list[Section], commitment_part: bool
) -> Iterator[Mention]:
    text, folded = context.text, context.folded
    targets, baselines, equivalents = _roles(context, values, start, end)
    sentence_period = None
    previous_key: str | None = None
    for index, value in enumerate(targets):
        previous_end = targets[index - 1].end_with_unit if index else start
        if id(value) in baselines:
            left_start = max(previous_end, _clause_start(folded, start, baselines[id(value)].start))
        else:
            left_start = max(previous_end, _clause_start(folded, start, value.start))
        left_start = _syllable_start(folded, left_start, value.start, LEFT_WINDOW_SYLLABLES)
        next_start = targets[index + 1].start if index + 1 < len(targets) else end
        clause_end = _strip_brackets_end(
            text, (value.end_with_unit, _clause_end(folded, value.end_with_unit, next_start))
        )
        right = (value.end, _syllable_end(folded, value.end, clause_end, RIGHT_WINDOW_SYLLABLES))
        long_end = _strip_brackets_end(text, (value.end_with_unit, next_start))
        long_right = (value.end, _syllable_end(folded, value.end, long_end, LONG_RIGHT_WINDOW_SYLLABLES))
        left_words = folded[left_start : value.start]
        if sum(1 for _ in _LETTER_RUN.finditer(left_words + folded[right[0] : right[1]])) < 2:
            continue  # a bare number: a table cell or a page number
        if not commitment_part and not (
            _COMMITMENT.search(folded, start, value.start)
            or (value.percent and value.value == 100)
            or _ACTION_BEFORE.search(folded[max(start, value.start - 40) : value.start])
        ):
            continue
        hit, side = _window_hit(context, (left_start, value.start), right, long_right)
        key = _adjust_key(hit.key, value) if hit else "other"
        if (
            previous_key
            and (hit is None or hit.priority < 3)
            and _SUBTARGET.search(folded, left_start, value.start)
        ):
            key = previous_key  # "Đào tạo nghề cho 1.800 lao động, trong đó … hộ nghèo tối thiểu 300 người"
        previous_key = key
        if hit is None and not commitment_part:
            continue
        if hit is None:
            indicator = (
                _indicator_text(context, left_start, value.start) or text[value.start : value.end_with_unit]
            )
            span_start, span_end = left_start, value.end_with_unit
        elif side == "left":
            tl = _RATE_OR_COUNT_TAIL.search(folded[left_start : hit.start])
            indicator_start = left_start + tl.start() if tl else hit.start
            indicator = _indicator_text(context, indicator_start, value.start)
            span_start, span_end = indicator_start, value.end_with_unit
        else:
            indicator = " ".join(text[value.end : hit.end].strip(" ,;:%").split())
            span_start, span_end = _verb_start(folded, left_start, value.start), hit.end
        tail = folded[_syllable_start(folded, left_start, value.start, DIRECTION_SYLLABLES) : value.start]
        direction = direction_of(tail, value)
        if _ELIMINATE.search(folded, left_start, value.start):
            direction = "eliminate"
        elif _MAINTAIN.search(folded, left_start, value.start):
            direction = "maintain"  # "Duy trì tỷ lệ tiêm chủng đầy đủ trên 98%"
        after = folded[value.end_with_unit : value.end_with_unit + 15]
        per_year = value.per_year or bool(_PER_YEAR_AFTER.search(after))
        equivalent = equivalents.get(id(value))
        baseline = baselines.get(id(value))
        period = period_in(context, left_start, value.start) or period_in(
            context, value.end_with_unit, _strip_brackets_end(text, right)
        )
        if period is None:
            if sentence_period is None:
                sentence_period = period_in(context, start, left_start) or _heading_period(context, chain)
            period = sentence_period
        scope, stated = scope_in(context, left_start, right[1])
        if not stated:
            scope, stated = scope_in(context, start, left_start)
        population_area = (
            folded[left_start : value.start] + " " + _before_subclause(folded[right[0] : right[1]])
        )
        yield Mention(
            key=key,
            indicator_text=indicator,
            value=value,
            direction=direction,
            per_year=per_year,
            per_year_equivalent=_quantity(context, equivalent) if equivalent else None,
            baseline=_quantity(context, baseline) if baseline else None,
            period=period,
            scope=scope if stated else None,
            populations=populations_in(population_area),
            qualitative=False,
            span=Span(start=span_start, end=span_end),
            section_id=chain[-1].id if chain else None,
            page=context.page(span_start),
            sentence=(start, end),
        )


def _verb_start(folded: str, left_start: int, number_start: int) -> int:
    """Where the words before a number that opens its phrase begin ("Đảm bảo 100% hộ nghèo …")."""
    segment = folded[left_start:number_start]
    stripped = segment.lstrip(" -+•*,;:")
    return left_start + (len(segment) - len(stripped))


def _before_subclause(folded: str) -> str:
    cut = _TRONG_DO.search(folded)
    return folded[: cut.start()] if cut else folded


def _strip_brackets_end(text: str, window: tuple[int, int]) -> int:
    bracket = text.find("(", window[0], window[1])
    return bracket if bracket >= 0 else window[1]


def _clause_start(folded: str, start: int, offset: int) -> int:
    semicolon = folded.rfind(";", start, offset)
    return semicolon + 1 if semicolon >= 0 else start


def _clause_end(folded: str, offset: int, end: int) -> int:
    semicolon = folded.find(";", offset, end)
    return semicolon if semicolon >= 0 else end


# ---------------------------------------------------------------------------------------------------------
# Qualitative commitments
# ---------------------------------------------------------------------------------------------------------

_ALL_RECEIVE = regex.compile(r"(?<![\p{L}])deu duoc(?![\p{L}])")
_MAINTAIN_CLAUSE = regex.compile(r"(?<![\p{L}])dui tri(?![\p{L}])")
_STRIVE = regex.compile(r"(?<![\p{L}])(phan dau|muc tieu)(?![\p{L}])")
# Words every match of ``absent`` / ``_ACHIEVE`` contains: a sentence without them is not scanned.
_ABSENT_CUE_WORDS = ("khong", "xoa")
_ACHIEVE_WORDS = ("nong thon moi",)
_ACHIEVE = regex.compile(
    r"(?<![\p{L}])(?P<status>hoan thanh nhiem vu xai dung nong thon moi|dat chuan (?:huien )?nong thon moi"
    r"(?: nang cao| kieu mau)?|ve dich nong thon moi)(?![\p{L}])"
)


def _qualitative_mention(
    context: Context,
    key: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    chain: list[Section],
    direction,
) -> Mention:
    period = (
        period_in(context, sentence[0], start)
        or period_in(context, end, _strip_brackets_end(context.text, (end, sentence[1])))
        or _heading_period(context, chain)
    )
    scope, stated = scope_in(context, sentence[0], sentence[1])
    return Mention(
        key=key,
        indicator_text=" ".join(context.text[start:end].split()),
        value=None,
        direction=direction,
        per_year=False,
        per_year_equivalent=None,
        baseline=None,
        period=period,
        scope=scope if stated else None,
        populations=frozenset(),
        qualitative=True,
        span=Span(start=start, end=end),
        section_id=chain[-1].id if chain else None,
        page=context.page(start),
        sentence=sentence,
    )


def _qualitative_mentions(
    context: Context,
    start: int,
    end: int,
    candidates: list[Value],
    chain: list[Section],
    commitment_part: bool,
) -> Iterator[Mention]:
    folded, table = context.folded, taxonomy()
    clause_bounds = _clauses(folded, start, end)

    def has_number(offset: int) -> bool:
        clause = _inside(clause_bounds, offset) or (start, end)
        return any(clause[0] <= v.start < clause[1] and is_candidate_unit(v) for v in candidates)

    seen: set[str] = set()
    absent = (
        table.absent.finditer(folded, start, end) if _contains(folded, start, end, _ABSENT_CUE_WORDS) else ()
    )
    for match in absent:
        key = table.keys_by_absent[_squash(match.group("absent"))]
        quotes = _quoted(context.text, start, end)  # read only here: few sentences say "không còn …"
        if key in seen or _inside(quotes, match.start()) or has_number(match.start()):
            continue
        seen.add(key)
        yield _qualitative_mention(context, key, match.start(), match.end(), (start, end), chain, "eliminate")
    achieved = _ACHIEVE.finditer(folded, start, end) if _contains(folded, start, end, _ACHIEVE_WORDS) else ()
    for match in achieved:
        if _STRIVE.search(folded, start, match.start()) and not has_number(match.start()):
            key = "new_rural_standard"
            if key not in seen:
                seen.add(key)
                strive = _STRIVE.search(folded, start, match.start())
                yield _qualitative_mention(
                    context, key, strive.start(), match.end(), (start, end), chain, "reach"
                )
    if not commitment_part:
        return
    every = _ALL_RECEIVE.search(folded, start, end)
    if every and not has_number(every.start()):
        hit = best_hit(indicator_hits(folded, every.end(), end), prefer_last=False)
        if hit and hit.priority > 1 and hit.key not in seen:
            seen.add(hit.key)
            yield _qualitative_mention(
                context, hit.key, _verb_start(folded, start, start), hit.end, (start, end), chain, "reach"
            )
    for clause_start, clause_end in clause_bounds:
        keep = _MAINTAIN_CLAUSE.search(folded, clause_start, clause_end)
        if keep is None or has_number(keep.start()):
            continue
        for part_start, part_end in _parts(folded, keep.end(), clause_end):
            hit = best_hit(indicator_hits(folded, part_start, part_end), prefer_last=False)
            if hit and hit.priority > 1 and hit.key not in seen:
                seen.add(hit.key)
                yield _qualitative_mention(
                    context, hit.key, part_start, part_end, (start, end), chain, "maintain"
                )


def _contains(folded: str, start: int, end: int, words: Sequence[str]) -> bool:
    return any(folded.find(word, start, end) >= 0 for word in words)


def _clauses(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds, at = [], start
    semicolon = folded.find(";", start, end)
    while semicolon >= 0:
        bounds.append((at, semicolon))
        at = semicolon + 1
        semicolon = folded.find(";", at, end)
    bounds.append((at, end))
    return bounds


def _parts(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "chỉ tiêu A và chỉ tiêu B" -> the two parts."""
    parts, at = [], start
    for match in _AND_OR_COMMA.finditer(folded[start:end]):
        parts.append((at, start + match.start()))
        at = start + match.end()
    parts.append((at, end))
    return [(a, b) for a, b in parts if b > a]


# ---------------------------------------------------------------------------------------------------------
# Merging restatements
# ---------------------------------------------------------------------------------------------------------


def _value_key(mention: Mention) -> tuple:
    value = mention.value
    if value is None:
        return (mention.key, None, None, None, True, False)
    return (mention.key, value.value, value.low, value.high, value.unit, False, mention.per_year)


def _compatible(a: Mention, b: Mention) -> bool:
    """Two statements of one target: a plan restates a target in another part (objectives, then the targets
    list, then the tasks), never twice in one list, and the restatement does not contradict it."""
    if a.section_id == b.section_id and a.sentence != b.sentence:
        return False
    if a.direction and b.direction and a.direction != b.direction:
        return False
    if a.period and b.period and a.period.end_year != b.period.end_year:
        return False
    if a.scope and b.scope and a.scope != b.scope:
        return False
    nested = a.populations <= b.populations or b.populations <= a.populations
    return not (a.populations and b.populations and not nested)


def _more_specific(a: Period | None, b: Period | None) -> Period | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if (b.deadline is not None and a.deadline is None) else a


def merge_mentions(mentions: list[Mention]) -> list[list[Mention]]:
    """Group restatements of one target, in order of first mention."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        for group in groups:
            if _value_key(group[0]) == _value_key(mention) and all(_compatible(m, mention) for m in group):
                if not any(m.span == mention.span for m in group):
                    group.append(mention)
                break
        else:
            groups.append([mention])
    return groups


def build_target(context: Context, number: int, group: list[Mention]) -> Target:
    first = group[0]
    value = first.value
    period = None
    for mention in group:
        period = _more_specific(period, mention.period)
    direction = next((m.direction for m in group if m.direction), None)
    scope = next((m.scope for m in group if m.scope), context.unit_name)
    return Target(
        id=f"t{number}",
        indicator=Indicator(text=first.indicator_text or first.key, key=first.key),
        value=_plain(value.value) if value is not None and value.value is not None else None,
        raw=value.raw if value is not None else None,
        decimals=value.decimals if value is not None else None,
        range=ValueRange(low=float(value.low), high=float(value.high))
        if value is not None and value.low is not None and value.high is not None
        else None,
        unit=value.unit if value is not None else None,
        direction=direction,
        per_year=any(m.per_year for m in group),
        per_year_equivalent=next((m.per_year_equivalent for m in group if m.per_year_equivalent), None),
        baseline=next((m.baseline for m in group if m.baseline), None),
        period=period,
        scope=scope,
        qualitative=first.qualitative,
        section_id=first.section_id,
        span=first.span,
        page=first.page,
        mentions=[
            TargetMention(
                span=m.span, raw=context.text[m.span.start : m.span.end], page=m.page, section_id=m.section_id
            )
            for m in group
        ],
    )


# ---------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------


def find_targets(
    text: str,
    sections: list[Section],
    unit_name: str | None = None,
    page_at: PageAt | None = None,
) -> list[Target]:
    """Every target of the plan, restatements merged, in order of first mention.

    ``find_targets("I. MỤC TIÊU\\n- Tỷ lệ lao động được đào tạo 20 - 22% (tương ứng với 0,61%/năm).", sections)``
    gives one target: vocational_training_rate, range 20–22 %, per-year equivalent 0,61 %/năm.
    ``unit_name`` ("Sơn Tây") is the scope of targets for the whole unit ("toàn xã").
    """
    values = read_values(text)
    context = Context(text, fold(text), sections, unit_name, page_at)
    context.years = {
        v.start: int(v.value)
        for v in values
        if v.value is not None and v.unit is None and v.decimals == 0 and 1900 <= v.value <= 2100
    }
    first_section = sections[0].span.start if sections else len(text)
    mentions: list[Mention] = []
    value_index = 0
    for line in logical_lines(text):
        if line.tabular or line.end <= first_section:
            continue
        chain = section_chain(sections, line.start)
        kinds = chain_kinds(chain)
        if kinds & NO_TARGET_KINDS:
            continue
        commitment_part = bool(kinds & COMMITMENT_KINDS)
        for start, end in sentences(text, line):
            while value_index < len(values) and values[value_index].start < start:
                value_index += 1
            in_sentence = []
            index = value_index
            while index < len(values) and values[index].start < end:
                in_sentence.append(values[index])
                index += 1
            mentions.extend(_numeric_mentions(context, in_sentence, start, end, chain, commitment_part))
            mentions.extend(_qualitative_mentions(context, start, end, in_sentence, chain, commitment_part))
    mentions.sort(key=lambda m: m.span.start)
    return [build_target(context, number, group) for number, group in enumerate(merge_mentions(mentions), 1)]


__all__ = ["find_targets", "fold", "logical_lines", "read_values", "section_chain", "taxonomy"]
