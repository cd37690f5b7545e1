"""Bad input: every unreadable file gives one InputError naming the file and a short reason."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.ingest import read_document
from extractor.ingest.detect import detect_format
from extractor.ingest.office import read_office

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "cases" / "bad"

BAD_FILES = [
    ("empty.txt", "the file is empty"),
    ("binary.txt", "binary data, not text"),
    ("not-a-docx.docx", "not a Word document (a zip without word/document.xml)"),
    ("no-vietnamese.txt", "not a Vietnamese text in any supported encoding"),
]


@pytest.mark.parametrize(("name", "reason"), BAD_FILES)
def test_bad_file_gives_one_clear_reason(name: str, reason: str) -> None:
    path = BAD / name
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert raised.value.reason.startswith(reason)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


def test_no_vietnamese_fixture_is_not_utf8_and_not_vietnamese_in_windows_1258() -> None:
    from extractor.ingest.txt import looks_vietnamese

    data = (BAD / "no-vietnamese.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not looks_vietnamese(data.decode("cp1258", errors="replace"))


def test_binary_fixture_holds_nul_bytes() -> None:
    assert b"\x00" in (BAD / "binary.txt").read_bytes()


@pytest.mark.parametrize("name", ["truncated.pdf", "encrypted.pdf"])
def test_pdf_fixtures_are_detected_as_pdf(name: str) -> None:
    assert detect_format((BAD / name).read_bytes(), ".pdf") == "pdf"


@pytest.mark.parametrize("name", ["truncated.pdf", "encrypted.pdf"])
def test_pdf_fixtures_raise_input_error(name: str) -> None:
    with pytest.raises(InputError) as raised:
        read_document(BAD / name)
    assert str(raised.value).startswith(f"{BAD / name}: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "khong-co.txt")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="a directory"):
        read_document(tmp_path)


def test_white_space_only_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\n  \n\t\n")
    with pytest.raises(InputError, match="empty"):
        read_document(path)


def test_missing_libreoffice_names_the_tool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda command: None)
    with pytest.raises(InputError) as raised:
        read_office(tmp_path / "plan.doc", b"\xd0\xcf\x11\xe0", "doc")
    assert raised.value.reason == (
        "LibreOffice is needed to read .doc files (install libreoffice-writer); not found"
    )


RTF_PLAN = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
    rb"\pard\qc\b K\u7870? HO\u7840?CH\b0\par"
    rb"\pard Gi\u7843?m ngh\u232?o n\u259?m 2024\par}"
)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_rtf_is_converted_with_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "plan.rtf"
    path.write_bytes(RTF_PLAN)
    document = read_document(path)
    assert document.source.format == "rtf"
    assert [b.text for b in document.blocks] == ["KẾ HOẠCH", "Giảm nghèo năm 2024"]
    assert document.blocks[0].style.bold and document.blocks[0].style.centered


def test_reading_text_does_not_import_heavy_libraries(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("KẾ HOẠCH\nGiảm nghèo năm 2024\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from extractor.ingest import read_document; "
        f"read_document(Path({str(path)!r})); "
        "print(any(m in sys.modules for m in ('docx', 'pdfplumber', 'pypdfium2')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"
