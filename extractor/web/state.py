"""What every request of one server shares: its settings, the open archive, templates, users, upload jobs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from extractor.archive import Archive
from extractor.web.auth import PasswordHash, Session, csrf_token
from extractor.web.facets import DocumentFacts
from extractor.web.jobs import UploadJobs
from extractor.web.page_images import PageImages
from extractor.web.settings import WebSettings

TEMPLATES = Path(__file__).parent / "templates"


def template_environment() -> jinja2.Environment:
    """Jinja2 with autoescaping on for every template (all of them are HTML) and undefined names an error."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class WebState:
    settings: WebSettings
    archive: Archive
    templates: Jinja2Templates
    users: dict[str, PasswordHash] | None
    jobs: UploadJobs
    facts: DocumentFacts
    pages: PageImages

    @property
    def auth_required(self) -> bool:
        return self.users is not None


def web_state(request: Request) -> WebState:
    return request.app.state.web


def session_of(request: Request) -> Session:
    return request.state.session


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page: ``template`` filled with ``context`` and what every page shows (user, CSRF token, modes)."""
    state = web_state(request)
    session = session_of(request)
    page = {
        "request": request,
        "user": session.user,
        "csrf_token": csrf_token(state.settings.secret, session),
        "read_only": state.settings.read_only,
        "auth_required": state.auth_required,
        **context,
    }
    return state.templates.TemplateResponse(request, template, page, status_code=status_code)


def require_csrf(request: Request, token: str | None) -> None:
    """403 unless ``token`` (a form's ``csrf_token``, else the ``X-CSRF-Token`` header) is this session's."""
    from fastapi import HTTPException

    from extractor.web.auth import csrf_ok

    given = token or request.headers.get("x-csrf-token")
    if not csrf_ok(web_state(request).settings.secret, session_of(request), given):
        raise HTTPException(403, "the form's CSRF token is missing or not this session's: reload the page")
