"""The entity extractors wired into the spaCy pipeline, in the order they run."""

from extractor.entities.assignments import find_assignments
from extractor.entities.nlp import EntityContext, register


@register("assignments")
def assignments_component(context: EntityContext) -> list:
    return find_assignments(context.document, context.sections)
