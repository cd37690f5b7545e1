"""Generated plan tables written as real documents, with an oracle that knows their arithmetic.

Six classes of tables, each written the way communes and districts write them (``CLASSES``):

- ``hierarchy``: groups of units with a subtotal row per group ("Cụm 1", "Khu vực II", "Cộng khu vực I", a
  Roman "I" ordinal row) before or after the group's units, and a grand total ("Tổng cộng", "Toàn xã",
  "Cộng") above or below them; or a merged left column ("Khu vực", "Cụm", "Huyện") and no subtotal rows;
- ``index``: an index row under the header ("A | B | 1 | 2 …", "I" for 1, or formulas "(3)=(1)+(2)",
  "(4)=(2)-(3)", "(5)=(4)/(1)×100": a written formula is an identity the table declares);
- ``headers``: header words in varied forms (percent, count, base and flow columns, percents of persons
  beside percents of households, columns named in words no vocabulary knows);
- ``numbers``: number styles ("2,06%", "2 471", "2.471", "2471", "-" or "x" for none, "06", truncated
  percents, seed 002's "1.011" beside "0.69");
- ``row_totals``: a "Tổng 3 năm" / "Tổng" / "Cộng" column summing year or funding-source columns;
- ``money``: items in rows, funding sources in columns, in triệu đồng with one decimal ("1.250,5").

The generator draws the numbers of the unit rows, derives every total and percent from them, and writes
each cell as text. The oracle never calls the checks: ``identities`` lists every identity the table's
structure declares, and ``broken_identities`` recomputes them from the WRITTEN cells (a percent agrees when it
lies within one unit of its last written decimal of count / base × 100; sums and flows are exact).

``write_document`` puts a table into a small plan (issuer, number, date, title, a sentence, the caption
"Biểu: …", the table, a closing part, the signature) as TXT (tab-separated rows or Markdown pipes) or DOCX
(real merged cells), and ``judge`` compares what ``extractor.extract_document`` found with the oracle.

How an extracted cell is matched to a generated one (``match_cells``):
- a row by its label: the extracted row whose label, or one of whose cells, reads (NFC, case-folded,
  spaces collapsed) the generated row's label; every generated label is unique in its table;
- a column by its header path: the extracted column whose path (folded, repeated levels dropped) equals
  the generated one; failing that, by position (the same grid index), since the extracted columns of a
  TXT or DOCX table are the grid's columns.
"""

from __future__ import annotations

import copy
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

from models.extracted import ExtractedDocument
from models.findings import Finding

CLASSES = ("hierarchy", "index", "headers", "numbers", "row_totals", "money")
INJECTION_KINDS = ("count", "percent", "subtotal", "grand_total", "row_total", "money", "swap")
ZERO_MARKS = ("-", "x", "–")

GridCell = tuple[int, int]  # (body row, column): body rows count from the first data row after the header

# ---------------------------------------------------------------------------------------------------------
# Vocabulary: names and header words as plans write them.
# ---------------------------------------------------------------------------------------------------------

PLACE_NAMES = (
    "Nà Pồng",
    "Co Muông",
    "Bản Vặt",
    "Khuổi Hoa",
    "Nà Sang",
    "Pác Ngòi",
    "Bản Chang",
    "Nà Hiên",
    "Phiêng Luông",
    "Đông",
    "Tây",
    "Trung",
    "Làng Mới",
    "Tân Tiến",
    "Tân Lập",
    "Đồng Tâm",
    "Hòa Bình",
    "Quyết Thắng",
    "Thống Nhất",
    "Đoàn Kết",
    "Cao Sơn",
    "Hợp Thành",
    "Khả Lý",
    "Đình Cả",
    "Đông Long",
    "Nà Mòn",
    "Bó Đướng",
    "Cốc Lùng",
    "Pù Lầu",
    "Nậm Cắn",
    "Huổi Một",
    "Tà Xùa",
    "Suối Thầu",
    "Lũng Vài",
    "Minh Khai",
    "Quang Trung",
    "Lê Lợi",
    "Yên Thịnh",
    "Phú Lộc",
    "Thạch Bàn",
    "Hưng Đạo",
    "Vĩnh Phúc",
)
UNIT_PREFIXES = ("Thôn", "Bản", "TDP", "Khu phố", "Tổ dân phố")
DISTRICT_UNIT_PREFIXES = ("Xã", "Xã", "Xã", "Thị trấn")
GROUP_NAMES = (
    ("Cụm 1", "Cụm 2", "Cụm 3", "Cụm 4"),
    ("Khu vực I", "Khu vực II", "Khu vực III", "Khu vực IV"),
    ("Vùng thấp", "Vùng giữa", "Vùng cao", "Vùng sâu"),
    ("Khu vực phía Bắc", "Khu vực phía Nam", "Khu vực phía Đông", "Khu vực phía Tây"),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
COMMUNE_TOTALS = ("Tổng cộng", "Toàn xã", "Cộng", "Tổng")
DISTRICT_TOTALS = ("Tổng cộng", "Toàn huyện", "Cộng")
PERCENT_NAMES = ("Tỷ lệ %", "Tỷ lệ (%)", "TL", "%", "Tỷ lệ % (hộ)")
COUNT_NAMES = ("Số hộ", "TS", "Số lượng")
PERSON_COUNT_NAMES = ("Số người", "Khẩu", "Số khẩu")
BASE_NAMES = ("Tổng số hộ", "Tổng số hộ dân cư", "Số hộ toàn thôn")
PERSON_BASE_NAMES = ("Số khẩu", "Dân số", "Số nhân khẩu")
START_NAMES = ("Đầu năm 2025", "Hộ nghèo đầu năm", "Cuối năm 2024", "Phê duyệt cuối năm 2024")
OUT_NAMES = ("Dự kiến giảm", "Thoát nghèo", "Giảm trong năm", "Có khả năng thoát nghèo 2025")
NEW_NAME_SETS = ((), ("Phát sinh",), ("Phát sinh mới",), ("Tái nghèo",), ("Phát sinh mới", "Tái nghèo"))
END_NAMES = ("Cuối năm", "Dự kiến cuối năm 2025", "Cuối năm 2025")
SOURCE_NAMES = ("Trung ương", "Tỉnh", "Huyện", "Xã", "Xã hội hóa")
MONEY_ITEMS = (
    "Hỗ trợ phát triển sản xuất",
    "Đào tạo nghề cho lao động nông thôn",
    "Hỗ trợ nhà ở cho hộ nghèo",
    "Hỗ trợ đóng bảo hiểm y tế",
    "Truyền thông và giảm nghèo về thông tin",
    "Nâng cao năng lực cán bộ",
    "Hỗ trợ việc làm bền vững",
    "Cải thiện dinh dưỡng trẻ em",
    "Xây dựng mô hình sinh kế",
    "Sửa chữa nhà văn hóa thôn",
    "Hỗ trợ nước sinh hoạt phân tán",
    "Kiểm tra, giám sát, đánh giá",
)
SIGNERS = ("Nguyễn Văn An", "Lò Văn Thành", "Hoàng Thị Mai", "Triệu Văn Sinh", "Lương Thị Hoa")
POVERTY_CAPTION = "Biểu: Chỉ tiêu giảm nghèo giao các thôn năm 2025"
TOPICS = (
    ("bhyt", "Dân số", "Số người tham gia BHYT", "Tỷ lệ bao phủ (%)", "Biểu: Chỉ tiêu bao phủ BHYT năm 2025"),
    (
        "water",
        "Tổng số hộ",
        "Số hộ sử dụng nước hợp vệ sinh",
        "Tỷ lệ (%)",
        "Biểu: Hộ sử dụng nước sạch năm 2025",
    ),
    ("training", "Số lao động", "Lao động qua đào tạo", "Tỷ lệ %", "Biểu: Chỉ tiêu đào tạo nghề năm 2025"),
)

# ---------------------------------------------------------------------------------------------------------
# The table model.
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberStyle:
    """How a column writes its numbers: "2.471" / "2 471" / "2471", "1,94" / "0.69", "-" for 0, "2,06%"."""

    thousands: str = "."
    decimal: str = ","
    zero: str = "0"
    percent_sign: bool = False
    leading_zero: bool = False
    truncate: bool = False


@dataclass
class GenColumn:
    """One generated column: its header path, what it holds and, for a derived column, how it is computed.

    ``terms`` makes the column a linear combination of others (a flow's end, a row total, a formula);
    ``ratio`` makes it a percent: (numerator columns, base column). ``identity`` names the identity either
    declares; ``mark`` is what the index row writes over the column.
    """

    path: tuple[str, ...]
    kind: str  # "ordinal" | "group" | "label" | "count" | "percent" | "money"
    style: NumberStyle = NumberStyle()
    decimals: int = 0
    additive: bool = False
    terms: tuple[tuple[int, int], ...] = ()
    ratio: tuple[tuple[int, ...], int] | None = None
    identity: str = ""
    mark: str = ""

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers."""
        return self.kind in ("count", "percent", "money")


@dataclass
class GenRow:
    """One body row: its kind, ordinal and label, the merged left column's text, exact values and text."""

    kind: str  # "unit" | "subtotal" | "total"
    ordinal: str
    label: str
    group: str = ""
    values: dict[int, Decimal] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)


