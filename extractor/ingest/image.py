"""Read a scanned page image (PNG, JPEG, TIFF with one page per frame) into a ``RawDocument`` by OCR.

Each frame is one page: converted to grayscale, read by Tesseract at the resolution the file states (300 dpi
when it states none, or an implausible one), and laid out as the PDF reader lays out a page
(``pdf.lay_out_pages``), so a photographed or scanned plan has the same document model as a typed PDF: blocks
with page, box in points and the confidence of their words. The size is checked from the header, before a
pixel is decoded: a frame past ``--max-pixels`` or a file of more frames than ``--max-pages`` is refused.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path
from typing import Any

from extractor.errors import InputError
from extractor.ingest.limits import format_count, limit_reason
from extractor.ingest.ocr import OCR_DPI, POINTS_PER_INCH, OcrPool
from extractor.ingest.pdf import PageText, lay_out_pages
from extractor.options import ExtractOptions
from models.document import RawDocument, SourceInfo

# Resolutions a scan may state; outside them the header is wrong (72 is a screen default) and 300 is assumed.
PLAUSIBLE_DPI = range(100, 1201)
NO_WORDS = "no text: Tesseract read no words in the image (a photograph, or a blank page?)"


def read_image(path: Path, data: bytes, options: ExtractOptions | None = None) -> RawDocument:
    """Read every frame of an image file by OCR. Raises ``InputError`` for a damaged image, one past the
    limits, one in which Tesseract reads no word, and when Tesseract is missing."""
    options = options if options is not None else ExtractOptions()
    with warnings.catch_warnings():  # PIL's warnings (EXIF, size) would print past the one-line messages
        warnings.simplefilter("ignore")
        return _read_frames(path, data, options)


def _read_frames(path: Path, data: bytes, options: ExtractOptions) -> RawDocument:
    from PIL import Image

    image = _open(path, data)
    frames = getattr(image, "n_frames", 1)
    if frames > options.max_pages:
        what = f"the image has {format_count(frames)} pages, more than {format_count(options.max_pages)}"
        raise InputError(path, limit_reason(what, "max_pages"))
    pages: list[PageText] = []
    with OcrPool(path, options.ocr_lang, options.workers) as pool:
        for index in range(frames):
            try:
                image.seek(index)
            except (EOFError, OSError, ValueError) as error:
                raise InputError(path, f"corrupt image (page {index + 1}: {error})") from None
            _check_pixels(path, image, index + 1, options.max_pixels)
            dpi = stated_resolution(image)
            try:
                gray = image.convert("L")
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                raise InputError(path, f"corrupt image ({error})") from None
            width, height = (size * POINTS_PER_INCH / dpi for size in gray.size)
            pages.append(PageText(index + 1, width, height, [], [], ocr=pool.submit(gray, index + 1, dpi)))
        pages = [page.resolved() for page in pages]
    if not any(page.glyphs for page in pages):
        raise InputError(path, NO_WORDS)
    blocks, furniture = lay_out_pages(pages, {page.number: page.tables for page in pages if page.tables})
    source = SourceInfo(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format="image",
        pages=len(pages),
        page_reads=[page.read for page in pages if page.read is not None],
    )
    return RawDocument(source=source, blocks=blocks, page_furniture=furniture)


def _open(path: Path, data: bytes) -> Any:
    """The image, its header read (no pixel decoded yet); ``InputError`` for one PIL cannot read."""
    from PIL import Image, UnidentifiedImageError

    # khplan checks the size itself, from the header, against --max-pixels (``_check_pixels``); Pillow's own
    # decompression-bomb ceiling (about 179 megapixels) would otherwise refuse, in the flag's name, an image
    # that a raised --max-pixels lets in.
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise InputError(path, "corrupt image (its header cannot be read)") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise InputError(path, f"corrupt image ({error})") from None
    except Image.DecompressionBombError:
        raise InputError(path, "the image is larger than any scanned page (limit --max-pixels)") from None


def _check_pixels(path: Path, image: Any, page: int, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        what = f"page {page} is {width} × {height} pixels, more than {format_count(max_pixels)}"
        raise InputError(path, limit_reason(what, "max_pixels"))


def stated_resolution(image: Any) -> int:
    """The dots per inch a Pillow image states, when plausible for a scan; else ``OCR_DPI`` (the resolution a
    scan is read at, and its page size in points is computed from)."""
    stated = image.info.get("dpi")
    try:
        dpi = round(float(stated[0])) if stated else OCR_DPI
    except (TypeError, ValueError, IndexError):
        return OCR_DPI
    return dpi if dpi in PLAUSIBLE_DPI else OCR_DPI
