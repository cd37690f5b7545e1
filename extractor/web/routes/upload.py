"""``/upload``: files dropped in a form are checked, saved under names the server makes and archived by
``run_batch`` in the background; ``/jobs/{id}`` shows the job as it goes (refreshing itself until done)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from extractor.web.jobs import Job
from extractor.web.state import render, require_csrf, web_state
from extractor.web.uploads import Accepted, Rejected, save_upload, shown_name

router = APIRouter()
READ_ONLY = "this server is read-only (khplan serve --read-only): uploads are off"


def _writable(request: Request) -> None:
    if web_state(request).settings.read_only:
        raise HTTPException(403, READ_ONLY)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    settings = web_state(request).settings
    status = 403 if settings.read_only else 200
    return render(request, "upload.html", {"settings": settings}, status)


async def _receive(request: Request) -> Job:
    """Read the form, check its token and each file, and queue the accepted ones as a job."""
    state = web_state(request)
    # More files than the limit is a 400 from Starlette's parser ("Too many files. Maximum number of files
    # is 20."), before any file is kept.
    form = await request.form(max_files=state.settings.max_upload_files, max_fields=10)
    try:
        token = form.get("csrf_token")
        require_csrf(request, token if isinstance(token, str) else None)
        sent = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not sent:
            raise HTTPException(400, "no file in the form (field 'files')")
        folder = Path(tempfile.mkdtemp(prefix="khplan-upload-"))
        accepted: list[Accepted] = []
        rejected: list[Rejected] = []
        try:
            for number, item in enumerate(sent, start=1):
                if not item.filename and not item.size:
                    continue  # the empty part a browser sends for a file input left empty
                outcome = save_upload(
                    item.file, item.filename, folder, number, state.settings.max_upload_file_bytes
                )
                (accepted if isinstance(outcome, Accepted) else rejected).append(outcome)  # type: ignore[arg-type]
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if not accepted and not rejected:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(400, "no file chosen")
        return state.jobs.submit(folder, accepted, rejected)
    finally:
        await form.close()


@router.post("/upload")
async def upload(request: Request) -> Response:
    _writable(request)
    job = await _receive(request)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/api/upload")
async def upload_json(request: Request) -> JSONResponse:
    """The same as the form, for scripts: the job as ``/api/jobs/{id}`` gives it, status 202."""
    _writable(request)
    job = await _receive(request)
    return JSONResponse({**job.to_json(), "url": f"/api/jobs/{job.id}"}, status_code=202)


def _job(request: Request, job_id: str) -> Job:
    job = web_state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(
            404, f"no upload job {shown_name(job_id)!r} (jobs are forgotten when the server restarts)"
        )
    return job


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = _job(request, job_id)
    return render(request, "job.html", {"job": job, "view": job.to_json()})


@router.get("/api/jobs/{job_id}")
def job_json(request: Request, job_id: str) -> JSONResponse:
    return JSONResponse(_job(request, job_id).to_json())