@dataclass
class GeneratedTable:
    """A generated table with what the document around it says, and the sums its structure declares.

    ``sums`` lists (row, the rows it adds up, "subtotal" or "total"). ``group_column`` is the merged left
    column's index, when there is one.
    """

    table_class: str
    variant: str
    columns: list[GenColumn]
    rows: list[GenRow]
    sums: list[tuple[int, tuple[int, ...], str]]
    caption: str
    unit_line: str
    topic: str
    level: str  # "xã" or "huyện"
    index_row: bool = False
    group_column: int | None = None
    merge_total_label: bool = False
    flags: tuple[str, ...] = ()

    def column_index(self, kind: str) -> int:
        """The index of the first column of ``kind``."""
        return next(index for index, column in enumerate(self.columns) if column.kind == kind)


@dataclass(frozen=True)
class Identity:
    """target = Σ coefficient × term, or (with ``base``) target = Σ terms / base × 100 (a percent)."""

    kind: str
    target: GridCell
    terms: tuple[tuple[int, GridCell], ...]
    base: GridCell | None = None

    @property
    def cells(self) -> tuple[GridCell, ...]:
        """Every cell the identity involves: the target, its terms and its base."""
        base = (self.base,) if self.base is not None else ()
        return (self.target, *(cell for _, cell in self.terms), *base)

    def signature(self) -> tuple:
        """What makes two identities the same one (a formula restating a flow is one identity)."""
        return (self.target, tuple(sorted(self.terms)), self.base)


@dataclass(frozen=True)
class Injection:
    """One changed cell: what kind of cell it is, where, and its text before and after."""

    kind: str
    cell: GridCell
    old: str
    new: str


# ---------------------------------------------------------------------------------------------------------
# Numbers: writing and reading them as the column writes them.
# ---------------------------------------------------------------------------------------------------------


def group_thousands(whole: str, separator: str) -> str:
    """Group the digits of a whole number by thousands: "2471" -> "2.471" with ".", "2 471" with " "."""
    if not separator or len(whole) <= 3:
        return whole
    head = len(whole) % 3 or 3
    return separator.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])


def format_fixed(value: Decimal, decimals: int, style: NumberStyle, group: bool) -> str:
    """A non-negative number with ``decimals`` decimals in the column's style."""
    whole, _, fraction = f"{value:.{decimals}f}".partition(".")
    if group:
        whole = group_thousands(whole, style.thousands)
    if style.leading_zero and decimals == 0 and len(whole) == 1:
        whole = "0" + whole
    return whole + (style.decimal + fraction if decimals else "")


def write_number(value: Decimal, column: GenColumn) -> str:
    """The text a plan writes for ``value`` in ``column``: a percent rounded or truncated to the column's
    decimals (with its "%" when the style writes one), a count or money grouped in thousands, "-" for 0."""
    style = column.style
    if value == 0 and style.zero != "0":
        return style.zero
    if column.kind == "percent":
        rounding = ROUND_DOWN if style.truncate else ROUND_HALF_UP
        stated = value.quantize(Decimal(1).scaleb(-column.decimals), rounding=rounding)
        return format_fixed(stated, column.decimals, style, group=False) + ("%" if style.percent_sign else "")
    return format_fixed(value, column.decimals, style, group=True)


def number_body(text: str, column: GenColumn) -> str:
    """The digits and the decimal mark of a written number, without "%", spaces and thousands marks."""
    body = text.replace("%", "").strip()
    if column.style.thousands and column.style.thousands != column.style.decimal:
        body = body.replace(column.style.thousands, "")
    return body.replace(" ", "")


def read_number(text: str, column: GenColumn) -> Decimal:
    """The value of a written cell as its column writes numbers ("-", "x" and "" are 0)."""
    body = number_body(text, column)
    if body in ZERO_MARKS or not body:
        return Decimal(0)
    return Decimal(body.replace(column.style.decimal, "."))


def written_decimals(text: str, column: GenColumn) -> int:
    """How many decimals a written cell states ("-" states the column's own)."""
    body = number_body(text, column)
    if body in ZERO_MARKS or not body:
        return column.decimals
    return len(body.split(column.style.decimal, 1)[1]) if column.style.decimal in body else 0


# ---------------------------------------------------------------------------------------------------------
# The oracle.
# ---------------------------------------------------------------------------------------------------------


def identities(table: GeneratedTable) -> list[Identity]:
    """Every identity the table's structure declares: each derived column (flow end, row total, formula)
    and each percent on every row, and each additive column's subtotals and grand total."""
    found: dict[tuple, Identity] = {}
    for row in range(len(table.rows)):
        for index, column in enumerate(table.columns):
            if column.terms:
                terms = tuple((coefficient, (row, term)) for coefficient, term in column.terms)
                identity = Identity(column.identity, (row, index), terms)
            elif column.ratio is not None:
                counts, base = column.ratio
                terms = tuple((1, (row, count)) for count in counts)
                identity = Identity(column.identity or "percent", (row, index), terms, (row, base))
            else:
                continue
            found.setdefault(identity.signature(), identity)
    for total_row, members, kind in table.sums:
        for index, column in enumerate(table.columns):
            if column.additive:
                identity = Identity(kind, (total_row, index), tuple((1, (m, index)) for m in members))
                found.setdefault(identity.signature(), identity)
    return list(found.values())


def cell_value(table: GeneratedTable, cell: GridCell) -> Decimal:
    """The value written in one body cell."""
    row, column = cell
    return read_number(table.rows[row].cells[column], table.columns[column])


def holds(identity: Identity, table: GeneratedTable) -> bool:
    """Whether the written cells keep ``identity``: exactly for sums, within one unit of the percent's last
    written decimal for percents."""
    target = cell_value(table, identity.target)
    total = sum((coefficient * cell_value(table, cell) for coefficient, cell in identity.terms), Decimal(0))
    if identity.base is None:
        return total == target
    base = cell_value(table, identity.base)
    if base == 0:
        return total == 0 and target == 0
    row, column = identity.target
    unit = Decimal(1).scaleb(-written_decimals(table.rows[row].cells[column], table.columns[column]))
    return abs(total * 100 / base - target) < unit


def broken_identities(table: GeneratedTable) -> list[Identity]:
    """The identities the written cells break."""
    return [identity for identity in identities(table) if not holds(identity, table)]


def broken_cells(table: GeneratedTable) -> set[GridCell]:
    """Every cell of a broken identity."""
    return {cell for identity in broken_identities(table) for cell in identity.cells}


# ---------------------------------------------------------------------------------------------------------
# Filling a table: draw unit rows, derive totals and percents, write the cells.
# ---------------------------------------------------------------------------------------------------------

Draw = Callable[[random.Random], dict[int, Decimal]]


def derive(values: dict[int, Decimal], columns: list[GenColumn]) -> None:
    """Compute every derived column of one row from the columns it combines (in dependency order)."""
    pending = [index for index, column in enumerate(columns) if column.terms]
    while pending:
        ready = [i for i in pending if all(term in values for _, term in columns[i].terms)]
        if not ready:
            raise ValueError("derived columns depend on each other in a circle")
        for index in ready:
            values[index] = sum((c * values[t] for c, t in columns[index].terms), Decimal(0))
            pending.remove(index)


def fill(table: GeneratedTable, rng: random.Random, draw: Draw) -> GeneratedTable:
    """Draw every unit row, add the subtotal and total rows up, compute the percents and write the cells."""
    for row in table.rows:
        if row.kind == "unit":
            row.values = draw(rng)
            derive(row.values, table.columns)
    for total_row, members, _ in table.sums:
        target = table.rows[total_row]
        for index, column in enumerate(table.columns):
            if column.additive:
                target.values[index] = sum((table.rows[m].values[index] for m in members), Decimal(0))
        derive(target.values, table.columns)
    for row in table.rows:
        for index, column in enumerate(table.columns):
            if column.ratio is not None:
                counts, base = column.ratio
                numerator = sum((row.values[c] for c in counts), Decimal(0))
                row.values[index] = numerator * 100 / row.values[base] if row.values[base] else Decimal(0)
        row.cells = [row_text(row, index, column) for index, column in enumerate(table.columns)]
    return table


def row_text(row: GenRow, index: int, column: GenColumn) -> str:
    """What the row writes in one column."""
    if column.kind == "ordinal":
        return row.ordinal
    if column.kind == "label":
        return row.label
    if column.kind == "group":
        return row.group
    return write_number(row.values[index], column)


# ---------------------------------------------------------------------------------------------------------
# Rows: units, groups with their subtotal rows, the grand total.
# ---------------------------------------------------------------------------------------------------------


def unit_names(rng: random.Random, count: int, level: str) -> list[str]:
    """``count`` distinct unit labels ("Thôn Nà Pồng", "TDP Đông Long", "Xã Cao Sơn")."""
    prefixes = DISTRICT_UNIT_PREFIXES if level == "huyện" else UNIT_PREFIXES
    prefix = rng.choice(prefixes)
    names = rng.sample([name for name in PLACE_NAMES if not name.startswith(prefix)], count)
    return [f"{rng.choice(prefixes) if level == 'huyện' else prefix} {name}" for name in names]


