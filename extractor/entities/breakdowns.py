"""Breakdowns: a stated total and the parts the text lists for it, so the checks can add them up.

Three written forms are read, all on the amounts ``find_amounts`` found (rates are never parts):

1. **A stated number of listed items**: "84 hộ nghèo, thuộc 06 phường: Hà Cầu 02 hộ, Kiến Hưng 05 hộ, …"
   gives total 84 hộ, ``stated_count`` 06 phường and one item per listed phường. When the items carry no
   quantity ("06 lĩnh vực: Việc làm, Y tế, Giáo dục, …") the total and the stated count are both
   "06 lĩnh vực" and each item has a label and no quantity: only their number can be checked.
2. **A total followed by "trong đó" / "gồm" / "bao gồm"**, its parts inline or as the bullet lines that
   follow: "Tổng kinh phí: 1.500.000.000 đồng, gồm: - Ngân sách thành phố: 1.000.000.000 đồng; …";
   "51 hộ nghèo, có 111 khẩu … Trong đó … là 14 hộ; có 16 khẩu, … là 37 hộ, có 95 khẩu" (one breakdown per
   unit: 51 = 14 + 37 hộ and 111 = 16 + 95 khẩu). When the parts follow in a later paragraph the total is
   chosen by meaning: parts labelled "Hộ nghèo …" belong to the poor-household count, not to a near-poor one
   ("hộ cận nghèo") stated closer.
3. **A total line closing a list**: "Tổng cộng: 924.005.000 đồng" after lines "1. … = 525.000.000 đồng",
   "2. …"; each line gives its result (the amount after "=", else its last money amount) and a subtotal
   ("Cộng mục 1: 930 triệu đồng") stands for the lines it closes. The list starts after the last line
   without money (a heading).

Only breakdowns with at least two parts are reported ("07 hộ … trong đó có 02 hộ …" names a subset, not a
partition). Whether the parts add up is for the checks to say.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

import regex

from extractor import data
from extractor.entities.amounts import is_counting_number
from extractor.entities.labels import LABEL_TRIM as _LABEL_TRIM
from extractor.entities.labels import clause_label
from extractor.entities.labels import clean_label as _clean_label
from extractor.entities.populations import table_group_in
from extractor.normalize.numbers import parse_vietnamese_number
from extractor.normalize.patterns import alternation, find_at_words
from extractor.normalize.text import fold
from extractor.structure.plan_text import PlanText
from models.amounts import Amount
from models.proportions import Breakdown, BreakdownItem
from models.provenance import Span
from models.values import Quantity

_FLAGS = regex.V1 | regex.IGNORECASE
_CUES = data.cues()
_MARKER = regex.compile(
    r"(?:^|[^\p{L}])(?P<marker>trong\s+đó|bao\s+gồm|gồm(?:\s+có)?|chia\s+ra)(?!\p{L})", _FLAGS
)
# The first word of each marker, lower case: where a marker can start.
_MARKER_FIRST_WORDS = ("trong", "bao", "gồm", "chia")
# "06 phường:", "06 lĩnh vực:" – a whole count, its noun (up to four syllables) and a colon.
_STATED_COUNT = regex.compile(
    r"(?<![\p{L}\p{N}.,/])(?P<number>\d{1,4})[ \u00a0]+(?P<noun>\p{L}+(?:[ \u00a0]\p{L}+){0,3})[ \u00a0]*:",
    _FLAGS,
)
# Lines that continue a "trong đó:" list: dashes, pluses, "a)" letters (not a new numbered part).
_CONTINUATION = regex.compile(r"^[ \t\u00a0]*(?:[-+•–]|[a-zđ]\))", _FLAGS)
_LIST_END = regex.compile(
    rf"\n|\.(?=\s|$)|;|\(|\*\*|(?<=\p{{L}})\s+(?:{alternation(_CUES.list_end)})(?!\p{{L}})", _FLAGS
)
_LIST_LEAD = regex.compile(r"[\s*]*")
_LABEL_SEPARATOR = regex.compile(r"[:=×]")
_TOTAL_LINE_START = regex.compile(r"[ \t\u00a0]*(?:[-+•*]\s*)?(?:tổng|tiểu\s+cộng|cộng)(?!\p{L})", _FLAGS)


def _quantity(amount: Amount) -> Quantity:
    return Quantity(
        value=amount.value,
        raw=amount.raw,
        decimals=amount.decimals,
        unit=amount.unit,
        span=amount.span,
        page=amount.page,
    )


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def _total_label(text: str, total: Quantity) -> str | None:
    """What the total is, as its clause says it before the number: "Tổng kinh phí thực hiện: 1.500.000.000
    đồng" -> "Tổng kinh phí thực hiện"; "toàn quận còn 84 hộ nghèo" -> "toàn quận"."""
    return clause_label(text, total.span.start) if total.span is not None else None


