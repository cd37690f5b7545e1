"""Mixed PDFs decided page by page: a text layer that reads is read, one in a legacy font is repaired, and one
that reads as nothing (the glyph codes of a font without a usable Unicode map) is OCR'd, the choice recorded in
``source.page_reads`` (issue 12).

The PDFs are written here by hand, with Helvetica in WinAnsiEncoding and the page's bytes as a legacy font would
store them: a .VnTime page is its TCVN3 bytes ("Céng hoµ" for "Cộng hoà"), which PDFium reads back as Western
letters, as it reads a real .VnTime PDF without a Unicode map.
"""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractor import extract_document
from extractor.ingest import read_document
from extractor.ingest.pdf import MIN_JUDGED_WORDS, is_readable_word, judge_text_layer
from extractor.normalize.legacy import TCVN3, VNI, convert_legacy, encode_legacy, restore_tcvn3_u_horn
from models.document import PageRead
from tests.conftest import SEEDS

SEED_000 = SEEDS / "000_18cf555f364dcc13.pdf"
PAGE_WIDTH, PAGE_HEIGHT = 595, 842
FONT_SIZE = 11
LINE_CHARACTERS = 80
DPI = 300

# Sentences of seed 000 (corpus/seeds/000_18cf555f364dcc13.txt), as its plan writes them.
PLAN_SENTENCES = [
    "Ủy ban nhân dân xã Cao Nhân xây dựng kế hoạch giảm nghèo trên địa bàn xã năm 2024, cụ thể như sau:",
    "Thực hiện các biện pháp hỗ trợ nâng cao mức sống của người dân, giúp các hộ nghèo cải thiện điều kiện "
    "sống, sinh hoạt vươn lên thoát nghèo nhằm đẩy nhanh tốc độ giảm nghèo, không còn hộ tái nghèo và hộ "
    "nghèo mới phát sinh; củng cố thành quả giảm nghèo.",
    "Giảm bớt chênh lệch về mức sống giữa các bộ phận dân cư, góp phần ổn định chính trị xã hội, đẩy nhanh "
    "tốc độ công nghiệp hóa, hiện đại hóa của xã, huyện và thành phố.",
    "Giảm nghèo và thực hiện các giải pháp giảm nghèo cần có sự quan tâm lãnh đạo, chỉ đạo của cấp ủy đảng, "
    "chính quyền, đoàn thể chính trị - xã hội từ xã đến các ban ngành.",
]


def _no_ocr(*arguments: object) -> None:
    raise AssertionError("Tesseract was asked to read a page whose text layer reads")


# ---------------------------------------------------------------------------------------------- PDFs


def wrapped(sentence: str, width: int = LINE_CHARACTERS) -> list[str]:
    """A sentence cut into lines of at most ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in sentence.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _pdf_string(line: str) -> bytes:
    """A line as a PDF literal string of WinAnsi bytes: "Céng (hoµ)" -> b"(C\\xe9ng \\(ho\\xb5\\))"."""
    data = line.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_operators(paragraphs: list[list[str]], invisible: bool = False) -> bytes:
    """Content-stream text: each paragraph's lines one under another, a blank line between paragraphs;
    ``invisible`` draws nothing (render mode 3), as an OCR'd PDF lays its text over the scan."""
    operators, y = [], PAGE_HEIGHT - 60
    for lines in paragraphs:
        for line in lines:
            mode = b"3 Tr " if invisible else b""
            operators.append(b"BT %s/F1 %d Tf 50 %d Td %s Tj ET" % (mode, FONT_SIZE, y, _pdf_string(line)))
            y -= round(1.4 * FONT_SIZE)
        y -= FONT_SIZE
    return b"\n".join(operators)


def image_operators(image: Image.Image) -> bytes:
    return b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (PAGE_WIDTH, PAGE_HEIGHT)


