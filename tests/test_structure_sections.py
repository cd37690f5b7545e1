"""The section tree: nesting by numbering style, spans, headings, formatting-only headings, appendices."""

from extractor.structure.sections import build_sections, heading_text
from models import TextStyle
from tests.factories import make_document

PLAN = make_document(
    "KẾ HOẠCH",
    "Giảm nghèo năm 2024",
    "Thực hiện Kế hoạch số 15/KH-UBND;",
    "I. MỤC TIÊU, CHỈ TIÊU",
    "1. Mục tiêu",
    "Nội dung mục tiêu.",
    "2. Chỉ tiêu",
    "2.1 Chỉ tiêu chung",
    "a) Toàn xã: giảm còn 1,4%",
    "b) Các thôn",
    "2.2 Chỉ tiêu cụ thể: (Có biểu kèm theo).",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Công chức Văn hóa - Xã hội: Chủ trì, phối hợp với các ngành.",
    "Nơi nhận:",
    "- Lưu: VT.",
    "PHỤ LỤC 01 (Kèm theo Kế hoạch số 5/KH-UBND ngày 22/02/2024)",
)


def outline(sections, depth=0):
    lines = []
    for section in sections:
        lines.append(("  " * depth) + f"{section.numbering} {section.heading}")
        lines.extend(outline(section.children, depth + 1))
    return lines


def test_nesting_follows_the_numbering_styles() -> None:
    assert outline(build_sections(PLAN)) == [
        "I MỤC TIÊU, CHỈ TIÊU",
        "  1 Mục tiêu",
        "  2 Chỉ tiêu",
        "    2.1 Chỉ tiêu chung",
        "      a Toàn xã",
        "      b Các thôn",
        "    2.2 Chỉ tiêu cụ thể",
        "II TỔ CHỨC THỰC HIỆN",
        "  1 Công chức Văn hóa - Xã hội",
        "None PHỤ LỤC 01",
    ]


def test_ids_levels_and_kinds() -> None:
    first, second, appendix = build_sections(PLAN)
    assert (first.id, first.level, first.kinds) == ("s1", 1, ["objectives", "targets"])
    assert (first.children[1].children[0].id, first.children[1].children[0].level) == ("s1.2.1", 3)
    assert second.kinds == ["implementation"]
    assert appendix.kinds == ["appendix"]


def test_spans_cover_each_part_up_to_the_next() -> None:
    first, second, appendix = build_sections(PLAN)
    text = PLAN.text
    assert text[first.span.start :].startswith("I. MỤC TIÊU")
    assert first.span.end == second.span.start
    # the body ends where the recipients begin: the closing matter belongs to no part
    assert text[second.span.start : second.span.end].rstrip().endswith("phối hợp với các ngành.")
    assert text[appendix.span.start : appendix.span.end].startswith("PHỤ LỤC 01")
    assert appendix.span.end == len(text)
    for section in (first, *first.children, second):
        assert text[section.heading_span.start : section.heading_span.end] == section.heading


def test_preamble_and_title_are_not_sections() -> None:
    assert all(not section.heading.startswith(("KẾ HOẠCH", "Thực hiện")) for section in build_sections(PLAN))


def test_formatting_only_heading() -> None:
    document = make_document(
        "KẾ HOẠCH Việc A",
        ("Mục tiêu", TextStyle(bold=True)),
        "Nâng cao đời sống.",
        ("Tổ chức thực hiện", TextStyle(bold=True)),
        ("Đây là một câu in đậm dài nhưng kết thúc như một câu văn bình thường.", TextStyle(bold=True)),
    )
    sections = build_sections(document)
    assert [(section.heading, section.kinds) for section in sections] == [
        ("Mục tiêu", ["objectives"]),
        ("Tổ chức thực hiện", ["implementation"]),
    ]


