"""The web interface (``khplan serve``) through FastAPI's test client, over an archive of real extractions:
every page and its JSON twin, and what a server must refuse (bad input, forged forms, oversized uploads,
strangers)."""

from __future__ import annotations

import html
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Starlette 1.x asks for httpx2 under its TestClient; httpx still works, and is what FastAPI documents.
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient  # noqa: E402

from extractor import extract_document  # noqa: E402
from extractor.archive import Archive  # noqa: E402
from extractor.cli import main  # noqa: E402
from extractor.normalize.text import fold  # noqa: E402
from extractor.web.app import create_app  # noqa: E402
from extractor.web.auth import (  # noqa: E402
    COOKIE,
    add_user,
    decode_session,
    encode_session,
    new_session,
    read_users,
    verify,
)
from extractor.web.document_view import Mark, pieces  # noqa: E402
from extractor.web.security import CONTENT_SECURITY_POLICY  # noqa: E402
from extractor.web.settings import WebSettings, is_loopback  # noqa: E402
from tests.archive_fixtures import SEARCH_STEMS, SEED_000, SEED_001, corpus_doc, store_doc  # noqa: E402
from tests.conftest import CASES, SEEDS  # noqa: E402

SEED_001_PDF = SEEDS / f"{SEED_001}.pdf"  # xã Sơn Tây: the per-unit table is on page 2
UPLOAD_CASE = CASES / "amounts-chi-phi-thuong-quang.txt"
REPORT_001 = SEEDS.parent / "results" / "bao-cao-001-2021.txt"  # xã Sơn Tây's constructed results for 2021
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MARKS = re.compile(r"<mark[^>]*>([^<]*)</mark>")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search archive (four seeds, two cases, from their text) and seed 001's PDF with its file kept."""
    path = tmp_path_factory.mktemp("web") / "plans.khplan"
    with Archive.open(path) as archive:
        for stem in SEARCH_STEMS:
            store_doc(archive, corpus_doc(stem))
        store_doc(archive, extract_document(SEED_001_PDF), source_file=SEED_001_PDF)
        store_doc(archive, extract_document(REPORT_001))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(WebSettings(db=db))) as test_client:
        yield test_client


def ids_by_stem(db: Path) -> dict[str, int]:
    with Archive.open(db) as archive:
        found = {}
        for row in archive.documents():
            stem = Path(row.path or "").stem
            found[stem + (".pdf" if row.format == "pdf" else "")] = row.id
        return found


@pytest.fixture(scope="module")
def ids(db: Path) -> dict[str, int]:
    return ids_by_stem(db)


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def token(client: TestClient, path: str = "/upload") -> str:
    return CSRF.search(client.get(path).text).group(1)


# ---------------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------------


def test_search_without_diacritics_marks_ho_ngheo(client: TestClient) -> None:
    page = client.get("/search", params={"q": "ho ngheo"})
    assert page.status_code == 200
    marked = [fold(text) for text in MARKS.findall(page.text)]
    assert marked and all(text == "ho ngheo" for text in marked)
    assert "<mark>hộ nghèo</mark>" in page.text


def test_the_start_page_has_the_box_and_the_newest_documents(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'name="q"' in page.text
    assert f'href="/documents/{ids[SEED_000]}"' in page.text


def test_api_search_is_what_khplan_search_json_prints(
    client: TestClient, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = cli_json(capsys, "search", "ho ngheo", "--db", str(db), "--kind", "target", "--json")
    served = client.get("/api/search", params={"q": "ho ngheo", "kind": "target"}).json()
    assert served == printed and served
    assert all(hit["kind"] == "target" for hit in served)


def test_filters_keep_only_what_they_name(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "ho ngheo", "issuer": "Cao Nhân", "limit": 500}).json()
    assert hits and {fold(hit["document"]["issuer"]) for hit in hits} == {"ubnd xa cao nhan"}
    none = client.get("/api/search", params={"q": "ho ngheo", "year": "1999"}).json()
    assert none == []


def test_facet_counts_are_the_counts_of_the_fetched_hits(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "ho ngheo", "limit": 500}).json()
    targets = sum(hit["kind"] == "target" for hit in hits)
    page = client.get("/search", params={"q": "ho ngheo"}).text
    facet = page[page.index('id="facet-kind"') :]
    facet = facet[: facet.index("</section>")]
    assert re.search(rf"kind=target[^>]*>\s*chỉ tiêu</a>\s*<span class=\"count\">{targets}</span>", facet)


