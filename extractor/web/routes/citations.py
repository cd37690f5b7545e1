"""``/citations?symbol=86/2015/NĐ-CP``: the plans citing a document and the date each gives it, with the
plans that disagree flagged; ``/api/citations`` what ``khplan cite SYMBOL --json`` prints."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse

from extractor.archive import CiteResult
from extractor.web.state import render, web_state

router = APIRouter()
MAX_SYMBOL = 200


def _symbol(request: Request) -> str:
    symbol = request.query_params.get("symbol", "").strip()
    if len(symbol) > MAX_SYMBOL:
        raise HTTPException(400, f"symbol: at most {MAX_SYMBOL} characters")
    return symbol


def odd_dates(result: CiteResult) -> set[str]:
    """The dates fewer plans give than the most given one, when the plans disagree: the likely misquotes."""
    if not result.dates_disagree:
        return set()
    counted = Counter(date for plan in result.plans for date in plan.dates)
    most = max(counted.values())
    return {date for date, count in counted.items() if count < most} or set(counted)


@router.get("/citations", response_class=HTMLResponse)
def citations_page(request: Request) -> HTMLResponse:
    symbol = _symbol(request)
    result = web_state(request).archive.cite(symbol) if symbol else None
    return render(
        request,
        "citations.html",
        {"symbol": symbol, "result": result, "odd": odd_dates(result) if result else set()},
    )


@router.get("/api/citations")
def citations_json(request: Request) -> JSONResponse:
    symbol = _symbol(request)
    if not symbol:
        raise HTTPException(400, "symbol: the cited document's symbol, e.g. 86/2015/NĐ-CP")
    return JSONResponse(web_state(request).archive.cite(symbol).to_json())