def one_page_pdf(content: bytes, image: Image.Image | None = None) -> bytes:
    """A one-page A4 PDF: ``content`` with Helvetica (WinAnsiEncoding) as /F1 and ``image`` (grayscale) as
    /Im1, written object by object with its cross-reference table."""
    xobject = b" /XObject << /Im1 6 0 R >>" if image is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 4 0 R >>%s >> "
        b"/Contents 5 0 R >>" % (PAGE_WIDTH, PAGE_HEIGHT, xobject),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    if image is not None:
        pixels = zlib.compress(image.tobytes())
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (image.width, image.height, len(pixels), pixels)
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()


def written(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def garbage_words(count: int, seed: int = 12) -> list[str]:
    """What a font without a usable Unicode map gives: Latin-1 letters and symbols no converter makes into
    Vietnamese ("Ëåüß ÷Ò¿")."""
    rng = random.Random(seed)
    alphabet = [chr(code) for code in range(0xC0, 0x100)] + list("¤¥¦§¨©ª«¬®¯°±²³´¶·¸¹º»¼½¾¿")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(2, 6))) for _ in range(count)]


def seed_page_image(index: int = 0) -> Image.Image:
    document = pdfium.PdfDocument(SEED_000)
    try:
        return document[index].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------ (a) a .VnTime text layer


def test_a_tcvn3_text_layer_is_repaired_not_ocrd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert all(convert_legacy(encode_legacy(s, TCVN3), TCVN3) == s for s in PLAN_SENTENCES)
    paragraphs = [wrapped(encode_legacy(sentence, TCVN3)) for sentence in PLAN_SENTENCES]
    path = written(tmp_path, "vntime.pdf", one_page_pdf(text_operators(paragraphs)))
    monkeypatch.setattr("extractor.ingest.ocr.ocr_image", _no_ocr)
    document = extract_document(path)
    assert document.source.encoding == TCVN3
    assert document.source.page_reads == [
        PageRead(
            page=1, method="legacy_font", reason="text layer in the TCVN3 legacy font, converted to Unicode"
        )
    ]
    assert one_line(document.text) == one_line(" ".join(PLAN_SENTENCES))


def test_the_u_horn_a_vntime_pdf_gives_as_a_hyphen_is_put_back() -> None:
    """TCVN3 "ư" is the byte 0xAD, WinAnsi's "hyphen": PDFium reads "ng-êi" for "người"."""
    hyphened = encode_legacy(PLAN_SENTENCES[1], TCVN3).replace("\xad", "-")
    assert "ng-êi" in hyphened
    assert convert_legacy(hyphened, TCVN3) == PLAN_SENTENCES[1]
    assert restore_tcvn3_u_horn("Sè 15/KH-UBND, kinh tÕ-x· héi, 2020-2025, - T¨ng") == (
        "Sè 15/KH-UBND, kinh tÕ-x· héi, 2020-2025, - T¨ng"
    )


# ------------------------------------------------------------------------- (b) a text layer of glyph codes


def test_an_unreadable_text_layer_over_a_scan_is_ocrd(tmp_path: Path) -> None:
    """Seed 000's first page as an image, under an invisible text layer of glyph codes: what shows is read."""
    image = seed_page_image(0)
    words = garbage_words(300)
    paragraphs = [wrapped(" ".join(words[start : start + 30])) for start in range(0, len(words), 30)]
    content = image_operators(image) + b"\n" + text_operators(paragraphs, invisible=True)
    path = written(tmp_path, "glyph-codes.pdf", one_page_pdf(content, image))
    document = read_document(path)
    [read] = document.source.page_reads
    assert read.method == "ocr" and read.confidence is not None
    assert read.reason is not None and read.reason.startswith("text layer unreadable (")
    assert "KẾ HOẠCH" in "\n".join(block.text for block in document.blocks)


def test_a_scanned_page_says_it_had_no_text_layer(tmp_path: Path) -> None:
    image = seed_page_image(0)
    path = written(tmp_path, "scan.pdf", one_page_pdf(image_operators(image), image))
    [read] = read_document(path).source.page_reads
    assert read.method == "ocr" and read.reason == "no text layer"


