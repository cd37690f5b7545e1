"""`khplan` as a script sees it: data on stdout, one line per failure on stderr, exit codes."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli import EXIT_INPUT_FAILED, EXIT_OK, EXIT_USAGE, build_parser, main
from models import ExtractedDocument
from tests.conftest import CORPUS, SEED_STEMS, SEEDS

GOOD_TXT = SEEDS / f"{SEED_STEMS[0]}.txt"
GOOD_DOCX = SEEDS / f"{SEED_STEMS[0]}.docx"
BAD = CORPUS / "cases" / "bad"
BAD_FILES = {
    "empty.txt": "empty",
    "binary.txt": "binary",
    "not-a-docx.docx": "not a word document",
    "no-vietnamese.txt": "encoding",
    "truncated.pdf": "damaged",
    "encrypted.pdf": "password",
}


def test_one_file_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(GOOD_TXT)]) == EXIT_OK
    document = ExtractedDocument.model_validate_json(capsys.readouterr().out)
    assert document.source.sha256 == hashlib.sha256(GOOD_TXT.read_bytes()).hexdigest()
    assert document.source.format == "txt"
    assert document.schema_version
    assert document.text and document.sections


def test_bad_inputs_fail_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = [BAD / name for name in BAD_FILES]
    code = main(["extract", str(GOOD_TXT), *map(str, bad), str(GOOD_DOCX), "-o", str(tmp_path)])
    assert code == EXIT_INPUT_FAILED
    messages = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(messages)
    for path, reason in zip(bad, BAD_FILES.values(), strict=True):
        lines = [line for line in messages if str(path) in line]
        assert len(lines) == 1, (path, messages)
        assert reason in lines[0].lower(), lines[0]
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted([f"{GOOD_TXT.name}.json", f"{GOOD_DOCX.name}.json"])  # nothing half-written


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "no/such/plan.pdf"]) == EXIT_INPUT_FAILED
    assert "no/such/plan.pdf" in capsys.readouterr().err


def test_jsonl_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(GOOD_TXT), str(GOOD_DOCX), "--jsonl"]) == EXIT_OK
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(line)["source"]["format"] for line in lines] == ["txt", "docx"]


def test_jsonl_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "plans.jsonl"
    assert main(["extract", str(GOOD_TXT), str(GOOD_DOCX), "--jsonl", "-o", str(target)]) == EXIT_OK
    assert len(target.read_text(encoding="utf-8").strip().splitlines()) == 2


def test_schema_verb(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["title"] == "ExtractedDocument"


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["extract"])
    assert raised.value.code == EXIT_USAGE
    with pytest.raises(SystemExit) as raised:
        main(["no-such-verb"])
    assert raised.value.code == EXIT_USAGE
    assert main([]) == EXIT_USAGE


def test_every_verb_has_help_with_an_example() -> None:
    parser = build_parser()
    verbs = next(action for action in parser._actions if action.dest == "verb")
    assert verbs.choices
    for name, subparser in verbs.choices.items():
        assert "example" in subparser.format_help().lower(), name


def test_version_and_help_need_no_heavy_imports() -> None:
    code = (
        "import sys; from extractor.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('spacy', 'pdfplumber', 'pypdfium2', 'docx', 'pydantic') if m in sys.modules]\n"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


def test_tables_verb_writes_one_csv_per_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_001 = SEEDS / f"{next(stem for stem in SEED_STEMS if stem.startswith('001'))}.docx"
    assert main(["tables", str(seed_001), "--csv", str(tmp_path)]) == EXIT_OK
    written = list(tmp_path.glob("*.csv"))
    assert [path.name for path in written] == [f"{seed_001.name}.t1.csv"]
    lines = written[0].read_text(encoding="utf-8-sig").splitlines()
    assert lines[-1].startswith("r14,total,") and ",2471," in lines[-1]


def test_tables_verb_json_and_no_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", str(GOOD_TXT), "--json"]) == EXIT_OK  # seed 000 has no table
    assert json.loads(capsys.readouterr().out) == []
