"""Rule family "form" (Nghị định 30/2020/NĐ-CP): the parts every administrative document must carry."""

from extractor.checks.drafts import Draft, Tally
from models.extracted import ExtractedDocument
from models.findings import Location


def check_form(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    metadata = document.metadata
    drafts = []
    tally.verified += 5
    if metadata.number is None:
        symbol = metadata.symbol.value if metadata.symbol else None
        drafts.append(
            Draft(
                rule="form.number",
                message_vi=f"Văn bản chưa được cấp số (Số: /{symbol})"
                if symbol
                else "Không thấy số, ký hiệu văn bản",
                message_en=f"The document has no number (Số: /{symbol})"
                if symbol
                else "No number and symbol found",
                location=Location(span=metadata.symbol.span if metadata.symbol else None),
            )
        )
    date = metadata.date
    if date is None or date.iso is None:
        drafts.append(
            Draft(
                rule="form.date",
                message_vi="Ngày ban hành để trống hoặc chưa đầy đủ" if date else "Không thấy ngày ban hành",
                message_en="The date is left blank or incomplete" if date else "No date found",
                stated=date.raw if date else None,
                location=Location(span=date.span if date else None),
            )
        )
    if metadata.issuer is None or metadata.issuer.source != "header":
        known = f" (suy ra từ {metadata.issuer.source}: {metadata.issuer.value})" if metadata.issuer else ""
        known_en = (
            f" (inferred from the {metadata.issuer.source}: {metadata.issuer.value})"
            if metadata.issuer
            else ""
        )
        drafts.append(
            Draft(
                rule="form.issuer",
                message_vi="Phần đầu văn bản thiếu tên cơ quan ban hành" + known,
                message_en="The header does not name the issuing body" + known_en,
            )
        )
    if metadata.signer.name is None:
        drafts.append(
            Draft(rule="form.signer", message_vi="Không thấy người ký", message_en="No signer found")
        )
    if not metadata.recipients:
        drafts.append(
            Draft(
                rule="form.recipients",
                message_vi="Không thấy nơi nhận",
                message_en="No recipients list found",
            )
        )
    return drafts
