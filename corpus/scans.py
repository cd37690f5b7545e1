"""Make the scanned corpus: the typed seed PDFs as a scanner would have delivered them.

Each seed PDF (corpus/seeds/<stem>.pdf, typed, rendered by LibreOffice) is rendered page by page to grayscale
with pypdfium2 and written back as files that hold only images, the way a plan arrives when someone scanned
the printed copy:

- ``<stem>.scan300.pdf``: every page at 300 dpi, lossless (Flate, the pixels of ``pages/<stem>.pNN.png``);
- ``<stem>.scan200.pdf``: every page rendered at 200 dpi, lossless;
- ``<stem>.scan300-degraded.pdf``: the 300-dpi pages skewed by 0.5 to 1.5 degrees (either way), with
  Gaussian-like noise, stored as JPEG of quality 60 to 70, and one page of the document rendered at 150 dpi
  instead (same paper size, fewer pixels);
- for seed 001 only, ``<stem>.mixed.pdf`` (its typed pages, keeping their text layer, with page 2 replaced
  by its 300-dpi image) and ``<stem>.scan300.tif`` (the 300-dpi pages as one multi-page TIFF, deflate).

Everything is deterministic: each degradation draws from a random generator seeded with the seed's name and
the page number, the PDFs carry no date, and the PDF identifier of the mixed file is a hash of its content,
so two runs write the same bytes (with the same PDFium, Pillow and zlib). Only the clean 300-dpi pages
(``pages/*.png``, 15.8 MB) are committed: the variants come to about 55 MB, so they are rebuilt into a
folder on demand (``corpus/scans/.gitignore`` keeps them out of git when built in place). The 300-dpi variants
are made from the committed pages when they are there, so they stay the same when PDFium renders otherwise;
the 200-dpi and 150-dpi images are rendered from the seed PDF.

Usage::

    .venv/bin/python corpus/scans.py                      # pages and every variant into corpus/scans/
    .venv/bin/python corpus/scans.py --out /tmp/scans     # the same into another folder
    .venv/bin/python corpus/scans.py --only 001 --out /tmp/scans
    .venv/bin/python corpus/scans.py --check              # exit 1 when a committed page is stale
    .venv/bin/python corpus/scans.py --plan               # the skew, noise and quality of each degraded page
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import re
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image, ImageChops

CORPUS_DIR = Path(__file__).resolve().parent
SEEDS_DIR = CORPUS_DIR / "seeds"
SCANS_DIR = CORPUS_DIR / "scans"
PAGES_FOLDER = "pages"
SEED_STEMS = (
    "000_18cf555f364dcc13",
    "001_1747db98b33217c6",
    "002_724ff193a1037eed",
    "004_ab6f31fa12f1256e",
)

POINTS_PER_INCH = 72
CLEAN_DPI = 300
LOW_DPI = 200
DEGRADED_LOW_DPI = 150  # one page per degraded document
SKEW_DEGREES = (0.5, 1.5)
NOISE_SIGMA = (6.0, 12.0)  # gray levels (0 to 255)
JPEG_QUALITY = (60, 70)

MIXED_SEED = "001_1747db98b33217c6"
MIXED_IMAGE_PAGE = 2  # the page of the mixed PDF that is an image, 1-based
TIFF_SEED = MIXED_SEED

VARIANT_SUFFIXES = {
    "scan300": ".scan300.pdf",
    "scan200": ".scan200.pdf",
    "scan300-degraded": ".scan300-degraded.pdf",
    "mixed": ".mixed.pdf",
    "tiff": ".scan300.tif",
}
PDF_PRODUCER = "khplan corpus/scans.py"


# ---------------------------------------------------------------------------------------------------
# Page images
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageImage:
    """One encoded page: PNG (lossless) or JPEG bytes, its size in pixels and the resolution it was made at."""

    data: bytes
    codec: str  # "png" or "jpeg"
    width: int
    height: int
    dpi: int

    @property
    def suffix(self) -> str:
        return ".png" if self.codec == "png" else ".jpg"

    def image(self) -> Image.Image:
        """The decoded grayscale image."""
        with Image.open(io.BytesIO(self.data)) as image:
            return image.convert("L")


@dataclass(frozen=True)
class Degradation:
    """What is done to one page of a degraded document (page is 1-based)."""

    page: int
    dpi: int
    angle: float  # degrees, counter-clockwise
    noise_sigma: float
    jpeg_quality: int


def seed_pdf(stem: str, seeds_dir: Path = SEEDS_DIR) -> Path:
    return seeds_dir / f"{stem}.pdf"


def page_png_name(stem: str, page: int) -> str:
    """``"001_1747db98b33217c6.p02.png"`` for page 2."""
    return f"{stem}.p{page:02d}.png"


def page_count(stem: str, seeds_dir: Path = SEEDS_DIR) -> int:
    document = pdfium.PdfDocument(seed_pdf(stem, seeds_dir))
    try:
        return len(document)
    finally:
        document.close()


def render_pages(pdf_path: Path, dpi: int, pages: Iterable[int] | None = None) -> list[Image.Image]:
    """Grayscale renderings of the PDF's pages (all, or the 1-based ``pages``) at ``dpi``."""
    document = pdfium.PdfDocument(pdf_path)
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(document) + 1))
        images = []
        for number in numbers:
            page = document[number - 1]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True)
            images.append(bitmap.to_pil().convert("L"))
            page.close()
        return images
    finally:
        document.close()


