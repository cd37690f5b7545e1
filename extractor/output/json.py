"""JSON rendering of extracted documents; files are written by ``extractor.output.files``."""

from pydantic import BaseModel

from extractor.output.files import write_atomically

__all__ = ["to_json", "write_atomically"]


def to_json(model: BaseModel, pretty: bool = False) -> str:
    """Serialize ``model`` as JSON; Vietnamese stays readable (pydantic writes UTF-8, not \\u escapes)."""
    return model.model_dump_json(indent=2 if pretty else None)
