"""Assignments of duties in the implementation part: who leads, who coordinates, who is asked, what and when.

"1. Phòng Lao động - Thương binh và Xã hội" followed by "- Chủ trì, phối hợp với …" bullets is one body with its
duties; "Đề nghị Ủy ban MTTQ …" asks a body the committee cannot order; "định kỳ 6 tháng" is a reporting cadence.
"""

from collections.abc import Iterator

import regex

from extractor import data
from extractor.normalize.patterns import alternation
from extractor.structure.plan_text import PlanText
from models.assignments import Assignment, AssignmentRole, Duty
from models.document import BlockKind
from models.provenance import Span
from models.sections import Section

_REQUESTED = regex.compile(r"^(Đề\s+nghị|Kính\s+đề\s+nghị|Đề\s+nghị\s+các)\s+", regex.V1 | regex.IGNORECASE)
_LEAD = regex.compile(
    r"^\s*(Chủ\s+trì|Là\s+cơ\s+quan\s+(thường\s+trực|chủ\s+trì)|Chịu\s+trách\s+nhiệm\s+chính)",
    regex.V1 | regex.IGNORECASE,
)
_COORDINATE = regex.compile(r"^\s*(Phối\s+hợp|Tham\s+gia\s+phối\s+hợp)", regex.V1 | regex.IGNORECASE)
_BULLET = regex.compile(r"^\s*[-+•*]\s*", regex.V1)
# Reporting periods: the duration units of data/units.yaml ("tháng", "quý", "năm", "tuần" …).
_PERIODS = alternation(data.units().of_kinds(frozenset({"duration"})))
# "định kỳ 6 tháng", "hàng quý", "hằng năm", "định kỳ hàng tháng, quý, năm"
CADENCE = regex.compile(
    rf"(định\s+kỳ(\s+hàng|\s+hằng)?\s+(\d+\s+)?({_PERIODS})(\s*,\s*(một\s+)?({_PERIODS}))*"
    rf"|(hàng|hằng)\s+({_PERIODS})(\s*,\s*({_PERIODS}))*)",
    regex.V1 | regex.IGNORECASE,
)
# "trước ngày 25 của tháng cuối quý", "trước ngày 15/12/2024", "trước ngày 20 hàng tháng"
DEADLINE = regex.compile(
    r"(trước|chậm\s+nhất|hạn\s+chót)\s+(ngày|là\s+ngày)\s+\d{1,2}(\s*/\s*\d{1,2}(\s*/\s*\d{4})?"
    rf"|(\s+(của|hàng|hằng))?\s+(tháng\s+cuối\s+quý|tháng\s+\d{{1,2}}(\s+năm\s+\d{{4}})?|{_PERIODS})"
    r"(\s+\d{4})?)?",
    regex.V1 | regex.IGNORECASE,
)


def _duty_role(text: str) -> AssignmentRole:
    if _LEAD.match(text):
        return "lead"
    if _COORDINATE.match(text):
        return "coordinate"
    return "responsible"


def _body_role(heading: str, duties: list[Duty]) -> AssignmentRole:
    """ "Đề nghị …" is a request; otherwise the strongest role any duty gives (lead > coordinate)."""
    if _REQUESTED.match(heading):
        return "requested"
    roles = {duty.role for duty in duties}
    for role in ("lead", "coordinate"):
        if role in roles:
            return role  # type: ignore[return-value]
    return "responsible"


def _body_name(heading: str) -> str:
    return _REQUESTED.sub("", heading).strip(" .:")


def _make_duty(text: str, start: int, page: int | None) -> Duty:
    cadence = CADENCE.search(text)
    deadline = DEADLINE.search(text)
    return Duty(
        text=text,
        span=Span(start=start, end=start + len(text)),
        role=_duty_role(text),
        cadence=cadence.group(0) if cadence else None,
        deadline=deadline.group(0) if deadline else None,
        page=page,
    )


def _duty_pieces(plan: PlanText, section: Section) -> Iterator[tuple[str, int, int | None]]:
    """The section's text after its heading, one piece per bullet or paragraph, with offsets and page."""
    text = plan.text
    for block in plan.blocks_from(section.heading_span.end):
        if block.kind == BlockKind.TABLE or block.span.end <= section.heading_span.end:
            continue
        if block.span.start >= section.span.end:
            break
        start = max(block.span.start, section.heading_span.end)
        piece = text[start : block.span.end]
        stripped = piece.lstrip(" :.-\t")
        start += len(piece) - len(stripped)
        bullet = _BULLET.match(stripped)
        if bullet:
            stripped, start = stripped[bullet.end() :], start + bullet.end()
        stripped = stripped.rstrip()
        if stripped:
            yield stripped, start, block.page


def _assignment(plan: PlanText, section: Section, number: int) -> Assignment | None:
    duties = [_make_duty(text, start, page) for text, start, page in _duty_pieces(plan, section)]
    body = _body_name(section.heading)
    if not body:
        return None
    return Assignment(
        id=f"a{number}",
        body=body,
        role=_body_role(section.heading, duties),
        duties=duties,
        section_id=section.id,
        span=section.span,
        page=section.page,
    )


def find_assignments(plan: PlanText) -> list[Assignment]:
    """One assignment per sub-part of each implementation part ("TỔ CHỨC THỰC HIỆN")."""
    assignments: list[Assignment] = []
    for part in plan.sections:
        if "implementation" not in part.kinds:
            continue
        for child in part.children:
            if (assignment := _assignment(plan, child, len(assignments) + 1)) is not None:
                assignments.append(assignment)
    return assignments
