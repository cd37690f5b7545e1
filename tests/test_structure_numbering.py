"""Heading numbers: what opens a numbered part and what does not."""

import pytest

from extractor.structure.numbering import parse_heading_number


@pytest.mark.parametrize(
    ("text", "style", "label", "rest"),
    [
        ("I. Mục đích, yêu cầu", "roman", "I", "Mục đích, yêu cầu"),
        ("VII. TỔ CHỨC THỰC HIỆN", "roman", "VII", "TỔ CHỨC THỰC HIỆN"),
        ("IV.TỔ CHỨC THỰC HIỆN", "roman", "IV", "TỔ CHỨC THỰC HIỆN"),
        ("2. Yêu cầu", "decimal", "2", "Yêu cầu"),
        ("10. Các tổ dân phố", "decimal", "10", "Các tổ dân phố"),
        ("2.1 Tín dụng ưu đãi cho hộ nghèo", "decimal2", "2.1", "Tín dụng ưu đãi cho hộ nghèo"),
        ("2.1. Hỗ trợ phát triển sản xuất", "decimal2", "2.1", "Hỗ trợ phát triển sản xuất"),
        ("3.2.1. Hỗ trợ giống", "decimal3", "3.2.1", "Hỗ trợ giống"),
        ("a) Mục tiêu tổng quát: Thực hiện", "letter", "a", "Mục tiêu tổng quát: Thực hiện"),
        ("b)Chỉ tiêu cụ thể cho các thôn", "letter", "b", "Chỉ tiêu cụ thể cho các thôn"),
        ("đ) Hỗ trợ khác", "letter", "đ", "Hỗ trợ khác"),
        ("Phần thứ nhất: ĐÁNH GIÁ KẾT QUẢ", "part", "Phần thứ nhất", "ĐÁNH GIÁ KẾT QUẢ"),
        ("PHẦN II. NHIỆM VỤ", "part", "PHẦN II", "NHIỆM VỤ"),
    ],
)
def test_numbered_heading(text: str, style: str, label: str, rest: str) -> None:
    number = parse_heading_number(text)
    assert number is not None
    assert (number.style, number.label, text[number.end :]) == (style, label, rest)


@pytest.mark.parametrize(
    "text",
    [
        "2.405.000.000 đồng",  # an amount, not a heading
        "100% hộ nghèo được cấp thẻ",
        "2021. Năm bản lề",  # a year followed by a dot
        "- Tăng cường công tác phối hợp",
        "Ủy ban nhân dân xã xây dựng kế hoạch",
        "In the table",  # a capital I that is a word, not a numeral
        "1,94% hộ nghèo",
    ],
)
def test_not_a_heading(text: str) -> None:
    assert parse_heading_number(text) is None
