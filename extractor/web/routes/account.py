"""``/login`` and ``/logout`` (when the server has a users file), and ``/api/session`` (the CSRF token a
script sends with ``POST /api/upload``)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from extractor.web.auth import csrf_token, new_session, verify
from extractor.web.state import render, require_csrf, session_of, web_state

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this server only ("/documents/3"); anything else is "/"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    if not web_state(request).auth_required:
        raise HTTPException(404, "this server has no users (khplan serve --auth USERS_FILE turns sign-in on)")
    return render(
        request, "login.html", {"next": safe_next(request.query_params.get("next")), "failed": False}
    )


@router.post("/login")
async def login(request: Request) -> Response:
    state = web_state(request)
    if state.users is None:
        raise HTTPException(404, "this server has no users")
    form = await request.form(max_files=0, max_fields=5)
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    require_csrf(request, fields.get("csrf_token"))
    name, password = fields.get("user", "").strip(), fields.get("password", "")
    if not verify(state.users, name, password):
        context = {"next": safe_next(fields.get("next")), "failed": True}
        return render(request, "login.html", context, 401)
    request.state.new_session = new_session(name)  # a new id: a session fixed before sign-in is dropped
    return RedirectResponse(safe_next(fields.get("next")), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    token = form.get("csrf_token")
    require_csrf(request, token if isinstance(token, str) else None)
    request.state.new_session = new_session()
    target = "/login" if web_state(request).auth_required else "/"
    return RedirectResponse(target, status_code=303)


@router.get("/api/session")
def session_json(request: Request) -> JSONResponse:
    session = session_of(request)
    return JSONResponse(
        {"user": session.user, "csrf_token": csrf_token(web_state(request).settings.secret, session)}
    )
