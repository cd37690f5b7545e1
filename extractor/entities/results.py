"""Reported results: what a document says a unit reached, for the comparison with a plan's targets.

"Cuối năm 2021 toàn xã còn 50 hộ nghèo, tỷ lệ hộ nghèo còn 2,01%; so với đầu năm tỷ lệ hộ nghèo giảm 0,05%"
holds three results: 50 poor households and a rate of 2,01% at the end of 2021 (levels), and a fall of 0,05
points (a change). Results sit in results reports (doc_type "Báo cáo": every part but the tasks ahead), in a
plan's situation part (the previous period's outcome) and in per-unit tables (start-of-year and "phê duyệt
cuối năm 2023" columns, a report's year-end columns).

How a number is read (the indicator with the targets' own windows, ``targets.read_indicator``):
1. A number is a result when it is a percent or a count (not money, a year, an age or a duration), outside
   brackets (they restate or name a part: "Trung Lưu (4,85%)"), not after a commitment or an estimate in its
   sentence ("phấn đấu", "ước thực hiện", ``cues.yaml`` results.not_reached), not a restated target or plan
   ("chỉ tiêu huyện giao (còn 2,06%)", "Kế hoạch hỗ trợ 158 hộ"), not work pending ("16 hộ đang thi công")
   and not the start of a change ("giảm từ 35,52% xuống còn …").
2. Direction: "giảm 0,05%", "tăng 0,58% so với năm 2021", "xây dựng mới 01 mô hình" are changes; "còn",
   "đạt", "có" state a level.
3. Period: the nearest before the number in its clause, then its sentence, then the section headings, then
   the document's own (a report's title year or "6 tháng đầu năm"; a plan's previous year). "so với cuối năm
   2021" names the comparison, not the period. A period after the document's year is a commitment.
4. Scope: the place named before the number in its sentence: "toàn xã" or the unit itself is the whole; a
   village, TDP or a lower level ("thôn Bồng Phài", "10 xã khu vực III") is a part; a higher level or another
   unit of the same level ("toàn huyện Hương Sơn", "xã Sơn Lĩnh") is another unit.
5. Basis: "1,09% dân số" counts persons, "46,2% kế hoạch năm" the plan; a household figure is counted by the
   poverty standard its paragraph or headings name ("theo tiêu chí … giai đoạn 2016 - 2020").
6. Statements without a number: an absence ("Không có người dân nào bị thiếu đói") is a result reached,
   unless the clause says it was not ("… không còn hộ nghèo … chưa đạt").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from extractor import data
from extractor.entities.indicators import (
    adjust_key,
    best_hit,
    counts_in,
    indicator_hits,
    population_of,
    taxonomy,
)
from extractor.entities.populations import populations_in
from extractor.entities.targets import (
    BASELINE_FROM,
    BASELINE_TO,
    PARENTHESES,
    chain_kinds,
    cue_safe,
    direction_of,
    merge_fractions,
    plain_number,
    read_indicator,
)
from extractor.normalize.dates import find_dates
from extractor.normalize.lines import sentences
from extractor.normalize.patterns import WORD_END, WORD_START, folded_alternation
from extractor.normalize.text import fold
from extractor.normalize.values import Value
from extractor.structure.plan_text import PlanText
from models.metadata import Metadata
from models.provenance import Span
from models.results import Result, ResultPeriod, ResultScope, TableSource
from models.sections import Section
from models.tables import Table
from models.targets import Indicator
from models.values import PartialDate

_CUES = data.cues()
_RESULT_CUES = _CUES.results
# Parts of a report that look ahead (tasks, solutions, funding, who does what) hold no results.
AHEAD_KINDS = frozenset({"tasks", "solutions", "implementation", "funding"})
# The parts of a plan that report the previous period.
SITUATION_KINDS = frozenset({"situation"})
# Units whose numbers are never a result: durations, ages; money is read as amounts.
NOT_RESULT_UNIT_KINDS = frozenset({"duration", "age"})
_NOT_RESULT_UNITS = data.units().of_kinds(NOT_RESULT_UNIT_KINDS)
_MONEY_UNITS = frozenset(data.money().units.values())
_PLACE_UNITS = data.units().of_kinds(frozenset({"place"}))
# How many words around a count may say the work is still pending ("còn 16 hộ đang thi công").
PENDING_WORDS = 4
# How many characters before a number the baseline cue "từ" is looked for ("giảm từ 35,52% xuống còn").
BASELINE_CHARACTERS = 30


def _cue(phrases: Sequence[str], before: str = "", after: str = "") -> regex.Pattern[str]:
    return regex.compile(rf"{before}{WORD_START}(?:{folded_alternation(phrases)}){WORD_END}{after}")


_NOT_REACHED = _cue(_RESULT_CUES.not_reached)
_RESTATED = _cue(_RESULT_CUES.restated_before)
_PENDING = _cue(_RESULT_CUES.pending)
_PERSONS_AFTER = _cue(_RESULT_CUES.persons_after, before=r"^\s*")
_RATE_OF_PERSONS = regex.compile(
    rf"{WORD_START}(?:{folded_alternation(_CUES.indicator_heads[:1])})\s+(?:{folded_alternation(_RESULT_CUES.persons_after)}){WORD_END}"
)
_PLAN_AFTER = _cue(_RESULT_CUES.plan_after, before=r"^\s*")
_NOT_ACHIEVED = _cue(_RESULT_CUES.not_achieved)
_COMPARED = _cue(_CUES.compared_with)
_YEAR = r"\s+(?P<year>\d{4})(?!\d)"
_HALF_YEAR = _cue(_RESULT_CUES.half_year, after=_YEAR)
_START_OF_YEAR = _cue(_RESULT_CUES.start_of_year, after=_YEAR)
_END_OF_YEAR = _cue(_CUES.period_end, after=rf"\s+(?:{folded_alternation(_CUES.period_year)}){_YEAR}")
_YEAR_ONLY = _cue(_CUES.period_year, after=_YEAR)
_TO_DATE = _cue(_RESULT_CUES.to_date, after=r"\s*$")
_STANDARD = regex.compile(
    rf"{WORD_START}(?:{folded_alternation(_RESULT_CUES.standard)}){WORD_END}[^.;]{{0,80}}?"
    rf"{WORD_START}(?:{folded_alternation(_RESULT_CUES.standard_period)})\s+\d{{4}}\s*-\s*(?P<last>\d{{4}})"
)
_LEVEL_BY_WORD = {word: level for word, level in data.admin_units().level_by_word.items() if "." not in word}
_LEVEL_BY_FOLDED = {" ".join(fold(word).split()): level for word, level in _LEVEL_BY_WORD.items()}
_TIER = {level.level: level.tier for level in data.admin_units().levels}
_NOT_PLACE = regex.compile(rf"{WORD_START}(?:{folded_alternation(_RESULT_CUES.not_places)}){WORD_END}")
_PLACE = regex.compile(
    rf"{WORD_START}(?P<whole>(?:{folded_alternation(_CUES.whole_unit)})\s+)?"
    rf"(?P<place>{folded_alternation([*_LEVEL_BY_WORD, *_RESULT_CUES.sub_units])}){WORD_END}"
)
_SUB_UNITS = frozenset(" ".join(fold(word).split()) for word in _RESULT_CUES.sub_units)
_NAME_WORD = regex.compile(r"\s+(\p{Lu}[\p{L}\p{M}]*|[IVX]+\b|\d+\b)")
_PART_END = _cue([*_CUES.named_scope_end, *_CUES.trailing])


@dataclass(frozen=True)
class ReportContext:
    """What the results of one document are read against: its kind, its year, its own period and unit."""

    is_report: bool
    year: int | None
    period: ResultPeriod | None
    unit: str | None
    tier: int | None


def report_context(plan: PlanText, metadata: Metadata) -> ReportContext:
    """A report ("Báo cáo … năm 2021", "Sơ kết 6 tháng đầu năm 2022") states results of its own period; a
    plan's situation part states those of the year before the plan."""
    doc_type = fold(metadata.doc_type.value) if metadata.doc_type else ""
    is_report = doc_type == fold(_report_type())
    year = metadata.plan_year or (metadata.date.year if metadata.date else None)
    period = None
    if year is not None:
        title = fold(metadata.title.value) if metadata.title else ""
        if is_report and _HALF_YEAR.search(title):
            period = ResultPeriod(kind="half_year", year=year, months=6, end=_end(year, 6, 30), raw=None)
        elif is_report:
            period = ResultPeriod(kind="year", year=year, end=_end(year, 12, 31))
        else:
            period = ResultPeriod(kind="end_of_year", year=year - 1, end=_end(year - 1, 12, 31))
    tier = _TIER.get(metadata.level) if metadata.level else None
    return ReportContext(is_report, year, period, plan.unit_name, tier)


