"""The top-level output: one ExtractedDocument per input file."""

from pydantic import Field

from models.amounts import Amount
from models.assignments import Assignment
from models.citations import Citation
from models.document import Block, SourceInfo
from models.findings import Coverage, Finding
from models.metadata import Metadata
from models.proportions import Breakdown, Proportion
from models.provenance import Frozen
from models.references import AttachmentReference, LevelMention
from models.results import Result
from models.sections import Section
from models.tables import Table
from models.targets import Target

# Semantic version of the output contract: a removed or renamed field is a major change, a new field a minor one
# (0.2.0: targets and proportions carry their population; 0.3.0: findings list the cells they involve;
# 0.4.0: tables carry the identities they declare, row sums and row formulas, and coverage names what it skipped;
# 0.5.0: source.warnings (links not loaded, pages unreadable, entities undeclared), coverage.failed (parts a
# program fault stopped) and refused numerals (coverage.skipped, rule "numbers"); 0.6.0: scanned input: format
# "image", source.page_reads (how each page was read: text or OCR, with its confidence), blocks' confidence;
# 0.7.0: every metadata value, date, citation, target, amount and table cell read by OCR carries its confidence
# and low_confidence (absent for values read from the file's own text), metadata.number_span;
# 0.8.0: page_reads method "legacy_font" (a legacy-font text layer converted) and reason (why a page was OCR'd:
# no text layer, an unreadable one); 0.9.0: results, the figures a document reports as reached, for the
# comparison of a plan's targets with later reports; 0.10.0: a finding's location carries the box of its cell or
# table on the page, for PDFs and scans).
SCHEMA_VERSION = "0.10.0"


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
    citations: list[Citation] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    results: list[Result] = Field(
        default_factory=list,
        description="Figures the document reports as reached (a report's results, a plan's situation part).",
    )
    assignments: list[Assignment] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    proportions: list[Proportion] = Field(default_factory=list)
    breakdowns: list[Breakdown] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    level_mentions: list[LevelMention] = Field(default_factory=list)
    attachments: list[AttachmentReference] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    coverage: Coverage = Coverage()
