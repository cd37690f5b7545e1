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


def _is_motto(text: str) -> bool:
    key = strip_diacritics(text).lower()
    return "cong hoa xa hoi chu nghia" in key or ("doc lap" in key and "tu do" in key)


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


# -- header -----------------------------------------------------------------------------------------------


def _issuer_lines(header: list[Line]) -> list[Line]:
    return [
        line
        for line in header
        if _is_upper(line.text)
        and not _is_motto(line.text)
        and not NUMBER_SYMBOL.match(line.text)
        and not PLACE_DATE.match(line.text)
    ]


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


def _signer(lines: list[Line]) -> Signer:
    """ "TM. ỦY BAN NHÂN DÂN" / "KT, CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / "Vì Văn Ngọc" -> authorities, position, name."""
    authority: list[Sourced] = []
    position: Sourced | None = None
    name: Sourced | None = None
    index = next((i for i, line in enumerate(lines) if AUTHORITY.match(line.text)), None)
    if index is None:
        return Signer()
    while index < len(lines) and (match := AUTHORITY.match(lines[index].text)):
        value = f"{match['code']}. {' '.join(match['rest'].split())}"
        authority.append(_sourced(value, "signature", lines[index]))
        index += 1
    if (
        index < len(lines)
        and _is_upper(lines[index].text)
        and not RECIPIENTS_HEADING.match(lines[index].text)
    ):
        position = _sourced(" ".join(lines[index].text.split()), "signature", lines[index])
        index += 1
    elif authority:
        # "TM. ỦY BAN NHÂN DÂN" + "CHỦ TỊCH": the last authority names the position when no line follows.
        last = authority[-1].value.split(". ", 1)[1]
        position = Sourced(value=last, source="signature", span=authority[-1].span, page=authority[-1].page)
    for line in lines[index:]:
        if _SIGN_NOTE.match(line.text):
            continue
        if _PERSON_NAME.match(line.text) and not RECIPIENTS_HEADING.match(line.text):
            name = _sourced(line.text, "signature", line)
        break
    return Signer(name=name, position=position, authority=authority)


def _recipients(lines: list[Line]) -> list[Sourced]:
    """The dash list under "Nơi nhận:", each item without its dash and final punctuation.

    An item wrapped onto a line without a dash ("- Thường trực Đảng ủy, HĐND phường" / "(B/c);") is one item.
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
        if bullet is None and AUTHORITY.match(text):
            break
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
    for line in header:
        if match := PLACE_DATE.match(line.text):
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
    header = block_lines(document, 0, title_index)
    front = block_lines(document, title_index, zones.closing)
    closing = block_lines(document, zones.closing, zones.appendix)
    appendix = block_lines(document, zones.appendix, len(blocks))

    issuer, parent, body = _issuer_from_header(_issuer_lines(header))
    number = symbol = None
    unnumbered = False
    for line in header:
        if match := NUMBER_SYMBOL.match(line.text):
            number = match["number"] or None
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
