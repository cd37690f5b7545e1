"""Metadata of a plan per Nghị định 30/2020/NĐ-CP: issuing body, number, place and date, title, signer, recipients.

Headers are often incomplete (no issuing body, a blank number, "ngày   tháng   năm 2024"), so each value is
taken from the best place that has it (header, then an appendix reference, then the body, then the title)
and says where it came from.
"""

import regex

from extractor.normalize.dates import parse_vietnamese_date
from extractor.normalize.text import strip_diacritics
from extractor.structure.numbering import parse_heading_number
from extractor.structure.units import Body, UnitName, find_unit, parse_body
from extractor.structure.zones import (
    AUTHORITY,
    RECIPIENTS_HEADING,
    Line,
    Zones,
    block_lines,
    doc_type_at_start,
    find_zones,
    starts_preamble,
)
from models.document import Document
from models.metadata import Metadata, Signer, Sourced, ValueSource
from models.provenance import Span
from models.values import PartialDate

NUMBER_SYMBOL = regex.compile(
    r"^Số\s*:?\s*(?P<number>[\p{L}\d.]*?)\s*/\s*(?P<symbol>[\p{L}\d][\p{L}\d\-./&]*)", regex.V1
)
PLACE_DATE = regex.compile(r"^(?:(?P<place>[\p{L}][\p{L} .'\-]{0,40}?)\s*,\s*)?(?P<date>ngày\b.*)$", regex.V1)
# "(Kèm theo Kế hoạch số: /KH-UBND ngày 22 /02/2024 của UBND phường Quảng Minh)"
APPENDIX_REFERENCE = regex.compile(
    r"[Kk]èm\s+theo\s+(?P<type>\p{L}+(?:\s+\p{L}+)?)\s+số\s*:?\s*(?P<number>[\p{L}\d]*)\s*/\s*(?P<symbol>\S+?)"
    r"\s+ngày\s+(?P<date>.+?)\s+của\s+(?P<issuer>[^)\n]+)",
    regex.V1,
)
# "Ủy ban nhân dân phường Quảng Minh xây dựng Kế hoạch …", "UBND huyện ban hành Kế hoạch …"
SELF_REFERENCE = regex.compile(
    r"(?P<body>(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân|UBND)\s+(?P<unit>.{0,60}?)\s*(?:xây\s+dựng|ban\s+hành|triển\s+khai)\s+(?:[Kk]ế\s+hoạch)",
    regex.V1,
)
_TITLE_YEAR = regex.compile(r"năm\s+(?P<year>(?:19|20)\d\d)\b", regex.V1 | regex.IGNORECASE)
_SIGN_NOTE = regex.compile(r"^\(?\s*(đã\s+ký|ký|ký\s+tên)[^)]*\)?$", regex.IGNORECASE)
_PERSON_NAME = regex.compile(r"^(\p{Lu}[\p{Ll}']*|\p{Lu}+)(\s+(\p{Lu}[\p{Ll}']*|\p{Lu}+)){1,5}$", regex.V1)
_MAX_TITLE_BLOCKS = 3
_MAX_TITLE_CONTINUATION = 200


def _sourced(
    value: str, source: ValueSource, line: Line | None, start: int = 0, end: int | None = None
) -> Sourced:
    if line is None:
        return Sourced(value=value, source=source)
    span = Span(start=line.start + start, end=line.start + (len(line.text) if end is None else end))
    return Sourced(value=value, source=source, span=span, page=line.page)


# The national motto, folded: a header line holding a piece of it ("CỘNG HÒA XÃ HỘI" on a line of its own when a
# web copy broke the line) is not the issuing body.
_MOTTO = "cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc"
_MOTTO_START = regex.compile(
    r"(?<=\S)\s+(?=(?:CỘNG\s+HÒA|CỘNG\s+HOÀ|Cộng\s+hòa|Độc\s+lập|ĐỘC\s+LẬP)\b)", regex.V1
)


def _motto_key(text: str) -> str:
    return " ".join(strip_diacritics(text).lower().replace("-", " ").split())


def _is_motto(text: str) -> bool:
    key = _motto_key(text)
    return ("cong hoa xa hoi chu nghia" in key or ("doc lap" in key and "tu do" in key)) or (
        len(key.split()) >= 2 and key in _MOTTO
    )


def _split_line(line: Line, at: int) -> list[Line]:
    """A line cut at ``at`` (an offset into its text) into two, each stripped, offsets kept."""
    head, tail = line.text[:at], line.text[at:]
    pieces = []
    for text, offset in ((head, 0), (tail, at)):
        stripped = text.strip()
        if stripped:
            start = line.start + offset + text.index(stripped)
            pieces.append(Line(stripped, start, start + len(stripped), line.page, line.block))
    return pieces


