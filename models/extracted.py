"""The top-level output: one ExtractedDocument per input file."""

from typing import Any

from pydantic import Field

from models.document import Block, SourceInfo
from models.metadata import Metadata
from models.provenance import Frozen
from models.sections import Section

# Semantic version of the output contract: a removed or renamed field is a major change.
SCHEMA_VERSION = "0.1.0"


class ExtractedDocument(Frozen):
    """Everything khplan read from one plan. Every span points into ``text``."""

    schema_version: str = SCHEMA_VERSION
    source: SourceInfo
    text: str
    blocks: list[Block] = Field(
        default_factory=list, description="The document model: blocks with provenance."
    )
    metadata: Metadata
    sections: list[Section]
    citations: list[Any] = Field(default_factory=list)
    targets: list[Any] = Field(default_factory=list)
    assignments: list[Any] = Field(default_factory=list)
    amounts: list[Any] = Field(default_factory=list)
    proportions: list[Any] = Field(default_factory=list)
    breakdowns: list[Any] = Field(default_factory=list)
    tables: list[Any] = Field(default_factory=list)
    findings: list[Any] = Field(default_factory=list)
