"""Legacy fonts (TCVN3/ABC, VNI): character tables, conversion, the scored detector and the samples."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalize.legacy import (
    DETECTION_THRESHOLD,
    TCVN3,
    VNI,
    LegacyScore,
    convert_legacy,
    detect_legacy_encoding,
    encode_legacy,
    repair_legacy_text,
    score_legacy,
)
from extractor.normalize.text import normalize_text
from tests.conftest import CORPUS, SEEDS

SAMPLES = CORPUS / "cases" / "encoding"
SEED_TEXTS = sorted(SEEDS.glob("*.txt"))
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
ALL_LETTERS = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES] + ["đ"]

# Code-chart facts, checked by hand against the TCVN 5712 VN3 and VNI-Windows charts.
TCVN3_CODES = [
    ("à", "\xb5"),
    ("ạ", "\xb9"),
    ("ă", "\xa8"),
    ("â", "\xa9"),
    ("ê", "\xaa"),
    ("ô", "\xab"),
    ("ơ", "\xac"),
    ("ư", "\xad"),
    ("đ", "\xae"),
    ("Ă", "\xa1"),
    ("Â", "\xa2"),
    ("Ê", "\xa3"),
    ("Ô", "\xa4"),
    ("Ơ", "\xa5"),
    ("Ư", "\xa6"),
    ("Đ", "\xa7"),
    ("ặ", "\xc6"),
    ("ế", "\xd5"),
    ("ĩ", "\xdc"),
    ("ò", "\xdf"),
    ("ộ", "\xe9"),
    ("ủ", "\xf1"),
    ("ự", "\xf9"),
    ("ỵ", "\xfe"),
    # tone-marked capitals share the lower-case code (drawn by the upper-case font)
    ("Ộ", "\xe9"),
]
VNI_CODES = [
    ("á", "aù"),
    ("ấ", "aá"),
    ("ặ", "aë"),
    ("ă", "aê"),
    ("ộ", "oä"),
    ("ơ", "ô"),
    ("ớ", "ôù"),
    ("ư", "ö"),
    ("ự", "öï"),
    ("đ", "ñ"),
    ("Đ", "Ñ"),
    ("ĩ", "ó"),
    ("ị", "ò"),
    ("ỉ", "æ"),
    ("ỵ", "î"),
    ("Ộ", "OÄ"),
    ("Ư", "Ö"),
]


@pytest.mark.parametrize(("letter", "code"), TCVN3_CODES)
def test_tcvn3_code_chart(letter: str, code: str) -> None:
    assert encode_legacy(letter, TCVN3) == code


@pytest.mark.parametrize(("letter", "code"), VNI_CODES)
def test_vni_code_chart(letter: str, code: str) -> None:
    assert encode_legacy(letter, VNI) == code


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_lower_case_letter_round_trips(encoding: str, letter: str) -> None:
    # After an ASCII word so that no sentence-start capital applies.
    text = f"x {letter}"
    encoded = encode_legacy(text, encoding)
    assert encoded.encode("cp1252")  # storable as Windows-1252 bytes
    assert convert_legacy(encoded, encoding) == text


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_capital_round_trips_in_vni(letter: str) -> None:
    text = f"x {letter.upper()}"
    assert convert_legacy(encode_legacy(text, VNI), VNI) == text


def test_the_two_legacy_fonts_have_distinct_codes() -> None:
    encoded = {encode_legacy(letter, TCVN3) for letter in ALL_LETTERS}
    assert len(encoded) == len(ALL_LETTERS)
    encoded = {encode_legacy(letter, VNI) for letter in ALL_LETTERS + [a.upper() for a in ALL_LETTERS]}
    assert len(encoded) == 2 * len(ALL_LETTERS)


CONVERSIONS = [
    (TCVN3, "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    (VNI, "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    (TCVN3, "KÕ ho¹ch", "Kế hoạch"),
    (TCVN3, "Gi¶m nghÌo", "Giảm nghèo"),
    # upper-case font: capitals restored from the word and its neighbours
    (TCVN3, "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (TCVN3, "KÕ HO¹CH", "KẾ HOẠCH"),
    # a capital code of its own
    (TCVN3, "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    # a converted letter that starts a line or a sentence is a capital; inside a sentence it is not
    (TCVN3, "ñy ban nh©n d©n. ñy ban sÏ b¸o c¸o", "Ủy ban nhân dân. Ủy ban sẽ báo cáo"),
    (TCVN3, "c¸c cÊp ñy ®¶ng", "các cấp ủy đảng"),
    # ASCII abbreviations do not make a neighbour upper case; "Số" keeps its case
    (TCVN3, "Sè: 15/KH-UBND", "Số: 15/KH-UBND"),
    (TCVN3, "TDP KÏ", "TDP Kẽ"),
    # VNI marks typed in the other case still combine; the base letter decides the case
    (VNI, "Hoaø", "Hoà"),
    (VNI, "HOAØ", "HOÀ"),
    (VNI, "HOaØ", "HOà"),
]


@pytest.mark.parametrize(("encoding", "garbled", "unicode"), CONVERSIONS)
def test_convert_legacy(encoding: str, garbled: str, unicode: str) -> None:
    assert convert_legacy(garbled, encoding) == unicode


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        convert_legacy("abc", "viscii")


LOWER_WORDS = st.lists(
    st.text(alphabet=st.sampled_from(ALL_LETTERS + list("bcdghklmnpqrstvx")), min_size=1, max_size=6),
    min_size=1,
    max_size=12,
)


@given(LOWER_WORDS, st.sampled_from([TCVN3, VNI]))
def test_lower_case_text_round_trips(words: list[str], encoding: str) -> None:
    text = "theo " + " ".join(words)
    assert convert_legacy(encode_legacy(text, encoding), encoding) == text


@given(
    st.text(
        alphabet=st.sampled_from(ALL_LETTERS + [a.upper() for a in ALL_LETTERS] + list("bcNG .,\n")),
        max_size=40,
    )
)
def test_any_text_round_trips_in_vni(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    assert convert_legacy(encode_legacy(text, VNI), VNI) == text


# -- detection ------------------------------------------------------------------------------------------

PLAN_TEXT = (
    "Ủy ban nhân dân xã xây dựng kế hoạch thực hiện công tác giảm nghèo năm 2024 như sau: "
    "phấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,94%, hỗ trợ người nghèo tiếp cận các dịch vụ xã hội cơ bản."
)


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_detects_text_typed_in_a_legacy_font(encoding: str) -> None:
    garbled = encode_legacy(PLAN_TEXT, encoding)
    score = score_legacy(garbled, encoding)
    assert isinstance(score, LegacyScore)
    assert score.score >= DETECTION_THRESHOLD
    assert score.valid_after > score.valid_before
    assert detect_legacy_encoding(garbled) == encoding
    repaired, found = repair_legacy_text(garbled)
    assert (repaired, found) == (PLAN_TEXT, encoding)


@pytest.mark.parametrize("encoding", [TCVN3, VNI])
def test_the_other_encoding_does_not_win(encoding: str) -> None:
    other = VNI if encoding == TCVN3 else TCVN3
    garbled = encode_legacy(PLAN_TEXT, encoding)
    assert score_legacy(garbled, other).score < DETECTION_THRESHOLD
    assert score_legacy(garbled).encoding == encoding  # without an encoding: the best of both


@pytest.mark.parametrize("path", SEED_TEXTS, ids=lambda path: path.name[:3])
def test_does_not_fire_on_unicode_vietnamese(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for encoding in (TCVN3, VNI):
        assert score_legacy(text, encoding).score < 0.05
    assert repair_legacy_text(text) == (text, None)


@pytest.mark.parametrize("path", SEED_TEXTS, ids=lambda path: path.name[:3])
def test_fires_on_every_seed_encoded_in_a_legacy_font(path: Path) -> None:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    for encoding in (TCVN3, VNI):
        assert detect_legacy_encoding(encode_legacy(text, encoding)) == encoding


NOT_LEGACY = [
    "The quick brown fox jumps over the lazy dog.",
    "Café, naïve résumé, façade, Noël, déjà vu, Ångström.",
    "TT\tThôn\tTổng số hộ\n1\tBản Mạt\t129",
    "UBND 52/2019/NQ-HĐND 1,94% 2.405.000.000",
    "",
    "Độc lập - Tự do - Hạnh phúc",
]


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_does_not_fire_on_ordinary_text(text: str) -> None:
    assert detect_legacy_encoding(text) is None
    assert repair_legacy_text(text) == (text, None)


def test_little_evidence_is_scaled_down() -> None:
    """Two garbled words are not enough to convert a text; the same words in a sentence are."""
    assert detect_legacy_encoding("x· héi") is None
    assert detect_legacy_encoding("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == TCVN3


# -- sample files -----------------------------------------------------------------------------------------


def _expected(name: str) -> str:
    return (SAMPLES / f"{name}-sample.expected.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "encoding"), [("tcvn3", TCVN3), ("vni", VNI)])
def test_legacy_sample_files_are_repaired(name: str, encoding: str) -> None:
    as_western = (SAMPLES / f"{name}-sample.txt").read_bytes().decode("cp1252")
    repaired, found = repair_legacy_text(as_western)
    assert found == encoding
    assert normalize_text(repaired) == normalize_text(_expected(name))


def test_windows_1258_sample_decodes_to_nfc() -> None:
    decoded = (SAMPLES / "cp1258-sample.txt").read_bytes().decode("cp1258")
    assert not unicodedata.is_normalized("NFC", decoded)  # tone marks are separate characters
    assert normalize_text(decoded) == normalize_text(_expected("cp1258"))
    assert repair_legacy_text(normalize_text(decoded))[1] is None


def test_utf16_sample_has_a_byte_order_mark() -> None:
    data = (SAMPLES / "utf16-sample.txt").read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert normalize_text(data.decode("utf-16")) == normalize_text(_expected("utf16"))


@pytest.mark.parametrize("name", ["tcvn3", "vni", "cp1258", "utf16"])
def test_text_reader_reads_the_samples(name: str) -> None:
    """The TXT reader decodes each sample (calling the legacy repair for TCVN3 and VNI)."""
    txt = pytest.importorskip("extractor.ingest.txt")
    path = SAMPLES / f"{name}-sample.txt"
    decoded = txt.decode_vietnamese_text(path, path.read_bytes())
    assert normalize_text(decoded.text) == normalize_text(_expected(name))
