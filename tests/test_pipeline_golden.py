"""Every seed, in each of its three formats, against the expected file written by reading the document."""

import json

import pytest

from tests.conftest import EXPECTED, FORMATS, SEED_STEMS, SEEDS, extracted


def metadata_view(metadata) -> dict:
    """The metadata fields the expected files pin down, as plain values."""

    def value(item):
        return None if item is None else item.value

    date = metadata.date
    return {
        "issuer": None
        if metadata.issuer is None
        else {"value": metadata.issuer.value, "source": metadata.issuer.source},
        "issuer_parent": value(metadata.issuer_parent),
        "level": metadata.level,
        "unit": value(metadata.unit),
        "number": metadata.number,
        "unnumbered": metadata.unnumbered,
        "symbol": value(metadata.symbol),
        "place": value(metadata.place),
        "date": None
        if date is None
        else {key: getattr(date, key) for key in ("day", "month", "year", "iso", "source")},
        "doc_type": value(metadata.doc_type),
        "title": value(metadata.title),
        "plan_year": metadata.plan_year,
        "signer": {
            "name": value(metadata.signer.name),
            "position": value(metadata.signer.position),
            "authority": [item.value for item in metadata.signer.authority],
        },
        "recipients": [item.value for item in metadata.recipients],
    }


def sections_view(sections) -> list[dict]:
    view = []
    for section in sections:
        entry = {"numbering": section.numbering, "heading": section.heading, "kinds": section.kinds}
        if section.children:
            entry["children"] = sections_view(section.children)
        view.append(entry)
    return view


def expected(stem: str) -> dict:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


CASES = [pytest.param(stem, fmt, id=f"{stem[:3]}-{fmt}") for stem in SEED_STEMS for fmt in FORMATS]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_metadata_matches_expected(stem: str, fmt: str) -> None:
    result = extracted(SEEDS / f"{stem}.{fmt}")
    assert metadata_view(result.metadata) == expected(stem)["metadata"]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_sections_match_expected(stem: str, fmt: str) -> None:
    result = extracted(SEEDS / f"{stem}.{fmt}")
    assert sections_view(result.sections) == expected(stem)["sections"]


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_every_top_level_part_has_a_kind(stem: str, fmt: str) -> None:
    result = extracted(SEEDS / f"{stem}.{fmt}")
    assert result.sections
    assert all(section.kinds != ["other"] for section in result.sections)


@pytest.mark.parametrize(("stem", "fmt"), CASES)
def test_spans_resolve_in_the_text(stem: str, fmt: str) -> None:
    result = extracted(SEEDS / f"{stem}.{fmt}")
    text = result.text
    for block in result.blocks:
        assert text[block.span.start : block.span.end] == block.text
    metadata = result.metadata
    for item in (metadata.symbol, metadata.place, metadata.signer.name, *metadata.recipients):
        if item is not None and item.span is not None:  # an item wrapped over lines reads with one space
            assert " ".join(text[item.span.start : item.span.end].split()) == item.value

    def walk(sections):
        for section in sections:
            assert text[section.heading_span.start : section.heading_span.end] == section.heading
            assert section.span.start <= section.heading_span.start < section.span.end
            walk(section.children)

    walk(result.sections)


def seed(prefix: str) -> str:
    return next(stem for stem in SEED_STEMS if stem.startswith(prefix))


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_002_unnumbered_dated_by_its_appendix(fmt: str) -> None:
    metadata = extracted(SEEDS / f"{seed('002')}.{fmt}").metadata
    assert metadata.number is None and metadata.unnumbered
    assert metadata.date is not None and (metadata.date.iso, metadata.date.source) == (
        "2024-02-22",
        "appendix",
    )
    assert metadata.issuer is not None and metadata.issuer.value == "UBND phường Quảng Minh"


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_000_date_without_day(fmt: str) -> None:
    date = extracted(SEEDS / f"{seed('000')}.{fmt}").metadata.date
    assert date is not None and (date.day, date.month, date.year, date.iso) == (None, 1, 2024, None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_004_header_and_signature(fmt: str) -> None:
    metadata = extracted(SEEDS / f"{seed('004')}.{fmt}").metadata
    assert (metadata.number, metadata.symbol and metadata.symbol.value) == ("267", "KH-UBND")
    assert metadata.date is not None and metadata.date.iso == "2021-10-19"
    assert metadata.plan_year == 2022
    assert metadata.signer.name is not None and metadata.signer.name.value == "Vì Văn Ngọc"
    assert [item.value[:3] for item in metadata.signer.authority] == ["TM.", "KT."]
    assert metadata.signer.position is not None and metadata.signer.position.value == "PHÓ CHỦ TỊCH"


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_unit_and_year_without_a_header(fmt: str) -> None:
    metadata = extracted(SEEDS / f"{seed('001')}.{fmt}").metadata
    assert metadata.unit is not None and metadata.unit.value == "Sơn Tây"
    assert metadata.plan_year == 2021


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_formats_agree_with_each_other(stem: str) -> None:
    views = {
        fmt: (
            metadata_view(extracted(SEEDS / f"{stem}.{fmt}").metadata),
            sections_view(extracted(SEEDS / f"{stem}.{fmt}").sections),
        )
        for fmt in FORMATS
    }
    assert views["txt"] == views["docx"] == views["pdf"]


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_pdf_blocks_carry_page_and_box(stem: str) -> None:
    result = extracted(SEEDS / f"{stem}.pdf")
    assert result.source.pages and result.source.pages >= 1
    assert all(block.page is not None and block.bbox is not None for block in result.blocks)
    assert len({block.page for block in result.blocks}) == result.source.pages
