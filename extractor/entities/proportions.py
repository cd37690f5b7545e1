"""Proportions: a count stated with the percent it is said to be, and the base it is a share of.

"trên địa bàn xã có 51 hộ nghèo, có 111 khẩu chiếm tỷ lệ 2,06 %" is 51 households at 2,06 %; the text does
not say of what, so ``base`` stays null and the checks use the unit's total households from its table.
"+ Thiếu hụt chỉ số việc làm: 03 hộ, tỷ lệ 58,8%" sits in a list whose lead-in names its group
("Kết quả đo lường về mức độ thiếu hụt … của hộ nghèo:"), so its base is the 17 poor households the same part
counted ("có 17 hộ nghèo") — base_source "list_total", as when the lead-in states the total itself
("Khảo sát nhu cầu học nghề của 1.250 lao động chưa qua đào tạo:"). No base is guessed beyond these two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex

from extractor import data
from extractor.data.schema import SHARE_KINDS
from extractor.entities.populations import household_groups, populations_in, single_group
from extractor.normalize.lines import Line
from extractor.normalize.patterns import WORD_END, WORD_START, alternation, folded_alternation
from extractor.normalize.text import fold
from extractor.normalize.values import Value
from extractor.structure.plan_text import PlanText
from models.proportions import Proportion
from models.provenance import Span
from models.values import Quantity

# Units a share may count: households, people, places, organisations. "%" of money or of an area is not one.
COUNT_UNITS = data.units().of_kinds(SHARE_KINDS)
HOUSEHOLD_UNIT = data.units().by_unit["hộ"].unit
# "X/Y" may count things too: "15/19 tiêu chí, đạt 78,94%" (never durations, ages or measures).
FRACTION_UNITS = data.units().of_kinds(frozenset({*SHARE_KINDS, "thing"}))
BASE_SOURCE_LIST = "list_total"

_CUES = data.cues()


def _words(phrases: Sequence[str]) -> str:
    return f"(?:{folded_alternation(phrases)})"


# Between the count and its percent: "chiếm tỷ lệ", "tỷ lệ", "chiếm", "đạt tỷ lệ", or a bracket "(2,06%)".
_SHARE_CUE = regex.compile(rf"{WORD_START}{_words(_CUES.share_between)}{WORD_END}|\(\s*$")
# Words that make the pair a change or a target, not a share: "giảm 50 hộ, tỷ lệ giảm 2%".
# Matched with their marks on the text itself: folded, "trong độ tuổi" would read as "trong đó" and "hạ
# tầng" as "tăng".
_NOT_A_SHARE = regex.compile(rf"{WORD_START}(?:{alternation(_CUES.not_a_share)}){WORD_END}", regex.IGNORECASE)
_LEAD_GROUP = regex.compile(
    rf"{WORD_START}{_words(_CUES.group_lead)}\s+(?P<group>{fold(HOUSEHOLD_UNIT)}\s+[\p{{L}}\s]+?)\s*:?\s*$"
)
_BULLET = regex.compile(r"^\s*(?:[-+•*]\s*)+")
_LEAD_WORDS = regex.compile(
    rf"\s*(?:[-+•*,;]\s*|\d+[.)]\s*)*(?:{folded_alternation(_CUES.subject_lead)})?\s*"
)
_SUBJECT_END = regex.compile(rf"\s*(?:[,;:(]|{WORD_START}{_words(_CUES.subject_end)}{WORD_END})")


@dataclass(frozen=True)
class GroupCount:
    """A stated count of a group: "17 hộ nghèo", "Hộ cận nghèo có 44 hộ"."""

    groups: frozenset[str]
    subject: str
    value: Value


def _is_list_item(text: str, line: Line) -> bool:
    return bool(_BULLET.match(text[line.start : line.end]))


def _lead_in(text: str, lines: list[Line], index: int) -> Line | None:
    """The line ending with ":" that a list item hangs from, with only list items between."""
    for back in range(index - 1, -1, -1):
        line = lines[back]
        written = text[line.start : line.end].rstrip()
        if not written:
            continue
        if written.endswith(":"):
            return line
        if not _is_list_item(text, line) or line.tabular:
            return None
    return None


def _subject(text: str, folded: str, segment_start: int, count: Value) -> tuple[str, int]:
    """What is counted, and where its phrase starts.

    "Thiếu hụt chỉ số việc làm: 03 hộ" -> the label before the colon; "51 hộ nghèo, có 111 khẩu" -> "hộ nghèo"
    (the unit and the words after it); "Hộ cận nghèo có 44 hộ" -> "Hộ cận nghèo".
    """
    before = text[segment_start : count.start]
    colon = before.rfind(":")
    if colon >= 0:
        label = before[:colon]
        lead = _LEAD_WORDS.match(fold(label))
        label = label[lead.end() :] if lead else label
        if label.strip():
            start = segment_start + colon - len(label)
            return " ".join(label.split()), start
    after_start = count.end
    stop = _SUBJECT_END.search(folded, after_start, min(len(folded), after_start + 80))
    after = text[after_start : stop.start() if stop else after_start + 30]
    words = after.split()
    if len(words) > 1:
        return " ".join(words), count.start
    lead = _LEAD_WORDS.match(folded, segment_start, count.start)
    start = lead.end() if lead else segment_start
    stop_before = _SUBJECT_END.search(folded, start, count.start)
    phrase = text[start : stop_before.start() if stop_before else count.start]
    if phrase.strip():
        return " ".join(phrase.split()), start
    return " ".join(words) or (count.unit or ""), count.start


def _quantity(plan: PlanText, value: Value) -> Quantity:
    number = value.value if value.value is not None else 0
    return Quantity(
        value=int(number) if number == number.to_integral_value() else float(number),
        raw=plan.text[value.start : value.end_with_unit].strip(),
        decimals=value.decimals,
        unit=value.unit,
        span=Span(start=value.start, end=value.end_with_unit),
        page=plan.page_at(value.start),
    )


def _group_of(subject: str) -> frozenset[str]:
    """The household group a subject names exactly: "hộ nghèo" -> {poor}; "hộ nghèo thuộc diện …" -> none."""
    return household_groups(fold(subject))


def _group_counts(text: str, folded: str, values: Sequence[Value], start: int, end: int) -> list[GroupCount]:
    """Counts of whole groups stated in ``[start, end)``: "có 17 hộ nghèo", "Hộ cận nghèo có 44 hộ"."""
    found = []
    for value in values:
        if not (start <= value.start < end) or value.unit != HOUSEHOLD_UNIT or value.value is None:
            continue
        line_start = text.rfind("\n", 0, value.start) + 1
        segment_start = max(line_start, start)
        subject, _ = _subject(text, folded, segment_start, value)
        groups = _group_of(subject)
        if groups:
            found.append(GroupCount(groups, subject, value))
    return found


def _list_base(plan: PlanText, lead: Line, section_start: int) -> tuple[Value | None, str]:
    """The base of a list: the total its lead-in states, else the stated count of the group it names."""
    lead_values = [v for v in plan.values_between(lead.start, lead.end) if v.unit in COUNT_UNITS and v.value]
    if lead_values:
        return lead_values[0], BASE_SOURCE_LIST
    groups = _group_of_lead(plan.folded[lead.start : lead.end])
    if not groups:
        return None, ""
    before = plan.values_between(section_start, lead.start)
    for count in _group_counts(plan.text, plan.folded, before, section_start, lead.start):
        if count.groups == groups:
            return count.value, BASE_SOURCE_LIST
    return None, ""


def _group_of_lead(folded_lead: str) -> frozenset[str]:
    """ "… mức độ thiếu hụt … của hộ cận nghèo:" -> {near_poor}: the group after the last "của"."""
    match = _LEAD_GROUP.search(folded_lead)
    return populations_in(match.group("group")) if match else frozenset()


def find_proportions(plan: PlanText) -> list[Proportion]:
    """Every count stated with a percent of it, with its base when the text states one.

    "… có 51 hộ nghèo, có 111 khẩu chiếm tỷ lệ 2,06 %." -> count 51 hộ, percent 2,06, base null, population
    "poor" (the subject names the whole group of poor households). "Toàn xã có 2.471 hộ, trong đó 51 hộ nghèo,
    chiếm 2,06%" -> count 51, base 2.471 ("sentence"); "64/98 xã đạt chuẩn, đạt 65,31%" -> count 64, base 98
    ("of_total"); "Toàn xã có 1.200 hộ. Trong đó hộ nghèo có 36 hộ, chiếm 3,00%" -> base 1.200
    ("previous_sentence"). The base is never the count itself.
    """
    text, folded, values, lines = plan.text, plan.folded, plan.values, plan.lines
    proportions: list[Proportion] = []
    bases: dict[int, tuple[Value | None, str]] = {}
    value_index = 0
    for index, line in enumerate(lines):
        if line.tabular:
            continue
        while value_index < len(values) and values[value_index].start < line.start:
            value_index += 1
        in_line = []
        cursor = value_index
        while cursor < len(values) and values[cursor].start < line.end:
            in_line.append(values[cursor])
            cursor += 1
        segment_start = line.start
        for position, value in enumerate(in_line):
            if not value.percent or value.value is None or value.per:
                continue
            sentence_start = _sentence_start(text, line.start, value.start)
            start = max(segment_start, sentence_start)
            found = _read_share(text, folded, in_line[:position], start, value)
            if found is None:
                continue
            segment_start = value.end_with_unit
            count, subject, base, source = found
            if base is None:
                base, source = _stated_base(
                    text, folded, in_line[:position], line.start, sentence_start, count
                )
            if base is None and _is_list_item(text, line):
                lead = _lead_in(text, lines, index)
                if lead is not None and lead.start not in bases:
                    chain = plan.index.chain(lead.start)
                    section_start = chain[0].span.start if chain else 0  # the whole part: "II. PHÂN TÍCH …"
                    bases[lead.start] = _list_base(plan, lead, section_start)
                if lead is not None:
                    base, source = bases[lead.start]
            if base is not None and not _can_be_base(base, count):
                base, source = None, ""
            proportions.append(
                Proportion(
                    id=f"p{len(proportions) + 1}",
                    subject=subject,
                    population=single_group(_group_of(subject)),
                    count=_quantity(plan, count),
                    percent=_quantity(plan, value),
                    base=_quantity(plan, base) if base is not None else None,
                    base_source=source or None,  # type: ignore[arg-type]
                    section_id=plan.index.id_at(count.start),
                    span=Span(start=count.start, end=value.end_with_unit),
                    page=plan.page_at(count.start),
                )
            )
    return proportions


_SENTENCE_END = regex.compile(r"[.!?…](?=\s)")
_CLAUSE_END = regex.compile(r"[.!?…](?=\s)|;")
# Counts of persons a plan states beside the households they live in: "51 hộ nghèo, có 111 khẩu".
_PERSON_UNITS = frozenset(data.units().by_unit[unit].unit for unit in ("khẩu", "người"))
# At most this many characters between a household count and the persons count of the same households.
MAX_BESIDE = 30
_CONTAINS = regex.compile(
    rf"{WORD_START}(?:{alternation(_CUES.base_before_part)}){WORD_END}", regex.IGNORECASE
)
_SHARE_AFTER_FRACTION = regex.compile(rf"{WORD_START}{_words(_CUES.share_after_fraction)}{WORD_END}")


def _sentence_start(text: str, line_start: int, position: int) -> int:
    """Where the sentence holding ``position`` starts (a full stop followed by a space ends one; "2.471"
    does not)."""
    last = line_start
    for match in _SENTENCE_END.finditer(text, line_start, position):
        last = match.end()
    return last


def _can_be_base(base: Value, count: Value) -> bool:
    """A base is another number than the count, of the same unit, and not smaller than it."""
    return (
        base.start != count.start
        and base.value is not None
        and count.value is not None
        and base.value >= count.value
        and (base.unit == count.unit or base.unit is None or count.unit is None)
    )


def _fraction(before: Sequence[Value], text: str) -> tuple[Value, Value] | None:
    """ "64/98 xã": the last two values before the percent (other percents apart), written X/Y with nothing
    between."""
    trailing = len(before)
    while trailing and before[trailing - 1].percent:
        trailing -= 1  # "13/16 xã đạt tỷ lệ … từ 95% trở lên, đạt 81,25%": the threshold between
    if trailing < 2:
        return None
    count, base = before[trailing - 2], before[trailing - 1]
    if text[count.end_with_unit : base.start] != "/" or count.value is None or base.value is None:
        return None
    if base.unit is not None and base.unit not in FRACTION_UNITS:
        return None  # "2/3 tháng", "1/2 ha": not a count of a whole
    unit = base.unit
    return replace(count, unit=unit), base


def _fraction_subject(text: str, folded: str, base: Value) -> str:
    """What "X/Y" counts: the words after Y up to a comma or a share word ("64/98 xã đạt chuẩn nông thôn
    mới, đạt 65,31%" -> "xã đạt chuẩn nông thôn mới")."""
    stop = _SUBJECT_END.search(folded, base.end, min(len(folded), base.end + 80))
    comma = text.find(",", base.end, stop.start() if stop else base.end + 80)
    end = comma if comma >= 0 else (stop.start() if stop else base.end + 30)
    return " ".join(text[base.end : end].split())


def _read_share(
    text: str, folded: str, before: Sequence[Value], segment_start: int, percent: Value
) -> tuple[Value, str, Value | None, str] | None:
    """The count a percent is a share of, its subject, and the base when the same words state it ("64/98 xã,
    đạt 65,31%"): the nearest count before a share word, the households rather than the persons living in
    them ("51 hộ nghèo, có 111 khẩu chiếm 2,06%"), and nothing saying it is a change."""
    in_segment = [v for v in before if v.start >= segment_start]
    fraction = _fraction(in_segment, text)
    if fraction is not None:
        count, base = fraction
        between = folded[base.end_with_unit : percent.start]
        near = " ".join(between.split()[-3:])  # "…, đạt 65,31%", not "đạt tỷ lệ … từ 95% trở lên"
        cue = _SHARE_CUE.search(near) or _SHARE_AFTER_FRACTION.search(near)
        # "172/236 trường đạt chuẩn; tỷ lệ bao phủ BHYT đạt 92,6%": a clause ends, the percent is another's.
        closed = _CLAUSE_END.search(text, base.end_with_unit, percent.start) is not None
        if cue and not closed and not _NOT_A_SHARE.search(text, base.end_with_unit, percent.start):
            return count, _fraction_subject(text, folded, base), base, "of_total"
        return None
    counts = [v for v in in_segment if v.unit in COUNT_UNITS and v.value is not None]
    if not counts:
        return None
    count = counts[-1]
    if count.unit in _PERSON_UNITS and len(counts) >= 2:
        household = counts[-2]
        if household.unit == HOUSEHOLD_UNIT and _beside(
            text[household.end_with_unit : count.start], folded[household.end_with_unit : count.start]
        ):
            count = household
    clause = text.rfind(";", segment_start, count.start)
    segment_start = clause + 1 if clause >= 0 else segment_start
    between = folded[count.end_with_unit : percent.start]
    near = " ".join(between.split()[-3:])  # "chiếm tỷ lệ 2,06%", not "tỷ lệ lao động qua đào tạo đạt 65%"
    if not _SHARE_CUE.search(near) or _NOT_A_SHARE.search(text, count.end_with_unit, percent.start):
        return None
    subject, _ = _subject(text, folded, segment_start, count)
    return count, subject, None, ""


def _beside(between: str, folded_between: str) -> bool:
    """ " nghèo, có " between "51 hộ" and "111 khẩu" ("14 hộ; có 16 khẩu" too): the same households' persons,
    not another count; a rate stated after both is the households' (plans count poverty by household)."""
    return (
        len(between) <= MAX_BESIDE and not _CONTAINS.search(between) and not _SHARE_CUE.search(folded_between)
    )


def _stated_base(
    text: str, folded: str, before: Sequence[Value], line_start: int, sentence_start: int, count: Value
) -> tuple[Value | None, str]:
    """The base the sentence states before the count ("có 2.471 hộ, trong đó 51 hộ nghèo"), or the sentence
    before it when this one starts "Trong đó" ("Toàn xã có 1.200 hộ. Trong đó hộ nghèo có 36 hộ")."""
    earlier = [v for v in before if v.start < count.start and v.unit == count.unit and v.value is not None]
    in_sentence = [v for v in earlier if v.start >= sentence_start]
    for candidate in reversed(in_sentence):
        if _CONTAINS.search(text, candidate.end_with_unit, count.start):
            return candidate, "sentence"
    opening = text[sentence_start : count.start]
    if sentence_start > line_start and _CONTAINS.match(opening.lstrip()):
        previous_start = _sentence_start(text, line_start, sentence_start - 1)
        in_previous = [v for v in earlier if previous_start <= v.start < sentence_start]
        if in_previous:
            return in_previous[-1], "previous_sentence"
    return None, ""
