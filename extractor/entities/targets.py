"""Targets (chỉ tiêu): every quantified or explicit commitment a later report can be checked against.

"cuối năm 2021 tỷ lệ hộ nghèo chung toàn xã giảm tối thiểu còn 1,94%" is one target: indicator poverty_rate,
value 1.94 %, direction reduce_to, deadline the end of 2021, scope the whole commune. A target restated in
another part of the plan is one target with several mentions; a bracketed per-year equivalent
("20 - 22% (tương ứng với 0,61%/năm)") belongs to its target; "cơ bản không còn hộ nghèo" is a qualitative
target. Statements of the past situation ("cuối năm 2020 … có 51 hộ nghèo … chiếm tỷ lệ 2,06%") are not
targets: see ``proportions.py``.

How it reads a plan (``PlanText``: lines, sentences, values read once):
1. Lines broken by a page join the next; table rows are skipped (the tables stage reads them).
2. A number is a candidate when it is a percent or a count of something a plan commits to ("hộ", "mô hình",
   "km", "ha", "cụm", "doanh nghiệp"), not a year, age, duration or frequency (``data/units.yaml`` kinds).
   "64/98 xã" is one count, 64 xã out of 98, and a percent that closes its clause ("…, đạt 65,31%") is the
   share it states, not a second target. A candidate right after "từ" and before "xuống còn" is the baseline
   of the next one; one in brackets after a target, or after "tương ứng", is its equivalent; one right
   after "đã …" ("các trường đã đạt trên 80%") is a status reached, not a commitment.
3. In parts about objectives, targets or purpose every candidate is a target; elsewhere only one with a
   commitment word ("phấn đấu", "đảm bảo", "đạt", "100%" …); parts about the situation, funding and
   appendices hold none.
4. The indicator is the phrase of ``data/indicators.yaml`` that governs the number, found in the words
   before it (back to the previous candidate) or after it: one the count's unit fits ("40 doanh nghiệp"),
   of the highest priority, and at equal priority the one the share or count is of (right after "tỷ lệ" or
   after the number). A number with none in a sentence whose earlier target had one continues it ("… đạt
   90%; khu vực nông thôn đạt trên 55%"); a target outside the taxonomy is ``other`` with its own words.
   Direction, per-year ("mỗi năm giảm 1 - 1,5%"), period and scope come from the cue words of
   ``data/cues.yaml`` around it.
5. Mentions with the same indicator, value, unit and per-year flag whose direction, period, scope and
   population (hộ nghèo / hộ mới thoát nghèo …) do not contradict each other are merged into one target.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

import regex

from extractor import data
from extractor.data.schema import NOT_TARGET_KINDS
from extractor.entities.indicators import (
    IndicatorHit,
    adjust_key,
    best_hit,
    counts_in,
    indicator_hits,
    most_specific_absence,
    population_of,
    squash,
    taxonomy,
)
from extractor.entities.populations import populations_in
from extractor.normalize.lines import sentences
from extractor.normalize.patterns import WORD_END, WORD_START, alternation, folded_alternation, folded_words
from extractor.normalize.values import Value
from extractor.structure.plan_text import PlanText
from models.provenance import Span
from models.sections import Section
from models.targets import Direction, Indicator, Period, Target, TargetMention, ValueRange
from models.values import PartialDate, Quantity

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
# Units that are never a target's value: durations, frequencies, ages ("dưới 3 tháng", "02 lần", "dưới 5 tuổi").
NOT_TARGET_UNITS = data.units().of_kinds(NOT_TARGET_KINDS)

_CUES = data.cues()
_DIRECTIONS = _CUES.directions


def _words(phrases: Sequence[str]) -> str:
    """The cue phrases as one folded alternation, in a group."""
    return f"(?:{folded_alternation(phrases)})"


def _cue(phrases: Sequence[str], before: str = "", after: str = "") -> regex.Pattern[str]:
    """Whole folded cue words with what must stand around them."""
    return regex.compile(rf"{before}{WORD_START}{_words(phrases)}{WORD_END}{after}")


# The level words of data/admin_units.yaml, folded ("huyen", "thi xa"), for "toàn xã", "trên địa bàn huyện".
_LEVELS = folded_alternation(word for word in data.admin_units().level_by_word if "." not in word)
_NEGATION = _words(_CUES.negation)

# Patterns used inside loops, compiled once.
_WORD_PATTERN = regex.compile(r"[\p{L}\p{N}]+")
_NON_SPACE_RUN = regex.compile(r"\S+")
_QUOTED_PHRASE = regex.compile(r'"[^"\n]*"')
_COMMA_OR_SEMICOLON = regex.compile(r"[,;]")
_LETTER_RUN = regex.compile(r"\p{L}+")
_RATE_OR_COUNT_TAIL = regex.compile(rf"{WORD_START}{_words(_CUES.indicator_heads)}\s+[^,;]*$")
_TRONG_DO = _cue(_CUES.subclause)
_AND_OR_COMMA = regex.compile(rf"\s(?:{folded_alternation(_CUES.and_)}|,)\s")
_LIST_JOIN = regex.compile(rf"\s*(?:,|{folded_alternation(_CUES.and_)})?\s*")
_RATE_WORDS = _cue(_CUES.indicator_heads[:1])  # "tỷ lệ …": a rate that names itself

# "giảm" but not "giảm nghèo" (poverty reduction, a noun).
_REDUCE = _cue(_DIRECTIONS.reduce, after=rf"(?!\s+{_words(_CUES.reduce_noun_after)}{WORD_END})")
# "còn", but "không còn" is an absence.
_REMAIN = _cue(_DIRECTIONS.remain, before=rf"(?<!{_NEGATION} )")
_AT_MOST = _cue(_DIRECTIONS.at_most, after=r"\s*$")
_AT_LEAST = _cue(_DIRECTIONS.at_least)
_INCREASE_TO = regex.compile(
    rf"{WORD_START}{_words(_DIRECTIONS.increase_to)}(\s+\p{{L}}+){{0,3}}\s+{_words(_DIRECTIONS.increase_to_end)}"
    rf"{WORD_END}"
)
_INCREASE = _cue(_DIRECTIONS.increase)
_REACH = _cue(_DIRECTIONS.reach)
_MAINTAIN = _cue(_DIRECTIONS.maintain)
_ELIMINATE = _cue(_DIRECTIONS.eliminate)
# Words that make a sentence outside the objective parts a commitment.
_COMMITMENT = _cue(_CUES.commitment)
# A verb of doing right before a count: "Tổ chức 04 phiên", "Mở 45 lớp", "Hỗ trợ 158 hộ".
_ACTION_BEFORE = _cue(_CUES.action_before_count, after=r"\s*$")
# A count after these words names where, not how many: "tỷ lệ hộ nghèo của 10 xã khu vực 3 giảm 3-4%/năm".
_SCOPE_BEFORE = _cue(_CUES.place_before_count, after=r"\s*$")
# A part of the target stated just before it: "…, trong đó lao động thuộc hộ nghèo tối thiểu 300 người".
_SUBTARGET = regex.compile(rf"[\s,;:]*{_words(_CUES.subclause)}{WORD_END}")
_PROPORTION_CUE = _cue(_CUES.share, after=r"\s*$")
_COMPARED = regex.compile(rf"\s*{_words(_CUES.compared_with)}{WORD_END}")
# The cues of a baseline, shared with the results stage: "so với đầu năm", "từ 2,01% xuống còn …".
BASELINE_FROM = _cue(_CUES.baseline_from, after=r"\s*$")
BASELINE_TO = regex.compile(rf"^\s*{_words(_CUES.baseline_to)}{WORD_END}")
# The per-year reading of a rate: "bình quân 3% năm", "giảm 3-4%/năm", "0,5% mỗi năm".
_PER_YEAR_AFTER = regex.compile(rf"^\s*{_words(_CUES.per_year_after)}{WORD_END}")
_SCOPE_WHOLE = regex.compile(
    rf"{WORD_START}(?:{_words(_CUES.whole_unit_before)}\s+)?(?P<phrase>{_words(_CUES.whole_unit)}\s+"
    rf"(?P<level>{_LEVELS})|{_words(_CUES.whole_area)}\s+(?:{_words(_CUES.whole_unit)}\s+)?(?P<level2>{_LEVELS}))"
    rf"{WORD_END}"
)
_SCOPE_NAMED = regex.compile(
    rf"{WORD_START}{_words(_CUES.named_scope_before)}\s+(?P<phrase>(?:{_words(_CUES.named_scope_plural)}\s+)?"
    rf"(?:\d+\s+)?{_words(_CUES.named_scope_places)}(?:\s+[\p{{L}}\d]+){{1,4}}?)"
    rf"(?=\s+{_words(_CUES.named_scope_end)}{WORD_END}|\s*[,;.]|$)"
)
_YEAR_NUMBER = r"\s+(?P<year>\d{4})"
_PERIOD_END = regex.compile(
    rf"{WORD_START}(?:{_words(_CUES.period_lead)}\s+)?{_words(_CUES.period_end)}\s+"
    rf"{_words(_CUES.period_year)}{_YEAR_NUMBER}"
)
_PERIOD_BY = regex.compile(
    rf"{WORD_START}{_words(_CUES.period_by)}\s+{_words(_CUES.period_year)}{_YEAR_NUMBER}"
)
_PERIOD_YEAR = regex.compile(
    rf"{WORD_START}(?<!{_words(_CUES.compared_with)} ){_words(_CUES.period_year)}{_YEAR_NUMBER}"
)
_TRAILING_CUES = regex.compile(
    rf"(?:[\s,]+(?:{folded_alternation([*_CUES.trailing, *_CUES.per_year_after])}|[\d.,]+%?))+[\s,:]*$"
)
# "Tỷ lệ hộ nghèo mỗi năm giảm 1 - 1,5%": the per-year reading written before the number.
_PER_YEAR_BEFORE = _cue(_CUES.per_year_after)
_READING = data.indicators().reading
# "…, tương ứng tăng thêm 230 hộ": the target before, restated in another unit.
_RESTATED = _cue(_READING.restatement, after=r"(?:\s+\p{L}+){0,3}\s*$")
# "các trường đã đạt trên 80%": matched as written, since folding makes "đã" (already) "đa" (multi-).
_DONE = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}])(?:{alternation(_READING.done)})(?:\s+[\p{{L}}\p{{M}}]+){{0,2}}\s+$",
    regex.IGNORECASE,
)
_FRACTION_SLASH = regex.compile(r"\s*/\s*")
# After a share stated with a count, only the end of its clause: "…, đạt 65,31%." / "(65,31%)".
_CLAUSE_END = regex.compile(r"\s*(?:[,.;:)\]]|$)")
SHARE_GAP_WORDS = 15
PARENTHESES = regex.compile(r"\([^()]*\)")


def is_candidate_unit(value: Value) -> bool:
    """A percent or a count of something a plan commits to; not a year, an age, a duration or a frequency."""
    if value.unit is None or value.unit in NOT_TARGET_UNITS:
        return False
    if value.per and value.unit != "%":
        first = value.per.split("/")[0]
        return not (first in NOT_TARGET_UNITS and first != "năm")  # "500 hộ/năm" is a yearly target
    return True


def chain_kinds(chain: Sequence[Section]) -> set[str]:
    """The kinds that apply: the innermost section's, or its nearest ancestor's when it says "other"."""
    for section in reversed(chain):
        kinds = set(section.kinds) - {"other"}
        if kinds:
            return kinds
    return set()


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
    of_total: Value | None = None
    share: Value | None = None


def _syllable_start(folded: str, start: int, end: int, syllables: int) -> int:
    """The offset from which the last ``syllables`` words of ``folded[start:end]`` begin."""
    words = list(_NON_SPACE_RUN.finditer(folded[start:end]))
    return start if len(words) <= syllables else start + words[-syllables].start()


def _syllable_end(folded: str, start: int, end: int, syllables: int) -> int:
    words = list(_NON_SPACE_RUN.finditer(folded[start:end]))
    return end if len(words) <= syllables else start + words[syllables - 1].end()


@cache
def _word_marks(word: str) -> tuple[str, str]:
    """A word's letters without marks ("y" read as "i", "đ" as "d") and its marks, sorted, so that tone
    placement and the i/y spelling do not count: "hoà" and "hòa" agree, "đạt" and "đặt" do not."""
    letters, marks = [], []
    for char in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(char):
            marks.append(char)
        elif char == "đ":
            letters.append("d")
            marks.append(char)
        else:
            letters.append("i" if char == "y" else char)
    return "".join(letters), "".join(sorted(marks))


def _cue_marks() -> dict[str, frozenset[str]]:
    """Folded cue word -> the marks each cue writes it with: "dat" -> {marks of "đạt"}."""
    found: dict[str, set[str]] = {}
    directions = [p for listed in _DIRECTIONS.model_dump().values() for p in listed]
    phrases = [*directions, *_CUES.trailing, *_CUES.per_year_after]
    for phrase in phrases:
        for word in phrase.split():
            found.setdefault(_word_marks(word)[0], set()).add(_word_marks(word)[1])
    return {word: frozenset(marks) for word, marks in found.items()}


_CUE_MARKS = _cue_marks()
# Only the folded cue words need their marks compared: one scan finds them.
_CUE_WORD = regex.compile(rf"{WORD_START}(?:{'|'.join(sorted(_CUE_MARKS, key=len, reverse=True))}){WORD_END}")


def cue_safe(plan: PlanText, start: int, end: int) -> str:
    """``plan.folded[start:end]`` with each word that only folds like a cue word blanked out: "lắp đặt"
    (install) folds like "đạt" (reach), "tặng" (give) like "tăng", "giám sát" like "giảm". A word written
    without marks still reads as the cue (a copy that lost them)."""
    folded = plan.folded[start:end]
    pieces, at = [], 0
    for word in _CUE_WORD.finditer(plan.folded, start, end):
        written = _CUE_MARKS[word.group()]  # the folded word is the letters of ``_word_marks``
        marks = _word_marks(plan.text[word.start() : word.end()])[1]
        if not marks or marks in written:
            continue
        pieces.append(folded[at : word.start() - start])
        pieces.append("x" * (word.end() - word.start()))
        at = word.end() - start
    pieces.append(folded[at:])
    return "".join(pieces)


def direction_of(tail: str, value: Value | None) -> Direction | None:
    """Read from the folded words right before the number (``cue_safe``): "giảm tối thiểu còn" ->
    reduce_to."""
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


def period_in(plan: PlanText, start: int, end: int) -> Period | None:
    """The period named nearest before ``end`` in ``[start, end)``: "cuối năm 2024", "giai đoạn 2021-2025"."""
    folded, text = plan.folded, plan.text
    found: list[tuple[int, Period]] = []
    for span in _year_spans_in(plan, start, end):
        raw = text[max(start, span.start) : span.end]
        found.append((span.end, Period(start_year=span.first, end_year=span.last, raw=raw)))
    for pattern, kind in ((_PERIOD_END, "end"), (_PERIOD_BY, "by"), (_PERIOD_YEAR, "year")):
        for match in pattern.finditer(folded, start, end):
            year = plan.years.get(match.start("year"))
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


def _year_spans_in(plan: PlanText, start: int, end: int) -> list:
    """The periods of years ("giai đoạn 2021-2025") whose years lie in ``[start, end)``."""
    spans = plan.year_spans
    ends = plan.year_span_ends
    found = []
    for span in spans[bisect.bisect_right(ends, start) :]:
        if span.end > end:
            break
        if plan.text.find(str(span.first), span.start, span.end) >= start:
            found.append(span)
    return found


def _heading_period(plan: PlanText, chain: Sequence[Section]) -> Period | None:
    for section in reversed(chain):
        heading = section.heading_span
        period = period_in(plan, heading.start, heading.end)
        if period is not None:
            return period
    return None


def scope_in(plan: PlanText, start: int, end: int) -> tuple[str | None, bool]:
    """(scope, stated): "toàn xã" -> the unit's name (or "toàn xã" without one); "của 10 xã khu vực 3" -> that."""
    folded = plan.folded
    whole = _SCOPE_WHOLE.search(folded, start, end)
    if whole:
        if plan.unit_name:
            return plan.unit_name, True
        level = whole.group("level") or whole.group("level2")
        start_level = whole.start("level") if whole.group("level") else whole.start("level2")
        return "toàn " + plan.text[start_level : start_level + len(level)].lower(), True
    named = _SCOPE_NAMED.search(folded, start, end)
    if named:
        return " ".join(plan.text[named.start("phrase") : named.end("phrase")].split()), True
    return plan.unit_name, False


