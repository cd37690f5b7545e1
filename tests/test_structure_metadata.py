"""Metadata from headers that are complete, partial or missing, on small hand-built documents."""

import pytest

from extractor.structure.metadata import extract_metadata
from tests.factories import make_document

FULL_HEADER = make_document(
    "UBND HUYỆN MƯỜNG LA\nPHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    "Số: 58/KH-LĐTBXH",
    "Mường La, ngày 05 tháng 3 năm 2023",
    "KẾ HOẠCH",
    "Tổ chức dạy nghề cho lao động nông thôn",
    "năm 2023",
    "Căn cứ Quyết định số 1234/QĐ-UBND ngày 10/02/2023 của UBND tỉnh;",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nội dung.",
    "Nơi nhận:",
    "- UBND huyện (b/c);",
    "- Lưu: VT.",
    "TL. CHỦ TỊCH\nTRƯỞNG PHÒNG",
    "(Đã ký)",
    "Lò Thị Mai",
)


def test_department_under_its_parent() -> None:
    metadata = extract_metadata(FULL_HEADER)
    assert metadata.issuer_parent is not None and metadata.issuer_parent.value == "UBND huyện Mường La"
    assert metadata.issuer is not None and metadata.issuer.value == "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
    assert metadata.level == "huyen"
    assert metadata.unit is not None and metadata.unit.value == "Mường La"


def test_number_place_date_title() -> None:
    metadata = extract_metadata(FULL_HEADER)
    assert (metadata.number, metadata.unnumbered) == ("58", False)
    assert metadata.symbol is not None and metadata.symbol.value == "KH-LĐTBXH"
    assert metadata.place is not None and metadata.place.value == "Mường La"
    assert metadata.date is not None and metadata.date.iso == "2023-03-05"
    assert metadata.title is not None
    assert metadata.title.value == "Tổ chức dạy nghề cho lao động nông thôn năm 2023"
    assert metadata.plan_year == 2023


def test_spans_point_at_the_written_values() -> None:
    metadata = extract_metadata(FULL_HEADER)
    text = FULL_HEADER.text
    for value in (metadata.symbol, metadata.place, metadata.signer.name, metadata.recipients[0]):
        assert value is not None and value.span is not None
        assert text[value.span.start : value.span.end] == value.value


def test_signer_skips_the_signed_note() -> None:
    signer = extract_metadata(FULL_HEADER).signer
    assert [authority.value for authority in signer.authority] == ["TL. CHỦ TỊCH"]
    assert signer.position is not None and signer.position.value == "TRƯỞNG PHÒNG"
    assert signer.name is not None and signer.name.value == "Lò Thị Mai"


def test_recipients_without_dashes_or_final_punctuation() -> None:
    assert [item.value for item in extract_metadata(FULL_HEADER).recipients] == [
        "UBND huyện (b/c)",
        "Lưu: VT",
    ]


def test_blank_number_and_partial_date() -> None:
    document = make_document(
        "Số:     /KH-UBND", "Tân Lập, ngày    tháng    năm 2024", "KẾ HOẠCH", "Phòng chống thiên tai"
    )
    metadata = extract_metadata(document)
    assert metadata.number is None and metadata.unnumbered
    assert metadata.date is not None
    assert (metadata.date.day, metadata.date.month, metadata.date.year, metadata.date.iso) == (
        None,
        None,
        2024,
        None,
    )


def test_date_recovered_from_an_appendix_reference() -> None:
    document = make_document(
        "Số: /KH-UBND",
        "Tân Lập, ngày tháng năm 2024",
        "KẾ HOẠCH Phòng chống thiên tai năm 2024",
        "I. MỤC TIÊU",
        "Nơi nhận:",
        "- Như trên;",
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Hà Văn Tú",
        "PHỤ LỤC (Kèm theo Kế hoạch số: /KH-UBND ngày 15/3/2024 của UBND xã Tân Lập)",
    )
    metadata = extract_metadata(document)
    assert metadata.date is not None and (metadata.date.iso, metadata.date.source) == (
        "2024-03-15",
        "appendix",
    )
    assert metadata.issuer is not None and (metadata.issuer.value, metadata.issuer.source) == (
        "UBND xã Tân Lập",
        "appendix",
    )
    assert metadata.level == "xa"


