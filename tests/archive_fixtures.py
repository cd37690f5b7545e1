"""Archives filled with real extractions of the corpus, shared by the archive tests.

Each corpus file is extracted once per session (``tests.conftest.extracted``); a test that needs something
the corpus lacks changes a copy of a real extraction (``with_sha``, ``with_citation_date``).
"""

from __future__ import annotations

from pathlib import Path

from extractor.archive import Archive, StoredDocument
from models import ExtractedDocument
from tests.conftest import corpus_file, extracted

VERSION = "0.1.0+data.000000000000"
SEED_000 = (
    "000_18cf555f364dcc13"  # xã Cao Nhân, 2024: cites 86/2015/NĐ-CP, and 52/2019/NQ-HĐND with two dates
)
SEED_001 = "001_1747db98b33217c6"  # xã Sơn Tây, 2021: a per-unit table with many errors
SEED_002 = "002_724ff193a1037eed"  # phường Quảng Minh, dated 22/02/2024: an appendix table
SEED_004 = "004_ab6f31fa12f1256e"  # huyện Yên Châu, 267/KH-UBND of 19/10/2021: cites 07/2021/NĐ-CP
DAO_TAO = "targets-dao-tao-nghe-cho-moi"  # "Đào tạo nghề cho 1.800 - 2.000 lao động", huyện Chợ Mới
LONG_HOA = "tables-bhyt-xa-long-hoa"  # xã Long Hòa: "ấp Hòa Quới"
SEARCH_STEMS = (SEED_000, SEED_001, SEED_002, SEED_004, DAO_TAO, LONG_HOA)


def corpus_doc(stem: str) -> ExtractedDocument:
    return extracted(corpus_file(stem))


def store_doc(
    archive: Archive,
    doc: ExtractedDocument,
    path: Path | None = None,
    *,
    version: str = VERSION,
    source_file: Path | None = None,
) -> StoredDocument:
    """Store ``doc`` as a batch worker would, at ``path`` (its own source path by default)."""
    return archive.store(
        path=path or Path(doc.source.path),
        sha256=doc.source.sha256,
        extractor_version=version,
        extraction_json=doc.model_dump_json().encode(),
        source_file=source_file,
    )


def with_sha(doc: ExtractedDocument, sha256: str) -> ExtractedDocument:
    """The same extraction as if read from other content."""
    return doc.model_copy(update={"source": doc.source.model_copy(update={"sha256": sha256})})


def with_citation_date(doc: ExtractedDocument, symbol: str, day: int, sha256: str) -> ExtractedDocument:
    """A copy of ``doc`` (as other content) in which every mention of ``symbol`` gives another day."""
    citations = []
    for citation in doc.citations:
        if citation.symbol == symbol and citation.date:
            date = citation.date.model_copy(update={"day": day, "iso": f"{citation.date.iso[:8]}{day:02d}"})
            mentions = [mention.model_copy(update={"date": date}) for mention in citation.mentions]
            citation = citation.model_copy(update={"date": date, "mentions": mentions})
        citations.append(citation)
    return with_sha(doc, sha256).model_copy(update={"citations": citations})


def search_archive(folder: Path) -> Archive:
    """An archive of the four seeds and two cases, each stored at its corpus path."""
    archive = Archive.open(folder / "search.khplan")
    for stem in SEARCH_STEMS:
        store_doc(archive, corpus_doc(stem))
    return archive
