"""The archive of a batch: stored extractions, full-text search, who cites what, CSV/XLSX exports.

``Archive.open("plans.khplan")`` gives an archive (SQLite by default, written through SQLAlchemy Core);
``archive.store(...)`` one document per transaction; ``archive.search("hộ nghèo")``, ``archive.cite("86/2015/NĐ-CP")``
and ``export(archive, "targets", "xlsx", Path("chi-tieu.xlsx"))`` read it.
"""

from extractor.archive.cite import CiteResult, CitingPlan, symbol_key
from extractor.archive.export import export
from extractor.archive.search import DocumentRef, SearchFilters, SearchHit
from extractor.archive.store import (
    Archive,
    ArchiveError,
    DocumentCounts,
    DocumentSummary,
    FindingSummary,
    StoredDocument,
    extractor_version,
)

__all__ = [
    "Archive",
    "ArchiveError",
    "CiteResult",
    "CitingPlan",
    "DocumentCounts",
    "DocumentRef",
    "DocumentSummary",
    "FindingSummary",
    "SearchFilters",
    "SearchHit",
    "StoredDocument",
    "export",
    "extractor_version",
    "symbol_key",
]
