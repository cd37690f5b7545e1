"""Who must do what: the implementation part's bodies, their roles, duties, cadences and deadlines."""

from typing import Literal

from models.provenance import Frozen, Span

AssignmentRole = Literal["lead", "coordinate", "requested", "responsible"]


class Duty(Frozen):
    """One duty sentence or bullet, with any deadline ("trước ngày 25 của tháng cuối quý") or cadence
    ("định kỳ 6 tháng") it states."""

    text: str
    span: Span
    role: AssignmentRole = "responsible"
    deadline: str | None = None
    cadence: str | None = None
    page: int | None = None


class Assignment(Frozen):
    """A responsible body ("Phòng Tài chính - Kế hoạch") and its duties."""

    id: str
    body: str
    role: AssignmentRole
    duties: list[Duty]
    section_id: str | None = None
    span: Span
    page: int | None = None
