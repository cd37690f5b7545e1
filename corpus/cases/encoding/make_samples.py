"""Write the encoding samples: the same plan sentences saved as TCVN3, VNI, Windows-1258 and UTF-16 bytes.

Run from the repository root: ``.venv/bin/python corpus/cases/encoding/make_samples.py``. Each sample gets
a ``.expected.txt`` (UTF-8, NFC) holding what a reader plus ``normalize_text`` must give back.

- ``tcvn3-sample.txt``: bytes a TCVN3 (ABC) font user saved, read by Windows as Windows-1252. Header lines
  are in capitals, as typed with the upper-case font (".VnTimeH").
- ``vni-sample.txt``: the same in VNI-Windows (base letter + mark bytes).
- ``cp1258-sample.txt``: Windows-1258, which writes tone marks as separate combining bytes ("ệ" = "ê" +
  0xF2), so it decodes to decomposed text that NFC must compose.
- ``utf16-sample.txt``: UTF-16 little-endian with a byte-order mark, as Notepad saves "Unicode".
"""

import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from extractor.normalize.legacy import TCVN3, VNI, encode_legacy  # noqa: E402
from extractor.normalize.text import TONE_MARKS  # noqa: E402

# Sentences in the shape of a commune's poverty-reduction plan (header, title, legal basis, body).
SENTENCES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cao Nhân, ngày 22 tháng 02 năm 2024",
    "KẾ HOẠCH",
    "Giảm nghèo năm 2024 trên địa bàn xã Cao Nhân",
    "Căn cứ Nghị quyết số 52/2019/NQ-HĐND ngày 19 tháng 12 năm 2019 của HĐND thành phố;",
    "Ủy ban nhân dân xã xây dựng kế hoạch thực hiện như sau:",
    "1. Mục đích, yêu cầu",
    "Phấn đấu giảm tỷ lệ hộ nghèo xuống còn 1,94%, hỗ trợ người nghèo tiếp cận các dịch vụ xã hội cơ bản.",
    "- Thôn Đồng Tâm: 12 hộ nghèo, chiếm tỷ lệ 2,47%; khuyến khích hộ thoát nghèo bền vững.",
]
TEXT = "\r\n".join(SENTENCES) + "\r\n"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 bytes: letters the code page has whole, else the base letter and a combining tone."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(mark for mark in decomposed if mark in TONE_MARKS)
            base = unicodedata.normalize(
                "NFC", "".join(mark for mark in decomposed if mark not in TONE_MARKS)
            )
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def samples() -> dict[str, bytes]:
    return {
        "tcvn3-sample.txt": encode_legacy(TEXT, TCVN3).encode("cp1252"),
        "vni-sample.txt": encode_legacy(TEXT, VNI).encode("cp1252"),
        "cp1258-sample.txt": cp1258_bytes(TEXT),
        "utf16-sample.txt": TEXT.encode("utf-16"),
    }


def main() -> None:
    expected = TEXT.replace("\r\n", "\n")
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        (HERE / name.replace(".txt", ".expected.txt")).write_text(expected, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
