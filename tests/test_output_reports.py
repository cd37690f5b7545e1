"""`khplan check` and its reports: text, HTML, findings CSV, exit codes.

Most tests use a small plan built by hand (a village table with a wrong percent, a sentence with a wrong
share, a missing signer), so each report's behaviour is checked against findings whose places are known;
the CLI tests also run the real pipeline on corpus/cases/funding-sai-so-thanh-hoa.txt, whose three
injected money errors (a wrong product 06 × 50.000.000 written 310.000.000, parts adding to 680.000.000
against a stated 700.000.000, and "Bảy trăm linh năm triệu đồng" for 700.000.000) are read in the file.
"""

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

import extractor
from extractor.cli import EXIT_FINDINGS, EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, main
from extractor.output.findings_csv import BYTE_ORDER_MARK, FINDINGS_CSV_HEADER, finding_rows, spreadsheet_safe
from extractor.output.report_html import header_layout, html_report, table_marks
from extractor.output.report_text import group_findings, text_report
from models import ExtractedDocument, Metadata, PartialDate, Section, Sourced, SourceInfo, Span
from models.amounts import Amount
from models.citations import Citation, CitationMention
from models.findings import Coverage, Finding, Location, SkippedCheck
from models.tables import Column
from tests.conftest import CORPUS
from tests.factories import make_table

FUNDING = CORPUS / "cases" / "funding-sai-so-thanh-hoa.txt"

HEADING = "II. PHÂN TÍCH HỘ NGHÈO"
SENTENCE = "Trong đó hộ nghèo thuộc đối tượng bảo trợ xã hội là 14 hộ, tỷ lệ 0,55% <theo> Nghị quyết số 151/2019/NQ-HĐND."
TEXT = f"{HEADING}\n{SENTENCE}\n"
SHARE = "14 hộ, tỷ lệ 0,55%"
CITED = "Nghị quyết số 151/2019/NQ-HĐND"
SHARE_AT = TEXT.index(SHARE)
CITED_AT = TEXT.index(CITED)
AMOUNT_AT = TEXT.index("14 hộ")

COLUMNS = [
    Column(index=0, path=["TT"], role="ordinal"),
    Column(index=1, path=["Đơn vị"], role="label"),
    Column(index=2, path=["Tổng số hộ"], role="total_households"),
    Column(index=3, path=["Hộ nghèo cuối năm", "TS"], role="poor_end"),
    Column(index=4, path=["Hộ nghèo cuối năm", "%"], role="percent", count_column=3, base_column=2),
]
TABLE = make_table(
    COLUMNS,
    [
        ("unit", "Cây Tắt", ["183", "3", "1,09"]),
        ("unit", "Tân Thủy", ["129", "4", "3,10"]),
        ("total", "Tổng", ["312", "8", "2,56"]),
    ],
)


def finding(number: int, rule: str, severity: str, location: Location, **fields: object) -> Finding:
    return Finding(
        id=f"f{number}",
        rule=rule,
        severity=severity,
        message_vi=f"thông điệp {number}",
        message_en=f"message {number}",
        location=location,
        **fields,
    )


FINDINGS = [
    finding(
        1,
        "percent.table",
        "error",
        Location(table_id="t1", row_id="r1", column=4),
        stated="1,09",
        expected="1,64",
        evidence="3 / 183 × 100 = 1,64",
        explanation="1,09 = 2 / 183: the percent fits a count of 2",
        related=["f2"],
        probable_cause="t1 Cây Tắt · Hộ nghèo cuối năm / TS = 3",
    ),
    finding(
        2,
        "sum.column",
        "error",
        Location(table_id="t1", row_id="r3", column=3),
        stated="8",
        expected="7",
        related=["f1"],
        probable_cause="t1 Cây Tắt · Hộ nghèo cuối năm / TS = 3",
    ),
    finding(
        3,
        "percent.text",
        "error",
        Location(span=Span(start=SHARE_AT, end=SHARE_AT + len(SHARE))),
        stated="0,55%",
        expected="0,57",
        evidence="14 / 2.471 × 100 = 0,57",
    ),
    finding(4, "form.signer", "warning", Location()),
    finding(5, "form.recipients", "info", Location()),
]


