"""Search (FTS5, bm25, folded both ways, phrase-aware) and cite over an archive of real extractions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.archive import Archive, SearchFilters, SearchHit
from extractor.archive import search as search_module
from extractor.archive.search import filter_expression, relevance
from extractor.normalize.text import fold
from models.findings import Finding
from tests.archive_fixtures import (
    DAO_TAO,
    LONG_HOA,
    SEED_000,
    SEED_004,
    corpus_doc,
    search_archive,
    store_doc,
    with_citation_date,
)

WIDE = SearchFilters(limit=500)
PHRASE = ["ti", "le", "ho", "ngheo"]  # "tỷ lệ hộ nghèo" folded


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    with search_archive(tmp_path_factory.mktemp("search")) as built:
        yield built


def doc_id(archive: Archive, stem: str) -> int:
    return archive.lookup(corpus_doc(stem).source.sha256, archive.documents()[0].extractor_version).id


def holds_phrase(shown: str, phrase: list[str]) -> bool:
    tokens = [t for t in "".join(c if c.isalnum() else " " for c in fold(shown)).split()]
    return any(tokens[i : i + len(phrase)] == phrase for i in range(len(tokens)))


def highlighted(hit: SearchHit) -> list[str]:
    return [fold(hit.text[start:end]) for start, end in hit.highlights]


@pytest.mark.parametrize("query", ["ho ngheo", "HỘ NGHÈO", "hộ nghèo"])
def test_a_query_without_or_with_diacritics_finds_ho_ngheo(archive: Archive, query: str) -> None:
    hits = archive.search(query)
    assert hits and all("ho ngheo" in highlighted(hit) for hit in hits[:10])
    assert any("hộ nghèo" in hit.text for hit in hits)


def test_dao_tao_and_its_accented_form_find_the_same_dao_tao(archive: Archive) -> None:
    plain, accented = archive.search("dao tao", WIDE), archive.search("đào tạo", WIDE)
    assert [(h.document.id, h.ref_id, h.text) for h in plain] == [
        (h.document.id, h.ref_id, h.text) for h in accented
    ]
    capitalised = [hit for hit in plain if "Đào tạo" in hit.text]
    assert capitalised and capitalised[0].document.id == doc_id(archive, DAO_TAO)
    start, end = capitalised[0].highlights[0]
    assert capitalised[0].text[start:end] == "Đào tạo"


@pytest.mark.parametrize("query", ["hòa quới", "hoà quới", "HOA QUOI"])
def test_tone_placement_does_not_matter(archive: Archive, query: str) -> None:
    hits = archive.search(query)
    assert any("Hòa Quới" in hit.text and hit.document.id == doc_id(archive, LONG_HOA) for hit in hits)


def test_old_and_new_tone_placement_of_xa_hoi_hoa(archive: Archive) -> None:
    new_style = archive.search("xã hội hoá", WIDE)  # the plans write "xã hội hóa"
    assert any("xã hội hóa" in hit.text for hit in new_style)
    assert [h.text for h in new_style] == [h.text for h in archive.search("xã hội hóa", WIDE)]


def test_a_target_hit_gives_value_direction_deadline_and_section(archive: Archive) -> None:
    [hit] = archive.search("tỉ lệ hộ cận nghèo", SearchFilters(kind="target", issuer="Cao Nhân"))[:1]
    assert (hit.value, hit.direction, hit.deadline) == (1.4, "reduce_to", "2024-12-31")
    assert hit.indicator_key == "near_poverty_rate" and hit.section == "1. Mục đích"
    assert "[tỉ lệ hộ cận nghèo]" in hit.marked()


def test_issuer_filter_matches_the_issuers_words_folded(archive: Archive) -> None:
    for issuer in ("cao nhan", "Cao Nhân", "XÃ CAO", "xa - cao"):
        hits = archive.search("ho ngheo", SearchFilters(issuer=issuer))
        assert hits and {hit.document.issuer for hit in hits} == {"UBND xã Cao Nhân"}


def test_year_level_kind_and_indicator_filters(archive: Archive) -> None:
    assert {h.document.issuer for h in archive.search("ho ngheo", SearchFilters(year=2021, limit=500))} == {
        "UBND xã Sơn Tây"
    }
    district = archive.search("ho ngheo", SearchFilters(level="district", limit=500))
    assert district and {h.document.issuer for h in district} <= {"UBND huyện Yên Châu", "UBND huyện Chợ Mới"}
    cited = archive.search("nghi dinh", SearchFilters(kind="citation", limit=500))
    assert cited and {hit.kind for hit in cited} == {"citation"}
    rates = archive.search("ho ngheo", SearchFilters(indicator="poverty_rate", limit=500))
    assert rates and {(h.kind, h.indicator_key) for h in rates} == {("target", "poverty_rate")}


def test_has_errors_filter(archive: Archive) -> None:
    with_errors = {d.id for d in archive.documents() if d.has_errors}
    assert with_errors and with_errors != {d.id for d in archive.documents()}
    hits = archive.search("ho ngheo", SearchFilters(has_errors=True, limit=500))
    assert hits and {h.document.id for h in hits} <= with_errors
    clean = archive.search("ho ngheo", SearchFilters(has_errors=False, limit=500))
    assert clean and not {h.document.id for h in clean} & with_errors


def test_limit(archive: Archive) -> None:
    assert len(archive.search("ho ngheo", SearchFilters(limit=3))) == 3
    assert len(archive.search("ho ngheo", WIDE)) > 3


def test_an_adjacent_phrase_ranks_above_the_words_apart(archive: Archive) -> None:
    hits = archive.search("ho ngheo", WIDE)
    adjacent = [holds_phrase(hit.text, ["ho", "ngheo"]) for hit in hits]
    assert True in adjacent and False in adjacent  # "hộ cận nghèo" holds both words apart
    assert adjacent == sorted(adjacent, reverse=True)


def test_a_target_on_the_indicator_ranks_above_a_passing_mention(archive: Archive) -> None:
    hits = archive.search("tỷ lệ hộ nghèo", WIDE)
    on_indicator = [i for i, h in enumerate(hits) if h.kind == "target" and holds_phrase(h.indicator, PHRASE)]
    passing = [i for i, h in enumerate(hits) if h.kind != "target" and holds_phrase(h.text, PHRASE)]
    assert on_indicator and passing  # "… ưu tiên các xã có tỷ lệ hộ nghèo cao" in an assignment
    assert max(on_indicator) < min(passing)
    assert hits[0].kind == "target"


def test_a_target_on_the_indicator_ranks_above_a_short_exact_mention(tmp_path: Path) -> None:
    # A finding whose whole text is the phrase would win on bm25 of the text alone (short, exact).
    doc = corpus_doc(SEED_004)
    passing = Finding(
        id="f99", rule="test.mention", severity="info", message_vi="Tỷ lệ hộ nghèo", message_en="-"
    )
    doc = doc.model_copy(update={"findings": [*doc.findings, passing]})
    with Archive.open(tmp_path / "rank.khplan") as archive:
        store_doc(archive, doc)
        hits = archive.search("tỷ lệ hộ nghèo", WIDE)
    on_indicator = [i for i, h in enumerate(hits) if h.indicator and holds_phrase(h.indicator, PHRASE)]
    assert hits[0].indicator == "Tỷ lệ hộ nghèo toàn huyện"
    assert [h.kind for h in hits].index("finding") > max(on_indicator)


def test_pages_follow_one_another_without_overlap(archive: Archive) -> None:
    first = archive.search("ho ngheo", SearchFilters(limit=5))
    second = archive.search("ho ngheo", SearchFilters(limit=5, offset=5))
    both = archive.search("ho ngheo", SearchFilters(limit=10))
    assert len(first) == len(second) == 5
    assert [(h.document.id, h.ref_id, h.text) for h in first + second] == [
        (h.document.id, h.ref_id, h.text) for h in both
    ]


def test_a_small_ranking_window_still_puts_every_better_tier_first(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each tier is ranked within its own most recent rows, so a window smaller than a tier never lets a
    passing mention of a newer document outrank an older target on the indicator."""
    monkeypatch.setattr(search_module, "WINDOW", 2)
    hits = archive.search("tỷ lệ hộ nghèo", SearchFilters(limit=60))
    on_indicator = [i for i, h in enumerate(hits) if h.kind == "target" and holds_phrase(h.indicator, PHRASE)]
    passing = [i for i, h in enumerate(hits) if h.kind != "target" and holds_phrase(h.text, PHRASE)]
    assert len(on_indicator) > 2 and passing and max(on_indicator) < min(passing)


