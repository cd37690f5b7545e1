"""The web interface's latency over an archive of 100,000 targets (issue 15), server-side, beside the bare calls.

Usage: .venv/bin/python bench/web_latency.py [--targets N] [--rounds N] [--keep] [--folder DIR]

    .venv/bin/python bench/web_latency.py                  # build an archive of >= 100,000 targets, measure
    .venv/bin/python bench/web_latency.py --keep --folder /tmp/khplan-web   # keep it; a second run reuses it

The archive is built as bench/batch_archive.py builds its search archive (``build_search_archive``: the
corpus's typed plans extracted once, their JSON stored again and again under fake SHA-256 values), or reused
from ``--folder`` when it already holds one. Then, ``--rounds`` times in turn, in this process:

- the search page, ``GET /search?q=…`` through FastAPI's TestClient (the whole server-side path: routing,
  middleware, the archive search of ``FACET_LIMIT`` hits, facet counts, the template; no network), for each
  query of bench/batch_archive.py's list, beside the bare ``archive.search(q, filters)`` with the CLI's
  default limit and with the page's ``FACET_LIMIT``;
- the document page, ``GET /documents/ID`` of the plans with the most targets, beside the bare
  ``archive.extraction(ID)`` it starts from;
- the targets page, ``GET /targets`` with a few filters, after a first request that computes the statuses the
  archive lacks (timed alone), beside the bare ``archive.statuses`` of one page.

Printed: median and p95 per query and pooled; aims: search page p95 < 100 ms, document page p95 < 200 ms.
The machine is shared (2 cores, +-30 % between runs): compare figures of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch_archive import QUERIES, build_search_archive, percentile  # noqa: E402

SEARCH_AIM_MS = 100
DOCUMENT_AIM_MS = 200
DOCUMENTS_MEASURED = 5


def timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def figures(times: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    return statistics.median(times) * 1000, percentile(times, 0.95) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--targets", type=int, default=100_000, help="targets in the archive (default 100,000)"
    )
    parser.add_argument("--rounds", type=int, default=20, help="times each request runs (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the archive (its folder is printed)")
    parser.add_argument("--folder", type=Path, help="where the archive is built, or reused from")
    args = parser.parse_args()

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    from extractor.archive import SearchFilters
    from extractor.web.app import create_app
    from extractor.web.settings import FACET_LIMIT, WebSettings

    folder = args.folder or Path(tempfile.mkdtemp(prefix="khplan-web-latency-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "a.db"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"folder {folder}; {os.cpu_count()} cores; load average {load}; python {sys.version.split()[0]}")
    try:
        if db.exists():
            print(f"reusing the archive {db}")
        else:
            built = build_search_archive(db, args.targets)
            print(f"built: {built['stored']:,} documents in {built['seconds']:.0f} s")
        app = create_app(WebSettings(db=db, read_only=True))
        with TestClient(app) as client:
            archive = app.state.web.archive
            current = [d for d in archive.documents() if d.status == "ok" and not d.superseded]
            targets = sum(d.counts.targets for d in current)
            print(f"archive: {len(current):,} current documents, {targets:,} targets")
            measure(client, archive, current, args.rounds, SearchFilters, FACET_LIMIT)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


def measure(
    client: Any, archive: Any, current: list[Any], rounds: int, filters_type: Any, facet_limit: int
) -> None:
    searches = [(query, filters) for kind, query, filters in QUERIES if kind == "search"]
    # The plans with the most targets, and those with the biggest tables (their pages are the longest).
    by_targets = sorted(current, key=lambda d: d.counts.targets, reverse=True)[:DOCUMENTS_MEASURED]
    by_cells = sorted(current, key=lambda d: d.counts.cells, reverse=True)[:DOCUMENTS_MEASURED]
    richest = list({d.id: d for d in by_targets + by_cells}.values())
    page: dict[int, list[float]] = {i: [] for i in range(len(searches))}
    bare: dict[int, list[float]] = {i: [] for i in range(len(searches))}
    bare_wide: dict[int, list[float]] = {i: [] for i in range(len(searches))}
    document: dict[int, list[float]] = {d.id: [] for d in richest}
    extraction: dict[int, list[float]] = {d.id: [] for d in richest}

    def params(query: str, filters: dict[str, Any]) -> dict[str, Any]:
        shown = {k: ("1" if v is True else "0" if v is False else v) for k, v in filters.items()}
        return {"q": query, **shown}

    for query, filters in searches:  # warm-up: statement caches, pages into memory, the facts cache
        assert client.get("/search", params=params(query, filters)).status_code == 200
    for stored in richest:
        assert client.get(f"/documents/{stored.id}").status_code == 200
    for _ in range(rounds):
        for index, (query, filters) in enumerate(searches):
            page[index].append(timed(lambda q=query, f=filters: client.get("/search", params=params(q, f))))
            bare[index].append(timed(lambda q=query, f=filters: archive.search(q, filters_type(**f))))
            wide = filters_type(**filters, limit=facet_limit)
            bare_wide[index].append(timed(lambda q=query, f=wide: archive.search(q, f)))
        for stored in richest:
            document[stored.id].append(timed(lambda i=stored.id: client.get(f"/documents/{i}")))
            extraction[stored.id].append(timed(lambda i=stored.id: archive.extraction(i)))

    print(
        f"\n{rounds} rounds; ms, median / p95; bare = archive.search(q, filters) with limit 50, and {facet_limit}"
    )
    print(f"{'search page':48} {'page med':>8} {'p95':>7} {'bare50':>7} {'bare' + str(facet_limit):>8}")
    for index, (query, filters) in enumerate(searches):
        median, p95 = figures(page[index])
        label = f'"{query}"' + "".join(f" {k}={v}" for k, v in filters.items())
        print(
            f"{label:48} {median:8.1f} {p95:7.1f} {figures(bare[index])[0]:7.1f} {figures(bare_wide[index])[0]:8.1f}"
        )
    pooled = [t for times in page.values() for t in times]
    pooled_bare = [t for times in bare.values() for t in times]
    pooled_wide = [t for times in bare_wide.values() for t in times]
    median, p95 = figures(pooled)
    print(
        f"{'all searches':48} {median:8.1f} {p95:7.1f} {figures(pooled_bare)[0]:7.1f} {figures(pooled_wide)[0]:8.1f}"
        f"   (aim: page p95 < {SEARCH_AIM_MS} ms; bare p95 {figures(pooled_bare)[1]:.1f}, "
        f"bare {facet_limit} p95 {figures(pooled_wide)[1]:.1f})"
    )
    print(f"\n{'document page':48} {'page med':>8} {'p95':>7} {'extraction':>10}")
    for stored in richest:
        median, p95 = figures(document[stored.id])
        label = f"/documents/{stored.id} ({stored.counts.targets} targets, {stored.counts.cells} cells)"
        print(f"{label:48} {median:8.1f} {p95:7.1f} {figures(extraction[stored.id])[0]:10.1f}")
    pooled = [t for times in document.values() for t in times]
    median, p95 = figures(pooled)
    pooled_extraction = [t for times in extraction.values() for t in times]
    print(
        f"{'all documents':48} {median:8.1f} {p95:7.1f} {figures(pooled_extraction)[0]:10.1f}"
        f"   (aim: page p95 < {DOCUMENT_AIM_MS} ms)"
    )
    measure_targets(client, archive, rounds)


TARGET_PAGES = ({}, {"status": "not_met"}, {"status": "no_result", "year": 2024}, {"issuer": "huyện"})


def measure_targets(client: Any, archive: Any, rounds: int) -> None:
    """``/targets``: the first request computes the statuses the archive lacks (timed alone), the others read
    a page of stored statuses and their totals; beside the bare ``archive.statuses`` of one page."""
    from extractor.track import stale_plans

    stale = len(stale_plans(archive))
    first = timed(lambda: client.get("/targets"))
    print(f"\n/targets, first request: statuses of {stale:,} plans computed and stored in {first:.1f} s")
    pages: dict[int, list[float]] = {i: [] for i in range(len(TARGET_PAGES))}
    bare: list[float] = []
    for _ in range(rounds):
        for index, filters in enumerate(TARGET_PAGES):
            pages[index].append(timed(lambda f=filters: client.get("/targets", params=f)))
        bare.append(timed(lambda: archive.statuses(limit=500)))
    print(f"{'targets page':48} {'page med':>8} {'p95':>7}")
    for index, filters in enumerate(TARGET_PAGES):
        median, p95 = figures(pages[index])
        label = "/targets" + ("?" + "&".join(f"{k}={v}" for k, v in filters.items()) if filters else "")
        print(f"{label:48} {median:8.1f} {p95:7.1f}")
    median, p95 = figures([t for times in pages.values() for t in times])
    print(
        f"{'all target pages':48} {median:8.1f} {p95:7.1f}   (bare archive.statuses(limit=500): "
        f"median {figures(bare)[0]:.1f} ms)"
    )


if __name__ == "__main__":
    main()
