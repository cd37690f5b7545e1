"""Ruled tables from the path objects PDFium already reads: pdfplumber's lattice finder without pdfminer.

pdfplumber finds a ruled table by re-parsing the whole page with pdfminer, about half the time of reading
a typed PDF. The same ruling lines are PDFium path objects: this module reads their segments, turns them
into edges the way pdfminer and pdfplumber do, and runs pdfplumber's lattice steps over them (snap and
join collinear edges, intersections, smallest cells, cells grouped into tables) with ``pdf.TABLE_SETTINGS``.
The result is a list of ``FoundTable`` equal cell for cell to ``page.find_tables(TABLE_SETTINGS)``.

LibreOffice draws a table border as one stroked two-point path per cell side
(``82.55 577.939 m 536.45 577.939 l S``); Word and other printers use thin filled rectangles
(``82.3 577.7 454.4 0.5 re f``) or one path of many sub-paths. All of them become edges here, as in
pdfplumber: a filled rectangle gives its four sides, and the two long ones snap into one line.

Everything after reading PDFium is pure Python over plain tuples (sub-paths in, cells out), so every
step can be tested without a PDF.

Coordinates are points in the frame of the glyphs ``pdf.py`` reads from PDFium: PDF user space
(unrotated), measured from the MediaBox's top-left corner, ``top`` growing downwards. pdfplumber measures from the same corner on an ordinary page; it
differs on a page with a ``/Rotate`` (it turns its coordinates, PDFium's glyphs stay unrotated) or a
MediaBox not at (0, 0) (it adds the box's left edge back to x): there the cells are pdfplumber's cells
in the glyphs' frame, which is what ``pdf.py`` needs to put glyphs into cells.

``find_ruled_tables`` returns None ("not sure, ask pdfplumber") on a page it cannot read as pdfminer
does: a path segment of unknown type, a point or matrix PDFium cannot give, form objects nested deeper
than ``MAX_FORM_DEPTH``. Not detectable, and so not covered: the obsolete fill operator ``F``, which
PDFium paints and pdfminer ignores, and content streams one parser repairs and the other gives up on.
"""

from __future__ import annotations

import bisect
import ctypes
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

# pdfplumber's table finder on ruling lines only ("lines" strategies): a borderless header or signature is
# never a table. The grid below reproduces it; ``pdf.py`` runs pdfplumber itself with these settings on a page
# PDFium cannot read the way pdfminer does.
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3}


class FoundTable(NamedTuple):
    """A ruled table on a page: its box and its cells' boxes (a merged cell is one box), in points from the
    page's top-left corner."""

    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float]]


# pdfplumber's table settings, resolved the way ``TableSettings`` resolves ``pdf.TABLE_SETTINGS``:
# Edges on parallel lines closer than this (points) move to their mean line ("snap"); 3 in khplan.
SNAP_TOLERANCE = float(TABLE_SETTINGS.get("snap_tolerance", 3))
# Collinear edges with a gap no wider than this (points) become one edge ("join"); pdfplumber's default.
JOIN_TOLERANCE = float(TABLE_SETTINGS.get("join_tolerance", 3))
# Edges shorter than this (points) are dropped before snapping: the 0.5 pt ends of a filled rectangle.
EDGE_MIN_LENGTH_PREFILTER = float(TABLE_SETTINGS.get("edge_min_length_prefilter", 1))
# Edges shorter than this (points) after joining are not ruling lines.
EDGE_MIN_LENGTH = float(TABLE_SETTINGS.get("edge_min_length", 3))
# A vertical and a horizontal edge meet when one passes within this many points of the other's line.
INTERSECTION_TOLERANCE = float(TABLE_SETTINGS.get("intersection_tolerance", 3))

# PDFium keeps path points and matrices as 32-bit floats (82.55 comes back as 82.55000305): points are
# rounded to this many decimals in PDF space, which gives back what the PDF wrote (LibreOffice writes at
# most three), so that lines pdfminer sees as equal or exactly 3 pt apart are so here too.
COORDINATE_DIGITS = 3
# Form XObjects nested deeper than this are not followed; the page is then left to pdfplumber.
MAX_FORM_DEPTH = 8