def _group_key(text: str) -> str:
    """Which group of households a phrase is about, near-poor or poor (the split the plans count), or "other"."""
    return table_group_in(fold(text)) or "other"


class _Builder:
    """Collects breakdowns with their ids, sections and pages."""

    def __init__(self, plan: PlanText) -> None:
        self.plan = plan
        self.found: list[Breakdown] = []
        self.seen: set[tuple[int, tuple[int, ...]]] = set()

    def add(
        self,
        total: Quantity,
        items: list[BreakdownItem],
        start: int,
        end: int,
        count: Quantity | None,
        complementary: bool = False,
        certain: bool = True,
        exhaustive: bool = True,
    ) -> None:
        key = (
            total.span.start if total.span else start,
            tuple(i.quantity.span.start for i in items if i.quantity is not None and i.quantity.span),
        )
        if len(items) < 2 or key in self.seen:
            return
        self.seen.add(key)
        self.found.append(
            Breakdown(
                id=f"bd{len(self.found) + 1}",
                label=_total_label(self.plan.text, total),
                total=total,
                stated_count=count,
                items=items,
                complementary=complementary,
                certain=certain,
                exhaustive=exhaustive,
                section_id=self.plan.index.id_at(start),
                span=Span(start=start, end=end),
                page=self.plan.page_at(start),
            )
        )


# "Có 07 hộ nghèo có lao động trong hộ" / "Có 24 hộ nghèo không có lao động trong hộ": a count of a group
# with or without a property, the property ending at punctuation or at "trong" ("trong hộ", "trong đó").
_GROUP_WITH_PROPERTY = regex.compile(
    r"(?<![\p{L}\p{N}])(?P<count>\d+)\s+(?P<noun>hộ(?:\s+cận)?(?:\s+nghèo)?|người|lao\s+động)\s+"
    r"(?P<negation>không\s+)?có\s+(?P<property>\p{L}+(?:\s+\p{L}+){0,4}?)(?=\s+trong\b|\s*[,.;:\n(]|$)",
    regex.V1,
)


def _complementary_groups(text: str, amounts: list[Amount], plan: PlanText, builder: _Builder) -> None:
    """Form 4: two sentences of one part that split a group by a property and its negation ("07 hộ nghèo
    có lao động", "24 hộ nghèo không có lao động") against the group's count stated first in that part
    ("51 hộ nghèo"): together they must make the whole."""
    found: dict[tuple[str | None, str, str], dict[bool, regex.Match[str]]] = {}
    for match in _GROUP_WITH_PROPERTY.finditer(text):
        key = (
            plan.index.id_at(match.start()),
            " ".join(match["noun"].split()),
            " ".join(match["property"].split()),
        )
        found.setdefault(key, {}).setdefault(bool(match["negation"]), match)
    quantities = [a for a in amounts if a.kind == "quantity" and not a.in_words]
    for (section_id, noun, _), pair in found.items():
        if len(pair) != 2:
            continue
        with_it, without_it = pair[False], pair[True]
        first = min(with_it.start(), without_it.start())
        total = next(
            (
                a
                for a in quantities
                if a.span.start < first
                and plan.index.id_at(a.span.start) == section_id
                and _counts_noun(text, a.span.start, noun)
            ),
            None,
        )
        if total is None:
            continue
        items = [
            BreakdownItem(
                label=" ".join(text[match.start("noun") : match.end("property")].split()),
                quantity=Quantity(
                    value=int(match["count"]),
                    raw=text[match.start("count") : match.end("noun")],
                    unit="hộ" if noun.startswith("hộ") else noun,
                    span=Span(start=match.start("count"), end=match.end("noun")),
                ),
            )
            for match in (with_it, without_it)
        ]
        end = max(with_it.end(), without_it.end())
        builder.add(_quantity(total), items, total.span.start, end, None, complementary=True)


