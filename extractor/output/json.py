"""JSON rendering of extracted documents and atomic writing of output files."""

import os
import tempfile
from pathlib import Path

from pydantic import BaseModel


def to_json(model: BaseModel, pretty: bool = False) -> str:
    """Serialize ``model`` as JSON; Vietnamese stays readable (pydantic writes UTF-8, not \\u escapes)."""
    return model.model_dump_json(indent=2 if pretty else None)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so a crash or a kill never leaves
    a half-written result behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            if not text.endswith("\n"):
                stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