def _header_pieces(header: list[Line]) -> list[Line]:
    """Header lines with the two columns of a copy that lost its layout cut apart: "UBND HUYỆN HẢI HẬU CỘNG
    HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" -> the body, then the motto; "Số: 15/KH-NNPTNT Hải Hậu, ngày 20 tháng 3 năm
    2019" -> the number, then the place and date."""
    pieces: list[Line] = []
    for line in header:
        cut = _MOTTO_START.search(line.text)
        if cut is None and (number := NUMBER_SYMBOL.match(line.text)):
            cut = _PLACE_DATE_AFTER.search(line.text, number.end())
        pieces.extend(_split_line(line, cut.end()) if cut else [line])
    return pieces


# Where a place and date start after a number on one line: "… /KH-UBND Hải Hậu, ngày …", "…/KH-UBND ngày …".
_PLACE_DATE_AFTER = regex.compile(
    r"\s+(?=(?:\p{Lu}[\p{L}.'\-]*(?:\s+\p{Lu}[\p{L}.'\-]*){0,4}\s*,\s*)?ngày\b)", regex.V1
)


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


# -- header -----------------------------------------------------------------------------------------------


def _issuer_lines(header: list[Line]) -> list[Line]:
    """The header's capitalised lines that name the body: not the motto (nor a piece of it broken onto a line
    of its own, "VIỆT" ⏎ "NAM"), not the number, not the place and date."""
    lines = []
    for index, line in enumerate(header):
        previous = header[index - 1].text if index else ""
        continues_motto = (
            bool(previous)
            and _is_motto(previous)
            and f" {_motto_key(line.text)} " in f" {_MOTTO} "
            and _is_motto(f"{previous} {line.text}")
        )
        if (
            _is_upper(line.text)
            and not _is_motto(line.text)
            and not continues_motto
            and not NUMBER_SYMBOL.match(line.text)
            and not PLACE_DATE.match(line.text)
        ):
            lines.append(line)
    return lines


def _span_of(lines: list[Line]) -> Span:
    return Span(start=lines[0].start, end=lines[-1].end)


def _issuer_from_header(lines: list[Line]) -> tuple[Sourced | None, Sourced | None, Body | None]:
    """Issuer and parent from the header's capitalised lines.

    "ỦY BAN NHÂN DÂN" + "XÃ CAO NHÂN" is one body; "UBND HUYỆN YÊN CHÂU" + "PHÒNG LAO ĐỘNG - TB&XH" is a
    department (issuer) under its parent. The parent's line is complete on its own (body, level and name).
    """
    if not lines:
        return None, None, None
    first = parse_body(lines[0].text)
    if len(lines) >= 2 and first is not None and first.unit is not None:
        parent = Sourced(value=first.label(), source="header", span=_span_of(lines[:1]), page=lines[0].page)
        rest = lines[1:]
        issuer_text = " ".join(line.text for line in rest)
        own = parse_body(issuer_text)
        value = own.label() if own and own.unit else issuer_text
        issuer = Sourced(value=value, source="header", span=_span_of(rest), page=rest[0].page)
        return issuer, parent, own if own and own.unit else first
    joined = " ".join(line.text for line in lines)
    body = parse_body(joined)
    value = body.label() if body and body.unit else joined
    return Sourced(value=value, source="header", span=_span_of(lines), page=lines[0].page), None, body


# -- fallbacks for a missing header -----------------------------------------------------------------------


def _appendix_reference(lines: list[Line]) -> tuple[Line, regex.Match[str]] | None:
    """The first "(Kèm theo Kế hoạch số … ngày … của …)"; a reference wrapped over two lines is read whole,
    as a line of the two joined (the match's offsets then run on into the second line)."""
    for index, line in enumerate(lines):
        joined = line
        if index + 1 < len(lines) and lines[index + 1].start - line.end == 1:
            following = lines[index + 1]
            joined = Line(f"{line.text} {following.text}", line.start, following.end, line.page, line.block)
        if (match := APPENDIX_REFERENCE.search(joined.text)) and match.start() < len(line.text):
            return joined, match
    return None


def _body_from_text(
    line: Line, text_start: int, text: str, source: ValueSource
) -> tuple[Sourced, Body] | None:
    body = parse_body(text)
    if body is None or body.unit is None:
        return None
    unit = body.unit
    return _sourced(body.label(), source, line, text_start, text_start + unit.end), body