def _report_type() -> str:
    """The document type of results reports (document_types.yaml, code BC)."""
    return next(entry.name for entry in data.document_types().types if "BC" in entry.codes)


def _end(year: int, month: int, day: int) -> PartialDate:
    return PartialDate(day=day, month=month, year=year, iso=f"{year:04d}-{month:02d}-{day:02d}")


# ---------------------------------------------------------------------------------------------------------
# Periods, scopes, bases
# ---------------------------------------------------------------------------------------------------------


def _periods(plan: PlanText, start: int, end: int) -> list[tuple[int, int, ResultPeriod]]:
    """Every period named in ``[start, end)``: (start, end, period), in text order, none after "so với"."""
    folded, text = plan.folded, plan.text
    found: list[tuple[int, int, ResultPeriod]] = []

    def taken(a: int, b: int) -> bool:
        return any(a < y and x < b for x, y, _ in found)

    def compared(at: int) -> bool:
        return _COMPARED.search(folded, max(start, at - 12), at) is not None

    for pattern, kind in (
        (_HALF_YEAR, "half_year"),
        (_START_OF_YEAR, "start_of_year"),
        (_END_OF_YEAR, "end_of_year"),
        (_YEAR_ONLY, "year"),
    ):
        for match in pattern.finditer(folded, start, end):
            if taken(match.start(), match.end()) or compared(match.start()):
                continue
            year = int(match.group("year"))
            raw = text[match.start() : match.end()]
            if kind == "half_year":
                period = ResultPeriod(kind=kind, year=year, months=6, end=_end(year, 6, 30), raw=raw)
            elif kind == "start_of_year":
                period = ResultPeriod(kind=kind, year=year, end=_end(year - 1, 12, 31), raw=raw)
            else:
                period = ResultPeriod(kind=kind, year=year, end=_end(year, 12, 31), raw=raw)
            found.append((match.start(), match.end(), period))
    for date in find_dates(text[start:end]):
        a, b = start + date.start, start + date.end
        if taken(a, b) or date.date.year is None or compared(a):
            continue
        if date.date.day is None or not _TO_DATE.search(folded, max(start, a - 16), a):
            continue
        raw = text[a:b]
        period = ResultPeriod(kind="to_date", year=date.date.year, end=date.date, raw=raw)
        found.append((a, b, period))
    return sorted(found, key=lambda item: item[0])


