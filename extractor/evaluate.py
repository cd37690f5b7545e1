"""`khplan eval`: precision, recall and F1 of the extraction against gold files written by reading documents.

Gold lives in ``corpus/gold/<field>/<document stem>.json``, the document in ``corpus/seeds/`` or
``corpus/cases/`` under the same stem, and for the seeds in ``corpus/expected/`` (metadata and the section
tree in ``expected/<stem>.json``, the tables cell by cell in ``expected/tables/<stem>.json``). Seven fields
are scored:

- ``citations``, ``targets``, ``amounts`` (a JSON list each): a predicted item is correct when its key equals a
  gold item's key; keys compare what an auditor needs right (for a target: indicator, value or range, unit,
  qualitative), not wording.
- ``metadata`` (one object: issuer, number, symbol, place, date, doc_type, title, signer, position, and
  authority when given): each field is a gold item, compared on a key that ignores how it was written (case,
  white space; for the issuer also diacritics and the abbreviations UBND/HĐND; a date by its parts). A value
  missing on both sides is correct. Gold also comes from ``corpus/expected/header-*.json``
  (``{"document": "<name>.txt", "metadata": {...}}``, the document in ``cases/``) and from the seeds'
  ``expected/<stem>.json``.
- ``sections``: every part of the section tree, keyed by its numbering path from the root ("II", "II/1"),
  its heading (on ``text_key``) and its kinds: a heading misread or a kind lost is a miss.
- ``table_cells``: every cell of every table, keyed by the table's position, the row's label (and which
  occurrence of it, for labels a table repeats), the column's position and the value as the CSV export
  writes it ("2.19", "183"): a cell misread, a row or column lost is a miss.
- ``table_headers``: every column of every table, keyed by the table's position, the column's and its
  header path ("Hộ nghèo / Tỷ lệ %"). Scored apart from the cells, so that one misread header word counts
  once and not once per row.
- ``findings`` (``{"errors": [...], "consistent": [...]}``): a predicted finding of severity "error" is right
  when it points at a planted error: a table cell of the error (its own or one of its ``cells``), or, for an
  error in the text, a span overlapping the error's quote. Recall counts the gold errors that a finding of any
  severity points at.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from extractor.normalize.text import fold, matching_key, normalize_text
from extractor.output.csv import cell_csv_value
from models import ExtractedDocument, Metadata, Section, Sourced
from models.findings import Finding
from models.tables import Row, Table

Key = tuple[Hashable, ...]


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 6)


def _date_key(date: Any) -> str | None:
    if date is None:
        return None
    if isinstance(date, str):
        return date
    parts = [date.year, date.month, date.day]
    return "-".join("??" if part is None else f"{part:02d}" for part in parts)


def citation_key(item: Any) -> Key:
    if isinstance(item, dict):
        return (item.get("symbol") or item.get("title"), item.get("type"), item.get("date"))
    return (item.symbol or item.title, item.type, _date_key(item.date))


def target_key(item: Any) -> Key:
    if isinstance(item, dict):
        bounds = item.get("range")
        span = (_number(bounds[0]), _number(bounds[1])) if bounds else None
        return (
            item["indicator"],
            _number(item.get("value")),
            span,
            item.get("unit"),
            bool(item.get("qualitative")),
        )
    span = (_number(item.range.low), _number(item.range.high)) if item.range else None
    return (item.indicator.key, _number(item.value), span, item.unit, item.qualitative)


def amount_key(item: Any) -> Key:
    if isinstance(item, dict):
        return (item["kind"], _number(item["value"]), item["unit"], item.get("per"))
    return (item.kind, _number(item.value), item.unit, item.per)


KEYS: dict[str, Callable[[Any], Key]] = {
    "citations": citation_key,
    "targets": target_key,
    "amounts": amount_key,
}

# Every scored field, in the order of the report.
FIELDS: tuple[str, ...] = (*KEYS, "metadata", "sections", "table_cells", "table_headers", "findings")


# ---------------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------------


def f1_score(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Score:
    """Counts for one field over one or more documents.

    ``correct`` counts the gold items found (recall's numerator), ``correct_predicted`` the predicted items
    that are right (precision's numerator). They differ for metadata (a value missing on both sides is
    correct but was not predicted) and findings (a gold error may be found by a warning; several findings may
    point at one error); ``None`` means "the same as ``correct``", as for the list fields.
    """

    field: str
    gold: int
    predicted: int
    correct: int
    correct_predicted: int | None = None

    @property
    def true_positives(self) -> int:
        """The predicted items that are right."""
        return self.correct if self.correct_predicted is None else self.correct_predicted

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        return f1_score(self.precision, self.recall)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.field,
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.correct + other.correct,
            self.true_positives + other.true_positives,
        )


@dataclass(frozen=True)
class DocumentScore:
    """One field of one document: its counts, and the keys of the gold items missed and of the wrong
    predictions (for metadata, ``(field, value as written)``; for findings, the false errors)."""

    document: str
    score: Score
    missed: list[Key]
    spurious: list[Key]


def score_field(field: str, predicted: list[Any], gold: list[dict[str, Any]], document: str) -> DocumentScore:
    """Match predicted to gold items as multisets of keys."""
    key = KEYS[field]
    return score_keys(field, [key(item) for item in predicted], [key(item) for item in gold], document)


# ---------------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------------

METADATA_FIELDS = ("issuer", "number", "symbol", "place", "date", "doc_type", "title", "signer", "position")
_ABBREVIATIONS = {"ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "hdnd": "hội đồng nhân dân"}
_FOLDED_ABBREVIATION = regex.compile(
    r"(?<![\p{L}\p{N}])(" + "|".join(sorted({fold(short) for short in _ABBREVIATIONS})) + r")(?![\p{L}\p{N}])"
)
_FOLDED_EXPANSION = {fold(short): fold(long) for short, long in _ABBREVIATIONS.items()}
_SPACE = regex.compile(r"\s+")


def text_key(value: str | None) -> str | None:
    """A title, name, position, place or symbol compared without case or white space differences.

    "CHUYỂN ĐỔI SỐ  tỉnh Tuyên Quang" and "Chuyển đổi số tỉnh Tuyên Quang" agree; so do the two tone
    placements of one syllable ("hoà" / "hòa"), which are the same word. Blank is None.
    """
    key = matching_key(value) if value else ""
    return key or None


def issuer_key(value: str | None) -> str | None:
    """An issuing body compared without case, diacritics or spaces, the abbreviations UBND and HĐND spelled
    out: "UBND xã Cao Nhân" and "ỦY BAN NHÂN DÂN XÃ CAO NHÂN" both give "uibannhandanxacaonhan"."""
    key = text_key(value)
    if key is None:
        return None
    expanded = _FOLDED_ABBREVIATION.sub(lambda match: _FOLDED_EXPANSION[match[1]], fold(key))
    return _SPACE.sub("", expanded)


def date_parts(value: Any) -> tuple[int | None, int | None, int | None] | None:
    """A date as (day, month, year), any part possibly blank: from an ISO string "2024-03-12", a gold object
    {"day": null, "month": 1, "year": 2025}, or a ``PartialDate``. None when no part is known."""
    if value is None:
        return None
    if isinstance(value, str):
        year, month, day = (int(part) for part in value.split("-"))
        return (day, month, year)
    if isinstance(value, dict):
        parts = (value.get("day"), value.get("month"), value.get("year"))
    else:
        parts = (value.day, value.month, value.year)
    return None if parts == (None, None, None) else parts


def authority_key(value: list[str] | None) -> tuple[str | None, ...] | None:
    """The signature's authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") in order, each on
    ``text_key``; None when there are none."""
    return tuple(text_key(line) for line in value) if value else None


METADATA_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "issuer": issuer_key,
    "number": text_key,
    "symbol": text_key,
    "place": text_key,
    "date": date_parts,
    "doc_type": text_key,
    "title": text_key,
    "signer": text_key,
    "position": text_key,
    "authority": authority_key,
}


def _sourced(value: Sourced | None) -> str | None:
    """The text of a value read with its source, or None."""
    return None if value is None else value.value


def predicted_metadata(metadata: Metadata) -> dict[str, Any]:
    """The extraction's metadata as the gold writes it, field by field.

    The gold issuer is the header's issuing lines joined, so a parent body ("UBND huyện Krông Pắc" above
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO") comes before the issuer.
    """
    issuer = " ".join(part.value for part in (metadata.issuer_parent, metadata.issuer) if part is not None)
    return {
        "issuer": issuer or None,
        "number": metadata.number,
        "symbol": _sourced(metadata.symbol),
        "place": _sourced(metadata.place),
        "date": metadata.date,
        "doc_type": _sourced(metadata.doc_type),
        "title": _sourced(metadata.title),
        "signer": _sourced(metadata.signer.name),
        "position": _sourced(metadata.signer.position),
        "authority": [line.value for line in metadata.signer.authority],
    }


def gold_metadata_fields(gold: dict[str, Any]) -> tuple[str, ...]:
    """The fields a metadata gold object scores: the nine of every header, and authority when it has one."""
    return (*METADATA_FIELDS, "authority") if "authority" in gold else METADATA_FIELDS


def _shown(field: str, value: Any) -> Any:
    """A metadata value for the --details listing: a date as "year-month-day" with "??" for a blank part."""
    if field != "date":
        return value
    parts = date_parts(value)
    if parts is None:
        return None
    return "-".join("??" if part is None else f"{part:02d}" for part in reversed(parts))


def score_metadata(predicted: Metadata, gold: dict[str, Any], document: str) -> DocumentScore:
    """Compare each gold field with the extraction's on its key. A value blank on both sides is correct; a
    predicted value counts in precision only when it is not blank."""
    values = predicted_metadata(predicted)
    fields = gold_metadata_fields(gold)
    predicted_count = correct = correct_predicted = 0
    missed: list[Key] = []
    spurious: list[Key] = []
    for field in fields:
        key = METADATA_KEYS[field]
        gold_key, predicted_key = key(gold.get(field)), key(values[field])
        predicted_count += predicted_key is not None
        if gold_key == predicted_key:
            correct += 1
            correct_predicted += predicted_key is not None
            continue
        missed.append((field, _shown(field, gold.get(field))))
        if predicted_key is not None:
            spurious.append((field, _shown(field, values[field])))
    return DocumentScore(
        document,
        Score("metadata", len(fields), predicted_count, correct, correct_predicted),
        missed=missed,
        spurious=spurious,
    )


# ---------------------------------------------------------------------------------------------------
# Sections and table cells (the seeds' expected files)
# ---------------------------------------------------------------------------------------------------


def section_items(sections: list[Any], parents: tuple[str, ...] = ()) -> list[Key]:
    """Every part of a section tree, depth first, as (numbering path, heading key, kinds).

    Takes the extraction's ``Section`` models or the gold's objects ({"numbering": "II", "heading": "Mục
    tiêu", "kinds": ["objectives"], "children": [...]}); "II. Mục tiêu" / "1. Mục tiêu chung" gives
    (("II", "1"), "mục tiêu chung", ("objectives",)).
    """
    items: list[Key] = []
    for section in sections:
        if isinstance(section, Section):
            numbering, heading, kinds, children = (
                section.numbering,
                section.heading,
                section.kinds,
                section.children,
            )
        else:
            numbering, heading = section.get("numbering"), section.get("heading")
            kinds, children = section.get("kinds", []), section.get("children", [])
        path = (*parents, numbering or "")
        items.append((path, text_key(heading), tuple(sorted(kinds))))
        items.extend(section_items(children, path))
    return items


def _row_keys(labels: list[str | None]) -> list[tuple[str, int]]:
    """Each row's label key and which occurrence of that label it is (a table may repeat "Cộng").

    The key names the row, not its label cell's value: spaces are left out, so that a scan's "TDPKẽ" is the
    row "TDP Kẽ" (its label cell, scored as a value, is still wrong) and the row's other cells count.
    """
    seen: Counter[str] = Counter()
    keys = []
    for label in labels:
        key = label_key(label).replace(" ", "")
        keys.append((key, seen[key]))
        seen[key] += 1
    return keys


def table_cell_items(tables: list[Table]) -> list[Key]:
    """Every cell of the extraction's tables as (table position, row label, occurrence, column position,
    value); a blank cell is not a cell, as in the gold."""
    items: list[Key] = []
    for position, table in enumerate(tables, start=1):
        rows = _row_keys([row.label for row in table.rows])
        for row, (label, occurrence) in zip(table.rows, rows, strict=True):
            for cell in row.cells:
                value = cell_csv_value(cell)
                if value.strip():
                    items.append((position, label, occurrence, cell.column, value))
    return items


def gold_table_cell_items(tables: list[dict[str, Any]]) -> list[Key]:
    """The cells of ``expected/tables/<stem>.json`` (rows of CSV values, one per column in order), keyed as
    ``table_cell_items`` keys the extraction's; a blank cell is not a cell."""
    items: list[Key] = []
    for position, table in enumerate(tables, start=1):
        rows = _row_keys([row.get("label") for row in table["rows"]])
        for row, (label, occurrence) in zip(table["rows"], rows, strict=True):
            for column, value in enumerate(row["cells"]):
                if value.strip():
                    items.append((position, label, occurrence, column, value))
    return items


def table_header_items(tables: list[Any]) -> list[Key]:
    """Every column of the extraction's tables or of the gold's (objects with a "columns" list of
    {"path": [...]}) as (table position, column position, header path key)."""
    items: list[Key] = []
    for position, table in enumerate(tables, start=1):
        if isinstance(table, Table):
            paths = [column.path for column in sorted(table.columns, key=lambda column: column.index)]
        else:
            paths = [column["path"] for column in table["columns"]]
        items.extend((position, index, column_key(path)) for index, path in enumerate(paths))
    return items


def score_keys(field: str, predicted: list[Key], gold: list[Key], document: str) -> DocumentScore:
    """Match predicted to gold keys as multisets."""
    predicted_keys, gold_keys = Counter(predicted), Counter(gold)
    correct = sum((predicted_keys & gold_keys).values())
    return DocumentScore(
        document,
        Score(field, sum(gold_keys.values()), sum(predicted_keys.values()), correct),
        missed=sorted((gold_keys - predicted_keys).elements(), key=repr),
        spurious=sorted((predicted_keys - gold_keys).elements(), key=repr),
    )


# ---------------------------------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------------------------------

# A table cell as the gold names it: (1-based position of the table, row label key, column header key).
CellKey = tuple[int, str, str]


def label_key(label: str | None) -> str:
    """A row label or column header compared without case or white space differences."""
    return text_key(label) or ""


def column_key(path: list[str] | str) -> str:
    """A column by its header words: the path ["Hộ phải di dời", "Tỷ lệ %"] or the gold's
    "Hộ phải di dời / Tỷ lệ %". A header repeated down a merged cell counts once."""
    keys = [label_key(part) for part in (path.split(" / ") if isinstance(path, str) else path)]
    return " / ".join(key for index, key in enumerate(keys) if index == 0 or key != keys[index - 1])


def row_name(row: Row) -> str | None:
    """The label a reader names a row by: its label, or for a row read without one (a subtotal whose words
    stand in the group column: "Cộng cụm 1"), its first text cell."""
    if row.label:
        return row.label
    return next((cell.raw for cell in row.cells if cell.type == "text" and cell.raw.strip()), None)


class CellResolver:
    """Turns the cells findings point at (table id, row id, column index) into the gold's ``CellKey``."""

    def __init__(self, tables: list[Table]) -> None:
        self._positions = {table.id: position for position, table in enumerate(tables, start=1)}
        self._rows = {table.id: {row.id: row_name(row) for row in table.rows} for table in tables}
        self._paths = {table.id: {column.index: column.path for column in table.columns} for table in tables}

    def _named(
        self, table_id: str | None, row_id: str | None, column: int | None
    ) -> tuple[int, str, list[str]] | None:
        """(table position, row label, column header path), or None when the table, row or column is unknown
        or the row has no name."""
        if table_id not in self._positions or row_id is None or column is None:
            return None
        row, path = self._rows[table_id].get(row_id), self._paths[table_id].get(column)
        if row is None or path is None:
            return None
        return (self._positions[table_id], row, path)

    def key(self, table_id: str | None, row_id: str | None, column: int | None) -> CellKey | None:
        """The cell's key, or None when it cannot be named."""
        named = self._named(table_id, row_id, column)
        return None if named is None else (named[0], label_key(named[1]), column_key(named[2]))

    def written(self, table_id: str | None, row_id: str | None, column: int | None) -> str | None:
        """The cell as the document writes it: "table 1 · Xã Tân Thanh · Hộ phải di dời / Số hộ"."""
        named = self._named(table_id, row_id, column)
        return None if named is None else f"table {named[0]} · {named[1]} · {' / '.join(named[2])}"

    def finding_refs(self, finding: Finding) -> list[tuple[str | None, str | None, int | None]]:
        """The cells a finding points at, its location first, as (table id, row id, column index)."""
        location = finding.location
        refs = [(location.table_id, location.row_id, location.column)]
        return refs + [(cell.table_id, cell.row_id, cell.column) for cell in finding.cells]

    def finding_cells(self, finding: Finding) -> set[CellKey]:
        """Every cell a finding points at (its location and its ``cells``), as keys."""
        return {key for key in (self.key(*ref) for ref in self.finding_refs(finding)) if key is not None}

    def place(self, finding: Finding) -> str | None:
        """The first cell a finding points at, as written: "table 1 · Xã Tân Thanh · Hộ phải di dời / Số hộ"."""
        written = (self.written(*ref) for ref in self.finding_refs(finding))
        return next((text for text in written if text is not None), None)


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where a quote occurs in the text, any run of white space matching any other: half-open ranges."""
    words = normalize_text(quote).split()
    if not words:
        return []
    pattern = regex.compile(r"\s+".join(regex.escape(word) for word in words))
    return [match.span() for match in pattern.finditer(text)]


@dataclass(frozen=True)
class GoldFinding:
    """A planted error or trap, ready to match: its report key, its cells, and for a text item the quote's
    places in the extraction's text."""

    key: Key
    where: str
    cells: frozenset[CellKey]
    spans: tuple[tuple[int, int], ...]


def gold_finding(item: dict[str, Any], text: str) -> GoldFinding:
    """Prepare one gold error or trap of ``findings/<stem>.json`` against the extraction's text."""
    if item["where"] == "text":
        spans = tuple(quote_spans(text, item["quote"]))
        key: Key = ("text", item["quote"]) if spans else ("text", item["quote"], "quote not found in text")
        return GoldFinding(key, "text", frozenset(), spans)
    table = item["table"]
    named = [item, *item.get("cells", [])]
    cells = frozenset(
        (cell.get("table", table), label_key(cell["row"]), column_key(cell["column"])) for cell in named
    )
    return GoldFinding(("table", table, item["row"], item["column"]), "table", cells, ())


def finding_matches(finding: Finding, cells: set[CellKey], gold: GoldFinding) -> bool:
    """Whether a finding (with the cells it points at, resolved) points at a gold error or trap: a shared
    cell for a table item, a span overlapping the quote for a text item."""
    if gold.where == "table":
        return not cells.isdisjoint(gold.cells)
    span = finding.location.span
    return span is not None and any(span.start < end and start < span.end for start, end in gold.spans)


def _place(finding: Finding, resolver: CellResolver, text: str) -> str:
    """Where a finding points, for the --details listing: the table cell or an excerpt of the text."""
    cell = resolver.place(finding)
    if cell is not None:
        return cell
    span = finding.location.span
    if span is not None:
        excerpt = " ".join(text[span.start : span.end].split())
        return f'"{excerpt[:60]}…"' if len(excerpt) > 60 else f'"{excerpt}"'
    return finding.id


def false_error_key(finding: Finding, resolver: CellResolver, text: str, on_trap: bool) -> Key:
    """A predicted error matching no gold error: rule, place, message (and whether it hits a planted trap)."""
    key: Key = (finding.rule, _place(finding, resolver, text), finding.message_en)
    return (*key, "on a planted trap") if on_trap else key


def score_findings(document: ExtractedDocument, gold: dict[str, Any], stem: str) -> DocumentScore:
    """Precision: predicted errors pointing at a gold error / predicted errors. Recall: gold errors pointed at
    by a finding of any severity / gold errors. ``spurious`` lists the false errors."""
    errors = [gold_finding(item, document.text) for item in gold.get("errors", [])]
    traps = [gold_finding(item, document.text) for item in gold.get("consistent", [])]
    resolver = CellResolver(document.tables)
    pointed = [(finding, resolver.finding_cells(finding)) for finding in document.findings]
    predicted = [(finding, cells) for finding, cells in pointed if finding.severity == "error"]
    correct_predicted = 0
    spurious: list[Key] = []
    for finding, cells in predicted:
        if any(finding_matches(finding, cells, error) for error in errors):
            correct_predicted += 1
            continue
        on_trap = any(finding_matches(finding, cells, trap) for trap in traps)
        spurious.append(false_error_key(finding, resolver, document.text, on_trap))
    found = [any(finding_matches(finding, cells, error) for finding, cells in pointed) for error in errors]
    return DocumentScore(
        stem,
        Score("findings", len(errors), len(predicted), sum(found), correct_predicted),
        missed=[error.key for error, hit in zip(errors, found, strict=True) if not hit],
        spurious=spurious,
    )


# ---------------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------------


RENDERING_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def find_document(corpus: Path, stem: str, rendering: str | None = None) -> Path | None:
    """The file of the document ``stem``: its first rendering in seeds/ or cases/ (TXT, MD, DOCX, PDF), or
    the one ``rendering`` names: a format ("pdf") or a scan of ``corpus/scans/`` ("scan300" for
    ``<stem>.scan300.pdf``, "scan300-degraded", "scan200", "scan300.tif" for a TIFF)."""
    if rendering is not None and f".{rendering}" not in RENDERING_SUFFIXES:
        name = rendering if "." in rendering else f"{rendering}.pdf"
        candidate = corpus / "scans" / f"{stem}.{name}"
        return candidate if candidate.exists() else None
    suffixes = (f".{rendering}",) if rendering is not None else RENDERING_SUFFIXES
    for folder in ("seeds", "cases"):
        for suffix in suffixes:
            candidate = corpus / folder / f"{stem}{suffix}"
            if candidate.exists():
                return candidate
    return None


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def gold_entries(corpus: Path, field: str) -> list[tuple[str, Path, Any]]:
    """(document stem, gold file, gold value) of every gold file for ``field``, by stem.

    Metadata gold also comes from ``expected/header-*.json`` and the seeds' ``expected/<stem>.json``
    (whose "document" names the file); a ``gold/metadata/`` file wins over them for the same stem. Section
    gold is the "sections" tree of ``expected/<stem>.json``, table cell gold ``expected/tables/<stem>.json``.
    """
    entries = {
        path.stem: (path, _read_json(path)) for path in sorted((corpus / "gold" / field).glob("*.json"))
    }
    expected = corpus / "expected"
    if field in ("metadata", "sections"):
        for path in sorted(expected.glob("*.json")):
            data = _read_json(path)
            stem = Path(data["document"]).stem
            if field == "sections" and "sections" in data:
                entries.setdefault(stem, (path, data["sections"]))
            elif field == "metadata":
                entries.setdefault(stem, (path, flat_gold_metadata(data["metadata"])))
    if field in ("table_cells", "table_headers"):
        for path in sorted((expected / "tables").glob("*.json")):
            data = _read_json(path)
            entries.setdefault(data.get("seed", path.stem), (path, data["tables"]))
    return [(stem, path, gold) for stem, (path, gold) in sorted(entries.items())]


def _written(value: Any) -> Any:
    """A value of the seeds' expected metadata, which writes some as {"value": …, "source": …}."""
    return value.get("value") if isinstance(value, dict) else value


def flat_gold_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Metadata gold in the flat form ``score_metadata`` reads.

    The headers' gold is flat already ({"signer": "Hoàng Văn Thịnh", "position": "PHÓ CHỦ TỊCH", …}); the
    seeds' expected files write the model's shape ({"signer": {"name": …, "position": …, "authority":
    [...]}, "issuer": {"value": …}, "issuer_parent": …}), turned into the flat one here.
    """
    signer = metadata.get("signer")
    if not isinstance(signer, dict):
        return metadata
    issuer = " ".join(
        str(_written(part))
        for part in (metadata.get("issuer_parent"), metadata.get("issuer"))
        if _written(part)
    )
    date = metadata.get("date")
    flat = {
        "issuer": issuer or None,
        "number": _written(metadata.get("number")),
        "symbol": _written(metadata.get("symbol")),
        "place": _written(metadata.get("place")),
        "date": None if date is None else {part: date.get(part) for part in ("day", "month", "year")},
        "doc_type": _written(metadata.get("doc_type")),
        "title": _written(metadata.get("title")),
        "signer": signer.get("name"),
        "position": signer.get("position"),
    }
    if signer.get("authority"):
        flat["authority"] = signer["authority"]
    return flat


def score_document(field: str, document: ExtractedDocument, gold: Any, stem: str) -> DocumentScore:
    """Score one field of one extracted document against its gold."""
    if field == "metadata":
        return score_metadata(document.metadata, gold, stem)
    if field == "findings":
        return score_findings(document, gold, stem)
    if field == "sections":
        return score_keys(field, section_items(document.sections), section_items(gold), stem)
    if field == "table_cells":
        predicted = table_cell_items(document.tables)
        return score_keys(field, predicted, gold_table_cell_items(gold), stem)
    if field == "table_headers":
        return score_keys(field, table_header_items(document.tables), table_header_items(gold), stem)
    return score_field(field, getattr(document, field), gold, stem)


def evaluate(
    corpus: Path,
    extract: Callable[[Path], ExtractedDocument],
    only: Collection[str] | None = None,
    rendering: str | None = None,
) -> list[DocumentScore]:
    """Score every gold file under ``corpus`` (or those of the stems in ``only``); each document is
    extracted once. With ``rendering`` ("pdf", "scan300", …) each document is read from that rendering
    (``find_document``), and documents without one are left out, so a scan is scored against the gold of
    the plan it is a scan of."""
    results: list[DocumentScore] = []
    cache: dict[Path, ExtractedDocument] = {}
    for field in FIELDS:
        for stem, gold_file, gold in gold_entries(corpus, field):
            if only is not None and stem not in only:
                continue
            path = find_document(corpus, stem, rendering)
            if path is None and rendering is not None:
                continue
            if path is None:
                raise FileNotFoundError(f"{gold_file}: no document named {stem} in seeds/ or cases/")
            if path not in cache:
                cache[path] = extract(path)
            results.append(score_document(field, cache[path], gold, stem))
    return results


def totals(results: list[DocumentScore]) -> list[Score]:
    by_field: dict[str, Score] = {}
    for result in results:
        field = result.score.field
        by_field[field] = by_field[field] + result.score if field in by_field else result.score
    return [by_field[field] for field in FIELDS if field in by_field]


def summary_rows(results: list[DocumentScore]) -> list[dict[str, Any]]:
    """One row per field over all documents: counts, precision, recall and F1 (rounded to 4 places)."""
    documents = Counter(result.score.field for result in results)
    return [
        {
            "field": score.field,
            "documents": documents[score.field],
            "gold": score.gold,
            "predicted": score.predicted,
            "correct": score.correct,
            "correct_predicted": score.true_positives,
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "f1": round(score.f1, 4),
        }
        for score in totals(results)
    ]
