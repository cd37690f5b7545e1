"""What every response carries and every request is held to: security headers, a cap on request bodies,
sessions, and sign-in when the server has users."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from extractor.web.auth import COOKIE, decode_session, encode_session, new_session
from extractor.web.settings import SESSION_SECONDS

# No script runs but the server's own files, nothing inline (no style attributes either), no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
# Bytes of a request body that is not an upload (sign-in, sign-out): a form of a few fields.
MAX_FORM_BYTES = 64 * 1024
UPLOAD_PATHS = ("/upload", "/api/upload")
# Paths open without signing in: the sign-in page, its style sheet, and the CSRF token sign-in needs.
PUBLIC_PATHS = ("/login", "/static/", "/api/session")

ASGIApp = Callable[
    [dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[..., Awaitable[None]]], Awaitable[None]
]


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response, error pages and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in SECURITY_HEADERS if name not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request body past its cap with 413: from its Content-Length when it has one, else while it
    streams. Uploads may send ``upload_bytes``, any other request ``MAX_FORM_BYTES``."""

    def __init__(self, app: ASGIApp, upload_bytes: int) -> None:
        self.app = app
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = self.upload_bytes if scope["path"] in UPLOAD_PATHS else MAX_FORM_BYTES
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _too_large(scope, send, cap)
            return
        received = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyTooLarge
            return message

        async def watched(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await _too_large(scope, send, cap)


async def _too_large(scope: dict[str, Any], send: Any, cap: int) -> None:
    message = (
        f"request larger than {cap // 1024**2 or 1} MB"
        if cap >= 1024**2
        else f"request larger than {cap} bytes"
    )
    body = (
        f'{{"detail": "{message}"}}'.encode()
        if scope["path"].startswith("/api/")
        else f"413: {message}".encode()
    )
    kind = b"application/json" if scope["path"].startswith("/api/") else b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def sessions(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Gives every browser a signed session (for its CSRF token); with users, sends the signed-out to sign in."""
    state = request.app.state.web
    secret = state.settings.secret
    session = decode_session(secret, request.cookies.get(COOKIE), SESSION_SECONDS)
    fresh = session is None
    if session is None:
        session = new_session()
    if session.user is not None and state.users is not None and session.user not in state.users:
        session, fresh = new_session(), True  # a user taken out of the file is signed out
    request.state.session = session
    request.state.new_session = None
    path = request.url.path
    if state.auth_required and session.user is None and not path.startswith(PUBLIC_PATHS):
        if path.startswith("/api/"):
            response: Response = JSONResponse({"detail": "sign in first (POST /login)"}, status_code=401)
        else:
            target = path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    else:
        response = await call_next(request)
    replaced = request.state.new_session
    if replaced is not None or fresh:
        response.set_cookie(
            COOKIE,
            encode_session(secret, replaced or session),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            path="/",
        )
    return response
