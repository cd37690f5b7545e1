"""The settings of one extraction: one validated object, with documented defaults, that every entry point takes.

``extract_document(path, options)`` reads its settings here instead of growing keyword arguments; later
capabilities (OCR, workers) add their fields to ``ExtractOptions``.

The input limits bound what one document may cost before the cost is paid: an auditor's server takes whatever
arrives, and a 3 MB DOCX can inflate to gigabytes. Each limit has a default that accepts every real plan (a
1.5-million-character provincial plan, a 100,000-row table), a command-line flag and an environment variable:
an explicit value wins over the variable, the variable over the default. ``KHPLAN_MAX_INFLATED=64M khplan
extract plan.docx`` lowers one for a run. Sizes take binary units ("200M" = "200MB" = 209,715,200 bytes),
counts decimal ones ("1.5M" = 1,500,000), seconds "s", "m" or "h" ("2m" = 120).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
COUNT_UNITS = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}
SECOND_UNITS = {"": 1, "S": 1, "M": 60, "H": 3600}

# Bytes of one input file. Plans with photographs reach tens of megabytes; a text-layer PDF of a whole
# province's plan with its annexes stays well under this.
DEFAULT_MAX_FILE_SIZE = 256 * 1024**2
# Memory follows what is parsed, not the file: at its peak a document takes about 21 times its Word XML (lxml's
# tree), and about 2.8 KB per table cell (the cell, its provenance and span, its row, the JSON written), so
# the defaults below keep one document under 1 GB (measured by bench/hostile.py). A server with more
# memory raises them; one with less lowers them.
# Bytes one member of a zip package (document.xml, content.xml, an image) may inflate to. A Word table of
# 100,000 rows and 3 columns is 32 MB of XML.
DEFAULT_MAX_INFLATED = 40 * 1024**2
# Bytes all members of one package may inflate to together (the XML and every embedded image, which the
# Word reader holds as they are).
DEFAULT_MAX_INFLATED_TOTAL = 256 * 1024**2
# Pages of one PDF; the longest plans with their annexes run to a few hundred.
DEFAULT_MAX_PAGES = 2_000
# Table cells of one document, all tables together: 100,000 rows of 3 columns with their header (the
# largest per-village table of a province, 10,000 villages by 15 columns, is 150,000).
DEFAULT_MAX_TABLE_CELLS = 320_000
# Characters of one document's text: twice the longest provincial plan met (1.5 million).
DEFAULT_MAX_CHARACTERS = 3_000_000
# Pixels of one page image (an image input's frame): an A4 page at 600 dpi is 35 million; a larger one costs
# OCR minutes and memory for nothing a plan needs.
DEFAULT_MAX_PIXELS = 50_000_000
# Seconds one document may take, enforced by the runner that extracts each document in a child process and
# kills it past its time (no limit holds inside PDFium or LibreOffice); ``extract_document`` itself never
# times out.
DEFAULT_MAX_SECONDS = 600.0


def parse_size(text: str) -> int:
    """Bytes, with binary units as curl and ulimit read them: "200M" = "200MB" = "200MiB" -> 209715200;
    "1.5G" -> 1610612736; "65536" -> 65536. Raises ``ValueError`` for anything else."""
    return int(_number_with_unit(text, SIZE_UNITS, strip="BI"))


def parse_count(text: str) -> int:
    """A count, with decimal units: "1.5M" -> 1500000; "100k" -> 100000; "2_000" -> 2000."""
    return int(_number_with_unit(text, COUNT_UNITS))


def parse_seconds(text: str) -> float:
    """Seconds: "90" -> 90.0; "90s" -> 90.0; "2m" -> 120.0; "1h" -> 3600.0; "0.5" -> 0.5."""
    return _number_with_unit(text, SECOND_UNITS)


def _number_with_unit(text: str, units: dict[str, int], strip: str = "") -> float:
    """A positive number with an optional unit letter; ``strip`` drops letters that say nothing ("B" of "MB")."""
    written = text.strip().upper().replace("_", "")
    for suffix in strip:
        written = written.removesuffix(suffix)
    unit = written[-1:] if written[-1:].isalpha() else ""
    try:
        number = float(written.removesuffix(unit))
    except ValueError:
        number = None
    if number is None or unit not in units:
        known = ", ".join(u for u in units if u)
        raise ValueError(f"{text!r} is not a number with an optional unit ({known})")
    if not number > 0 or number == float("inf"):
        raise ValueError(f"{text!r}: a limit must be a positive number")
    return number * units[unit]


@dataclass(frozen=True)
class Limit:
    """One input limit: the ``ExtractOptions`` field it sets, its flag, its environment variable, how a
    written value is read, and what it bounds (the help text of the flag)."""

    field: str
    flag: str
    env: str
    parse: Callable[[str], int | float]
    metavar: str
    help: str


LIMITS: tuple[Limit, ...] = (
    Limit(
        "max_file_size",
        "--max-file-size",
        "KHPLAN_MAX_FILE_SIZE",
        parse_size,
        "SIZE",
        "bytes of one input file, checked before it is read (default 256M)",
    ),
    Limit(
        "max_inflated",
        "--max-inflated",
        "KHPLAN_MAX_INFLATED",
        parse_size,
        "SIZE",
        "bytes one member of a DOCX/ODT package may inflate to, counted while inflating (default 40M)",
    ),
    Limit(
        "max_inflated_total",
        "--max-inflated-total",
        "KHPLAN_MAX_INFLATED_TOTAL",
        parse_size,
        "SIZE",
        "bytes all members of one DOCX/ODT package may inflate to together (default 256M)",
    ),
    Limit(
        "max_pages", "--max-pages", "KHPLAN_MAX_PAGES", parse_count, "N", "pages of one PDF (default 2000)"
    ),
    Limit(
        "max_table_cells",
        "--max-table-cells",
        "KHPLAN_MAX_TABLE_CELLS",
        parse_count,
        "N",
        "table cells of one document, all tables together (default 320k)",
    ),
    Limit(
        "max_characters",
        "--max-characters",
        "KHPLAN_MAX_CHARACTERS",
        parse_count,
        "N",
        "characters of one document's text (default 3M)",
    ),
    Limit(
        "max_pixels",
        "--max-pixels",
        "KHPLAN_MAX_PIXELS",
        parse_count,
        "N",
        "pixels of one page image to OCR (default 50M)",
    ),
    Limit(
        "max_seconds",
        "--max-seconds",
        "KHPLAN_MAX_SECONDS",
        parse_seconds,
        "SECONDS",
        "seconds one document may take before its run is stopped (default 600)",
    ),
)
LIMIT_BY_FIELD = {limit.field: limit for limit in LIMITS}


class LimitSettingError(ValueError):
    """An environment variable sets a limit to something that is not one: "KHPLAN_MAX_PAGES: 'many' is not a
    number". A usage error: the run stops before any file is read."""


