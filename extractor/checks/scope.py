"""Rule family "scope": the plan's own unit contradicted by its text, and attachments promised but absent.

scope.level. The plan's level (metadata.level) against the unnamed level mentions the entities stage read
(``level_mentions``). Levels sit in tiers: tỉnh; huyện, quận, thị xã; xã, phường, thị trấn. "thành phố" is
a province (Hải Phòng) or a district-level city, so it is read as the tier just above any district or commune
plan and is never a sibling. A mention is a finding when it
- names a sibling level, as the area covered or as a body: a ward's plan with "UBMTTQ xã" or "toàn xã";
- states the area covered at the tier just above: a commune's plan with "trên địa bàn huyện", a ward's with
  "trên địa bàn thị xã có 17 hộ nghèo" (the ward's own count is meant).
Not findings: a body of a higher level ("báo cáo UBND huyện" in a commune's plan is normal), any lower
level (a district plan addresses its communes), the tier word ("cấp xã" is every commune, ward and town),
and scopes two tiers up ("toàn tỉnh" in a commune's plan is usually context). One finding per distinct
phrase, however often it recurs.

scope.attachments. Labels promised ("Có biểu 01, 02, 03 kèm theo") against what the document carries after
its signature: appendix sections and tables. The largest promise of one kind is compared, so "phụ lục kèm
theo" and "biểu 01, 02, 03" in one plan ask for three attachments, not four.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from extractor import data
from extractor.checks.drafts import Draft, Tally, make_draft
from extractor.normalize.text import matching_key
from models.extracted import ExtractedDocument
from models.findings import Location
from models.metadata import AdminLevel
from models.references import AttachmentReference, LevelMention
from models.sections import Section

# Tier of each level, 1 = province, and its words in messages (data/admin_units.yaml). "thanh_pho" has no tier
# of its own (see the module docstring).
_LEVELS = data.admin_units().by_level
TIERS: dict[str, int] = {level: entry.tier for level, entry in _LEVELS.items() if entry.tier is not None}


@dataclass(frozen=True)
class LevelSlip:
    """Why a mention contradicts the plan's level: "sibling" or "parent_scope"."""

    kind: str
    mention: LevelMention
    occurrences: int


def relation(own: AdminLevel, other: AdminLevel) -> str:
    """How ``other`` stands to the plan's level ``own``: "same", "sibling", "parent", "above", "below" or
    "unknown". relation("phuong", "xa") is "sibling"; relation("xa", "huyen") "parent"."""
    if own == other:
        return "same"
    if other == "thanh_pho":
        return "parent" if own != "tinh" else "below"
    if own == "thanh_pho":
        return "below" if TIERS[other] == 3 else "unknown"
    difference = TIERS[own] - TIERS[other]
    if difference == 0:
        return "sibling"
    if difference == 1:
        return "parent"
    return "above" if difference > 1 else "below"


def _slip_kind(own: AdminLevel, mention: LevelMention) -> str | None:
    role = mention.role
    if role == "tier":
        return None
    related = relation(own, mention.level)
    if related == "sibling":
        return "sibling"
    if related == "parent" and role == "scope":
        return "parent_scope"
    return None


def find_level_slips(own: AdminLevel, mentions: list[LevelMention]) -> list[LevelSlip]:
    """The mentions that contradict ``own``, one per distinct phrase (first occurrence, with its count)."""
    first: dict[tuple[str, str], LevelMention] = {}
    counts: dict[tuple[str, str], int] = {}
    kinds: dict[tuple[str, str], str] = {}
    for mention in mentions:
        kind = _slip_kind(own, mention)
        if kind is None:
            continue
        key = (mention.level, matching_key(mention.raw))
        first.setdefault(key, mention)
        kinds.setdefault(key, kind)
        counts[key] = counts.get(key, 0) + 1
    return [LevelSlip(kinds[key], first[key], counts[key]) for key in first]


def _level_draft(own: AdminLevel, slip: LevelSlip) -> Draft:
    mention = slip.mention
    own_vi, own_en = _LEVELS[own].label_vi, _LEVELS[own].label_en
    other_vi, other_en = _LEVELS[mention.level].label_vi, _LEVELS[mention.level].label_en
    values = {
        "own_vi": own_vi,
        "own_en": own_en,
        "other_vi": other_vi,
        "other_en": other_en,
        "mention": mention.raw,
        "times_vi": f" ({slip.occurrences} lần)" if slip.occurrences > 1 else "",
        "times_en": f" ({slip.occurrences} times)" if slip.occurrences > 1 else "",
    }
    return make_draft(
        "scope.level",
        values,
        slip.kind,
        stated=mention.raw,
        expected=own_vi,
        evidence=f"plan level: {own_vi} (metadata); mention level: {other_vi}",
        location=Location(span=mention.span, page=mention.page),
    )


def check_scope_level(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    own = document.metadata.level
    mentions = document.level_mentions
    if not mentions:
        return []
    if own is None:
        tally.skip("scope.level", "plan level unknown")
        return []
    tally.verified += len(mentions)
    return [_level_draft(own, slip) for slip in find_level_slips(own, mentions)]


# ---------------------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------------------


def _label_key(label: str) -> str:
    """ "01" and "1" are one label."""
    return (label.lstrip("0") or "0") if label.isdigit() else label.upper()


def promised_attachments(references: list[AttachmentReference]) -> tuple[int, AttachmentReference | None]:
    """How many attachments the text promises, and the reference that promises most.

    Per kind, the distinct labels (at least one per unlabeled promise); the largest kind is the promise."""
    best_count, best = 0, None
    for kind in {reference.kind for reference in references}:
        of_kind = [reference for reference in references if reference.kind == kind]
        labels = {_label_key(label) for reference in of_kind for label in reference.labels}
        count = max(len(labels), 1)
        if count > best_count:
            best_count = count
            best = max(of_kind, key=lambda reference: len(reference.labels))
    return best_count, best


def _walk(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _walk(section.children)


def _signature_end(document: ExtractedDocument) -> int | None:
    signer = document.metadata.signer
    spans = [
        value.span for value in (signer.name, signer.position, *signer.authority) if value and value.span
    ]
    return max(span.end for span in spans) if spans else None


def attachments_carried(document: ExtractedDocument) -> int:
    """Appendix sections (outermost ones) or tables after the signature, whichever are more."""
    appendices = [section for section in document.sections if "appendix" in section.kinds]
    appendix_ids = {section.id for top in appendices for section in _walk([top])}
    signature_end = _signature_end(document)
    tables = [
        table
        for table in document.tables
        if table.section_id in appendix_ids
        or (signature_end is not None and table.span is not None and table.span.start >= signature_end)
    ]
    return max(len(appendices), len(tables))


def check_scope_attachments(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    promised, reference = promised_attachments(document.attachments)
    if reference is None:
        return []
    tally.verified += 1
    carried = attachments_carried(document)
    if carried >= promised:
        return []
    labels = ", ".join(reference.labels)
    promise = f"{reference.kind} {labels}".strip()
    values = {"reference": reference.raw, "promised": promised, "kind": reference.kind, "carried": carried}
    return [
        make_draft(
            "scope.attachments",
            values,
            stated=promise,
            expected=str(carried),
            evidence=f"promised: {promised}; carried (appendix sections or tables after the signature): {carried}",
            location=Location(span=reference.span, page=reference.page),
        )
    ]


def check_scope(document: ExtractedDocument, tally: Tally) -> list[Draft]:
    """Both scope rules over the extracted document (level mentions, attachments, sections, tables)."""
    return check_scope_level(document, tally) + check_scope_attachments(document, tally)