def _counts_noun(text: str, start: int, noun: str) -> bool:
    """True when the number at ``start`` counts ``noun``: "51 hộ nghèo, có 111 khẩu" counts "hộ nghèo"."""
    words = [word.strip(".,;:()") for word in text[start : start + 40].split()[1:]]
    return words[: len(noun.split())] == noun.split()


def _parts_amounts(amounts: list[Amount]) -> list[Amount]:
    """Amounts that can be parts or totals: money and quantities, digits preferred over their words twin."""
    return [a for a in amounts if a.kind in ("money", "quantity") and not a.in_words]


def _listed_items(text: str, start: int) -> tuple[list[tuple[str, int, int]], int]:
    """The comma-separated items after a colon, up to the end of the list: (label, start, end)."""
    start = _LIST_LEAD.match(text, start).end()
    end_match = _LIST_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    items = []
    offset = start
    for piece in text[start:end].split(","):
        left = len(piece) - len(piece.lstrip(_LABEL_TRIM))
        label = _clean_label(piece)
        if label:
            items.append((label, offset + left, offset + left + len(piece.strip(_LABEL_TRIM))))
        offset += len(piece) + 1
    return items, end


def _stated_count_lists(text: str, amounts: list[Amount], builder: _Builder) -> None:
    """Form 1: "84 hộ, thuộc 06 phường: Hà Cầu 02 hộ, …" and "06 lĩnh vực: Việc làm, Y tế, …"."""
    for colon in _STATED_COUNT.finditer(text):
        start, end = colon.span("number")
        number = parse_vietnamese_number(colon["number"])
        if number is None or not is_counting_number(text, start, end):
            continue
        noun = colon["noun"].lower()
        count = Quantity(
            value=int(number.value),
            raw=text[start : colon.end("noun")],
            unit=noun,
            span=Span(start=start, end=colon.end("noun")),
        )
        listed, end = _listed_items(text, colon.end())
        if len(listed) < 2:
            continue
        in_list = [a for a in _parts_amounts(amounts) if colon.end() <= a.span.start < end]
        items: list[BreakdownItem] = []
        if in_list:
            for label, item_start, item_end in listed:
                own = next((a for a in in_list if item_start <= a.span.start < item_end), None)
                if own is not None:
                    label = _clean_label(text[item_start : own.span.start]) or label
                    items.append(BreakdownItem(label=label, quantity=_quantity(own)))
            unit = in_list[0].unit
            line_start, _ = _line_bounds(text, start)
            before = [
                a
                for a in _parts_amounts(amounts)
                if line_start <= a.span.start < start and a.unit == unit and a.kind == in_list[0].kind
            ]
            if not before:
                continue
            builder.add(_quantity(before[-1]), items, before[-1].span.start, end, count)
        else:
            items = [BreakdownItem(label=label) for label, _, _ in listed]
            builder.add(count, items, start, end, count)


