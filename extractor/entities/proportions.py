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
from dataclasses import dataclass

import regex

from extractor import data
from extractor.data.schema import SHARE_KINDS
from extractor.entities.populations import household_groups, populations_in, single_group
from extractor.normalize.lines import Line
from extractor.normalize.patterns import WORD_END, WORD_START, folded_alternation
from extractor.normalize.text import fold
from extractor.normalize.values import Value
from extractor.structure.plan_text import PlanText
from models.proportions import Proportion
from models.provenance import Span
from models.values import Quantity

# Units a share may count: households, people, places, organisations. "%" of money or of an area is not one.
COUNT_UNITS = data.units().of_kinds(SHARE_KINDS)
HOUSEHOLD_UNIT = data.units().by_unit["hộ"].unit
BASE_SOURCE_LIST = "list_total"

_CUES = data.cues()


def _words(phrases: Sequence[str]) -> str:
    return f"(?:{folded_alternation(phrases)})"


# Between the count and its percent: "chiếm tỷ lệ", "tỷ lệ", "chiếm", "đạt tỷ lệ", or a bracket "(2,06%)".
_SHARE_CUE = regex.compile(rf"{WORD_START}{_words(_CUES.share_between)}{WORD_END}|\(\s*$")
# Words that make the pair a change or a target, not a share: "giảm 50 hộ, tỷ lệ giảm 2%".
_NOT_A_SHARE = regex.compile(rf"{WORD_START}{_words(_CUES.not_a_share)}{WORD_END}")
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
    """Every count stated with a percent of it, with its base when the text justifies one.

    "… có 51 hộ nghèo, có 111 khẩu chiếm tỷ lệ 2,06 %." -> count 51 hộ, percent 2,06, base null, population
    "poor" (the subject names the whole group of poor households).
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
            found = _read_share(text, folded, in_line[:position], segment_start, value)
            segment_start = value.end_with_unit
            if found is None:
                continue
            count, subject = found
            base, source = None, ""
            if _is_list_item(text, line):
                lead = _lead_in(text, lines, index)
                if lead is not None and lead.start not in bases:
                    chain = plan.index.chain(lead.start)
                    section_start = chain[0].span.start if chain else 0  # the whole part: "II. PHÂN TÍCH …"
                    bases[lead.start] = _list_base(plan, lead, section_start)
                if lead is not None:
                    base, source = bases[lead.start]
            proportions.append(
                Proportion(
                    id=f"p{len(proportions) + 1}",
                    subject=subject,
                    population=single_group(_group_of(subject)),
                    count=_quantity(plan, count),
                    percent=_quantity(plan, value),
                    base=_quantity(plan, base) if base is not None else None,
                    base_source=source or None,
                    section_id=plan.index.id_at(count.start),
                    span=Span(start=count.start, end=value.end_with_unit),
                    page=plan.page_at(count.start),
                )
            )
    return proportions


def _read_share(
    text: str, folded: str, before: Sequence[Value], segment_start: int, percent: Value
) -> tuple[Value, str] | None:
    """The count a percent is a share of: the households counted before it (else the nearest count), with a
    share word between them and nothing saying it is a change."""
    counts = [v for v in before if v.start >= segment_start and v.unit in COUNT_UNITS and v.value is not None]
    if not counts:
        return None
    count = next((v for v in counts if v.unit == HOUSEHOLD_UNIT), counts[-1])
    between = folded[count.end_with_unit : percent.start]
    near = " ".join(between.split()[-3:])  # "chiếm tỷ lệ 2,06%", not "tỷ lệ lao động qua đào tạo đạt 65%"
    if not _SHARE_CUE.search(near) or _NOT_A_SHARE.search(between):
        return None
    subject, _ = _subject(text, folded, segment_start, count)
    return count, subject
