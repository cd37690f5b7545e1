"""Two columns set side by side in a text export are read one after the other."""

import pytest

from extractor.ingest.text_columns import pieces, unfold_columns


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Số: 186 /KH-UBND           Bắc Quang, ngày 14 tháng 5 năm 2024",
            ["Số: 186 /KH-UBND", "Bắc Quang, ngày 14 tháng 5 năm 2024"],
        ),
        (
            "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
            ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ),
        (
            "HUYỆN ĐIỆN BIÊN ĐÔNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ["HUYỆN ĐIỆN BIÊN ĐÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ),
        ("Số:     /KH-UBND", ["Số:     /KH-UBND"]),  # a blank left to fill in by hand
        ("Tân Phong, ngày    tháng 5 năm 2024", ["Tân Phong, ngày    tháng 5 năm 2024"]),
        ("    Căn cứ Luật Ngân sách nhà nước;", ["Căn cứ Luật Ngân sách nhà nước;"]),
        ("", []),
    ],
)
def test_pieces(line: str, expected: list[str]) -> None:
    assert [piece.text for piece in pieces(line)] == expected


def test_a_signature_beside_the_recipients_comes_after_them() -> None:
    lines = [
        "Nơi nhận:                                    TM. ỦY BAN NHÂN DÂN",
        "- UBND tỉnh (b/c);                                KT. CHỦ TỊCH",
        "- Lưu: VT.                                        PHÓ CHỦ TỊCH",
        "",
        "                                                  Lương Văn Định",
    ]
    ordered = unfold_columns(lines, [False] * len(lines))
    # The name alone after the space to sign is outside the region and follows it, as it stands.
    assert [text.strip() for _, text in ordered] == [
        "Nơi nhận:",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "",
        "Lương Văn Định",
    ]
    assert [index for index, _ in ordered] == [0, 1, 2, 0, 1, 2, 3, 4]


def test_lines_outside_a_region_and_table_rows_stay() -> None:
    lines = ["Căn cứ Nghị định số 86/2015/NĐ-CP;", "1\tCây Tắt\t183\t4", "Số: 57/KH-UBND |"]
    ordered = unfold_columns(lines, [False, True, False])
    assert ordered == [(0, lines[0]), (1, lines[1]), (2, "Số: 57/KH-UBND")]
