"""Runs the stages in order; the only module that knows them all.

ingest (per format) -> normalize -> structure (zones, sections, metadata, the plan's text read once)
-> entities -> tables -> checks. Each stage reads what the earlier ones produced; none goes back to the file.
"""

import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from pathlib import Path

from extractor.checks import run_checks
from extractor.confidence import add_confidences
from extractor.entities import extract_entities
from extractor.entities.results import table_results
from extractor.faults import Faults
from extractor.ingest import read_document
from extractor.normalize.document import normalize_document
from extractor.normalize.refused import refused_numbers
from extractor.options import ExtractOptions
from extractor.structure.metadata import extract_metadata
from extractor.structure.plan_text import PlanText
from extractor.structure.sections import build_sections
from extractor.structure.zones import find_zones
from extractor.tables import build_tables
from models import ExtractedDocument
from models.findings import Coverage, Finding
from models.metadata import Metadata


def run_pipeline(path: Path, options: ExtractOptions) -> ExtractedDocument:
    """Extract one file; raises ``InputError`` for input that cannot be read.

    Past reading, a program fault in one part (the sections, the metadata, one extractor, one table, one
    check rule) costs only that part: it is listed in ``coverage.failed`` and the rest is extracted
    (``extractor.faults``), unless ``options.strict``. Numbers too long to hold exactly are listed in
    ``coverage.skipped`` (rule "numbers").
    """
    faults = Faults(strict=options.strict)
    document = normalize_document(read_document(path, options))
    return_freed_memory()
    zones = find_zones(document)
    sections = faults.run("structure", "sections", build_sections, [], document, zones)
    metadata = faults.run("structure", "metadata", extract_metadata, Metadata(), document, zones)
    unit = metadata.unit.value if metadata.unit else None
    entities = extract_entities(PlanText(document, sections, unit), faults, metadata)
    # A fresh view for the tables: the numbers of the whole text that the extractors read (held by the first
    # view, as much memory as the tables themselves in a 100,000-row table) are let go before tables are built.
    tables = build_tables(PlanText(document, sections, unit), faults)
    # The results of per-unit tables ("Hộ nghèo đầu năm 2021", a report's year-end columns) after the text's.
    results = entities.results + faults.run(
        "entities",
        "table_results",
        table_results,
        [],
        tables,
        PlanText(document, sections, unit),
        metadata,
        len(entities.results) + 1,
    )
    extracted = ExtractedDocument(
        source=document.source,
        text=document.text,
        blocks=document.blocks,
        metadata=metadata,
        sections=sections,
        citations=entities.citations,
        targets=entities.targets,
        results=results,
        assignments=entities.assignments,
        amounts=entities.amounts,
        proportions=entities.proportions,
        breakdowns=entities.breakdowns,
        tables=tables,
        level_mentions=entities.level_mentions,
        attachments=entities.attachments,
    )
    extracted = add_confidences(extracted)
    findings: list[Finding] = []
    coverage = Coverage()
    if options.checks:
        findings, coverage = run_checks(extracted, faults)
    refused = refused_numbers(document.text, extracted.tables)
    coverage = coverage.model_copy(
        update={"skipped": [*coverage.skipped, *refused], "failed": faults.failures}
    )
    return extracted.model_copy(update={"findings": findings, "coverage": coverage})


def return_freed_memory() -> None:
    """Give the memory the readers freed back to the system (glibc's ``malloc_trim``; nothing elsewhere).

    lxml (DOCX) and PDFium build their trees with malloc; Python's own objects live in separate arenas, so
    the pages a 30 MB ``document.xml`` held stay counted against the process until trimmed: a 100,000-row
    DOCX table peaks at 1.19 GB without this, 0.84 GB with it.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
