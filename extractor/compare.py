"""A plan's targets held against the results later documents report: met, not met, partly met, not yet due.

``compare_targets(plan, evidence)`` reads ``ExtractedDocument``s only (the plan's ``targets``, the evidence's
``results``): it never re-reads a file. A result counts for a target when it is of the same unit (issuer
and unit names matched tolerantly: "xã Sơn Tây", "UBND xã Sơn Tây", "Sơn Tây"), the same indicator (the
key, its rate or count form, or for ``other`` the words, by rapidfuzz), the same scope (the whole unit or
the same named part), the same period (the target's deadline, or the plan's year) and, for a change target
("giảm 0,12%"), a change. Results of other units, years or scopes are never taken. A result in another unit
or on another base (a count of cards for a percent of households, a percent of persons, another poverty
standard) makes the target ``not_comparable`` when nothing comparable is found.

Status by the target's direction (X its value, r the result):

| target                                          | met        | partly met   | not met | gap       |
|-------------------------------------------------|------------|--------------|---------|-----------|
| reduce to / at most ("giảm còn X%", "dưới X%")  | r <= X     |              | r > X   | r − X     |
| reduce by, reach, at least, a count ("đạt X%")  | r >= X     |              | r < X   | X − r     |
| a range a – b ("20 - 22%", "giảm 3 - 4%/năm")   | r >= b     | a <= r < b   | r < a   | a − r     |
| "xóa 100% …", "đều được …" (all of them)        | r >= 100%  |              | r < 100 | 100 − r   |
| an absence ("không còn hộ nghèo") or "duy trì"  | stated reached, or a count of 0 / 100% | | otherwise | |
| several groups ("100% hộ nghèo, hộ cận nghèo")  | every part | some parts   | none    |           |

``not_yet_due``: the documents' results end before the target's deadline; the latest figure of the target's
period is recorded and never judged. ``no_result``: nothing in the documents gives it (or the documents end
before the plan's period begins). Gaps are in the target's unit (percentage points for percents) and only
for targets not met; ``gap_percent`` is the gap in percent of X.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import regex
from rapidfuzz import fuzz, process

from extractor import data
from extractor.entities.populations import populations_in
from extractor.normalize.patterns import WORD_END, WORD_START, folded_alternation
from extractor.normalize.text import fold
from models.comparison import DocumentRef, MatchedResult, Status, TargetComparison
from models.extracted import ExtractedDocument
from models.results import Result
from models.targets import Target

# rapidfuzz token-set similarity (0-100) above which two indicator phrases outside the taxonomy are one.
OTHER_SIMILARITY = 80
# Two unit names written differently ("Sơn Tây" / "Son Tay") still name one unit at this similarity.
UNIT_SIMILARITY = 90
# Two values closer than this are equal (0,43% against a target of 0,43%).
EPSILON = 1e-9
# How far after a target's span its groups are read ("… cho 100% người thuộc hộ nghèo, hộ cận nghèo …").
GROUP_CHARACTERS = 160


@dataclass(frozen=True)
class _Candidate:
    result: Result
    document: ExtractedDocument
    comparable: bool
    why_not: str | None
    group_score: int
    same_key: bool
    similarity: float


def compare_targets(
    plan: ExtractedDocument, evidence: Sequence[ExtractedDocument | Evidence]
) -> list[TargetComparison]:
    """Every target of ``plan`` with its status against the results of ``evidence``, in the plan's order
    (a caller comparing many plans with one unit's documents gives each as ``Evidence`` once).

    Seed 001's "giảm tỷ lệ hộ nghèo năm 2021 tối thiểu còn 1,94%" against a report of 2021 stating "tỷ lệ hộ
    nghèo còn 2,01%" for the whole commune is ``not_met`` with gap 0,07.
    """
    plan_ref = document_ref(plan)
    read = [item if isinstance(item, Evidence) else Evidence(item) for item in evidence]
    same_unit = [item for item in read if _same_unit(plan, item.doc)]
    ends = [periods.last_end for periods in same_unit if periods.last_end is not None]
    evidence_end = max(ends) if ends else None
    found = []
    for target in plan.targets:
        found.append(_compare_one(plan, plan_ref, target, same_unit, evidence_end, len(evidence)))
    return found


class Evidence:
    """One evidence document with its results by the year they report and the year they end, so that a
    target reads only those of its period: a unit's archive holds many documents of many results each."""

    def __init__(self, doc: ExtractedDocument) -> None:
        self.doc = doc
        self._by_full_year: dict[int, list[tuple[int, Result]]] = {}
        self._by_end_year: dict[int, list[tuple[int, Result]]] = {}
        ends = []
        for index, result in enumerate(doc.results):
            if result.period is None:
                continue
            if result.period.full_year is not None:
                self._by_full_year.setdefault(result.period.full_year, []).append((index, result))
            end = _period_end(result)
            if end is not None:
                ends.append(end)
                self._by_end_year.setdefault(end[0], []).append((index, result))
        self.last_end = max(ends) if ends else None

    def of_year(self, year: int) -> list[Result]:
        """The results whose period is the calendar year ``year``, in the document's order."""
        return [result for _, result in self._by_full_year.get(year, [])]

    def ending_within(self, first_year: int, last_year: int) -> list[Result]:
        """The results whose period ends in ``first_year`` … ``last_year``, in the document's order."""
        found = [
            item for year in range(first_year, last_year + 1) for item in self._by_end_year.get(year, [])
        ]
        return [result for _, result in sorted(found, key=lambda item: item[0])]


def document_ref(document: ExtractedDocument) -> DocumentRef:
    meta = document.metadata
    return DocumentRef(
        path=document.source.path if hasattr(document.source, "path") else None,
        issuer=meta.issuer.value if meta.issuer else None,
        number=meta.number,
        date=meta.date.iso if meta.date and meta.date.iso else (meta.date.raw if meta.date else None),
        doc_type=meta.doc_type.value if meta.doc_type else None,
        sha256=document.source.sha256,
    )


def _compare_one(
    plan: ExtractedDocument,
    plan_ref: DocumentRef,
    target: Target,
    documents: list[Evidence],
    evidence_end: tuple[int, int, int] | None,
    given: int,
) -> TargetComparison:
    def outcome(status: Status, reason: str, chosen: Sequence[_Candidate] = (), gap: float | None = None):
        gap_percent = None
        if gap is not None and target.value:
            gap_percent = round(gap / target.value * 100, 6)
        return TargetComparison(
            target=target,
            plan=plan_ref,
            status=status,
            results=[_matched(c) for c in chosen],
            gap=round(gap, 6) if gap is not None else None,
            gap_percent=gap_percent,
            reason=reason,
        )

    if not documents:
        return outcome("no_result", f"none of the {given} documents is of the plan's unit")
    deadline_year = _deadline_year(plan, target)
    start_year = _start_year(plan, target, deadline_year)
    if deadline_year is None:
        return outcome("no_result", "the target has no deadline and the plan no year")
    if evidence_end is None or evidence_end < (start_year, 1, 1):
        return outcome("no_result", "the documents report no period of the plan")
    due = evidence_end >= (deadline_year, 12, 31)
    candidates = [
        c for periods in documents for c in _candidates(plan, target, periods, start_year, deadline_year, due)
    ]
    if not due:
        interim = _best(candidates, numeric_first=True)
        end = "-".join(str(part) for part in evidence_end)
        return outcome(
            "not_yet_due",
            f"the documents' results end {end}, before the deadline (end of {deadline_year})",
            [interim] if interim else [],
        )
    if not candidates:
        return outcome("no_result", "no result of this indicator, scope and period in the documents")
    comparable = [c for c in candidates if c.comparable]
    if not comparable:
        best = _best(candidates, numeric_first=not target.qualitative)
        return outcome("not_comparable", best.why_not or "not comparable", [best])
    parts = _parts(target, comparable)
    judged = [(c, *_judge(target, c.result)) for c in parts]
    statuses = {status for _, status, _ in judged}
    if len(judged) > 1 and len(statuses) > 1:
        missed = [item for item in judged if item[1] != "met"]
        met = [item for item in judged if item[1] == "met"]
        reason = f"{len(met)} of {len(judged)} parts met; not met: {', '.join(c.result.text for c, _, _ in missed)}"
        return outcome("partly_met", reason, [c for c, _, _ in missed] + [c for c, _, _ in met])
    candidate, status, gap = judged[0]
    if len(judged) > 1:
        gap = None
    return outcome(status, _reason(target, candidate.result, status), [c for c, _, _ in judged], gap)


# ---------------------------------------------------------------------------------------------------------
# Which results count
# ---------------------------------------------------------------------------------------------------------


def _candidates(
    plan: ExtractedDocument,
    target: Target,
    periods: Evidence,
    start_year: int,
    deadline_year: int,
    due: bool,
):
    doc = periods.doc
    results = periods.of_year(deadline_year) if due else periods.ending_within(start_year, deadline_year)
    if not results:
        return
    target_groups = _target_groups(plan, target)
    target_text = _target_text(plan, target)
    whole = _is_whole(plan, target)
    for result in results:
        if result.period is None:
            continue
        if due:
            if result.period.full_year != deadline_year:
                continue
        else:
            end = _period_end(result)
            if end is None or not (start_year, 1, 1) <= end < (deadline_year, 12, 31):
                continue
            if result.period.kind == "start_of_year" and result.period.year <= start_year:
                continue
        if not _same_scope(whole, target, result):
            continue
        same_key, similarity = _indicator_match(target, target_text, result)
        if same_key is None:
            continue
        if not _direction_fits(target, result):
            continue
        score = _group_score(target_groups, frozenset(result.groups))
        if score is None:
            continue
        why_not = _not_comparable(target, result, deadline_year)
        yield _Candidate(result, doc, why_not is None, why_not, score, same_key, similarity)


def _best(candidates: Sequence[_Candidate], numeric_first: bool) -> _Candidate | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: _rank(c, numeric_first))