def _issuer_from_self_reference(lines: list[Line]) -> tuple[Sourced | None, Body | None]:
    """ "Ủy ban nhân dân phường Quảng Minh xây dựng Kế hoạch" names the issuer; "UBND huyện ban hành" only its level."""
    for line in lines:
        if match := SELF_REFERENCE.search(line.text):
            unit = find_unit(match["unit"], name_required=True) or find_unit(
                match["unit"], name_required=False
            )
            if unit is None:
                continue
            body = Body("UBND", unit)
            if unit.name:
                return _sourced(body.label(), "body", line, match.start(), match.end("unit")), body
            return None, body
    return None, None


# -- title ------------------------------------------------------------------------------------------------


def _title(lines: list[Line], zones: Zones) -> tuple[Sourced | None, Sourced | None]:
    """Document type and summary: "KẾ HOẠCH" + "Giảm nghèo năm 2024 trên địa bàn xã Cao Nhân".

    The summary is the rest of the type's line, or the next line(s) until the legal bases begin.
    """
    if zones.title is None:
        return None, None
    title_lines = [line for line in lines if line.block == zones.title]
    if not title_lines:
        return None, None
    type_line = title_lines[0]
    name, length = doc_type_at_start(type_line.text) or ("", 0)
    doc_type = _sourced(name, "title", type_line, 0, length)
    pieces: list[tuple[Line, int]] = []
    remainder = type_line.text[length:].lstrip(" :-")
    if remainder:
        pieces.append((type_line, len(type_line.text) - len(remainder)))
    following = [line for line in lines if line.block != zones.title and line.block > zones.title]
    following = title_lines[1:] + following
    for line in following:
        if len({piece.block for piece, _ in pieces} | {line.block}) > _MAX_TITLE_BLOCKS:
            break
        if parse_heading_number(line.text):
            break
        first = not pieces
        if not first and (
            starts_preamble(line.text)
            or len(line.text) > _MAX_TITLE_CONTINUATION
            or line.text.endswith((";", ":"))
        ):
            break
        if first and starts_preamble(line.text) and remainder:
            break
        pieces.append((line, 0))
    if not pieces:
        return doc_type, None
    text = " ".join(line.text[offset:] for line, offset in pieces)
    span = Span(start=pieces[0][0].start + pieces[0][1], end=pieces[-1][0].end)
    return doc_type, Sourced(value=text, source="title", span=span, page=pieces[0][0].page)


def _plan_year(title: Sourced | None) -> int | None:
    """The year a plan is for is the last "năm YYYY" of its title ("… huyện Yên Châu năm 2022" -> 2022)."""
    if title is None:
        return None
    years = [int(match["year"]) for match in _TITLE_YEAR.finditer(title.value)]
    return years[-1] if years else None


# -- closing: signature and recipients --------------------------------------------------------------------


# The order authorities stand in above a signature: on behalf of the collective, then for the chair.
_AUTHORITY_ORDER = {"TM": 0, "KT": 1, "TL": 2, "TUQ": 3, "Q": 4}


def _is_position(text: str) -> bool:
    """A signer's position line: in capitals, short, not a recipient ("PHÓ CHỦ TỊCH", "TRƯỞNG PHÒNG")."""
    return (
        _is_upper(text)
        and not text.startswith(("-", "+", "•"))
        and len(text.split()) <= 8
        and not RECIPIENTS_HEADING.match(text)
        and not AUTHORITY.match(text)
        and not _is_motto(text)
    )


# A signature run into the recipients of a copy that lost its layout: "Nơi nhận: KT. TRƯỞNG PHÒNG",
# "- UBND huyện (b/c); PHÓ TRƯỞNG PHÒNG", "- Lưu: VT. Trần Văn Lợi".
_AFTER_HEADING = regex.compile(r"^(?:Nơi\s+nhận|NƠI\s+NHẬN)\s*:\s*(?=(?:TM|KT|TL|TUQ|Q)\s*[.,:])", regex.V1)
_AFTER_ITEM = regex.compile(
    r"[;.]\s+(?=\p{Lu}[\p{Lu}\s\-]+$|\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,5}$)", regex.V1
)


