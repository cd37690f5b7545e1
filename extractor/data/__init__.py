"""Rules and vocabularies kept as data files, loaded once per process."""

from functools import cache
from importlib import resources
from typing import Any


@cache
def load_data(name: str) -> Any:
    """Parse ``extractor/data/<name>`` (YAML) and return it; cached, so every stage shares one copy."""
    import yaml

    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)