def _rank(candidate: _Candidate, numeric_first: bool = True) -> tuple:
    result = candidate.result
    numeric = result.value is not None
    return (
        not candidate.comparable,
        -candidate.group_score,
        numeric != numeric_first,
        not candidate.same_key,
        result.source != "text",
        -candidate.similarity,
        result.span.start,
    )


def _parts(target: Target, comparable: list[_Candidate]) -> list[_Candidate]:
    """The results to judge: the best one, or for a target of several groups whose best results each cover
    some of them ("100% người thuộc hộ nghèo, … dân tộc thiểu số" and "… hộ cận nghèo đạt 82,6%"), one per
    part."""
    best = min(comparable, key=lambda c: _rank(c, not target.qualitative))
    if best.group_score != 1:
        return [best]
    by_part: dict[frozenset[str], _Candidate] = {}
    for candidate in sorted(comparable, key=_rank):
        if candidate.group_score == 1 and candidate.result.value is not None:
            by_part.setdefault(frozenset(candidate.result.groups), candidate)
    parts = list(by_part.values())
    covered: set[str] = set()
    distinct = []
    for part in parts:
        if not set(part.result.groups) <= covered:
            distinct.append(part)
            covered |= set(part.result.groups)
    return distinct or [best]


def _indicator_match(target: Target, target_text: str, result: Result) -> tuple[bool | None, float]:
    """(same key, similarity): True for the same key, False for its rate or count form or words alike,
    None when it is another indicator."""
    similarity = fuzz.token_set_ratio(fold(target_text), fold(result.indicator.text + " " + result.text))
    if result.indicator.key == target.indicator.key and target.indicator.key != "other":
        return True, similarity
    entries = data.indicators().indicators
    entry = entries.get(target.indicator.key)
    if entry is not None and result.indicator.key in (entry.rate_key, entry.count_key):
        return False, similarity
    if "other" in (target.indicator.key, result.indicator.key):
        words = fuzz.token_set_ratio(fold(target.indicator.text), fold(result.indicator.text))
        if max(words, similarity) >= OTHER_SIMILARITY:
            return False, similarity
    return None, similarity


