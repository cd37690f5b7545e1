"""The entity extractors wired into the spaCy pipeline, in the order they run.

Each component gets the context (normalized document, zones, sections) and what earlier components found,
so a number is read once: breakdowns reuse the amounts.
"""

from extractor.entities.amounts import find_amounts
from extractor.entities.assignments import find_assignments
from extractor.entities.breakdowns import find_breakdowns
from extractor.entities.citations import find_citations
from extractor.entities.nlp import EntityContext, EntityResults, register
from extractor.entities.proportions import find_proportions
from extractor.entities.references import find_attachment_references, find_level_mentions
from extractor.entities.targets import find_targets


@register("citations")
def citations_component(context: EntityContext, results: EntityResults) -> list:
    return find_citations(context.document.text, context.preamble_end, context.section_at, context.page_at)


@register("amounts")
def amounts_component(context: EntityContext, results: EntityResults) -> list:
    return find_amounts(context.document.text, context.sections, page_at=context.page_at)


@register("breakdowns")
def breakdowns_component(context: EntityContext, results: EntityResults) -> list:
    return find_breakdowns(
        context.document.text, context.sections, page_at=context.page_at, amounts=results.get("amounts")
    )


@register("assignments")
def assignments_component(context: EntityContext, results: EntityResults) -> list:
    return find_assignments(context.document, context.sections)


@register("targets")
def targets_component(context: EntityContext, results: EntityResults) -> list:
    return find_targets(context.document.text, context.sections, context.unit_name, context.page_at)


@register("proportions")
def proportions_component(context: EntityContext, results: EntityResults) -> list:
    return find_proportions(context.document.text, context.sections, page_at=context.page_at)


@register("level_mentions")
def level_mentions_component(context: EntityContext, results: EntityResults) -> list:
    return find_level_mentions(context.document.text, context.sections, context.unit_name, context.page_at)


@register("attachments")
def attachments_component(context: EntityContext, results: EntityResults) -> list:
    return find_attachment_references(context.document.text, context.page_at)
