"""Logical lines and sentences: a line broken by a page is one line, table rows are tabular."""

import pytest

from extractor.normalize.lines import is_tabular, logical_lines, sentences


def test_a_line_broken_by_a_page_is_joined() -> None:
    text = "- Thiếu hụt chỉ số X: 12 hộ, tỷ lệ\n\n70,59%.\n- Tiếp"
    lines = logical_lines(text)
    assert text[lines[0].start : lines[0].end].endswith("70,59%.")
    assert text[lines[-1].start : lines[-1].end] == "- Tiếp"


@pytest.mark.parametrize(
    ("raw", "tabular"),
    [
        ("1\tCây Tắt\t183", True),
        ("\tCây Tắt", True),
        ("\t- Trực tiếp phụ trách Dự án 2 của xã", False),
        ("Cây Tắt", False),
    ],
)
def test_table_rows_and_cells_are_tabular(raw: str, tabular: bool) -> None:
    assert is_tabular(raw) is tabular


def test_sentences_of_a_line() -> None:
    text = "Giảm 2%. Tăng 3% mỗi năm. - Đạt 95%."
    (line,) = logical_lines(text)
    assert [text[a:b] for a, b in sentences(text, line)] == ["Giảm 2%.", "Tăng 3% mỗi năm.", "- Đạt 95%."]
