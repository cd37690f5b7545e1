"""Program faults contained: an exception inside one extractor or one check rule costs that part, not the document.

A plan that trips a bug in, say, the targets extractor should still give its citations, tables and findings:
the auditor loses one list, is told so, and the run goes on. ``Faults.run`` calls one part; an ``Exception``
from it is recorded as a ``Failure`` (``coverage.failed[]`` of the output, and one stderr line from the CLI)
and the part's empty result is used instead. A fault is not a finding: it never trips ``--fail-on``.

In strict mode (``ExtractOptions(strict=True)``, or ``KHPLAN_STRICT=1``; the test suite runs so) the
exception is raised instead, so that a test cannot pass over a bug that the catch would hide.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from models.findings import Failure

Result = TypeVar("Result")

THIS_FILE = Path(__file__).resolve()
PROJECT_ROOT = THIS_FILE.parent.parent
# Characters of an exception's message kept in a failure's one line.
MAX_ERROR_CHARACTERS = 200


class Faults:
    """The failures of one document's extraction, collected as its parts run.

    ``faults.run("entities", "targets", find_targets, [], plan)`` returns ``find_targets(plan)``, or ``[]``
    with a ``Failure(stage="entities", component="targets", error="ValueError: …")`` recorded.
    """

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.failures: list[Failure] = []

    def run(
        self,
        stage: str,
        component: str,
        part: Callable[..., Result],
        fallback: Result,
        *arguments: object,
    ) -> Result:
        """``part(*arguments)``, or ``fallback`` when it raises (recorded; re-raised in strict mode)."""
        try:
            return part(*arguments)
        except Exception as error:
            if self.strict:
                raise
            self.failures.append(failure_of(stage, component, error))
            return fallback


def failure_of(stage: str, component: str, error: Exception) -> Failure:
    """The record of one caught exception, with the innermost project frame where it was raised.

    ``ValueError("bad")`` raised in extractor/entities/targets.py line 120 -> error "ValueError: bad",
    where "extractor/entities/targets.py:120" (the project's innermost line, even when a library raised).
    """
    message = " ".join(str(error).split())
    if len(message) > MAX_ERROR_CHARACTERS:
        message = message[: MAX_ERROR_CHARACTERS - 1] + "…"
    error_text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return Failure(stage=stage, component=component, error=error_text, where=_innermost_project_frame(error))


def _innermost_project_frame(error: Exception) -> str | None:
    """The innermost line of this project (not of a library, not this module) the exception passed through."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename).resolve()
        if path != THIS_FILE and path.is_relative_to(PROJECT_ROOT) and ".venv" not in path.parts:
            return f"{path.relative_to(PROJECT_ROOT).as_posix()}:{frame.lineno}"
    return None
