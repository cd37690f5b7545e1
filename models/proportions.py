"""Counts stated with their share: "51 hộ nghèo … chiếm tỷ lệ 2,06%", and breakdowns of a total into parts."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, Span
from models.values import Quantity


class Proportion(Frozen):
    """A count and the percent it is said to be of a base. ``base`` is null when the text does not say
    what the percent is of; the checks then take the per-unit table's total households for a count of
    households (a warning at most) or skip it and count the skip."""

    id: str
    subject: str
    population: str | None = Field(
        default=None,
        description="The whole group the subject names (a key of extractor/data/populations.yaml: 'poor', "
        "'near_poor' …), null when it names a part of a group or none.",
    )
    count: Quantity
    percent: Quantity
    base: Quantity | None = None
    base_source: Literal["of_total", "sentence", "previous_sentence", "list_total"] | None = Field(
        default=None,
        description="Where the base was read: 'of_total' the same words ('64/98 xã, đạt 65,31%'), 'sentence' "
        "the same sentence ('có 2.471 hộ, trong đó 51 hộ'), 'previous_sentence' the sentence before ('… 1.200 hộ. "
        "Trong đó …'), 'list_total' the lead-in of the list the item hangs from.",
    )
    section_id: str | None = None
    span: Span
    page: int | None = None


class BreakdownItem(Frozen):
    """One listed part; ``quantity`` is null for a part named without a number ("Y tế" in "06 lĩnh vực: …")."""

    label: str
    quantity: Quantity | None = None


class Breakdown(Frozen):
    """A total and its listed parts: "84 hộ, thuộc 06 phường: Hà Cầu 02 hộ, …" (total 84, stated count 6)."""

    id: str
    label: str | None = Field(
        default=None, description="What the total is, as its clause names it: 'Tổng kinh phí thực hiện'."
    )
    total: Quantity
    stated_count: Quantity | None = None
    items: list[BreakdownItem]
    complementary: bool = Field(
        default=False,
        description="The parts are groups that split the total by a yes/no property ('có lao động' / "
        "'không có lao động'), stated in separate sentences: a mismatch is a warning, not an arithmetic error.",
    )
    exhaustive: bool = Field(
        default=True,
        description="The parts are the whole total ('gồm', 'bao gồm', a stated number of parts, a closing total "
        "line); false for parts named with 'trong đó' (of which), which may cover only part of it.",
    )
    certain: bool = Field(
        default=True,
        description="The parts were read as the parts of this total without doubt ('12 xã, gồm: …'); false when "
        "the list opens a later sentence ('Trong đó …') and the total was taken from the sentences before.",
    )
    section_id: str | None = None
    span: Span
    page: int | None = None
