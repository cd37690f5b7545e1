"""OCR of a page image with Tesseract: its words, boxes and confidences, as glyphs the PDF layout reads.

A scanned page goes through the same layout as a typed one (``pdf_layout``: lines, columns, paragraphs,
reading order, page furniture), so an OCR'd plan has the same document model: blocks with page, box and
span, each block also with the mean confidence of its words. Each OCR word becomes glyphs spread evenly over
its box, set on its OCR line's band, so that the layout joins the words of one line and no two lines.

Why the ``tesseract`` command, one process per page, with TSV output (words with their boxes and
confidences): it is bare Tesseract, so the path costs nothing over it but rendering the page (a 300-dpi page
takes 1.9 s to recognise and 0.1 s to render and hand over, measured on the seeds); it runs single-threaded
(``OMP_THREAD_LIMIT=1``: Tesseract's own threads make it four times slower on two busy cores), so pages or
documents can run side by side without contending; and a page that hangs or crashes Tesseract costs one
process, which the document runner's time limit then stops. OCRmyPDF would add deskewing and a text layer at
about 35% more time, and its text layer would then be read again by the PDF reader; tesserocr would save the
process start (about 30 ms a page, under 2%) at the price of a compiled dependency tied to one libtesseract.
Nothing is downloaded: the Vietnamese data comes from Debian's ``tesseract-ocr-vie``.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import statistics
import subprocess
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import InputError
from extractor.ingest.image_lines import ruled_tables_in_image
from extractor.ingest.pdf_grid import FoundTable
from extractor.ingest.pdf_layout import Glyph
from models.document import PageRead
from models.provenance import LOW_CONFIDENCE

TESSERACT = "tesseract"
# Pixels per inch pages are rendered at for OCR: Tesseract reads body text best at 300 dpi.
OCR_DPI = 300
POINTS_PER_INCH = 72
# A word's box runs from the top of its tallest letter (or mark) to the bottom of its lowest: about 1.15 of
# the font size for Vietnamese text, whose capitals carry marks above.
BOX_HEIGHT_PER_FONT_SIZE = 1.15
TSV_COLUMNS = 12
WORD_LEVEL = "5"
# Seconds Tesseract may take on one page (a 300-dpi page takes 2): past it the page fails the document, even
# where no document runner watches (``extract_document`` called in process).
PAGE_SECONDS = 300
INSTALL_HINT = "install tesseract-ocr and tesseract-ocr-vie"


@dataclass(frozen=True)
class OcrWord:
    """One word Tesseract read, with its box in pixels and its confidence (0 to 1), and the line it is on
    (block, paragraph and line numbers of the TSV, unique within the page)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: tuple[int, int, int]


def tesseract_available(language: str) -> bool:
    """True when the ``tesseract`` command is on PATH and has the data of ``language`` ("vie")."""
    return language in (_languages() or ())


