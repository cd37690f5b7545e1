"""The hostile inputs of bench/hostile.py, each written by one function into a path it is given.

Not run on its own: ``bench/hostile.py`` calls these to build its cases. Every writer is deterministic (fixed
seeds for the random bytes) and small on disk: a zip bomb is zeros deflated at level 9 and streamed through
``zipfile`` a megabyte at a time, about 1 KB on disk per inflated MB (deflate cannot pack more than ~1030:1),
so the 1 GB bomb is 1 MB and the 4 GB one 4 MB; the oversized file of the mixed run is sparse.
"""

from __future__ import annotations

import os
import random
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

TABLE_HEADER = "| TT | Thôn | Tổng số hộ | Số hộ nghèo | Tỷ lệ (%) |"
DOCUMENT_XML = "word/document.xml"
MEGABYTE = 1024 * 1024
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
EXTERNAL_IMAGE_RELATIONSHIP = (
    '<Relationship Id="rIdHostileImage" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="{url}" TargetMode="External"/>'
)
# A picture whose blip is linked (r:link), not embedded (r:embed), then an INCLUDEPICTURE field to a URL.
LINKED_PICTURE_PARAGRAPH = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="914400" cy="914400"/><wp:docPr id="900" name="x.png"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="900" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'r:link="rIdHostileImage"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    "</wp:inline></w:drawing></w:r></w:p>"
    "<w:p><w:fldSimple w:instr=' INCLUDEPICTURE \"{url2}\" \\d '><w:r><w:t> </w:t></w:r></w:fldSimple></w:p>"
)
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
    "<office:body><office:text>{paragraphs}"
    '<text:p><draw:frame draw:name="hostile" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm">'
    '<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
    "</draw:frame></text:p>"
    '<text:section text:name="linked"><text:section-source xlink:href="{url2}" xlink:type="simple"/>'
    "</text:section>"
    "</office:text></office:body></office:document-content>"
)


def loopback_url(port: int, name: str) -> str:
    """The URL of the bench's counting server: (8123, "x.png") -> "http://127.0.0.1:8123/x.png"."""
    return f"http://127.0.0.1:{port}/{name}"


# ---------------------------------------------------------------------------------------------------
# Plain text: long plans, tables, bad values
# ---------------------------------------------------------------------------------------------------