def encode_png(image: Image.Image, dpi: int) -> PageImage:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return PageImage(buffer.getvalue(), "png", image.width, image.height, dpi)


def encode_jpeg(image: Image.Image, dpi: int, quality: int) -> PageImage:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi))
    return PageImage(buffer.getvalue(), "jpeg", image.width, image.height, dpi)


def rendered_clean_pages(stem: str, dpi: int, seeds_dir: Path = SEEDS_DIR) -> list[PageImage]:
    """The seed's pages rendered at ``dpi`` and stored losslessly."""
    return [encode_png(image, dpi) for image in render_pages(seed_pdf(stem, seeds_dir), dpi)]


def committed_pages(stem: str, pages_dir: Path, count: int) -> list[PageImage] | None:
    """The committed 300-dpi pages of a seed, or None when one of them is missing."""
    paths = [pages_dir / page_png_name(stem, number) for number in range(1, count + 1)]
    if not all(path.is_file() for path in paths):
        return None
    pages = []
    for path in paths:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            pages.append(PageImage(data, "png", image.width, image.height, CLEAN_DPI))
    return pages


def clean_300_pages(stem: str, seeds_dir: Path = SEEDS_DIR, pages_dir: Path | None = None) -> list[PageImage]:
    """The seed's 300-dpi pages: the committed PNGs in ``pages_dir`` when all are there, else rendered."""
    if pages_dir is not None:
        pages = committed_pages(stem, pages_dir, page_count(stem, seeds_dir))
        if pages is not None:
            return pages
    return rendered_clean_pages(stem, CLEAN_DPI, seeds_dir)


# ---------------------------------------------------------------------------------------------------
# Degradation: skew, noise, JPEG, one page at a lower resolution
# ---------------------------------------------------------------------------------------------------


def page_random(stem: str, page: int) -> random.Random:
    """The generator of one page: seeded by a string, so the same in every run and on every machine."""
    return random.Random(f"khplan-scans:{stem}:{page}")


def noise_random(stem: str, page: int) -> random.Random:
    """The generator of one page's noise, apart from its plan so that either can change alone."""
    return random.Random(f"khplan-scans:{stem}:{page}:noise")


def degradation_plan(stem: str, pages: int) -> list[Degradation]:
    """What each page of the degraded ``stem`` gets: one page drawn for 150 dpi, the rest at 300 dpi."""
    low_page = random.Random(f"khplan-scans:{stem}:low-dpi").randint(1, pages)
    plan = []
    for number in range(1, pages + 1):
        rng = page_random(stem, number)
        angle = rng.uniform(*SKEW_DEGREES) * rng.choice((-1, 1))
        sigma = rng.uniform(*NOISE_SIGMA)
        quality = rng.randint(*JPEG_QUALITY)
        dpi = DEGRADED_LOW_DPI if number == low_page else CLEAN_DPI
        plan.append(Degradation(number, dpi, round(angle, 3), round(sigma, 2), quality))
    return plan


