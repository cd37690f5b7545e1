"""Document metadata per Nghị định 30/2020/NĐ-CP, each value with where it was read."""

from typing import Literal

from pydantic import Field

from models.provenance import Frozen, OcrConfidence, Span
from models.values import PartialDate

ValueSource = Literal["header", "title", "body", "appendix", "signature", "recipients"]
AdminLevel = Literal["tinh", "huyen", "quan", "thi_xa", "thanh_pho", "xa", "phuong", "thi_tran"]


class Sourced(OcrConfidence):
    """A text value with the place it was read from and which part of the document gave it."""

    value: str
    source: ValueSource
    span: Span | None = None
    page: int | None = None


class Signer(Frozen):
    """The signature block: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Vì Văn Ngọc"."""

    name: Sourced | None = None
    position: Sourced | None = None
    authority: list[Sourced] = Field(default_factory=list)


# The document type of a results report (extractor/data/document_types.yaml): its targets are aims restated,
# its figures outcomes, so it is evidence for plans, never a plan itself.
REPORT_DOC_TYPE = "Báo cáo"


class Metadata(Frozen):
    """Header, title and signature facts of one plan. Any of them may be missing in real inputs.

    For a scan, each value carries its OCR confidence; the number has none of its own: the symbol's covers
    the number written with it ("267/KH-UBND").
    """

    issuer: Sourced | None = None
    issuer_parent: Sourced | None = None
    level: AdminLevel | None = None
    unit: Sourced | None = None
    number: str | None = None
    number_span: Span | None = Field(
        default=None, description='Where the number was read ("267" of "Số: 267/KH-UBND").'
    )
    unnumbered: bool = False
    symbol: Sourced | None = None
    place: Sourced | None = None
    date: PartialDate | None = None
    doc_type: Sourced | None = None
    title: Sourced | None = None
    plan_year: int | None = None
    signer: Signer = Signer()
    recipients: list[Sourced] = Field(default_factory=list)
