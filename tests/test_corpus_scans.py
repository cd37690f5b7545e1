"""The scanned corpus (corpus/scans.py): committed clean pages, and image-only variants rebuilt on demand.

Only the 300-dpi pages (corpus/scans/pages/*.png) are committed; the fast tests build the cheap variants
from them into a temporary folder (the scan300 PDFs of every seed, every variant of seed 001) and read them
with pypdfium2 and Pillow. The slow tests rebuild everything twice (bytes must match) and run ``--check``
over every seed.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
PAGES = ROOT / "corpus" / "scans" / "pages"
SCRIPT = ROOT / "corpus" / "scans.py"
S001 = "001_1747db98b33217c6"
ALL_SEEDS = ("000_18cf555f364dcc13", S001, "002_724ff193a1037eed", "004_ab6f31fa12f1256e")
SEED_PAGES = {"000_18cf555f364dcc13": 8, S001: 6, "002_724ff193a1037eed": 10, "004_ab6f31fa12f1256e": 10}
IMAGE_ONLY = ("scan300", "scan200", "scan300-degraded")


@cache
def scans_module():
    spec = importlib.util.spec_from_file_location("corpus_scans", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_scans"] = module
    spec.loader.exec_module(module)
    return module


def page_reads(path: Path) -> list[tuple[float, float, int, int]]:
    """Per page of a PDF: width and height in points, characters of its text layer, image objects."""
    document = pdfium.PdfDocument(path)
    try:
        result = []
        for page in document:
            width, height = page.get_size()
            chars = page.get_textpage().count_chars()
            images = sum(isinstance(obj, pdfium.PdfImage) for obj in page.get_objects())
            result.append((width, height, chars, images))
        return result
    finally:
        document.close()


def seed_page_sizes(stem: str) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(SEEDS / f"{stem}.pdf")
    try:
        return [page.get_size() for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def scan300_dir(tmp_path_factory) -> Path:
    """The scan300 PDF of every seed, made from the committed pages (a fraction of a second)."""
    scans = scans_module()
    folder = tmp_path_factory.mktemp("scan300")
    for stem in ALL_SEEDS:
        path = scans.variant_path(folder, stem, "scan300")
        path.write_bytes(scans.image_pdf(scans.variant_pages(stem, "scan300")))
    return folder


@pytest.fixture(scope="module")
def built_001(tmp_path_factory) -> Path:
    """Every file of seed 001 (pages, three image-only PDFs, mixed PDF, TIFF): about 4 s."""
    folder = tmp_path_factory.mktemp("scans-001")
    scans_module().build([S001], folder)
    return folder


# ---------------------------------------------------------------------------------------------------
# The committed pages
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_one_committed_page_per_seed_page_and_no_other(stem):
    expected = [f"{stem}.p{n:02d}.png" for n in range(1, SEED_PAGES[stem] + 1)]
    assert sorted(path.name for path in PAGES.glob(f"{stem}.p*.png")) == expected
    assert len(seed_page_sizes(stem)) == SEED_PAGES[stem]


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_committed_pages_are_grayscale_at_300_dpi_of_the_seed_page_size(stem):
    for number, (width, height) in enumerate(seed_page_sizes(stem), start=1):
        with Image.open(PAGES / f"{stem}.p{number:02d}.png") as image:
            assert image.mode == "L"
            assert [round(value) for value in image.info["dpi"]] == [300, 300]
            assert abs(image.width - width * 300 / 72) <= 1
            assert abs(image.height - height * 300 / 72) <= 1


def test_committed_pages_are_under_the_size_budget():
    assert sum(path.stat().st_size for path in PAGES.glob("*.png")) < 20_000_000


def test_only_the_pages_and_the_readme_are_meant_to_be_committed():
    ignored = (ROOT / "corpus" / "scans" / ".gitignore").read_text(encoding="utf-8").split()
    assert "*.pdf" in ignored
    assert "*.tif" in ignored


# ---------------------------------------------------------------------------------------------------
# The variants
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_scan300_pdf_is_image_only_with_the_seed_pages(scan300_dir, stem):
    reads = page_reads(scans_module().variant_path(scan300_dir, stem, "scan300"))
    assert len(reads) == SEED_PAGES[stem]
    for (width, height, chars, images), (seed_width, seed_height) in zip(
        reads, seed_page_sizes(stem), strict=True
    ):
        assert chars == 0
        assert images == 1
        assert abs(width - seed_width) < 0.5
        assert abs(height - seed_height) < 0.5


def test_scan300_pdf_holds_exactly_the_committed_pixels(scan300_dir):
    document = pdfium.PdfDocument(scans_module().variant_path(scan300_dir, S001, "scan300"))
    try:
        (image,) = [obj for obj in document[2].get_objects() if isinstance(obj, pdfium.PdfImage)]
        embedded = image.get_bitmap().to_pil().convert("L")
    finally:
        document.close()
    with Image.open(PAGES / f"{S001}.p03.png") as committed:
        assert embedded.tobytes() == committed.convert("L").tobytes()


@pytest.mark.parametrize("variant", IMAGE_ONLY)
def test_image_only_variants_of_001_have_no_text_and_the_seed_pages(built_001, variant):
    reads = page_reads(scans_module().variant_path(built_001, S001, variant))
    assert len(reads) == SEED_PAGES[S001]
    assert all(chars == 0 and images == 1 for _, _, chars, images in reads)


def test_mixed_pdf_keeps_the_text_of_its_typed_pages_and_has_none_on_page_2(built_001):
    path = scans_module().variant_path(built_001, S001, "mixed")
    reads = page_reads(path)
    assert len(reads) == SEED_PAGES[S001]
    assert reads[1][2:] == (0, 1)
    assert all(chars > 500 for index, (_, _, chars, _) in enumerate(reads) if index != 1)
    mixed, seed = pdfium.PdfDocument(path), pdfium.PdfDocument(SEEDS / f"{S001}.pdf")
    try:
        for index in (0, 2, 5):
            assert mixed[index].get_textpage().get_text_range() == seed[index].get_textpage().get_text_range()
    finally:
        mixed.close()
        seed.close()


def test_tiff_has_every_page_at_300_dpi_compressed(built_001):
    path = scans_module().variant_path(built_001, S001, "tiff")
    with Image.open(path) as tiff:
        assert tiff.n_frames == SEED_PAGES[S001]
        for frame in range(tiff.n_frames):
            tiff.seek(frame)
            assert tiff.mode == "L"
            assert [round(value) for value in tiff.info["dpi"]] == [300, 300]
            assert tiff.info["compression"] == "tiff_adobe_deflate"
        tiff.seek(1)
        with Image.open(PAGES / f"{S001}.p02.png") as committed:
            assert tiff.tobytes() == committed.tobytes()
    assert path.stat().st_size < sum(p.stat().st_size for p in PAGES.glob(f"{S001}.p*.png")) * 1.2


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_degradation_plan_skews_compresses_and_lowers_one_page(stem):
    plan = scans_module().degradation_plan(stem, SEED_PAGES[stem])
    assert [step.page for step in plan] == list(range(1, SEED_PAGES[stem] + 1))
    assert [step.dpi for step in plan].count(150) == 1
    assert {step.dpi for step in plan} == {150, 300}
    assert all(0.5 <= abs(step.angle) <= 1.5 for step in plan)
    assert all(60 <= step.jpeg_quality <= 70 for step in plan)
    assert plan == scans_module().degradation_plan(stem, SEED_PAGES[stem])


def test_signs_of_the_skew_vary_over_the_corpus():
    angles = [
        step.angle for stem in ALL_SEEDS for step in scans_module().degradation_plan(stem, SEED_PAGES[stem])
    ]
    assert min(angles) < 0 < max(angles)


def test_degraded_pdf_pages_are_jpeg_one_at_150_dpi_on_the_same_paper(built_001):
    scans = scans_module()
    plan = scans.degradation_plan(S001, SEED_PAGES[S001])
    document = pdfium.PdfDocument(scans.variant_path(built_001, S001, "scan300-degraded"))
    try:
        for step, page, (seed_width, _) in zip(plan, document, seed_page_sizes(S001), strict=True):
            (image,) = [obj for obj in page.get_objects() if isinstance(obj, pdfium.PdfImage)]
            assert image.get_filters() == ["DCTDecode"]
            width, _ = image.get_px_size()
            assert abs(width - seed_width * step.dpi / 72) <= 1
            assert abs(page.get_size()[0] - seed_width) < 1
    finally:
        document.close()


def test_degraded_page_differs_from_the_clean_one_but_keeps_its_size():
    scans = scans_module()
    clean = scans.variant_pages(S001, "scan300")
    step = next(step for step in scans.degradation_plan(S001, len(clean)) if step.dpi == 300)
    source = clean[step.page - 1]
    degraded = scans.degrade(source.image(), step, scans.noise_random(S001, step.page))
    with Image.open(io.BytesIO(degraded.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (source.width, source.height)
        assert image.tobytes() != source.image().tobytes()


def test_built_pdfs_carry_no_date(built_001):
    for path in built_001.glob("*.pdf"):
        data = path.read_bytes()
        assert b"CreationDate" not in data
        assert b"ModDate" not in data


def test_mixed_pdf_identifier_is_pinned_to_its_content():
    scans = scans_module()
    page = scans.variant_pages(S001, "scan300")[1]
    first = scans.mixed_pdf(SEEDS / f"{S001}.pdf", page, 2)
    assert first == scans.mixed_pdf(SEEDS / f"{S001}.pdf", page, 2)


# ---------------------------------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------------------------------


def test_check_passes_for_seed_001():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--only", "001"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_check_names_a_stale_a_missing_and_a_stray_page(tmp_path):
    """A two-page stand-in for seed 001 (its pages 5 and 6) keeps the rendering short."""
    scans = scans_module()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    short = pdfium.PdfDocument.new()
    seed = pdfium.PdfDocument(SEEDS / f"{S001}.pdf")
    short.import_pages(seed, [4, 5])
    short.save(seeds / f"{S001}.pdf")
    short.close()
    seed.close()
    pages = tmp_path / "scans" / "pages"
    pages.mkdir(parents=True)
    for number, page in enumerate(scans.rendered_clean_pages(S001, 300, seeds), start=1):
        (pages / f"{S001}.p{number:02d}.png").write_bytes(page.data)
    assert scans.check([S001], tmp_path / "scans", seeds) == []
    shutil.move(pages / f"{S001}.p01.png", pages / f"{S001}.p03.png")
    with Image.open(pages / f"{S001}.p02.png") as image:
        image.rotate(1, fillcolor=255).save(pages / f"{S001}.p02.png", dpi=(300, 300))
    problems = scans.check([S001], tmp_path / "scans", seeds)
    assert [problem.split(": ")[1] for problem in problems] == [
        "missing",
        "differs from a fresh rendering",
        "no such page in the seed",
    ]


def test_only_takes_a_seed_number_or_its_full_name():
    scans = scans_module()
    assert scans.select_stems(["001"]) == [S001]
    assert scans.select_stems([S001, "001"]) == [S001]
    assert scans.select_stems(None) == list(ALL_SEEDS)
    with pytest.raises(SystemExit):
        scans.select_stems(["003"])


# ---------------------------------------------------------------------------------------------------
# Slow: every seed
# ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_check_passes_for_every_seed():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_every_variant_is_byte_identical_from_committed_or_rendered_pages(tmp_path):
    scans = scans_module()
    from_pages = scans.build(ALL_SEEDS, tmp_path / "a")
    rendered = scans.build(ALL_SEEDS, tmp_path / "b", pages_dir=None)
    assert [path.relative_to(tmp_path / "a") for path in from_pages] == [
        path.relative_to(tmp_path / "b") for path in rendered
    ]
    for first, second in zip(from_pages, rendered, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    for stem in ALL_SEEDS:
        for variant in IMAGE_ONLY:
            reads = page_reads(scans.variant_path(tmp_path / "a", stem, variant))
            assert len(reads) == SEED_PAGES[stem]
            assert all(chars == 0 and images == 1 for _, _, chars, images in reads)
