"""Character error rate of OCR on the scanned seeds: khplan's, beside bare Tesseract's on the same page images.

Usage: .venv/bin/python bench/ocr_cer.py [--scans DIR] [--only STEM] [--variants V,…] [--details] [--json]

The scanned variants come from corpus/scans.py (built into a temporary folder, or read from ``--scans DIR``
where ``corpus/scans.py --out DIR`` wrote them): ``scan300``, ``scan200``, ``scan300-degraded`` of every seed
and the multi-page TIFF of seed 001 (``tiff``). The reference of a seed is the ``text`` field of
``khplan extract`` on its typed PDF (corpus/seeds/<stem>.pdf), whose text layer is exactly what the scans
show. For each variant and seed:

- bare Tesseract: each page image taken out of the variant's file as it is stored there (the JPEG bytes of a
  degraded page, the lossless pixels of a clean one) goes through ``tesseract IMG - -l vie --dpi D``
  (``OMP_THREAD_LIMIT=1``), the pages' texts joined; the TIFF is given to Tesseract whole;
- khplan: ``khplan extract FILE``; its JSON's ``text`` field, and from ``source.page_reads`` how many pages
  were OCR'd and their mean confidence.

CER = Levenshtein distance (rapidfuzz) / length of the reference, both texts normalized first (NFC, every run
of whitespace one space). A variant's CER adds up the distances and the reference lengths of its documents.
CER counts everything that differs from the reference: misread letters and marks, but also text read in
another order (the two-column header, tables) and the page numbers, which khplan's ``text`` leaves out as page
furniture while bare Tesseract keeps them, so bare Tesseract's figure is a little high for that alone.

khplan corrects OCR text against its lexicons. When its JSON tells raw OCR text from corrected text (a field
``ocr_text``, ``ocr_raw`` or ``raw_text`` on the blocks or the document: khplan's ``blocks[].ocr_text`` is a
block's text as OCR read it, set where correction changed it), "CER khplan" is that of the raw text, each
block's span of ``text`` replaced by it, and "after corr." that of ``text``; without such a field both are
``text``'s, marked "no correction yet". A variant khplan cannot read (an image-only PDF before OCR: "no text
layer") shows the reason instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "corpus" / "seeds"
VARIANTS = ("scan300", "scan200", "scan300-degraded", "tiff")
RAW_TEXT_FIELDS = ("ocr_text", "ocr_raw", "raw_text")
NO_CORRECTION = "no correction yet"


@dataclass
class Reading:
    """One seed in one variant: the reference length and each reader's edit distance to it."""

    variant: str
    stem: str
    pages: int
    reference_chars: int
    bare_distance: int | None = None
    khplan_distance: int | None = None  # raw OCR text when the JSON has it, else the ``text`` field
    corrected_distance: int | None = None  # the ``text`` field
    raw_field: str | None = None  # where the raw OCR text was found; None: no correction yet
    ocr_pages: int | None = None
    mean_confidence: float | None = None
    bare_seconds: float = 0.0
    khplan_seconds: float = 0.0
    khplan_error: str | None = None


def scans_module() -> Any:
    """corpus/scans.py, loaded as a module (corpus/ is no package)."""
    spec = importlib.util.spec_from_file_location("corpus_scans", ROOT / "corpus" / "scans.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_scans"] = module
    spec.loader.exec_module(module)
    return module


def khplan_command() -> list[str]:
    """`khplan` next to the running interpreter, else the module run by it."""
    script = Path(sys.executable).parent / "khplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "extractor.cli"]


