"""Who may use the server: a users file of salted scrypt hashes, signed session cookies, CSRF tokens.

The users file holds one user a line, ``name:scrypt:N:r:p:SALT:HASH`` (salt and hash in hex; ``#`` starts
a comment), written by ``khplan serve --auth users.txt --add-user thanh`` (the password is asked for, never
given on the command line)::

    thanh:scrypt:16384:8:1:9f1c…:4b7e…

A session is a cookie signed with HMAC-SHA256 by the server's secret: a random session id, the user signed
in (none before), and when it was issued. Every form carries a CSRF token, the HMAC of that session id, so
another site cannot post to the server through a user's browser.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import regex

# scrypt's cost: 16 MiB of memory and about 50 ms per check on one core (RFC 7914's interactive figure).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
USER_NAME = regex.compile(r"^[\p{L}\p{N}._-]{1,64}$")
COOKIE = "khplan_session"


class UsersFileError(ValueError):
    """The users file cannot be read: a line that is not ``name:scrypt:N:r:p:salt:hash``."""


@dataclass(frozen=True)
class PasswordHash:
    """A salted scrypt hash of one password, with the cost it was made at."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def line(self, name: str) -> str:
        return f"{name}:scrypt:{self.n}:{self.r}:{self.p}:{self.salt.hex()}:{self.digest.hex()}"


def hash_password(password: str, salt: bytes | None = None) -> PasswordHash:
    """The scrypt hash of ``password`` with a fresh random salt: ``hash_password("mật khẩu")``."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=2 * 128 * r * (n + p + 2)
    )


def read_users(path: Path) -> dict[str, PasswordHash]:
    """The users of ``path`` by name; raises ``UsersFileError`` naming the first bad line."""
    users: dict[str, PasswordHash] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        try:
            name, scheme, n, r, p, salt, digest = parts
            if scheme != "scrypt" or not USER_NAME.match(name):
                raise ValueError
            users[name] = PasswordHash(int(n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(digest))
        except ValueError:
            raise UsersFileError(f"{path}:{number}: not a line name:scrypt:N:r:p:salt:hash") from None
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add ``name`` to the users file (replacing an earlier line of that name), written atomically, mode 0600."""
    if not USER_NAME.match(name):
        raise ValueError(f"a user name is 1 to 64 letters, digits, '.', '_' or '-', not {name!r}")
    if not password:
        raise ValueError("an empty password is not a password")
    kept = []
    if path.exists():
        read_users(path)  # refuse to rewrite a file that is not a users file
        kept = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().split(":", 1)[0] != name
        ]
    kept.append(hash_password(password).line(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".users-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(kept) + "\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


# A hash checked when the name is unknown, so that a wrong name takes as long as a wrong password.
_DECOY = PasswordHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, b"\0" * SALT_BYTES, b"\0" * HASH_BYTES)


def verify(users: dict[str, PasswordHash], name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s, compared in constant time."""
    stored = users.get(name, _DECOY)
    computed = _scrypt(password, stored.salt, stored.n, stored.r, stored.p)
    return hmac.compare_digest(computed, stored.digest) and name in users


# ---------------------------------------------------------------------------------------------------
# Sessions and CSRF tokens
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """One browser's session: ``sid`` random, ``user`` once signed in, ``issued`` in seconds since the epoch."""

    sid: str
    user: str | None
    issued: float


def new_session(user: str | None = None) -> Session:
    return Session(secrets.token_urlsafe(24), user, time.time())


def _sign(secret: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(secret, payload, hashlib.sha256).digest()).decode().rstrip("=")


def encode_session(secret: bytes, session: Session) -> str:
    """The cookie value: base64 of the session's JSON, a dot, its signature."""
    payload = json.dumps({"sid": session.sid, "user": session.user, "t": session.issued}).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(secret, body.encode())}"


def decode_session(secret: bytes, value: str | None, max_age: float) -> Session | None:
    """The session of a cookie value, or None when it is missing, forged, malformed or older than ``max_age``."""
    if not value or value.count(".") != 1:
        return None
    body, signature = value.split(".")
    if not hmac.compare_digest(_sign(secret, body.encode()), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        session = Session(str(data["sid"]), data["user"], float(data["t"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.user is not None and not isinstance(session.user, str):
        return None
    return session if time.time() - session.issued <= max_age else None


def csrf_token(secret: bytes, session: Session) -> str:
    """The token every form of this session carries: the HMAC of its id."""
    return _sign(secret, b"csrf:" + session.sid.encode())


def csrf_ok(secret: bytes, session: Session, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(secret, session), token or "")