def test_heading_of_a_long_numbered_paragraph_is_its_first_clause() -> None:
    text = "4. Công chức Tư pháp: Xây dựng kế hoạch, khâu nối với cấp trên."
    start, end = heading_text(text, 3)
    assert text[start:end] == "Công chức Tư pháp"
    text = "2. Hộ cận nghèo có 44 hộ với 141 nhân khẩu, chiếm tỷ lệ 1,47%. Trong đó có 3 hộ."
    start, end = heading_text(text, 3)
    assert text[start:end] == "Hộ cận nghèo có 44 hộ với 141 nhân khẩu, chiếm tỷ lệ 1,47%"


def scanned(document, confidence: float = 0.9):
    """``document`` as if every block had been read by OCR."""
    blocks = [block.model_copy(update={"confidence": confidence}) for block in document.blocks]
    return document.model_copy(update={"blocks": blocks})


DROPPED_STROKES = (
    "I. MỤC TIÊU",
    "Nội dung.",
    "I. PHÂN TÍCH",
    "Nội dung.",
    "II. NHIỆM VỤ",
    "IV. TỔ CHỨC THỰC HIỆN",
)


def test_a_scans_roman_numbers_that_lost_a_stroke_are_put_back_in_sequence() -> None:
    """Tesseract reads "II." as "I." and "III." as "II." where the strokes touch."""
    sections = build_sections(scanned(make_document(*DROPPED_STROKES)))
    assert [section.numbering for section in sections] == ["I", "II", "III", "IV"]
    assert sections[1].heading == "PHÂN TÍCH"


def test_typed_roman_numbers_are_left_as_the_plan_writes_them() -> None:
    sections = build_sections(make_document(*DROPPED_STROKES))
    assert [section.numbering for section in sections] == ["I", "I", "II", "IV"]


def test_a_missing_part_is_not_made_up() -> None:
    """ "I, II, IV": the gap is no dropped stroke (IV is not III with an I lost), so nothing changes."""
    plan = scanned(make_document("I. MỤC TIÊU", "Nội dung.", "II. NHIỆM VỤ", "IV. TỔ CHỨC THỰC HIỆN"))
    assert [section.numbering for section in build_sections(plan)] == ["I", "II", "IV"]


def test_a_table_caption_inside_the_body_opens_no_section() -> None:
    """A report's "Biểu 01: …" over the table of part II.1 is a caption: part 2 still follows part 1."""
    report = make_document(
        "BÁO CÁO",
        "Kết quả thực hiện công tác giảm nghèo năm 2022",
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả giảm nghèo",
        "Chi tiết theo xã tại Biểu 01.",
        "Biểu 01: Kết quả giảm nghèo năm 2022 theo xã, thị trấn",
        "2. Bảo hiểm y tế",
        "II. PHƯƠNG HƯỚNG NĂM 2023",
        "Nơi nhận:",
        "- Lưu: VT.",
        "BIỂU SỐ 02 (Kèm theo Báo cáo số 12/BC-UBND)",
    )
    assert outline(build_sections(report)) == [
        "I KẾT QUẢ THỰC HIỆN",
        "  1 Kết quả giảm nghèo",
        "  2 Bảo hiểm y tế",
        "II PHƯƠNG HƯỚNG NĂM 2023",
        "None BIỂU SỐ 02",
    ]


def test_a_caption_after_the_last_part_still_opens_an_appendix_when_the_signature_is_lost() -> None:
    """A web copy without its closing: "Biểu 01" after every numbered part is the appendix it names."""
    copy = make_document(
        "KẾ HOẠCH",
        "Giảm nghèo năm 2024",
        "I. MỤC TIÊU",
        "1. Giảm tỷ lệ hộ nghèo còn 1,4%",
        "II. TỔ CHỨC THỰC HIỆN",
        "Biểu 01: Chỉ tiêu giảm nghèo theo thôn",
    )
    assert outline(build_sections(copy))[-1] == "None Biểu 01: Chỉ tiêu giảm nghèo theo thôn"