def _last_period(plan: PlanText, start: int, end: int) -> ResultPeriod | None:
    periods = _periods(plan, start, end)
    return periods[-1][2] if periods else None


def _first_period(plan: PlanText, start: int, end: int) -> ResultPeriod | None:
    periods = _periods(plan, start, end)
    return periods[0][2] if periods else None


def _heading_period(plan: PlanText, chain: Sequence[Section]) -> ResultPeriod | None:
    for section in reversed(chain):
        period = _last_period(plan, section.heading_span.start, section.heading_span.end)
        if period is not None:
            return period
    return None


def _scope(plan: PlanText, context: ReportContext, start: int, end: int) -> ResultScope | None:
    """The last place named in ``[start, end)``, or None when none is."""
    folded, text = plan.folded, plan.text
    found = None
    for match in _PLACE.finditer(folded, start, end):
        if not _not_a_place(folded, match.start("place"), match.end("place")):
            found = match
    if found is None:
        return None
    place = " ".join(regex.split(r"[\s\-]+", found.group("place")))
    name = _name_after(text, found.end("place"), end)
    if place in _SUB_UNITS:
        return ResultScope(kind="part", name=_part_name(plan, found.start("place"), end))
    tier = _TIER.get(_LEVEL_BY_FOLDED.get(place, ""))
    if tier is None or context.tier is None:
        return ResultScope(kind="whole") if not name or _same_unit(name, context.unit) else None
    if tier <= context.tier and not name and not found.group("whole"):
        return None  # "Ngân hàng Chính sách xã hội thị xã giải ngân …": an office's level, not the scope
    if tier < context.tier:
        return ResultScope(
            kind="other_unit",
            name=" ".join([*text[found.start("place") : found.end()].split(), name]).strip(),
        )
    if tier > context.tier:
        return ResultScope(kind="part", name=_part_name(plan, found.start("place"), end))
    if name and not _same_unit(name, context.unit):
        return ResultScope(
            kind="other_unit", name=f"{text[found.start('place') : found.end('place')]} {name}"
        )
    return ResultScope(kind="whole")


