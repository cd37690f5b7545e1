"""khplan's output contract: pydantic v2 models, and nothing else.

Nothing here imports from ``extractor``; the JSON Schema in ``schemas/`` is generated from these models.
"""

from models.document import Block, BlockKind, Document, SourceInfo, TableCell, TableGrid, TextStyle
from models.extracted import SCHEMA_VERSION, ExtractedDocument
from models.metadata import Metadata, Signer, Sourced
from models.provenance import BBox, Span
from models.sections import Section
from models.values import PartialDate

__all__ = [
    "SCHEMA_VERSION",
    "BBox",
    "Block",
    "BlockKind",
    "Document",
    "ExtractedDocument",
    "Metadata",
    "PartialDate",
    "Section",
    "Signer",
    "SourceInfo",
    "Sourced",
    "Span",
    "TableCell",
    "TableGrid",
    "TextStyle",
]
