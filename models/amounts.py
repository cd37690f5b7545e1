"""Money and counted quantities: "40.000.000 đồng/hộ", "450 triệu đồng", "05 hộ", amounts in words."""

from typing import Literal

from pydantic import Field

from models.provenance import OcrConfidence, Span

AmountKind = Literal["money", "quantity", "rate"]


class Amount(OcrConfidence):
    """An amount with its exact value. Money is in đồng as an integer ("3 tỷ" -> 3000000000); a rate has a
    ``per`` unit ("40.000.000 đồng/hộ" -> per "hộ"); a count written "8/13 đơn vị" has value 8 and ``of_total`` 13;
    ``in_words`` marks an amount spelled out in words."""

    id: str
    kind: AmountKind
    value: int | float
    raw: str
    decimals: int = 0
    unit: str
    per: str | None = None
    of_total: int | float | None = None
    label: str | None = Field(
        default=None,
        description="What the amount is, as the words of its clause before it say: 'Hỗ trợ làm nhà ở cho' for the "
        "05 hộ that opens '1. Hỗ trợ làm nhà ở cho 05 hộ × 40.000.000 đồng/hộ = …', 'Tổng kinh phí' for its total.",
    )
    in_words: bool = False
    is_total: bool = False
    section_id: str | None = None
    span: Span
    page: int | None = None