def _not_a_place(folded: str, start: int, end: int) -> bool:
    """True for a level or village word inside a phrase that names no place ("bảo hiểm xã hội", "cơ bản")."""
    for match in _NOT_PLACE.finditer(folded, max(0, start - 12), min(len(folded), end + 12)):
        if match.start() <= start and end <= match.end():
            return True
    return False


def _name_after(text: str, at: int, end: int) -> str:
    """The capitalised words right after a level word: "huyện Hương Sơn" -> "Hương Sơn"."""
    words = []
    while at < end and (match := _NAME_WORD.match(text, at, end)) is not None:
        words.append(match.group(1))
        at = match.end()
    return " ".join(words)


def _part_name(plan: PlanText, start: int, end: int) -> str:
    """A part's words: the place word, with the count or "các" before it, and its name (capitalised words) or
    up to three words before a cue or a sign: "10 xã khu vực III giảm …" -> "10 xã khu vực III"."""
    text, folded = plan.text, plan.folded
    lead = regex.search(r"(?:\d+|cac)\s+$", folded[max(0, start - 8) : start])
    first = start - len(lead.group()) if lead else start
    place = _PLACE.match(folded, start)
    at = place.end("place") if place else start
    name = _name_after(text, at, end)
    if name:
        return " ".join([*text[first:at].split(), name])
    stop = _PART_END.search(folded, at, end)
    last = stop.start() if stop else end
    sign = regex.compile(r"[,;:.()]").search(folded, at, last)
    last = sign.start() if sign else last
    words = text[at:last].split()[:3]
    return " ".join(text[first:at].split() + words)


def _same_unit(name: str, unit: str | None) -> bool:
    return unit is not None and fold(name).strip() == fold(unit).strip()


def _basis(
    plan: PlanText,
    value: Value,
    left_start: int,
    line: tuple[int, int],
    chain: Sequence[Section],
    key: str,
    groups: frozenset[str],
) -> str | None:
    folded = plan.folded
    if value.percent:
        after = folded[value.end_with_unit : value.end_with_unit + 20]
        if _PERSONS_AFTER.search(after) or _RATE_OF_PERSONS.search(folded, left_start, value.start):
            return "persons"
        if _PLAN_AFTER.search(after):
            return "plan"
    population = population_of(key)
    if population is None and not groups & {"poor", "near_poor"}:
        return None
    standards = data.indicators()
    for start, end in [line, *((s.heading_span.start, s.heading_span.end) for s in reversed(chain))]:
        match = None
        for match in _STANDARD.finditer(folded, start, end):  # noqa: B007 - the last one is wanted
            continue
        if match is not None:
            standard = standards.standard_named(int(match.group("last")))
            if standard is not None:
                return f"poverty_standard:{standard.label}"
    return None


# ---------------------------------------------------------------------------------------------------------
# Results in the text
# ---------------------------------------------------------------------------------------------------------


def _is_quantity(value: Value) -> bool:
    if value.value is None or value.unit is None or value.low is not None:
        return False
    return value.unit not in _NOT_RESULT_UNITS and value.unit not in _MONEY_UNITS


def _reads_results(kinds: set[str], context: ReportContext) -> bool:
    if kinds & AHEAD_KINDS:
        return False
    return context.is_report or bool(kinds & SITUATION_KINDS)


