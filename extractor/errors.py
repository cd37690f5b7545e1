"""The one exception a caller needs to handle for bad input."""

from pathlib import Path


class InputError(Exception):
    """An input file that cannot be read: empty, corrupt, encrypted, unsupported, undecodable.

    ``str(error)`` is one line naming the file and the reason, ready for stderr:
    ``corpus/bad.pdf: the PDF is password-protected``.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
