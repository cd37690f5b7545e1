"""The application: ``create_app(WebSettings(db=Path("plans.khplan")))``, served by ``khplan serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from extractor.archive import Archive
from extractor.batch import BatchOptions
from extractor.web.auth import read_users
from extractor.web.facets import DocumentFacts
from extractor.web.jobs import UploadJobs
from extractor.web.page_images import PageImages
from extractor.web.routes import account, citations, documents, search, targets, upload
from extractor.web.security import BodyLimit, SecurityHeaders, sessions
from extractor.web.settings import WebSettings
from extractor.web.state import WebState, render, template_environment

STATIC = Path(__file__).parent / "static"


def create_app(settings: WebSettings, archive: Archive | None = None) -> FastAPI:
    """The web application over the archive ``settings.db`` (or ``archive``, already open, which the caller
    closes); ``TestClient(create_app(WebSettings(db=path)))`` serves it in a test."""
    owned = archive is None
    opened = archive if archive is not None else Archive.open(settings.db)
    users = read_users(settings.users_file) if settings.users_file is not None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.jobs.close()
        if owned:
            opened.close()

    app = FastAPI(
        title="khplan",
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    state = WebState(
        settings=settings,
        archive=opened,
        templates=Jinja2Templates(env=template_environment()),
        users=users,
        jobs=UploadJobs(opened, BatchOptions(workers=settings.upload_workers)),
        facts=DocumentFacts(opened),
        pages=PageImages(opened.files_dir),
    )
    app.state.web = state
    app.middleware("http")(sessions)
    app.add_middleware(BodyLimit, upload_bytes=settings.max_upload_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (search, documents, citations, targets, upload, account):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _bad_request)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    if _wants_json(request) or not hasattr(request.state, "session"):
        return JSONResponse({"detail": error.detail}, status_code=error.status_code)
    return render(
        request, "error.html", {"status": error.status_code, "message": error.detail}, error.status_code
    )


async def _bad_request(request: Request, error: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in item['loc'][1:])}: {item['msg']}" for item in error.errors()
    )
    if _wants_json(request) or not hasattr(request.state, "session"):
        return JSONResponse({"detail": problems}, status_code=400)
    return render(request, "error.html", {"status": 400, "message": problems}, 400)
