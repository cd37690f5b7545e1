"""normalize_text, matching_key, strip_diacritics and the syllable-shape check."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.normalize.patterns import alternation, folded_words_pattern
from extractor.normalize.text import (
    fold,
    is_broken_token,
    is_vietnamese_syllable,
    matching_key,
    normalize_text,
    strip_diacritics,
    unify_tone_placement,
)
from tests.conftest import SEEDS

SEED_001 = SEEDS / "001_1747db98b33217c6.txt"

NORMALIZE_CASES = [
    # spaces
    ("Số:\u00a0267/KH-UBND", "Số: 267/KH-UBND"),
    ("1\u202f000 hộ", "1 000 hộ"),
    ("xã\u2009Cao\u3000Nhân", "xã Cao Nhân"),
    ("Giảm  nghèo   bền vững", "Giảm nghèo bền vững"),
    ("  KẾ HOẠCH  ", "KẾ HOẠCH"),
    ("dòng một   \n   dòng hai", "dòng một\ndòng hai"),
    # invisible characters
    ("Kế\u200b hoạch", "Kế hoạch"),
    ("nghèo\u00adđói", "nghèođói"),
    ("\ufeffKẾ HOẠCH", "KẾ HOẠCH"),
    # dashes
    ("Độc lập – Tự do — Hạnh phúc", "Độc lập - Tự do - Hạnh phúc"),
    ("LĐ‐TB&XH", "LĐ-TB&XH"),
    ("3‑4%/năm", "3-4%/năm"),
    ("20 ‒ 22%", "20 - 22%"),
    ("giảm −1,2%", "giảm -1,2%"),
    ("― Nơi nhận", "- Nơi nhận"),
    # quotes
    ("“Ngày vì người nghèo”", '"Ngày vì người nghèo"'),
    ("„Tết” và «Xuân»", '"Tết" và "Xuân"'),
    ("‘hộ nghèo’", "'hộ nghèo'"),
    # line breaks: kept, "\r\n" and "\r" unified; tabs kept
    ("TT\tThôn\r\n1\tBản Mạt\r2\tNà Cài", "TT\tThôn\n1\tBản Mạt\n2\tNà Cài"),
    ("a\n\nb", "a\n\nb"),
    # a symbol or a grouped number cut by a line end is joined; words and sentences keep their breaks
    ("Nghị định số 07/2021/NĐ-\nCP ngày 31/01/2021", "Nghị định số 07/2021/NĐ-CP ngày 31/01/2021"),
    ("Nghị quyết số 12/NQ-\nHU", "Nghị quyết số 12/NQ-HU"),
    ("Quyết định số 318/\nQĐ-TTg", "Quyết định số 318/QĐ-TTg"),
    ("số 07/\n2021/NĐ-CP", "số 07/2021/NĐ-CP"),
    ("là 2.405.000.\n000 đồng", "là 2.405.000.000 đồng"),
    ("PDFium: 07/2021/NĐ\ufffe\nCP", "PDFium: 07/2021/NĐ-CP"),
    ("giai đoạn 2021 -\n2025", "giai đoạn 2021 -\n2025"),
    ("số 12-\nChương trình", "số 12-\nChương trình"),
    ("năm 2024.\n100% hộ", "năm 2024.\n100% hộ"),
    ("đạt 1.200.\n25 hộ", "đạt 1.200.\n25 hộ"),
    # decomposed tone marks (Windows-1258, seed 001) are composed
    ("hie\u0302\u0323n", "hiện"),
    ("chi\u0309 đa\u0323o", "chỉ đạo"),
    # tone placement is kept as written
    ("Uỷ ban nhân dân, hoà nhập", "Uỷ ban nhân dân, hoà nhập"),
    # the eth OCR and old fonts give for đ is đ
    ("Nghị quyết số 12-NQ/ÐU của Ðảng ủy, ðất", "Nghị quyết số 12-NQ/ĐU của Đảng ủy, đất"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


# Text made of the characters normalization cares about, mixed with Vietnamese letters and marks.
TRICKY = st.text(
    alphabet=st.sampled_from(
        list("aeoôơuưyđAĐ hoàthủy\t\n\r.,;:-\"'")
        + list(
            "\u00a0\u2009\u3000\u200b\u00ad\ufeff–—‐−“”‘’«»\u0300\u0301\u0302\u0303\u0309\u0323\u031b\x0c\x00"
        )
    ),
    max_size=60,
)


@given(TRICKY)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(max_size=80))
def test_normalize_text_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(TRICKY)
def test_normalized_text_is_nfc_with_plain_spaces_and_dashes(text: str) -> None:
    result = normalize_text(text)
    assert unicodedata.is_normalized("NFC", result)
    assert not any(char in result for char in "\u00a0\u2009\u3000\u200b\u00ad\ufeff\r–—‐−“”‘’«»")
    assert "  " not in result
    assert " \n" not in result and "\n " not in result


def test_seed_001_is_mapped_to_nfc() -> None:
    """Seed 001 has combining tone marks and no-break spaces; after normalization it has neither."""
    raw = SEED_001.read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)
    assert "\u00a0" in raw
    normalized = normalize_text(raw)
    assert unicodedata.is_normalized("NFC", normalized)
    assert "\u00a0" not in normalized
    assert not any(unicodedata.combining(char) for char in normalized)
    # The letters survive: the decomposed words are now the same as their composed spelling.
    assert normalized.count("chỉ") >= raw.count("chỉ") + raw.count("chi\u0309")


MATCHING_CASES = [
    ("hoà", "hòa"),
    ("Hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("uỷ", "ủy"),
    ("khoẻ", "khỏe"),
    ("CỘNG HOÀ", "cộng hòa"),
    ("Uỷ  ban\nnhân dân", "ủy ban nhân dân"),
    ("xoá đói", "xóa đói"),
    ("hoạ", "họa"),
    # already in the chosen placement
    ("hòa", "hòa"),
    # with a final consonant both placements agree: unchanged
    ("hoàng", "hoàng"),
    ("khoét", "khoét"),
    ("huyện", "huyện"),
    ("toàn", "toàn"),
    # "qu" is an onset: the tone stays on the vowel after it
    ("quý", "quý"),
    ("quỳ", "quỳ"),
    ("quả", "quả"),
    # no tone, other syllables
    ("hoa", "hoa"),
    ("nghèo", "nghèo"),
    ("“Độc lập – Tự do”", '"độc lập - tự do"'),
]


@pytest.mark.parametrize(("text", "key"), MATCHING_CASES)
def test_matching_key(text: str, key: str) -> None:
    assert matching_key(text) == key


def test_old_and_new_placements_share_a_key() -> None:
    assert matching_key("Ủy ban nhân dân xã Hoà Bình") == matching_key("UỶ BAN NHÂN DÂN XÃ HÒA BÌNH")


def test_matching_key_does_not_change_the_display_text() -> None:
    assert normalize_text("Uỷ ban") == "Uỷ ban"
    assert unify_tone_placement("uỷ") == "ủy"


@given(TRICKY)
def test_matching_key_is_idempotent(text: str) -> None:
    key = matching_key(text)
    assert matching_key(key) == key


STRIP_CASES = [
    ("MỤC TIÊU", "MUC TIEU"),
    ("MUC TIẾU", "MUC TIEU"),
    ("Đảng ủy", "Dang uy"),
    ("Căn cứ", "Can cu"),
    ("hie\u0302\u0323n", "hien"),
    ("52/2019/NQ-HĐND", "52/2019/NQ-HDND"),
]


@pytest.mark.parametrize(("text", "stripped"), STRIP_CASES)
def test_strip_diacritics(text: str, stripped: str) -> None:
    assert strip_diacritics(text) == stripped


@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđĐ ,.-\tABCỘỦỳẵữ")), max_size=40))
def test_strip_diacritics_keeps_offsets_on_nfc_text(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    assert len(strip_diacritics(text)) == len(text)


SYLLABLES = [
    *[
        (word, True)
        for word in [
            "hoạch",
            "Nghèo",
            "QUỐC",
            "được",
            "người",
            "khuya",
            "hoặc",
            "gì",
            "giữ",
            "quý",
            "Nguyễn",
            "xoong",
            "kế",
            "nghỉ",
            "ghi",
        ]
    ],
    *[(word, True) for word in ["chuyển", "tiếng", "muốn", "hai", "ủy", "thủy", "hoà", "hòa", "khỏe"]],
    # legacy fonts read in the wrong code page
    *[(word, False) for word in ["héi", "hoøa", "nghÜa", "chñ", "ViÖt", "Coäng"]],
    # spelling Vietnamese never uses: ngh/k/gh before a back vowel, huyền on a stopped syllable, two tones
    *[(word, False) for word in ["ngha", "ka", "gha", "hòc", "ánh\u0301"]],
]


@pytest.mark.parametrize(("word", "valid"), SYLLABLES)
def test_is_vietnamese_syllable(word: str, valid: bool) -> None:
    assert is_vietnamese_syllable(word) is valid


# -- folding and patterns over folded text ------------------------------------------------------------------


def test_fold_keeps_offsets_and_tolerates_tone_and_spelling() -> None:
    text = "Tỉ lệ HỘ NGHÈO hoà"
    assert len(fold(text)) == len(text)
    assert fold("tỷ lệ") == fold("TỈ LỆ") == "ti le"
    assert fold("hoà") == fold("hòa")
    assert fold("Đào tạo") == "dao tao"


def test_folded_phrases_match_any_spacing_and_whole_words_only() -> None:
    pattern = folded_words_pattern(["bảo hiểm y tế", "đạt"])
    assert pattern.search(fold("thẻ BẢO  HIỂM Y-TẾ"))
    assert pattern.search(fold("phấn đấu đạt 95%"))
    assert not pattern.search(fold("dữ liệu datum"))


def test_alternation_puts_longer_words_first() -> None:
    assert alternation(["khẩu", "nhân khẩu"]) == r"nhân\s+khẩu|khẩu"


@given(
    st.text(
        alphabet="aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ AĐ\n-",
        max_size=40,
    )
)
def test_fold_is_one_character_per_character(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("before", "after", "broken"),
    [
        ("Căn cứ Nghị định số 07/2021/NĐ-", "CP ngày 31/01/2021 của Chính phủ", True),
        ("Tổng kinh phí là 2.405.000.", "000 đồng.", True),
        ("Căn cứ Nghị định số 07/2021/NĐ-CP;", "Căn cứ Quyết định số 90/QĐ-TTg", False),
        ("đạt 1.200.", "Các thôn báo cáo", False),
    ],
)
def test_is_broken_token(before: str, after: str, broken: bool) -> None:
    assert is_broken_token(before, after) is broken