# ------------------------------------------------------------------------------ (c) typed Unicode seeds


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.pdf")), ids=lambda path: path.stem[:3])
def test_a_typed_unicode_seed_is_read_as_text_on_every_page(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("extractor.ingest.ocr.ocr_image", _no_ocr)
    document = extract_document(path)
    assert document.source.encoding is None and document.source.page_reads
    assert all(read.method == "text" and read.reason is None for read in document.source.page_reads)


# --------------------------------------------------------------------------------- (d) a page of figures


def test_a_page_of_table_figures_stays_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows of figures with a few odd labels ("§§", a unit mark) are a table, not glyph codes."""
    rows = [
        f"{row} {120 + 7 * row} {35 + row} {(35 + row) / (120 + 7 * row) * 100:.2f}% {row * 3}".replace(
            ".", ","
        )
        for row in range(1, 40)
    ]
    rows[::6] = [f"{row} §§ ¤" for row in rows[::6]]
    path = written(tmp_path, "figures.pdf", one_page_pdf(text_operators([rows])))
    monkeypatch.setattr("extractor.ingest.ocr.ocr_image", _no_ocr)
    document = extract_document(path)
    assert document.source.page_reads == [PageRead(page=1, method="text")]
    assert "2 134 37 27,61% 6" in document.text and "§§ ¤" in document.text


# ------------------------------------------------------------------------------------ the measure itself

UNICODE_PLAN = " ".join(PLAN_SENTENCES)


@pytest.mark.parametrize(
    ("text", "readable", "encoding"),
    [
        (UNICODE_PLAN, True, None),
        (encode_legacy(UNICODE_PLAN, TCVN3), True, TCVN3),
        (encode_legacy(UNICODE_PLAN, VNI), True, VNI),
        (encode_legacy(UNICODE_PLAN, TCVN3).replace("\xad", "-"), True, TCVN3),
        (" ".join(garbage_words(200)), False, None),
        # table figures, with codes and English beside Vietnamese
        ("1 2.405 1.203 50,02% 2 1.980 990 50,00% " * 6, True, None),
        (
            "Số: 57/KH-UBND ngày 08/3/2023 của UBND tỉnh; HĐND, BCĐ, NĐ-CP; xem https://dichvucong.gov.vn "
            "(Online Public Service) và email vpub@tuyenquang.gov.vn " * 3,
            True,
            None,
        ),
        (" ".join(garbage_words(MIN_JUDGED_WORDS - 1)), True, None),  # too few words to tell
    ],
    ids=[
        "unicode",
        "tcvn3",
        "vni",
        "tcvn3-hyphen",
        "glyph-codes",
        "figures",
        "codes",
        "few-words",
    ],
)
def test_text_layer_judgement(text: str, readable: bool, encoding: str | None) -> None:
    judged = judge_text_layer(text)
    assert judged.readable is readable
    if readable and judged.words >= MIN_JUDGED_WORDS:
        assert judged.encoding == encoding
    if not readable:
        assert (
            judged.share < 0.5
            and judged.reason == f"text layer unreadable ({round(100 * judged.share)}% of its words readable)"
        )


@pytest.mark.parametrize(
    ("word", "readable"),
    [
        ("hoạch", True),
        ("QUỐC", True),
        ("2.405", True),
        ("1,09%", True),
        ("20ha", True),
        ("KH-UBND", True),
        ("07/2021/NĐ-CP", True),
        ("HĐND", True),
        ("xã/phường", True),
        ("www.tuyenquang.gov.vn", True),
        ("héi", False),
        ("hoøa", False),
        ("Ëåüß", False),
        ("&RQJ", False),
    ],
)
def test_readable_words(word: str, readable: bool) -> None:
    assert is_readable_word(word) is readable