@functools.cache
def _languages() -> tuple[str, ...] | None:
    command = shutil.which(TESSERACT)
    if command is None:
        return None
    try:
        listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def ocr_image(path: Path, image: Any, language: str, dpi: int = OCR_DPI) -> list[OcrWord]:
    """The words of a grayscale PIL ``image`` scanned at ``dpi``, in Tesseract's reading order.

    Raises ``InputError`` when Tesseract or its ``language`` data is missing or it fails on the image.
    """
    command = shutil.which(TESSERACT)
    if command is None:
        raise InputError(path, f"OCR needs Tesseract ({INSTALL_HINT}); not found")
    picture = io.BytesIO()
    image.save(picture, format="PPM")  # uncompressed: nothing to encode or decode on either side
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    arguments = [command, "stdin", "stdout", "-l", language, "--dpi", str(dpi), "tsv"]
    try:
        finished = subprocess.run(
            arguments,
            input=picture.getbuffer(),  # no second copy of a page that may be 100 MB
            capture_output=True,
            env=environment,
            check=False,
            timeout=PAGE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise InputError(path, f"OCR of a page took longer than {PAGE_SECONDS} s") from None
    except OSError as error:
        raise InputError(path, f"Tesseract could not run ({error.strerror or error})") from None
    if finished.returncode != 0:
        detail = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit code {finished.returncode}"
        if "Failed loading language" in " ".join(detail):
            reason = f"no Tesseract data for language '{language}' ({INSTALL_HINT})"
        raise InputError(path, f"OCR failed ({reason})")
    return parse_tsv(finished.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Tesseract's TSV rows of level 5 (words) with text, in order.

    ``"5\\t1\\t2\\t1\\t3\\t1\\t638\\t289\\t120\\t40\\t96.5\\tKẾ"`` -> OcrWord("KẾ", 638, 289, 120, 40, 0.965,
    (2, 1, 3)).
    """
    words: list[OcrWord] = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < TSV_COLUMNS or fields[0] != WORD_LEVEL or not fields[11].strip():
            continue
        try:
            block, paragraph, line = int(fields[2]), int(fields[3]), int(fields[4])
            left, top, width, height = (int(value) for value in fields[6:10])
            confidence = max(0.0, min(1.0, float(fields[10]) / 100))
        except ValueError:
            continue
        words.append(
            OcrWord(fields[11].strip(), left, top, width, height, confidence, (block, paragraph, line))
        )
    return words


def words_as_glyphs(words: list[OcrWord], dpi: int = OCR_DPI) -> list[Glyph]:
    """Glyphs in points (top-left origin) for the layout: each word's letters spread over its box, all on
    their line's band (its top and bottom the median of its words'), a space before each word but a line's
    first. The glyphs carry their word's confidence."""
    scale = POINTS_PER_INCH / dpi
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    glyphs: list[Glyph] = []
    for line_words in lines.values():
        top = statistics.median(word.top for word in line_words) * scale
        bottom = statistics.median(word.top + word.height for word in line_words) * scale
        size = max((bottom - top) / BOX_HEIGHT_PER_FONT_SIZE, 1.0)
        for position, word in enumerate(line_words):
            step = word.width * scale / len(word.text)
            left = word.left * scale
            for index, char in enumerate(word.text):
                glyphs.append(
                    Glyph(
                        text=char,
                        x0=left + index * step,
                        x1=left + (index + 1) * step,
                        top=top,
                        bottom=bottom,
                        baseline=bottom,
                        size=size,
                        bold=False,
                        italic=False,
                        space_before=index == 0 and position > 0,
                        order=len(glyphs),
                        confidence=word.confidence,
                    )
                )
    return glyphs


def mean_confidence(words: list[OcrWord]) -> float | None:
    """The mean confidence of ``words`` weighted by their letters; None without words."""
    letters = sum(len(word.text) for word in words)
    if not letters:
        return None
    return sum(word.confidence * len(word.text) for word in words) / letters


def read_page_image(
    path: Path, image: Any, number: int, language: str, dpi: int
) -> tuple[list[Glyph], PageRead]:
    """Page ``number``'s image read by Tesseract: its glyphs for the layout and how it was read (its mean
    confidence, and whether that is below ``LOW_CONFIDENCE``)."""
    words = ocr_image(path, image, language, dpi)
    confidence = mean_confidence(words)
    read = PageRead(
        page=number,
        method="ocr",
        confidence=round(confidence, 4) if confidence is not None else None,
        low_confidence=confidence is not None and confidence < LOW_CONFIDENCE,
    )
    return words_as_glyphs(words, dpi), read


class OcrPool:
    """Page images read side by side: at most ``workers`` Tesseract processes at once, results in page order.

    Threads mostly wait here (each page's words are a ``tesseract`` process; its rules are found with numpy,
    which lets go of the interpreter), so two workers use two cores
    (``--workers``, the one budget of processes: each Tesseract runs single-threaded). At most twice
    ``workers`` rendered pages wait in memory; ``submit`` blocks on the oldest past that.

        with OcrPool(path, "vie", workers=2) as pool:
            pending = [pool.submit(image, number, 300) for number, image in pages]
            results = [future.result() for future in pending]
    """

    def __init__(self, path: Path, language: str, workers: int) -> None:
        self.path = path
        self.language = language
        self.workers = max(1, workers)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="khplan-ocr")
        self._in_flight: deque[Future[ScannedPage]] = deque()

    def __enter__(self) -> OcrPool:
        return self

    def __exit__(self, *exception: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(self, image: Any, number: int, dpi: int) -> Future[ScannedPage]:
        while len(self._in_flight) >= 2 * self.workers:
            self._in_flight.popleft().result()
        future = self._executor.submit(read_scanned_page, self.path, image, number, self.language, dpi)
        self._in_flight.append(future)
        return future


@dataclass(frozen=True)
class ScannedPage:
    """What a scanned page gives: its glyphs, how it was read, and the ruled tables of its image."""

    glyphs: list[Glyph]
    read: PageRead
    tables: list[FoundTable]


def read_scanned_page(path: Path, image: Any, number: int, language: str, dpi: int) -> ScannedPage:
    """A page image's words (Tesseract) and table rules (``image_lines``), both found in a pool thread."""
    glyphs, read = read_page_image(path, image, number, language, dpi)
    return ScannedPage(glyphs, read, ruled_tables_in_image(image, dpi))
