"""Read Word ``.docx`` plans: paragraphs and tables in body order, with what Word itself knows.

Word knows things a text export loses: the label of an automatic list ("II.", "2.1."), which runs are
bold, which paragraph is a "Heading 1", how table cells are merged, and which text is a running header
or footer. python-docx gives the package and the elements; numbering, style inheritance and merged
cells are read from the WordprocessingML directly because its API does not resolve them.
"""

from __future__ import annotations

import hashlib
import html.entities
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import InputError
from extractor.ingest.limits import CellBudget, check_zip_package, shown_name
from extractor.ingest.txt import is_upper_case, table_text
from extractor.normalize.numbers import format_roman_numeral
from extractor.options import ExtractOptions
from models.document import (
    BlockKind,
    RawBlock,
    RawDocument,
    SourceInfo,
    SourceWarning,
    TableCell,
    TableGrid,
    TextStyle,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
HEADER_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
NUMBERING_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
HYPERLINK_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# External link targets named in a warning; the count says how many there are in all.
MAX_LISTED_LINKS = 5

# An entity reference that a part never declares ("&nbsp;" from a generator with HTML habits, "&foo;") makes
# its XML ill-formed, and the parser would refuse the whole plan for one word. Such a package is read again
# with each undeclared reference written out: an HTML name as its character ("&nbsp;" a no-break space),
# any other kept as it is written ("&foo;" stays "&foo;"), and ``source.warnings`` lists them. A declared
# entity is still never resolved (a ``SYSTEM`` entity may name a file); character references are left alone.
ENTITY_REFERENCE = re.compile(rb"&([^\x00-\x20\x7f&;<>\"'#%]{1,64});")
ENTITY_DECLARATION = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s>]+)")
XML_PREDEFINED_ENTITIES = frozenset({b"lt", b"gt", b"amp", b"quot", b"apos"})
XML_PART_SUFFIXES = (".xml", ".rels")

# A borderless table is page layout (the header's two columns, a signature beside "Nơi nhận") when it
# is this small, or when its cells hold blocks of several paragraphs rather than one value each.
MAX_LAYOUT_ROWS = 4
MAX_LAYOUT_COLS = 3
MIN_LAYOUT_PARAGRAPHS_PER_CELL = 2.0

