"""Classifying headings into part kinds: tolerant of case, order and damaged diacritics."""

import pytest

from extractor import data
from extractor.structure.kinds import classify_heading


@pytest.mark.parametrize(
    ("heading", "kinds"),
    [
        ("MỤC ĐÍCH, YÊU CẦU", ["purpose", "requirements"]),
        ("Yêu cầu, mục đích", ["purpose", "requirements"]),  # word order
        ("MỤC TIÊU, CHỈ TIÊU", ["objectives", "targets"]),
        ("MUC TIẾU, CHI TIEU", ["objectives", "targets"]),  # OCR lost or swapped marks
        ("muc tieu chung", ["objectives"]),  # no diacritics at all
        ("Chỉ tiêu cụ thể giao các thôn", ["targets"]),
        ("THỰC TRẠNG HỘ NGHÈO NĂM 2023", ["situation"]),
        ("PHÂN TÍCH HỘ NGHÈO CUỐI NĂM 2020", ["situation"]),
        ("ĐỐI TƯỢNG, PHẠM VI", ["scope"]),
        ("NHIỆM VỤ VÀ GIẢI PHÁP", ["tasks", "solutions"]),
        ("NỘI DUNG THỰC HIỆN", ["tasks"]),
        ("GIẢI PHÁP THỰC HIỆN", ["solutions"]),
        ("Biện pháp hỗ trợ", ["solutions"]),
        ("KINH PHÍ, THỜI GIAN THỰC HIỆN", ["scope", "funding"]),
        ("Nguồn vốn thực hiện", ["funding"]),
        ("TỔ CHỨC THỰC HIỆN", ["implementation"]),
        ("TO CHUC THUC HIEN", ["implementation"]),
        ("PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024", ["appendix"]),
        ("Về tuyên truyền", ["other"]),
        ("Công chức Tư pháp - hộ tịch", ["other"]),
    ],
)
def test_classify_heading(heading: str, kinds: list[str]) -> None:
    assert sorted(classify_heading(heading)) == sorted(kinds)


def test_kind_named_late_in_a_long_paragraph_is_ignored() -> None:
    heading = (
        "Hộ nghèo năm 2023 theo chuẩn nghèo tiếp cận đa chiều áp dụng cho giai đoạn 2022-2025 có mục tiêu"
    )
    assert classify_heading(heading) == ["other"]


def test_appendix_phrase_must_open_the_heading() -> None:
    assert "appendix" not in classify_heading("Biện pháp thực hiện theo biểu mẫu")


def test_every_phrase_in_the_data_file_is_reachable() -> None:
    for kind, phrases in data.section_kinds().root.items():
        for phrase in phrases:
            assert kind in classify_heading(phrase.lstrip("^")), (kind, phrase)