Point = tuple[float, float]
Box = tuple[float, float, float, float]
# A PDF matrix (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f.
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

HORIZONTAL, VERTICAL = "h", "v"


class Subpath(NamedTuple):
    """One painted sub-path as pdfminer sees it: its points in page coordinates (top-left origin).

    ``points`` are the start and every segment's end point (a Bézier curve contributes its end only, as
    in pdfminer), with the start repeated at the end when the sub-path is closed. ``straight`` is False
    when a segment is a Bézier curve. ``82.55 577.939 m 536.45 577.939 l S`` on an A4 page is
    ``Subpath(((82.55, 263.951), (536.45, 263.951)), True)``.
    """

    points: tuple[Point, ...]
    straight: bool = True


class Edge(NamedTuple):
    """A horizontal ("h") or vertical ("v") ruling edge, as pdfplumber's edge dicts, in points."""

    orientation: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def length(self) -> float:
        """pdfplumber's ``width`` of a horizontal edge, ``height`` of a vertical one."""
        return self.x1 - self.x0 if self.orientation == HORIZONTAL else self.bottom - self.top

    @property
    def position(self) -> float:
        """The line the edge lies on: ``top`` of a horizontal edge, ``x0`` of a vertical one."""
        return self.top if self.orientation == HORIZONTAL else self.x0


# (vertical edges, horizontal edges) through one intersection point.
Crossing = tuple[frozenset[Edge], frozenset[Edge]]


# ---------------------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------------------


def find_ruled_tables(page: Any, origin: Point | None = None) -> list[FoundTable] | None:
    """The ruled tables of a PDFium page (a ``pypdfium2.PdfPage`` or its raw handle), or None if unsure.

    Equal cell for cell to pdfplumber's ``page.find_tables(TABLE_SETTINGS)`` keeping tables of two or
    more cells; [] on a page without a ruled table (an underline under "XÃ CAO NHÂN" is no table). None
    means the page is one this reader cannot see as pdfminer does (see ``read_subpaths``): find its
    tables with pdfplumber instead.

    ``origin`` is the (left, top) point of PDF space that the caller's glyph boxes are measured from;
    by default the MediaBox's, read as ``pdf.py`` reads it (``left, _, _, top = page.get_mediabox()``).
    """
    subpaths = read_subpaths(page, origin)
    if subpaths is None:
        return None
    return tables_from_subpaths(subpaths)


def tables_from_subpaths(subpaths: Iterable[Subpath]) -> list[FoundTable]:
    """Tables of two or more cells from a page's painted sub-paths, top to bottom then left to right.

    Five stroked lines around two cells side by side, ``line(0, 0, 200, 0)``, ``line(0, 20, 200, 20)``
    and ``line(x, 0, x, 20)`` for x in 0, 100, 200, give one table with cells (0, 0, 100, 20) and
    (100, 0, 200, 20).
    """
    edges = merge_edges([edge for subpath in subpaths for edge in subpath_edges(subpath)])
    cells = cells_from_crossings(find_crossings(edges))
    return [
        FoundTable(bbox=table_bbox(group), cells=group) for group in group_cells(cells) if len(group) >= 2
    ]


def line(x0: float, top: float, x1: float, bottom: float) -> Subpath:
    """A stroked straight line from (x0, top) to (x1, bottom): LibreOffice's cell border."""
    return Subpath(((x0, top), (x1, bottom)), True)


def rectangle(x0: float, top: float, x1: float, bottom: float) -> Subpath:
    """A closed rectangle (``re``) from its corners: a filled border rule, a cell shading, a frame."""
    return Subpath(((x0, bottom), (x1, bottom), (x1, top), (x0, top), (x0, bottom)), True)


# ---------------------------------------------------------------------------------------------------
# PDFium: painted sub-paths of a page, form objects included, in top-left page coordinates
# ---------------------------------------------------------------------------------------------------


