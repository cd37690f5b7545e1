"""The committed DOCX and PDF renderings of the seeds (corpus/render.py) have what the reader tests rely on.

Fast tests read the committed files with python-docx and pypdfium2; one slow test rebuilds a seed with
LibreOffice. Expected values (signers, authority lines, part counts, table shapes) were read off the seed
texts by hand.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
S000, S001, S002, S004 = (
    "000_18cf555f364dcc13",
    "001_1747db98b33217c6",
    "002_724ff193a1037eed",
    "004_ab6f31fa12f1256e",
)
ALL_SEEDS = (S000, S001, S002, S004)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def render_module():
    spec = importlib.util.spec_from_file_location("corpus_render", ROOT / "corpus" / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_render"] = module
    spec.loader.exec_module(module)
    return module


@cache
def word_document(stem: str):
    import docx

    return docx.Document(str(SEEDS / f"{stem}.docx"))


def body_children(stem: str) -> list:
    """Paragraphs (w:p) and tables (w:tbl) of the body, in order."""
    return [el for el in word_document(stem).element.body if el.tag in (f"{W}p", f"{W}tbl")]


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def cell_elements(tbl) -> list[list]:
    return [row.findall(f"{W}tc") for row in tbl.findall(f"{W}tr")]


def cell_text(tc) -> str:
    return "\n".join(paragraph_text(p) for p in tc.findall(f"{W}p"))


def is_borderless(tbl) -> bool:
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    if borders is None or len(borders) < 4:
        return False
    no_cell_borders = all(tc.find(f"{W}tcPr/{W}tcBorders") is None for tc in tbl.iter(f"{W}tc"))
    return all(side.get(f"{W}val") in ("nil", "none") for side in borders) and no_cell_borders


def table_style(tbl) -> str | None:
    style = tbl.find(f"{W}tblPr/{W}tblStyle")
    return None if style is None else style.get(f"{W}val")


def tables(stem: str) -> list:
    return [el for el in body_children(stem) if el.tag == f"{W}tbl"]


def grid_spans(tbl) -> list[list[tuple[str, int, str | None]]]:
    """Per row, each cell as (text, gridSpan, vMerge value or None)."""
    rows = []
    for tcs in cell_elements(tbl):
        row = []
        for tc in tcs:
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            merge_value = None if merge is None else (merge.get(f"{W}val") or "continue")
            row.append((cell_text(tc), int(span.get(f"{W}val")) if span is not None else 1, merge_value))
        rows.append(row)
    return rows


def seed_text(stem: str) -> str:
    return (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    """Words after NFC, with Markdown emphasis markers removed."""
    return unicodedata.normalize("NFC", re.sub(r"\*+", "", text)).split()


# ---------------------------------------------------------------------------------------------------
# Header and signature: borderless layout tables
# ---------------------------------------------------------------------------------------------------

HEADER_CELLS = {
    S000: [["ỦY BAN NHÂN DÂN\nXÃ CAO NHÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"],
           ["Số: /KH-UBND", "Cao Nhân, ngày tháng 01 năm 2024"]],
    S002: [["Số: /KH-UBND", "Quảng Minh, ngày tháng năm 2024"]],
    S004: [["Số: 267/KH-UBND", "Yên Châu, ngày 19 tháng 10 năm 2021"]],
}  # fmt: skip


@pytest.mark.parametrize("stem", sorted(HEADER_CELLS))
def test_header_is_the_first_block_and_a_borderless_two_column_table(stem):
    first = body_children(stem)[0]
    assert first.tag == f"{W}tbl"
    assert is_borderless(first)
    assert table_style(first) in (None, "TableNormal")
    assert [[cell_text(tc) for tc in row] for row in cell_elements(first)] == HEADER_CELLS[stem]


def test_header_place_and_date_is_italic_and_issuing_body_bold():
    header = word_document(S000).tables[0]
    assert all(run.bold for p in header.cell(0, 0).paragraphs for run in p.runs)
    assert all(run.italic for run in header.cell(1, 1).paragraphs[0].runs)


def test_seed_without_header_or_signature_has_no_layout_table():
    first = body_children(S001)[0]
    assert first.tag == f"{W}p" and paragraph_text(first).strip() == "KẾ HOẠCH"
    assert not [tbl for tbl in tables(S001) if is_borderless(tbl)]


SIGNATURES = {
    S000: (4, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Văn Tiến"),
    S002: (8, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Nguyễn Thị Hương"),
    S004: (9, ["TM. ỦY BAN NHÂN DÂN", "KT, CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Vì Văn Ngọc"),
}


def signature_table(stem: str):
    found = [tbl for tbl in tables(stem) if is_borderless(tbl) and "Nơi nhận" in paragraph_text(tbl)]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("stem", sorted(SIGNATURES))
def test_signature_is_a_borderless_table_recipients_left_authority_right(stem):
    recipient_count, authority, signer = SIGNATURES[stem]
    (left, right) = cell_elements(signature_table(stem))[0]
    left_lines = [paragraph_text(p) for p in left.findall(f"{W}p")]
    assert left_lines[0] == "Nơi nhận:"
    assert len(left_lines) == 1 + recipient_count
    assert all(line.startswith("- ") for line in left_lines[1:])
    right_lines = [paragraph_text(p) for p in right.findall(f"{W}p")]
    assert right_lines[: len(authority)] == authority
    assert right_lines[-1] == signer
    assert "" in right_lines[len(authority) : -1]  # room for the signature


def test_recipients_use_a_smaller_font_than_the_body():
    cell = word_document(S004).tables[-1].cell(0, 0)
    sizes = {run.font.size.pt for p in cell.paragraphs[1:] for run in p.runs}
    assert sizes and max(sizes) < 14


def test_appendix_follows_the_signature_in_its_own_landscape_section():
    blocks = body_children(S002)
    signature_at = blocks.index(signature_table(S002))
    appendix_at = next(i for i, el in enumerate(blocks) if paragraph_text(el).startswith("PHỤ LỤC"))
    data_at = next(i for i, el in enumerate(blocks) if el.tag == f"{W}tbl" and not is_borderless(el))
    assert signature_at < appendix_at < data_at
    last_section = word_document(S002).sections[-1]
    assert last_section.page_width > last_section.page_height


# ---------------------------------------------------------------------------------------------------
# Automatic list numbering in 000 and 004, literal numbers in 001 and 002
# ---------------------------------------------------------------------------------------------------

# Parts and their "1." children counted in the seed texts by hand.
NUMBERED = {S000: (3, [2, 3, 7]), S004: (7, [2, 2, 2, 3, 5, 0, 8])}


def numbered_paragraphs(stem: str) -> list[tuple[int, int, str]]:
    """(numId, ilvl, text) of each paragraph that carries numPr."""
    found = []
    for p in body_children(stem):
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if p.tag == f"{W}p" and num_pr is not None:
            level = int(num_pr.find(f"{W}ilvl").get(f"{W}val"))
            num_id = int(num_pr.find(f"{W}numId").get(f"{W}val"))
            found.append((num_id, level, paragraph_text(p)))
    return found


def abstract_levels(stem: str, num_id: int) -> dict[int, tuple[str, str]]:
    numbering = word_document(stem).part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == str(num_id))
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(
        a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id
    )
    return {
        int(lvl.get(f"{W}ilvl")): (
            lvl.find(f"{W}numFmt").get(f"{W}val"),
            lvl.find(f"{W}lvlText").get(f"{W}val"),
        )
        for lvl in abstract.findall(f"{W}lvl")
    }


@pytest.mark.parametrize("stem", sorted(NUMBERED))
def test_parts_and_their_children_use_word_numbering(stem):
    parts, children_per_part = NUMBERED[stem]
    numbered = numbered_paragraphs(stem)
    assert len({num_id for num_id, _, _ in numbered}) == 1
    levels = [level for _, level, _ in numbered]
    assert levels.count(0) == parts
    counts = [len(run) for run in "".join(map(str, levels)).split("0")[1:]]
    assert counts == children_per_part
    assert abstract_levels(stem, numbered[0][0])[0] == ("upperRoman", "%1.")
    assert abstract_levels(stem, numbered[0][0])[1] == ("decimal", "%2.")


@pytest.mark.parametrize("stem", sorted(NUMBERED))
def test_numbered_paragraphs_lost_their_literal_numbers(stem):
    for _, _, text in numbered_paragraphs(stem):
        assert not re.match(r"\s*(?:[IVXLC]+|\d+)\.\s", text), text
    all_text = [paragraph_text(p) for p in body_children(stem) if p.tag == f"{W}p"]
    assert not [t for t in all_text if re.match(r"[IVXLC]+\.\s", t)]


def test_numbered_headings_are_bold_with_a_bold_label():
    for p in word_document(S000).paragraphs:
        if p._p.find(f"{W}pPr/{W}numPr") is not None and p.text == "Mục đích, yêu cầu":
            assert all(run.bold for run in p.runs)
            assert p._p.find(f"{W}pPr/{W}rPr/{W}b") is not None
            return
    pytest.fail("heading 'Mục đích, yêu cầu' not found")


@pytest.mark.parametrize("stem", [S001, S002])
def test_literal_numbering_seeds_carry_no_numpr(stem):
    assert numbered_paragraphs(stem) == []
    texts = [paragraph_text(p) for p in body_children(stem) if p.tag == f"{W}p"]
    assert "I. MỤC TIÊU, CHỈ TIÊU" in texts


# ---------------------------------------------------------------------------------------------------
# Data tables with merged header cells
# ---------------------------------------------------------------------------------------------------


def data_table(stem: str):
    found = [tbl for tbl in tables(stem) if not is_borderless(tbl)]
    assert len(found) == 1
    assert table_style(found[0]) == "TableGrid"
    return found[0]


def test_village_table_of_001_has_two_header_rows_and_merged_groups():
    tbl = data_table(S001)
    rows = grid_spans(tbl)
    assert len(rows) == 2 + 13 + 1
    assert len(tbl.findall(f"{W}tblGrid/{W}gridCol")) == 15
    assert all(sum(span for _, span, _ in row) == 15 for row in rows)
    assert rows[0][:3] == [
        ("TT", 1, "restart"),
        ("Đơn vị", 1, "restart"),
        ("Tổng số hộ gia đình", 1, "restart"),
    ]
    assert [(text, span) for text, span, _ in rows[0][3:]] == [
        ("Hộ nghèo đầu năm 2021", 2),
        ("Giảm hộ nghèo trong năm 2021", 2),
        ("Hộ nghèo cuối năm 2021", 2),
        ("Hộ cận nghèo đầu năm 2021", 2),
        ("Giảm CN trong năm 2021", 2),
        ("Hộ CN cuối năm 2021", 2),
    ]
    assert [merge for _, _, merge in rows[1][:3]] == ["continue"] * 3
    assert [text for text, _, _ in rows[1][3:]] == ["TS", "%"] * 6
    assert rows[2][:4] == [("1", 1, None), ("Cây Tắt", 1, None), ("183", 1, None), ("4", 1, None)]
    assert rows[-1][0] == ("Tổng cộng", 2, None)
    assert [text for text, _, _ in rows[-1][1:]][6] == "1,94%"


def test_appendix_table_of_002_has_three_header_rows_and_merged_groups():
    rows = grid_spans(data_table(S002))
    assert len(rows) == 3 + 1 + 5 + 1
    assert all(sum(span for _, span, _ in row) == 15 for row in rows)
    assert rows[0] == [
        ("TT", 1, "restart"),
        ("Thôn", 1, "restart"),
        ("Tổng số hộ dân cư", 1, "restart"),
        ("HỘ NGHÈO", 6, None),
        ("HỘ CẬN NGHÈO", 6, None),
    ]
    assert [merge for _, _, merge in rows[1][:3]] == ["continue"] * 3
    assert [(text, span) for text, span, _ in rows[1][3:]] == [
        ("Phê duyệt cuối năm 2023", 2),
        ("Có khả năng thoát nghèo 2024", 2),
        ("Cuối năm 2024", 2),
        ("Phê duyệt cuối năm 2023", 2),
        ("Có khả năng thoát cận nghèo 2024", 2),
        ("Cuối năm 2024", 2),
    ]
    assert [merge for _, _, merge in rows[2][:3]] == ["continue"] * 3
    assert [text for text, _, _ in rows[2][3:]] == ["Số hộ", "Tỷ lệ %"] * 6
    assert [text for text, _, _ in rows[3]] == ["A", "B", "I", *map(str, range(2, 14))]
    assert [text for text, _, _ in rows[4][:4]] == ["1", "TDP Khả Lý Thượng", "1.011", "7"]
    assert [text for text, _, _ in rows[-1][:3]] == ["", "Cộng", "2.991"]


# ---------------------------------------------------------------------------------------------------
# Same words as the seed
# ---------------------------------------------------------------------------------------------------


def roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def docx_text_with_labels(stem: str) -> str:
    """Body text in order (cells row by row), each auto-numbered paragraph preceded by the label Word
    shows for it ("II.", "3."), computed here from the numPr levels."""
    counters = [0, 0]
    pieces = []
    for el in body_children(stem):
        if el.tag == f"{W}tbl":
            pieces.extend(cell_text(tc) for row in cell_elements(el) for tc in row)
            continue
        num_pr = el.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            level = int(num_pr.find(f"{W}ilvl").get(f"{W}val"))
            counters[level] += 1
            if level == 0:
                counters[1] = 0
            pieces.append(f"{roman(counters[0])}." if level == 0 else f"{counters[1]}.")
        pieces.append(paragraph_text(el))
    return "\n".join(pieces)


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_docx_holds_exactly_the_seed_words(stem):
    assert words(docx_text_with_labels(stem)) == words(seed_text(stem))


def test_docx_keeps_markdown_emphasis_as_runs_not_markers():
    runs = [run for p in word_document(S002).paragraphs for run in p.runs]
    assert not [run.text for run in runs if "*" in run.text]
    bold = {run.text for run in runs if run.bold}
    italic = {run.text for run in runs if run.italic}
    assert "Đối với hộ nghèo có khả năng lao động:" in bold
    assert "trừ các trường hợp hưởng bảo trợ xã hội, không có khả năng thoát nghèo" in italic


def test_paragraph_split_by_a_page_break_is_one_docx_paragraph():
    text = seed_text(S000)
    assert "tổ\n\nchức triển khai" in text
    joined = [
        p.text for p in word_document(S000).paragraphs if "trong việc chỉ đạo, tổ chức triển khai" in p.text
    ]
    assert len(joined) == 1


def test_seed_001_keeps_its_decomposed_marks_and_no_break_spaces():
    text = "".join(p.text for p in word_document(S001).paragraphs)
    assert "\u00a0" in text
    assert unicodedata.normalize("NFC", text) != text


# ---------------------------------------------------------------------------------------------------
# Page setup, footers, determinism
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_a4_page_with_a_page_field_in_the_footer(stem):
    document = word_document(stem)
    first = document.sections[0]
    assert round(first.page_width.cm, 1) == 21.0 and round(first.page_height.cm, 1) == 29.7
    assert round(first.left_margin.cm, 1) == 3.0
    for section in document.sections:
        footer = section.footer._element
        instructions = "".join(el.text or "" for el in footer.iter(f"{W}instrText"))
        assert "PAGE" in instructions
        assert footer.find(f".//{W}jc").get(f"{W}val") == "center"


def document_xml(docx_bytes: bytes) -> bytes:
    """The body part alone: python-docx's template parts may change between its versions."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_committed_docx_is_what_render_py_writes_now(stem):
    render = render_module()
    fresh = render.render_docx(seed_text(stem), auto_numbering=stem in render.AUTO_NUMBERED_SEEDS)
    committed = (SEEDS / f"{stem}.docx").read_bytes()
    assert document_xml(fresh) == document_xml(committed), "stale: run corpus/render.py"