def find_results(plan: PlanText, metadata: Metadata) -> list[Result]:
    """Every result the text reports, in text order (tables: ``table_results``).

    In a report of 2021 "Cuối năm 2021 toàn xã còn 50 hộ nghèo, tỷ lệ hộ nghèo còn 2,01%" gives
    poor_households 50 hộ and poverty_rate 2,01 %, both for the end of 2021, for the whole commune.
    """
    context = report_context(plan, metadata)
    found: list[Result] = []
    for line in plan.lines:
        if line.tabular or line.end <= plan.preamble_end:
            continue
        chain = plan.index.chain(line.start)
        if not _reads_results(chain_kinds(chain), context):
            continue
        for start, end in sentences(plan.text, line):
            found.extend(_sentence_results(plan, context, chain, (line.start, line.end), start, end))
            found.extend(_statements(plan, context, chain, start, end))
    found.sort(key=lambda r: r.span.start)
    return [result.model_copy(update={"id": f"r{number}"}) for number, result in enumerate(found, 1)]


def _sentence_results(
    plan: PlanText,
    context: ReportContext,
    chain: list[Section],
    line: tuple[int, int],
    start: int,
    end: int,
) -> Iterator[Result]:
    values = plan.values_between(start, end)
    if not values:
        return
    text, folded = plan.text, plan.folded
    values, totals = merge_fractions(text, values)
    brackets = [(start + m.start(), start + m.end()) for m in PARENTHESES.finditer(text[start:end])]
    quantities = [v for v in values if _is_quantity(v) and not any(a <= v.start < b for a, b in brackets)]
    previous_end = scope_start = start
    previous_key: str | None = None
    previous_groups: frozenset[str] = frozenset()
    scope: ResultScope | None = None
    for index, value in enumerate(quantities):
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else end
        hit, words, words_start = read_indicator(plan, value, start, previous_end, next_start, end)
        hit = _more_specific(plan, value, hit, next_start, end)
        key = adjust_key(hit.key, value.percent) if hit else None
        continued = key is None and previous_key is not None
        if continued:
            key = adjust_key(previous_key, value.percent)  # "…, tỷ lệ lần lượt là 0,59%": the same indicator
        window = (max(previous_end, _clause_start(folded, start, value.start)), value.start)
        stated_scope = _scope(plan, context, scope_start, value.start)
        if stated_scope is None and _clause_start(folded, start, value.start) > scope_start:
            scope = None  # a new clause names its own scope, or is about the whole unit
        scope = stated_scope or scope
        previous_end = value.end_with_unit
        right_end = _comma_end(folded, value.end_with_unit, next_start)
        group_end = _clause_after(folded, value.end_with_unit, next_start)
        group_text = folded[window[0] : value.start] + " " + folded[value.end_with_unit : group_end]
        own = population_of(key or "other")
        groups = frozenset(populations_in(group_text)) | (previous_groups if continued else frozenset())
        groups -= {own} if own else set()
        previous_groups = groups
        # "của 10 xã khu vực III giảm …": a count of places names the scope of the numbers after it
        scope_start = value.start if value.unit in _PLACE_UNITS else value.end_with_unit
        previous_key = key if key != "other" else previous_key
        if _skip_reason(plan, value, start, window) is not None:
            continue
        period = (
            _last_period(plan, _clause_start(folded, start, value.start), value.start)
            or _first_period(plan, value.end_with_unit, _comma_end(folded, value.end_with_unit, next_start))
            or _last_period(plan, start, value.start)
            or _heading_period(plan, chain)
            or context.period
        )
        if period is not None and context.year is not None and period.year > context.year:
            continue  # a later year in a report is a commitment ("… trong quý I năm 2023")
        cues = cue_safe(plan, max(window[0], value.start - 60), value.start)
        direction = direction_of(cues, value)
        change = direction if direction in ("reduce_by", "increase_by") else None
        if change is None and _COMPARED.match(folded, value.end_with_unit + 1, value.end_with_unit + 12):
            change = "reduce_by" if direction in ("reduce_to",) else "increase_by"
        key = key or "other"
        basis = _basis(plan, value, window[0], line, chain, key, groups)
        span_start = min(words_start, window[0]) if words_start >= start else window[0]
        of_total = totals.get(id(value))
        yield Result(
            id="",
            indicator=Indicator(text=words or key, key=key),
            value=plain_number(value.value),
            raw=value.raw,
            decimals=value.decimals,
            unit=value.unit,
            of_total=float(of_total.value) if of_total is not None and of_total.value is not None else None,
            period=period,
            scope=scope or ResultScope(kind="whole"),
            direction=change,
            basis=basis,
            groups=sorted(groups),
            text=" ".join(text[span_start:right_end].split()),
            span=Span(start=span_start, end=right_end),
            page=plan.page_at(value.start),
            section_id=chain[-1].id if chain else None,
        )


