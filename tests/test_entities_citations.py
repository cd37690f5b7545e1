"""Citations: symbols, types, dates, issuers, subjects, laws by name, one entry per document, and what is not a
citation. Expected values come from reading the documents (gold in ``corpus/gold/citations/``)."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.entities.citations import (
    find_citations,
    load_vocabulary,
    normalize_symbol,
    parse_symbol,
    type_from_symbol,
)
from extractor.normalize.text import normalize_text
from extractor.structure.plan_text import PlanText
from models.citations import SymbolParts
from tests.conftest import CASES, SEEDS, corpus_file
from tests.conftest import GOLD as GOLD_FOLDER
from tests.factories import plan_of_file, text_plan

GOLD = GOLD_FOLDER / "citations"
GOLD_STEMS = sorted(path.stem for path in GOLD.glob("*.json"))


def _corpus_plan(stem: str) -> PlanText:
    return plan_of_file(corpus_file(stem))


def _cite(text: str, preamble_end: int = 0):
    return find_citations(text_plan(normalize_text(text), preamble_end))


def _one(text: str, preamble_end: int = 0):
    found = _cite(text, preamble_end)
    assert len(found) == 1, [(c.symbol, c.title) for c in found]
    return found[0]


# ---------------------------------------------------------------------------------------------------
# Gold: every citation of every seed and citation case, in order
# ---------------------------------------------------------------------------------------------------


def _summary(citation) -> dict:
    return {
        "symbol": citation.symbol,
        "title": citation.title,
        "type": citation.type,
        "date": citation.date.iso if citation.date else None,
        "issuer": citation.issuer,
        "role": citation.role,
        "mentions": len(citation.mentions),
    }


@pytest.mark.parametrize("stem", GOLD_STEMS)
def test_every_citation_of_a_corpus_document(stem: str) -> None:
    expected = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    found = find_citations(_corpus_plan(stem))
    assert [_summary(citation) for citation in found] == expected
    assert [citation.id for citation in found] == [f"c{number}" for number in range(1, len(found) + 1)]


def test_gold_covers_every_seed_and_citation_case() -> None:
    stems = {path.stem for path in SEEDS.glob("*.txt")}
    stems |= {path.stem for path in CASES.glob("citations-*.txt")}
    assert stems <= set(GOLD_STEMS)


# ---------------------------------------------------------------------------------------------------
# The facts the issue names
# ---------------------------------------------------------------------------------------------------


def _by_symbol(stem: str) -> dict:
    return {citation.symbol: citation for citation in find_citations(_corpus_plan(stem))}


def test_seed_000_one_resolution_cited_with_two_dates() -> None:
    resolution = _by_symbol("000_18cf555f364dcc13")["52/2019/NQ-HĐND"]
    assert [mention.date.iso if mention.date else None for mention in resolution.mentions] == [
        "2019-12-19",
        "2019-12-09",
        None,
    ]
    assert resolution.date is None
    assert resolution.parts == SymbolParts(seq="52", year=2019, type_code="NQ", issuer_code="HĐND")


def test_seed_000_undated_resolution_and_decree_with_two_mentions() -> None:
    citations = _by_symbol("000_18cf555f364dcc13")
    assert citations["53/NQ-HĐND"].date is None
    assert citations["53/NQ-HĐND"].mentions[0].raw == "Nghị quyết số 53/NQ-HĐND"
    decree = citations["86/2015/NĐ-CP"]
    assert decree.date.iso == "2015-10-02" and decree.date.source == "citation"
    assert len(decree.mentions) == 2


def test_seed_001_symbol_with_spaces_is_normalized() -> None:
    resolution = _by_symbol("001_1747db98b33217c6")["65/NQ-HĐND"]
    assert resolution.mentions[0].raw.startswith("Nghị quyết số 65/NQ - HĐND ngày 30/12/2020")
    assert resolution.issuer == "hội đồng nhân dân xã"


def test_seed_004_official_letter_of_the_provincial_department() -> None:
    letter = _by_symbol("004_ab6f31fa12f1256e")["1424/SLĐTBOXH"]
    assert (letter.type, letter.date.iso) == ("Công văn", "2021-10-11")
    assert letter.issuer == "Sở Lao động-Thương binh và Xã hội tỉnh Sơn La"
    assert letter.parts == SymbolParts(seq="1424", issuer_code="SLĐTBOXH")
    assert letter.subject.startswith("xây dựng kế hoạch Năm 2022 thực hiện Chương trình")


def test_seed_002_appendix_citing_the_plan_itself_is_not_a_citation() -> None:
    assert list(_by_symbol("002_724ff193a1037eed")) == ["67/KH-UBND"]


# ---------------------------------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------------------------------

SYMBOLS = [
    ("Nghị quyết số 65/NQ - HĐND ngày 30/12/2020", "65/NQ-HĐND"),
    ("Nghị quyết số 12-NQ/ĐU của BCH Đảng bộ xã", "12-NQ/ĐU"),
    ("Công văn số 1424/SLĐTBOXH ngày 11/10/2021", "1424/SLĐTBOXH"),
    ("Nghị định số 86/2015/NĐ-CP ngày 02/10/2015", "86/2015/NĐ-CP"),
    ("Nghị quyết số 24/2021/QH15 của Quốc hội", "24/2021/QH15"),
    ("Công văn số 87/LĐTBXH-VPQGGN", "87/LĐTBXH-VPQGGN"),
    ("Quyết định số: 289-QĐ/TU ngày 05/8/2021", "289-QĐ/TU"),
    ("Chương trình số 03/CTr-UBND", "03/CTr-UBND"),
    ("Quyết định 46/2015/QĐ-TTg", "46/2015/QĐ-TTg"),
    ("Kế hoạch số 15 /KH-UBND", "15/KH-UBND"),
    ("Thông tư liên tịch số 01/2008/TTLT-BTC-BYT", "01/2008/TTLT-BTC-BYT"),
    ("Quy định số 66-QĐ/TW", "66-QĐ/TW"),
]


@pytest.mark.parametrize(("text", "symbol"), SYMBOLS)
def test_symbol_as_cited_without_inner_spaces(text: str, symbol: str) -> None:
    assert _one(text).symbol == symbol


PARTS = [
    ("86/2015/NĐ-CP", SymbolParts(seq="86", year=2015, type_code="NĐ", issuer_code="CP")),
    ("12-NQ/ĐU", SymbolParts(seq="12", type_code="NQ", issuer_code="ĐU")),
    ("1424/SLĐTBOXH", SymbolParts(seq="1424", issuer_code="SLĐTBOXH")),
    ("65/NQ-HĐND", SymbolParts(seq="65", type_code="NQ", issuer_code="HĐND")),
    ("87/LĐTBXH-VPQGGN", SymbolParts(seq="87", issuer_code="LĐTBXH-VPQGGN")),
    ("24/2021/QH15", SymbolParts(seq="24", year=2021, issuer_code="QH15")),
    ("03/CTr-UBND", SymbolParts(seq="03", type_code="CTr", issuer_code="UBND")),
    ("46/2015/QĐ-TTg", SymbolParts(seq="46", year=2015, type_code="QĐ", issuer_code="TTg")),
    ("01/2008/TTLT-BTC-BYT", SymbolParts(seq="01", year=2008, type_code="TTLT", issuer_code="BTC-BYT")),
    ("10/QyĐ-UBND", SymbolParts(seq="10", type_code="QyĐ", issuer_code="UBND")),
]


@pytest.mark.parametrize(("symbol", "parts"), PARTS)
def test_symbol_parts(symbol: str, parts: SymbolParts) -> None:
    assert parse_symbol(symbol) == parts


INFERRED = [
    ("theo 86/2015/NĐ-CP.", "Nghị định"),
    ("theo 46/2015/QĐ-TTg.", "Quyết định"),
    ("tại 12-NQ/ĐU.", "Nghị quyết"),
    ("theo 87/LĐTBXH-VPQGGN.", "Công văn"),
    ("theo 35/2018/QH14.", "Luật"),
    ("Văn bản số 123/UBND-VX của UBND huyện", "Công văn"),
    ("Văn bản số 05/2022/TT-BTC", "Thông tư"),
    # A lower-case common noun before a symbol of another type: the symbol says what it is.
    ("theo quy định 86/2015/NĐ-CP", "Nghị định"),
    # A written type word wins over the code: Party rules use QĐ, conclusions TB.
    ("Quy định số 66-QĐ/TW", "Quy định"),
    ("Thông báo kết luận số 512-TB/HU", "Thông báo kết luận"),
]


@pytest.mark.parametrize(("text", "type_name"), INFERRED)
def test_type_from_word_or_code(text: str, type_name: str) -> None:
    assert _one(text).type == type_name


def test_every_type_word_and_code_in_the_data_file_is_reachable() -> None:
    vocabulary = load_vocabulary()
    for code, type_name in vocabulary.type_by_code.items():
        assert type_from_symbol(parse_symbol(f"5/{code}-UBND")) == type_name, code
        assert _one(f"theo 5/{code}-UBND.").type == type_name, code
    for word, type_name in vocabulary.type_by_word.items():
        citation = _one(f"Thực hiện {word.capitalize()} số 7/ABC-UBND ngày 01/02/2023.")
        assert citation.type == (type_name or vocabulary.letter_type), word


@given(
    seq=st.integers(min_value=1, max_value=99999),
    year=st.none() | st.integers(min_value=1990, max_value=2099),
    code=st.sampled_from(sorted(load_vocabulary().type_by_code)),
    issuer=st.sampled_from(["UBND", "HĐND", "CP", "TTg", "BLĐTBXH", "BTC-BYT", "UBND-VX"]),
)
def test_symbols_round_trip(seq: int, year: int | None, code: str, issuer: str) -> None:
    symbol = f"{seq}/{year}/{code}-{issuer}" if year else f"{seq}/{code}-{issuer}"
    assert parse_symbol(symbol) == SymbolParts(seq=str(seq), year=year, type_code=code, issuer_code=issuer)
    written = symbol.replace("-", " - ", 1)
    assert normalize_symbol(written) == symbol
    assert _one(f"Thực hiện Văn bản số {written} ngày 02/01/2024;").symbol == symbol


# ---------------------------------------------------------------------------------------------------
# Dates, issuers, subjects
# ---------------------------------------------------------------------------------------------------

DATES = [
    ("Nghị quyết 52/2019/NQ-HĐND ngày 19 tháng 12 năm 2019 của HĐND thành phố", "2019-12-19"),
    ("Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện", "2024-01-10"),
    ("Kế hoạch số 112/KH-UBND ngày 5/4/2024", "2024-04-05"),
    ("Kế hoạch số 112/KH-UBND, 5/4/2024", "2024-04-05"),
    ("Kế hoạch số 8/KH-UBND ngày 22 /02/2024 của UBND phường", "2024-02-22"),
    ("Nghị quyết số 12-NQ/ĐU của BCH Đảng bộ xã ngày 26/12/2023 về phương hướng", "2023-12-26"),
    ("Quyết định số 9/QĐ-UBND (ngày 03/02/2021)", "2021-02-03"),
    ("Quyết định số 9/QĐ-UBND ban hành ngày 03/02/2021", "2021-02-03"),
    ("Nghị quyết số 53/NQ-HĐND .", None),
    ("Nghị quyết số 53/NQ-HĐND về mức chuẩn trợ cấp năm 2024", None),
]


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_date_written_with_the_mention(text: str, iso: str | None) -> None:
    citation = _one(text)
    normalized = normalize_text(text)
    assert (citation.date.iso if citation.date else None) == iso
    if citation.date is not None:
        span = citation.date.span
        assert normalized[span.start : span.end] == citation.date.raw
        assert citation.mentions[0].span.end >= span.end


def test_date_after_the_issuer_belongs_to_its_own_citation() -> None:
    text = (
        "Nghị quyết số 12-NQ/ĐU của BCH Đảng bộ xã ngày 26/12/2023 về phương hướng; "
        "Nghị quyết số 31/NQ-HĐND của HĐND xã về nhiệm vụ năm 2024;"
    )
    first, second = _cite(text)
    assert first.date.iso == "2023-12-26"
    assert second.date is None


ISSUERS = [
    (
        "Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện Thủy Nguyên về giảm nghèo",
        "UBND huyện Thủy Nguyên",
    ),
    ("Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ và quy định cơ chế thu", "Chính phủ"),
    ("Quyết định số 46/2015/QĐ-TTg ngày 28/9/2015 của Thủ tướng Chính phủ;", "Thủ tướng Chính phủ"),
    ("Thông báo kết luận số 512-TB/HU của Ban Thường vụ Huyện ủy ngày 20/12/2022", "Ban Thường vụ Huyện ủy"),
    ("Nghị quyết số 31/NQ-HĐND ngày 28/12/2023 của HĐND xã, về nhiệm vụ", "HĐND xã"),
    (
        "Công văn số 1424/SLĐTBOXH ngày 11/10/2021 của Sở Lao động-Thương binh và Xã hội tỉnh Sơn La về việc",
        "Sở Lao động-Thương binh và Xã hội tỉnh Sơn La",
    ),
    (
        "Công văn số 5/BVHTTDL ngày 01/3/2023 của Bộ Văn hóa, Thể thao và Du lịch;",
        "Bộ Văn hóa, Thể thao và Du lịch",
    ),
    ("Quyết định số 9/QĐ-UBND ngày 03/02/2021 của UBND TP. Hà Nội.", "UBND TP. Hà Nội"),
    ("Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị đến cán bộ", "Bộ Chính trị"),
    ("Quyết định số 9/QĐ-UBND ngày 03/02/2021.", None),
]


@pytest.mark.parametrize(("text", "issuer"), ISSUERS)
def test_issuer_is_the_cua_phrase(text: str, issuer: str | None) -> None:
    assert _one(text).issuer == issuer


def test_issuer_cut_at_the_next_citation_loses_its_dangling_and() -> None:
    text = (
        "theo Quyết định 46/2015/QĐ-TTg ngày 28/9/2015 của Thủ tướng Chính phủ và Thông tư số 152/2016/TT-BTC"
    )
    first, second = _cite(text)
    assert first.issuer == "Thủ tướng Chính phủ"
    assert first.mentions[0].raw.endswith("của Thủ tướng Chính phủ")
    assert second.symbol == "152/2016/TT-BTC"


SUBJECTS = [
    (
        "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2024 của UBND huyện về giảm nghèo năm 2024 trên địa bàn huyện; "
        "Nghị quyết số 31/NQ-HĐND",
        "giảm nghèo năm 2024 trên địa bàn huyện",
    ),
    (
        "Quyết định số 7456/QĐ-UBND ngày 21/12/2020 của UBND huyện về việc giao chỉ tiêu năm 2021, Nghị quyết số 65/NQ-HĐND",
        "giao chỉ tiêu năm 2021",
    ),
    (
        "thực hiện tốt Nghị quyết 52/2019/NQ-HĐND về cơ chế, chính sách hỗ trợ nhà ở giai đoạn 2020-2025. Phối hợp",
        "cơ chế, chính sách hỗ trợ nhà ở giai đoạn 2020-2025",
    ),
    ("Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ và quy định cơ chế thu", None),
]


@pytest.mark.parametrize(("text", "subject"), SUBJECTS)
def test_subject_is_the_ve_phrase(text: str, subject: str | None) -> None:
    assert _cite(text)[0].subject == subject


# ---------------------------------------------------------------------------------------------------
# Laws cited by name
# ---------------------------------------------------------------------------------------------------

LAWS = [
    ("tham gia bảo hiểm y tế theo Luật bảo hiểm y tế. Thực hiện", "Luật bảo hiểm y tế", "Luật"),
    ("Căn cứ Luật Ngân sách nhà nước năm 2015;", "Luật Ngân sách nhà nước năm 2015", "Luật"),
    ("bảo đảm quyền lợi theo Bộ luật Lao động, Luật Việc làm", "Bộ luật Lao động", "Bộ luật"),
    (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Luật Tổ chức chính quyền địa phương",
        "Luật",
    ),
    ("theo Luật Phòng, chống thiên tai (sửa đổi)", "Luật Phòng, chống thiên tai", "Luật"),
    ("theo Luật bảo hiểm y tế và hướng dẫn của Bộ Y tế", "Luật bảo hiểm y tế", "Luật"),
    ("theo Luật Bảo vệ và Phát triển rừng;", "Luật Bảo vệ và Phát triển rừng", "Luật"),
    (
        "thực hiện Luật Ban hành văn bản quy phạm pháp luật hiện hành",
        "Luật Ban hành văn bản quy phạm pháp luật",
        "Luật",
    ),
    ("Căn cứ Hiến pháp năm 2013;", "Hiến pháp năm 2013", "Hiến pháp"),
    (
        "theo Pháp lệnh Ưu đãi người có công với cách mạng;",
        "Pháp lệnh Ưu đãi người có công với cách mạng",
        "Pháp lệnh",
    ),
]


@pytest.mark.parametrize(("text", "title", "type_name"), LAWS)
def test_law_cited_by_name(text: str, title: str, type_name: str) -> None:
    found = _cite(text)
    assert (found[0].title, found[0].type, found[0].symbol) == (title, type_name, None)


def test_law_with_name_and_number_is_one_document() -> None:
    text = "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13 ngày 25/6/2015; chi đúng Luật Ngân sách nhà nước."
    law = _one(text)
    assert (law.symbol, law.title, law.type, law.date.iso) == (
        "83/2015/QH13",
        "Luật Ngân sách nhà nước",
        "Luật",
        "2015-06-25",
    )
    assert len(law.mentions) == 2


def test_amending_law_names_the_laws_it_amends() -> None:
    text = (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
        "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
    )
    local, amending = _cite(text)
    assert (local.date.iso, len(local.mentions)) == ("2015-06-19", 1)
    assert amending.title.endswith("của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương")
    assert amending.date.iso == "2019-11-22"


# ---------------------------------------------------------------------------------------------------
# Not citations
# ---------------------------------------------------------------------------------------------------

NOT_CITATIONS = [
    "các xã ngoài Chương trình 30a và Chương trình 135",
    "mô hình thuộc Chương trình mục tiêu quốc gia giảm nghèo bền vững",
    "thực hiện Dự án 5 và Tiểu dự án 1 của Dự án 4",
    "Ủy ban nhân dân xã xây dựng kế hoạch giảm nghèo năm 2024",
    "phổ biến những quy định của pháp luật, chính sách của nhà nước",
    "chính sách Pháp luật của Nhà nước",
    "tổ chức học tập Luật sư, chấp hành kỷ luật",
    "thực hiện theo luật định",
    "Luật này có hiệu lực",
    "(Kèm theo Kế hoạch số: /KH-UBND ngày 22 /02/2024 của UBND phường Quảng Minh)",
    "Số: 267/KH-UBND",
    "báo cáo theo Mẫu số 01/BC-LĐTBXH trước ngày 15/12/2022",
    "tỷ lệ 20 - 22%, giai đoạn 2021-2025, ngày 10/01/2024, 1.424 hộ",
    "Theo Nghị quyết của HĐND xã",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_a_citation(text: str) -> None:
    assert _cite(text) == []


def test_the_plans_own_number_is_not_cited_again_in_its_appendix() -> None:
    text = (
        "Số: 125/KH-UBND\nKẾ HOẠCH\nI. MỤC TIÊU\nPHỤ LỤC\n(Kèm theo Kế hoạch số 125/KH-UBND ngày 15/3/2022)"
    )
    assert _cite(text) == []
    assert _cite("Số: 125/KH-UBND\nTheo Kế hoạch số 125/KH-UBND;") == []


# ---------------------------------------------------------------------------------------------------
# One citation per document, roles, mentions
# ---------------------------------------------------------------------------------------------------


def test_first_mention_without_date_takes_the_later_date() -> None:
    citation = _one("theo 46/2015/QĐ-TTg. Hỗ trợ theo Quyết định số 46/2015/QĐ-TTg ngày 28/9/2015.")
    assert [mention.date is None for mention in citation.mentions] == [True, False]
    assert citation.date.iso == "2015-09-28"
    assert citation.type == "Quyết định"


def test_document_in_preamble_and_body_is_basis_and_body_only_is_reference() -> None:
    text = "Căn cứ Quyết định số 9/QĐ-UBND ngày 03/02/2021;\nI. NỘI DUNG\ntheo Quyết định số 9/QĐ-UBND và Kế hoạch số 4/KH-UBND."
    preamble_end = text.index("I. NỘI DUNG")
    decision, plan = find_citations(text_plan(text, preamble_end))
    assert (decision.role, len(decision.mentions)) == ("basis", 2)
    assert plan.role == "reference"


def test_symbols_differing_only_in_leading_zeros_or_case_are_one_document() -> None:
    citation = _one("Chương trình số 03/CTr-UBND ngày 09/01/2023; theo Chương trình 3/CTR-UBND.")
    assert citation.symbol == "03/CTr-UBND"
    assert len(citation.mentions) == 2


def test_yearless_law_name_joins_the_same_law_with_its_year() -> None:
    law = _one("Căn cứ Luật Ngân sách nhà nước năm 2015; chi trả đúng Luật Ngân sách nhà nước.")
    assert law.title == "Luật Ngân sách nhà nước năm 2015"
    assert len(law.mentions) == 2


def test_mentions_carry_raw_text_section_and_page() -> None:
    text = "Căn cứ Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ;\nI. NỘI DUNG\nTheo Nghị định 86/2015/NĐ-CP."
    body = text.index("I. NỘI DUNG")
    citation = find_citations(text_plan(text, body, pages=(1, 2, 2)))[0]
    first, second = citation.mentions
    assert first.raw == "Nghị định số 86/2015/NĐ-CP ngày 02/10/2015 của Chính phủ"
    assert second.raw == "Nghị định 86/2015/NĐ-CP"
    assert [(first.section_id, first.page), (second.section_id, second.page)] == [(None, 1), ("s1", 2)]
    for mention in citation.mentions:
        assert text[mention.span.start : mention.span.end] == mention.raw


@given(
    st.text(alphabet="Nghị quyết định số Luật 0123456789/-NQĐCPUBND ngày tháng năm của về;.,\n", max_size=200)
)
def test_any_text_gives_valid_spans(text: str) -> None:
    for citation in find_citations(text_plan(text, len(text) // 2)):
        assert citation.symbol or citation.title
        for mention in citation.mentions:
            assert 0 <= mention.span.start < mention.span.end <= len(text)
            assert text[mention.span.start : mention.span.end] == mention.raw
