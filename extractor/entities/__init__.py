"""The entity stage: what the plan's text states, read by one extractor per kind of entity, in this order.

Each extractor is a function over the ``PlanText`` (the normalized text with its sections, its numbers read
once); a later one may take what an earlier one found (breakdowns are made of the amounts). The result is one
typed ``Entities`` object, so a reader sees here which extractor produces which field of the output.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.entities.amounts import find_amounts
from extractor.entities.assignments import find_assignments
from extractor.entities.breakdowns import find_breakdowns
from extractor.entities.citations import find_citations
from extractor.entities.labels import clause_label
from extractor.entities.proportions import find_proportions
from extractor.entities.references import find_attachment_references, find_level_mentions
from extractor.entities.results import find_results
from extractor.entities.targets import find_targets
from extractor.faults import Faults
from extractor.structure.plan_text import PlanText
from models.amounts import Amount
from models.assignments import Assignment
from models.citations import Citation
from models.metadata import Metadata
from models.proportions import Breakdown, Proportion
from models.references import AttachmentReference, LevelMention
from models.results import Result
from models.targets import Target


@dataclass(frozen=True)
class Entities:
    """Everything the entity stage read from one plan, one list per output field."""

    citations: list[Citation]
    amounts: list[Amount]
    breakdowns: list[Breakdown]
    assignments: list[Assignment]
    targets: list[Target]
    proportions: list[Proportion]
    level_mentions: list[LevelMention]
    attachments: list[AttachmentReference]
    results: list[Result]


def extract_entities(
    plan: PlanText, faults: Faults | None = None, metadata: Metadata | None = None
) -> Entities:
    """Run every entity extractor over one plan.

    Each extractor runs through ``faults``: one that raises leaves its list empty, recorded as a failure,
    and the others still run (breakdowns then see no amounts). ``metadata`` tells the results extractor a
    report from a plan and the document's year.
    """
    faults = faults if faults is not None else Faults(strict=True)
    amounts = faults.run("entities", "amounts", _labelled_amounts, [], plan)
    return Entities(
        citations=faults.run("entities", "citations", find_citations, [], plan),
        amounts=amounts,
        breakdowns=faults.run("entities", "breakdowns", find_breakdowns, [], plan, amounts),
        assignments=faults.run("entities", "assignments", find_assignments, [], plan),
        targets=faults.run("entities", "targets", find_targets, [], plan),
        proportions=faults.run("entities", "proportions", find_proportions, [], plan),
        level_mentions=faults.run("entities", "level_mentions", find_level_mentions, [], plan),
        attachments=faults.run("entities", "attachments", find_attachment_references, [], plan),
        results=faults.run("entities", "results", find_results, [], plan, metadata or Metadata()),
    )


def _labelled_amounts(plan: PlanText) -> list[Amount]:
    """The money amounts, each with the label its clause gives it ("Hỗ trợ làm nhà ở cho: …")."""
    return [
        amount.model_copy(update={"label": clause_label(plan.text, amount.span.start)})
        for amount in find_amounts(plan)
    ]


__all__ = ["Entities", "extract_entities"]