def _more_specific(plan: PlanText, value: Value, hit, next_start: int, end: int):
    """A more specific phrase later in the number's clause, past a bracket the windows stop at: "100% học
    sinh là con em hộ nghèo (09 em) được miễn, giảm học phí" is tuition_support, not the poor households."""
    if hit is not None and hit.priority > 1:
        return hit
    clause_end = _clause_after(plan.folded, value.end_with_unit, min(next_start, end))
    later = [
        h
        for h in indicator_hits(plan.folded, value.end_with_unit, clause_end, plan.text)
        if counts_in(h.key, None if value.percent else value.unit)
    ]
    better = best_hit(later, prefer_last=False)
    if better is not None and (hit is None or better.priority > hit.priority):
        return better
    return hit


def _skip_reason(plan: PlanText, value: Value, start: int, window: tuple[int, int]) -> str | None:
    """Why a number of a report is no result, or None: a commitment, a restated target, pending work, the
    start of a change."""
    folded = plan.folded
    if _NOT_REACHED.search(folded, start, value.start):
        return "commitment"
    if _RESTATED.search(folded, _clause_start(folded, start, value.start), value.start):
        return "restated"
    after = " ".join(folded[value.end_with_unit : value.end_with_unit + 40].split()[:PENDING_WORDS])
    if not value.percent and (_PENDING.search(after) or _PENDING.search(folded, *window)):
        return "pending"
    if BASELINE_FROM.search(folded[max(start, value.start - BASELINE_CHARACTERS) : value.start]) and (
        BASELINE_TO.search(folded[value.end_with_unit : value.end_with_unit + 20])
    ):
        return "baseline"
    return None


def _clause_start(folded: str, start: int, offset: int) -> int:
    cut = max(folded.rfind(";", start, offset), folded.rfind(":", start, offset))
    return cut + 1 if cut >= 0 else start


def _comma_end(folded: str, offset: int, end: int) -> int:
    found = regex.compile(r"[,;.(]").search(folded, offset, end)
    return found.start() if found else end


# ---------------------------------------------------------------------------------------------------------
# Statements without a number
# ---------------------------------------------------------------------------------------------------------


def _statements(
    plan: PlanText, context: ReportContext, chain: list[Section], start: int, end: int
) -> Iterator[Result]:
    """ "Không có người dân nào bị thiếu đói" (reached); "… không còn hộ nghèo … chưa đạt" (not reached)."""
    folded, table = plan.folded, taxonomy()
    if _NOT_REACHED.search(folded, start, end):
        return
    for match in table.absent.finditer(folded, start, end):
        key = table.keys_by_absent.get(" ".join(match.group("absent").split()))
        if key is None:
            continue
        clause = (_clause_start(folded, start, match.start()), _clause_after(folded, match.end(), end))
        verdict = _NOT_ACHIEVED.search(folded, *clause)
        if _RESTATED.search(folded, *clause) and verdict is None:
            continue  # the target restated
        period = _last_period(plan, start, match.start()) or _heading_period(plan, chain) or context.period
        if period is not None and context.year is not None and period.year > context.year:
            continue
        scope = _scope(plan, context, clause[0], match.start()) or ResultScope(kind="whole")
        yield Result(
            id="",
            indicator=Indicator(
                text=" ".join(plan.text[match.start("absent") : match.end()].split()), key=key
            ),
            period=period,
            scope=scope,
            achieved=verdict is None,
            text=" ".join(plan.text[start:end].split()),
            span=Span(start=start, end=end),
            page=plan.page_at(start),
            section_id=chain[-1].id if chain else None,
        )