def _direction_fits(target: Target, result: Result) -> bool:
    """A change target ("giảm 0,12%", "xây dựng mới 01 mô hình") takes a change the same way; any other
    target a level."""
    if target.direction in ("reduce_by", "increase_by"):
        return result.direction == target.direction
    return result.direction is None


def _not_comparable(target: Target, result: Result, year: int) -> str | None:
    if result.value is None:
        return (
            None if target.qualitative or target.direction == "eliminate" else "the result states no figure"
        )
    if result.basis == "persons":
        return "base differs: the result is a share of persons (dân số), the target one of households or of a group"
    if result.basis == "plan":
        return "base differs: the result is a share of the year's plan"
    if result.basis and result.basis.startswith("poverty_standard:"):
        standard = data.indicators().standard_in_force(year)
        if standard is not None and result.basis != f"poverty_standard:{standard.label}":
            return (
                f"base differs: the result counts by the poverty standard {result.basis.split(':')[1]}, "
                f"results of {year} by {standard.label}"
            )
    unit = target.unit or ("%" if _all_of_them(target) else None)
    if unit is not None and result.unit != unit:
        return f"unit differs: the target is in {unit}, the result in {result.unit}"
    return None


def _group_score(target_groups: frozenset[str], result_groups: frozenset[str]) -> int | None:
    """2: the same groups; 1: some of them; 0: one side names none; None: other groups."""
    if not target_groups and not result_groups:
        return 2
    if not target_groups or not result_groups:
        return 0
    if target_groups == result_groups:
        return 2
    return 1 if target_groups & result_groups else None


