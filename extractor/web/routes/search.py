"""``/`` and ``/search?q=…``: one box, filters, facet counts, paging; ``/api/search`` the hits as
``khplan search --json`` prints them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse

from extractor.archive import SearchFilters, SearchHit, StoredDocument
from extractor.archive.search import DEFAULT_LIMIT, KINDS, LEVELS
from extractor.web.document_view import DIRECTIONS
from extractor.web.facets import facet_counts
from extractor.web.settings import FACET_LIMIT, PAGE_SIZE
from extractor.web.state import WebState, render, web_state

router = APIRouter()

FILTER_NAMES = ("issuer", "level", "year", "indicator", "kind", "has_errors")
KIND_NAMES = {
    "target": "chỉ tiêu",
    "assignment": "nhiệm vụ",
    "citation": "căn cứ, trích dẫn",
    "section": "mục",
    "finding": "phát hiện",
}
LEVEL_NAMES = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
FACET_NAMES = {
    "kind": "Loại",
    "level": "Cấp",
    "year": "Năm",
    "issuer": "Cơ quan ban hành",
    "indicator": "Chỉ số",
    "has_errors": "Lỗi",
}


def read_filters(params: dict[str, str], limit: int | None) -> SearchFilters:
    """The filters of a query string, checked: {"year": "2024", "has_errors": "1"} ->
    SearchFilters(year=2024, has_errors=True); a bad value is a 400 naming it."""
    given = {name: params[name].strip() for name in FILTER_NAMES if params.get(name, "").strip()}
    year = given.get("year")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise HTTPException(400, f"year: a four-digit year, not {year!r}")
    flag = given.get("has_errors")
    if flag is not None and flag not in ("0", "1"):
        raise HTTPException(400, f"has_errors: 1 or 0, not {flag!r}")
    try:
        return SearchFilters(
            issuer=given.get("issuer"),
            level=given.get("level"),
            year=int(year) if year else None,
            indicator=given.get("indicator"),
            kind=given.get("kind"),
            has_errors=None if flag is None else flag == "1",
            limit=limit,
        )
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


def read_limit(params: dict[str, str], default: int, most: int) -> int:
    raw = params.get("limit", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise HTTPException(400, f"limit: a number from 1 to {most}, not {raw!r}")
    return int(raw)


def marked_pieces(hit: SearchHit) -> list[tuple[str, bool]]:
    """The hit's text cut at its highlights: [("giảm ", False), ("hộ nghèo", True), (" còn 1,94%", False)]."""
    pieces, last = [], 0
    for start, end in hit.highlights:
        if start > last:
            pieces.append((hit.text[last:start], False))
        pieces.append((hit.text[start:end], True))
        last = end
    if last < len(hit.text):
        pieces.append((hit.text[last:], False))
    return pieces


def hit_anchor(hit: SearchHit) -> str:
    """Where a hit is on its document's page: "#target-t3"."""
    return f"#{hit.kind}-{hit.ref_id}" if hit.ref_id else ""


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    params = dict(request.query_params)
    query = params.get("q", "").strip()
    filters = read_filters(params, FACET_LIMIT)
    raw_page = params.get("page", "1").strip() or "1"
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise HTTPException(400, f"page: a number from 1, not {raw_page!r}")
    page = int(raw_page)
    state = web_state(request)
    hits = state.archive.search(query, filters) if query else []
    facts = state.facts.of({hit.document.id for hit in hits}) if hits else {}
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    shown = hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    chosen = {name: params[name] for name in FILTER_NAMES if params.get(name, "").strip()}

    def link(**changes: Any) -> str:
        merged = {"q": query, **chosen, **changes}
        return "/search?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})

    recent = [] if query else _recent(state)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "chosen": chosen,
            "hits": [(hit, marked_pieces(hit), hit_anchor(hit)) for hit in shown],
            "total": len(hits),
            "capped": len(hits) >= FACET_LIMIT,
            "page": page,
            "pages": pages,
            "facets": facet_counts(hits, facts),
            "facet_names": FACET_NAMES,
            "kind_names": KIND_NAMES,
            "level_names": LEVEL_NAMES,
            "kinds": KINDS,
            "levels": LEVELS,
            "link": link,
            "recent": recent,
            "directions": DIRECTIONS,
        },
    )


def _recent(state: WebState) -> list[StoredDocument]:
    """The newest current documents, for the start page."""
    current = [d for d in state.archive.documents() if d.status == "ok" and not d.superseded]
    return list(reversed(current))[:20]


@router.get("/api/search")
def search_json(request: Request) -> JSONResponse:
    """``khplan search QUERY --json``: ``/api/search?q=ho+ngheo&kind=target&limit=10``."""
    params = dict(request.query_params)
    query = params.get("q", "").strip()
    if not query:
        raise HTTPException(400, "q: the words to search for")
    filters = read_filters(params, read_limit(params, DEFAULT_LIMIT, FACET_LIMIT))
    hits = web_state(request).archive.search(query, filters)
    return JSONResponse([hit.to_json() for hit in hits])
