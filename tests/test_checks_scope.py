"""Rule family "scope": a plan's own level contradicted by its text, and attachments promised but absent."""

from pathlib import Path

import pytest

from extractor.checks.drafts import Tally
from extractor.checks.scope import check_scope, relation
from extractor.entities.references import mention_role
from models import ExtractedDocument, Metadata, Section, Signer, Sourced, SourceInfo, Span
from models.references import AttachmentReference, LevelMention
from models.tables import Table
from tests.conftest import CORPUS, SEEDS, extracted


def document(
    level: str | None,
    phrases: list[tuple[str, str]] = (),
    promised: list[tuple[str, list[str]]] = (),
    appendices: int = 0,
    tables_after_signature: int = 0,
) -> ExtractedDocument:
    """A plan of ``level`` whose text is its level mentions (level, raw) then its attachment promises,
    a signature, ``appendices`` appendix sections and ``tables_after_signature`` tables."""
    pieces, mentions, references = [], [], []
    offset = 0
    for mention_level, raw in phrases:
        mention = LevelMention(level=mention_level, raw=raw, span=Span(start=offset, end=offset + len(raw)))
        mentions.append(mention.model_copy(update={"role": mention_role(mention)}))
        pieces.append(raw)
        offset += len(raw) + 1
    for kind, labels in promised:
        raw = f"(Có {kind} {', '.join(labels)} kèm theo)".replace("  ", " ")
        references.append(
            AttachmentReference(
                kind=kind, labels=labels, raw=raw, span=Span(start=offset, end=offset + len(raw))
            )
        )
        pieces.append(raw)
        offset += len(raw) + 1
    name = "Nguyễn Văn A"
    signer = Sourced(value=name, source="signature", span=Span(start=offset, end=offset + len(name)))
    pieces.append(name)
    offset += len(name) + 1
    sections, tables = [], []
    for number in range(1, appendices + 1):
        heading = f"PHỤ LỤC {number}"
        span = Span(start=offset, end=offset + len(heading))
        sections.append(
            Section(
                id=f"s{number}",
                numbering=None,
                heading=heading,
                level=1,
                kinds=["appendix"],
                span=span,
                heading_span=span,
            )
        )
        pieces.append(heading)
        offset += len(heading) + 1
    for number in range(1, tables_after_signature + 1):
        tables.append(Table(id=f"t{number}", columns=[], rows=[], span=Span(start=offset, end=offset + 1)))
        pieces.append("x")
        offset += 2
    text = "\n".join(pieces)
    return ExtractedDocument(
        source=SourceInfo(path="test.txt", sha256="0" * 64, format="txt"),
        text=text,
        metadata=Metadata(level=level, signer=Signer(name=signer)),
        sections=sections,
        tables=tables,
        level_mentions=mentions,
        attachments=references,
    )


def scope_findings(doc: ExtractedDocument) -> list[tuple[str, str | None]]:
    return [(draft.rule, draft.stated) for draft in check_scope(doc, Tally())]


@pytest.mark.parametrize(
    ("own", "other", "expected"),
    [
        ("xa", "xa", "same"),
        ("phuong", "xa", "sibling"),
        ("xa", "thi_tran", "sibling"),
        ("huyen", "quan", "sibling"),
        ("xa", "huyen", "parent"),
        ("phuong", "thi_xa", "parent"),
        ("xa", "thanh_pho", "parent"),
        ("huyen", "thanh_pho", "parent"),
        ("huyen", "tinh", "parent"),
        ("xa", "tinh", "above"),
        ("huyen", "xa", "below"),
        ("thanh_pho", "phuong", "below"),
        ("thanh_pho", "quan", "unknown"),
    ],
)
def test_relation_between_levels(own: str, other: str, expected: str) -> None:
    assert relation(own, other) == expected


@pytest.mark.parametrize(
    ("own", "phrases", "expected"),
    [
        # a commune's plan stating a district scope, twice: one finding
        (
            "xa",
            [("huyen", "trên địa bàn huyện"), ("xa", "trên địa bàn xã"), ("huyen", "trên địa bàn huyện")],
            [("scope.level", "trên địa bàn huyện")],
        ),
        ("xa", [("huyen", "toàn huyện")], [("scope.level", "toàn huyện")]),
        # a ward's plan: a commune body, and the town's scope, are findings; the town's UBND is not
        ("phuong", [("xa", "UBMTTQ xã")], [("scope.level", "UBMTTQ xã")]),
        ("phuong", [("thi_xa", "trên địa bàn thị xã")], [("scope.level", "trên địa bàn thị xã")]),
        ("phuong", [("thi_xa", "UBND thị xã")], []),
        ("phuong", [("xa", "toàn xã")], [("scope.level", "toàn xã")]),
        ("huyen", [("quan", "UBND quận")], [("scope.level", "UBND quận")]),
        # what a plan legitimately says about other levels
        ("xa", [("huyen", "UBND huyện"), ("huyen", "cấp huyện"), ("tinh", "toàn tỉnh")], []),
        ("phuong", [("xa", "cấp xã")], []),
        ("huyen", [("xa", "UBND xã"), ("xa", "toàn xã"), ("xa", "cấp xã"), ("huyen", "toàn huyện")], []),
        ("xa", [("xa", "UBND xã"), ("xa", "toàn xã")], []),
    ],
)
def test_scope_level(own: str, phrases: list[tuple[str, str]], expected: list) -> None:
    assert scope_findings(document(own, phrases)) == expected