def _same_scope(whole: bool, target: Target, result: Result) -> bool:
    if result.scope.kind == "other_unit":
        return False
    if whole:
        return result.scope.kind == "whole"
    return result.scope.kind == "part" and _scope_key(result.scope.name or "") == _scope_key(
        target.scope or ""
    )


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}


def _scope_key(name: str) -> str:
    """ "10 xã khu vực III" and "10 xã khu vực 3" are one part."""
    return " ".join(_ROMAN.get(word, word) for word in regex.findall(r"\w+", fold(name)))


def _is_whole(plan: ExtractedDocument, target: Target) -> bool:
    unit = plan.metadata.unit.value if plan.metadata.unit else None
    return target.scope is None or (unit is not None and unit_names_alike(target.scope, unit))


# ---------------------------------------------------------------------------------------------------------
# Status
# ---------------------------------------------------------------------------------------------------------


def _all_of_them(target: Target) -> bool:
    """ "Xóa 100% nhà tạm", "Học sinh … đều được hỗ trợ": every one of them, 100%."""
    return target.qualitative and target.direction in ("reach", "maintain")


def _judge(target: Target, result: Result) -> tuple[Status, float | None]:
    if result.value is None or (target.value is None and target.range is None and not _all_of_them(target)):
        if target.direction == "eliminate" and result.value is not None:
            return ("met" if result.value == 0 else "not_met"), None
        if result.achieved is not None:
            return ("met" if result.achieved else "not_met"), None
        return ("met" if result.value == 100 else "not_met"), None
    value = float(result.value)
    if target.range is not None:
        low, high = target.range.low, target.range.high
        if value >= high - EPSILON:
            return "met", None
        if value >= low - EPSILON:
            return "partly_met", None
        return "not_met", low - value
    goal = float(target.value) if target.value is not None else 100.0
    if target.direction in ("reduce_to", "at_most"):
        return ("met", None) if value <= goal + EPSILON else ("not_met", value - goal)
    return ("met", None) if value >= goal - EPSILON else ("not_met", goal - value)


def _reason(target: Target, result: Result, status: Status) -> str:
    goal = target.raw or target.indicator.text
    shown = result.raw or ("reached" if result.achieved else "not reached")
    period = result.period.raw if result.period and result.period.raw else ""
    return f"{status}: target {goal} ({target.direction or 'level'}), result {shown} {period}".strip()


# ---------------------------------------------------------------------------------------------------------
# Units, periods, groups
# ---------------------------------------------------------------------------------------------------------