def repeat_to(text: str, characters: int) -> str:
    """Whole copies of ``text``, a blank line between them, until the result holds ``characters`` or more."""
    copies = -(-characters // (len(text) + 2))
    return "\n\n".join([text] * copies)


def percent(count: int, base: int) -> str:
    """count / base × 100 with two decimals and a decimal comma, as the plans write it: (6, 120) -> "5,00"."""
    hundredths = (count * 10000 + base // 2) // base
    return f"{hundredths // 100},{hundredths % 100:02d}"


def village_rows(count: int) -> Iterator[str]:
    """``count`` rows of a poor-household table whose percents agree with their counts."""
    for number in range(1, count + 1):
        households = 100 + (number * 37) % 400
        poor = (number * 13) % (households // 10 + 1)
        yield f"| {number} | Thôn {number} | {households} | {poor} | {percent(poor, households)} |"


def village_table(rows: Iterable[str]) -> str:
    """A pipe table under the header ``TABLE_HEADER``."""
    return "\n".join([TABLE_HEADER, *rows])


# The long table: one count per village, three columns (the default --max-table-cells, 320,000, holds
# 100,000 rows of three; at about 2.8 KB a cell at peak, five columns would pass 1 GB).
LONG_TABLE_HEADER = "| TT | Thôn | Số hộ nghèo |"


def long_village_table(count: int) -> str:
    """``count`` rows of poor households per village under ``LONG_TABLE_HEADER``, then their total."""
    rows = [f"| {number} | Thôn {number} | {(number * 13) % 50} |" for number in range(1, count + 1)]
    total = sum((number * 13) % 50 for number in range(1, count + 1))
    return "\n".join([LONG_TABLE_HEADER, *rows, f"| | Tổng cộng | {total} |"])


def with_appendix(plan: str, title: str, table: str) -> str:
    """A plan followed by an appendix holding ``table``."""
    return f"{plan}\n\nPHỤ LỤC\n{title}\n\n{table}\n"


def wide_table(columns: int, size: int) -> str:
    """A pipe table of ``columns`` columns with as many rows of small counts as fill ``size`` bytes."""
    header = "| TT | Chỉ tiêu | " + " | ".join(f"Thôn {n}" for n in range(1, columns - 1)) + " |"
    lines = [header]
    total = len(header.encode())
    row = 1
    while total < size:
        cells = " | ".join(str((row * 7 + n) % 97) for n in range(1, columns - 1))
        line = f"| {row} | Số hộ nhóm {row} | {cells} |"
        lines.append(line)
        total += len(line.encode()) + 1
        row += 1
    return "\n".join(lines)


def with_sentence(plan: str, sentence: str) -> str:
    """The plan with ``sentence`` as a paragraph of its own, a third of the way in."""
    lines = plan.split("\n")
    cut = len(lines) // 3
    return "\n".join([*lines[:cut], sentence, *lines[cut:]])


def huge_count_sentence(digits: int) -> str:
    """A target sentence whose count has ``digits`` digits: "- Phấn đấu … giảm 1234567890… hộ nghèo, …"."""
    number = ("1234567890" * (digits // 10 + 1))[:digits]
    return f"- Phấn đấu đến cuối năm 2025 giảm {number} hộ nghèo, đưa tỷ lệ hộ nghèo toàn xã xuống dưới 2%."


def huge_base_table(digits: int) -> str:
    """A percent table with one row whose base column (Tổng số hộ) holds a ``digits``-digit number."""
    base = ("1234567890" * (digits // 10 + 1))[:digits]
    rows = list(village_rows(4))
    rows.insert(2, f"| 5 | Thôn 5 | {base} | 6 | 5,00 |")
    return village_table(rows)


def formula_table() -> str:
    """A table whose label cells hold what a spreadsheet would run: =HYPERLINK(…), @SUM(…), =1+1, -2+3."""
    return village_table(
        [
            '| 1 | =HYPERLINK("http://x","y") | 120 | 6 | 5,00 |',
            "| 2 | @SUM(A1) | 200 | 10 | 5,00 |",
            "| 3 | =1+1 | 100 | 5 | 5,00 |",
            "| 4 | -2+3 | 100 | 5 | 5,00 |",
            "| 5 | Thôn 5 | 300 | 15 | 5,00 |",
        ]
    )


def filler_text(size: int) -> str:
    """Plain Vietnamese lines adding up to ``size`` bytes or more (for a file past --max-file-size)."""
    line = "Tiếp tục rà soát, cập nhật danh sách hộ nghèo, hộ cận nghèo trên địa bàn xã theo quy định.\n"
    return line * (size // len(line.encode()) + 1)


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def write_sparse(path: Path, size: int) -> None:
    """A file that ``stat`` says holds ``size`` bytes and that takes no room on disk."""
    with path.open("wb") as handle:
        handle.truncate(size)


# ---------------------------------------------------------------------------------------------------
# Binary garbage
# ---------------------------------------------------------------------------------------------------


def write_one_byte_pdf(path: Path) -> None:
    path.write_bytes(b"%")


def write_garbage_ole(path: Path, size: int = 8192) -> None:
    """The OLE2 signature of a .doc followed by random bytes (a fixed seed: the same file every run)."""
    path.write_bytes(OLE2_MAGIC + random.Random(20240601).randbytes(size))


# ---------------------------------------------------------------------------------------------------
# Documents that link to the network
# ---------------------------------------------------------------------------------------------------


def write_linked_docx(path: Path, seed_docx: Path, port: int) -> None:
    """A copy of ``seed_docx`` holding a picture linked (not embedded) to the loopback server through an
    external image relationship, and an INCLUDEPICTURE field to it."""
    picture = LINKED_PICTURE_PARAGRAPH.format(url2=loopback_url(port, "field.png"))
    relationship = EXTERNAL_IMAGE_RELATIONSHIP.format(url=loopback_url(port, "x.png"))
    with zipfile.ZipFile(seed_docx) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == DOCUMENT_XML:
                text = data.decode("utf-8")
                at = text.rfind("<w:sectPr")
                at = at if at >= 0 else text.rfind("</w:body>")
                data = (text[:at] + picture + text[at:]).encode("utf-8")
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
            target.writestr(info, data)


def write_linked_odt(path: Path, plan: str, port: int) -> None:
    """An OpenDocument text of ``plan`` with an image and a section linked to the loopback server."""
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in plan.split("\n"))
    content = ODT_CONTENT.format(
        paragraphs=paragraphs, url=loopback_url(port, "x.png"), url2=loopback_url(port, "section.odt")
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST)
        archive.writestr("content.xml", content)


def rtf_escape(text: str) -> str:
    """Text as RTF: "{ệ}" -> "\\{\\u7879?\\}" (16-bit signed \\u escapes, "?" for readers without Unicode)."""
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif code < 128:
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
        else:
            out.append("?")
    return "".join(out)


def write_linked_rtf(path: Path, plan: str, port: int) -> None:
    """An RTF of ``plan`` with INCLUDEPICTURE and INCLUDETEXT fields naming the loopback server."""
    body = "".join(f"\\pard {rtf_escape(line)}\\par\n" for line in plan.split("\n"))
    picture = loopback_url(port, "x.png")
    included = loopback_url(port, "include.txt")
    fields = (
        f'{{\\field{{\\*\\fldinst {{ INCLUDEPICTURE "{picture}" \\\\d }}}}{{\\fldrslt {{ }}}}}}\\par\n'
        f'{{\\field{{\\*\\fldinst {{ INCLUDETEXT "{included}" }}}}{{\\fldrslt {{ }}}}}}\\par\n'
    )
    header = "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1{\\fonttbl{\\f0 Times New Roman;}}\n"
    path.write_text(header + body + fields + "}\n", encoding="ascii")


# ---------------------------------------------------------------------------------------------------
# Zip bombs
# ---------------------------------------------------------------------------------------------------


def write_zeros_docx(path: Path, inflated: int) -> None:
    """A DOCX whose word/document.xml is ``inflated`` bytes of zeros, deflated while streamed (honest headers)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        info = zipfile.ZipInfo(DOCUMENT_XML)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=inflated >= 2**31) as member:
            chunk = bytes(MEGABYTE)
            left = inflated
            while left > 0:
                member.write(chunk[: min(left, MEGABYTE)])
                left -= MEGABYTE


def write_lying_docx(path: Path, inflated: int, declared: int) -> None:
    """A DOCX whose document.xml inflates to ``inflated`` bytes while both its headers declare ``declared``.

    Written honestly, then patched: the uncompressed size (in the ZIP64 extra field when the 32-bit one says
    0xFFFFFFFF) and the CRC-32, set to that of ``declared`` zeros, in the local and the central header. So
    ``zipfile`` trusts the small size whole: it stops inflating at ``declared`` bytes and finds the CRC right.
    """
    write_zeros_docx(path, inflated)
    with zipfile.ZipFile(path) as archive:
        local_offset = archive.getinfo(DOCUMENT_XML).header_offset
        directory_offset = archive.start_dir
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(bytes(declared))
    _patch_local_header(data, local_offset, declared, crc)
    _patch_central_header(data, directory_offset, DOCUMENT_XML, declared, crc)
    path.write_bytes(bytes(data))


def _patch_local_header(data: bytearray, offset: int, size: int, crc: int) -> None:
    if data[offset : offset + 4] != b"PK\x03\x04":
        raise ValueError("no local file header at the member's offset")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    struct.pack_into("<L", data, offset + 14, crc)
    extra = offset + 30 + name_length
    _patch_size(data, offset + 22, extra, extra_length, size)


def _patch_central_header(data: bytearray, offset: int, name: str, size: int, crc: int) -> None:
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_length].decode("utf-8") == name:
            struct.pack_into("<L", data, offset + 16, crc)
            _patch_size(data, offset + 24, offset + 46 + name_length, extra_length, size)
            return
        offset += 46 + name_length + extra_length + comment_length
    raise ValueError(f"{name} not found in the central directory")


def _patch_size(data: bytearray, field: int, extra: int, extra_length: int, size: int) -> None:
    """Set the uncompressed size: in the 32-bit field, or in the ZIP64 extra field (its first 8 bytes, the
    uncompressed size, present when the 32-bit field says 0xFFFFFFFF)."""
    if struct.unpack_from("<L", data, field)[0] != 0xFFFFFFFF:
        struct.pack_into("<L", data, field, size)
        return
    end = extra + extra_length
    while extra + 4 <= end:
        tag, length = struct.unpack_from("<HH", data, extra)
        if tag == 0x0001:
            struct.pack_into("<Q", data, extra + 4, size)
            return
        extra += 4 + length
    raise ValueError("no ZIP64 extra field to patch")


# ---------------------------------------------------------------------------------------------------
# Special files
# ---------------------------------------------------------------------------------------------------


def write_symlink(path: Path, target: str) -> None:
    os.symlink(target, path)


def write_fifo(path: Path) -> None:
    os.mkfifo(path)


def clone(source: Path, target: Path) -> None:
    """A copy of an input as it is: a symbolic link as a link to the same target, a FIFO as a new FIFO."""
    mode = os.lstat(source).st_mode
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(source), target)
    elif stat.S_ISFIFO(mode):
        os.mkfifo(target)
    elif os.stat(source).st_blocks * 512 < os.stat(source).st_size // 2:
        write_sparse(target, os.stat(source).st_size)
    else:
        shutil.copyfile(source, target)
