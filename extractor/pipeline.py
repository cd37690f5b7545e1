"""Runs the stages in order; the only module that knows them all.

ingest (per format) -> normalize -> structure (zones, metadata, sections) -> entities -> tables -> checks.
Each stage reads what the earlier ones produced; none goes back to the file.
"""

from pathlib import Path

from extractor.checks import run_checks
from extractor.entities.nlp import extract_entities
from extractor.ingest import read_document
from extractor.normalize.document import normalize_document
from extractor.structure.metadata import extract_metadata
from extractor.structure.sections import build_sections
from extractor.structure.zones import find_zones
from extractor.tables import build_tables
from models import ExtractedDocument


def run_pipeline(path: Path) -> ExtractedDocument:
    """Extract one file; raises ``InputError`` for input that cannot be read."""
    document = normalize_document(read_document(path))
    zones = find_zones(document)
    sections = build_sections(document, zones)
    metadata = extract_metadata(document, zones)
    entities = extract_entities(document, zones, sections, metadata.unit.value if metadata.unit else None)
    extracted = ExtractedDocument(
        source=document.source,
        text=document.text,
        blocks=document.blocks,
        metadata=metadata,
        sections=sections,
        citations=entities.get("citations"),
        targets=entities.get("targets"),
        assignments=entities.get("assignments"),
        amounts=entities.get("amounts"),
        proportions=entities.get("proportions"),
        breakdowns=entities.get("breakdowns"),
        tables=build_tables(document, sections),
        level_mentions=entities.get("level_mentions"),
        attachments=entities.get("attachments"),
    )
    findings, coverage = run_checks(extracted)
    return extracted.model_copy(update={"findings": findings, "coverage": coverage})
