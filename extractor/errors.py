"""The one exception a caller needs to handle for bad input."""

from pathlib import Path


class InputError(Exception):
    """An input file that cannot be read: empty, corrupt, encrypted, unsupported, undecodable, past a limit.

    ``str(error)`` is one line naming the file and the reason, ready for stderr:
    ``corpus/bad.pdf: the PDF is password-protected``. The reason may quote what a file holds (a zip member's
    name, a library's message about it), so control characters in it are escaped: a hostile name cannot break
    the line or colour the terminal (``"a\\nb"`` is kept as ``a\\\\nb``).
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = one_line(reason)
        super().__init__(f"{self.path}: {self.reason}")


def one_line(text: str) -> str:
    """``text`` with every character that is not printable written as its escape: "x\\x1b[2Jy" -> "x\\\\x1b[2Jy"."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
