"""``/documents/{id}``: one plan with its findings; ``/documents/{id}/pages/{n}`` a page image with each
finding's box; ``/api/documents/{id}`` what ``khplan show ID --json`` prints."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from extractor.archive import StoredDocument
from extractor.web.document_view import (
    FindingView,
    finding_views,
    outline,
    pieces,
    table_views,
    text_marks,
)
from extractor.web.state import WebState, render, web_state

router = APIRouter()


def stored_document(state: WebState, doc_id: str) -> StoredDocument:
    """The archived document of a path's id ("12"); 404 for anything else, and for an id not archived."""
    if not doc_id.isdigit() or len(doc_id) > 12:
        raise HTTPException(404, f"no archived document {doc_id!r}")
    found = state.archive.resolve(str(int(doc_id)))
    if found is None or found.id != int(doc_id):
        raise HTTPException(404, f"no archived document {doc_id}")
    return found


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    rows = web_state(request).archive.documents()
    return render(request, "documents.html", {"documents": list(reversed(rows))})


@router.get("/api/documents")
def documents_json(request: Request) -> JSONResponse:
    return JSONResponse([row.to_json() for row in web_state(request).archive.documents()])


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    state = web_state(request)
    stored = stored_document(state, doc_id)
    if stored.status != "ok":
        return render(request, "document.html", {"stored": stored, "doc": None})
    doc = state.archive.extraction(stored.id)
    findings = finding_views(doc)
    on_page: dict[int, int] = {}
    for view in findings:
        if view.page is not None:
            on_page[view.page] = on_page.get(view.page, 0) + 1
    return render(
        request,
        "document.html",
        {
            "stored": stored,
            "doc": doc,
            "outline": outline(doc.sections),
            "pieces": pieces(doc.text, text_marks(doc)),
            "tables": table_views(doc),
            "findings": findings,
            "page_images": state.pages.available(stored),
            "pages": range(1, (stored.pages or 0) + 1),
            "findings_on_page": on_page,
        },
    )


@router.get("/api/documents/{doc_id}")
def document_json(request: Request, doc_id: str) -> JSONResponse:
    """``khplan show ID --json``: the document, its section headings and findings."""
    state = web_state(request)
    return JSONResponse(state.archive.summary(stored_document(state, doc_id).id).to_json())


@router.get("/api/documents/{doc_id}/extraction")
def extraction_json(request: Request, doc_id: str) -> Response:
    """The whole stored extraction, as ``khplan extract`` writes it."""
    state = web_state(request)
    stored = stored_document(state, doc_id)
    if stored.status != "ok":
        raise HTTPException(404, f"document {stored.id} has no extraction ({stored.error})")
    body = state.archive.extraction(stored.id).model_dump_json()
    return Response(body, media_type="application/json")


def _page_of(state: WebState, doc_id: str, page: str) -> tuple[StoredDocument, int]:
    stored = stored_document(state, doc_id)
    if not state.pages.available(stored):
        raise HTTPException(
            404, f"document {stored.id} has no page images (not a PDF or a scan, or its file is not kept)"
        )
    if not page.isdigit() or not 1 <= int(page) <= (stored.pages or 0):
        raise HTTPException(
            404, f"document {stored.id} has no page {page!r} (pages 1 to {stored.pages or 0})"
        )
    return stored, int(page)


@router.get("/documents/{doc_id}/pages/{page}.png")
def page_image(request: Request, doc_id: str, page: str) -> FileResponse:
    state = web_state(request)
    stored, number = _page_of(state, doc_id, page)
    return FileResponse(
        state.pages.png(stored, number),
        media_type="image/png",
        headers={"Cache-Control": "private, max-age=86400"},
    )


def _page_findings(state: WebState, stored: StoredDocument, number: int) -> list[FindingView]:
    doc = state.archive.extraction(stored.id)
    return [view for view in finding_views(doc) if view.page == number]


@router.get("/documents/{doc_id}/pages/{page}", response_class=HTMLResponse)
def page_view(request: Request, doc_id: str, page: str) -> HTMLResponse:
    state = web_state(request)
    stored, number = _page_of(state, doc_id, page)
    width, height = state.pages.size(stored, number)
    return render(
        request,
        "page.html",
        {
            "stored": stored,
            "number": number,
            "width": round(width, 2),
            "height": round(height, 2),
            "findings": _page_findings(state, stored, number),
            "pages": range(1, (stored.pages or 0) + 1),
        },
    )


@router.get("/api/documents/{doc_id}/pages/{page}")
def page_json(request: Request, doc_id: str, page: str) -> JSONResponse:
    """A page's size in PDF points, its image, and the findings on it with their boxes."""
    state = web_state(request)
    stored, number = _page_of(state, doc_id, page)
    width, height = state.pages.size(stored, number)
    return JSONResponse(
        {
            "document": stored.id,
            "page": number,
            "width": width,
            "height": height,
            "image": f"/documents/{stored.id}/pages/{number}.png",
            "findings": [
                {
                    "id": view.finding.id,
                    "rule": view.finding.rule,
                    "severity": view.finding.severity,
                    "message_vi": view.finding.message_vi,
                    "bbox": view.bbox.model_dump() if view.bbox else None,
                }
                for view in _page_findings(state, stored, number)
            ],
        }
    )
