"""Level mentions and attachment references: what the text says about its own unit and its attachments."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.entities.references import (
    find_attachment_references,
    find_level_mentions,
    mention_role,
)
from extractor.normalize.text import normalize_text
from models.provenance import Span
from models.sections import Section
from tests.factories import text_plan


def mentions(text: str, own: str | None = None) -> list[tuple[str, str]]:
    return [(m.level, m.raw) for m in find_level_mentions(text_plan(normalize_text(text), unit_name=own))]


@pytest.mark.parametrize(
    ("text", "own", "expected"),
    [
        (
            "Ủy ban nhân dân xã Cao Nhân xây dựng kế hoạch giảm nghèo trên địa bàn xã năm 2024",
            "Cao Nhân",
            [("xa", "Ủy ban nhân dân xã Cao Nhân"), ("xa", "trên địa bàn xã")],
        ),
        # the unit name may arrive with its level word
        ("Ủy ban nhân dân xã Cao Nhân xây dựng", "xã Cao Nhân", [("xa", "Ủy ban nhân dân xã Cao Nhân")]),
        ("ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN", "Cao Nhân", [("xa", "ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN")]),
        ("tỷ lệ hộ nghèo toàn phường giảm còn 0,43%", None, [("phuong", "toàn phường")]),
        ("- UBMTTQ xã và các Đoàn thể phường;", None, [("xa", "UBMTTQ xã")]),
        ("Đề nghị Ủy ban MTTQ thị xã phối hợp", None, [("thi_xa", "Ủy ban MTTQ thị xã")]),
        ("- Thường trực Đảng ủy, HĐND xã;", None, [("xa", "HĐND xã")]),
        ("thành lập Ban quản lý cấp xã", None, [("xa", "cấp xã")]),
        ("trên địa bàn thị xã có 17 hộ nghèo", None, [("thi_xa", "trên địa bàn thị xã")]),
        ("trên phạm vi toàn huyện.", None, [("huyen", "trên phạm vi toàn huyện")]),
        ("Uỷ ban nhân dân huyện ban hành", None, [("huyen", "Uỷ ban nhân dân huyện")]),
        ("giảm nghèo trên địa bàn quận.", None, [("quan", "trên địa bàn quận")]),
        ("Đảng bộ thị trấn lãnh đạo", None, [("thi_tran", "Đảng bộ thị trấn")]),
        ("GIẢM NGHÈO TRÊN ĐỊA BÀN XÃ NĂM 2024", None, [("xa", "TRÊN ĐỊA BÀN XÃ")]),
        # a ward's own name after the old level word: still a mention, of level "xa"
        ("Ủy ban nhân dân xã Quảng Minh", "Quảng Minh", [("xa", "Ủy ban nhân dân xã Quảng Minh")]),
        # a comma without "về" ends the citation: what follows is the plan's own
        (
            "Căn cứ Kế hoạch số 15/KH-UBND của UBND huyện, UBND xã xây dựng kế hoạch trên địa bàn huyện.",
            None,
            [("xa", "UBND xã"), ("huyen", "trên địa bàn huyện")],
        ),
    ],
)
def test_level_mentions_found(text: str, own: str | None, expected: list[tuple[str, str]]) -> None:
    assert mentions(text, own) == expected


@pytest.mark.parametrize(
    ("text", "own"),
    [
        # a citation's subject and issuer name the cited document's unit
        (
            "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện Thủy Nguyên về giảm nghèo năm "
            "2024 trên địa bàn huyện;",
            "Cao Nhân",
        ),
        ("Nghị quyết số 167/NQ-HĐND ngày 17/12/2020 của Hội đồng nhân dân huyện về nhiệm vụ", None),
        ("Nghị quyết 52/2019/NQ-HĐND ngày 19 tháng 12 năm 2019 của HĐND thành phố", None),
        ("Thực hiện Nghị quyết của HĐND huyện về phát triển kinh tế trên địa bàn huyện;", None),
        ("Thông báo kết luận số 512-TB/HU của Huyện ủy về giảm nghèo trên địa bàn huyện", None),
        # another, named unit
        ("của UBND thị xã Việt Yên về việc", "Quảng Minh"),
        ("trên địa bàn huyện Yên Châu năm 2022", "Sơn Tây"),
        ("Ủy ban nhân dân phường 7 chủ trì", None),
        # plural, listed or generic levels
        ("UBND các xã, thị trấn tổ chức triển khai", None),
        ("cán bộ làm công tác giảm nghèo cấp xã, thị trấn, bản", None),
        ("trên địa bàn các xã đặc biệt khó khăn", None),
        ("các UBND xã chủ động rà soát", None),
        ("UBND xã/phường báo cáo", None),
        ("của xã, huyện và thành phố", None),
        # "xã" inside other words, and phrases with no cue
        ("huy động sức mạnh của toàn xã hội", None),
        ("liên kết với hợp tác xã", None),
        ("phối hợp các phòng ban của huyện", None),
        ("báo cáo về Ban chỉ đạo giảm nghèo huyện theo từng quý", None),
        ("Ngân hàng Chính sách xã hội huyện", None),
        ("các cấp quản lý", None),
    ],
)
def test_not_level_mentions(text: str, own: str | None) -> None:
    assert mentions(text, own) == []


def test_mention_carries_span_page_and_section() -> None:
    text = "I. MỤC TIÊU\nPhấn đấu toàn xã giảm 2 hộ nghèo."
    section = Section(
        id="s1",
        numbering="I",
        heading="MỤC TIÊU",
        level=1,
        kinds=["objectives"],
        span=Span(start=0, end=len(text)),
        heading_span=Span(start=0, end=11),
    )
    [mention] = find_level_mentions(text_plan(text, sections=[section], pages=(3, 3)))
    assert text[mention.span.start : mention.span.end] == "toàn xã" == mention.raw
    assert (mention.page, mention.section_id) == (3, "s1")


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("trên địa bàn huyện", "scope"),
        ("toàn xã", "scope"),
        ("UBMTTQ xã", "body"),
        ("Ủy ban nhân dân huyện", "body"),
        ("Uỷ ban nhân dân huyện", "body"),
        ("Đảng bộ xã", "body"),
        ("cấp xã", "tier"),
    ],
)
def test_mention_role(raw: str, role: str) -> None:
    [mention] = find_level_mentions(text_plan(raw))
    assert mention_role(mention) == role


def attachments(text: str) -> list[tuple[str, list[str], str]]:
    return [(a.kind, a.labels, a.raw) for a in find_attachment_references(text_plan(normalize_text(text)))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2.2 Chỉ tiêu cụ thể giao các tổ dân phố: (Có biểu 01, 02, 03 kèm theo).",
            [("biểu", ["01", "02", "03"], "(Có biểu 01, 02, 03 kèm theo)")],
        ),
        ("giúp đỡ hộ nghèo có địa chỉ (phụ lục kèm theo).", [("phụ lục", [], "(phụ lục kèm theo)")]),
        ("Chỉ tiêu giao các thôn theo phụ lục đính kèm.", [("phụ lục", [], "theo phụ lục đính kèm")]),
        (
            "(Chi tiết tại Phụ lục I, II kèm theo)",
            [("phụ lục", ["I", "II"], "(Chi tiết tại Phụ lục I, II kèm theo)")],
        ),
        ("Phụ lục I, II kèm theo Kế hoạch này.", [("phụ lục", ["I", "II"], "Phụ lục I, II kèm theo")]),
        ("hỗ trợ nhà ở (danh sách kèm theo)", [("danh sách", [], "(danh sách kèm theo)")]),
        ("(Có danh sách hộ nghèo kèm theo)", [("danh sách", [], "(Có danh sách hộ nghèo kèm theo)")]),
        ("Chỉ tiêu chi tiết tại Biểu số 02.", [("biểu", ["02"], "chi tiết tại Biểu số 02")]),
        (
            "(Có biểu 01 đến 04 kèm theo)",
            [("biểu", ["01", "02", "03", "04"], "(Có biểu 01 đến 04 kèm theo)")],
        ),
        ("báo cáo theo biểu mẫu kèm theo.", [("biểu", [], "theo biểu mẫu kèm theo")]),
        ("(Có bảng tổng hợp kèm theo)", [("other", [], "(Có bảng tổng hợp kèm theo)")]),
    ],
)
def test_attachment_references_found(text: str, expected: list) -> None:
    assert attachments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "xây dựng chuyên mục biểu dương về các cá nhân tiêu biểu vươn lên thoát nghèo",
        # an appendix's own caption
        "PHỤ LỤC: KẾ HOẠCH GIẢM NGHÈO NĂM 2024 (Kèm theo Kế hoạch số: /KH-UBND ngày 22/02/2024)",
        "Biểu số 01\n(Kèm theo Kế hoạch số 15/KH-UBND ngày 10/01/2024)",
        # another document's appendix
        "theo mẫu tại Phụ lục I ban hành kèm theo Nghị định số 30/2020/NĐ-CP",
        "theo Phụ lục I, Nghị định số 30/2020/NĐ-CP",
        # lists that are not attached
        "lập danh sách hộ nghèo có khó khăn về nhà ở theo Nghị quyết 52/2019/NQ-HĐND",
        "hỗ trợ theo danh sách được phê duyệt.",
        "Lập danh sách kèm theo hồ sơ đề nghị hỗ trợ",
    ],
)
def test_not_attachment_references(text: str) -> None:
    assert attachments(text) == []


# Fragments plans are made of; any sequence of them must give well-formed results.
FRAGMENTS = [
    "trên địa bàn xã",
    "toàn huyện",
    "UBND phường",
    "UBMTTQ xã",
    "của UBND huyện Hưng Hà",
    "Kế hoạch số 15/KH-UBND",
    "về giảm nghèo",
    "các xã, thị trấn",
    "xã hội",
    "cấp xã",
    "(Có biểu 01, 02 kèm theo)",
    "Phụ lục I",
    "kèm theo",
    "danh sách",
    "biểu dương",
    "Cao Nhân",
    ",",
    ";",
    ".",
    "\n",
    "(",
    ")",
    "năm 2024",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_spans_point_at_their_raw_text(parts: list[str]) -> None:
    text = " ".join(parts)
    plan = text_plan(text, unit_name="Cao Nhân")
    for mention in find_level_mentions(plan):
        assert text[mention.span.start : mention.span.end] == mention.raw
    for reference in find_attachment_references(plan):
        assert text[reference.span.start : reference.span.end] == reference.raw
        assert all(label.strip() == label and label for label in reference.labels)