def test_a_shorter_text_with_the_phrase_is_more_relevant() -> None:
    short = relevance(["ho", "ngheo"], ["ti", "le", "ho", "ngheo"], ["giam", "ti", "le", "ho", "ngheo"], 12.0)
    longer = relevance(
        ["ho", "ngheo"],
        ["ho", "ngheo", "duoc", "vay", "von", "tin", "dung"],
        ["100", "ho", "ngheo", "co", "nhu", "cau", "duoc", "vay", "von", "tin", "dung", "uu", "dai"],
        12.0,
    )
    apart = relevance(["ho", "ngheo"], ["ho", "can", "ngheo"], ["ho", "can", "ngheo"], 12.0)
    assert short > longer and short > apart


def test_a_repeated_word_does_not_outrank_a_shorter_text_with_the_phrase(archive: Archive) -> None:
    """ "100% hộ nghèo, hộ cận nghèo được cấp thẻ BHYT" holds "hộ" and "nghèo" twice: a search for "hộ nghèo"
    still puts "Tỷ lệ hộ nghèo toàn huyện" (seed 004) before it."""
    indicators = [hit.indicator or "" for hit in archive.search("hộ nghèo", SearchFilters(kind="target"))]
    rate = indicators.index("Tỷ lệ hộ nghèo toàn huyện")
    cards = next(
        i for i, shown in enumerate(indicators) if shown.startswith("hộ nghèo, hộ cận nghèo được cấp")
    )
    assert rate < cards
    repeated = relevance(["ho", "ngheo"], ["ho", "ngheo", "ho", "can", "ngheo"], ["ho", "ngheo", "ho"], 8.0)
    once = relevance(["ho", "ngheo"], ["ho", "ngheo"], ["ho", "ngheo"], 8.0)
    assert once > repeated