@cache
def _unit_words() -> regex.Pattern[str]:
    words = [
        *data.admin_units().body_by_word,
        *(w for level in data.admin_units().levels for w in level.words),
    ]
    return regex.compile(rf"{WORD_START}(?:{folded_alternation(words)}){WORD_END}")


def bare_unit_name(name: str) -> str:
    """A unit's name without its kind and body, folded: "UBND xã Sơn Tây" -> "son tai"."""
    return " ".join(_unit_words().sub(" ", fold(name)).split())


def bare_names_alike(left: str, right: str) -> bool:
    """Two bare names (``bare_unit_name``) of one unit: equal, or nearly ("son tai" / "son tay")."""
    return bool(left and right) and (left == right or fuzz.ratio(left, right) >= UNIT_SIMILARITY)


def alike_bare_names(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each bare name -> the bare names of ``names`` alike to it (``bare_names_alike``, itself included),
    compared all at once (rapidfuzz's cdist): an archive's thousands of documents have a few hundred units."""
    distinct = sorted({name for name in names if name})
    if not distinct:
        return {}
    scores = process.cdist(distinct, distinct, scorer=fuzz.ratio, score_cutoff=UNIT_SIMILARITY)
    return {
        name: frozenset([name, *(distinct[j] for j in scores[i].nonzero()[0])])
        for i, name in enumerate(distinct)
    }


def unit_names_alike(a: str, b: str) -> bool:
    """Two names of one unit: "UBND xã Sơn Tây" and "Sơn Tây" (the unit words gone, equal or nearly)."""
    return bare_names_alike(bare_unit_name(a), bare_unit_name(b))


def _same_unit(plan: ExtractedDocument, doc: ExtractedDocument) -> bool:
    def names(document: ExtractedDocument) -> list[str]:
        meta = document.metadata
        return [sourced.value for sourced in (meta.unit, meta.issuer) if sourced is not None]

    if plan.metadata.level and doc.metadata.level and plan.metadata.level != doc.metadata.level:
        return False
    return any(unit_names_alike(a, b) for a in names(plan) for b in names(doc))


def _deadline_year(plan: ExtractedDocument, target: Target) -> int | None:
    period = target.period
    if period is not None:
        if period.deadline is not None and period.deadline.year is not None:
            return period.deadline.year
        if period.end_year is not None:
            return period.end_year
    meta = plan.metadata
    return meta.plan_year or (meta.date.year if meta.date else None)


def _start_year(plan: ExtractedDocument, target: Target, deadline_year: int | None) -> int:
    meta = plan.metadata
    year = meta.plan_year or (meta.date.year if meta.date else None) or deadline_year or 0
    if target.period is not None and target.period.start_year is not None:
        year = min(year, target.period.start_year)
    return min(year, deadline_year) if deadline_year is not None else year


def _period_end(result: Result) -> tuple[int, int, int] | None:
    period = result.period
    if period is None or period.end is None or period.end.year is None:
        return None
    return period.end.year, period.end.month or 12, period.end.day or 31


def _target_text(plan: ExtractedDocument, target: Target) -> str:
    """The target's words and the rest of its clause ("vay vốn cho 100% người thuộc hộ nghèo, …")."""
    end = target.span.end + GROUP_CHARACTERS
    text = plan.text[target.span.start : end]
    cut = regex.search(r"[;\n]", text[target.span.end - target.span.start :])
    return text[: target.span.end - target.span.start + cut.start()] if cut else text


def _target_groups(plan: ExtractedDocument, target: Target) -> frozenset[str]:
    own = target.population or data.indicators().indicators.get(target.indicator.key, None)
    own_key = own if isinstance(own, str) else (own.population if own is not None else None)
    return populations_in(fold(_target_text(plan, target))) - ({own_key} if own_key else set())


def _matched(candidate: _Candidate) -> MatchedResult:
    result = candidate.result
    return MatchedResult(
        result_id=result.id,
        value=result.value,
        unit=result.unit,
        period=result.period.raw if result.period else None,
        text=result.text,
        document=document_ref(candidate.document),
        span=result.span,
    )


__all__ = ["Evidence", "compare_targets", "document_ref"]
