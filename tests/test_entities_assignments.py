"""Assignments: bodies of the implementation part, their roles, duties, cadences and deadlines."""

from extractor.entities.assignments import CADENCE, DEADLINE, find_assignments
from tests.factories import make_plan

PLAN = make_plan(
    "KẾ HOẠCH Giảm nghèo năm 2025",
    "I. MỤC TIÊU",
    "1. Giảm tỷ lệ hộ nghèo.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Phòng Lao động - Thương binh và Xã hội",
    "- Chủ trì, phối hợp với các cơ quan tham mưu UBND huyện triển khai Kế hoạch.",
    "- Tổng hợp báo cáo kết quả định kỳ 6 tháng, năm; gửi trước ngày 25 của tháng cuối quý.",
    "2. Phòng Tài chính - Kế hoạch: Phối hợp bố trí kinh phí thực hiện.",
    "3. Đề nghị Ủy ban MTTQ huyện và các tổ chức chính trị - xã hội",
    "Tuyên truyền, vận động hội viên tham gia.",
)


def test_one_assignment_per_body_with_its_role() -> None:
    assignments = find_assignments(PLAN)
    assert [(item.body, item.role) for item in assignments] == [
        ("Phòng Lao động - Thương binh và Xã hội", "lead"),
        ("Phòng Tài chính - Kế hoạch", "coordinate"),
        ("Ủy ban MTTQ huyện và các tổ chức chính trị - xã hội", "requested"),
    ]


def test_duties_are_bullets_or_paragraphs_with_spans() -> None:
    first, second, third = find_assignments(PLAN)
    assert [duty.role for duty in first.duties] == ["lead", "responsible"]
    assert second.duties[0].text == "Phối hợp bố trí kinh phí thực hiện."
    assert third.duties[0].text == "Tuyên truyền, vận động hội viên tham gia."
    for duty in (*first.duties, *second.duties, *third.duties):
        assert PLAN.text[duty.span.start : duty.span.end] == duty.text


def test_cadence_and_deadline_of_a_reporting_duty() -> None:
    reporting = find_assignments(PLAN)[0].duties[1]
    assert reporting.cadence == "định kỳ 6 tháng, năm"
    assert reporting.deadline == "trước ngày 25 của tháng cuối quý"


def test_no_assignments_outside_implementation_parts() -> None:
    plan = make_plan("KẾ HOẠCH Việc A", "I. GIẢI PHÁP", "1. Phòng Tư pháp", "- Chủ trì tuyên truyền.")
    assert find_assignments(plan) == []


def test_cadence_and_deadline_forms() -> None:
    for text in ("hàng quý", "hằng năm", "định kỳ hàng tháng", "Định kỳ 6 tháng, một năm"):
        assert CADENCE.search(text) is not None, text
    for text in ("trước ngày 15/12/2024", "trước ngày 20 hàng tháng", "chậm nhất ngày 30 tháng 11 năm 2024"):
        assert DEADLINE.search(text) is not None, text
