"""Full-text search over the archive: SQLite FTS5 ranked by bm25, insensitive to diacritics and tone placement.

Both the indexed text and the query go through ``fold`` ("Đào tạo" and "dao tao" both give "dao tao", "hòa"
and "hoà" both "hoa"), so FTS5 compares one alphabet. ``fold`` maps one character to one character: an offset
in the folded text is the same offset in the shown text, which is how a hit's highlights are found.

Ranking, for ``"hộ nghèo"``: rows holding the words as an adjacent phrase come before rows holding them apart
("hộ cận nghèo"); among those, a target whose indicator holds every word comes before a passing mention; then
bm25, with the indicator column weighted ``INDICATOR_WEIGHT`` times the text column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex
from sqlalchemy import ColumnElement, Connection, select

from extractor.archive.schema import FTS_TABLE, document_paths, documents, search_rows, tag_token
from extractor.normalize.text import fold, normalize_text
from models import ExtractedDocument
from models.provenance import Span
from models.sections import Section

KINDS = ("target", "assignment", "citation", "section", "finding")
LEVELS = ("province", "district", "commune")
DEFAULT_LIMIT = 50
INDICATOR_WEIGHT = 4.0
PHRASE_WEIGHT = 2.0
# A shown sentence longer than this is cut around its match: a plan's paragraphs run to a thousand characters.
MAX_CONTEXT = 360

_WORD = regex.compile(r"[\p{L}\p{N}]+")
# The words of an indexed (folded) text, to rank it: the standard library's \w, faster than ``regex`` here.
_TOKEN = re.compile(r"\w+")
_SENTENCE_END = regex.compile(r"[.;:!?](?=\s)|\n")


@dataclass(frozen=True)
class DocumentRef:
    """The document a hit or a citation belongs to, as a reader names it."""

    id: int
    path: str | None
    issuer: str | None
    number: str | None
    date: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "issuer": self.issuer,
            "number": self.number,
            "date": self.date,
        }


@dataclass(frozen=True)
class SearchFilters:
    """What to search in (and what ``export`` writes): ``SearchFilters(issuer="cao nhân", year=2024, kind="target")``.

    ``issuer`` is a substring compared folded; ``level`` one of ``LEVELS``; ``year`` the plan's year;
    ``indicator`` a target indicator key ("poverty_rate", targets only); ``kind`` one of ``KINDS``;
    ``has_errors`` keeps documents with (True) or without (False) error findings; ``limit`` caps the rows
    (search defaults to ``DEFAULT_LIMIT``, export writes every row); ``offset`` skips the first rows (a page).
    """

    issuer: str | None = None
    level: str | None = None
    year: int | None = None
    indicator: str | None = None
    kind: str | None = None
    has_errors: bool | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {self.level!r}")
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise ValueError("limit and offset must not be negative")


NO_FILTERS = SearchFilters()


@dataclass(frozen=True)
class SearchHit:
    """One matching text. ``highlights`` are ``(start, end)`` offsets of the matched words in ``text``;
    ``value``, ``unit``, ``direction`` and ``deadline`` are set for a target."""

    document: DocumentRef
    kind: str
    ref_id: str | None
    section_numbering: str | None
    section_heading: str | None
    text: str
    highlights: tuple[tuple[int, int], ...]
    score: float
    indicator: str | None = None
    indicator_key: str | None = None
    value: float | None = None
    unit: str | None = None
    direction: str | None = None
    deadline: str | None = None
    page: int | None = None

    @property
    def section(self) -> str | None:
        """ "II. MỤC TIÊU, CHỈ TIÊU", or the heading alone when it has no numbering."""
        if self.section_heading is None:
            return None
        return (
            f"{self.section_numbering}. {self.section_heading}"
            if self.section_numbering
            else self.section_heading
        )

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each highlight wrapped: "giảm [hộ nghèo] còn 1,94%"."""
        pieces, last = [], 0
        for start, end in self.highlights:
            pieces += [self.text[last:start], before, self.text[start:end], after]
            last = end
        return "".join([*pieces, self.text[last:]])

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "kind": self.kind,
            "ref_id": self.ref_id,
            "section": self.section,
            "text": self.text,
            "highlights": [list(span) for span in self.highlights],
            "marked": self.marked(),
            "score": self.score,
            "indicator": self.indicator,
            "indicator_key": self.indicator_key,
            "value": self.value,
            "unit": self.unit,
            "direction": self.direction,
            "deadline": self.deadline,
            "page": self.page,
        }