def gaussian_noise(size: tuple[int, int], sigma: float, rng: random.Random) -> Image.Image:
    """Noise centred on gray level 128 with about ``sigma`` spread: the mean of four uniform layers."""
    count = size[0] * size[1]
    layers = [Image.frombytes("L", size, rng.randbytes(count)) for _ in range(4)]
    mean = ImageChops.add(
        ImageChops.add(layers[0], layers[1], scale=2.0),
        ImageChops.add(layers[2], layers[3], scale=2.0),
        scale=2.0,
    )
    spread = sigma / 36.95  # the standard deviation of the mean of four uniform bytes
    table = [min(255, max(0, round(128 + (value - 127.5) * spread))) for value in range(256)]
    return mean.point(table)


def degrade(image: Image.Image, step: Degradation, rng: random.Random) -> PageImage:
    """A page as a careless scan: turned by ``step.angle`` (white corners), noisy, saved as JPEG."""
    turned = image.rotate(step.angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    noisy = ImageChops.add(turned, gaussian_noise(turned.size, step.noise_sigma, rng), scale=1.0, offset=-128)
    return encode_jpeg(noisy, step.dpi, step.jpeg_quality)


def degraded_pages(
    stem: str, clean: list[PageImage], seeds_dir: Path = SEEDS_DIR
) -> tuple[list[PageImage], list[Degradation]]:
    """The degraded pages of a seed from its clean 300-dpi pages, and what was done to each."""
    plan = degradation_plan(stem, len(clean))
    pages = []
    for step, page in zip(plan, clean, strict=True):
        if step.dpi == CLEAN_DPI:
            source = page.image()
        else:
            source = render_pages(seed_pdf(stem, seeds_dir), step.dpi, [step.page])[0]
        pages.append(degrade(source, step, noise_random(stem, step.page)))
    return pages, plan


# ---------------------------------------------------------------------------------------------------
# Writing: image-only PDF, mixed PDF, multi-page TIFF
# ---------------------------------------------------------------------------------------------------


def png_image_data(data: bytes) -> bytes:
    """The zlib stream of a PNG (its IDAT chunks joined): PDF's Flate with PNG predictors reads it as is."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    offset = 8
    parts = []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            parts.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return b"".join(parts)


def pdf_number(value: float) -> str:
    """A PDF real with at most four decimals, no trailing zeros: ``595.44``."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def image_object(page: PageImage) -> tuple[str, bytes]:
    """The dictionary (without Length) and the stream of a page's image XObject."""
    common = f"/Type/XObject/Subtype/Image/Width {page.width}/Height {page.height}"
    common += "/ColorSpace/DeviceGray/BitsPerComponent 8"
    if page.codec == "jpeg":
        return common + "/Filter/DCTDecode", page.data
    parameters = f"/DecodeParms<</Predictor 15/Colors 1/BitsPerComponent 8/Columns {page.width}>>"
    return common + "/Filter/FlateDecode" + parameters, png_image_data(page.data)


def image_pdf(pages: list[PageImage]) -> bytes:
    """A PDF of one image per page, each page exactly as large as its image at its resolution.

    Objects: 1 catalog, 2 page tree, 3 document information (no dates), then page, contents and image of
    each page. No /ID: an unencrypted PDF needs none, and it would be the only thing varying between runs.
    """
    objects: list[bytes] = []

    def add(dictionary: str, stream: bytes | None = None) -> int:
        if stream is None:
            objects.append(f"<<{dictionary}>>".encode("latin-1"))
        else:
            head = f"<<{dictionary}/Length {len(stream)}>>\nstream\n".encode("latin-1")
            objects.append(head + stream + b"\nendstream")
        return len(objects)

    first_page = 4
    kids = " ".join(f"{first_page + 3 * index} 0 R" for index in range(len(pages)))
    add("/Type/Catalog/Pages 2 0 R")
    add(f"/Type/Pages/Kids[{kids}]/Count {len(pages)}")
    add(f"/Producer({PDF_PRODUCER})")
    for index, page in enumerate(pages):
        number = first_page + 3 * index
        width = pdf_number(page.width * POINTS_PER_INCH / page.dpi)
        height = pdf_number(page.height * POINTS_PER_INCH / page.dpi)
        add(
            f"/Type/Page/Parent 2 0 R/MediaBox[0 0 {width} {height}]"
            f"/Resources<</XObject<</Im0 {number + 2} 0 R>>/ProcSet[/PDF/ImageB]>>/Contents {number + 1} 0 R"
        )
        add("", f"q {width} 0 0 {height} 0 0 cm /Im0 Do Q".encode("latin-1"))
        add(*image_object(page))
    return assemble_pdf(objects)


def assemble_pdf(objects: list[bytes]) -> bytes:
    """Header, numbered objects, cross-reference table and trailer (catalog 1, information 3)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R/Info 3 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PDFIUM_ID_RE = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def pin_identifier(data: bytes) -> bytes:
    """PDFium's output with its random file identifier replaced by a hash of the content (same length, so
    the cross-reference offsets stay right)."""
    match = PDFIUM_ID_RE.search(data)
    if match is None:
        return data
    blank = data[: match.start()] + data[match.end() :]
    digest = hashlib.sha256(blank).hexdigest().upper().encode()
    first = digest[: len(match.group(1))]
    second = digest[: len(match.group(2))]
    pinned = (
        data[: match.start(1)] + first + data[match.end(1) : match.start(2)] + second + data[match.end(2) :]
    )
    assert len(pinned) == len(data)
    return pinned


def new_undated_document() -> pdfium.PdfDocument:
    """A new PDFium document whose information dictionary gets no CreationDate (machine time withheld)."""
    pdfium_raw.FPDF_SetSandBoxPolicy(pdfium_raw.FPDF_POLICY_MACHINETIME_ACCESS, False)
    try:
        return pdfium.PdfDocument.new()
    finally:
        pdfium_raw.FPDF_SetSandBoxPolicy(pdfium_raw.FPDF_POLICY_MACHINETIME_ACCESS, True)


def mixed_pdf(typed_pdf: Path, image_page: PageImage, replaced: int) -> bytes:
    """The typed PDF with page ``replaced`` (1-based) swapped for a one-image page; the other pages are
    imported as they are, text layer and fonts included."""
    typed = pdfium.PdfDocument(typed_pdf)
    scanned = pdfium.PdfDocument(image_pdf([image_page]))
    target = new_undated_document()
    try:
        count = len(typed)
        if replaced > 1:
            target.import_pages(typed, list(range(replaced - 1)))
        target.import_pages(scanned, [0])
        if replaced < count:
            target.import_pages(typed, list(range(replaced, count)))
        buffer = io.BytesIO()
        target.save(buffer)
    finally:
        target.close()
        scanned.close()
        typed.close()
    return pin_identifier(buffer.getvalue())


def multipage_tiff(pages: list[PageImage]) -> bytes:
    """The pages as one grayscale TIFF, deflate-compressed, each frame with its resolution."""
    images = [page.image() for page in pages]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=images[1:],
        compression="tiff_adobe_deflate",
        dpi=(pages[0].dpi, pages[0].dpi),
    )
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# Building, checking, command line
# ---------------------------------------------------------------------------------------------------


def variant_path(out: Path, stem: str, variant: str) -> Path:
    """``out/<stem>.scan300.pdf`` for variant "scan300" (see VARIANT_SUFFIXES)."""
    return out / f"{stem}{VARIANT_SUFFIXES[variant]}"


def variants_of(stem: str) -> tuple[str, ...]:
    """The variants made of one seed: the mixed PDF and the TIFF only of seed 001."""
    common = ("scan300", "scan200", "scan300-degraded")
    return (*common, "mixed", "tiff") if stem == MIXED_SEED else common


def variant_pages(
    stem: str, variant: str, seeds_dir: Path = SEEDS_DIR, pages_dir: Path | None = SCANS_DIR / PAGES_FOLDER
) -> list[PageImage]:
    """The page images of one image-only variant ("scan300", "scan200", "scan300-degraded", "tiff"), the
    images the variant's file holds: what a bench gives bare Tesseract."""
    if variant == "scan200":
        return rendered_clean_pages(stem, LOW_DPI, seeds_dir)
    clean = clean_300_pages(stem, seeds_dir, pages_dir)
    if variant in ("scan300", "tiff"):
        return clean
    if variant == "scan300-degraded":
        return degraded_pages(stem, clean, seeds_dir)[0]
    raise ValueError(f"{variant}: not an image-only variant")