def _quantity(plan: PlanText, value: Value) -> Quantity:
    number = value.value if value.value is not None else value.high
    return Quantity(
        value=plain_number(number),
        raw=plan.text[value.start : value.end_with_unit].strip(),
        decimals=value.decimals,
        unit=value.unit,
        span=Span(start=value.start, end=value.end_with_unit),
        page=plan.page_at(value.start),
    )


def plain_number(number: Decimal | None) -> int | float:
    """A parsed number as JSON writes it: Decimal("50") -> 50, Decimal("1.94") -> 1.94, None -> 0."""
    if number is None:
        return 0
    return int(number) if number == number.to_integral_value() else float(number)


def _indicator_text(plan: PlanText, start: int, end: int, cues: str | None = None) -> str:
    """The phrase as written, without the direction and period words that end it ("Tỷ lệ hộ nghèo giảm
    còn" -> "Tỷ lệ hộ nghèo"; "Lắp đặt" stays whole: "đặt" is no "đạt"). ``cues`` is ``cue_safe`` of
    ``[start, end)`` when the caller has it."""
    folded = cues if cues is not None else cue_safe(plan, start, end)
    trailing = _TRAILING_CUES.search(folded)
    if trailing and trailing.start() > 0:
        end = start + trailing.start()
    return " ".join(plan.text[start:end].strip(" ,;:-+").split())