INVISIBLE_BORDERS = frozenset({"nil", "none"})
TABLE_BORDER_SIDES = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")
ON_OFF_FALSE = frozenset({"0", "false", "off", "none"})
WORD_LEVELS = 9


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` → ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def w_val(element: Any, attribute: str = "val") -> str | None:
    return None if element is None else element.get(w(attribute))


# ---------------------------------------------------------------------------------------------------
# Styles: what a paragraph or run inherits
# ---------------------------------------------------------------------------------------------------


class StyleSheet:
    """Looks properties up through ``basedOn`` chains and document defaults, as Word does (simplified:
    toggle properties are not XOR-ed, the nearest definition wins)."""

    def __init__(self, styles_element: Any | None) -> None:
        self._styles: dict[str, Any] = {}
        self._default_paragraph_style: str | None = None
        self._default_run_properties = None
        if styles_element is None:
            return
        for style in styles_element.iter(w("style")):
            style_id = style.get(w("styleId"))
            if style_id:
                self._styles[style_id] = style
                if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                    self._default_paragraph_style = style_id
        defaults = styles_element.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self._default_run_properties = defaults

    def chain(self, style_id: str | None) -> Iterator[Any]:
        """The style and the styles it is based on, nearest first (cycles cut)."""
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = w_val(style.find(w("basedOn")))

    def name(self, style_id: str | None) -> str:
        style = self._styles.get(style_id or "")
        return (w_val(style.find(w("name"))) or "") if style is not None else ""

    def paragraph_style_id(self, paragraph: Any) -> str | None:
        return w_val(paragraph.find(f"{w('pPr')}/{w('pStyle')}")) or self._default_paragraph_style

    def paragraph_property(self, paragraph: Any, tag: str) -> Any | None:
        """The nearest ``pPr`` child ``tag`` (e.g. "jc", "numPr") on the paragraph or its style chain."""
        direct = paragraph.find(f"{w('pPr')}/{w(tag)}")
        if direct is not None:
            return direct
        for style in self.chain(self.paragraph_style_id(paragraph)):
            found = style.find(f"{w('pPr')}/{w(tag)}")
            if found is not None:
                return found
        return None

    def run_property(self, run: Any, paragraph_style_id: str | None, tag: str) -> Any | None:
        """The nearest ``rPr`` child ``tag`` (e.g. "b", "sz") for a run: direct, run style, paragraph
        style, then document defaults."""
        direct = run.find(f"{w('rPr')}/{w(tag)}")
        if direct is not None:
            return direct
        run_style = w_val(run.find(f"{w('rPr')}/{w('rStyle')}"))
        for style_id in (run_style, paragraph_style_id):
            for style in self.chain(style_id):
                found = style.find(f"{w('rPr')}/{w(tag)}")
                if found is not None:
                    return found
        if self._default_run_properties is not None:
            return self._default_run_properties.find(w(tag))
        return None

    def table_borders(self, style_id: str | None) -> Any | None:
        for style in self.chain(style_id):
            found = style.find(f"{w('tblPr')}/{w('tblBorders')}")
            if found is not None:
                return found
        return None

    def element(self, style_id: str) -> Any | None:
        return self._styles.get(style_id)


def is_on(element: Any | None) -> bool:
    """A WordprocessingML on/off property: ``<w:b/>`` is on, ``<w:b w:val="0"/>`` is off."""
    if element is None:
        return False
    return (w_val(element) or "true").lower() not in ON_OFF_FALSE


# ---------------------------------------------------------------------------------------------------
# Automatic numbering
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListLevel:
    """One level of a Word list definition: ``<w:lvl>`` with numFmt "upperRoman" and lvlText "%1."."""

    number_format: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart_after: int | None = None  # lvlRestart: None = after any higher level, 0 = never
    legal: bool = False  # isLgl: show every level's number in decimal ("1.2.3")


@dataclass(frozen=True)
class ListInstance:
    """A ``<w:num>``: which abstract definition it uses and which levels it restarts."""

    abstract_id: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, ListLevel] = field(default_factory=dict)


class Numbering:
    """Produces the labels Word shows for automatic lists, counting as the paragraphs come.

    Word keeps one counter set per list: instances (``numId``) sharing an abstract definition continue
    each other unless an instance restarts a level (``startOverride``). Using a level restarts the
    levels below it, so "1." follows each new "II.".
    """

    def __init__(self, numbering_element: Any | None, styles: StyleSheet) -> None:
        self._styles = styles
        self._abstracts: dict[str, dict[int, ListLevel]] = {}
        self._abstract_style_links: dict[str, str] = {}
        self._instances: dict[str, ListInstance] = {}
        self._counters: dict[tuple[str, str], list[int | None]] = {}
        if numbering_element is not None:
            self._load(numbering_element)

    def _load(self, numbering_element: Any) -> None:
        for abstract in numbering_element.iter(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId"))
            self._abstracts[abstract_id] = {
                int(level.get(w("ilvl"), "0")): _list_level(level) for level in abstract.iter(w("lvl"))
            }
            link = w_val(abstract.find(w("numStyleLink")))
            if link:
                self._abstract_style_links[abstract_id] = link
        for num in numbering_element.iter(w("num")):
            overrides: dict[int, int] = {}
            level_overrides: dict[int, ListLevel] = {}
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                start = w_val(override.find(w("startOverride")))
                if start is not None:
                    overrides[ilvl] = int(start)
                level = override.find(w("lvl"))
                if level is not None:
                    level_overrides[ilvl] = _list_level(level)
            abstract_id = w_val(num.find(w("abstractNumId"))) or ""
            self._instances[num.get(w("numId"))] = ListInstance(abstract_id, overrides, level_overrides)

    def next_label(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """Advance the counter of list ``num_id`` at level ``ilvl``; return (label, is_bullet).

        A bullet returns (None, True). An unknown list returns (None, False).
        """
        instance = self._instances.get(num_id)
        if instance is None:
            return None, False
        levels = self._levels(instance)
        level = levels.get(ilvl, ListLevel())
        key = ("num", num_id) if instance.start_overrides else ("abstract", instance.abstract_id)
        counters = self._counters.setdefault(key, [None] * WORD_LEVELS)
        ilvl = min(max(ilvl, 0), WORD_LEVELS - 1)
        current = counters[ilvl]
        if current is None:
            counters[ilvl] = instance.start_overrides.get(ilvl, level.start)
        else:
            counters[ilvl] = current + 1
        self._restart_levels_below(counters, ilvl, levels)
        if level.number_format == "bullet":
            return None, True
        return self._render(level, counters, levels, instance), False

    def _levels(self, instance: ListInstance) -> dict[int, ListLevel]:
        abstract_id = self._follow_style_link(instance.abstract_id)
        levels = dict(self._abstracts.get(abstract_id, {}))
        levels.update(instance.level_overrides)
        return levels

    def _follow_style_link(self, abstract_id: str) -> str:
        """An abstract list may only point at a numbering style, whose numId names the real definition."""
        style_id = self._abstract_style_links.get(abstract_id)
        if style_id is None:
            return abstract_id
        style = self._styles.element(style_id)
        linked_num = w_val(style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")) if style is not None else None
        linked = self._instances.get(linked_num or "")
        return linked.abstract_id if linked is not None else abstract_id

    @staticmethod
    def _restart_levels_below(counters: list[int | None], ilvl: int, levels: dict[int, ListLevel]) -> None:
        for lower in range(ilvl + 1, WORD_LEVELS):
            restart_after = levels.get(lower, ListLevel()).restart_after
            if restart_after == 0:
                continue
            if restart_after is None or ilvl < restart_after:
                counters[lower] = None

    @staticmethod
    def _render(
        level: ListLevel, counters: list[int | None], levels: dict[int, ListLevel], instance: ListInstance
    ) -> str | None:
        label = level.text
        for index in range(WORD_LEVELS):
            placeholder = f"%{index + 1}"
            if placeholder not in label:
                continue
            shown = levels.get(index, ListLevel())
            value = counters[index]
            if value is None:
                value = instance.start_overrides.get(index, shown.start)
            number_format = "decimal" if level.legal else shown.number_format
            label = label.replace(placeholder, format_list_number(value, number_format))
        label = label.strip()
        return label or None


def _list_level(level: Any) -> ListLevel:
    restart = w_val(level.find(w("lvlRestart")))
    return ListLevel(
        number_format=w_val(level.find(w("numFmt"))) or "decimal",
        text=w_val(level.find(w("lvlText"))) or "",
        start=int(w_val(level.find(w("start"))) or "1"),
        restart_after=int(restart) if restart is not None else None,
        legal=is_on(level.find(w("isLgl"))),
    )


def format_list_number(value: int, number_format: str) -> str:
    """Write a list counter as Word's numFmt says: 2 → "II" (upperRoman), "b" (lowerLetter), "02" (decimalZero)."""
    if number_format in ("upperRoman", "lowerRoman"):
        roman = format_roman_numeral(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letters = to_letters(value)
        return letters if number_format == "upperLetter" else letters.lower()
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "none":
        return ""
    return str(value)


def to_letters(value: int) -> str:
    """Word's letter numbering: 1 → A, 26 → Z, 27 → AA, 28 → BB (the letter repeats)."""
    if value <= 0:
        return str(value)
    letter = chr(ord("A") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------


def read_docx(path: Path, data: bytes, options: ExtractOptions | None = None) -> RawDocument:
    """Read a ``.docx`` into blocks in body order; headers and footers go to ``page_furniture``.

    The package is measured against ``options``' inflation limits before python-docx opens it (python-docx
    reads the members as they inflated there, stored, never inflating anything itself), and table
    cells are counted as grids are built. Content the package links from outside itself (an image at a URL,
    an attached template) is never loaded: ``source.warnings`` says it is there. Raises ``InputError`` for a
    damaged package ("corrupt Word document (…)") and past a limit.
    """
    options = options if options is not None else ExtractOptions()
    package = check_zip_package(path, data, options.max_inflated, options.max_inflated_total)
    document, undeclared = _open_package(path, package)
    reader = _DocxReader(document, CellBudget(path, options.max_table_cells))
    body = document.element.body
    blocks = list(reader.body_blocks(body))
    source = SourceInfo(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        format="docx",
        warnings=external_link_warnings(external_links(document)) + undeclared_entity_warnings(undeclared),
    )
    return RawDocument(source=source, blocks=blocks, page_furniture=reader.page_furniture(body))


def external_links(document: Any) -> list[tuple[str, str]]:
    """(kind, target) of every relationship of the package that points outside it and is not a hyperlink.

    Such a relationship asks whoever opens the file to fetch something: ``a:blip r:link`` makes an image
    ``("image", "http://tracker.example/p.png")``; a template, a frame or an OLE object can do the same.
    Hyperlinks are only followed when a reader clicks them.
    """
    links = []
    for relationship in document.part.package.iter_rels():
        if relationship.is_external and relationship.reltype != HYPERLINK_RELTYPE:
            links.append((relationship.reltype.rsplit("/", 1)[-1], relationship.target_ref))
    return links


def external_link_warnings(links: list[tuple[str, str]]) -> list[SourceWarning]:
    """The warning a document with external links carries (none without any).

    ``[("image", "http://x/p.png")]`` -> "the file links 1 item from outside itself (image); khplan loads no
    linked content, so what it shows is missing from the extraction", items ["image: http://x/p.png"].
    """
    if not links:
        return []
    kinds = ", ".join(sorted({kind for kind, _ in links}))
    count = len(links)
    message = (
        f"the file links {count} item{'s' if count > 1 else ''} from outside itself ({kinds}); khplan loads "
        "no linked content, so what it shows is missing from the extraction"
    )
    items = [shown_name(f"{kind}: {target}") for kind, target in links[:MAX_LISTED_LINKS]]
    return [SourceWarning(code="external-links", message=message, items=items)]


def undeclared_entity_warnings(names: list[str]) -> list[SourceWarning]:
    """The warning of a package whose XML refers to entities it never declares (none without any).

    ``["foo"]`` -> "the file's XML uses 1 entity reference it never declares (&foo;); …", items ["&foo;"].
    """
    if not names:
        return []
    count = len(names)
    items = [shown_name(f"&{name};") for name in names[:MAX_LISTED_LINKS]]
    message = (
        f"the file's XML uses {count} entity reference{'s' if count > 1 else ''} it never declares "
        f"({', '.join(items)}); an HTML name is read as its character (&nbsp; as a no-break space), any other "
        "is kept as written"
    )
    return [SourceWarning(code="undeclared-entities", message=message, items=items)]


def _open_package(path: Path, data: bytes) -> tuple[Any, list[str]]:
    """The python-docx document of a package, and the undeclared entity names written out to read it."""
    from lxml.etree import XMLSyntaxError

    try:
        return _parse_package(path, data), []
    except XMLSyntaxError as error:
        first_error = error
    rewritten, names = _undeclared_entities_written_out(data)
    if not names:
        raise InputError(path, f"corrupt Word document (damaged XML: {first_error})") from None
    try:
        return _parse_package(path, rewritten), names
    except XMLSyntaxError as error:
        raise InputError(path, f"corrupt Word document (damaged XML: {error})") from None


def _undeclared_entities_written_out(data: bytes) -> tuple[bytes, list[str]]:
    """The package with every entity reference its XML parts use without declaring it written out (see
    ``ENTITY_REFERENCE``), and those names in the order met; ``(data, [])`` when there is none.

    The members were measured against the inflation limits before python-docx first opened the package.
    """
    names: dict[str, None] = {}
    rewritten = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename.lower().endswith(XML_PART_SUFFIXES):
                content = _write_out_undeclared(content, names)
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    if not names:
        return data, []
    return rewritten.getvalue(), list(names)


def _write_out_undeclared(content: bytes, names: dict[str, None]) -> bytes:
    """``b"Gi&foo;m&nbsp;x"`` -> ``b"Gi&amp;foo;m&#xA0;x"``, adding "foo" and "nbsp" to ``names``."""
    declared = set(ENTITY_DECLARATION.findall(content))

    def write_out(match: re.Match[bytes]) -> bytes:
        name = match[1]
        if name in XML_PREDEFINED_ENTITIES or name in declared:
            return match[0]
        text = name.decode("utf-8", "replace")
        names[text] = None
        characters = html.entities.html5.get(f"{text};")
        if characters is None:
            return b"&amp;" + name + b";"
        return "".join(f"&#x{ord(char):X};" for char in characters).encode("ascii")

    return ENTITY_REFERENCE.sub(write_out, content)


def _parse_package(path: Path, data: bytes) -> Any:
    """python-docx's document of the package; its XML errors are left to the caller."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        _ = document.element.body
    except zipfile.BadZipFile:
        raise InputError(path, "corrupt Word document (not a valid zip archive)") from None
    except (KeyError, PackageNotFoundError) as error:
        raise InputError(path, f"corrupt Word document (a part is missing: {error})") from None
    except (ValueError, AttributeError, OSError, EOFError) as error:
        raise InputError(path, f"corrupt Word document ({error})") from None
    return document


@dataclass
class _Cell:
    """A cell while a table grid is being built: its row span grows as vMerge continues it."""

    row: int
    col: int
    col_span: int
    element: Any
    row_span: int = 1


class _DocxReader:
    def __init__(self, document: Any, cells: CellBudget) -> None:
        self._part = document.part
        self._cells = cells
        self._styles = StyleSheet(document.styles.element)
        self._numbering = Numbering(self._related_element(NUMBERING_RELTYPE), self._styles)

    def _related_element(self, reltype: str) -> Any | None:
        for relationship in self._part.rels.values():
            if relationship.reltype == reltype and not relationship.is_external:
                return relationship.target_part.element
        return None

    # -- body -------------------------------------------------------------------------------------

    def body_blocks(self, container: Any, in_layout: bool = False) -> Iterator[RawBlock]:
        """Blocks of a body or table cell: paragraphs and tables as they come."""
        for element in _block_elements(container):
            if element.tag == w("p"):
                block = self.paragraph_block(element, in_layout)
                if block is not None:
                    yield block
                yield from self._text_box_blocks(element)
            else:
                yield from self.table_blocks(element, in_layout)

    def paragraph_block(self, paragraph: Any, in_layout: bool = False) -> RawBlock | None:
        label, level, is_list = self._list_label(paragraph)
        runs = list(_paragraph_runs(paragraph))
        texts = [self._run_text(run) for run in runs]
        text = "".join(texts).strip()
        if not text:
            return None
        style_id = self._styles.paragraph_style_id(paragraph)
        kind = BlockKind.PARAGRAPH
        if self._is_heading(paragraph, style_id):
            kind = BlockKind.HEADING
        elif is_list:
            kind = BlockKind.LIST_ITEM
        return RawBlock(
            text=text,
            kind=kind,
            style=self._paragraph_style(paragraph, style_id, runs, texts, text),
            list_label=label,
            list_level=level if is_list else None,
            in_layout_table=in_layout,
        )

    def _run_text(self, run: Any) -> str:
        parts = []
        for child in run:
            tag = child.tag
            if tag == w("t"):
                parts.append(_element_text(child))
            elif tag == w("tab"):
                parts.append("\t")
            elif _is_line_break(child):
                parts.append("\n")
            elif tag == w("noBreakHyphen"):
                parts.append("-")
        text = "".join(parts)
        if is_on(self._styles.run_property(run, None, "caps")):
            text = text.upper()
        return text

    def _paragraph_style(
        self, paragraph: Any, style_id: str | None, runs: list[Any], texts: list[str], text: str
    ) -> TextStyle:
        visible = [run for run, run_text in zip(runs, texts, strict=True) if run_text.strip()]
        sizes: Counter[float] = Counter()
        for run, run_text in zip(runs, texts, strict=True):
            size = w_val(self._styles.run_property(run, style_id, "sz"))
            if size and run_text.strip():
                sizes[int(size) / 2] += len(run_text)
        alignment = w_val(self._styles.paragraph_property(paragraph, "jc"))
        return TextStyle(
            bold=bool(visible) and all(is_on(self._styles.run_property(r, style_id, "b")) for r in visible),
            italic=bool(visible) and all(is_on(self._styles.run_property(r, style_id, "i")) for r in visible),
            upper=is_upper_case(text),
            font_size=sizes.most_common(1)[0][0] if sizes else None,
            centered=alignment == "center",
        )

    def _is_heading(self, paragraph: Any, style_id: str | None) -> bool:
        name = self._styles.name(style_id).lower()
        if name == "title" or name.startswith("heading "):
            return True
        outline = w_val(self._styles.paragraph_property(paragraph, "outlineLvl"))
        return outline is not None and outline.isdigit() and int(outline) < WORD_LEVELS

    def _list_label(self, paragraph: Any) -> tuple[str | None, int, bool]:
        """(label, level, is a list item) from the paragraph's numPr, direct or from its style."""
        direct = paragraph.find(f"{w('pPr')}/{w('numPr')}")
        style_numbering = None
        for style in self._styles.chain(self._styles.paragraph_style_id(paragraph)):
            style_numbering = style.find(f"{w('pPr')}/{w('numPr')}")
            if style_numbering is not None:
                break
        num_id = w_val(_child(direct, "numId")) or w_val(_child(style_numbering, "numId"))
        ilvl_text = w_val(_child(direct, "ilvl")) or w_val(_child(style_numbering, "ilvl")) or "0"
        if not num_id or num_id == "0":
            return None, 0, False
        ilvl = int(ilvl_text) if ilvl_text.isdigit() else 0
        label, is_bullet = self._numbering.next_label(num_id, ilvl)
        return label, ilvl, label is not None or is_bullet

    def _text_box_blocks(self, paragraph: Any) -> Iterator[RawBlock]:
        """Paragraphs in text boxes anchored to this paragraph (headers are sometimes drawn in boxes)."""
        for box in paragraph.iter(w("txbxContent")):
            if _has_ancestor(box, MC_FALLBACK, paragraph):
                continue
            yield from self.body_blocks(box)

    # -- tables -----------------------------------------------------------------------------------

    def table_blocks(self, table: Any, in_layout: bool = False) -> Iterator[RawBlock]:
        """A data table becomes one TABLE block; a borderless layout table gives its cells' blocks."""
        cells, n_rows, n_cols = _grid_cells(table)
        self._cells.spend(len(cells))
        if self._is_layout_table(table, cells, n_rows, n_cols):
            for cell in cells:
                yield from self.body_blocks(cell.element, in_layout=True)
            return
        grid = TableGrid(
            n_rows=n_rows,
            n_cols=n_cols,
            cells=[
                TableCell(
                    row=cell.row,
                    col=cell.col,
                    text=self._cell_text(cell.element),
                    row_span=cell.row_span,
                    col_span=cell.col_span,
                )
                for cell in cells
            ],
        )
        yield RawBlock(text=table_text(grid), kind=BlockKind.TABLE, table=grid, in_layout_table=in_layout)

    def _cell_text(self, cell: Any) -> str:
        """A cell's paragraphs on separate lines, an automatic label kept ("1." in a TT column);
        a nested table flattened to one line per row, cells separated by tabs."""
        lines = []
        for element in _block_elements(cell):
            if element.tag == w("p"):
                block = self.paragraph_block(element)
                if block is not None:
                    lines.append(f"{block.list_label} {block.text}" if block.list_label else block.text)
            else:
                nested_cells, _, _ = _grid_cells(element)
                self._cells.spend(len(nested_cells))
                rows: dict[int, list[str]] = {}
                for nested in nested_cells:
                    rows.setdefault(nested.row, []).append(self._cell_text(nested.element))
                lines.extend("\t".join(texts) for _, texts in sorted(rows.items()))
        return "\n".join(line for line in lines if line)

    def _is_layout_table(self, table: Any, cells: list[_Cell], n_rows: int, n_cols: int) -> bool:
        if self._has_visible_borders(table):
            return False
        if n_rows <= MAX_LAYOUT_ROWS and n_cols <= MAX_LAYOUT_COLS:
            return True
        filled = [cell for cell in cells if _cell_paragraph_count(cell.element) > 0]
        if not filled:
            return True
        mean_paragraphs = sum(_cell_paragraph_count(cell.element) for cell in filled) / len(filled)
        return mean_paragraphs >= MIN_LAYOUT_PARAGRAPHS_PER_CELL

    def _has_visible_borders(self, table: Any) -> bool:
        direct = table.find(f"{w('tblPr')}/{w('tblBorders')}")
        style_id = w_val(table.find(f"{w('tblPr')}/{w('tblStyle')}"))
        inherited = self._styles.table_borders(style_id)
        for side in TABLE_BORDER_SIDES:
            border = _child(direct, side)
            if border is None:
                border = _child(inherited, side)
            if _is_visible_border(border):
                return True
        for cell_borders in table.iter(w("tcBorders")):
            if any(_is_visible_border(border) for border in cell_borders):
                return True
        return False

    # -- headers and footers ----------------------------------------------------------------------

    def page_furniture(self, body: Any) -> list[str]:
        """Text of every header and footer the sections use, one entry per paragraph, without repeats."""
        lines: list[str] = []
        for part_element in self._header_footer_elements(body):
            for paragraph in part_element.iter(w("p")):
                text = "".join(self._run_text(run) for run in _paragraph_runs(paragraph)).strip()
                if text and text not in lines:
                    lines.append(text)
        return lines

    def _header_footer_elements(self, body: Any) -> Iterator[Any]:
        seen: set[str] = set()
        for section in body.iter(w("sectPr")):
            for reference in section:
                if reference.tag not in (w("headerReference"), w("footerReference")):
                    continue
                relationship_id = reference.get(f"{{{R_NS}}}id")
                if relationship_id and relationship_id not in seen and relationship_id in self._part.rels:
                    seen.add(relationship_id)
                    yield self._part.rels[relationship_id].target_part.element
        for relationship_id, relationship in self._part.rels.items():
            if relationship.reltype in (HEADER_RELTYPE, FOOTER_RELTYPE) and relationship_id not in seen:
                seen.add(relationship_id)
                yield relationship.target_part.element


def _block_elements(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body or cell in order, looking through content controls."""
    for child in container:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _block_elements(content)


def _paragraph_runs(paragraph: Any) -> Iterator[Any]:
    """The paragraph's own runs, including those in hyperlinks, insertions and fields, but not the runs
    of text boxes drawn inside it or of deleted text."""
    for run in paragraph.iter(w("r")):
        if not _has_ancestor(run, w("txbxContent"), paragraph) and not _has_ancestor(
            run, w("del"), paragraph
        ):
            yield run


def _has_ancestor(element: Any, tag: str, stop: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _element_text(element: Any) -> str:
    """The text of a ``w:t``, an entity reference left unresolved skipped and the text after it kept.

    The parser resolves no entities (an ``<!ENTITY x SYSTEM "file:///…">`` must not read a file), so
    ``<w:t>Kế hoạch &x; giảm nghèo</w:t>`` holds "Kế hoạch ", an entity node, and " giảm nghèo" as that
    node's tail: "Kế hoạch  giảm nghèo".
    """
    if len(element) == 0:
        return element.text or ""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _is_line_break(element: Any) -> bool:
    """A soft line break (Shift+Enter) or carriage return; a page or column break is not a line of text."""
    if element.tag == w("cr"):
        return True
    return element.tag == w("br") and element.get(w("type")) in (None, "textWrapping")


def _child(element: Any | None, tag: str) -> Any | None:
    return None if element is None else element.find(w(tag))


def _is_visible_border(border: Any | None) -> bool:
    return border is not None and (w_val(border) or "none") not in INVISIBLE_BORDERS


def _cell_paragraph_count(cell: Any) -> int:
    return sum(
        1
        for paragraph in cell.iter(w("p"))
        if "".join(_element_text(t) for t in paragraph.iter(w("t"))).strip()
    )


def _grid_cells(table: Any) -> tuple[list[_Cell], int, int]:
    """Cells of a Word table on its grid, merges resolved: gridSpan widens a cell, vMerge="restart" opens
    a vertical merge that following "continue" cells extend. A merged cell appears once."""
    cells: list[_Cell] = []
    open_merges: dict[int, _Cell] = {}
    widest = len(table.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    rows = table.findall(w("tr"))
    for row_index, row in enumerate(rows):
        column = int(w_val(row.find(f"{w('trPr')}/{w('gridBefore')}")) or "0")
        for cell in _row_cells(row):
            properties = cell.find(w("tcPr"))
            span = int(w_val(_child(properties, "gridSpan")) or "1")
            merge = _child(properties, "vMerge")
            merge_kind = None if merge is None else (w_val(merge) or "continue")
            above = open_merges.get(column)
            if merge_kind == "continue" and above is not None:
                above.row_span = row_index - above.row + 1
            else:
                current = _Cell(row=row_index, col=column, col_span=span, element=cell)
                cells.append(current)
                if merge_kind == "restart":
                    open_merges[column] = current
                else:
                    open_merges.pop(column, None)
            column += span
        widest = max(widest, column)
    return cells, len(rows), widest


def _row_cells(row: Any) -> Iterator[Any]:
    for child in row:
        if child.tag == w("tc"):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from content.iter(w("tc"))