def make_plan(findings: list[Finding] = FINDINGS, path: str = "plan.txt") -> ExtractedDocument:
    """The hand-built plan: one section, one citation, one amount, the table above and the findings."""
    section = Section(
        id="s1",
        numbering="II",
        heading="PHÂN TÍCH HỘ NGHÈO",
        level=1,
        kinds=["situation"],
        span=Span(start=0, end=len(TEXT)),
        heading_span=Span(start=0, end=len(HEADING)),
    )
    citation = Citation(
        id="c1",
        type="Nghị quyết",
        symbol="151/2019/NQ-HĐND",
        role="reference",
        mentions=[CitationMention(span=Span(start=CITED_AT, end=CITED_AT + len(CITED)), raw=CITED)],
    )
    amount = Amount(
        id="amt1",
        kind="quantity",
        value=14,
        raw="14 hộ",
        unit="hộ",
        span=Span(start=AMOUNT_AT, end=AMOUNT_AT + 5),
    )
    metadata = Metadata(
        issuer=Sourced(value="UBND xã Sơn Tây", source="header"),
        number="12",
        symbol=Sourced(value="KH-UBND", source="header"),
        date=PartialDate(day=5, month=3, year=2021),
        title=Sourced(value="Giảm nghèo năm 2021", source="title"),
    )
    return ExtractedDocument(
        source=SourceInfo(path=path, sha256="0" * 64, format="txt"),
        text=TEXT,
        metadata=metadata,
        sections=[section],
        citations=[citation],
        amounts=[amount],
        tables=[TABLE],
        findings=findings,
        coverage=Coverage(verified=9, skipped=[SkippedCheck(rule="percent.text", reason="no base", count=2)]),
    )