def _clause_after(folded: str, offset: int, end: int) -> int:
    cut = folded.find(";", offset, end)
    return cut if cut >= 0 else end


# ---------------------------------------------------------------------------------------------------------
# Results in per-unit tables
# ---------------------------------------------------------------------------------------------------------

# Column roles of per-unit tables (tables stage) that hold a level of a household group, and that group.
_LEVEL_ROLES = {
    "poor_start": "poor",
    "poor_end": "poor",
    "near_poor_start": "near_poor",
    "near_poor_end": "near_poor",
}


def _group_keys(group: str) -> tuple[str, str] | None:
    """(rate key, count key) of a household group: "poor" -> (poverty_rate, poor_households)."""
    for key, entry in taxonomy().entries.items():
        if entry.population == group and entry.count_key:
            return key, entry.count_key
    return None


def table_results(
    tables: Sequence[Table], plan: PlanText, metadata: Metadata, first: int = 1
) -> list[Result]:
    """The levels of per-unit tables that are results: every start-of-period column ("Hộ nghèo đầu năm
    2021", "Phê duyệt cuối năm 2023") and, in a report, the end-of-period ones of its own period; the total
    row is the whole unit, the other rows its parts. A plan's end-of-year columns are its targets."""
    context = report_context(plan, metadata)
    found: list[Result] = []
    for table in tables:
        if not table.per_unit:
            continue
        for column in table.columns:
            role_column = column.count_column if column.role == "percent" else column.index
            if role_column is None or role_column >= len(table.columns):
                continue
            role = table.columns[role_column].role
            group = _LEVEL_ROLES.get(role)
            keys = _group_keys(group) if group else None
            if keys is None:
                continue
            header = " ".join(table.columns[role_column].path)
            period = _header_period(header)
            if period is None:
                if role.endswith("_end") and not context.is_report:
                    continue
                period = context.period
                if period is not None and role.endswith("_start") and context.year is not None:
                    period = ResultPeriod(
                        kind="start_of_year", year=context.year, end=_end(context.year - 1, 12, 31)
                    )
            if period is None or context.year is None:
                continue
            latest = context.year if context.is_report else context.year - 1
            if (period.full_year or period.year) > latest:
                continue
            key = keys[0] if column.role == "percent" else keys[1]
            for row in table.rows:
                cell = row.cell(column.index)
                if cell is None or cell.value is None or row.kind not in ("unit", "total", "subtotal"):
                    continue
                span = cell.provenance.span or table.span or Span(start=0, end=0)
                scope = (
                    ResultScope(kind="whole")
                    if row.kind == "total"
                    else ResultScope(kind="part", name=row.label)
                )
                found.append(
                    Result(
                        id="",
                        indicator=Indicator(text=" / ".join(column.path), key=key),
                        value=cell.value,
                        raw=cell.raw,
                        decimals=cell.decimals,
                        unit=column.unit or ("%" if column.role == "percent" else "hộ"),
                        period=period,
                        scope=scope,
                        source="table",
                        table=TableSource(table_id=table.id, row_id=row.id, column=column.index),
                        text=f"{row.label or ''} | {' / '.join(column.path)}: {cell.raw}",
                        span=span,
                        page=table.page,
                        section_id=table.section_id,
                    )
                )
    return [result.model_copy(update={"id": f"r{number}"}) for number, result in enumerate(found, first)]


def _header_period(header: str) -> ResultPeriod | None:
    """The period a column header names: "Hộ nghèo đầu năm 2021" -> start of 2021."""
    folded = fold(header)
    for pattern, kind in (
        (_START_OF_YEAR, "start_of_year"),
        (_END_OF_YEAR, "end_of_year"),
        (_YEAR_ONLY, "year"),
    ):
        match = pattern.search(folded)
        if match:
            year = int(match.group("year"))
            end = _end(year - 1, 12, 31) if kind == "start_of_year" else _end(year, 12, 31)
            return ResultPeriod(kind=kind, year=year, end=end, raw=header[match.start() : match.end()])
    return None


__all__ = ["find_results", "table_results"]
