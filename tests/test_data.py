"""The data layer: every file validated, errors that name the file and the line, one meaning per word, and no
word list of a data file written again in the code."""

from __future__ import annotations

import ast
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import regex
import yaml

from extractor import data
from extractor.data import DATA_FILES, DataFileError, parse_data
from extractor.data.schema import UnitsFile
from extractor.entities.amounts import find_amounts
from extractor.entities.citations import find_citations
from extractor.entities.populations import populations_in
from extractor.entities.targets import find_targets
from extractor.normalize.numbers import find_numbers, parse_money
from extractor.normalize.patterns import folded_words_pattern
from extractor.normalize.text import fold
from extractor.structure.units import find_unit, parse_body
from extractor.structure.zones import doc_type_at_start
from tests.conftest import ROOT
from tests.factories import make_plan, text_plan

DATA_FOLDER = Path(str(resources.files("extractor.data")))


def test_every_data_file_is_listed_and_valid() -> None:
    assert {path.name for path in DATA_FOLDER.glob("*.yaml")} == set(DATA_FILES)
    data.check_all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units:\n  - {unit: hộ, kind: people}\n  - {unit: xe, kind: vehicle}\n", "line 3: units.1.kind"),
        ("units:\n  - {unit: hộ, kind: people, colour: red}\n", "line 2: units.0.colour"),
        ("units: [\n  {unit: hộ\n", "not valid YAML"),
    ],
)
def test_a_bad_file_is_refused_with_its_name_and_line(text: str, message: str) -> None:
    with pytest.raises(DataFileError) as raised:
        parse_data("units.yaml", text, UnitsFile)
    assert str(raised.value).startswith("extractor/data/units.yaml")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_cross_references_resolve() -> None:
    populations = set(data.populations().by_key)
    indicators = data.indicators().indicators
    for key, entry in indicators.items():
        assert entry.population is None or entry.population in populations, key
        for other in (entry.rate_key, entry.count_key):
            assert other is None or other in indicators, (key, other)


# -- one meaning per word -----------------------------------------------------------------------------------


def _key(word: str) -> str:
    return " ".join(unicodedata.normalize("NFC", word).lower().split())


def meanings() -> Iterator[tuple[str, str, str, str]]:
    """(kind of meaning, word, meaning, file) for every word a data file gives a meaning to."""
    for unit in data.units().units:
        for spelling in unit.spellings:
            yield "unit", spelling, unit.unit, "units.yaml"
    for written, unit in data.money().units.items():
        yield "unit", written, unit, "money.yaml"
    for level in data.admin_units().levels:
        for word in level.words:
            yield "level", word, level.level, "admin_units.yaml"
    for word, display in data.admin_units().body_by_word.items():
        yield "body", word, display, "admin_units.yaml"
    for population in data.populations().populations:
        for word in (*population.phrases, *population.abbreviations):
            yield "population", word, population.key, "populations.yaml"
    for entry in data.document_types().types:
        yield "document type", entry.name, entry.name, "document_types.yaml"
        for code in entry.codes:
            yield "document code", code, entry.name, "document_types.yaml"
    for word in data.citation_words().generic_words:
        yield "document type", word, "(any type)", "citation_types.yaml"
    for kind, phrases in data.section_kinds().root.items():
        for phrase in phrases:
            yield "section kind", phrase.lstrip("^"), kind, "section_kinds.yaml"
    words = data.table_words()
    for measure, listed in words.measures.model_dump().items():
        for word in listed:
            yield "table measure", word, measure, "table_vocabulary.yaml"
    for stage, listed in words.stages.model_dump().items():
        for word in listed:
            yield "table stage", word, stage, "table_vocabulary.yaml"


def test_no_word_has_two_meanings_of_one_kind() -> None:
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    conflicts = []
    for kind, word, meaning, file in meanings():
        key = (kind, _key(word))
        if key in seen and seen[key][0] != meaning:
            conflicts.append(f"{kind} {word!r}: {seen[key][0]} ({seen[key][1]}) vs {meaning} ({file})")
        seen.setdefault(key, (meaning, file))
    assert conflicts == []


def test_the_meaning_test_sees_a_conflict() -> None:
    """The check above is not vacuous: a unit spelled the same way as a money unit would be caught."""
    kinds = defaultdict(set)
    for kind, word, meaning, _ in [*meanings(), ("unit", "triệu", "người", "a bad file")]:
        kinds[(kind, _key(word))].add(meaning)
    assert any(len(found) > 1 for found in kinds.values())