def _own_words(
    plan: PlanText, left_start: int, value: Value, right_end: int, cues: str | None = None
) -> tuple[str, int, int]:
    """The words of a target outside the taxonomy, and their span: the phrase before the number when it
    names the indicator ("Tỷ lệ phòng học kiên cố đạt 85%" -> "Tỷ lệ phòng học kiên cố"), else what the
    number counts, after it ("70% người dân … có kỹ năng số cơ bản", "Lắp đặt 24 camera giám sát …" ->
    "Lắp đặt camera giám sát …")."""
    before = _indicator_text(plan, left_start, value.start, cues)
    if _RATE_WORDS.search(plan.folded, left_start, value.start) or len(before.split()) >= 3:
        return before, left_start, value.end_with_unit
    written = plan.text[value.end : right_end]
    after = " ".join(written.strip(" ,;:.%").split())
    words = " ".join(part for part in (before, after) if part)
    end = value.end + len(written.rstrip(" ,;:."))
    return words or plan.text[value.start : value.end_with_unit], left_start, max(end, value.end_with_unit)


# ---------------------------------------------------------------------------------------------------------
# Finding mentions in a sentence
# ---------------------------------------------------------------------------------------------------------


def _inside(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    return next((span for span in spans if span[0] <= offset < span[1]), None)


def _quoted(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED_PHRASE.finditer(text[start:end])]


@dataclass
class _Roles:
    """What each number of a sentence is: a target; the baseline of the next ("từ 2,85% xuống còn 2,1%");
    the equivalent of the previous ("(tương ứng với 0,61%/năm)"); the whole a count is out of ("64/98 xã"
    -> 98); the share stated with such a count ("…, đạt 65,31%"). Keys are ``id`` of the target's value."""

    targets: list[Value] = field(default_factory=list)
    baselines: dict[int, Value] = field(default_factory=dict)
    equivalents: dict[int, Value] = field(default_factory=dict)
    totals: dict[int, Value] = field(default_factory=dict)
    shares: dict[int, Value] = field(default_factory=dict)


def merge_fractions(text: str, values: list[Value]) -> tuple[list[Value], dict[int, Value]]:
    """The values with each "X/Y noun" read as one count: "64/98 xã" -> 64 xã (raw "64/98 xã"), out of the
    98 xã it is returned with. A scale ("tỷ lệ 1/500") has no noun and stays two bare numbers."""
    merged: list[Value] = []
    totals: dict[int, Value] = {}
    index = 0
    while index < len(values):
        value = values[index]
        total = values[index + 1] if index + 1 < len(values) else None
        if total is not None and _is_fraction(text, value, total):
            whole = replace(
                total,
                start=value.start,
                value=value.value,
                decimals=value.decimals,
                raw=text[value.start : total.end_with_unit].strip(),
            )
            totals[id(whole)] = total
            merged.append(whole)
            index += 2
            continue
        merged.append(value)
        index += 1
    return merged, totals


def _is_fraction(text: str, part: Value, total: Value) -> bool:
    """ "64" and "98 xã" of "64/98 xã": a bare count, a slash, a count of something at least as large."""
    if part.unit is not None or part.value is None or total.value is None or total.unit is None:
        return False
    if total.percent or total.low is not None or total.value < part.value:
        return False
    return _FRACTION_SLASH.fullmatch(text, part.end, total.start) is not None


def _states_share(plan: PlanText, count: Value, percent: Value, end: int) -> bool:
    """True when ``percent`` is the share a count out of a total states: "13/15 xã … thu gom rác thải, đạt
    86,67%." The words between name no other rate ("…, tỷ lệ hộ nghèo còn 2%" is a target of its own) and
    the percent closes its clause."""
    if not percent.percent or percent.per_year or percent.value is None:
        return False
    folded = plan.folded
    gap = folded[count.end_with_unit : percent.start]
    if ";" in gap or len(gap.split()) > SHARE_GAP_WORDS:
        return False
    rate = _RATE_WORDS.search(gap)
    if rate is not None and gap[rate.end() :].strip():
        return False  # a rate named between them, not "đạt tỷ lệ 86,67%"
    return _CLAUSE_END.match(folded, percent.end_with_unit, end) is not None


def _roles(plan: PlanText, values: list[Value], start: int, end: int) -> _Roles:
    """Split a sentence's candidates into targets and the numbers that only qualify one (see ``_Roles``)."""
    roles = _Roles()
    if not values:
        return roles  # most sentences hold no number: their brackets and quotes need not be read
    folded, text = plan.folded, plan.text
    values, roles.totals = merge_fractions(text, values)
    brackets = [(start + m.start(), start + m.end()) for m in PARENTHESES.finditer(text[start:end])]
    quotes = [(start + a, start + b) for a, b in _quoted(text, start, end)]
    targets = roles.targets
    pending_baseline: Value | None = None
    for value in values:
        if _inside(quotes, value.start):
            continue
        last = targets[-1] if targets else None
        bracket = _inside(brackets, value.start)
        if bracket is not None:
            if last is not None and id(last) in roles.totals and _states_share(plan, last, value, end):
                roles.shares.setdefault(id(last), value)
            elif last is not None and last.end_with_unit <= bracket[0] and value.per_year:
                roles.equivalents.setdefault(id(last), value)
            continue
        if not is_candidate_unit(value):
            continue
        before = folded[max(start, value.start - 40) : value.start]
        after = folded[value.end_with_unit : min(end, value.end_with_unit + 20)]
        if last is not None and id(last) in roles.totals and _states_share(plan, last, value, end):
            roles.shares.setdefault(id(last), value)
            continue
        if last is not None and _RESTATED.search(before):
            if value.per_year:
                roles.equivalents.setdefault(id(last), value)
            continue  # "tăng từ 83,2% lên 89,2%, tương ứng tăng thêm 230 hộ": the same commitment
        if _DONE.search(text, max(start, value.start - 40), value.start):
            continue  # "ưu tiên các trường đã đạt trên 80% tiêu chí": reached, not committed
        if not value.percent and _SCOPE_BEFORE.search(before[-30:]):
            continue
        if _PROPORTION_CUE.search(before[-30:]):
            continue
        if targets and _COMPARED.match(after):
            continue  # "đạt 75%, tăng 2% so với năm 2024": the change of the target before, not a target
        if BASELINE_FROM.search(before[-30:]) and BASELINE_TO.search(after):
            pending_baseline = value
            continue
        if pending_baseline is not None:
            roles.baselines[id(value)] = pending_baseline
            pending_baseline = None
        targets.append(value)
    return roles


def _window_hit(
    plan: PlanText, value: Value, left: tuple[int, int], right: tuple[int, int], long_right: tuple[int, int]
) -> tuple[IndicatorHit | None, str | None, list[IndicatorHit]]:
    """The indicator of a number, the side it stands on and the phrases read on that side.

    "Tỷ lệ X … N%" names it before the number: then only the words after it up to the next comma may name a
    more specific one. "N% hộ nghèo, hộ cận nghèo …; … được cấp thẻ BHYT" names it after: when the words up to
    the semicolon only name people, the rest of the sentence is read too. A count keeps only the phrases whose
    indicator counts its unit, and at equal priority the phrase the number is of wins (see ``best_hit``).
    """
    folded = plan.folded
    left_hits = _fitting_hits(plan, value, *left)
    rate = _last_rate_word(folded, *left)
    left_subject = next((h for h in left_hits if rate is not None and h.start >= rate), None)
    left_hit = best_hit(left_hits, prefer_last=True, subject=left_subject)
    if left_hit is not None:
        comma = _COMMA_OR_SEMICOLON.search(folded[right[0] : right[1]])
        right = (right[0], right[0] + comma.start()) if comma else right
    right_hit, right_hits = _right_hit(plan, value, right)
    if left_hit is None and (right_hit is None or right_hit.priority <= 2) and long_right != right:
        longer, longer_hits = _right_hit(plan, value, long_right)
        if longer is not None and (right_hit is None or longer.priority > right_hit.priority):
            right_hit, right_hits = longer, longer_hits
    if left_hit is not None and _RATE_WORDS.search(folded[left[0] : left_hit.start]):
        # "Tỷ lệ hộ nghèo … 1,94% (Theo tiêu chí …)": the rate names itself
        return left_hit, "left", left_hits
    if right_hit is not None and (left_hit is None or right_hit.priority > left_hit.priority):
        return right_hit, "right", right_hits
    if (
        right_hit is not None
        and left_hit is not None
        and right_hit.priority == left_hit.priority
        and right_hit.start - value.end_with_unit < value.start - left_hit.end
    ):
        # "Phối hợp các doanh nghiệp …, bảo đảm tối thiểu 80% lao động sau học nghề có việc làm": at equal
        # priority the phrase nearer the number governs it
        return right_hit, "right", right_hits
    if left_hit is not None:
        return left_hit, "left", left_hits
    return None, None, []


def _fitting_hits(plan: PlanText, value: Value, start: int, end: int) -> list[IndicatorHit]:
    """The taxonomy phrases in ``[start, end)`` whose indicator may count ``value``'s unit."""
    unit = None if value.percent else value.unit
    hits = indicator_hits(plan.folded, start, end, plan.text)
    return [hit for hit in hits if counts_in(hit.key, unit)]


def _right_hit(
    plan: PlanText, value: Value, window: tuple[int, int]
) -> tuple[IndicatorHit | None, list[IndicatorHit]]:
    """The best phrase after the number, and all it was chosen from; the subject is one that starts right
    at it ("100% cụm công nghiệp …", "40 doanh nghiệp …")."""
    hits = _fitting_hits(plan, value, *window)
    subject = next((h for h in hits if not plan.folded[value.end_with_unit : h.start].strip()), None)
    return best_hit(hits, prefer_last=False, subject=subject), hits


def _last_rate_word(folded: str, start: int, end: int) -> int | None:
    """Where the words after the last "tỷ lệ" of ``[start, end)`` begin, or None."""
    found = None
    for match in _RATE_WORDS.finditer(folded, start, end):
        found = match.end()
    return found


def _numeric_mentions(
    plan: PlanText, values: list[Value], start: int, end: int, chain: list[Section], commitment_part: bool
) -> Iterator[Mention]:
    text, folded = plan.text, plan.folded
    roles = _roles(plan, values, start, end)
    targets, baselines = roles.targets, roles.baselines
    sentence_period = None
    previous_key: str | None = None
    previous_text = ""
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
        hit, side, side_hits = _window_hit(plan, value, (left_start, value.start), right, long_right)
        key = adjust_key(hit.key, value.percent) if hit else "other"
        continued = False
        if (
            previous_key
            and (hit is None or hit.priority < 3)
            and _SUBTARGET.search(folded, left_start, value.start)
        ):
            key = previous_key  # "Đào tạo nghề cho 1.800 lao động, trong đó … hộ nghèo tối thiểu 300 người"
        elif _continues(folded, hit, previous_key, left_start, value.start) and commitment_part:
            key, continued = adjust_key(previous_key, value.percent), True  # "…; khu vực nông thôn đạt 55%"
        previous_key = key
        if hit is None and not commitment_part:
            continue
        left_cues = cue_safe(plan, left_start, value.start)
        if continued:
            own = _indicator_text(plan, left_start, value.start, left_cues)
            indicator = ", ".join(part for part in (previous_text, own) if part)
            span_start, span_end = left_start, value.end_with_unit
        elif hit is None:
            indicator, span_start, span_end = _own_words(plan, left_start, value, right[1], left_cues)
        elif side == "left":
            tl = _RATE_OR_COUNT_TAIL.search(folded[left_start : hit.start])
            indicator_start = left_start + tl.start() if tl else hit.start
            indicator = _indicator_text(
                plan, indicator_start, value.start, left_cues[indicator_start - left_start :]
            )
            span_start, span_end = indicator_start, value.end_with_unit
        else:
            hit_end = _phrase_end(folded, hit, side_hits)
            indicator = " ".join(text[value.end : hit_end].strip(" ,;:%").split())
            span_start, span_end = _verb_start(folded, left_start, value.start), hit_end
        tail_start = _syllable_start(folded, left_start, value.start, DIRECTION_SYLLABLES)
        direction = direction_of(left_cues[tail_start - left_start :], value)
        if _ELIMINATE.search(left_cues):
            direction = "eliminate"
        elif _MAINTAIN.search(left_cues):
            direction = "maintain"  # "Duy trì tỷ lệ tiêm chủng đầy đủ trên 98%"
        if not continued:
            previous_text = indicator
        after = folded[value.end_with_unit : value.end_with_unit + 15]
        per_year = (
            value.per_year
            or bool(_PER_YEAR_AFTER.search(after))
            or bool(_PER_YEAR_BEFORE.search(folded, left_start, value.start))
        )
        equivalent = roles.equivalents.get(id(value))
        baseline = baselines.get(id(value))
        period = period_in(plan, left_start, value.start) or period_in(
            plan, value.end_with_unit, _strip_brackets_end(text, right)
        )
        if period is None:
            if sentence_period is None:
                sentence_period = period_in(plan, start, left_start) or _heading_period(plan, chain)
            period = sentence_period
        scope, stated = scope_in(plan, left_start, right[1])
        if not stated:
            scope, stated = scope_in(plan, start, left_start)
        population_area = (
            folded[left_start : value.start] + " " + _before_subclause(folded[right[0] : right[1]])
        )
        yield Mention(
            key=key,
            indicator_text=indicator,
            value=value,
            direction=direction,
            per_year=per_year,
            per_year_equivalent=_quantity(plan, equivalent) if equivalent else None,
            baseline=_quantity(plan, baseline) if baseline else None,
            period=period,
            scope=scope if stated else None,
            populations=populations_in(population_area),
            qualitative=False,
            span=Span(start=span_start, end=span_end),
            section_id=chain[-1].id if chain else None,
            page=plan.page_at(span_start),
            sentence=(start, end),
            of_total=roles.totals.get(id(value)),
            share=roles.shares.get(id(value)),
        )


def _phrase_end(folded: str, hit: IndicatorHit, hits: list[IndicatorHit]) -> int:
    """Where the phrase of ``hit`` ends, taking in the phrases (of ``hits``, in text order) of the same
    indicator that overlap it or follow it after a comma or "và": "Xóa 100% nhà tạm, nhà dột nát" -> "nhà
    tạm, nhà dột nát"; "01 xã đạt chuẩn nông thôn mới kiểu mẫu" -> the whole of it."""
    end = hit.end
    for other in hits:
        if other.start < hit.start:
            continue
        if other.start > end and not _LIST_JOIN.fullmatch(folded, end, other.start):
            break
        if other.key == hit.key:
            end = max(end, other.end)
    return end


def _continues(folded: str, hit: IndicatorHit | None, previous_key: str | None, start: int, end: int) -> bool:
    """True for a number with no indicator of its own after a target of the same sentence that had one:
    "Tỷ lệ chất thải rắn … được thu gom, xử lý đạt 90%; khu vực nông thôn đạt trên 55%" (the 55% is the
    same indicator in the countryside), "… năm 2025: 12 trường; năm 2026: 10 trường". A rate that names
    itself ("…; tỷ lệ phòng học kiên cố đạt 85%") is its own indicator, outside the taxonomy or not."""
    if hit is not None or previous_key in (None, "other"):
        return False
    return _RATE_WORDS.search(folded, start, end) is None


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

_ALL_RECEIVE = _cue(_CUES.all_receive)
_ABSENCE_CUE = _cue(_CUES.absence)
# How many words after "không còn" may name what must be absent ("… hộ nghèo ở nhà tạm, nhà dột nát").
ABSENCE_SYLLABLES = 12
_MAINTAIN_CLAUSE = _cue(_DIRECTIONS.maintain)
_STRIVE = _cue(_CUES.strive)
# Words every match of ``absent`` / ``_ACHIEVE`` contains: a sentence without them is not scanned.
_ABSENT_CUE_WORDS = tuple({folded_words(phrase)[0] for phrase in _CUES.absence})
_ACHIEVE_WORDS = tuple(" ".join(folded_words(marker)) for marker in _CUES.achievement_marker)
_ACHIEVE = regex.compile(rf"{WORD_START}(?P<status>{folded_alternation(_CUES.achievement)}){WORD_END}")


def _qualitative_mention(
    plan: PlanText,
    key: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    chain: list[Section],
    direction,
) -> Mention:
    period = (
        period_in(plan, sentence[0], start)
        or period_in(plan, end, _strip_brackets_end(plan.text, (end, sentence[1])))
        or _heading_period(plan, chain)
    )
    scope, stated = scope_in(plan, sentence[0], sentence[1])
    return Mention(
        key=key,
        indicator_text=" ".join(plan.text[start:end].split()),
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
        page=plan.page_at(start),
        sentence=sentence,
    )


def _qualitative_mentions(
    plan: PlanText,
    start: int,
    end: int,
    candidates: list[Value],
    chain: list[Section],
    commitment_part: bool,
) -> Iterator[Mention]:
    folded, table = plan.folded, taxonomy()
    clause_bounds = _clauses(folded, start, end)

    def has_number(offset: int) -> bool:
        clause = _inside(clause_bounds, offset) or (start, end)
        return any(clause[0] <= v.start < clause[1] and is_candidate_unit(v) for v in candidates)

    seen: set[str] = set()
    absent = (
        table.absent.finditer(folded, start, end) if _contains(folded, start, end, _ABSENT_CUE_WORDS) else ()
    )
    for match in absent:
        key, _, absent_end = _absence(folded, match, end)
        quotes = _quoted(plan.text, start, end)  # read only here: few sentences say "không còn …"
        if key in seen or _inside(quotes, match.start()) or has_number(match.start()):
            continue
        seen.add(key)
        yield _qualitative_mention(plan, key, match.start(), absent_end, (start, end), chain, "eliminate")
    achieved = _ACHIEVE.finditer(folded, start, end) if _contains(folded, start, end, _ACHIEVE_WORDS) else ()
    for match in achieved:
        if _STRIVE.search(folded, start, match.start()) and not has_number(match.start()):
            key = "new_rural_standard"
            if key not in seen:
                seen.add(key)
                strive = _STRIVE.search(folded, start, match.start())
                yield _qualitative_mention(
                    plan, key, strive.start(), match.end(), (start, end), chain, "reach"
                )
    if not commitment_part:
        return
    every = _ALL_RECEIVE.search(folded, start, end)
    if every and not has_number(every.start()):
        hit = best_hit(indicator_hits(folded, every.end(), end), prefer_last=False)
        if hit and hit.priority > 1 and hit.key not in seen:
            seen.add(hit.key)
            yield _qualitative_mention(
                plan, hit.key, _verb_start(folded, start, start), hit.end, (start, end), chain, "reach"
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
                    plan, hit.key, part_start, part_end, (start, end), chain, "maintain"
                )


def _absence(folded: str, match: regex.Match[str], end: int) -> tuple[str, int, int]:
    """The thing a "không còn …" commits to remove: of those named after the cue, up to the next cue, the
    clause end or ``ABSENCE_SYLLABLES`` words, the most specific (key, start, end). "Không còn hộ nghèo ở nhà
    tạm, nhà dột nát" -> temporary_housing_elimination over poor_households."""
    table = taxonomy()
    reach = _clause_end(folded, match.end("cue"), end)
    next_cue = _ABSENCE_CUE.search(folded, match.end("cue"), reach)
    reach = _syllable_end(
        folded, match.end("cue"), next_cue.start() if next_cue else reach, ABSENCE_SYLLABLES
    )
    found = most_specific_absence(folded, match.start("absent"), max(reach, match.end("absent")))
    if found is None:
        return table.keys_by_absent[squash(match.group("absent"))], match.start("absent"), match.end("absent")
    return found


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


def build_target(plan: PlanText, number: int, group: list[Mention]) -> Target:
    first = group[0]
    value = first.value
    period = None
    for mention in group:
        period = _more_specific(period, mention.period)
    direction = next((m.direction for m in group if m.direction), None)
    scope = next((m.scope for m in group if m.scope), plan.unit_name)
    of_total = next((m.of_total for m in group if m.of_total is not None), None)
    share = next((m.share for m in group if m.share is not None), None)
    return Target(
        id=f"t{number}",
        indicator=Indicator(text=first.indicator_text or first.key, key=first.key),
        value=plain_number(value.value) if value is not None and value.value is not None else None,
        raw=value.raw if value is not None else None,
        decimals=value.decimals if value is not None else None,
        range=ValueRange(low=float(value.low), high=float(value.high))
        if value is not None and value.low is not None and value.high is not None
        else None,
        unit=value.unit if value is not None else None,
        of_total=float(of_total.value) if of_total is not None and of_total.value is not None else None,
        percent=float(share.value) if share is not None and share.value is not None else None,
        direction=direction,
        per_year=any(m.per_year for m in group),
        per_year_equivalent=next((m.per_year_equivalent for m in group if m.per_year_equivalent), None),
        baseline=next((m.baseline for m in group if m.baseline), None),
        period=period,
        scope=scope,
        population=population_of(first.key),
        qualitative=first.qualitative,
        section_id=first.section_id,
        span=first.span,
        page=first.page,
        mentions=[
            TargetMention(
                span=m.span, raw=plan.text[m.span.start : m.span.end], page=m.page, section_id=m.section_id
            )
            for m in group
        ],
    )


# ---------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------


def find_targets(plan: PlanText) -> list[Target]:
    """Every target of the plan, restatements merged, in order of first mention.

    In a plan whose "I. MỤC TIÊU" says "- Tỷ lệ lao động được đào tạo 20 - 22% (tương ứng với 0,61%/năm)." this
    gives one target: vocational_training_rate, range 20–22 %, per-year equivalent 0,61 %/năm. The plan's own
    unit ("Sơn Tây") is the scope of targets for the whole unit ("toàn xã").
    """
    values = plan.values
    mentions: list[Mention] = []
    value_index = 0
    for line in plan.lines:
        if line.tabular or line.end <= plan.preamble_end:
            continue
        chain = plan.index.chain(line.start)
        kinds = chain_kinds(chain)
        if kinds & NO_TARGET_KINDS:
            continue
        commitment_part = bool(kinds & COMMITMENT_KINDS)
        for start, end in sentences(plan.text, line):
            while value_index < len(values) and values[value_index].start < start:
                value_index += 1
            in_sentence = []
            index = value_index
            while index < len(values) and values[index].start < end:
                in_sentence.append(values[index])
                index += 1
            mentions.extend(_numeric_mentions(plan, in_sentence, start, end, chain, commitment_part))
            mentions.extend(_qualitative_mentions(plan, start, end, in_sentence, chain, commitment_part))
    mentions.sort(key=lambda m: m.span.start)
    return [build_target(plan, number, group) for number, group in enumerate(merge_mentions(mentions), 1)]


def read_indicator(
    plan: PlanText, value: Value, start: int, previous_end: int, next_start: int, end: int
) -> tuple[IndicatorHit | None, str, int]:
    """The indicator of one number of the sentence ``[start, end)`` by the windows targets are read with:
    (the phrase governing it or None, its words as written, where they start). ``previous_end`` is where
    the number before it ends (or ``start``), ``next_start`` where the next begins (or ``end``). Reported
    results (``results.py``) read their indicator with this, so that a result and a target name one thing
    alike: "cuối năm 2021 toàn xã còn 50 hộ nghèo, tỷ lệ hộ nghèo còn 2,01%" -> poverty_rate."""
    text, folded = plan.text, plan.folded
    left_start = max(previous_end, _clause_start(folded, start, value.start))
    left_start = _syllable_start(folded, left_start, value.start, LEFT_WINDOW_SYLLABLES)
    clause_end = _strip_brackets_end(
        text, (value.end_with_unit, _clause_end(folded, value.end_with_unit, next_start))
    )
    right = (value.end, _syllable_end(folded, value.end, clause_end, RIGHT_WINDOW_SYLLABLES))
    long_end = _strip_brackets_end(text, (value.end_with_unit, next_start))
    long_right = (value.end, _syllable_end(folded, value.end, long_end, LONG_RIGHT_WINDOW_SYLLABLES))
    hit, side, side_hits = _window_hit(plan, value, (left_start, value.start), right, long_right)
    left_cues = cue_safe(plan, left_start, value.start)
    if hit is None:
        words, span_start, _ = _own_words(plan, left_start, value, right[1], left_cues)
        return None, words, span_start
    if side == "left":
        tail = _RATE_OR_COUNT_TAIL.search(folded[left_start : hit.start])
        indicator_start = left_start + tail.start() if tail else hit.start
        words = _indicator_text(plan, indicator_start, value.start, left_cues[indicator_start - left_start :])
        return hit, words, indicator_start
    hit_end = _phrase_end(folded, hit, side_hits)
    return (
        hit,
        " ".join(text[value.end : hit_end].strip(" ,;:%").split()),
        _verb_start(folded, left_start, value.start),
    )