def test_paging_shows_the_next_hits(client: TestClient) -> None:
    first = client.get("/search", params={"q": "ho ngheo"}).text
    second = client.get("/search", params={"q": "ho ngheo", "page": 2}).text
    assert 'rel="next"' in first and 'rel="prev"' in second
    first_hits = re.findall(r'<p class="text">(.*?)</p>', first)
    second_hits = re.findall(r'<p class="text">(.*?)</p>', second)
    assert len(first_hits) == 20 and second_hits and first_hits[0] != second_hits[0]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"q": "ho ngheo", "year": "20x4"}, "year"),
        ({"q": "ho ngheo", "level": "planet"}, "level"),
        ({"q": "ho ngheo", "kind": "<b>x</b>"}, "kind"),
        ({"q": "ho ngheo", "has_errors": "maybe"}, "has_errors"),
        ({"q": "ho ngheo", "page": "0"}, "page"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client: TestClient, params: dict[str, str], named: str) -> None:
    page = client.get("/search", params=params)
    assert page.status_code == 400 and named in page.text
    assert "<b>x</b>" not in page.text
    api = client.get("/api/search", params=params | {"page": "1"})
    assert api.status_code == (200 if named == "page" else 400)


def test_a_script_looking_query_is_escaped(client: TestClient) -> None:
    query = '<script>alert("x")</script> hộ nghèo'
    page = client.get("/search", params={"q": query})
    assert page.status_code == 200
    assert "<script>" not in page.text and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "hộ nghèo'); DROP TABLE documents; --", '" OR "" = "', "NEAR(ho ngheo) *"]
)
def test_sql_and_fts_looking_queries_are_only_words(client: TestClient, query: str) -> None:
    before = len(client.get("/api/documents").json())
    assert client.get("/search", params={"q": query}).status_code == 200
    assert client.get("/api/search", params={"q": query}).status_code == 200
    issuer = client.get("/api/search", params={"q": "ho ngheo", "issuer": "%' OR '1'='1"})
    assert issuer.status_code == 200 and issuer.json() == []
    assert len(client.get("/api/documents").json()) == before


# ---------------------------------------------------------------------------------------------------
# A document
# ---------------------------------------------------------------------------------------------------