def test_appendix_date_that_contradicts_the_header_is_not_taken() -> None:
    document = make_document(
        "Tân Lập, ngày tháng 02 năm 2024",
        "KẾ HOẠCH Phòng chống thiên tai",
        "Nơi nhận:",
        "- Như trên;",
        "PHỤ LỤC (Kèm theo Kế hoạch số 12/KH-UBND ngày 15/3/2024 của UBND xã Tân Lập)",
    )
    metadata = extract_metadata(document)
    assert metadata.date is not None and (metadata.date.month, metadata.date.source) == (2, "header")


# Where the issuer comes from when the header lacks it: (lines, issuer value, its source, level).
ISSUER_FALLBACKS = [
    pytest.param(
        [
            "KẾ HOẠCH",
            "Xây dựng nông thôn mới năm 2025",
            "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2025 của UBND huyện Bảo Yên;",
            "Ủy ban nhân dân thị trấn Phố Ràng xây dựng Kế hoạch như sau:",
        ],
        ("UBND thị trấn Phố Ràng", "body"),
        "thi_tran",
        id="the body names it",
    ),
    pytest.param(
        [
            "KẾ HOẠCH",
            "Giảm nghèo bền vững trên địa bàn phường Hòa Bình năm 2023",
            "Thực hiện Kế hoạch số 20/KH-UBND của UBND thành phố Hòa Bình;",
            "Ủy ban nhân dân phường ban hành Kế hoạch như sau:",
        ],
        ("UBND phường Hòa Bình", "title"),
        "phuong",
        id="the title names it, never a cited document",
    ),
    pytest.param(
        [
            "KẾ HOẠCH",
            "Hỗ trợ các xã trên địa bàn huyện Bắc Yên",
            "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
        ],
        None,
        "tinh",
        id="a title of another level than the body's is not the issuer; the body gives the level",
    ),
]


@pytest.mark.parametrize(("lines", "issuer", "level"), ISSUER_FALLBACKS)
def test_issuer_when_the_header_has_none(
    lines: list[str], issuer: tuple[str, str] | None, level: str | None
) -> None:
    metadata = extract_metadata(make_document(*lines))
    found = (metadata.issuer.value, metadata.issuer.source) if metadata.issuer else None
    assert (found, metadata.level) == (issuer, level)


def test_authority_typed_with_a_comma() -> None:
    document = make_document(
        "KẾ HOẠCH Việc A",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN\nKT, CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Vì Văn Ngọc",
    )
    signer = extract_metadata(document).signer
    assert [authority.value for authority in signer.authority] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert signer.position is not None and signer.position.value == "PHÓ CHỦ TỊCH"
    assert signer.name is not None and signer.name.value == "Vì Văn Ngọc"


def test_chair_signing_for_the_committee() -> None:
    document = make_document("KẾ HOẠCH Việc A", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "Nguyễn Văn An")
    signer = extract_metadata(document).signer
    assert signer.position is not None and signer.position.value == "CHỦ TỊCH"
    assert signer.name is not None and signer.name.value == "Nguyễn Văn An"


def test_a_document_without_header_or_signature() -> None:
    metadata = extract_metadata(make_document("Một đoạn văn bản không có tiêu đề."))
    assert metadata.issuer is None and metadata.date is None and metadata.title is None
    assert metadata.signer.authority == [] and metadata.recipients == []


def test_a_recipient_wrapped_onto_the_next_line_is_one_item() -> None:
    document = make_document(
        "KẾ HOẠCH Việc A",
        "Nơi nhận:",
        "- Thường trực Đảng ủy, HĐND phường",
        "(B/c);",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
    )
    recipients = extract_metadata(document).recipients
    assert [item.value for item in recipients] == ["Thường trực Đảng ủy, HĐND phường (B/c)", "Lưu: VT"]
    span = recipients[0].span
    assert (
        span is not None and document.text[span.start : span.end] == "Thường trực Đảng ủy, HĐND phường\n(B/c)"
    )


def test_appendix_reference_wrapped_over_two_lines() -> None:
    document = make_document(
        "Số: /KH-UBND",
        "KẾ HOẠCH Việc A",
        "Nơi nhận:",
        "- Lưu: VT.",
        "PHỤ LỤC (Kèm theo Kế hoạch số: /KH-UBND ngày 22 /02/2024 của UBND",
        "phường Quảng Minh)",
    )
    metadata = extract_metadata(document)
    assert metadata.issuer is not None and (metadata.issuer.value, metadata.issuer.source) == (
        "UBND phường Quảng Minh",
        "appendix",
    )
    span = metadata.issuer.span
    assert span is not None and document.text[span.start : span.end] == "UBND\nphường Quảng Minh"