def build_files(stem: str, seeds_dir: Path, pages_dir: Path | None) -> dict[str, bytes]:
    """Every file of one seed, by name relative to the output folder: its pages, then its variants."""
    clean = clean_300_pages(stem, seeds_dir, pages_dir)
    files = {f"{PAGES_FOLDER}/{page_png_name(stem, n)}": page.data for n, page in enumerate(clean, start=1)}
    files[variant_path(Path(), stem, "scan300").as_posix()] = image_pdf(clean)
    low = rendered_clean_pages(stem, LOW_DPI, seeds_dir)
    files[variant_path(Path(), stem, "scan200").as_posix()] = image_pdf(low)
    degraded, _ = degraded_pages(stem, clean, seeds_dir)
    files[variant_path(Path(), stem, "scan300-degraded").as_posix()] = image_pdf(degraded)
    if stem == MIXED_SEED:
        mixed = mixed_pdf(seed_pdf(stem, seeds_dir), clean[MIXED_IMAGE_PAGE - 1], MIXED_IMAGE_PAGE)
        files[variant_path(Path(), stem, "mixed").as_posix()] = mixed
    if stem == TIFF_SEED:
        files[variant_path(Path(), stem, "tiff").as_posix()] = multipage_tiff(clean)
    return files


def build(
    stems: Iterable[str],
    out: Path = SCANS_DIR,
    seeds_dir: Path = SEEDS_DIR,
    pages_dir: Path | None = SCANS_DIR / PAGES_FOLDER,
) -> list[Path]:
    """Write the pages and variants of ``stems`` into ``out``; the 300-dpi pages come from ``pages_dir``
    when it holds them all (None: always render). Returns the files written."""
    written = []
    for stem in stems:
        for name, data in build_files(stem, seeds_dir, pages_dir).items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


