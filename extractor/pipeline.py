"""Runs the stages in order; the only module that knows them all.

ingest (per format) -> normalize -> structure (zones, sections, metadata, the plan's text read once)
-> entities -> tables -> checks. Each stage reads what the earlier ones produced; none goes back to the file.
"""

from pathlib import Path

from extractor.checks import run_checks
from extractor.entities import extract_entities
from extractor.ingest import read_document
from extractor.normalize.document import normalize_document
from extractor.options import ExtractOptions
from extractor.structure.metadata import extract_metadata
from extractor.structure.plan_text import PlanText
from extractor.structure.sections import build_sections
from extractor.structure.zones import find_zones
from extractor.tables import build_tables
from models import ExtractedDocument


def run_pipeline(path: Path, options: ExtractOptions) -> ExtractedDocument:
    """Extract one file; raises ``InputError`` for input that cannot be read."""
    document = normalize_document(read_document(path, options))
    zones = find_zones(document)
    sections = build_sections(document, zones)
    metadata = extract_metadata(document, zones)
    plan = PlanText(document, sections, metadata.unit.value if metadata.unit else None)
    entities = extract_entities(plan)
    extracted = ExtractedDocument(
        source=document.source,
        text=document.text,
        blocks=document.blocks,
        metadata=metadata,
        sections=sections,
        citations=entities.citations,
        targets=entities.targets,
        assignments=entities.assignments,
        amounts=entities.amounts,
        proportions=entities.proportions,
        breakdowns=entities.breakdowns,
        tables=build_tables(plan),
        level_mentions=entities.level_mentions,
        attachments=entities.attachments,
    )
    if not options.checks:
        return extracted
    findings, coverage = run_checks(extracted)
    return extracted.model_copy(update={"findings": findings, "coverage": coverage})