def read_subpaths(page: Any, origin: Point | None = None) -> list[Subpath] | None:
    """Every painted sub-path of a page, or None when this page cannot be read the way pdfminer reads it.

    None for a path segment PDFium reports as of unknown type, a point or an object matrix it cannot
    give, and form objects nested deeper than ``MAX_FORM_DEPTH``. Path objects are read whatever their
    colour or width, as pdfminer reads them: a white cell shading draws edges for pdfplumber too.
    Points are measured from ``origin`` (left, top) in PDF space, by default the MediaBox's corner.
    """
    import pypdfium2.raw as pdfium_c

    handle = getattr(page, "raw", page)
    left, top = origin if origin is not None else _page_origin(handle, pdfium_c)
    reader = _PathReader(pdfium_c, left, top)
    if not reader.read_container(handle, IDENTITY, depth=0):
        return None
    return reader.subpaths


def _page_origin(handle: Any, pdfium_c: Any) -> tuple[float, float]:
    """The MediaBox's left and top edges in PDF space: the origin ``pdf.py`` measures glyphs from.

    Same as ``PdfPage.get_mediabox()`` there, including its fallback to US Letter (0, 0, 612, 792).
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if pdfium_c.FPDFPage_GetMediaBox(handle, left, bottom, right, top):
        return left.value, top.value
    return 0.0, 792.0


class _PathReader:
    """Walks a page's objects into sub-paths, keeping the ctypes buffers of one page for every call."""

    def __init__(self, pdfium_c: Any, left: float, top: float) -> None:
        self._c = pdfium_c
        self._left = left
        self._top = top
        self._matrix = pdfium_c.FS_MATRIX()
        self._x, self._y = ctypes.c_float(), ctypes.c_float()
        self._x_ref, self._y_ref = ctypes.byref(self._x), ctypes.byref(self._y)
        self._fill, self._stroke = ctypes.c_int(), ctypes.c_int()
        self._kinds = {
            pdfium_c.FPDF_SEGMENT_MOVETO: "m",
            pdfium_c.FPDF_SEGMENT_LINETO: "l",
            pdfium_c.FPDF_SEGMENT_BEZIERTO: "c",
        }
        self.subpaths: list[Subpath] = []

    def read_container(self, container: Any, outer: Matrix, depth: int) -> bool:
        """Read the objects of a page (depth 0) or of a form object; False when unsure of any."""
        c = self._c
        in_form = depth > 0
        count = (c.FPDFFormObj_CountObjects if in_form else c.FPDFPage_CountObjects)(container)
        get = c.FPDFFormObj_GetObject if in_form else c.FPDFPage_GetObject
        for index in range(max(count, 0)):
            obj = get(container, index)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_PATH:
                if not self._read_path(obj, outer):
                    return False
            elif kind == c.FPDF_PAGEOBJ_FORM:
                matrix = self._object_matrix(obj)
                if depth >= MAX_FORM_DEPTH or matrix is None:
                    return False
                if not self.read_container(obj, compose(matrix, outer), depth + 1):
                    return False
        return True

    def _object_matrix(self, obj: Any) -> Matrix | None:
        """A path's matrix (the CTM it was painted with) or a form's (its /Matrix times the CTM)."""
        m = self._matrix
        if not self._c.FPDFPageObj_GetMatrix(obj, m):
            return None
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def _read_path(self, obj: Any, outer: Matrix) -> bool:
        """Append a path object's sub-paths (points through its matrix and the forms' around it)."""
        c = self._c
        if c.FPDFPath_GetDrawMode(obj, self._fill, self._stroke) and not (
            self._fill.value or self._stroke.value
        ):
            return True  # neither filled nor stroked: pdfminer paints nothing either
        own = self._object_matrix(obj)
        if own is None:
            return False
        a, b, c_, d, e, f = compose(own, outer)
        get_segment, get_type = c.FPDFPath_GetPathSegment, c.FPDFPathSegment_GetType
        get_point, get_close = c.FPDFPathSegment_GetPoint, c.FPDFPathSegment_GetClose
        x_ref, y_ref, x_c, y_c = self._x_ref, self._y_ref, self._x, self._y
        left, top, kinds = self._left, self._top, self._kinds
        segments = []
        for index in range(c.FPDFPath_CountSegments(obj)):
            segment = get_segment(obj, index)
            kind = kinds.get(get_type(segment))
            if kind is None or not get_point(segment, x_ref, y_ref):
                return False
            x, y = x_c.value, y_c.value  # ``apply(matrix, x, y)``, inlined: this runs per segment
            point = (
                round(a * x + c_ * y + e, COORDINATE_DIGITS) - left,
                top - round(b * x + d * y + f, COORDINATE_DIGITS),
            )
            segments.append((kind, point, bool(get_close(segment))))
        self.subpaths.extend(subpaths_from_segments(segments))
        return True


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` then ``outer``: a path's own matrix inside a form's matrix.

    A form drawn at scale 0.1 and moved by (10, 20): ``compose((1, 0, 0, 1, 5, 0), (0.1, 0, 0, 0.1, 10,
    20))`` is ``(0.1, 0, 0, 0.1, 10.5, 20)``.
    """
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def apply(matrix: Matrix, x: float, y: float) -> Point:
    """A point through a PDF matrix: ``apply((0.1, 0, 0, 0.1, 0, 0), 825.5, 100)`` is (82.55, 10.0)."""
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def subpaths_from_segments(segments: Sequence[tuple[str, Point, bool]]) -> list[Subpath]:
    """Sub-paths from PDFium's segments: (kind "m", "l" or "c", point, closes the figure).

    PDFium gives a Bézier curve as three "c" points (two control points, then the end) and closes a
    figure by flagging its last point, after adding a line back to the start when the figure did not
    end there. A rectangle ``re`` comes as m, l, l, l, l-closed. pdfminer keeps a curve's end point only
    and repeats the start for a close, so ``[("m", a, False), ("l", b, False), ("l", a, True)]`` (a
    closed line) is ``Subpath((a, b, a), True)``.
    """
    subpaths: list[Subpath] = []
    points: list[Point] = []
    straight = True
    curve_points = 0
    for kind, point, closes in segments:
        if kind == "m":
            _close_subpath(subpaths, points, straight)
            points, straight, curve_points = [point], True, 0
            continue
        if not points:  # a segment before any move: PDF says invalid, pdfminer drops it
            continue
        if kind == "c":
            straight = False
            curve_points += 1
            if curve_points % 3:
                continue  # a control point
        points.append(point)
        if closes:
            if points[-1] != points[0]:
                points.append(points[0])
            _close_subpath(subpaths, points, straight)
            points, straight, curve_points = [], True, 0
    _close_subpath(subpaths, points, straight)
    return subpaths


def _close_subpath(subpaths: list[Subpath], points: list[Point], straight: bool) -> None:
    if len(points) >= 2:  # a lone move paints nothing (pdfminer drops "m" without a segment)
        subpaths.append(Subpath(tuple(points), straight))


# ---------------------------------------------------------------------------------------------------
# Edges: pdfminer's lines, rectangles and curves as pdfplumber's edges
# ---------------------------------------------------------------------------------------------------


def subpath_edges(subpath: Subpath) -> list[Edge]:
    """The horizontal and vertical edges pdfplumber takes from one sub-path, at least 1 pt long.

    A single straight segment (open, or closed back to its start) is pdfminer's ``LTLine``: one edge,
    horizontal when both ends have the same ``top`` and otherwise vertical, even when slanted (then at
    its left end's x, as pdfplumber does). Anything else (a rectangle, a polyline, a curve) gives one
    edge per straight step between consecutive points that is exactly horizontal or vertical; slanted
    steps give none. A 454 × 0.5 pt filled rule gives its two long sides; the 0.5 pt ends are dropped.
    """
    points = subpath.points
    if subpath.straight and (len(points) == 2 or (len(points) == 3 and points[2] == points[0])):
        edges = [_line_edge(points[0], points[1])]
    else:
        edges = [edge for p0, p1 in pairwise(points) if (edge := _step_edge(p0, p1))]
    return [edge for edge in edges if edge.length >= EDGE_MIN_LENGTH_PREFILTER]


def _line_edge(p0: Point, p1: Point) -> Edge:
    """pdfplumber's ``line_to_edge``: "h" when top equals bottom, else "v" (a slanted line too)."""
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    return Edge(HORIZONTAL if top == bottom else VERTICAL, x0, top, x1, bottom)


def _step_edge(p0: Point, p1: Point) -> Edge | None:
    """pdfplumber's ``curve_to_edges`` for one step: "v" when x is unchanged, "h" when y is, else none."""
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    if p0[0] == p1[0]:
        return Edge(VERTICAL, x0, top, x1, bottom)
    if p0[1] == p1[1]:
        return Edge(HORIZONTAL, x0, top, x1, bottom)
    return None


def merge_edges(edges: Sequence[Edge]) -> list[Edge]:
    """Snap, join and keep edges at least ``EDGE_MIN_LENGTH`` long: pdfplumber's ``merge_edges``.

    The top and bottom sides of a 0.5 pt filled rule (tops 100.0 and 100.5) snap to one line at 100.25
    and join into one edge; two halves of a border broken at a merged cell join again.
    """
    snapped = snap_edges([edge for edge in edges if edge.orientation == VERTICAL]) + snap_edges(
        [edge for edge in edges if edge.orientation == HORIZONTAL]
    )
    groups: dict[tuple[str, float], list[Edge]] = {}
    for edge in sorted(snapped, key=lambda edge: (edge.orientation, edge.position)):
        groups.setdefault((edge.orientation, edge.position), []).append(edge)
    joined = [edge for group in groups.values() for edge in join_edges(group)]
    return [edge for edge in joined if edge.length >= EDGE_MIN_LENGTH]


def snap_edges(edges: Sequence[Edge], tolerance: float = SNAP_TOLERANCE) -> list[Edge]:
    """Parallel edges of one orientation moved to the mean line of their cluster (pdfplumber's snap).

    Lines are clustered by their distinct positions, each within ``tolerance`` of the previous one (a
    chain: 100, 102.5 and 105 are one cluster); every edge moves to the mean over the cluster's edges.
    """
    by_position: dict[float, list[Edge]] = {}
    for edge in edges:
        by_position.setdefault(edge.position, []).append(edge)
    snapped: list[Edge] = []
    for cluster in _chain_clusters(sorted(by_position), tolerance):
        members = [edge for position in cluster for edge in by_position[position]]
        mean = sum(edge.position for edge in members) / len(members)
        snapped.extend(_moved_to(edge, mean) for edge in members)
    return snapped


def _chain_clusters(values: list[float], tolerance: float) -> list[list[float]]:
    """Sorted values cut where one is more than ``tolerance`` above the previous: pdfplumber's clusters."""
    clusters: list[list[float]] = []
    for value in values:
        if clusters and value <= clusters[-1][-1] + tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return clusters


def _moved_to(edge: Edge, position: float) -> Edge:
    shift = position - edge.position
    if edge.orientation == HORIZONTAL:
        return edge._replace(top=edge.top + shift, bottom=edge.bottom + shift)
    return edge._replace(x0=edge.x0 + shift, x1=edge.x1 + shift)


def join_edges(edges: Sequence[Edge], tolerance: float = JOIN_TOLERANCE) -> list[Edge]:
    """Edges on one line joined where they overlap or leave a gap of at most ``tolerance`` points.

    On the line top = 100: x 0–50 and 52–120 become 0–120; 0–50 and 60–120 stay two edges.
    """
    horizontal = edges[0].orientation == HORIZONTAL if edges else True
    ordered = sorted(edges, key=lambda edge: edge.x0 if horizontal else edge.top)
    joined: list[Edge] = []
    for edge in ordered:
        if not joined:
            joined.append(edge)
            continue
        last = joined[-1]
        if horizontal and edge.x0 <= last.x1 + tolerance:
            if edge.x1 > last.x1:
                joined[-1] = last._replace(x1=edge.x1)
        elif not horizontal and edge.top <= last.bottom + tolerance:
            if edge.bottom > last.bottom:
                joined[-1] = last._replace(bottom=edge.bottom)
        else:
            joined.append(edge)
    return joined


# ---------------------------------------------------------------------------------------------------
# Lattice: intersections, cells, tables
# ---------------------------------------------------------------------------------------------------


def find_crossings(edges: Sequence[Edge], tolerance: float = INTERSECTION_TOLERANCE) -> dict[Point, Crossing]:
    """Points where a vertical edge meets a horizontal one, each with the edges through it.

    A vertical edge x = 100 from top 10 to 50 meets a horizontal one top = 51.5 from x 0 to 200 at
    (100, 51.5): it ends 1.5 pt short, within the 3 pt tolerance.
    """
    verticals = sorted((e for e in edges if e.orientation == VERTICAL), key=lambda e: (e.x0, e.top))
    horizontals = sorted((e for e in edges if e.orientation == HORIZONTAL), key=lambda e: (e.top, e.x0))
    found: dict[Point, tuple[set[Edge], set[Edge]]] = {}
    for v in verticals:
        for h in horizontals:
            if h.top > v.bottom + tolerance:
                break  # horizontals are sorted by top: none further down can meet this vertical
            if v.top <= h.top + tolerance and h.x0 - tolerance <= v.x0 <= h.x1 + tolerance:
                through_v, through_h = found.setdefault((v.x0, h.top), (set(), set()))
                through_v.add(v)
                through_h.add(h)
    return {point: (frozenset(vs), frozenset(hs)) for point, (vs, hs) in found.items()}


def cells_from_crossings(crossings: dict[Point, Crossing]) -> list[Box]:
    """The smallest rectangles whose four corners are crossings joined by edges: pdfplumber's cells.

    From each crossing (left to right, then top to bottom) the first crossing below it on a shared
    vertical edge and the first one to its right on a shared horizontal edge whose far corner closes the
    rectangle make a cell. A merged header cell has no crossing inside it, so it comes out as one box.
    """
    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for x, y in sorted(crossings):
        below.setdefault(x, []).append(y)
        right.setdefault(y, []).append(x)
    cells: list[Box] = []
    for x, y in sorted(crossings):
        cell = _smallest_cell(crossings, x, y, below[x], right[y])
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    crossings: dict[Point, Crossing], x: float, y: float, ys_at_x: list[float], xs_at_y: list[float]
) -> Box | None:
    corner = crossings[(x, y)]
    for y_below in ys_at_x[bisect.bisect_right(ys_at_x, y) :]:
        below_corner = crossings[(x, y_below)]
        if corner[0].isdisjoint(below_corner[0]):
            continue
        for x_right in xs_at_y[bisect.bisect_right(xs_at_y, x) :]:
            right_corner = crossings[(x_right, y)]
            if corner[1].isdisjoint(right_corner[1]):
                continue
            far = crossings.get((x_right, y_below))
            if (
                far is not None
                and not far[0].isdisjoint(right_corner[0])
                and not far[1].isdisjoint(below_corner[1])
            ):
                return (x, y, x_right, y_below)
    return None


def group_cells(cells: Sequence[Box]) -> list[list[Box]]:
    """Cells grouped into tables by shared corners, tables ordered by their top-left cell.

    pdfplumber's ``cells_to_tables``: a table grows by every cell touching one of its corners until no
    cell does; the rest start the next table. Two tables one above the other with a gap share no corner.
    Single-cell groups (a framed note, a box around a signature) are dropped.
    """
    remaining = list(cells)
    tables: list[list[Box]] = []
    while remaining:
        table, corners = [remaining[0]], set(_corners(remaining[0]))
        remaining = remaining[1:]
        grew = True
        while grew and remaining:
            grew = False
            left: list[Box] = []
            for cell in remaining:
                cell_corners = _corners(cell)
                if any(point in corners for point in cell_corners):
                    table.append(cell)
                    corners.update(cell_corners)
                    grew = True
                else:
                    left.append(cell)
            remaining = left
        tables.append(table)
    tables.sort(key=lambda table: min((cell[1], cell[0]) for cell in table))
    return [table for table in tables if len(table) > 1]


def _corners(cell: Box) -> tuple[Point, Point, Point, Point]:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def table_bbox(cells: Sequence[Box]) -> Box:
    """The box around a table's cells."""
    return (
        min(cell[0] for cell in cells),
        min(cell[1] for cell in cells),
        max(cell[2] for cell in cells),
        max(cell[3] for cell in cells),
    )