def total_label(rng: random.Random, level: str) -> str:
    """A grand total's label at the table's level ("Toàn xã", "Toàn huyện", "Tổng cộng", "Cộng")."""
    return rng.choice(DISTRICT_TOTALS if level == "huyện" else COMMUNE_TOTALS)


def flat_rows(
    rng: random.Random, count: int, level: str
) -> tuple[list[GenRow], list[tuple[int, tuple[int, ...], str]]]:
    """Unit rows numbered 1 … n and a grand total below them (or above them, a quarter of the time)."""
    labels = unit_names(rng, count, level)
    units = [GenRow("unit", str(n + 1), label) for n, label in enumerate(labels)]
    total = GenRow("total", "", total_label(rng, level))
    top = rng.random() < 0.25
    rows = [total, *units] if top else [*units, total]
    total_index = 0 if top else len(units)
    members = tuple(i for i, row in enumerate(rows) if row.kind == "unit")
    return rows, [(total_index, members, "total")]


def grouped_rows(
    rng: random.Random, level: str, placement: str
) -> tuple[list[GenRow], list[tuple[int, tuple[int, ...], str]], str]:
    """Units in 2-4 groups. ``placement`` "before" / "after": a subtotal row per group before or after its
    units, the grand total summing the subtotals; "merged": a left column naming the group on its rows, the
    grand total summing the units. Returns the rows, their sums and the name of the grouping."""
    group_count = rng.randint(2, 4)
    sizes = [rng.randint(1, 5) for _ in range(group_count)]
    names = rng.choice(GROUP_NAMES[1:2] if level == "huyện" and rng.random() < 0.6 else GROUP_NAMES)
    labels = iter(unit_names(rng, sum(sizes), level))
    restart = rng.random() < 0.3
    roman = placement == "before" and rng.random() < 0.6
    rows: list[GenRow] = []
    subtotals: list[tuple[int, list[int]]] = []
    number = 0
    for group, size in enumerate(sizes):
        name = names[group]
        number = 0 if restart else number
        subtotal_label = name if placement == "before" else f"Cộng {name[0].lower()}{name[1:]}"
        subtotal = GenRow("subtotal", ROMAN[group] if roman else "", subtotal_label)
        if placement == "before":
            subtotal_index = len(rows)
            rows.append(subtotal)
        members = []
        for position in range(size):
            number += 1
            members.append(len(rows))
            group_text = name if placement == "merged" and position == 0 else ""
            rows.append(GenRow("unit", str(number), next(labels), group=group_text))
        if placement == "after":
            subtotal_index = len(rows)
            rows.append(subtotal)
        if placement != "merged":
            subtotals.append((subtotal_index, members))
    total = GenRow("total", "", total_label(rng, level))
    top = rng.random() < 0.25
    if top:
        rows.insert(0, total)
        subtotals = [(s + 1, [m + 1 for m in members]) for s, members in subtotals]
    total_index = 0 if top else len(rows)
    if not top:
        rows.append(total)
    sums = [(s, tuple(members), "subtotal") for s, members in subtotals]
    if placement == "merged":
        sums.append((total_index, tuple(i for i, row in enumerate(rows) if row.kind == "unit"), "total"))
    else:
        sums.append((total_index, tuple(s for s, _ in subtotals), "total"))
    grouping = names[0].rsplit(" ", 1)[0] if names[0].startswith(("Cụm", "Khu vực I")) else "Khu vực"
    return rows, sums, grouping


# ---------------------------------------------------------------------------------------------------------
# Column builders.
# ---------------------------------------------------------------------------------------------------------


def ordinal_column(rng: random.Random) -> GenColumn:
    """The ordinal column ("TT" or "STT")."""
    return GenColumn((rng.choice(("TT", "STT")),), "ordinal")


def label_column(level: str, rng: random.Random) -> GenColumn:
    """The unit column ("Thôn", "Tên thôn" in a commune; "Xã, thị trấn", "Đơn vị" in a district)."""
    names = ("Xã, thị trấn", "Đơn vị", "Tên xã") if level == "huyện" else ("Thôn", "Tên thôn", "Thôn, bản")
    return GenColumn((rng.choice(names),), "label")


def count_column(path: tuple[str, ...], style: NumberStyle, **extra) -> GenColumn:
    """An additive count column (units add up to subtotals and totals)."""
    return GenColumn(path, "count", style=style, additive=True, **extra)


def percent_column(
    path: tuple[str, ...], count: int, base: int, style: NumberStyle, decimals: int, identity: str = "percent"
) -> GenColumn:
    """A percent column: the count column over the base column × 100."""
    return GenColumn(
        path, "percent", style=style, decimals=decimals, ratio=((count,), base), identity=identity
    )


def households_range(level: str) -> tuple[int, int]:
    """How many households a unit has: a thôn tens to hundreds, a xã hundreds to thousands."""
    return (600, 6000) if level == "huyện" else (40, 900)