# -- no word list of a data file in the code ------------------------------------------------------------------

# Three entries of one data list in one string literal is a list written again.
MAX_SHARED_ENTRIES = 2
# Literals whose words are a grammar, not a vocabulary: (file, the literal's first words, why).
GRAMMARS = [
    ("extractor/entities/assignments.py", "(trước|chậm", "a deadline's date: 'ngày … của tháng cuối quý'"),
]
_REGEX_SPACE = regex.compile(r"\\s[+*]|\[ \\u00a0\][+*]|\\ |[ \t]+")
_REGEX_SYNTAX = regex.compile(r"\(\?[:!=<]*|[()\[\]{}^$*+?\\]")


def word_lists() -> Iterator[tuple[str, set[str]]]:
    """(name, entries) for every list of words in the data files, and for every field across a list of entries
    (every unit's spellings as one list)."""

    def walk(value: Any, path: str) -> Iterator[tuple[str, set[str]]]:
        if isinstance(value, dict):
            for key, child in value.items():
                yield from walk(child, f"{path}.{key}")
        elif isinstance(value, list):
            strings = {_key(item) for item in value if isinstance(item, str)}
            if strings:
                yield path, strings
            fields: dict[str, set[str]] = defaultdict(set)
            for item in value:
                if isinstance(item, dict):
                    for key, child in item.items():
                        for word in child if isinstance(child, list) else [child]:
                            if isinstance(word, str):
                                fields[key].add(_key(word))
                    yield from walk(item, path)
            for key, words in fields.items():
                yield f"{path}[].{key}", words

    for name in DATA_FILES:
        yield from walk(yaml.safe_load(data.data_text(name)), name)


def literal_phrases(literal: str) -> set[str]:
    """The words a string literal (often a regex) spells: "(?:tỷ|tỉ|triệu)\\s+đồng" -> {"tỷ", "tỉ", "triệu đồng"…}."""
    spaced = _REGEX_SPACE.sub(" ", literal)
    pieces = regex.split(r"[|,;/]", _REGEX_SYNTAX.sub("|", spaced))
    return {_key(piece) for piece in pieces if piece.strip() and any(char.isalpha() for char in piece)}