def _marker_parts(text: str, after: int, has_amount: Callable[[int, int], bool]) -> tuple[int, int]:
    """Where the parts introduced by a marker are: the rest of its sentence, or the bullet lines below it
    (up to the first one without an amount: "- Kết quả đo lường …:" opens another list)."""
    _, line_end = _line_bounds(text, after)
    rest = text[after:line_end].strip(" \t\u00a0:")
    if rest:
        stop = _FULL_STOP.search(text, after, line_end)  # "… 152 đơn vị … thực hiện. 27 đơn vị còn lại …"
        return after, stop.start() if stop else line_end
    end = line_end
    offset = line_end + 1
    while offset < len(text):
        start, stop = _line_bounds(text, offset)
        line = text[start:stop]
        if not line.strip():
            offset = stop + 1
            continue
        if not _CONTINUATION.match(line) or not has_amount(start, stop):
            break
        end = stop
        offset = stop + 1
    return after, end


def _parts_by_unit(text: str, parts: list[Amount], start: int) -> dict[tuple[str, str], list[BreakdownItem]]:
    by_unit: dict[tuple[str, str], list[BreakdownItem]] = {}
    label_start = start
    last_label = ""
    for amount in parts:
        piece_start = max(
            label_start,
            *(text.rfind(sep, 0, amount.span.start) + 1 for sep in (";", "\n", ",")),
        )
        label = _clean_label(text[piece_start : amount.span.start]) or _words_after(text, amount)
        label = label or last_label
        last_label = label
        by_unit.setdefault((amount.kind, amount.unit or ""), []).append(
            BreakdownItem(label=label, quantity=_quantity(amount))
        )
    return by_unit


_PIECE_END = regex.compile(r"[,;:.\n(]")


def _words_after(text: str, amount: Amount) -> str:
    """A part named after its number: "trong đó 70 hộ nghèo, …" -> "hộ nghèo" (the amount's own unit kept
    as written)."""
    stop = _PIECE_END.search(text, amount.span.end)
    end = stop.start() if stop else len(text)
    words = text[amount.span.start : end].split()[1:]
    return _clean_label(" ".join(words[:6]))


def _total_for(
    text: str, candidates: list[Amount], kind: str, unit: str, items: list[BreakdownItem], marker_at: int
) -> Amount | None:
    """The total the parts belong to: the same kind and unit, on the marker's line or the lines just above;
    among several, the one about the same population as the parts' labels."""
    same = [a for a in candidates if a.kind == kind and a.unit == unit]
    if not same:
        return None
    item_groups = {_group_key(item.label) for item in items}
    if len(item_groups) == 1 and (group := item_groups.pop()) != "other":
        for amount in reversed(same):
            _, line_end = _line_bounds(text, amount.span.start)
            clause_start = max(text.rfind(sep, 0, amount.span.start) for sep in (",", ";", ".", "\n")) + 1
            subject = text[clause_start : min(line_end, amount.span.end + 15)]
            if _group_key(subject) == group:
                return amount
    return same[-1]


_SENTENCE_END = regex.compile(r"[.!?…](?=\s)|[;\n]")
# The end of a sentence inside a line: a full stop and a space before the next one ("2.405" has none).
_FULL_STOP = regex.compile(r"[.!?…](?=\s)")
# "trong đó" (of which) names parts that need not cover the whole; "gồm", "bao gồm", "chia ra" list all of it.
_OF_WHICH = regex.compile(r"trong\s+đó", _FLAGS)
_OPENING = regex.compile(r"[\s\-+•*–]*")