def poverty_draw(base: int, counts: dict[int, tuple[str, int]], level: str) -> Draw:
    """Draws the base and each independent count of a unit: ``counts`` maps a column to ("start", ·),
    ("out", start column) or ("in", ·). Starts are up to 15 % of the base, reductions up to the start."""
    low, high = households_range(level)

    def draw(rng: random.Random) -> dict[int, Decimal]:
        """The independent values of one unit row."""
        households = rng.randint(low, high)
        values = {base: Decimal(households)}
        for column, (role, source) in sorted(counts.items()):
            if role == "start":
                values[column] = Decimal(rng.randint(0, max(1, households * rng.randint(1, 15) // 100)))
            elif role == "out":
                values[column] = Decimal(rng.randint(0, int(values[source])))
            else:
                values[column] = Decimal(rng.choice((0, 0, 1, 2, 3)))
        return values

    return draw


# ---------------------------------------------------------------------------------------------------------
# Class 1: row hierarchy.
# ---------------------------------------------------------------------------------------------------------


def build_hierarchy(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """Households and poor (and near-poor) households with their percents, units in groups."""
    level = rng.choice(("xã", "huyện"))
    placement = rng.choice(("before", "after", "merged"))
    rows, sums, grouping = grouped_rows(rng, level, placement)
    style = NumberStyle()
    columns = [ordinal_column(rng)]
    group_column = None
    if placement == "merged":
        group_column = len(columns)
        columns.append(GenColumn((grouping if level == "xã" else rng.choice((grouping, "Huyện")),), "group"))
    columns.append(label_column(level, rng))
    base = len(columns)
    columns.append(count_column((rng.choice(("Tổng số hộ", "Tổng số hộ dân cư")),), style))
    counts: dict[int, tuple[str, int]] = {}
    decimals = rng.choice((1, 2, 2))
    percent_name = rng.choice(("Tỷ lệ %", "Tỷ lệ (%)"))
    for population in ("Hộ nghèo", "Hộ cận nghèo")[: rng.randint(1, 2)]:
        counts[len(columns)] = ("start", 0)
        columns.append(count_column((population, "Số hộ"), style))
        columns.append(percent_column((population, percent_name), len(columns) - 1, base, style, decimals))
    variant = {"before": "subtotal_before", "after": "subtotal_after", "merged": "merged_left"}[placement]
    if placement == "before" and rows[1 if rows[0].kind == "total" else 0].ordinal:
        variant = "roman_before"
    table = GeneratedTable(
        "hierarchy",
        variant,
        columns,
        rows,
        sums,
        caption=f"Biểu: Hộ nghèo, hộ cận nghèo theo {grouping.lower()} năm 2025",
        unit_line="(Đơn vị tính: hộ)",
        topic="poverty",
        level=level,
        group_column=group_column,
        merge_total_label=placement == "merged" and rng.random() < 0.5,
        flags=("total on top",) if rows[0].kind == "total" else (),
    )
    return table, poverty_draw(base, counts, level)


# ---------------------------------------------------------------------------------------------------------
# Class 2: index rows and formulas.
# ---------------------------------------------------------------------------------------------------------


def formula_reference(number: int, parens: bool) -> str:
    """A column number in a formula: "(3)" or "3"."""
    return f"({number})" if parens else str(number)


def linear_formula(target: int, terms: Iterable[tuple[int, int]], parens: bool) -> str:
    """ "(5)=(2)-(3)+(4)" from the column numbers of the target and its terms."""
    text = formula_reference(target, parens) + "="
    for position, (coefficient, number) in enumerate(terms):
        sign = "-" if coefficient < 0 else "+"
        text += ("" if position == 0 and sign == "+" else sign) + formula_reference(number, parens)
    return text


def ratio_formula(target: int, count: int, base: int, rng: random.Random) -> str:
    """ "(6)=(5)/(1)×100", "(6)=(5)/(1)*100" or "6=5/1x100"."""
    parens = rng.random() < 0.7
    times = rng.choice(("×", "*", "x")) if parens else "x"
    return (
        f"{formula_reference(target, parens)}={formula_reference(count, parens)}/"
        f"{formula_reference(base, parens)}{times}100"
    )


def mark_index_row(table: GeneratedTable, rng: random.Random, style: str) -> None:
    """Write the index row: "A", "B" (, "C") over the text columns, then 1, 2, 3 … ("I" for 1 in the
    ``roman_one`` style) or, in the ``formula`` style, "(1)" … with each derived column's formula."""
    numbers: dict[int, int] = {}
    letters = iter("ABCDE")
    for index, column in enumerate(table.columns):
        if not column.numeric:
            column.mark = next(letters)
            continue
        numbers[index] = len(numbers) + 1
        column.mark = str(numbers[index])
    if style == "roman_one":
        first = min(numbers)
        table.columns[first].mark = "I"
    if style != "formula":
        return
    parens = rng.random() < 0.7
    for index, column in enumerate(table.columns):
        if not column.numeric:
            continue
        if column.terms:
            terms = [(coefficient, numbers[term]) for coefficient, term in column.terms]
            column.mark = linear_formula(numbers[index], terms, parens)
            column.identity = "formula"
        elif column.ratio is not None:
            (count,), base = column.ratio
            column.mark = ratio_formula(numbers[index], numbers[count], numbers[base], rng)
            column.identity = "formula"
        else:
            column.mark = formula_reference(numbers[index], parens)


IndexVariant = tuple[str, str, Draw]  # topic, caption, how a unit is drawn


def index_flow_columns(
    rng: random.Random, columns: list[GenColumn], level: str, decimals: int
) -> IndexVariant:
    """Households, poor at the start, out (thoát nghèo), maybe new (phát sinh mới), the end = start − out
    + new, the end's percent; one header row, or "Hộ nghèo" over the flow."""
    style = NumberStyle()
    prefix = ("Hộ nghèo",) if rng.random() < 0.5 else ()
    base = len(columns)
    columns.append(count_column(("Tổng số hộ",), style))
    start, out = base + 1, base + 2
    counts: dict[int, tuple[str, int]] = {start: ("start", 0), out: ("out", start)}
    columns.append(count_column((*prefix, "Đầu năm" if prefix else "Hộ nghèo đầu năm"), style))
    columns.append(count_column((*prefix, rng.choice(("Thoát nghèo", "Dự kiến giảm"))), style))
    terms = [(1, start), (-1, out)]
    if rng.random() < 0.6:
        counts[len(columns)] = ("in", 0)
        terms.append((1, len(columns)))
        columns.append(count_column((*prefix, "Phát sinh mới"), style))
    end = len(columns)
    end_path = (*prefix, "Cuối năm" if prefix else "Hộ nghèo cuối năm")
    columns.append(count_column(end_path, style, terms=tuple(terms), identity="flow"))
    columns.append(percent_column(("Tỷ lệ hộ nghèo cuối năm (%)",), end, base, style, decimals))
    return "poverty", POVERTY_CAPTION, poverty_draw(base, counts, level)


def index_sum_columns(
    rng: random.Random, columns: list[GenColumn], level: str, decimals: int
) -> IndexVariant:
    """Poor and near-poor households, their sum "(3)=(1)+(2)", the households and the sum's percent."""
    style = NumberStyle()
    poor, near = len(columns), len(columns) + 1
    columns.append(count_column(("Hộ nghèo",), style))
    columns.append(count_column(("Hộ cận nghèo",), style))
    both = len(columns)
    terms = ((1, poor), (1, near))
    columns.append(count_column(("Tổng số hộ nghèo và cận nghèo",), style, terms=terms, identity="sum"))
    base = len(columns)
    columns.append(count_column(("Tổng số hộ dân cư",), style))
    columns.append(percent_column(("Tỷ lệ (%)",), both, base, style, decimals))
    counts = {poor: ("start", 0), near: ("start", 0)}
    return "poverty", "Biểu: Hộ nghèo, hộ cận nghèo cuối năm 2024", poverty_draw(base, counts, level)


def index_unknown_columns(
    rng: random.Random, columns: list[GenColumn], level: str, decimals: int
) -> IndexVariant:
    """Files received, online, on paper "(3)=(1)-(2)" and "Kết quả" "(4)=(2)/(1)×100": words no vocabulary
    knows, so only the formulas declare the identities."""
    style = NumberStyle()
    base, online = len(columns), len(columns) + 1
    columns.append(count_column(("Hồ sơ tiếp nhận",), style))
    columns.append(count_column(("Hồ sơ trực tuyến",), style))
    terms = ((1, base), (-1, online))
    columns.append(count_column(("Hồ sơ trực tiếp",), style, terms=terms, identity="difference"))
    columns.append(percent_column(("Kết quả",), online, base, style, decimals))
    caption = "Biểu: Kết quả tiếp nhận hồ sơ trực tuyến năm 2024"
    return "digital", caption, poverty_draw(base, {online: ("out", base)}, level)


INDEX_VARIANTS: dict[str, Callable[..., IndexVariant]] = {
    "flow": index_flow_columns,
    "sum": index_sum_columns,
    "unknown": index_unknown_columns,
}


def build_index(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """A poverty flow, a sum of poor and near-poor, or a table in words no vocabulary knows, with an index
    row under the header: letters and numbers, "I" for 1, or formulas (always for the sum and the unknown
    words, whose identities only the formulas declare)."""
    level = rng.choice(("xã", "huyện"))
    variant = rng.choice(("flow", "flow", "sum", "unknown"))
    index_style = rng.choice(("letters", "roman_one", "formula")) if variant == "flow" else "formula"
    rows, sums = flat_rows(rng, rng.randint(2, 9), level)
    columns = [ordinal_column(rng), label_column(level, rng)]
    topic, caption, draw = INDEX_VARIANTS[variant](rng, columns, level, rng.choice((1, 2)))
    table = GeneratedTable(
        "index", f"{variant}_{index_style}", columns, rows, sums, caption, "", topic, level, index_row=True
    )
    mark_index_row(table, rng, index_style)
    return table, draw


# ---------------------------------------------------------------------------------------------------------
# Class 3: header words.
# ---------------------------------------------------------------------------------------------------------


HeaderVariant = tuple[str, str, str, str, Draw]  # variant, topic, caption, unit line, how a unit is drawn


def household_base(rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle) -> int:
    """Append the households column ("Tổng số hộ", "Tổng số hộ dân cư", "Số hộ toàn thôn"); its index."""
    names = BASE_NAMES[:2] if level == "huyện" else BASE_NAMES
    columns.append(count_column((rng.choice(names),), style))
    return len(columns) - 1


def names_headers(
    rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle, decimals: int
) -> HeaderVariant:
    """Households, then poor (and near-poor) households, each a count and a percent in varied words."""
    base = household_base(rng, columns, level, style)
    counts: dict[int, tuple[str, int]] = {}
    count_name, percent_name = rng.choice(COUNT_NAMES), rng.choice(PERCENT_NAMES)
    for population in ("Hộ nghèo", "Hộ cận nghèo")[: rng.randint(1, 2)]:
        counts[len(columns)] = ("start", 0)
        columns.append(count_column((population, count_name), style))
        columns.append(percent_column((population, percent_name), len(columns) - 1, base, style, decimals))
    return "names", "poverty", POVERTY_CAPTION, "(Đơn vị tính: hộ)", poverty_draw(base, counts, level)


def flow_headers(
    rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle, decimals: int
) -> HeaderVariant:
    """Households, then a flow: start, a reduction, zero to two new (phát sinh, tái nghèo) and the end, each
    a count and its percent of the households, under "HỘ NGHÈO" or not."""
    base = household_base(rng, columns, level, style)
    counts: dict[int, tuple[str, int]] = {}
    percent_name, count_name = rng.choice(PERCENT_NAMES), rng.choice(COUNT_NAMES)
    top = ("HỘ NGHÈO",) if rng.random() < 0.5 else ()
    start = len(columns)
    terms = [(1, start)]
    steps = [("start", rng.choice(START_NAMES)), ("out", rng.choice(OUT_NAMES))]
    steps += [("in", name) for name in rng.choice(NEW_NAME_SETS)]
    for role, name in steps:
        index = len(columns)
        counts[index] = (role, start)
        if role != "start":
            terms.append((-1 if role == "out" else 1, index))
        columns.append(count_column((*top, name, count_name), style))
        columns.append(percent_column((*top, name, percent_name), index, base, style, decimals))
    end = len(columns)
    end_name = rng.choice(END_NAMES)
    columns.append(count_column((*top, end_name, count_name), style, terms=tuple(terms), identity="flow"))
    columns.append(percent_column((*top, end_name, percent_name), end, base, style, decimals))
    return "flows", "poverty", POVERTY_CAPTION, "(Đơn vị tính: hộ)", poverty_draw(base, counts, level)


def persons_headers(
    rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle, decimals: int
) -> HeaderVariant:
    """Households and persons ("Số khẩu", "Dân số"), poor households as a percent of the households beside
    poor persons ("Khẩu", "Số người") as a percent of the persons."""
    base = household_base(rng, columns, level, style)
    persons = len(columns)
    columns.append(count_column((rng.choice(PERSON_BASE_NAMES),), style))
    counts: dict[int, tuple[str, int]] = {len(columns): ("start", 0)}
    columns.append(count_column(("Hộ nghèo", rng.choice(("Số hộ", "TS"))), style))
    columns.append(percent_column(("Hộ nghèo", "Tỷ lệ %"), len(columns) - 1, base, style, decimals))
    counts[len(columns)] = ("persons", 0)
    person_group = rng.choice(("Khẩu nghèo", "Nhân khẩu nghèo", "Người nghèo"))
    columns.append(count_column((person_group, rng.choice(PERSON_COUNT_NAMES)), style))
    columns.append(percent_column((person_group, "Tỷ lệ %"), len(columns) - 1, persons, style, decimals))
    caption = "Biểu: Hộ nghèo, khẩu nghèo các thôn cuối năm 2024"
    return "persons", "poverty", caption, "", persons_draw(base, persons, counts, level)


def topic_headers(
    rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle, decimals: int
) -> HeaderVariant:
    """Beyond poverty: BHYT on the population, clean water on households, training on the workforce."""
    topic, base_name, count_name, percent_name, caption = rng.choice(TOPICS)
    base = len(columns)
    columns.append(count_column((base_name,), style))
    counts = {len(columns): ("share", base)}
    columns.append(count_column((count_name,), style))
    columns.append(percent_column((percent_name,), len(columns) - 1, base, style, decimals))
    return "topics", topic, caption, "", share_draw(base, counts, level)


def unknown_headers(
    rng: random.Random, columns: list[GenColumn], level: str, style: NumberStyle, decimals: int
) -> HeaderVariant:
    """Words no vocabulary knows ("Tổng hồ sơ", "Đã thực hiện", "Kết quả"): a percent column named only by
    its numbers, with "%" in its cells (``unknown_sign``) or bare (``unknown_plain``)."""
    sign = rng.random() < 0.5
    base = len(columns)
    columns.append(count_column((rng.choice(("Tổng hồ sơ", "Tổng số")),), style))
    counts = {len(columns): ("share", base)}
    columns.append(count_column((rng.choice(("Hồ sơ trực tuyến", "Đã thực hiện")),), style))
    name = (rng.choice(("Kết quả", "Đạt", "Năm 2025")),)
    columns.append(percent_column(name, len(columns) - 1, base, NumberStyle(percent_sign=sign), 2))
    variant = "unknown_sign" if sign else "unknown_plain"
    caption = "Biểu: Kết quả giải quyết hồ sơ năm 2024"
    return variant, "digital", caption, "", share_draw(base, counts, level)


HEADER_VARIANTS: dict[str, Callable[..., HeaderVariant]] = {
    "names": names_headers,
    "flows": flow_headers,
    "persons": persons_headers,
    "topics": topic_headers,
    "unknown": unknown_headers,
}


def build_headers(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """Per-unit tables whose headers vary: percent, count and base names; flows; percents of persons
    beside percents of households; topics beyond poverty; and columns named in words no vocabulary knows."""
    level = rng.choice(("xã", "huyện"))
    rows, sums = flat_rows(rng, rng.randint(2, 9), level)
    columns = [ordinal_column(rng), label_column(level, rng)]
    add_columns = HEADER_VARIANTS[rng.choice(sorted(HEADER_VARIANTS))]
    variant, topic, caption, unit_line, draw = add_columns(
        rng, columns, level, NumberStyle(), rng.choice((1, 2, 2))
    )
    return GeneratedTable("headers", variant, columns, rows, sums, caption, unit_line, topic, level), draw


def share_draw(base: int, counts: dict[int, tuple[str, int]], level: str) -> Draw:
    """Like ``poverty_draw``, with "share" counts: a part of the base (participants, online files)."""
    poverty = poverty_draw(base, {c: r for c, r in counts.items() if r[0] != "share"}, level)

    def draw(rng: random.Random) -> dict[int, Decimal]:
        """The independent values of one unit row."""
        values = poverty(rng)
        for column, (role, source) in counts.items():
            if role == "share":
                whole = int(values[source])
                values[column] = Decimal(rng.randint(whole // 3, whole))
        return values

    return draw


def persons_draw(base: int, persons: int, counts: dict[int, tuple[str, int]], level: str) -> Draw:
    """Households and persons (about four a household); poor persons about four per poor household."""
    poverty = poverty_draw(base, {c: r for c, r in counts.items() if r[0] != "persons"}, level)

    def draw(rng: random.Random) -> dict[int, Decimal]:
        """The independent values of one unit row."""
        values = poverty(rng)
        values[persons] = values[base] * rng.randint(35, 48) // 10
        poor = next(values[c] for c, (role, _) in counts.items() if role == "start")
        for column, (role, _) in counts.items():
            if role == "persons":
                values[column] = min(values[persons], poor * rng.randint(30, 55) // 10)
        return values

    return draw


# ---------------------------------------------------------------------------------------------------------
# Class 4: number styles.
# ---------------------------------------------------------------------------------------------------------


def number_style(rng: random.Random) -> tuple[str, NumberStyle, NumberStyle, tuple[str, ...]]:
    """A style for counts and one for percents, the variant's name and its flags."""
    variant = rng.choice(("dot", "space", "none", "mixed_en"))
    thousands = {"dot": ".", "space": " ", "none": "", "mixed_en": "."}[variant]
    zero = rng.choice(("0", "0", "-", "x"))
    sign = rng.random() < 0.3
    truncate = rng.random() < 0.4
    leading = rng.random() < 0.15
    counts = NumberStyle(thousands=thousands, zero=zero, leading_zero=leading)
    decimal = "." if variant == "mixed_en" else ","
    percents = NumberStyle(thousands="", decimal=decimal, zero=zero, percent_sign=sign, truncate=truncate)
    flags = tuple(
        flag
        for flag, on in (
            (f"zero {zero!r}", zero != "0"),
            ("% in cells", sign),
            ("truncated", truncate),
            ("leading zeros", leading),
        )
        if on
    )
    return variant, counts, percents, flags


def build_numbers(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """Seed 002's table (households; start, reduction and end, each with its percent) in varied number
    styles, for communes and for districts (where the counts reach the thousands)."""
    level = rng.choice(("xã", "huyện", "huyện"))
    variant, counts_style, percent_style, flags = number_style(rng)
    decimals = rng.choice((0, 1, 2, 2, 2))
    rows, sums = flat_rows(rng, rng.randint(2, 9), level)
    columns = [ordinal_column(rng), label_column(level, rng)]
    base = len(columns)
    columns.append(count_column(("Tổng số hộ dân cư",), counts_style))
    start, out, end = base + 1, base + 3, base + 5
    flow = ((1, start), (-1, out))
    for index, name in ((start, "Đầu năm 2025"), (out, "Dự kiến thoát nghèo"), (end, "Cuối năm 2025")):
        derived = {"terms": flow, "identity": "flow"} if index == end else {}
        columns.append(count_column(("HỘ NGHÈO", name, "Số hộ"), counts_style, **derived))
        columns.append(percent_column(("HỘ NGHÈO", name, "Tỷ lệ %"), index, base, percent_style, decimals))
    table = GeneratedTable(
        "numbers",
        variant,
        columns,
        rows,
        sums,
        caption="Biểu: Kế hoạch giảm nghèo năm 2025",
        unit_line="",
        topic="poverty",
        level=level,
        flags=(*flags, f"{decimals} decimals"),
    )
    return table, poverty_draw(base, {start: ("start", 0), out: ("out", start)}, level)


# ---------------------------------------------------------------------------------------------------------
# Class 5: row totals.
# ---------------------------------------------------------------------------------------------------------


def add_row_total(
    columns: list[GenColumn], total: GenColumn, parts: list[GenColumn], first: bool
) -> list[int]:
    """Append a total column and its parts (the total first or last); the total sums the parts. Returns the
    parts' indexes."""
    start = len(columns)
    ordered = [total, *parts] if first else [*parts, total]
    columns.extend(ordered)
    indexes = [start + position for position, column in enumerate(ordered) if column is not total]
    total.terms = tuple((1, index) for index in indexes)
    return indexes


def parts_draw(indexes: list[int], highs: list[int], decimals: int, none: float) -> Draw:
    """Draws each part up to its high value with ``decimals`` decimals, 0 with probability ``none``, at least
    one part of a row not 0."""
    scale = Decimal(1).scaleb(-decimals)

    def draw(rng: random.Random) -> dict[int, Decimal]:
        """The independent values of one unit row."""
        funded = rng.choice(indexes)
        values = {}
        for index, high in zip(indexes, highs, strict=True):
            zero = index != funded and rng.random() < none
            values[index] = Decimal(0) if zero else Decimal(rng.randint(1, high * 10**decimals)) * scale
        return values

    return draw


def year_columns(rng: random.Random) -> tuple[GenColumn, list[GenColumn], int, str, str]:
    """Targets for three years under one group header, with "Tổng 3 năm", "Tổng" or "Cộng"."""
    style = NumberStyle()
    group = (rng.choice(("Chỉ tiêu giảm hộ nghèo (hộ)", "Số hộ thoát nghèo", "Giai đoạn 2024 - 2026")),)
    years = rng.choice((("2024", "2025", "2026"), ("Năm 2024", "Năm 2025", "Năm 2026")))
    parts = [GenColumn((*group, year), "count", style=style, additive=True) for year in years]
    total_name = rng.choice(("Tổng 3 năm", "Tổng", "Cộng"))
    total = GenColumn((*group, total_name), "count", style=style, additive=True, identity="row_total")
    return total, parts, 0, "Biểu: Chỉ tiêu giảm hộ nghèo giai đoạn 2024 - 2026", "(Đơn vị tính: hộ)"


def source_columns(rng: random.Random) -> tuple[GenColumn, list[GenColumn], int, str, str]:
    """Funds by source under "Trong đó", with "Tổng kinh phí", in triệu đồng with 0 or 1 decimal."""
    decimals = rng.choice((0, 1))
    style = NumberStyle(zero=rng.choice(("0", "-")))
    names = rng.sample(("Ngân sách Trung ương", "Ngân sách tỉnh", "Ngân sách huyện", "Vốn lồng ghép"), 3)
    parts = [
        GenColumn(("Trong đó", n), "money", style=style, decimals=decimals, additive=True) for n in names
    ]
    total = GenColumn(
        ("Tổng kinh phí",), "money", style=style, decimals=decimals, additive=True, identity="row_total"
    )
    return (
        total,
        parts,
        decimals,
        "Biểu: Phân bổ kinh phí hỗ trợ các đơn vị năm 2025",
        "(Đơn vị tính: triệu đồng)",
    )


def build_row_totals(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """Per-unit targets by year with "Tổng 3 năm" (or "Tổng", "Cộng"), or per-unit funds by source with
    "Tổng kinh phí", the total column after or before its parts, and a grand total row."""
    level = rng.choice(("xã", "huyện"))
    variant = rng.choice(("years", "sources"))
    rows, sums = flat_rows(rng, rng.randint(2, 9), level)
    columns = [ordinal_column(rng), label_column(level, rng)]
    total_first = rng.random() < 0.4
    total, parts, decimals, caption, unit_line = (year_columns if variant == "years" else source_columns)(rng)
    indexes = add_row_total(columns, total, parts, total_first)
    high = 40 if variant == "years" else 3000
    draw = parts_draw(indexes, [high] * len(indexes), decimals, none=0.15)
    table = GeneratedTable(
        "row_totals",
        f"{variant}_{'total_first' if total_first else 'total_last'}",
        columns,
        rows,
        sums,
        caption=caption,
        unit_line=unit_line,
        topic="money" if variant == "sources" else "poverty",
        level=level,
    )
    return table, draw


# ---------------------------------------------------------------------------------------------------------
# Class 6: 2-D money tables.
# ---------------------------------------------------------------------------------------------------------


def build_money(rng: random.Random) -> tuple[GeneratedTable, Draw]:
    """Items in rows, sources in columns (Trung ương, Tỉnh, Huyện, Xã, Xã hội hóa) and "Tổng", in triệu
    đồng with one decimal; the Tổng column sums the sources, the Tổng cộng row sums the items."""
    style = NumberStyle(thousands=rng.choice((".", ".", " ")), zero=rng.choice(("-", "0", "-")))
    sources = [name for name in SOURCE_NAMES if rng.random() < 0.75]
    sources = sources if len(sources) >= 2 else list(SOURCE_NAMES[:2])
    group = rng.choice((("Nguồn vốn",), ("Trong đó",), ()))
    total_first = rng.random() < 0.6
    items = rng.sample(MONEY_ITEMS, rng.randint(3, 8))
    units = [GenRow("unit", str(n + 1), item) for n, item in enumerate(items)]
    total_row = GenRow("total", "", rng.choice(("Tổng cộng", "Tổng cộng", "Cộng", "Tổng")))
    top = rng.random() < 0.4
    rows = [total_row, *units] if top else [*units, total_row]
    sums = [(0 if top else len(units), tuple(i for i, row in enumerate(rows) if row.kind == "unit"), "total")]
    label = GenColumn((rng.choice(("Nội dung", "Nội dung hoạt động")),), "label")
    columns = [GenColumn(("TT",), "ordinal"), label]
    total_name = (rng.choice(("Tổng", "Tổng cộng", "Tổng số")),)
    total = GenColumn(total_name, "money", style=style, decimals=1, additive=True, identity="row_total")
    parts = [GenColumn((*group, name), "money", style=style, decimals=1, additive=True) for name in sources]
    indexes = add_row_total(columns, total, parts, total_first)
    highs = [4000 if name == "Trung ương" else 800 for name in sources]
    table = GeneratedTable(
        "money",
        f"{'total_first' if total_first else 'total_last'}{'_top' if top else ''}",
        columns,
        rows,
        sums,
        caption="Biểu: Dự kiến kinh phí thực hiện năm 2025",
        unit_line="(Đơn vị tính: triệu đồng)",
        topic="money",
        level=rng.choice(("xã", "huyện")),
        flags=(f"zero {style.zero!r}",) if style.zero != "0" else (),
    )
    return table, parts_draw(indexes, highs, 1, none=0.25)


BUILDERS: dict[str, Callable[[random.Random], tuple[GeneratedTable, Draw]]] = {
    "hierarchy": build_hierarchy,
    "index": build_index,
    "headers": build_headers,
    "numbers": build_numbers,
    "row_totals": build_row_totals,
    "money": build_money,
}


def generate(rng: random.Random, table_class: str | None = None) -> GeneratedTable:
    """A consistent table of ``table_class`` (any class when None), every number drawn from ``rng``."""
    table, draw = BUILDERS[table_class or rng.choice(CLASSES)](rng)
    if table.rows[0].kind == "total" and "total on top" not in table.flags:
        table.flags = ("total on top", *table.flags)
    return fill(table, rng, draw)


# ---------------------------------------------------------------------------------------------------------
# Injection: one changed cell.
# ---------------------------------------------------------------------------------------------------------


def injection_candidates(table: GeneratedTable) -> dict[str, list[GridCell]]:
    """The cells each kind of injection may change."""
    kinds: dict[str, list[GridCell]] = {kind: [] for kind in INJECTION_KINDS}
    for r, row in enumerate(table.rows):
        for c, column in enumerate(table.columns):
            if not column.numeric:
                continue
            if column.identity == "row_total":
                kinds["row_total"].append((r, c))
            elif column.kind == "percent":
                kinds["percent"].append((r, c))
            elif column.kind == "money":
                kinds["money"].append((r, c))
            elif row.kind == "unit":
                kinds["count"].append((r, c))
            if column.additive and row.kind in ("subtotal", "total"):
                kinds["subtotal" if row.kind == "subtotal" else "grand_total"].append((r, c))
            if len(set(digits(row.cells[c]))) >= 2:
                kinds["swap"].append((r, c))
    return {kind: cells for kind, cells in kinds.items() if cells}


def digits(text: str) -> list[str]:
    """The digits of a written cell."""
    return [char for char in text if char.isdigit()]


def swapped(text: str, rng: random.Random, column: GenColumn) -> str | None:
    """``text`` with two different digits swapped, keeping its separators; None when no swap keeps a
    well-formed number (no leading zero unless the style writes one)."""
    positions = [i for i, char in enumerate(text) if char.isdigit()]
    pairs = [(i, j) for i in positions for j in positions if i < j and text[i] != text[j]]
    rng.shuffle(pairs)
    for i, j in pairs:
        chars = list(text)
        chars[i], chars[j] = chars[j], chars[i]
        new = "".join(chars)
        whole = number_body(new, column).split(column.style.decimal)[0]
        if len(whole) > 1 and whole[0] == "0" and not column.style.leading_zero:
            continue
        return new
    return None


def changed_value(text: str, column: GenColumn, rng: random.Random) -> str:
    """A different number in the column's style: a count ± 1-3 (or ± 10-50), a percent ± 1-9 units of its
    last decimal, money ± tenths, units or tens."""
    old = read_number(text, column)
    for _ in range(50):
        if column.kind == "percent":
            delta = rng.randint(1, 9) * Decimal(1).scaleb(-written_decimals(text, column))
        elif column.kind == "money":
            delta = Decimal(rng.randint(1, 99)) * Decimal(rng.choice(("0.1", "1", "10")))
            delta = delta.quantize(Decimal(1).scaleb(-column.decimals)) or Decimal(1)
        else:
            delta = Decimal(rng.choice((1, 2, 3)) if rng.random() < 0.8 else rng.randint(10, 50))
        new = old + delta if rng.random() < 0.5 or old < delta else old - delta
        if column.kind == "percent":
            new = new.quantize(Decimal(1).scaleb(-written_decimals(text, column)))
            written = format_fixed(new, written_decimals(text, column), column.style, group=False)
            written += "%" if column.style.percent_sign else ""
            if new == 0 and column.style.zero != "0":
                written = column.style.zero
        else:
            written = write_number(new, column)
        if written != text and read_number(written, column) != old:
            return written
    raise AssertionError(f"no change found for {text!r}")


def inject(table: GeneratedTable, rng: random.Random) -> tuple[GeneratedTable, Injection]:
    """A copy of ``table`` with one cell changed (a count, a percent, a subtotal, a grand total, a row
    total, a money cell, or two swapped digits), and what was changed."""
    changed = copy.deepcopy(table)
    candidates = injection_candidates(changed)
    kind = rng.choice(sorted(candidates))
    row, column = rng.choice(candidates[kind])
    new = None
    if kind == "swap":
        for row, column in rng.sample(candidates[kind], min(5, len(candidates[kind]))):
            new = swapped(changed.rows[row].cells[column], rng, changed.columns[column])
            if new is not None:
                break
    old = changed.rows[row].cells[column]
    if new is None:
        new = changed_value(old, changed.columns[column], rng)
    changed.rows[row].cells[column] = new
    return changed, Injection(kind, (row, column), old, new)


# ---------------------------------------------------------------------------------------------------------
# Layout: the grid of header, index row and body, with its merges.
# ---------------------------------------------------------------------------------------------------------

Merge = tuple[int, int, int, int]  # (row, column, rows spanned, columns spanned) in the whole grid


def header_grid(columns: list[GenColumn]) -> tuple[list[list[str]], list[Merge]]:
    """Header rows from the column paths: a group over its columns (merged across), a shorter path's last
    word merged down to the bottom header row ("TT", "Tổng số hộ")."""
    depth = max(len(column.path) for column in columns)
    grid = [[""] * len(columns) for _ in range(depth)]
    merges: list[Merge] = []
    for index, column in enumerate(columns):
        path = column.path
        for level, word in enumerate(path[:-1]):
            if index > 0 and columns[index - 1].path[: level + 1] == path[: level + 1]:
                continue
            span = 1
            while (
                index + span < len(columns) and columns[index + span].path[: level + 1] == path[: level + 1]
            ):
                span += 1
            grid[level][index] = word
            if span > 1:
                merges.append((level, index, 1, span))
        grid[len(path) - 1][index] = path[-1]
        if len(path) < depth:
            merges.append((len(path) - 1, index, depth - len(path) + 1, 1))
    return grid, merges


def table_grid(table: GeneratedTable) -> tuple[list[list[str]], list[Merge], int]:
    """The whole grid as written (header rows, the index row, the body rows), its merges, and the number of
    rows above the body."""
    grid, merges = header_grid(table.columns)
    if table.index_row:
        grid.append([column.mark for column in table.columns])
    top = len(grid)
    for body_index, row in enumerate(table.rows):
        cells = list(row.cells)
        if row.kind == "total" and table.merge_total_label:
            label = table.column_index("label")
            cells[0] = row.label
            cells[1 : label + 1] = [""] * label
            merges.append((top + body_index, 0, 1, label + 1))
        grid.append(cells)
    if table.group_column is not None:
        merges.extend(group_merges(table, top))
    return grid, merges, top


def group_merges(table: GeneratedTable, top: int) -> list[Merge]:
    """The merged left column's vertical merges: each group's name over its units."""
    merges = []
    starts = [i for i, row in enumerate(table.rows) if row.group]
    for number, start in enumerate(starts):
        end = start + 1
        limit = starts[number + 1] if number + 1 < len(starts) else len(table.rows)
        while end < limit and table.rows[end].kind == "unit":
            end += 1
        if end - start > 1:
            merges.append((top + start, table.group_column, end - start, 1))
    return merges


# ---------------------------------------------------------------------------------------------------------
# Documents: a small plan around the table, in TXT, Markdown pipes or DOCX.
# ---------------------------------------------------------------------------------------------------------

TOPIC_TEXT = {
    "poverty": (
        "Giảm nghèo bền vững năm 2025",
        "Phấn đấu giảm tỷ lệ hộ nghèo, hạn chế thấp nhất hộ tái nghèo và phát sinh nghèo mới.",
    ),
    "bhyt": (
        "Thực hiện bảo hiểm y tế toàn dân năm 2025",
        "Tăng tỷ lệ người dân tham gia bảo hiểm y tế, nhất là người thuộc hộ cận nghèo.",
    ),
    "water": (
        "Cung cấp nước sạch nông thôn năm 2025",
        "Nâng cao tỷ lệ hộ dân nông thôn được sử dụng nước sinh hoạt hợp vệ sinh.",
    ),
    "training": (
        "Đào tạo nghề cho lao động nông thôn năm 2025",
        "Nâng cao chất lượng nguồn nhân lực, tăng tỷ lệ lao động qua đào tạo.",
    ),
    "digital": (
        "Chuyển đổi số năm 2025",
        "Đẩy mạnh tiếp nhận và giải quyết hồ sơ trực tuyến trên địa bàn.",
    ),
    "money": (
        "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2025",
        "Bố trí kinh phí thực hiện các nội dung của Chương trình theo đúng quy định.",
    ),
}


@dataclass(frozen=True)
class Plan:
    """The words of the plan around the table."""

    issuer: tuple[str, str]
    number: str
    place_date: str
    title: str
    purpose: str
    lead: str
    closing: str
    signer: tuple[str, str, str]


def plan_words(table: GeneratedTable, rng: random.Random) -> Plan:
    """Issuer, number, date, title and sentences for the table's topic and level."""
    unit = rng.choice(("Tân Thành", "Cao Nhân", "Yên Châu", "Mường Chà", "Phú Lương", "Hòa An"))
    level_word = "XÃ" if table.level == "xã" else "HUYỆN"
    title, purpose = TOPIC_TEXT[table.topic]
    return Plan(
        issuer=("ỦY BAN NHÂN DÂN", f"{level_word} {unit.upper()}"),
        number=f"Số: {rng.randint(10, 299)}/KH-UBND",
        place_date=f"{unit}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2025",
        title=f"{title} trên địa bàn {table.level} {unit}",
        purpose=purpose,
        lead="Chỉ tiêu cụ thể giao các đơn vị như sau:",
        closing="Các đơn vị căn cứ kế hoạch này tổ chức triển khai thực hiện, báo cáo kết quả về Ủy ban nhân dân.",
        signer=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", rng.choice(SIGNERS)),
    )


def plan_lines(plan: Plan) -> tuple[list[str], list[str]]:
    """The plan's lines before the caption and after the table."""
    before = [
        *plan.issuer,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        plan.number,
        plan.place_date,
        "",
        "KẾ HOẠCH",
        plan.title,
        "",
        "I. MỤC ĐÍCH, YÊU CẦU",
        plan.purpose,
        "",
        "II. MỤC TIÊU, CHỈ TIÊU",
        plan.lead,
        "",
    ]
    after = [
        "",
        "III. TỔ CHỨC THỰC HIỆN",
        plan.closing,
        "",
        "Nơi nhận:",
        "- UBND huyện;",
        "- Lưu: VT.",
        "",
        *plan.signer,
    ]
    return before, after


def text_table(table: GeneratedTable, pipes: bool) -> list[str]:
    """The table as an export writes it: tab-separated rows with empty fields for empty and merged cells,
    or Markdown pipes with the separator after the first header row."""
    grid, _, _ = table_grid(table)
    if not pipes:
        return ["\t".join(row) for row in grid]
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    lines.insert(1, "|" + "---|" * len(table.columns))
    return lines


def write_text(table: GeneratedTable, path: Path, rng: random.Random, pipes: bool) -> Path:
    """The plan as a TXT file."""
    before, after = plan_lines(plan_words(table, rng))
    caption = [table.caption, *([table.unit_line] if table.unit_line else [])]
    path.write_text(
        "\n".join([*before, *caption, *text_table(table, pipes), *after]) + "\n", encoding="utf-8"
    )
    return path


def write_docx(table: GeneratedTable, path: Path, rng: random.Random) -> Path:
    """The plan as a Word file: paragraphs, then a bordered table with real merged cells."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    before, after = plan_lines(plan_words(table, rng))
    document = docx.Document()
    section = document.sections[0]
    wide = len(table.columns) > 8
    if wide:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(12)
    for line in before:
        if line:
            document.add_paragraph(line)
    caption = document.add_paragraph(table.caption)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if table.unit_line:
        document.add_paragraph(table.unit_line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    add_word_table(document, table, (29.7 if wide else 21.0) - 4.0)
    for line in after:
        if line:
            document.add_paragraph(line)
    document.save(path)
    return path


def add_word_table(document, table: GeneratedTable, usable_cm: float) -> None:
    """A "Table Grid" table: widths, then the merges, then the text of every cell no merge covers.

    The cell objects are read once before merging (``Table.cell`` walks the whole table on every call)."""
    from docx.shared import Cm, Pt

    grid, merges, top = table_grid(table)
    width = len(table.columns)
    word_table = document.add_table(rows=len(grid), cols=width)
    word_table.style = document.styles["Table Grid"]
    flat = word_table._cells
    cells = [flat[r * width : (r + 1) * width] for r in range(len(grid))]
    word_table.autofit = False
    widths = [Cm(width_cm) for width_cm in column_widths(table, usable_cm)]
    for column, width in zip(word_table.columns, widths, strict=True):
        column.width = width
    for tr in word_table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    covered: set[tuple[int, int]] = set()
    for row, column, row_span, column_span in merges:
        cells[row][column].merge(cells[row + row_span - 1][column + column_span - 1])
        region = {(r, c) for r in range(row, row + row_span) for c in range(column, column + column_span)}
        covered |= region - {(row, column)}
    for r, texts in enumerate(grid):
        for c, text in enumerate(texts):
            if (r, c) in covered or not text:
                continue
            run = cells[r][c].paragraphs[0].add_run(text)
            run.font.size = Pt(9)
            run.bold = r < top


def column_widths(table: GeneratedTable, usable_cm: float) -> list[float]:
    """A narrow ordinal column, room for the words of label columns, the rest shared by the numbers."""
    fixed = {"ordinal": 1.0, "label": min(4.5, usable_cm / 4), "group": min(3.5, usable_cm / 5)}
    numbers = sum(1 for column in table.columns if column.kind not in fixed)
    rest = (usable_cm - sum(fixed.get(column.kind, 0.0) for column in table.columns)) / max(1, numbers)
    return [fixed.get(column.kind, rest) for column in table.columns]


def write_document(table: GeneratedTable, folder: Path, name: str, fmt: str, seed: int) -> Path:
    """Write ``table`` in a plan as ``fmt`` ("txt": tab-separated, "md": Markdown pipes in a .txt web copy,
    "docx") under ``folder``; ``seed`` picks the plan's words."""
    rng = random.Random(seed)
    if fmt == "docx":
        return write_docx(table, folder / f"{name}.docx", rng)
    return write_text(table, folder / f"{name}.txt", rng, pipes=fmt == "md")


# ---------------------------------------------------------------------------------------------------------
# Judging an extraction against the oracle.
# ---------------------------------------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """NFC, case-folded, spaces (including no-break spaces) collapsed."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def fold_path(path: Iterable[str]) -> tuple[str, ...]:
    """A header path folded, with a level repeated by a merged header cell dropped."""
    folded: list[str] = []
    for word in path:
        word = fold(word)
        if word and (not folded or folded[-1] != word):
            folded.append(word)
    return tuple(folded)


@dataclass
class CellMap:
    """Extracted cells -> generated ones: (table id, row id) -> body row, (table id, column) -> column."""

    rows: dict[tuple[str, str], int]
    columns: dict[tuple[str, int], int]
    unmatched_rows: list[str]

    def cell(self, table_id: str | None, row_id: str | None, column: int | None) -> GridCell | None:
        """The generated cell an extracted (table, row, column) is, or None when it matches none."""
        if table_id is None or row_id is None or column is None:
            return None
        row = self.rows.get((table_id, row_id))
        mapped = self.columns.get((table_id, column))
        return None if row is None or mapped is None else (row, mapped)


def match_cells(document: ExtractedDocument, table: GeneratedTable) -> CellMap:
    """Match rows by label and columns by header path (else position); see the module docstring."""
    labels = {fold(row.label): index for index, row in enumerate(table.rows)}
    paths = {fold_path(column.path): index for index, column in enumerate(table.columns)}
    rows: dict[tuple[str, str], int] = {}
    columns: dict[tuple[str, int], int] = {}
    for extracted in document.tables:
        for row in extracted.rows:
            texts = [fold(row.label), *(fold(cell.raw) for cell in row.cells)]
            found = next((labels[text] for text in texts if text in labels), None)
            if found is not None:
                rows[(extracted.id, row.id)] = found
        for column in extracted.columns:
            mapped = paths.get(fold_path(column.path))
            if mapped is None and column.index < len(table.columns):
                mapped = column.index
            if mapped is not None:
                columns[(extracted.id, column.index)] = mapped
    seen = set(rows.values())
    unmatched = [row.label for index, row in enumerate(table.rows) if index not in seen]
    return CellMap(rows, columns, unmatched)


def involved(finding: Finding, cells: CellMap) -> set[GridCell]:
    """The generated cells a finding names: its location and its ``cells``."""
    location = finding.location
    named = [cells.cell(location.table_id, location.row_id, location.column)]
    named += [cells.cell(ref.table_id, ref.row_id, ref.column) for ref in finding.cells]
    return {cell for cell in named if cell is not None}


def is_table_finding(finding: Finding) -> bool:
    """Whether a finding points into a table (a location in one or cells of one)."""
    return finding.location.table_id is not None or bool(finding.cells)


@dataclass
class Verdict:
    """What one extraction got right and wrong against the oracle.

    ``broken``: the oracle says the injection breaks an identity; ``found``: some finding names the changed
    cell (None without a broken injection); ``false_errors``: "error" findings that involve no cell of a
    broken identity; ``table_findings``: findings pointing into a table.
    """

    broken: bool
    found: bool | None
    false_errors: list[Finding]
    table_findings: list[Finding]
    unmatched_rows: list[str]
    extracted_tables: int


def judge(document: ExtractedDocument, table: GeneratedTable, injection: Injection | None) -> Verdict:
    """Recall of the injected cell and the false errors of one extraction of ``table``."""
    cells = match_cells(document, table)
    bad = broken_cells(table)
    named = [involved(finding, cells) for finding in document.findings]
    broken = injection is not None and bool(bad)
    found = any(injection.cell in cells_named for cells_named in named) if broken and injection else None
    false_errors = [
        finding
        for finding, cells_named in zip(document.findings, named, strict=True)
        if finding.severity == "error" and not cells_named & bad
    ]
    return Verdict(
        broken=broken,
        found=found,
        false_errors=false_errors,
        table_findings=[f for f in document.findings if is_table_finding(f)],
        unmatched_rows=cells.unmatched_rows,
        extracted_tables=len(document.tables),
    )


def describe(table: GeneratedTable, injection: Injection | None = None) -> str:
    """The written table as tab rows, the changed cell as «new (was old)», for failure reports."""
    grid, _, top = table_grid(table)
    if injection is not None:
        row, column = injection.cell
        grid[top + row][column] = f"«{injection.new} (was {injection.old})»"
    head = f"[{table.table_class}/{table.variant}{'; ' + ', '.join(table.flags) if table.flags else ''}]"
    return "\n".join([head, *(" | ".join(cells) for cells in grid)])


def describe_finding(finding: Finding) -> str:
    """One line: rule, severity, location, the cells it lists, its English message."""
    where = f"{finding.location.table_id}/{finding.location.row_id}/c{finding.location.column}"
    cells = ",".join(f"{ref.row_id}/c{ref.column}" for ref in finding.cells[:8])
    more = "…" if len(finding.cells) > 8 else ""
    return f"{finding.rule} {finding.severity} at {where} cells[{cells}{more}]: {finding.message_en}"


# ---------------------------------------------------------------------------------------------------------
# One case end to end: generate, inject, write, extract, judge.
# ---------------------------------------------------------------------------------------------------------


@dataclass
class CaseResult:
    """One generated table checked twice through ``extract_document``: as generated and injected."""

    seed: int
    table_class: str
    variant: str
    fmt: str
    injection: Injection
    clean: Verdict
    injected: Verdict
    clean_table: GeneratedTable
    injected_table: GeneratedTable


def case_tables(seed: int, table_class: str) -> tuple[GeneratedTable, GeneratedTable, Injection]:
    """The consistent table of a seed, its injected copy and the injection."""
    rng = random.Random(seed)
    clean = generate(rng, table_class)
    injected, injection = inject(clean, rng)
    return clean, injected, injection


def case_paths(seed: int, table_class: str, fmt: str, folder: Path) -> tuple[Path, Path]:
    """Write a case's two documents (the same plan words around both tables)."""
    clean, injected, _ = case_tables(seed, table_class)
    name = f"{table_class}-{seed}"
    return (
        write_document(clean, folder, f"{name}-clean", fmt, seed),
        write_document(injected, folder, f"{name}-injected", fmt, seed),
    )


def judge_case(
    seed: int, table_class: str, fmt: str, clean_doc: ExtractedDocument, injected_doc: ExtractedDocument
) -> CaseResult:
    """Judge a case's two extractions against the oracle."""
    clean, injected, injection = case_tables(seed, table_class)
    return CaseResult(
        seed,
        table_class,
        clean.variant,
        fmt,
        injection,
        judge(clean_doc, clean, None),
        judge(injected_doc, injected, injection),
        clean,
        injected,
    )


def check_case(seed: int, table_class: str, fmt: str, folder: Path) -> CaseResult:
    """Generate, write as ``fmt`` ("txt", "md" or "docx"), extract with ``extract_document`` and judge."""
    from extractor import extract_document

    clean_path, injected_path = case_paths(seed, table_class, fmt, folder)
    result = judge_case(seed, table_class, fmt, extract_document(clean_path), extract_document(injected_path))
    clean_path.unlink()
    injected_path.unlink()
    return result


def miss_report(result: CaseResult) -> str:
    """A recall miss: the injected table with the changed cell marked, and every table finding."""
    injection = result.injection
    lines = [
        f"seed {result.seed} {result.fmt}: {injection.kind} injection at {injection.cell} not named",
        describe(result.injected_table, injection),
    ]
    lines += finding_lines(result.injected.table_findings) or ["  (no table finding)"]
    return "\n".join(lines)


def finding_lines(findings: list[Finding], limit: int = 6) -> list[str]:
    """Up to ``limit`` findings, one line each, and how many more there are."""
    lines = ["  " + describe_finding(finding) for finding in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  … and {len(findings) - limit} more")
    return lines


def false_error_report(result: CaseResult) -> str:
    """The false errors of a case: those on the consistent table, then those only the injected table has."""
    lines = []
    if result.clean.false_errors:
        lines += [f"seed {result.seed} {result.fmt}: false errors on the consistent table"]
        lines += [describe(result.clean_table), *finding_lines(result.clean.false_errors)]
    seen = {(f.rule, f.location) for f in result.clean.false_errors}
    new = [f for f in result.injected.false_errors if (f.rule, f.location) not in seen]
    if new:
        lines += [f"seed {result.seed} {result.fmt}: false errors on the injected table"]
        lines += [describe(result.injected_table, result.injection), *finding_lines(new)]
    elif result.injected.false_errors:
        lines.append("  (the injected table repeats these false errors)")
    if result.clean.unmatched_rows:
        lines.append(f"  rows not found in the extraction: {result.clean.unmatched_rows}")
    return "\n".join(lines)
