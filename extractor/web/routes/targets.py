"""``/targets``: every target of every current plan with its status against the reported results
(``track_archive``), filterable by issuer, year and status; exported as ``khplan track --format csv|xlsx``
writes it; ``/api/targets`` what ``khplan track --json`` prints."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from extractor.output.comparison import STATUS_NAMES, comparisons_json, write_comparisons
from extractor.track import track_archive
from extractor.web.settings import TARGET_ROWS_SHOWN
from extractor.web.state import WebState, render, web_state
from models.comparison import TargetComparison

router = APIRouter()
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _filters(request: Request) -> dict[str, str | int | None]:
    params = request.query_params
    issuer = params.get("issuer", "").strip() or None
    year_text = params.get("year", "").strip()
    status = params.get("status", "").strip() or None
    if year_text and not (year_text.isdigit() and len(year_text) == 4):
        raise HTTPException(400, f"year: a four-digit year, not {year_text!r}")
    if status is not None and status not in STATUS_NAMES:
        raise HTTPException(400, f"status: one of {', '.join(STATUS_NAMES)}, not {status!r}")
    return {"issuer": issuer, "year": int(year_text) if year_text else None, "status": status}


def _comparisons(
    state: WebState, filters: dict[str, str | int | None], limit: int | None = None
) -> list[TargetComparison]:
    return track_archive(
        state.archive,
        filters["issuer"],  # type: ignore[arg-type]
        filters["year"],  # type: ignore[arg-type]
        filters["status"],  # type: ignore[arg-type]
        limit=limit,
    )


def document_ids(state: WebState) -> dict[str, int]:
    """The sha256 of each current document -> its id, to link a target and its evidence to their pages."""
    return state.archive.current_ids()


@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request) -> HTMLResponse:
    state = web_state(request)
    filters = _filters(request)
    shown = _comparisons(state, filters, limit=TARGET_ROWS_SHOWN)
    totals = state.archive.status_totals(filters["issuer"], filters["year"])  # type: ignore[arg-type]
    ordered = {status: totals[status] for status in STATUS_NAMES if totals.get(status)}
    total = totals.get(filters["status"], 0) if filters["status"] else sum(totals.values())  # type: ignore[arg-type]
    ids = document_ids(state)
    rows = [
        (item, ids.get(item.plan.sha256 or ""), [ids.get(r.document.sha256 or "") for r in item.results])
        for item in shown
    ]
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v is not None)
    return render(
        request,
        "targets.html",
        {
            "filters": filters,
            "rows": rows,
            "total": total,
            "totals": ordered,
            "status_names": STATUS_NAMES,
            "export_query": query,
        },
    )


@router.get("/api/targets")
def targets_json(request: Request) -> Response:
    comparisons = _comparisons(web_state(request), _filters(request))
    return Response(comparisons_json(comparisons), media_type="application/json")


@router.get("/targets/export")
def targets_export(request: Request) -> Response:
    """``/targets/export?format=xlsx&status=not_met``: the file ``khplan track --format xlsx -o`` writes."""
    fmt = request.query_params.get("format", "csv")
    if fmt not in EXPORT_TYPES:
        raise HTTPException(400, f"format: csv or xlsx, not {fmt!r}")
    comparisons = _comparisons(web_state(request), _filters(request))
    with tempfile.TemporaryDirectory(prefix="khplan-export-") as folder:
        out = Path(folder) / f"chi-tieu.{fmt}"
        write_comparisons(comparisons, out, fmt, "khplan track")
        body = out.read_bytes()
    return Response(
        body,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="chi-tieu.{fmt}"'},
    )