def check(stems: Iterable[str], scans_dir: Path = SCANS_DIR, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """The committed pages that differ from a fresh rendering, are missing, or belong to no page."""
    problems = []
    pages_dir = scans_dir / PAGES_FOLDER
    for stem in stems:
        fresh = rendered_clean_pages(stem, CLEAN_DPI, seeds_dir)
        expected = set()
        for number, page in enumerate(fresh, start=1):
            path = pages_dir / page_png_name(stem, number)
            expected.add(path.name)
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif path.read_bytes() != page.data:
                problems.append(f"{path}: differs from a fresh rendering")
        for path in sorted(pages_dir.glob(f"{stem}.p*.png")):
            if path.name not in expected:
                problems.append(f"{path}: no such page in the seed")
    return problems


def select_stems(only: list[str] | None) -> list[str]:
    """The seeds named by ``--only`` (a full stem or its number, "001"), or all of them."""
    if not only:
        return list(SEED_STEMS)
    chosen = []
    for name in only:
        matches = [stem for stem in SEED_STEMS if stem == name or stem.split("_")[0] == name]
        if not matches:
            raise SystemExit(f"scans.py: no seed named {name} (seeds: {', '.join(SEED_STEMS)})")
        chosen += [stem for stem in matches if stem not in chosen]
    return chosen


def print_plan(stems: Iterable[str]) -> None:
    """One line per page of each degraded seed: resolution, skew, noise, JPEG quality."""
    print(f"{'seed':22} {'page':>4} {'dpi':>4} {'skew°':>7} {'noise σ':>7} {'JPEG q':>6}")
    for stem in stems:
        for step in degradation_plan(stem, page_count(stem)):
            print(
                f"{stem:22} {step.page:4d} {step.dpi:4d} {step.angle:7.3f} {step.noise_sigma:7.2f} "
                f"{step.jpeg_quality:6d}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Only the pages (pages/*.png) are committed; the variants are rebuilt on demand.",
    )
    parser.add_argument("--out", type=Path, default=SCANS_DIR, help="where to write (default: corpus/scans)")
    parser.add_argument("--only", action="append", metavar="STEM", help="one seed (repeatable): 001 or full")
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed page is stale")
    parser.add_argument("--plan", action="store_true", help="print what each degraded page gets, and stop")
    parser.add_argument(
        "--render", action="store_true", help="render the 300-dpi pages even where committed ones exist"
    )
    args = parser.parse_args(argv)
    stems = select_stems(args.only)
    if args.plan:
        print_plan(stems)
        return 0
    if args.check:
        problems = check(stems)
        for problem in problems:
            print(f"{problem}; run corpus/scans.py", file=sys.stderr)
        return 1 if problems else 0
    out = args.out
    rendering_in_place = out.resolve() == SCANS_DIR.resolve()
    # Rebuilding the committed folder renders its pages afresh: they must not be copied from themselves.
    pages_dir = None if args.render or rendering_in_place else SCANS_DIR / PAGES_FOLDER
    for path in build(stems, out, SEEDS_DIR, pages_dir):
        print(f"{os.path.relpath(path)}  {path.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
