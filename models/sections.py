"""The section tree of a plan."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, Span

SectionKind = Literal[
    "purpose",
    "requirements",
    "objectives",
    "targets",
    "situation",
    "scope",
    "tasks",
    "solutions",
    "funding",
    "implementation",
    "appendix",
    "other",
]


class Section(Frozen):
    """A numbered part of the plan ("II. MỤC TIÊU, CHỈ TIÊU") with its children.

    ``span`` covers the heading and everything up to the next heading of the same or a higher level.
    ``heading_span`` covers the heading text alone.
    """

    id: str
    numbering: str | None
    heading: str
    level: int = Field(ge=1)
    kinds: list[SectionKind]
    span: Span
    heading_span: Span
    page: int | None = None
    children: list["Section"] = Field(default_factory=list)