def test_the_document_page_highlights_citations_and_targets(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get(f"/documents/{ids[SEED_000]}")
    assert page.status_code == 200
    # Seed 000 (xã Cao Nhân) bases itself on Nghị định 86/2015/NĐ-CP and aims at 1,4 % near-poor households.
    assert re.search(r'<mark class="k-citation"[^>]*>[^<]*86/2015/NĐ-CP', page.text)
    target = re.search(
        r'<span id="target-t3" class="anchor"></span><mark class="k-target" title="([^"]*)">([^<]*)',
        page.text,
    )
    assert target and target.group(2).startswith("tỉ lệ hộ cận nghèo xuống còn 1,4%")
    assert "Chỉ tiêu tỉ lệ hộ cận nghèo: giảm còn 1.4 %" in target.group(1)
    assert 'href="#section-' in page.text  # the outline links to the headings


def test_a_wrong_cell_is_marked_with_its_arithmetic(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get(f"/documents/{ids[SEED_001]}").text
    # Nam Nhe: 2 poor households of 121 are 1,65 %, the plan writes 1,56.
    cell = re.search(r'<td id="cell-t1-r5-4" class="wrong" title="([^"]*)">([^<]*)</td>', page)
    assert cell and cell.group(2) == "1,56"
    assert "ghi 1,56; đúng 1,65" in cell.group(1) and "2 / 121 × 100 = 1,65" in cell.group(1)
    assert 'href="#cell-t1-r5-4"' in page  # the finding links to its cell


def test_api_document_is_what_khplan_show_json_prints(
    client: TestClient, db: Path, ids: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    printed = cli_json(capsys, "show", str(ids[SEED_001]), "--db", str(db), "--json")
    assert client.get(f"/api/documents/{ids[SEED_001]}").json() == printed
    extraction = client.get(f"/api/documents/{ids[SEED_001]}/extraction").json()
    assert extraction["metadata"]["issuer"]["value"] == printed["document"]["issuer"]


@pytest.mark.parametrize("ref", ["999999", "abc", "1e3", "-1", "%2e%2e%2fetc%2fpasswd", "0"])
def test_an_unknown_document_is_a_404(client: TestClient, ref: str) -> None:
    assert client.get(f"/documents/{ref}").status_code == 404
    assert client.get(f"/api/documents/{ref}").status_code == 404


def test_a_pdf_page_shows_each_finding_box_on_its_image(client: TestClient, ids: dict[str, int]) -> None:
    pdf = ids[f"{SEED_001}.pdf"]
    page = client.get(f"/documents/{pdf}/pages/2")
    assert page.status_code == 200
    extraction = client.get(f"/api/documents/{pdf}/extraction").json()
    cell = next(
        cell["provenance"]["bbox"]
        for row in extraction["tables"][0]["rows"]
        if row["id"] == "r5"
        for cell in row["cells"]
        if cell["column"] == 4
    )
    box = re.search(
        r'<rect id="box-f1" class="finding-box sev-error"[^>]* x="([\d.]+)" y="([\d.]+)"', page.text
    )
    assert box and (float(box.group(1)), float(box.group(2))) == (cell["x0"], cell["top"])
    assert f'<img src="/documents/{pdf}/pages/2.png"' in page.text
    boxes = client.get(f"/api/documents/{pdf}/pages/2").json()
    assert boxes["width"] == pytest.approx(595.3, abs=0.1)  # an A4 page in points
    assert {f["id"] for f in boxes["findings"] if f["bbox"]} >= {"f1", "f2", "f14"}


def test_a_findings_box_is_its_cells_box_and_absent_without_one() -> None:
    pdf = extract_document(SEED_001_PDF)
    cells = {
        (table.id, row.id, cell.column): cell.provenance
        for table in pdf.tables
        for row in table.rows
        for cell in row.cells
    }
    in_tables = [f for f in pdf.findings if f.location.table_id and f.location.row_id]
    assert in_tables
    for finding in in_tables:
        where = finding.location
        provenance = cells[(where.table_id, where.row_id, where.column)]
        assert where.page == provenance.page == 2 and where.bbox == provenance.bbox
    assert all(f.location.bbox is None for f in pdf.findings if f.location.table_id is None)
    text = corpus_doc(SEED_001)  # the same plan as text: no boxes, and none written as null
    assert text.findings and all(f.location.bbox is None for f in text.findings)
    written = json.loads(text.model_dump_json())
    assert all("bbox" not in finding["location"] for finding in written["findings"])


def test_a_page_image_is_rendered_once_and_cached_beside_the_archive(
    client: TestClient, db: Path, ids: dict[str, int]
) -> None:
    pdf = ids[f"{SEED_001}.pdf"]
    image = client.get(f"/documents/{pdf}/pages/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")
    cached = list((Path(f"{db}.files") / "web-cache" / "pages").glob("*-p0001-*.png"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    assert client.get(f"/documents/{pdf}/pages/1.png").content == image.content
    assert cached[0].stat().st_mtime_ns == stamp


@pytest.mark.parametrize("page", ["0", "7", "2.5", "..%2f..%2fplans"])
def test_a_page_outside_the_document_is_a_404(client: TestClient, ids: dict[str, int], page: str) -> None:
    pdf = ids[f"{SEED_001}.pdf"]
    assert client.get(f"/documents/{pdf}/pages/{page}.png").status_code == 404
    assert client.get(f"/documents/{pdf}/pages/{page}").status_code == 404


def test_a_text_document_has_no_page_images(client: TestClient, ids: dict[str, int]) -> None:
    assert client.get(f"/documents/{ids[SEED_001]}/pages/1.png").status_code == 404


def test_the_documents_list_names_every_document(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get("/documents").text
    assert all(f'href="/documents/{number}"' in page for number in ids.values())
    assert len(client.get("/api/documents").json()) == len(ids)


# ---------------------------------------------------------------------------------------------------
# Citations and targets
# ---------------------------------------------------------------------------------------------------


def test_citations_lists_the_plans_and_their_dates(
    client: TestClient, db: Path, ids: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    page = client.get("/citations", params={"symbol": "86/2015/ND-CP"}).text
    assert f'href="/documents/{ids[SEED_000]}"' in page and "2015-10-02" in page
    printed = cli_json(capsys, "cite", "86/2015/NĐ-CP", "--db", str(db), "--json")
    assert client.get("/api/citations", params={"symbol": "86/2015/NĐ-CP"}).json() == printed


def test_citation_dates_that_disagree_are_flagged(client: TestClient) -> None:
    # Seed 000 gives Nghị quyết 52/2019/NQ-HĐND the dates 19/12/2019 and 09/12/2019.
    page = client.get("/citations", params={"symbol": "52/2019/NQ-HĐND"}).text
    assert 'id="disagree"' in page
    assert '<span class="date odd" title="ngày khác với đa số văn bản">2019-12-09</span>' in page
    assert client.get("/api/citations").status_code == 400


def test_targets_and_their_json_are_khplan_track(
    client: TestClient, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = cli_json(capsys, "track", "--db", str(db), "--json")
    assert client.get("/api/targets").json() == printed and printed
    page = client.get("/targets").text
    assert f"{len(printed)} chỉ tiêu" in page
    assert re.search(r'href="/documents/\d+#target-t\d+"', page)  # each target links to its plan
    not_met = client.get("/api/targets", params={"status": "no_result"}).json()
    assert not_met and {item["status"] for item in not_met} == {"no_result"}
    assert client.get("/targets", params={"status": "lost"}).status_code == 400


def test_a_target_links_to_its_evidence_in_the_report(client: TestClient, db: Path) -> None:
    """Seed 001 "giảm tỷ lệ hộ nghèo … còn 1,94%" against the report's "tỷ lệ hộ nghèo còn 2,01%": not met, the
    result linked to its place in the report's page, where it is marked."""
    with Archive.open(db) as archive:
        report = next(row for row in archive.documents() if row.doc_type == "Báo cáo")
    page = client.get("/targets", params={"status": "not_met"}).text
    links = re.findall(rf'href="/documents/{report.id}#(result-r\d+)">([^<]*)</a>', page)
    assert links and any("2,01%" in shown for _, shown in links)
    anchor = next(anchor for anchor, shown in links if "2,01%" in shown)
    report_page = client.get(f"/documents/{report.id}").text
    after = report_page[report_page.index(f'<span id="{anchor}" class="anchor"></span>') :]
    first_mark = re.search(r"<mark ([^>]*)>", after)
    assert first_mark and "k-result" in first_mark.group(1)
    assert "2,01%" in html.unescape(re.sub(r"<[^>]+>", "", after))[:80]


def test_targets_export_as_khplan_track_writes_them(
    client: TestClient, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["track", "--db", str(db), "--format", "csv", "-o", str(tmp_path / "t.csv")]) == 0
    served = client.get("/targets/export", params={"format": "csv"})
    assert served.headers["content-disposition"] == 'attachment; filename="chi-tieu.csv"'
    assert served.content == (tmp_path / "t.csv").read_bytes()
    assert served.content.decode("utf-8-sig").startswith("Cơ quan ban hành,Số ký hiệu")
    xlsx = client.get("/targets/export", params={"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "Cơ quan ban hành"
    assert sheet.max_row == len(client.get("/api/targets").json()) + 1
    assert client.get("/targets/export", params={"format": "exe"}).status_code == 400


# ---------------------------------------------------------------------------------------------------
# Upload
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def uploads(tmp_path: Path) -> Iterator[TestClient]:
    """A server over an empty archive, with small limits: 2 files, 200 kB each, 1 MB a request."""
    settings = WebSettings(
        db=tmp_path / "up.khplan",
        max_upload_files=2,
        max_upload_file_bytes=200_000,
        max_upload_request_bytes=1_000_000,
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def finished(client: TestClient, job_url: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(job_url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"{job_url} did not finish")


def test_an_upload_is_archived_in_the_background(uploads: TestClient, tmp_path: Path) -> None:
    files = [("files", ("../../../../etc/ke-hoach.txt", UPLOAD_CASE.read_bytes(), "text/plain"))]
    sent = uploads.post("/upload", data={"csrf_token": token(uploads)}, files=files, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/jobs/")
    job = finished(uploads, "/api" + sent.headers["location"])
    [done] = job["files"]
    assert job["state"] == "done" and done["outcome"] == "stored" and done["name"] == "ke-hoach.txt"
    page = uploads.get(sent.headers["location"]).text
    assert f'<a href="/documents/{done["document_id"]}">đã lưu vào kho</a>' in page
    stored = uploads.get(f"/api/documents/{done['document_id']}").json()["document"]
    # The archive records the upload by its job and the last part of the name the browser gave (the file
    # itself was saved under a name the server made, in the job's own folder, and is gone).
    job_id = sent.headers["location"].rsplit("/", 1)[1]
    assert stored["path"] == f"upload:{job_id}/ke-hoach.txt"
    assert not Path("/etc/ke-hoach.txt").exists() and not (tmp_path.parent / "etc").exists()
    assert Path(stored["source_file"]).is_file()  # kept with the archive's source files
    assert "meta http-equiv" not in page  # a finished job stops refreshing


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("plan.pdf", b"GIF89a\x01\x00\x01\x00" + b"\0" * 40, "GIF"),
        ("plan.exe", b"MZ\x90\x00" + b"\0" * 40, "không được hỗ trợ"),
        ("plan.txt", b"\x7fELF\x02\x01\x01\x00" + b"\0" * 40, "nhị phân"),
        ("plan.docx", b"PK\x03\x04 not really a zip", "damaged zip"),
        ("empty.txt", b"", "rỗng"),
        ("big.txt", b"ho ngheo " * 30_000, "lớn hơn giới hạn"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_with_its_reason(
    uploads: TestClient, name: str, content: bytes, reason: str
) -> None:
    files = [("files", (name, content, "application/octet-stream"))]
    sent = uploads.post("/api/upload", data={"csrf_token": token(uploads)}, files=files)
    assert sent.status_code == 202
    job = finished(uploads, sent.json()["url"])
    assert job["files"] == [] and [r["name"] for r in job["rejected"]] == [name]
    assert reason in job["rejected"][0]["reason"]
    assert reason in uploads.get(f"/jobs/{job['id']}").text


def test_an_oversized_request_is_a_413(uploads: TestClient) -> None:
    files = [("files", ("huge.txt", b"a" * 1_100_000, "text/plain"))]
    sent = uploads.post("/upload", data={"csrf_token": token(uploads)}, files=files)
    assert sent.status_code == 413


def test_more_files_than_the_limit_is_a_400(uploads: TestClient) -> None:
    files = [("files", (f"{n}.txt", b"ho ngheo", "text/plain")) for n in range(3)]
    sent = uploads.post("/upload", data={"csrf_token": token(uploads)}, files=files)
    assert sent.status_code == 400 and "Maximum number of files is 2" in sent.text


@pytest.mark.parametrize("given", [None, "forged-token"])
def test_an_upload_without_this_sessions_token_is_refused(uploads: TestClient, given: str | None) -> None:
    token(uploads)  # the session exists
    data = {} if given is None else {"csrf_token": given}
    files = [("files", ("plan.txt", UPLOAD_CASE.read_bytes(), "text/plain"))]
    assert uploads.post("/upload", data=data, files=files).status_code == 403
    other = TestClient(uploads.app)  # another browser's token is not this one's
    assert other.post("/upload", data={"csrf_token": token(uploads)}, files=files).status_code == 403


def test_read_only_refuses_uploads(db: Path) -> None:
    with TestClient(create_app(WebSettings(db=db, read_only=True))) as client:
        page = client.get("/upload")
        assert page.status_code == 403 and 'id="read-only"' in page.text
        files = [("files", ("plan.txt", UPLOAD_CASE.read_bytes(), "text/plain"))]
        session_token = client.get("/api/session").json()["csrf_token"]
        refused = client.post("/upload", data={"csrf_token": session_token}, files=files)
        assert refused.status_code == 403 and "read-only" in refused.text
        assert 'href="/upload"' not in client.get("/").text


# ---------------------------------------------------------------------------------------------------
# Sign-in, sessions, headers
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.txt"
    add_user(path, "thanh", "mật khẩu dài")
    return path


def test_with_users_every_page_needs_sign_in(db: Path, users_file: Path) -> None:
    with TestClient(create_app(WebSettings(db=db, users_file=users_file))) as client:
        first = client.get("/search?q=ho+ngheo", follow_redirects=False)
        assert (
            first.status_code == 303 and first.headers["location"] == "/login?next=%2Fsearch%3Fq%3Dho%2Bngheo"
        )
        assert client.get("/api/search", params={"q": "ho ngheo"}).status_code == 401
        assert client.get("/documents/1/pages/1.png", follow_redirects=False).status_code == 303
        login = client.get("/login").text
        form = {"csrf_token": CSRF.search(login).group(1), "user": "thanh", "next": "/search?q=ho+ngheo"}
        wrong = client.post("/login", data=form | {"password": "sai"}, follow_redirects=False)
        assert wrong.status_code == 401 and 'id="login-failed"' in wrong.text
        forged = client.post("/login", data=form | {"csrf_token": "x", "password": "mật khẩu dài"})
        assert forged.status_code == 403
        right = client.post("/login", data=form | {"password": "mật khẩu dài"}, follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/search?q=ho+ngheo"
        assert "<mark>hộ nghèo</mark>" in client.get("/search?q=ho+ngheo").text
        out = client.post("/logout", data={"csrf_token": token(client, "/")}, follow_redirects=False)
        assert out.status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_goes_back_to_this_server_only(db: Path, users_file: Path) -> None:
    with TestClient(create_app(WebSettings(db=db, users_file=users_file))) as client:
        form = {"csrf_token": token(client, "/login"), "user": "thanh", "password": "mật khẩu dài"}
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            sent = client.post("/login", data=form | {"next": target}, follow_redirects=False)
            assert sent.headers["location"] == "/"
            form["csrf_token"] = token(client, "/")


def test_a_users_file_holds_salted_hashes_only(users_file: Path) -> None:
    text = users_file.read_text()
    assert "mật khẩu" not in text and text.startswith("thanh:scrypt:16384:8:1:")
    users = read_users(users_file)
    assert verify(users, "thanh", "mật khẩu dài") and not verify(users, "thanh", "mật khẩu")
    assert not verify(users, "lan", "mật khẩu dài")
    assert users_file.stat().st_mode & 0o777 == 0o600


def test_a_session_cookie_cannot_be_forged_or_outlive_its_time() -> None:
    secret = b"k" * 32
    session = new_session("thanh")
    value = encode_session(secret, session)
    assert decode_session(secret, value, 60) == session
    assert decode_session(b"x" * 32, value, 60) is None
    body, signature = value.split(".")
    assert decode_session(secret, body[:-2] + "AA." + signature, 60) is None
    assert decode_session(secret, value, -1) is None


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=ho+ngheo", "/documents/999999", "/api/search?q=ho", "/static/style.css", "/upload"],
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (
        "script-src 'self'" in CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


def test_no_page_has_inline_script_or_style(client: TestClient, ids: dict[str, int]) -> None:
    for path in (
        "/",
        "/search?q=ho+ngheo",
        f"/documents/{ids[SEED_001]}",
        f"/documents/{ids[SEED_001 + '.pdf']}/pages/2",
    ):
        html = client.get(path).text
        assert "<script" not in html and " style=" not in html and "<style" not in html


def test_the_session_cookie_is_http_only(client: TestClient) -> None:
    fresh = TestClient(client.app)
    cookie = fresh.get("/").headers["set-cookie"]
    assert cookie.startswith(COOKIE + "=") and "HttpOnly" in cookie and "SameSite=lax" in cookie


# ---------------------------------------------------------------------------------------------------
# khplan serve, and the pieces
# ---------------------------------------------------------------------------------------------------


def test_serve_refuses_another_address_without_users(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--db", str(db), "--host", "0.0.0.0"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--host 0.0.0.0" in line and "--auth USERS_FILE" in line


def test_serve_add_user_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("bí mật 2024\n"))
    users = tmp_path / "users.txt"
    assert main(["serve", "--auth", str(users), "--add-user", "lan"]) == 0
    assert verify(read_users(users), "lan", "bí mật 2024")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([], [("giảm hộ nghèo còn 1,94%", (), ())]),
        (
            [Mark(5, 23, "target", "target-t1", "Chỉ tiêu")],
            [("giảm ", (), ()), ("hộ nghèo còn 1,94%", ("target",), ("target-t1",))],
        ),
        (
            [Mark(5, 23, "target", "target-t1", None), Mark(18, 23, "amount", "amount-a1", None)],
            [
                ("giảm ", (), ()),
                ("hộ nghèo còn ", ("target",), ("target-t1",)),
                ("1,94%", ("target", "amount"), ("amount-a1",)),
            ],
        ),
    ],
)
def test_the_text_is_cut_at_every_mark(marks: list[Mark], expected: list[tuple]) -> None:
    got = [(p.text, p.kinds, p.anchors) for p in pieces("giảm hộ nghèo còn 1,94%", marks)]
    assert got == expected