# ---------------------------------------------------------------------------------------------------
# Indexing
# ---------------------------------------------------------------------------------------------------


def search_texts(doc: ExtractedDocument) -> list[dict[str, Any]]:
    """The rows of ``search_rows`` for one document (without ``document_id``), one per target, duty,
    citation mention, section heading and finding."""
    headings = _SectionIndex(doc.sections)
    rows = [*_target_texts(doc, headings), *_assignment_texts(doc, headings), *_citation_texts(doc, headings)]
    rows += [_row("section", s.id, headings.by_id(s.id), s.heading, page=s.page) for s in headings.flat]
    for finding in doc.findings:
        where = finding.location.span.start if finding.location.span else None
        section = (
            headings.at(where) if where is not None else headings.of_table(doc, finding.location.table_id)
        )
        rows.append(_row("finding", finding.id, section, finding.message_vi, page=finding.location.page))
    return rows


_TARGET_COLUMNS = dict.fromkeys(
    ("indicator", "indicator_key", "value", "unit", "direction", "deadline", "page")
)


def _row(kind: str, ref_id: str, section: Section | None, shown: str, **extra: Any) -> dict[str, Any]:
    """One row of ``search_rows``; every row has every key (one executemany inserts them all)."""
    return {
        **_TARGET_COLUMNS,
        "kind": kind,
        "ref_id": ref_id,
        "section_numbering": section.numbering if section else None,
        "section_heading": section.heading if section else None,
        "text": shown,
        **extra,
    }


def _target_texts(doc: ExtractedDocument, headings: _SectionIndex) -> Iterable[dict[str, Any]]:
    for target in doc.targets:
        deadline = None
        if target.period:
            written = target.period.deadline
            deadline = (written.iso or written.raw) if written else target.period.raw
        yield _row(
            "target",
            target.id,
            headings.by_id(target.section_id),
            sentence_around(doc.text, target.span),
            indicator=target.indicator.text,
            indicator_key=target.indicator.key,
            value=target.value,
            unit=target.unit,
            direction=target.direction,
            deadline=deadline,
            page=target.page,
        )


def _assignment_texts(doc: ExtractedDocument, headings: _SectionIndex) -> Iterable[dict[str, Any]]:
    for assignment in doc.assignments:
        section = headings.by_id(assignment.section_id)
        if not assignment.duties:
            yield _row("assignment", assignment.id, section, assignment.body, page=assignment.page)
        for duty in assignment.duties:
            shown = f"{assignment.body}: {duty.text}"
            yield _row("assignment", assignment.id, section, shown, deadline=duty.deadline, page=duty.page)


def _citation_texts(doc: ExtractedDocument, headings: _SectionIndex) -> Iterable[dict[str, Any]]:
    for citation in doc.citations:
        for mention in citation.mentions:
            section = headings.by_id(mention.section_id) or headings.at(mention.span.start)
            shown = sentence_around(doc.text, mention.span)
            yield _row("citation", citation.id, section, shown, page=mention.page)


