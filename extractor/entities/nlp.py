"""The entity stage as one spaCy pipeline over ``spacy.blank("vi")``, built once per process.

Each extractor is a pure function over the normalized text and the structure already read (easy to test on its
own); a spaCy component wraps it, stores the pydantic objects it returns and labels their spans on the Doc
(``doc.spans["citations"]`` …) with ``doc.char_span(..., alignment_mode="expand")``. The blank Vietnamese
tokenizer is used without pyvi: syllable tokens are enough for rule-based matching and pyvi is 7 × slower.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from extractor.structure.zones import Zones
from models.document import Document
from models.provenance import Span
from models.sections import Section

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CONTEXT_KEY = "khplan_context"
RESULTS_KEY = "khplan_results"


@dataclass(frozen=True)
class EntityContext:
    """What the components read: the normalized document, its zones and its section tree."""

    document: Document
    zones: Zones
    sections: list[Section]
    preamble_end: int
    unit_name: str | None = None

    def section_at(self, offset: int) -> str | None:
        """The id of the innermost section containing ``offset``."""
        found: str | None = None
        level = self.sections
        while level:
            inner = next((s for s in level if s.span.start <= offset < s.span.end), None)
            if inner is None:
                break
            found, level = inner.id, inner.children
        return found

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.span.start for block in self.document.blocks]

    def page_at(self, offset: int) -> int | None:
        """The page of the block holding ``offset`` (blocks are in text order: bisect, not a scan)."""
        index = bisect.bisect_right(self._block_starts, offset) - 1
        if index < 0:
            return None
        block = self.document.blocks[index]
        return block.page if offset <= block.span.end else None


@dataclass
class EntityResults:
    """The lists each component filled, keyed by output field name."""

    lists: dict[str, list[Any]] = field(default_factory=dict)

    def get(self, name: str) -> list[Any]:
        return self.lists.get(name, [])


Extractor = Callable[[EntityContext, EntityResults], Sequence[Any]]
_EXTRACTORS: dict[str, Extractor] = {}


def _span_of(item: Any) -> list[Span]:
    mentions = getattr(item, "mentions", None)
    if mentions:
        return [mention.span for mention in mentions]
    span = getattr(item, "span", None)
    return [span] if span is not None else []


def register(field_name: str) -> Callable[[Extractor], Extractor]:
    """Register ``extractor`` as the spaCy component "khplan_<field_name>" that fills ``field_name``."""

    def decorate(extractor: Extractor) -> Extractor:
        _EXTRACTORS[field_name] = extractor
        return extractor

    return decorate


def _component(field_name: str) -> Callable[[Doc], Doc]:
    def run(doc: Doc) -> Doc:
        context: EntityContext = doc.user_data[CONTEXT_KEY]
        results: EntityResults = doc.user_data[RESULTS_KEY]
        items = list(_EXTRACTORS[field_name](context, results))
        results.lists[field_name] = items
        spans = []
        for item in items:
            for span in _span_of(item):
                char_span = doc.char_span(span.start, span.end, label=field_name, alignment_mode="expand")
                if char_span is not None:
                    spans.append(char_span)
        doc.spans[field_name] = spans
        return doc

    return run


@cache
def build_pipeline() -> Language:
    """The blank Vietnamese pipeline with one component per registered extractor (built once per process)."""
    import spacy
    from spacy.language import Language

    import extractor.entities.components  # noqa: F401  (registers the extractors)

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    for field_name in _EXTRACTORS:
        name = f"khplan_{field_name}"
        if name not in Language.factories:
            Language.component(name, func=_component(field_name))
        nlp.add_pipe(name)
    return nlp


def extract_entities(
    document: Document, zones: Zones, sections: list[Section], unit_name: str | None = None
) -> EntityResults:
    """Run every entity component over ``document`` and return what they found.

    ``unit_name`` is the plan's own unit ("Sơn Tây"), the scope of whole-unit targets.
    """
    nlp = build_pipeline()
    first_section = sections[0].span.start if sections else len(document.text)
    context = EntityContext(document, zones, sections, preamble_end=first_section, unit_name=unit_name)
    doc = nlp.make_doc(document.text)
    doc.user_data[CONTEXT_KEY] = context
    doc.user_data[RESULTS_KEY] = EntityResults()
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc.user_data[RESULTS_KEY]
