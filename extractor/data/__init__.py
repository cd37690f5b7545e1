"""Rules and vocabularies kept as data files: one loader, one typed object per file, validated when first read.

Every word khplan knows lives in a YAML file of this folder, written as plans write it: units (``units.yaml``),
money (``money.yaml``), populations, administrative levels, document types, cue words, the indicator taxonomy,
part kinds, table header words and the check rules with their messages. Code reads them only through the
functions below, each returning a frozen, validated object (``extractor/data/schema.py``) built once per
process. A malformed file stops the run with one line naming the file, the line and what is wrong:
``extractor/data/units.yaml, line 31: units.12.kind: Input should be 'people', 'place', …``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from extractor.data.schema import (
    AdminUnitsFile,
    CitationWordsFile,
    CuesFile,
    DocumentTypesFile,
    IndicatorsFile,
    MoneyFile,
    PopulationsFile,
    RulesFile,
    SectionKindsFile,
    TableWordsFile,
    UnitsFile,
)

FileModel = TypeVar("FileModel", bound=BaseModel)

# File name -> the model that validates it; every data file is listed here (a test checks the folder).
DATA_FILES: dict[str, type[BaseModel]] = {
    "units.yaml": UnitsFile,
    "money.yaml": MoneyFile,
    "populations.yaml": PopulationsFile,
    "admin_units.yaml": AdminUnitsFile,
    "document_types.yaml": DocumentTypesFile,
    "citation_types.yaml": CitationWordsFile,
    "cues.yaml": CuesFile,
    "indicators.yaml": IndicatorsFile,
    "section_kinds.yaml": SectionKindsFile,
    "table_vocabulary.yaml": TableWordsFile,
    "rules.yaml": RulesFile,
}


class DataFileError(Exception):
    """A data file that does not parse or does not match its schema; ``str(error)`` is one line."""


def data_text(name: str) -> str:
    """The text of ``extractor/data/<name>``."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _line_of(text: str, location: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the YAML node at ``location`` (keys and list indices), or of its nearest parent."""
    node = yaml.compose(text)
    line = None
    for step in location:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            node = None
    return node.start_mark.line + 1 if node is not None else line


def parse_data(name: str, text: str, model: type[FileModel]) -> FileModel:
    """Parse and validate one data file's text; raises ``DataFileError`` naming the file and line."""
    where = f"extractor/data/{name}"
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{where}{line}: not valid YAML ({getattr(error, 'problem', error)})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(first["loc"])
        line = _line_of(text, location)
        place = f", line {line}" if line is not None else ""
        path = ".".join(str(step) for step in location) or "(top)"
        raise DataFileError(f"{where}{place}: {path}: {first['msg']}") from None


@cache
def load(name: str) -> BaseModel:
    """The validated object of one data file, read once per process."""
    return parse_data(name, data_text(name), DATA_FILES[name])


def units() -> UnitsFile:
    return load("units.yaml")  # type: ignore[return-value]


def money() -> MoneyFile:
    return load("money.yaml")  # type: ignore[return-value]


def populations() -> PopulationsFile:
    return load("populations.yaml")  # type: ignore[return-value]


def admin_units() -> AdminUnitsFile:
    return load("admin_units.yaml")  # type: ignore[return-value]


def document_types() -> DocumentTypesFile:
    return load("document_types.yaml")  # type: ignore[return-value]


def citation_words() -> CitationWordsFile:
    return load("citation_types.yaml")  # type: ignore[return-value]


def cues() -> CuesFile:
    return load("cues.yaml")  # type: ignore[return-value]


def indicators() -> IndicatorsFile:
    return load("indicators.yaml")  # type: ignore[return-value]


def section_kinds() -> SectionKindsFile:
    return load("section_kinds.yaml")  # type: ignore[return-value]


def table_words() -> TableWordsFile:
    return load("table_vocabulary.yaml")  # type: ignore[return-value]


def rules() -> RulesFile:
    return load("rules.yaml")  # type: ignore[return-value]


def check_all() -> None:
    """Load and validate every data file (``khplan`` does this at start-up of the first extraction)."""
    for name in DATA_FILES:
        load(name)