def normalize(text: str) -> str:
    """NFC, and every run of whitespace (line ends, form feeds, no-break spaces) one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def distance(reference: str, hypothesis: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(reference, hypothesis)


# ---------------------------------------------------------------------------------------------------
# khplan
# ---------------------------------------------------------------------------------------------------


def khplan_extract(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON of ``khplan extract path``, or None and khplan's one-line reason."""
    done = subprocess.run(
        [*khplan_command(), "extract", str(path)], capture_output=True, text=True, timeout=3600
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit {done.returncode}"
        return None, reason.removeprefix(f"{path}: ")
    return json.loads(done.stdout), None


def raw_ocr_text(document: dict[str, Any]) -> tuple[str, str] | None:
    """The OCR text before correction and the field it came from, when the JSON keeps it apart.

    A document-level string field is taken as it is; block-level ones replace their block's span of ``text``
    (blocks without one keep their text)."""
    for name in RAW_TEXT_FIELDS:
        if isinstance(document.get(name), str):
            return document[name], name
    text = document.get("text", "")
    blocks = document.get("blocks") or []
    for name in RAW_TEXT_FIELDS:
        raw_blocks = [block for block in blocks if isinstance(block.get(name), str) and block.get("span")]
        if not raw_blocks:
            continue
        pieces, cursor = [], 0
        for block in sorted(raw_blocks, key=lambda block: block["span"]["start"]):
            start, end = block["span"]["start"], block["span"]["end"]
            if start < cursor:
                continue
            pieces += [text[cursor:start], block[name]]
            cursor = end
        pieces.append(text[cursor:])
        return "".join(pieces), f"blocks[].{name}"
    return None


def page_read_summary(document: dict[str, Any]) -> tuple[int, float | None]:
    """Pages read by OCR and their mean confidence (0 to 1), from ``source.page_reads``."""
    reads = document.get("source", {}).get("page_reads") or []
    ocr = [read for read in reads if read.get("method") == "ocr"]
    confidences = [read["confidence"] for read in ocr if read.get("confidence") is not None]
    return len(ocr), (sum(confidences) / len(confidences) if confidences else None)


# ---------------------------------------------------------------------------------------------------
# Bare Tesseract
# ---------------------------------------------------------------------------------------------------


def pdf_page_images(path: Path, folder: Path) -> list[tuple[Path, int]]:
    """Each page's image of an image-only PDF written out as stored (JPEG bytes kept, other filters decoded
    to PNG), with its resolution (image pixels over page width)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    images = []
    try:
        for number, page in enumerate(document, start=1):
            found = [obj for obj in page.get_objects() if isinstance(obj, pdfium.PdfImage)]
            if len(found) != 1:
                raise SystemExit(f"{path}: page {number} holds {len(found)} images, not one")
            image = found[0]
            dpi = round(image.get_px_size()[0] * 72 / page.get_size()[0])
            name = f"{path.stem}.p{number:02d}"
            if image.get_filters() == ["DCTDecode"]:
                target = folder / f"{name}.jpg"
                target.write_bytes(bytes(image.get_data(decode_simple=False)))
            else:
                target = folder / f"{name}.png"
                image.get_bitmap().to_pil().convert("L").save(target, dpi=(dpi, dpi))
            images.append((target, dpi))
    finally:
        document.close()
    return images


def tesseract_text(image: Path, language: str, dpi: int | None) -> str:
    """Bare ``tesseract IMG - -l LANG`` on one core; a multi-page TIFF gives all its pages."""
    command = ["tesseract", str(image), "-", "-l", language]
    if dpi is not None:
        command += ["--dpi", str(dpi)]
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600, check=True)
    return done.stdout


def bare_text(path: Path, language: str, folder: Path) -> str:
    """Bare Tesseract's text of a variant's file: its pages one by one, joined."""
    if path.suffix.lower() in (".tif", ".tiff"):
        return tesseract_text(path, language, None)
    return "\n".join(tesseract_text(image, language, dpi) for image, dpi in pdf_page_images(path, folder))


# ---------------------------------------------------------------------------------------------------
# Measuring and reporting
# ---------------------------------------------------------------------------------------------------


def page_count(path: Path) -> int:
    if path.suffix.lower() in (".tif", ".tiff"):
        from PIL import Image

        with Image.open(path) as image:
            return image.n_frames
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def measure(variant: str, stem: str, path: Path, reference: str, language: str, folder: Path) -> Reading:
    """Both readers' distances to the reference on one variant of one seed."""
    reading = Reading(variant, stem, page_count(path), len(reference))
    started = time.perf_counter()
    reading.bare_distance = distance(reference, normalize(bare_text(path, language, folder)))
    reading.bare_seconds = time.perf_counter() - started
    started = time.perf_counter()
    document, error = khplan_extract(path)
    reading.khplan_seconds = time.perf_counter() - started
    if document is None:
        reading.khplan_error = error
        return reading
    corrected = normalize(document.get("text", ""))
    reading.corrected_distance = distance(reference, corrected)
    raw = raw_ocr_text(document)
    if raw is None:
        reading.khplan_distance = reading.corrected_distance
    else:
        reading.khplan_distance = distance(reference, normalize(raw[0]))
        reading.raw_field = raw[1]
    reading.ocr_pages, reading.mean_confidence = page_read_summary(document)
    return reading


def rate(readings: list[Reading], field: str) -> float | None:
    """Summed distances over summed reference lengths, or None when a reading lacks the distance."""
    distances = [getattr(reading, field) for reading in readings]
    if not readings or any(value is None for value in distances):
        return None
    return sum(distances) / sum(reading.reference_chars for reading in readings)


def percent(value: float | None) -> str:
    return f"{100 * value:7.2f} %" if value is not None else f"{'n/a':>9}"


def summary_rows(readings: list[Reading], details: bool) -> list[tuple[str, list[Reading]]]:
    """(label, readings) per variant, and per seed of each variant when ``details``."""
    rows = []
    for variant in dict.fromkeys(reading.variant for reading in readings):
        of_variant = [reading for reading in readings if reading.variant == variant]
        rows.append((variant, of_variant))
        if details:
            rows += [(f"  {reading.stem}", [reading]) for reading in of_variant]
    return rows


def print_table(readings: list[Reading], details: bool) -> None:
    print(
        f"{'variant':26} {'docs':>4} {'pages':>5} {'ref chars':>9} {'CER bare':>9} {'CER khplan':>10} "
        f"{'after corr.':>11} {'OCR pages':>9} {'mean conf':>9}"
    )
    for label, rows in summary_rows(readings, details):
        corrected = percent(rate(rows, "corrected_distance"))
        no_correction = any(row.raw_field is None for row in rows)
        marker = "*" if no_correction and rate(rows, "corrected_distance") is not None else " "
        ocr_pages = [row.ocr_pages for row in rows]
        confidences = [row.mean_confidence for row in rows if row.mean_confidence is not None]
        print(
            f"{label:26} {len(rows):4d} {sum(row.pages for row in rows):5d} "
            f"{sum(row.reference_chars for row in rows):9d} {percent(rate(rows, 'bare_distance'))} "
            f"{percent(rate(rows, 'khplan_distance')):>10} {corrected:>10}{marker} "
            f"{sum(ocr_pages) if None not in ocr_pages else 'n/a':>9} "
            f"{(f'{sum(confidences) / len(confidences):.3f}' if confidences else '-'):>9}"
        )
    if any(reading.raw_field is None and reading.corrected_distance is not None for reading in readings):
        print(
            f"* {NO_CORRECTION}: the JSON has no raw OCR text ({', '.join(RAW_TEXT_FIELDS)}), so it is `text`"
        )
    for reading in readings:
        if reading.khplan_error:
            print(f"khplan could not read {reading.stem} {reading.variant}: {reading.khplan_error}")


def as_json(readings: list[Reading]) -> dict[str, Any]:
    """Per reading and per variant, CERs as fractions (None where khplan failed)."""
    variants = {}
    for label, rows in summary_rows(readings, details=False):
        variants[label] = {
            "documents": len(rows),
            "pages": sum(row.pages for row in rows),
            "reference_chars": sum(row.reference_chars for row in rows),
            "cer_bare_tesseract": rate(rows, "bare_distance"),
            "cer_khplan": rate(rows, "khplan_distance"),
            "cer_khplan_after_correction": rate(rows, "corrected_distance"),
            "correction": NO_CORRECTION
            if any(row.raw_field is None for row in rows)
            else "raw and corrected",
        }
    return {"variants": variants, "readings": [asdict(reading) for reading in readings]}


def variant_files(
    scans: Any, folder: Path, stems: list[str], variants: list[str]
) -> list[tuple[str, str, Path]]:
    """(variant, seed, file) of each variant asked for that exists for the seed."""
    files = []
    for variant in variants:
        for stem in stems:
            if variant in scans.variants_of(stem):
                path = scans.variant_path(folder, stem, variant)
                if not path.is_file():
                    raise SystemExit(f"{path}: missing (run corpus/scans.py --out {folder})")
                files.append((variant, stem, path))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scans", type=Path, help="variants built by corpus/scans.py --out DIR (default: build)"
    )
    parser.add_argument("--only", action="append", metavar="STEM", help="one seed (repeatable): 001 or full")
    parser.add_argument(
        "--variants", default=",".join(VARIANTS), help=f"comma-separated (default {VARIANTS})"
    )
    parser.add_argument("--lang", default="vie", help="Tesseract language of the bare runs")
    parser.add_argument("--details", action="store_true", help="a line per seed under each variant")
    parser.add_argument("--json", action="store_true", help="machine-readable output instead of the table")
    args = parser.parse_args()
    variants = [name.strip() for name in args.variants.split(",") if name.strip()]
    unknown = sorted(set(variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant {', '.join(unknown)} (known: {', '.join(VARIANTS)})")
    if shutil.which("tesseract") is None:
        raise SystemExit("ocr_cer.py: the tesseract command is needed (tesseract-ocr, tesseract-ocr-vie)")

    scans = scans_module()
    stems = scans.select_stems(args.only)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="khplan-ocr-cer-") as work:
        folder = args.scans
        if folder is None:
            folder = Path(work) / "scans"
            scans.build(stems, folder)
        references = {}
        for stem in stems:
            document, error = khplan_extract(SEEDS_DIR / f"{stem}.pdf")
            if document is None:
                raise SystemExit(f"ocr_cer.py: khplan cannot read the typed seed {stem}: {error}")
            references[stem] = normalize(document["text"])
        readings = []
        for variant, stem, path in variant_files(scans, folder, stems, variants):
            readings.append(measure(variant, stem, path, references[stem], args.lang, Path(work)))
            if not args.json:
                print(f"  {variant} {stem}: done", file=sys.stderr)
    if args.json:
        print(json.dumps(as_json(readings), ensure_ascii=False, indent=2))
        return
    print_table(readings, args.details)
    print(f"\n{time.perf_counter() - started:.0f} s in all (bare Tesseract on one core, page after page)")


if __name__ == "__main__":
    main()