def test_filters_become_one_fts5_expression() -> None:
    chosen = SearchFilters(kind="target", indicator="poverty_rate", year=2024, issuer="UBND xã Sơn Tây")
    assert filter_expression(chosen) == (  # the issuer folded as the index holds it: "Tây" gives "tai"
        'tags : (ktarget AND ipovertyrate AND y2024) AND issuer : ("ubnd xa son tai")'
    )
    assert filter_expression(SearchFilters(has_errors=False, level="commune")) == "tags : (lcommune AND e0)"
    assert filter_expression(SearchFilters()) is None


@pytest.mark.parametrize("query", ["xyzzy plugh", "", "  !!! ", 'NEAR("hộ" AND'])
def test_no_hit_gives_an_empty_list(archive: Archive, query: str) -> None:
    assert archive.search(query) == []  # FTS5 syntax in a query is read as words, never as syntax


def test_hit_to_json_names_the_document(archive: Archive) -> None:
    hit = archive.search("không còn hộ nghèo", SearchFilters(issuer="Quảng Minh"))[0]
    shown = hit.to_json()
    json.dumps(shown)
    assert shown["document"].keys() == {"id", "path", "issuer", "number", "date"}
    assert (
        shown["document"]["issuer"] == "UBND phường Quảng Minh" and shown["document"]["date"] == "2024-02-22"
    )
    assert Path(shown["document"]["path"]).name.startswith("002_")
    assert {
        "kind",
        "section",
        "text",
        "highlights",
        "marked",
        "value",
        "direction",
        "deadline",
    } <= shown.keys()
    assert shown["highlights"] and "[" in shown["marked"]


# ---------------------------------------------------------------------------------------------------
# cite
# ---------------------------------------------------------------------------------------------------


def test_cite_finds_the_plan_citing_86_2015(archive: Archive) -> None:
    result = archive.cite("86/2015/NĐ-CP")
    [plan] = result.plans
    assert plan.document.id == doc_id(archive, SEED_000) and plan.document.issuer == "UBND xã Cao Nhân"
    assert plan.dates == ("2015-10-02",) and not result.dates_disagree
    assert result.to_json()["plans"][0]["document"]["path"].endswith(".txt")


@pytest.mark.parametrize(
    "written",
    [
        "07/2021/NĐ-CP",
        "07/2021/NĐ - CP",
        "07/2021/ND-CP",
        "07/2021/NĐ–CP",
        "7/2021/nđ-cp",
        " 07 / 2021 / NĐ-CP",
    ],
)
def test_cite_is_tolerant_of_spaces_dashes_case_and_zeros(archive: Archive, written: str) -> None:
    assert [plan.document.id for plan in archive.cite(written).plans] == [doc_id(archive, SEED_004)]


def test_cite_of_an_unknown_symbol_is_empty(archive: Archive) -> None:
    assert archive.cite("99/2099/NĐ-CP").plans == ()


def test_plans_giving_a_decree_two_dates_are_flagged(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "cite.khplan") as archive:
        real = store_doc(archive, corpus_doc(SEED_004))
        assert not archive.cite("07/2021/NĐ-CP").dates_disagree
        other = with_citation_date(corpus_doc(SEED_004), "07/2021/NĐ-CP", 28, "e" * 64)
        copy = store_doc(archive, other, tmp_path / "ban-sao-yen-chau.txt")
        result = archive.cite("07/2021/ND-CP")
        assert {plan.document.id: plan.dates for plan in result.plans} == {
            real.id: ("2021-01-27",),
            copy.id: ("2021-01-28",),
        }
        assert result.dates_disagree and result.dates == ("2021-01-27", "2021-01-28")


def test_one_plan_citing_a_resolution_with_two_dates_is_flagged(archive: Archive) -> None:
    result = archive.cite("52/2019/NQ-HĐND")  # seed 000: 19/12/2019 and 09/12/2019
    assert result.dates_disagree and result.plans[0].dates == ("2019-12-19", "2019-12-09")