def test_scope_level_finding_is_located_and_counted() -> None:
    doc = document(
        "xa", [("xa", "toàn xã"), ("huyen", "trên địa bàn huyện"), ("huyen", "trên địa bàn huyện")]
    )
    tally = Tally()
    [draft] = check_scope(doc, tally)
    assert draft.location.span == doc.level_mentions[1].span
    assert "(2 lần)" in draft.message_vi and "(2 times)" in draft.message_en
    assert draft.expected == "xã"
    assert tally.verified == 3


def test_scope_level_skipped_without_the_plan_level() -> None:
    tally = Tally()
    assert check_scope(document(None, [("huyen", "trên địa bàn huyện")]), tally) == []
    assert ("scope.level", "plan level unknown") in tally.skipped


@pytest.mark.parametrize(
    ("promised", "appendices", "tables", "expected"),
    [
        ([("biểu", ["01", "02", "03"])], 1, 1, [("scope.attachments", "biểu 01, 02, 03")]),
        ([("biểu", ["01", "02", "03"])], 0, 3, []),
        ([("biểu", ["01", "02", "03"])], 3, 0, []),
        ([("phụ lục", [])], 1, 0, []),
        ([("phụ lục", [])], 0, 0, [("scope.attachments", "phụ lục")]),
        # "phụ lục kèm theo" and "biểu 01, 02, 03" ask for three, not four
        ([("biểu", ["01", "02", "03"]), ("phụ lục", [])], 0, 3, []),
        # "01" and "1" are the same label
        ([("biểu", ["01", "02"]), ("biểu", ["1"])], 2, 0, []),
        ([("phụ lục", ["I", "II"])], 1, 0, [("scope.attachments", "phụ lục I, II")]),
        ([], 0, 0, []),
    ],
)
def test_scope_attachments(promised: list, appendices: int, tables: int, expected: list) -> None:
    assert scope_findings(document("xa", [], promised, appendices, tables)) == expected


def test_tables_before_the_signature_are_not_attachments() -> None:
    doc = document("xa", [], [("biểu", ["01"])])
    body_table = Table(id="t1", columns=[], rows=[], span=Span(start=0, end=1))
    doc = doc.model_copy(update={"tables": [body_table]})
    assert scope_findings(doc) == [("scope.attachments", "biểu 01")]


# ---------------------------------------------------------------------------------------------------------
# Seeds and cases, read through the pipeline.
# ---------------------------------------------------------------------------------------------------------


def scope_of(path: Path) -> list[tuple[str, str | None]]:
    return scope_findings(extracted(path))


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        # commune Cao Nhân: "trên địa bàn huyện" only in the title of the district plan it cites
        ("000_18cf555f364dcc13", []),
        # commune Sơn Tây: its land officer is to promote "ngành nghề truyền thống trên địa bàn huyện", a duty
        # copied from the district plan (the next line gives the same officer "Dự án 2, Dự án 3" of the district)
        ("001_1747db98b33217c6", [("scope.level", "trên địa bàn huyện")]),
        # ward Quảng Minh: "trên địa bàn thị xã có 17 hộ nghèo" (the ward's own 17), "UBMTTQ xã" among its
        # recipients; "biểu 01, 02, 03" promised, one appendix table carried. "UBND thị xã Việt Yên" is a citation.
        (
            "002_724ff193a1037eed",
            [
                ("scope.level", "trên địa bàn thị xã"),
                ("scope.level", "UBMTTQ xã"),
                ("scope.attachments", "biểu 01, 02, 03"),
            ],
        ),
        # district Yên Châu addressing "các xã, thị trấn" and "cấp xã"
        ("004_ab6f31fa12f1256e", []),
    ],
)
def test_seeds(stem: str, expected: list) -> None:
    assert scope_of(SEEDS / f"{stem}.txt") == expected


def test_case_commune_plan_with_copied_scope() -> None:
    """Commune Hồng Minh: "trên địa bàn huyện" twice (its own 19 poor households; its production programmes),
    "Ủy ban MTTQ phường", and "Phụ lục I, II" promised with one appendix. Not findings: the district plan's
    title it cites, "báo cáo UBND huyện", "phòng ban của huyện", "cấp xã", "toàn xã hội"."""
    found = scope_of(CORPUS / "cases" / "scope-xa-chep-pham-vi-huyen.txt")
    assert found == [
        ("scope.level", "trên địa bàn huyện"),
        ("scope.level", "Ủy ban MTTQ phường"),
        ("scope.attachments", "phụ lục I, II"),
    ]


def test_case_ward_plan_within_its_level() -> None:
    """Ward An Hòa cites the district (quận) plan and the city's resolution, reports to "UBND quận", learns
    from "các phường, xã bạn" and carries both promised biểu after its signature: no finding."""
    path = CORPUS / "cases" / "scope-phuong-dung-cap.txt"
    doc = extracted(path)
    assert doc.metadata.level == "phuong"
    assert {mention.level for mention in doc.level_mentions} == {"phuong", "quan"}
    assert [reference.labels for reference in doc.attachments] == [["01", "02"]]
    assert scope_findings(doc) == []