def _marker_breakdowns(text: str, amounts: list[Amount], builder: _Builder) -> None:
    """Form 2: a total, then "trong đó" / "gồm" and its parts.

    The total is the one the marker follows in its sentence ("12 xã, gồm: …"), with no other number and no
    end of a clause between them. A marker opening its sentence ("Trong đó hộ nghèo … là 14 hộ …") lists
    the parts of a total stated in the sentences before: certain when that total is the only number of its
    unit in its sentence ("Tổng kinh phí: 2.500 triệu đồng. Trong đó: …"), else not. A marker after
    some other number ("Huyện có 25 xã, trong đó 12 xã đạt chuẩn, gồm: …" lists the 12, not the 25) takes
    that nearer total of the same unit, never one further away.
    """
    usable = _parts_amounts(amounts)
    starts = [a.span.start for a in usable]

    def between(first: int, last: int) -> list[Amount]:
        return usable[bisect_left(starts, first) : bisect_left(starts, last)]

    markers = _markers(text)
    for number, marker in enumerate(markers):
        start, end = _marker_parts(text, marker.end(), lambda first, last: bool(between(first, last)))
        if number + 1 < len(markers):
            end = min(end, markers[number + 1].start("marker"))  # "trong đó 12 xã …, gồm: …": its own list
        parts = between(start, end)
        if len(parts) < 2:
            continue
        marker_start = marker.start("marker")
        line_start, _ = _line_bounds(text, marker_start)
        opens_sentence = _opens_sentence(text, line_start, marker_start)
        window_start = _window_start(text, line_start) if opens_sentence else line_start
        candidates = between(window_start, marker_start)
        for (kind, unit), items in _parts_by_unit(text, parts, start).items():
            others = _other_numbers(
                builder.plan, start, end, [a for a in parts if (a.kind, a.unit) == (kind, unit)]
            )
            total = _total_for(text, candidates, kind, unit, items, marker.start())
            if total is None:
                continue
            # "gồm: 168 công trình tự chảy, 12 công trình bơm dẫn và 6 giếng khoan": a part counted in another
            # noun makes the list of this noun's parts incomplete.
            exhaustive = not _OF_WHICH.fullmatch(marker["marker"]) and not others
            if opens_sentence:
                alone = _alone_in_sentence(text, total, candidates)
                builder.add(
                    _quantity(total), items, total.span.start, end, None, certain=alone, exhaustive=exhaustive
                )
            elif _just_before(text, total, marker_start, candidates):
                builder.add(_quantity(total), items, total.span.start, end, None, exhaustive=exhaustive)


def _alone_in_sentence(text: str, total: Amount, candidates: list[Amount]) -> bool:
    """The total is the only number of its kind and unit in its sentence ("Tổng kinh phí: 2.500 triệu
    đồng." before "Trong đó: …"): the list that follows can only be its parts."""
    line_start, line_end = _line_bounds(text, total.span.start)
    start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, total.span.start):
        start = match.end()
    stop = _SENTENCE_END.search(text, total.span.end, line_end)
    end = stop.start() if stop else line_end
    same = [
        a for a in candidates if start <= a.span.start < end and (a.kind, a.unit) == (total.kind, total.unit)
    ]
    return len(same) == 1


def _other_numbers(plan: PlanText, start: int, end: int, parts: list[Amount]) -> bool:
    """Whether the listed parts hold a number that counts something and is none of the parts read ("6 giếng
    khoan" beside "công trình"); percents, years and label numbers ("tổ dân phố 5") are not parts."""
    taken = {part.span.start for part in parts}
    text = plan.text
    for value in plan.values_between(start, end):
        if value.percent or value.start in taken or value.value is None or _is_year(value.raw):
            continue
        if any(part.span.start <= value.start < part.span.end for part in parts):
            continue
        if is_counting_number(text, value.start, value.end):  # not "tổ dân phố 5", "Dự án 3"
            return True
    return False


