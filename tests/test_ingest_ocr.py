"""Scanned plans: pages without a text layer and page images are read by Tesseract into the same document model.

The scans here are the seeds' own typed PDFs rendered to images (pypdfium2, 300 dpi, grayscale), so what the
OCR'd document must hold is what the typed rendering holds: its citations, its targets, its section kinds.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

from extractor import extract_document
from extractor.errors import InputError
from extractor.ingest import read_document
from extractor.ingest.ocr import OcrWord, parse_tsv, words_as_glyphs
from extractor.options import ExtractOptions
from models.document import LOW_CONFIDENCE
from tests.conftest import SEEDS

SEED_000 = SEEDS / "000_18cf555f364dcc13.pdf"
SEED_001 = SEEDS / "001_1747db98b33217c6.pdf"
DPI = 300


def page_images(pdf: Path, dpi: int = DPI, pages: list[int] | None = None) -> list[Image.Image]:
    """The pages of a typed PDF as grayscale images, as a scanner at ``dpi`` would give them."""
    document = pdfium.PdfDocument(pdf)
    numbers = pages if pages is not None else list(range(len(document)))
    return [document[n].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in numbers]


def image_only_pdf(images: list[Image.Image], path: Path) -> Path:
    images[0].save(path, save_all=True, append_images=images[1:], resolution=DPI)
    return path


# ---------------------------------------------------------------------------------------------- the TSV


TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "4\t1\t1\t1\t1\t0\t100\t200\t400\t50\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t100\t200\t150\t50\t96.5\tKẾ\n"
    "5\t1\t1\t1\t1\t2\t270\t205\t230\t45\t91\tHOẠCH\n"
    "5\t1\t1\t1\t2\t1\t100\t300\t90\t40\t40\t1,09%\n"
    "5\t1\t1\t1\t2\t2\t200\t300\t90\t40\t95\t \n"
)


def test_tsv_words_keep_their_box_confidence_and_line() -> None:
    words = parse_tsv(TSV)
    assert [word.text for word in words] == ["KẾ", "HOẠCH", "1,09%"]
    assert words[0] == OcrWord("KẾ", 100, 200, 150, 50, 0.965, (1, 1, 1))
    assert words[2].line == (1, 1, 2) and words[2].confidence == 0.4


def test_words_become_glyphs_on_their_line_band_in_points() -> None:
    glyphs = words_as_glyphs(parse_tsv(TSV), dpi=DPI)
    assert "".join(glyph.text for glyph in glyphs) == "KẾHOẠCH1,09%"
    first_line = glyphs[:7]
    # the band: the median of its words' tops (200, 205) and bottoms (250, 250), in points
    assert {(glyph.top, glyph.bottom) for glyph in first_line} == {(202.5 * 72 / DPI, 250 * 72 / DPI)}
    assert [glyph.space_before for glyph in first_line] == [False, False, True, False, False, False, False]
    assert glyphs[0].x0 == pytest.approx(100 * 72 / DPI) and glyphs[6].x1 == pytest.approx(500 * 72 / DPI)
    assert {glyph.confidence for glyph in glyphs[7:]} == {0.4}


# ---------------------------------------------------------------------------------------------- images


def test_a_page_image_is_read_with_its_confidence(tmp_path: Path) -> None:
    [page] = page_images(SEED_000, pages=[0])
    path = tmp_path / "page.png"
    page.save(path, dpi=(DPI, DPI))
    document = read_document(path)
    assert document.source.format == "image" and document.source.pages == 1
    [read] = document.source.page_reads
    assert read.method == "ocr" and read.confidence is not None and read.confidence > 0.85
    text = "\n".join(block.text for block in document.blocks)
    assert "KẾ HOẠCH" in text
    assert all(block.confidence is not None and block.page == 1 and block.bbox for block in document.blocks)


def test_a_multi_page_tiff_is_one_page_per_frame(tmp_path: Path) -> None:
    frames = page_images(SEED_000, dpi=200, pages=[0, 1])
    path = tmp_path / "scan.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(200, 200))
    document = read_document(path)
    assert [read.page for read in document.source.page_reads] == [1, 2]
    assert {block.page for block in document.blocks} == {1, 2}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.png", b"", "the file is empty"),
        ("bad.tif", b"II*\x00" + b"\x01" * 64, "corrupt image (its header cannot be read)"),
        ("bad.png", b"not a png", "corrupt image (no PNG signature)"),
    ],
)
def test_a_broken_image_fails_with_one_line(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert str(raised.value) == f"{path}: {reason}"


def test_an_image_past_max_pixels_is_refused_before_ocr(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("L", (12_000, 9_000), 255).save(path)  # 108 megapixels, a few hundred KB on disk
    started = time.monotonic()
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert str(raised.value) == (
        f"{path}: page 1 is 12000 × 9000 pixels, more than 50,000,000 (limit --max-pixels)"
    )
    assert time.monotonic() - started < 5


def test_an_image_with_no_words_says_so(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (600, 800), 255).save(path, dpi=(DPI, DPI))
    with pytest.raises(InputError, match="Tesseract read no words"):
        read_document(path)


# ---------------------------------------------------------------------------------------------- PDFs


def test_a_mixed_pdf_is_ocred_on_its_scanned_page_only(tmp_path: Path) -> None:
    """Seed 000's typed pages with its page 2 replaced by that page's 300-dpi image."""
    typed = pdfium.PdfDocument(SEED_000)
    scanned = pdfium.PdfDocument(image_only_pdf(page_images(SEED_000, pages=[1]), tmp_path / "p2.pdf"))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(typed, [0])
    mixed.import_pages(scanned, [0])
    mixed.import_pages(typed, list(range(2, len(typed))))
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    document = read_document(path)
    methods = [read.method for read in document.source.page_reads]
    assert methods == ["text", "ocr", *["text"] * (len(typed) - 2)]
    ocr_blocks = [block for block in document.blocks if block.confidence is not None]
    assert ocr_blocks and {block.page for block in ocr_blocks} == {2}
    typed_page_2 = [block.text for block in read_document(SEED_000).blocks if block.page == 2]
    assert typed_page_2 and len(ocr_blocks) >= len(typed_page_2) // 2


def test_ocr_never_refuses_a_scan_and_blank_pages_cost_no_ocr(tmp_path: Path) -> None:
    scan = image_only_pdf(page_images(SEED_000, dpi=100, pages=[0]), tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"no text layer \(a scanned PDF\) and OCR is off"):
        read_document(scan, ExtractOptions(ocr="never"))
    blank = pdfium.PdfDocument.new()
    for _ in range(200):
        blank.new_page(595, 842)
    path = tmp_path / "blank.pdf"
    blank.save(path)
    started = time.monotonic()
    with pytest.raises(InputError, match="no text"):
        read_document(path)
    assert time.monotonic() - started < 10  # 200 pages, no image on any: nothing to OCR


def _entities(document: Any) -> tuple[list[Any], list[Any], list[Any]]:
    citations = sorted(
        (citation.symbol, citation.date.iso if citation.date else None) for citation in document.citations
    )
    targets = sorted((target.indicator.key, target.value, target.unit) for target in document.targets)
    kinds = [section.kinds for section in document.sections]
    return citations, targets, kinds


@pytest.mark.slow
def test_a_scanned_seed_gives_what_its_typed_rendering_gives(tmp_path: Path) -> None:
    """Seed 001 as an image-only PDF at 300 dpi: the same citations (with dates), targets and section kinds
    as the typed PDF; its per-village table is not yet rebuilt from the image (issue 12, tables in scans)."""
    scan = image_only_pdf(page_images(SEED_001), tmp_path / "scan.pdf")
    scanned = extract_document(scan)
    typed = extract_document(SEED_001)
    assert _entities(scanned) == _entities(typed)
    assert all(read.method == "ocr" and not read.low_confidence for read in scanned.source.page_reads)
    assert all(
        read.confidence is not None and read.confidence > LOW_CONFIDENCE for read in scanned.source.page_reads
    )
    for field in ("issuer", "title", "doc_type", "unit"):
        assert getattr(scanned.metadata, field).value == getattr(typed.metadata, field).value, field