def _closing_pieces(lines: list[Line]) -> list[Line]:
    """Closing lines with a signature set on the same line as a recipient cut apart, so that each piece is a
    recipient or a line of the signature."""
    pieces: list[Line] = []
    for line in lines:
        cut = _AFTER_HEADING.match(line.text)
        if cut is None and line.text.startswith(("-", "+", "•")):  # a recipient, signature words after it
            cut = _AFTER_ITEM.search(line.text)
        if cut is not None and _is_signature_line(line.text[cut.end() :].strip()):
            pieces.extend(_split_line(line, cut.end()))
        else:
            pieces.append(line)
    return pieces


def _is_signature_line(text: str) -> bool:
    return bool(AUTHORITY.match(text)) or _is_position(text) or bool(_PERSON_NAME.match(text))


def _signer(lines: list[Line]) -> Signer:
    """ "TM. ỦY BAN NHÂN DÂN" / "KT, CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Vì Văn Ngọc" -> authorities, position, name.

    Copies interleave the signature with the recipients set beside it ("- UBND huyện (b/c);" then "KT. CHỦ
    TỊCH" then "- Phòng TN&MT huyện;" …) or give its lines out of order: every authority line of the closing
    part counts, in the order documents write them (TM. before KT.), the position is the capitals line that
    is not a recipient, the name the last person's name that is not a recipient.
    """
    found = [(line, match) for line in lines if (match := AUTHORITY.match(line.text))]
    found.sort(key=lambda item: _AUTHORITY_ORDER.get(item[1]["code"], len(_AUTHORITY_ORDER)))
    authority = [
        _sourced(f"{match['code']}. {' '.join(match['rest'].split())}", "signature", line)
        for line, match in found
    ]
    positions = [line for line in lines if _is_position(line.text)]
    position: Sourced | None = None
    if positions:
        position = _sourced(" ".join(positions[-1].text.split()), "signature", positions[-1])
    elif authority:
        # "TM. ỦY BAN NHÂN DÂN" + "CHỦ TỊCH": the last authority names the position when no line follows.
        last = authority[-1].value.split(". ", 1)[1]
        position = Sourced(value=last, source="signature", span=authority[-1].span, page=authority[-1].page)
    names = [
        line
        for line in lines
        if _PERSON_NAME.match(line.text)
        and not _SIGN_NOTE.match(line.text)
        and not RECIPIENTS_HEADING.match(line.text)
    ]
    name = _sourced(names[-1].text, "signature", names[-1]) if names and (authority or positions) else None
    return Signer(name=name, position=position, authority=authority)


def _recipients(lines: list[Line]) -> list[Sourced]:
    """The dash list under "Nơi nhận:", each item without its dash and final punctuation.

    An item wrapped onto a line without a dash ("- Thường trực Đảng ủy, HĐND phường" / "(B/c);") is one item;
    signature lines set among the items (an authority, a position, the signer's name) are not items.
    """
    start = next((i for i, line in enumerate(lines) if RECIPIENTS_HEADING.match(line.text)), None)
    if start is None:
        return []
    pieces: list[tuple[Line, int]] = []  # (first line of the item, where its text starts), last line
    ends: list[Line] = []
    inline = RECIPIENTS_HEADING.sub("", lines[start].text, count=1).strip()
    candidates = ([lines[start]] if inline else []) + lines[start + 1 :]
    for line in candidates:
        text = line.text if line is not lines[start] else inline
        offset = line.text.index(text)
        bullet = regex.match(r"^[-+•*]\s*", text)
        if bullet is None and _is_signature_line(text):
            continue
        if bullet is None and pieces:
            if ends[-1].text.rstrip().endswith((";", ".")):
                break
            ends[-1] = line  # a wrapped item goes on
            continue
        pieces.append((line, offset + (bullet.end() if bullet else 0)))
        ends.append(line)
    items = []
    for (first, begin), last in zip(pieces, ends, strict=True):
        if first is last:
            value = first.text[begin:].rstrip(" ;,.")
            end = begin + len(value)
            if value:
                items.append(_sourced(value, "recipients", first, begin, end))
            continue
        value = " ".join(
            [
                first.text[begin:],
                *(line.text for line in candidates if first.start < line.start <= last.start),
            ]
        )
        value = value.rstrip(" ;,.")
        span = Span(
            start=first.start + begin, end=last.end - (len(last.text) - len(last.text.rstrip(" ;,.")))
        )
        items.append(Sourced(value=value, source="recipients", span=span, page=first.page))
    return items


# -- assembly ---------------------------------------------------------------------------------------------