def test_docx_core_properties_are_fixed():
    properties = word_document(S000).core_properties
    assert properties.created.year == 2024 and properties.created == properties.modified
    assert properties.title == "KẾ HOẠCH Giảm nghèo năm 2024 trên địa bàn xã Cao Nhân"


def test_seed_texts_are_the_shared_seeds_unchanged():
    shared = ROOT.parent / "shared" / "seeds"
    assert shared.is_dir(), "the shared seeds belong beside the repository (../shared/seeds), as in CI"
    for stem in ALL_SEEDS:
        assert (SEEDS / f"{stem}.txt").read_bytes() == (shared / f"{stem}.txt").read_bytes()


# ---------------------------------------------------------------------------------------------------
# PDFs: a text layer, page numbers, the seed's words
# ---------------------------------------------------------------------------------------------------


@cache
def pdf_pages(stem: str) -> tuple[str, ...]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SEEDS / f"{stem}.pdf"))
    try:
        return tuple(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_every_pdf_page_has_text_ending_with_its_page_number(stem):
    pages = pdf_pages(stem)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert len(lines) > 3
        assert lines[-1] == str(number)


def join_hyphen_breaks(pages) -> str:
    """Page texts joined, with a line broken after the hyphen of "12-NQ/ĐU" joined back."""
    return re.sub(r"(\w-)\s*\n\s*(?=\w)", r"\1", "\n".join(pages))


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_pdf_text_has_the_seed_words_plus_page_numbers(stem):
    pages = pdf_pages(stem)
    text = join_hyphen_breaks(pages)
    extra = Counter(words(text)) - Counter(words(seed_text(stem)))
    missing = Counter(words(seed_text(stem))) - Counter(words(text))
    assert not missing
    assert extra == Counter(str(n) for n in range(1, len(pages) + 1))


@pytest.mark.parametrize("stem", [S001, S002])
def test_pdf_shows_the_table_header_groups(stem):
    text = unicodedata.normalize("NFC", " ".join(" ".join(page.split()) for page in pdf_pages(stem)))
    expected = "HỘ NGHÈO" if stem == S002 else "Hộ nghèo cuối năm"
    assert expected in text


# ---------------------------------------------------------------------------------------------------
# The parsers inside render.py
# ---------------------------------------------------------------------------------------------------

plain_pieces = st.text(alphabet=st.sampled_from("aăâđêôơư ỦỸ,.:;()-0123456789\n"), min_size=1, max_size=12)


STYLES = {"**": (True, False), "*": (False, True), "***": (True, True)}


@given(
    st.lists(st.tuples(plain_pieces, st.sampled_from(sorted(STYLES)), plain_pieces), min_size=1, max_size=5)
)
def test_emphasis_markers_round_trip_to_runs(pieces):
    """Plain text, then an emphasised piece ("**bold**", "*italic*", "***both***"), repeated."""
    render = render_module()
    marked = "".join(plain + marker + emphasised + marker for plain, marker, emphasised in pieces)
    runs = render.parse_emphasis(marked)
    assert "".join(run.text for run in runs) == "".join(plain + emphasised for plain, _, emphasised in pieces)
    expected_flags = []
    for plain, marker, emphasised in pieces:
        expected_flags += [(False, False)] * len(plain) + [STYLES[marker]] * len(emphasised)
    assert [(run.bold, run.italic) for run in runs for _ in run.text] == expected_flags


def test_unclosed_marker_stays_literal_text():
    render = render_module()
    assert render.plain_text("3 * 4 = 12") == "3 * 4 = 12"


@pytest.mark.parametrize(
    ("rows", "merged"),
    [
        # a group over two columns, "TT" down two header rows
        ([["TT", "Nhóm", ""], ["", "TS", "%"], ["1", "2", "3"]], {(0, 0): (2, 1), (0, 1): (1, 2)}),
        # a one-cell-per-line header row short of the grid: groups share the columns evenly
        ([["TT", "A", "B"], ["", "TS", "%", "TS", "%"], ["1", "2", "3", "4", "5"]], {(0, 0): (2, 1), (0, 1): (1, 2), (0, 3): (1, 2)}),
        # a total row one cell short: its label takes two columns
        ([["TT", "Tên", "Số"], ["1", "Xã A", "5"], ["Cộng", "5"]], {(2, 0): (1, 2)}),
    ],
)  # fmt: skip
def test_table_merges_from_exported_rows(rows, merged):
    table = render_module().build_grid_table(rows)
    found = {
        (c.row, c.col): (c.row_span, c.col_span) for c in table.cells if c.row_span > 1 or c.col_span > 1
    }
    assert found == merged


# ---------------------------------------------------------------------------------------------------
# Rebuilding with LibreOffice
# ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_render_py_rebuilds_a_seed_into_a_temporary_folder(tmp_path):
    command = [sys.executable, str(ROOT / "corpus" / "render.py"), "--out-dir", str(tmp_path), S004]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    fresh = (tmp_path / f"{S004}.docx").read_bytes()
    assert document_xml(fresh) == document_xml((SEEDS / f"{S004}.docx").read_bytes())
    # Line breaks depend on the fonts installed, so compare what does not: numbered pages, the same words.
    pages = render_module().pdf_page_texts(tmp_path / f"{S004}.pdf")
    assert len(pages) >= 2
    assert [page.split()[-1] for page in pages] == [str(n) for n in range(1, len(pages) + 1)]
    extra = Counter(words(join_hyphen_breaks(pages))) - Counter(words(seed_text(S004)))
    assert extra == Counter(str(n) for n in range(1, len(pages) + 1))
