"""`khplan eval`: precision and recall of the entity stages against gold files written by reading documents.

Gold lives in ``corpus/gold/<field>/<document stem>.json`` (a JSON list), the document in ``corpus/seeds/`` or
``corpus/cases/`` under the same stem. A predicted item is correct when its key equals a gold item's key; keys
compare what an auditor needs right (for a target: indicator, value or range, unit, qualitative), not wording.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import ExtractedDocument

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


@dataclass(frozen=True)
class Score:
    """Counts for one field over one or more documents."""

    field: str
    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.field, self.gold + other.gold, self.predicted + other.predicted, self.correct + other.correct
        )


@dataclass(frozen=True)
class DocumentScore:
    document: str
    score: Score
    missed: list[Key]
    spurious: list[Key]


def score_field(field: str, predicted: list[Any], gold: list[dict[str, Any]], document: str) -> DocumentScore:
    """Match predicted to gold items as multisets of keys."""
    key = KEYS[field]
    predicted_keys = Counter(key(item) for item in predicted)
    gold_keys = Counter(key(item) for item in gold)
    correct = sum((predicted_keys & gold_keys).values())
    return DocumentScore(
        document,
        Score(field, sum(gold_keys.values()), sum(predicted_keys.values()), correct),
        missed=sorted((gold_keys - predicted_keys).elements(), key=repr),
        spurious=sorted((predicted_keys - gold_keys).elements(), key=repr),
    )


def find_document(corpus: Path, stem: str) -> Path | None:
    for folder in ("seeds", "cases"):
        for suffix in (".txt", ".md", ".docx", ".pdf"):
            candidate = corpus / folder / f"{stem}{suffix}"
            if candidate.exists():
                return candidate
    return None


def evaluate(corpus: Path, extract: Callable[[Path], ExtractedDocument]) -> list[DocumentScore]:
    """Score every gold file under ``corpus/gold``; each document is extracted once."""
    results: list[DocumentScore] = []
    cache: dict[Path, ExtractedDocument] = {}
    for field in KEYS:
        for gold_file in sorted((corpus / "gold" / field).glob("*.json")):
            path = find_document(corpus, gold_file.stem)
            if path is None:
                raise FileNotFoundError(
                    f"{gold_file}: no document named {gold_file.stem} in seeds/ or cases/"
                )
            if path not in cache:
                cache[path] = extract(path)
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            results.append(score_field(field, getattr(cache[path], field), gold, gold_file.stem))
    return results


def totals(results: list[DocumentScore]) -> list[Score]:
    by_field: dict[str, Score] = {}
    for result in results:
        field = result.score.field
        by_field[field] = by_field[field] + result.score if field in by_field else result.score
    return [by_field[field] for field in KEYS if field in by_field]