def code_literals() -> Iterator[tuple[str, int, str]]:
    for path in sorted(ROOT.glob("extractor/**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield str(path.relative_to(ROOT)), node.lineno, node.value


def repeated_lists(literal: str, lists: list[tuple[str, set[str]]]) -> list[str]:
    phrases = literal_phrases(literal)
    return [name for name, words in lists if len(phrases & words) > MAX_SHARED_ENTRIES]


def test_no_string_literal_repeats_a_data_word_list() -> None:
    lists = [(name, words) for name, words in word_lists() if len(words) > MAX_SHARED_ENTRIES]
    found = [
        f"{path}:{line} repeats {names}"
        for path, line, literal in code_literals()
        if not any(path == where and literal.startswith(start) for where, start, _ in GRAMMARS)
        and (names := repeated_lists(literal, lists))
    ]
    assert found == []


def test_the_literal_test_sees_a_repeated_list() -> None:
    lists = [(name, words) for name, words in word_lists() if len(words) > MAX_SHARED_ENTRIES]
    assert repeated_lists(r"(?:hộ|người|lao\s+động)", lists)
    assert not repeated_lists("khplan: results written to", lists)


# -- every entry reachable: fed to the reader that uses it, it gives its meaning -------------------------------

UNIT_CASES = [(spelling, unit.unit) for unit in data.units().units for spelling in unit.spellings]


@pytest.mark.parametrize(("written", "unit"), UNIT_CASES, ids=[w for w, _ in UNIT_CASES])
def test_every_unit_spelling_is_read_as_its_unit(written: str, unit: str) -> None:
    (number,) = find_numbers(f"có 12 {written} mới")
    assert number.unit == unit


MONEY_CASES = sorted(data.money().units.items())


@pytest.mark.parametrize(("written", "unit"), MONEY_CASES, ids=[w for w, _ in MONEY_CASES])
def test_every_money_unit_is_read(written: str, unit: str) -> None:
    (number,) = find_numbers(f"kinh phí 12 {written} cho")
    assert number.unit == unit


@pytest.mark.parametrize("scale", data.money().scales, ids=lambda scale: scale.unit)
def test_every_scale_multiplies(scale) -> None:
    for written in scale.spellings:
        assert parse_money(f"3 {written} đồng") == 3 * scale.value


POPULATION_CASES = [(p.key, phrase) for p in data.populations().populations for phrase in p.phrases]


@pytest.mark.parametrize(("key", "phrase"), POPULATION_CASES)
def test_every_population_phrase_names_its_group(key: str, phrase: str) -> None:
    assert key in populations_in(fold(f"cho {phrase} trên địa bàn"))


LEVEL_CASES = [(level.level, word) for level in data.admin_units().levels for word in level.words]


@pytest.mark.parametrize(("level", "word"), LEVEL_CASES)
def test_every_level_word_reads_a_unit(level: str, word: str) -> None:
    found = find_unit(f"trên địa bàn {word} Cao Nhân năm 2024")
    assert found is not None and found.level == level


@pytest.mark.parametrize(("word", "display"), sorted(data.admin_units().body_by_word.items()))
def test_every_body_word_reads_a_body(word: str, display: str) -> None:
    body = parse_body(f"{word.upper()} XÃ CAO NHÂN")
    assert body is not None and body.display == display


@pytest.mark.parametrize("entry", data.document_types().title_types, ids=lambda entry: entry.name)
def test_every_title_type_opens_a_title(entry) -> None:
    assert doc_type_at_start(f"{entry.name.upper()} Giảm nghèo năm 2024") == (entry.name, len(entry.name))


@pytest.mark.parametrize("entry", data.document_types().types, ids=lambda entry: entry.name)
def test_every_document_type_is_cited(entry) -> None:
    text = f"Căn cứ {entry.name} số 12/2024/XX-UBND ngày 05/01/2024 của UBND tỉnh;"
    if entry.by_name:
        text = f"Căn cứ {entry.name} Bảo vệ môi trường năm 2020;"
    citations = find_citations(text_plan(text))
    assert [citation.type for citation in citations] == [entry.name]


CUE_LISTS = [
    (name, phrase)
    for name, value in data.cues().model_dump(by_alias=True).items()
    for phrase in (value if isinstance(value, list) else [p for listed in value.values() for p in listed])
]


@pytest.mark.parametrize(("name", "phrase"), CUE_LISTS)
def test_every_cue_phrase_matches_itself_folded(name: str, phrase: str) -> None:
    """A cue that folding broke (an empty word, a stray sign) would never match the text it was written for."""
    assert folded_words_pattern([phrase]).fullmatch(fold(phrase).strip()), (name, phrase)


def test_every_rule_is_raised_by_some_check_and_every_message_is_filled() -> None:
    checks = "".join(
        path.read_text(encoding="utf-8") for path in sorted((ROOT / "extractor/checks").glob("*.py"))
    )
    for rule_id, rule in data.rules().rules.items():
        assert f'"{rule_id}"' in checks, rule_id
        for variant in rule.messages:
            assert variant == "default" or f'"{variant}"' in checks, (rule_id, variant)
        for name in rule.explanations:
            assert f'"{name}"' in checks, (rule_id, name)


@pytest.mark.parametrize("spelling", data.units().numbered_spellings)
def test_every_numbered_noun_makes_the_number_after_it_a_label(spelling: str) -> None:
    """ "Cụm 3 xã Cao Nhân có 12 hộ": the 3 names the cluster, only the 12 households are counted."""
    plan = text_plan(f"Tại {spelling.capitalize()} 3 xã Cao Nhân có 12 hộ nghèo.")
    assert [(amount.value, amount.unit) for amount in find_amounts(plan)] == [(12, "hộ")]


@pytest.mark.parametrize("word", data.indicators().reading.restatement)
def test_every_restatement_word_keeps_the_restated_number_from_being_a_target(word: str) -> None:
    plan = make_plan("II. MỤC TIÊU", f"- Tỷ lệ hộ dân sử dụng nước sạch đạt 85%, {word} tăng thêm 16.800 hộ.")
    assert [target.value for target in find_targets(plan)] == [85]


@pytest.mark.parametrize("word", data.indicators().reading.done)
def test_every_done_word_makes_a_reached_status_no_target(word: str) -> None:
    plan = make_plan(
        "III. NHIỆM VỤ", f"- Ưu tiên đầu tư các trường {word} đạt trên 80% tiêu chí chuẩn quốc gia."
    )
    assert find_targets(plan) == []