def _is_year(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100


def _opens_sentence(text: str, line_start: int, marker_start: int) -> bool:
    """ "- Trong đó …" or "… 2,06%. Trong đó …": nothing of the sentence before the marker."""
    last_end = line_start
    for match in _SENTENCE_END.finditer(text, line_start, marker_start):
        last_end = match.end()
    return _OPENING.fullmatch(text, last_end, marker_start) is not None


def _just_before(text: str, total: Amount, marker_start: int, candidates: list[Amount]) -> bool:
    """The total is the last number of its kind and unit before the marker ("41 lớp … cho 1.435 lao động,
    trong đó … 26 lớp, … 15 lớp") and no clause ends between them."""
    if any(
        total.span.start < other.span.start < marker_start
        and (other.kind, other.unit) == (total.kind, total.unit)
        for other in candidates
    ):
        return False
    return _SENTENCE_END.search(text, total.span.end, marker_start) is None


def _markers(text: str) -> list[regex.Match[str]]:
    """The matches of ``_MARKER.finditer(text)``, tried only where a marker's first word stands (the
    case-insensitive scan of every character was half the time of this stage)."""
    return find_at_words(_MARKER, text, text.lower(), _MARKER_FIRST_WORDS, before=1)


def _window_start(text: str, line_start: int, lines: int = 3) -> int:
    """Start of the ``lines`` non-empty lines before ``line_start`` (the marker's own line included)."""
    offset = line_start
    seen = 0
    while offset > 0 and seen < lines:
        previous_start = text.rfind("\n", 0, offset - 1) + 1
        if text[previous_start : offset - 1].strip():
            seen += 1
        offset = previous_start
    return offset


def _line_result(line_amounts: list[Amount], text: str) -> Amount | None:
    """The amount a list line contributes: after "=" when there is one, else its last money amount."""
    money = [a for a in line_amounts if a.kind == "money" and not a.in_words]
    if not money:
        return None
    equals = [a for a in money if "=" in text[max(0, a.span.start - 4) : a.span.start]]
    return equals[-1] if equals else money[-1]


def _closing_totals(text: str, amounts: list[Amount], builder: _Builder) -> None:
    """Form 3: "Tổng cộng: …" after the lines it sums, subtotals standing for the lines they close."""
    lines: list[tuple[int, int, list[Amount]]] = []
    for amount in amounts:
        start, end = _line_bounds(text, amount.span.start)
        if lines and lines[-1][0] == start:
            lines[-1][2].append(amount)
        else:
            lines.append((start, end, [amount]))
    consumed: dict[int, int] = {}  # total line start -> first line start it closes
    for index, (start, _end, line_amounts) in enumerate(lines):
        total = next((a for a in line_amounts if a.is_total and not a.in_words), None)
        if total is None or not _starts_with_total(text, start):
            continue
        items: list[BreakdownItem] = []
        first = start  # start of the earliest line taken so far
        cursor = index - 1
        while cursor >= 0:
            line_start, line_end, previous = lines[cursor]
            result = _line_result(previous, text)
            if result is None or _has_gap(text, line_end, first):
                break
            label = _clean_label(_LABEL_SEPARATOR.split(text[line_start:line_end])[0])
            items.insert(0, BreakdownItem(label=label, quantity=_quantity(result)))
            first = consumed.get(line_start, line_start)
            while cursor >= 0 and lines[cursor][0] >= first:
                cursor -= 1
        consumed[start] = first
        builder.add(_quantity(total), items, first, total.span.end, None)


def _starts_with_total(text: str, line_start: int) -> bool:
    return _TOTAL_LINE_START.match(text, line_start) is not None


def _has_gap(text: str, line_end: int, next_start: int) -> bool:
    """A line with no amount between two list lines (a heading) ends the list."""
    between = text[line_end:next_start]
    return any(line.strip() for line in between.split("\n"))


def find_breakdowns(plan: PlanText, amounts: list[Amount]) -> list[Breakdown]:
    """Totals with their listed parts, in the written forms above, from the amounts ``find_amounts`` read.

    "Toàn quận còn 84 hộ nghèo, thuộc 06 phường: Hà Cầu 02 hộ, …" gives total 84 "hộ", stated count 06
    "phường" and one item per phường.
    """
    text = plan.text
    builder = _Builder(plan)
    _stated_count_lists(text, amounts, builder)
    _marker_breakdowns(text, amounts, builder)
    _closing_totals(text, amounts, builder)
    _complementary_groups(text, amounts, plan, builder)
    return sorted(builder.found, key=lambda b: b.span.start)