def _header_date(header: list[Line]) -> tuple[Sourced | None, PartialDate | None]:
    for index, line in enumerate(header):
        if (match := PLACE_DATE.match(line.text)) and index + 1 < len(header):
            date = parse_vietnamese_date(match["date"], source="header")
            if date is None or date.year is None:  # "Tuyên Quang, ngày" ⏎ "08 tháng 3 năm 2023"
                following = header[index + 1]
                joined = Line(
                    f"{line.text} {following.text}", line.start, following.end, line.page, line.block
                )
                if (longer := PLACE_DATE.match(joined.text)) and parse_vietnamese_date(longer["date"]):
                    line, match = joined, longer
        if match:
            place = (
                _sourced(match["place"], "header", line, match.start("place"), match.end("place"))
                if match["place"]
                else None
            )
            date = parse_vietnamese_date(match["date"], source="header")
            if date is not None:
                span = Span(start=line.start + match.start("date"), end=line.end)
                date = date.model_copy(update={"span": span})
            return place, date
    return None, None


def _complete_date(date: PartialDate | None, candidate: PartialDate | None) -> PartialDate | None:
    """Take the appendix's date when the header's is incomplete and the parts it does give agree."""
    if candidate is None or (date is not None and date.iso is not None):
        return date
    if date is not None:
        for part in ("day", "month", "year"):
            known = getattr(date, part)
            if known is not None and known != getattr(candidate, part):
                return date
    return candidate


def extract_metadata(document: Document, zones: Zones | None = None) -> Metadata:
    """Read the metadata of ``document`` from its header, title, body, closing and appendices."""
    zones = zones or find_zones(document)
    blocks = document.blocks
    title_index = zones.title if zones.title is not None else 0
    header = _header_pieces(block_lines(document, 0, title_index))
    front = block_lines(document, title_index, zones.closing)
    closing = _closing_pieces(block_lines(document, zones.closing, zones.appendix))
    appendix = block_lines(document, zones.appendix, len(blocks))

    issuer, parent, body = _issuer_from_header(_issuer_lines(header))
    number = symbol = number_span = None
    unnumbered = False
    for line in header:
        if match := NUMBER_SYMBOL.match(line.text):
            number = match["number"] or None
            if number is not None:
                number_span = Span(
                    start=line.start + match.start("number"), end=line.start + match.end("number")
                )
            unnumbered = number is None
            symbol = _sourced(match["symbol"], "header", line, match.start("symbol"), match.end("symbol"))
            break
    place, date = _header_date(header)
    doc_type, title = _title(front, zones)

    reference = _appendix_reference(appendix + closing + front)
    if reference is not None:
        line, match = reference
        candidate = parse_vietnamese_date(match["date"], source="appendix")
        if candidate is not None:
            candidate = candidate.model_copy(
                update={
                    "span": Span(start=line.start + match.start("date"), end=line.start + match.end("date"))
                }
            )
        date = _complete_date(date, candidate)
        if issuer is None and (
            found := _body_from_text(line, match.start("issuer"), match["issuer"], "appendix")
        ):
            issuer, body = found
    if issuer is None:
        issuer, self_body = _issuer_from_self_reference(front)
        body = body or self_body
        if issuer is None and title is not None:
            issuer, body = _issuer_from_title(title, body)

    unit_name = body.unit if body else None
    return Metadata(
        issuer=issuer,
        issuer_parent=parent,
        level=unit_name.level if unit_name else None,
        unit=_unit_sourced(unit_name, issuer),
        number=number,
        number_span=number_span,
        unnumbered=unnumbered,
        symbol=symbol,
        place=place,
        date=date,
        doc_type=doc_type,
        title=title,
        plan_year=_plan_year(title),
        signer=_signer(closing),
        recipients=_recipients(closing),
    )


def _issuer_from_title(title: Sourced, known: Body | None) -> tuple[Sourced | None, Body | None]:
    """ "… trên địa bàn huyện Yên Châu năm 2022": the plan's own unit, issued by its people's committee.

    A level already read from the body ("Ủy ban nhân dân huyện ban hành …") must agree with the title's.
    """
    unit = find_unit(title.value, name_required=True)
    if unit is None or not unit.name or (known and known.unit and known.unit.level != unit.level):
        return None, known
    body = Body(known.display if known else "UBND", unit)
    span = None
    if title.span is not None:
        span = Span(start=title.span.start + unit.start, end=title.span.start + unit.end)
    return Sourced(value=body.label(), source="title", span=span, page=title.page), body


def _unit_sourced(unit: UnitName | None, issuer: Sourced | None) -> Sourced | None:
    if unit is None or not unit.name or issuer is None:
        return None
    return Sourced(value=unit.name, source=issuer.source, span=issuer.span, page=issuer.page)
