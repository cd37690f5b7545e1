"""The settings of one web server: one validated object with documented defaults (``WebSettings``)."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from extractor.options import DEFAULT_MAX_FILE_SIZE

# Results shown on one search page.
PAGE_SIZE = 20
# Hits fetched for one search page: its facet counts are computed over these (the archive has no count of
# its own), and paging goes this far; a query matching more says "500+".
FACET_LIMIT = 500
# Files one upload may hold, and bytes each may have: a plan with photographs reaches tens of megabytes,
# and a browser form is no way to send a province's archive (``khplan batch`` is).
MAX_UPLOAD_FILES = 20
MAX_UPLOAD_FILE_BYTES = min(64 * 1024**2, DEFAULT_MAX_FILE_SIZE)
# Bytes of the whole upload request: the files and the form's own fields (a few hundred bytes).
MAX_UPLOAD_REQUEST_BYTES = 256 * 1024**2
# How long a signed-in session lasts without signing in again.
SESSION_SECONDS = 12 * 3600
# Rows of the targets page; the export holds them all.
TARGET_ROWS_SHOWN = 500


@dataclass(frozen=True)
class WebSettings:
    """What one ``khplan serve`` serves: ``WebSettings(db=Path("plans.khplan"), read_only=True)``.

    ``users_file`` turns sign-in on (``extractor.web.auth``); ``secret`` signs session cookies and CSRF
    tokens (random per start by default, so a restart signs everyone out).
    """

    db: Path
    read_only: bool = False
    users_file: Path | None = None
    max_upload_files: int = MAX_UPLOAD_FILES
    max_upload_file_bytes: int = MAX_UPLOAD_FILE_BYTES
    max_upload_request_bytes: int = MAX_UPLOAD_REQUEST_BYTES
    upload_workers: int = 1
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only: "127.0.0.1", "::1", "localhost" are; "0.0.0.0" is not."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