def sentence_around(whole: str, span: Span, limit: int = MAX_CONTEXT) -> str:
    """The sentence of ``whole`` holding ``span`` (cut at ". ", "; ", line ends), at most ``limit`` characters
    around it: the span of "tỷ lệ hộ nghèo còn 1,94%" gives "- Phấn đấu giảm tỷ lệ hộ nghèo còn 1,94%"."""
    start = max((m.end() for m in _SENTENCE_END.finditer(whole, 0, span.start)), default=0)
    following = _SENTENCE_END.search(whole, span.end)
    end = following.start() + (following.group() != "\n") if following else len(whole)
    if span.start - start > limit // 2:  # a long sentence is cut at a space, never inside a word
        cut = whole.find(" ", span.start - limit // 2, span.start)
        start = cut + 1 if cut >= 0 else span.start
    stop = max(span.end, start + limit)
    if end > stop:
        cut = whole.rfind(" ", span.end, stop)
        end = cut if cut >= 0 else stop
    return whole[start:end].strip()


class _SectionIndex:
    """The section tree flattened, to name the section of an id or of a character offset."""

    def __init__(self, tree: list[Section]) -> None:
        self.flat: list[Section] = []
        stack = list(reversed(tree))
        while stack:
            section = stack.pop()
            self.flat.append(section)
            stack.extend(reversed(section.children))
        self._ids = {section.id: section for section in self.flat}

    def by_id(self, section_id: str | None) -> Section | None:
        return self._ids.get(section_id) if section_id else None

    def at(self, offset: int) -> Section | None:
        holding = [s for s in self.flat if s.span.start <= offset < s.span.end]
        return max(holding, key=lambda s: s.level, default=None)

    def of_table(self, doc: ExtractedDocument, table_id: str | None) -> Section | None:
        table = next((t for t in doc.tables if t.id == table_id), None)
        return self.by_id(table.section_id) if table else None


# ---------------------------------------------------------------------------------------------------
# Querying
# ---------------------------------------------------------------------------------------------------


def query_words(query: str) -> list[str]:
    """The folded words of a query: "Hộ  NGHÈO!" -> ["ho", "ngheo"]."""
    return _WORD.findall(fold(normalize_text(query)))


def match_expressions(words: list[str]) -> tuple[str, str, str]:
    """The FTS5 expressions for ``words``: (every word anywhere, the phrase, every word in the indicator).

    ["ho", "ngheo"] -> ('"ho ngheo" OR ("ho" AND "ngheo")', '"ho ngheo"', 'indicator : ("ho" AND "ngheo")').
    Words hold only letters and digits, so quoting them is enough to keep FTS5 syntax out.
    """
    quoted = [f'"{word}"' for word in words]
    phrase = f'"{" ".join(words)}"'
    every = " AND ".join(quoted)
    anywhere = f"{phrase} OR ({every})" if len(words) > 1 else phrase
    return anywhere, phrase, f"indicator : ({every})"


def tier_expressions(words: list[str]) -> list[str]:
    """One FTS5 expression per rank tier, best first, each excluding the better ones: the phrase with every
    word in the indicator, the phrase alone, the indicator alone, the words apart.

    ["ho", "ngheo"] -> ['("ho ngheo") AND (indicator : ("ho" AND "ngheo"))', '("ho ngheo") NOT (indicator :
    …)', '(indicator : …) NOT ("ho ngheo")', '(("ho" AND "ngheo") NOT ("ho ngheo")) NOT (indicator : …)'];
    one word has only the first two.
    """
    _, phrase, in_indicator = match_expressions(words)
    tiers = [f"({phrase}) AND ({in_indicator})", f"({phrase}) NOT ({in_indicator})"]
    if len(words) > 1:
        every = " AND ".join(f'"{word}"' for word in words)
        tiers += [f"({in_indicator}) NOT ({phrase})", f"(({every}) NOT ({phrase})) NOT ({in_indicator})"]
    return tiers


def filter_expression(filters: SearchFilters) -> str | None:
    """The FTS5 expression of the filters the index carries (``schema.filter_tags``): SearchFilters(kind=
    "target", year=2024, issuer="Sơn Tây") -> 'tags : (ktarget AND y2024) AND issuer : ("son tay")'.
    The issuer is matched as words in order ("sơn tây" finds "UBND xã Sơn Tây"), not as any substring."""
    tags = []
    if filters.kind:
        tags.append(tag_token("k", filters.kind))
    if filters.indicator:
        tags.append(tag_token("i", filters.indicator))
    if filters.year is not None:
        tags.append(tag_token("y", filters.year))
    if filters.level:
        tags.append(tag_token("l", filters.level))
    if filters.has_errors is not None:
        tags.append(tag_token("e", int(filters.has_errors)))
    parts = [f"tags : ({' AND '.join(tags)})"] if tags else []
    if filters.issuer:
        issuer_words = query_words(filters.issuer)
        if issuer_words:
            parts.append(f'issuer : ("{" ".join(issuer_words)}")')
    return " AND ".join(parts) or None


# A tier with more matches than this is ranked among its most recent WINDOW (the rows of the newest documents):
# a common phrase matches 100,000 rows of a large archive, and scoring them all costs a tenth of a second.
WINDOW = 250
# BM25's constants, as FTS5 uses them.
_K1, _B = 1.2, 0.75


def search(conn: Connection, query: str, filters: SearchFilters = NO_FILTERS) -> list[SearchHit]:
    """Hits for ``query`` in the current documents, best first: ``search(conn, "ho ngheo")`` finds
    "giảm tỷ lệ hộ nghèo còn 1,94%". A query with no word gives [].

    Tier by tier (``tier_expressions``), each ANDed with the filters: the tier's most recent ``WINDOW`` rows
    are read from the index with their folded texts and ranked by ``relevance``, until ``offset + limit``
    rows are found. (FTS5's own bm25 first counts, for every word, the rows holding it in the whole index:
    17 ms for "hộ nghèo" over 100,000 targets, before ranking anything.)
    """
    words = query_words(query)
    if not words:
        return []
    wanted = filters.offset + (filters.limit or DEFAULT_LIMIT)
    restrict = filter_expression(filters)

    def restricted(expression: str) -> str:
        return f"({expression}) AND ({restrict})" if restrict else expression

    _, phrase, in_indicator = match_expressions(words)
    # Which tiers can hold rows, asked only when reached: a phrase nowhere empties the first two tiers at the
    # cost of one probe (an empty tier costs a scan of every row holding all the words).
    needs = [(phrase, in_indicator), (phrase,), (in_indicator,), ()] if len(words) > 1 else [(), ()]
    found: dict[str, bool] = {}

    def holds(part: str) -> bool:
        if part not in found:
            found[part] = _any(conn, restricted(part))
        return found[part]

    ranked: list[tuple[int, float]] = []
    for tier, needed in zip(tier_expressions(words), needs, strict=True):
        if len(ranked) >= wanted:
            break
        if not all(holds(part) for part in needed):
            continue
        ranked += _rank_tier(conn, restricted(tier), words, max(WINDOW, wanted))
    ranked = ranked[filters.offset : wanted]
    if not ranked:
        return []
    chosen = select(search_rows).where(search_rows.c.id.in_([rowid for rowid, _ in ranked]))
    rows = {row["id"]: row for row in conn.execute(chosen).mappings()}
    refs = document_refs(conn, {row["document_id"] for row in rows.values()})
    return [  # a row a running batch deleted after the index was read is left out
        _hit(rows[rowid], refs[rows[rowid]["document_id"]], words, score)
        for rowid, score in ranked
        if rowid in rows and rows[rowid]["document_id"] in refs
    ]


def _any(conn: Connection, expression: str) -> bool:
    return (
        conn.exec_driver_sql(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid DESC LIMIT 1",
            (expression,),
        ).first()
        is not None
    )


def _rank_tier(conn: Connection, expression: str, words: list[str], window: int) -> list[tuple[int, float]]:
    """(rowid, relevance) of the ``window`` most recent rows matching ``expression``, best first (ties: the
    older row first, as rowids go)."""
    found = conn.exec_driver_sql(
        f"SELECT rowid, indicator, text FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rowid DESC LIMIT ?",
        (expression, window),
    ).all()
    if not found:
        return []
    tokens = [(rowid, _TOKEN.findall(indicator), _TOKEN.findall(shown)) for rowid, indicator, shown in found]
    average = sum(len(a) + len(b) for _, a, b in tokens) / len(tokens) or 1.0
    scored = [(rowid, relevance(words, indicator, shown, average)) for rowid, indicator, shown in tokens]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def relevance(words: list[str], indicator: list[str], shown: list[str], average_length: float) -> float:
    """BM25 of one row over the query's words and its phrase (which weighs ``PHRASE_WEIGHT`` words), an
    indicator hit counting ``INDICATOR_WEIGHT`` times a text hit, the length normalized by ``average_length``
    (tokens of the rows ranked together).

    A term counts once per column: in a one-sentence text a repeated word ("100% hộ nghèo, hộ cận nghèo")
    says nothing of relevance, and every word weighs the same (no IDF: the rows ranked together hold every
    word already). So the shortest text with the phrase ranks first: for ["ho", "ngheo"], "Tỷ lệ hộ nghèo
    toàn huyện" before "hộ nghèo, hộ cận nghèo được cấp thẻ bảo hiểm y tế".
    """
    length = len(indicator) + len(shown)
    norm = _K1 * (1 - _B + _B * length / average_length)
    score = 0.0
    terms = [((word,), 1.0) for word in words] + ([(tuple(words), PHRASE_WEIGHT)] if len(words) > 1 else [])
    for term, weight in terms:
        hits = INDICATOR_WEIGHT * _present(indicator, term) + _present(shown, term)
        score += weight * hits * (_K1 + 1) / (hits + norm)
    return score


def _present(tokens: list[str], term: tuple[str, ...]) -> int:
    """1 when ``tokens`` hold ``term`` (a word, or a phrase of adjacent words), else 0."""
    if len(term) == 1:
        return int(term[0] in tokens)
    return int(f" {' '.join(term)} " in f" {' '.join(tokens)} ")


def document_conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """The WHERE terms on ``documents`` for ``filters``: current ok documents, then each filter given."""
    conditions = [documents.c.status == "ok", documents.c.superseded.is_(False)]
    if filters.issuer:
        conditions.append(
            documents.c.issuer_folded.contains(fold(normalize_text(filters.issuer)), autoescape=True)
        )
    if filters.level:
        conditions.append(documents.c.level == filters.level)
    if filters.year is not None:
        conditions.append(documents.c.year == filters.year)
    if filters.has_errors is not None:
        conditions.append(documents.c.has_errors.is_(filters.has_errors))
    return conditions


def _hit(row: Any, document: DocumentRef, words: list[str], score: float) -> SearchHit:
    return SearchHit(
        document=document,
        kind=row["kind"],
        ref_id=row["ref_id"],
        section_numbering=row["section_numbering"],
        section_heading=row["section_heading"],
        text=row["text"],
        highlights=highlights(row["text"], words),
        score=round(score, 6),
        indicator=row["indicator"],
        indicator_key=row["indicator_key"],
        value=row["value"],
        unit=row["unit"],
        direction=row["direction"],
        deadline=row["deadline"],
        page=row["page"],
    )


def highlights(shown: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    """Offsets in ``shown`` of the query's phrase, else of its words, found in the folded text (same
    offsets): highlights("Giảm hộ nghèo", ["ho", "ngheo"]) -> ((5, 13),)."""
    folded = fold(shown)
    if len(folded) != len(shown):  # never for NFC text; a safeguard rather than wrong offsets
        return ()
    bound = r"(?<![\p{L}\p{N}])"
    phrase = regex.compile(bound + r"\s+".join(map(regex.escape, words)) + r"(?![\p{L}\p{N}])")
    spans = [m.span() for m in phrase.finditer(folded)]
    if not spans:
        alternatives = "|".join(map(regex.escape, sorted(words, key=len, reverse=True)))
        spans = [m.span() for m in regex.finditer(rf"{bound}(?:{alternatives})(?![\p{{L}}\p{{N}}])", folded)]
    return tuple(spans)


def document_refs(conn: Connection, ids: Iterable[int]) -> dict[int, DocumentRef]:
    """Id -> the document's reference, its path being the one seen last. On SQLite the ids go as one JSON
    list (``json_each``): a thousand bound ids cost SQLAlchemy more than the query itself."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    if conn.dialect.name == "sqlite":
        listed = (json.dumps(ids),)
        seen = conn.exec_driver_sql(
            "SELECT document_id, path FROM document_paths WHERE document_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY last_seen, id",
            listed,
        ).all()
        found = conn.exec_driver_sql(
            "SELECT id, issuer, number, doc_date FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            listed,
        ).all()
    else:
        seen = conn.execute(
            select(document_paths.c.document_id, document_paths.c.path)
            .where(document_paths.c.document_id.in_(ids))
            .order_by(document_paths.c.last_seen, document_paths.c.id)
        ).all()
        columns = (documents.c.id, documents.c.issuer, documents.c.number, documents.c.doc_date)
        found = conn.execute(select(*columns).where(documents.c.id.in_(ids))).all()
    paths = dict(seen)  # the last one seen wins
    return {
        document_id: DocumentRef(document_id, paths.get(document_id), issuer, number, date)
        for document_id, issuer, number, date in found
    }


__all__ = [
    "DEFAULT_LIMIT",
    "KINDS",
    "LEVELS",
    "NO_FILTERS",
    "DocumentRef",
    "SearchFilters",
    "SearchHit",
    "document_conditions",
    "document_refs",
    "filter_expression",
    "search",
    "tier_expressions",
]
