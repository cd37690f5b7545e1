"""What the text says about its own scope and its attachments, for the scope checks.

"trên địa bàn huyện" in a commune's plan, or "UBMTTQ xã" in a ward's, names another administrative level
than the issuer's; "(Có biểu 01, 02, 03 kèm theo)" promises attachments the document may not carry.
"""

from typing import Literal

from pydantic import Field

from models.metadata import AdminLevel
from models.provenance import Frozen, Span


class LevelMention(Frozen):
    """An administrative level named without a unit name, so it can only mean the plan's own unit or its
    parent: "trên địa bàn xã", "UBND huyện", "toàn phường"."""

    level: AdminLevel
    role: Literal["scope", "body", "tier"] | None = Field(
        default=None, description="The area covered, a body of that level, or the tier as a whole ('cấp xã')."
    )
    raw: str
    span: Span
    page: int | None = None
    section_id: str | None = None


class AttachmentReference(Frozen):
    """A promise of attached material: "Có biểu 01, 02, 03 kèm theo" -> kind "biểu", labels ["01", "02", "03"]."""

    kind: Literal["biểu", "phụ lục", "danh sách", "other"]
    labels: list[str] = Field(default_factory=list)
    raw: str
    span: Span
    page: int | None = None