class PageReader(HTMLParser):
    """Collects ids, links, the attributes of every element with an id, and whether tags are balanced."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.links: list[str] = []
        self.open: list[str] = []
        self.mismatched: list[str] = []
        self.external: list[str] = []
        self.classes: dict[str, list[str]] = {}
        self._class_stack: list[str] = []
        self.text_by_class: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids[attributes["id"]] = attributes
        href = attributes.get("href", "")
        if href.startswith("#"):
            self.links.append(href[1:])
        elif href or attributes.get("src"):
            self.external.append(href or attributes["src"])
        if tag not in self.VOID:
            self.open.append(tag)
            self._class_stack.append(attributes.get("class", ""))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.mismatched.append(tag)
            return
        self.open.pop()
        self._class_stack.pop()

    def handle_data(self, data: str) -> None:
        """Text inside the document body (class doc-text), by each class around it; the legend is left out."""
        if not any("doc-text" in classes.split() for classes in self._class_stack):
            return
        for classes in self._class_stack:
            for name in classes.split():
                self.text_by_class.setdefault(name, []).append(data)


def read_page(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


# ------------------------------------------------------------------------------------------------- HTML


def test_html_is_balanced_self_contained_and_every_link_lands() -> None:
    page = read_page(html_report(make_plan()))
    assert page.open == [] and page.mismatched == []
    assert page.external == []  # opens offline: no external stylesheet, script or image
    assert page.links, "the report links findings to their places"
    assert set(page.links) <= set(page.ids), set(page.links) - set(page.ids)
    for item in FINDINGS:
        assert f"finding-{item.id}" in page.ids


@pytest.mark.parametrize(
    ("finding_id", "place"),
    [("f1", "cell-t1-r1-4"), ("f2", "cell-t1-r3-3"), ("f3", "at-f3")],
)
def test_each_located_finding_links_to_its_place(finding_id: str, place: str) -> None:
    page = html_report(make_plan())
    card = page[page.index(f'id="finding-{finding_id}"') :]
    card = card[: card.index("</li>")]
    assert f'href="#{place}"' in card
    assert place in read_page(page).ids


def test_wrong_cells_are_marked_with_the_expected_value_in_a_tooltip() -> None:
    page = read_page(html_report(make_plan()))
    wrong = page.ids["cell-t1-r1-4"]
    assert "wrong" in wrong["class"].split()
    assert "1,64" in wrong["title"] and "f1" in wrong["title"]
    assert "wrong" in page.ids["cell-t1-r3-3"]["class"].split()
    assert "7" in page.ids["cell-t1-r3-3"]["title"]
    for right in ("cell-t1-r1-3", "cell-t1-r2-4", "cell-t1-r3-4"):
        assert "wrong" not in page.ids[right].get("class", "").split(), right


def test_text_highlights_citations_amounts_and_finding_spans() -> None:
    page = read_page(html_report(make_plan()))
    assert "".join(page.text_by_class["hl-citation"]) == CITED
    assert "".join(page.text_by_class["hl-amount"]) == "14 hộ"
    assert "".join(page.text_by_class["hl-finding"]) == SHARE
    assert "".join(page.text_by_class["hl-heading"]) == HEADING
    assert "at-f3" in page.ids and "sec-s1" in page.ids


def test_document_text_is_escaped() -> None:
    page = html_report(make_plan())
    assert "&lt;theo&gt;" in page and "<theo>" not in page
    assert "<script" not in page


def test_html_without_tables_or_findings_still_reads() -> None:
    plan = make_plan(findings=[]).model_copy(update={"tables": []})
    page = html_report(plan, "en")
    reader = read_page(page)
    assert reader.open == [] and reader.mismatched == []
    assert "No findings." in page and "No data tables were read." in page


def test_a_finding_naming_a_missing_table_gets_no_dangling_link() -> None:
    stray = finding(9, "percent.table", "error", Location(table_id="t7", row_id="r1", column=2))
    page = read_page(html_report(make_plan(findings=[stray])))
    assert set(page.links) <= set(page.ids)


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        ([["TT"], ["Đơn vị"]], [[("TT", 1, 1), ("Đơn vị", 1, 1)]]),
        (
            [["TT"], ["HỘ NGHÈO", "TS"], ["HỘ NGHÈO", "%"]],
            [[("TT", 1, 2), ("HỘ NGHÈO", 2, 1)], [("TS", 1, 1), ("%", 1, 1)]],
        ),
        (
            [["A", "x", "TS"], ["A", "x", "%"], ["A", "y"]],
            [[("A", 3, 1)], [("x", 2, 1), ("y", 1, 2)], [("TS", 1, 1), ("%", 1, 1)]],
        ),
    ],
)
def test_header_rows_rebuilt_from_column_paths(paths: list[list[str]], expected: list) -> None:
    columns = [Column(index=index, path=path) for index, path in enumerate(paths)]
    layout = header_layout(columns)
    assert [[(cell.text, cell.colspan, cell.rowspan) for cell in row] for row in layout] == expected
    leaves = sorted(cell.column for row in layout for cell in row if cell.column is not None)
    assert leaves == list(range(len(paths)))  # every column has one leaf header cell to mark


def test_table_marks_by_the_place_a_location_names() -> None:
    column_wide = finding(7, "sum.column", "error", Location(table_id="t1", column=3))
    marks = table_marks([*FINDINGS, column_wide])
    assert set(marks.cells) == {("t1", "r1", 4), ("t1", "r3", 3)}
    assert set(marks.columns) == {("t1", 3)}
    page = read_page(html_report(make_plan(findings=[column_wide])))
    assert "wrong" in page.ids["col-t1-3"]["class"].split()


# ------------------------------------------------------------------------------------------------- text


def test_text_report_lists_every_finding_with_its_place() -> None:
    report = text_report(make_plan(), width=200)
    for item in FINDINGS:
        assert f"[{item.id}]" in report and item.message_vi in report
    assert "dòng Cây Tắt" in report and "Hộ nghèo cuối năm / %" in report  # the cell, by row label and column
    assert f"«{SHARE}»" in report  # the text finding, quoted
    assert "mục II PHÂN TÍCH HỘ NGHÈO" in report
    assert "5 phát hiện: 3 lỗi, 1 cảnh báo, 1 thông tin" in report
    assert "Đã kiểm chứng 9 phép tính" in report and "no base (2)" in report
    assert "UBND xã Sơn Tây" in report and "12/KH-UBND" in report and "05/03/2021" in report


def test_text_report_in_english_uses_the_english_messages() -> None:
    report = text_report(make_plan(), lang="en", width=200)
    assert "message 1" in report and "thông điệp 1" not in report
    assert "5 findings: 3 errors, 1 warning, 1 info" in report


def test_related_findings_are_grouped_under_their_cause() -> None:
    groups = group_findings(FINDINGS)
    assert [[item.id for item in group.findings] for group in groups] == [
        ["f1", "f2"],
        ["f3"],
        ["f4"],
        ["f5"],
    ]
    assert groups[0].cause == "t1 Cây Tắt · Hộ nghèo cuối năm / TS = 3"
    report = text_report(make_plan(), width=200)
    cause_line = report.index("Nguyên nhân có thể: t1 Cây Tắt")
    assert cause_line < report.index("[f1]") < report.index("[f2]")


def test_zero_findings_says_so_with_coverage() -> None:
    report = text_report(make_plan(findings=[]))
    assert "Không có phát hiện nào." in report and "Đã kiểm chứng 9 phép tính" in report


# -------------------------------------------------------------------------------------------------- CSV


def test_csv_rows_one_per_finding() -> None:
    rows = finding_rows("plan.txt", make_plan())
    assert len(rows) == len(FINDINGS)
    first = dict(zip(FINDINGS_CSV_HEADER, rows[0], strict=True))
    assert first["file"] == "plan.txt" and first["issuer"] == "UBND xã Sơn Tây"
    assert first["number"] == "12/KH-UBND" and first["rule"] == "percent.table"
    assert first["stated"] == "1,09" and first["expected"] == "1,64" and first["severity"] == "error"
    assert "Cây Tắt" in first["location"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+84", "'+84"),
        ("@x", "'@x"),
        ("-0,12", "-0,12"),
        ("- a", "'- a"),
        ("Cây", "Cây"),
    ],
)
def test_csv_values_never_run_as_formulas(value: str, written: str) -> None:
    assert spreadsheet_safe(value) == written


# -------------------------------------------------------------------------------------------------- CLI


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> dict[str, ExtractedDocument]:
    """Hand-built plans served by name instead of being read from disk."""
    served = {
        "errors.txt": make_plan(path="errors.txt"),
        "warnings.txt": make_plan(findings=FINDINGS[3:], path="warnings.txt"),
        "clean.txt": make_plan(findings=[], path="clean.txt"),
    }

    def fake_extract(path: str | Path, options: object = None) -> ExtractedDocument:
        name = Path(path).name
        if name not in served:
            from extractor.errors import InputError

            raise InputError(str(path), "no such file")
        return served[name]

    monkeypatch.setattr(extractor, "extract_document", fake_extract)
    return served


@pytest.mark.parametrize(
    ("files", "fail_on", "code"),
    [
        (["errors.txt"], None, EXIT_OK),  # findings never fail the run unless asked
        (["errors.txt"], "error", EXIT_FINDINGS),
        (["warnings.txt"], "error", EXIT_OK),
        (["warnings.txt"], "warning", EXIT_FINDINGS),
        (["warnings.txt"], "info", EXIT_FINDINGS),
        (["clean.txt"], "info", EXIT_OK),
        (["clean.txt", "missing.txt"], None, EXIT_INPUT_FAILED),
        (["errors.txt", "missing.txt"], "error", EXIT_INPUT_FAILED),  # a failed input wins
    ],
)
def test_exit_codes(plans: dict, files: list[str], fail_on: str | None, code: int, capsys) -> None:
    arguments = ["check", *files] + (["--fail-on", fail_on] if fail_on else [])
    assert main(arguments) == code
    if code == EXIT_INPUT_FAILED:
        assert "missing.txt" in capsys.readouterr().err


def test_usage_errors(plans: dict) -> None:
    assert main(["check", "errors.txt", "clean.txt", "--format", "html"]) == EXIT_USAGE  # pages need -o
    assert main(["check", "errors.txt", "--jsonl"]) == EXIT_USAGE
    with pytest.raises(SystemExit) as raised:
        main(["check", "errors.txt", "--fail-on", "fatal"])
    assert raised.value.code == EXIT_USAGE


def test_reports_per_document_in_a_directory(plans: dict, tmp_path: Path) -> None:
    for report_format, suffix in (("html", "html"), ("text", "txt"), ("json", "json")):
        out = tmp_path / report_format
        assert (
            main(["check", "errors.txt", "clean.txt", "--format", report_format, "-o", str(out)]) == EXIT_OK
        )
        assert sorted(path.name for path in out.iterdir()) == [f"clean.txt.{suffix}", f"errors.txt.{suffix}"]
    assert ExtractedDocument.model_validate_json((tmp_path / "json" / "errors.txt.json").read_text()).findings
    assert "[f3]" in (tmp_path / "text" / "errors.txt.txt").read_text(encoding="utf-8")


def test_funding_case_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    findings_csv = tmp_path / "findings.csv"
    code = main(["check", str(FUNDING), "--csv", str(findings_csv), "--fail-on", "error", "--lang", "en"])
    assert code == EXIT_FINDINGS
    report = capsys.readouterr().out
    assert "310.000.000" in report and "Bảy trăm linh năm triệu đồng" in report
    raw = findings_csv.read_text(encoding="utf-8")
    assert raw.startswith(BYTE_ORDER_MARK)
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix(BYTE_ORDER_MARK))))
    assert {row["rule"] for row in rows} == {"money.product", "money.total", "money.words"}
    assert {row["file"] for row in rows} == {str(FUNDING)}
    assert all(row["issuer"] == "UBND xã Thành Vinh" and row["number"] == "33/KH-UBND" for row in rows)
    product = next(row for row in rows if row["rule"] == "money.product")
    assert product["stated"] == "310.000.000 đồng" and product["expected"] == "300.000.000"

    assert main(["check", str(FUNDING), "--format", "html"]) == EXIT_OK
    page = read_page(capsys.readouterr().out)
    assert page.open == [] and set(page.links) <= set(page.ids)
    assert {f"finding-f{number}" for number in (1, 2, 3)} <= set(page.ids)