def limit_from_environment(field: str, default: int | float) -> int | float:
    """The value the limit's environment variable gives (``KHPLAN_MAX_PAGES=500`` -> 500), else ``default``.

    An empty variable counts as unset. Raises ``LimitSettingError`` for a value that is not a positive number
    in the limit's units.
    """
    limit = LIMIT_BY_FIELD[field]
    written = os.environ.get(limit.env, "").strip()
    if not written:
        return default
    try:
        return limit.parse(written)
    except ValueError as error:
        raise LimitSettingError(f"{limit.env}: {error}") from None


def _from_environment(field: str, default: int | float) -> Callable[[], int | float]:
    return lambda: limit_from_environment(field, default)


class ExtractOptions(BaseModel):
    """How to extract one document.

    ``checks``: run the checks stage (findings and coverage); off for a caller that only wants the data.
    ``ocr``: which pages of a PDF are read by OCR: "auto" the scanned ones (no text layer, an image), "always"
    every page, "never" none (an image input is always OCR'd); ``ocr_lang`` the Tesseract language ("vie",
    or "vie+eng"). ``workers``: processes run side by side (today the Tesseract processes of a scan's pages;
    each runs single-threaded, so the budget is never workers × threads); the machine's cores by default.
    ``strict``: let a program fault inside one extractor or check rule stop the document instead of being
    listed in ``coverage.failed`` (``extractor.faults``); on when ``KHPLAN_STRICT`` is set (not "0"), as the
    test suite sets it.

    The ``max_*`` fields are the input limits (see the module docstring and ``LIMITS``): past one, the file
    fails with one ``InputError`` line naming the limit's flag, e.g. ``plan.docx: word/document.xml inflates
    past 40 MB (limit --max-inflated)``, and the other files go on. A field left out takes its environment
    variable, else its default: ``ExtractOptions(max_pages=50)``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    checks: bool = True
    ocr: Literal["auto", "always", "never"] = "auto"
    ocr_lang: str = "vie"
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    strict: bool = Field(default_factory=lambda: os.environ.get("KHPLAN_STRICT", "") not in ("", "0"))
    max_file_size: int = Field(
        default_factory=_from_environment("max_file_size", DEFAULT_MAX_FILE_SIZE), gt=0
    )
    max_inflated: int = Field(default_factory=_from_environment("max_inflated", DEFAULT_MAX_INFLATED), gt=0)
    max_inflated_total: int = Field(
        default_factory=_from_environment("max_inflated_total", DEFAULT_MAX_INFLATED_TOTAL), gt=0
    )
    max_pages: int = Field(default_factory=_from_environment("max_pages", DEFAULT_MAX_PAGES), gt=0)
    max_table_cells: int = Field(
        default_factory=_from_environment("max_table_cells", DEFAULT_MAX_TABLE_CELLS), gt=0
    )
    max_characters: int = Field(
        default_factory=_from_environment("max_characters", DEFAULT_MAX_CHARACTERS), gt=0
    )
    max_pixels: int = Field(default_factory=_from_environment("max_pixels", DEFAULT_MAX_PIXELS), gt=0)
    max_seconds: float = Field(default_factory=_from_environment("max_seconds", DEFAULT_MAX_SECONDS), gt=0)


def __getattr__(name: str) -> ExtractOptions:
    """``DEFAULT_OPTIONS``: the defaults with the environment's limits, read when asked for (not at import, so
    a bad ``KHPLAN_MAX_…`` value fails the run that uses it with its one line, not every import)."""
    if name == "DEFAULT_OPTIONS":
        return ExtractOptions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
