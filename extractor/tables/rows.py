"""Rows of a table: which columns name the row (TT, Thôn/Đơn vị), and what each row is.

A per-unit table has one row per thôn / bản / tổ dân phố (a unit row: its ordinal and name), total rows
("Tổng cộng", "Cộng", "Toàn xã") and sometimes subtotal rows ("Cộng khu vực I", or a group row "I" whose
numbers sum the rows under it), and note rows (one merged cell of text: "Ghi chú: …").
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.tables.cells import cell_nature
from extractor.tables.grid import DenseTable, Slot
from extractor.tables.headers import index_number, is_column_index_row
from extractor.tables.vocabulary import header_key, vocabulary
from models.tables import RowKind

# Label columns sit at the left: at most this many columns are looked at.
MAX_LABEL_COLUMNS = 3
# A column is an ordinal or label column by content when this share of its written cells says so.
MIN_CONTENT_SHARE = 0.6
# A lone text at least this long, or a cell spreading over this share of the width, is a note.
MIN_NOTE_LENGTH = 40
MIN_NOTE_WIDTH_SHARE = 0.5
NOTE_STARTS = ("ghi chu", "chu thich", "nguon")


@dataclass(frozen=True)
class LabelColumns:
    """The ordinal column ("TT", "STT"), the columns naming the unit ("Thôn", "Đơn vị") and, when the table
    groups its units in a left column ("Khu vực" merged over its thôn, or written on a group's first row
    only), that group column (one of ``labels``)."""

    ordinal: int | None
    labels: tuple[int, ...]
    group: int | None = None

    def all(self) -> tuple[int, ...]:
        return ((self.ordinal,) if self.ordinal is not None else ()) + self.labels


def _column_texts(table: DenseTable, column: int, rows: Sequence[int]) -> list[str]:
    return [slot.text for r in rows if (slot := table.rows[r][column]).text and slot.origin[1] == column]


def looks_like_ordinals(texts: Sequence[str]) -> bool:
    """ "1, 2, 3 …" (Roman "I, II" group rows may sit among them): most cells count up by one or restart."""
    written = [text for text in texts if text.strip()]
    if not written:
        return False
    numbers = [index_number(text) for text in written]
    integers = [number for number in numbers if isinstance(number, int)]
    if len(integers) < MIN_CONTENT_SHARE * len(written) or len(integers) < 2:
        return False
    steps = itertools.pairwise(integers)
    return sum(1 for a, b in steps if b in (a + 1, 1)) >= MIN_CONTENT_SHARE * (len(integers) - 1)


def _mostly_numbers(texts: Sequence[str]) -> bool:
    natures = [cell_nature(text) for text in texts]
    return bool(natures) and natures.count("number") >= MIN_CONTENT_SHARE * len(
        [n for n in natures if n != "empty"] or [0]
    )


def _mostly_text(texts: Sequence[str]) -> bool:
    return bool(texts) and sum(1 for t in texts if cell_nature(t) == "text") >= MIN_CONTENT_SHARE * len(texts)


def find_label_columns(
    table: DenseTable, paths: Sequence[Sequence[str]], data_rows: Sequence[int]
) -> LabelColumns:
    """The ordinal column (header "TT"/"STT", or cells 1, 2, 3 …) and the label columns after it (header
    "Thôn"/"Đơn vị"/"Tổ dân phố", or cells that are mostly text), all at the table's left."""
    words = vocabulary()
    candidates = range(min(MAX_LABEL_COLUMNS, table.n_cols))
    ordinal = None
    for column in candidates:
        key = header_key(" ".join(paths[column]))
        if key and words.ordinal_headers.matches_whole(key):
            ordinal = column
            break
    if ordinal is None and looks_like_ordinals(_column_texts(table, 0, data_rows)):
        ordinal = 0
    labels: list[int] = []
    start = ordinal + 1 if ordinal is not None else 0
    for column in range(start, min(start + MAX_LABEL_COLUMNS - 1, table.n_cols)):
        key = header_key(" ".join(paths[column]))
        rest = words.label_headers.pattern.sub(" ", key)
        named = rest != key and not words.measures["count"].found_in(rest)
        texts = _column_texts(table, column, data_rows)
        # Units may be named by numbers under a header that is only a unit word ("Tổ" over "12", "15"); a
        # column whose header says more ("Số xã, phường, thị trấn") or whose numbers have decimals (a funding
        # source "Xã" over "146,9") counts or sums something: it is no label.
        counts = _mostly_numbers(texts) and (
            not words.label_headers.matches_whole(key) or any("," in text or "." in text for text in texts)
        )
        if (named and not counts) or _mostly_text(texts):
            labels.append(column)
        else:
            break
    return LabelColumns(ordinal, tuple(labels), _group_column(table, paths, data_rows, labels))


# A left label column written on at most this share of the rows the next label column names is a grouping.
MAX_GROUP_SHARE = 0.6


def _group_column(
    table: DenseTable, paths: Sequence[Sequence[str]], data_rows: Sequence[int], labels: Sequence[int]
) -> int | None:
    """The first of two label columns when it groups the second: its header is a group word ("Khu vực",
    "Cụm", "Huyện") or it is written on few of the rows the second names (a merged cell, or a text export
    that writes the group on its first row only)."""
    if len(labels) < 2:
        return None
    first, second = labels[0], labels[1]
    key = header_key(" ".join(paths[first]))
    if key and vocabulary().group_words.pattern.match(key):
        return first
    written = len(_column_texts(table, first, data_rows))
    named = len(_column_texts(table, second, data_rows))
    return first if written and named and written <= MAX_GROUP_SHARE * named else None


@dataclass(frozen=True)
class RowDraft:
    """A data row before its cells are typed: the dense row index, its kind and label."""

    row: int
    kind: RowKind
    label: str | None


def classify_rows(table: DenseTable, data_rows: Sequence[int], columns: LabelColumns) -> list[RowDraft]:
    """Kind and label of each data row; empty rows and repeated column-index rows are left out."""
    drafts: list[RowDraft] = []
    arabic_ordinals = _uses_arabic_ordinals(table, data_rows, columns.ordinal)
    for row in data_rows:
        slots = table.rows[row]
        written = [slot for slot in slots if slot.is_origin and slot.text]
        if not written or is_column_index_row([slot.text for slot in written]):
            continue
        label = _row_label(slots, columns)
        drafts.append(RowDraft(row, _row_kind(slots, written, label, columns, arabic_ordinals), label))
    return _settle_totals(drafts)


def _row_label(slots: Sequence[Slot], columns: LabelColumns) -> str | None:
    """The unit's name from the label columns; a total label written across TT and Đơn vị counts too. In a
    grouped table the group column names the row only when the unit columns are blank ("Cộng cụm 1" written
    in the "Cụm" column)."""
    texts: list[str] = []
    seen: set[tuple[int, int]] = set()
    naming = [column for column in columns.labels if column != columns.group]
    if columns.group is not None and not any(slots[column].text for column in naming):
        naming = [columns.group]
    for column in naming:
        slot = slots[column]
        if slot.text and slot.origin not in seen:
            texts.append(slot.text)
            seen.add(slot.origin)
    if not texts and columns.ordinal is not None:
        slot = slots[columns.ordinal]
        if cell_nature(slot.text) == "text" and index_number(slot.text) is None:
            texts.append(slot.text)
    return " ".join(texts) or None


def _ordinal(slots: Sequence[Slot], columns: LabelColumns) -> int | str | None:
    if columns.ordinal is None:
        return None
    slot = slots[columns.ordinal]
    return index_number(slot.text) if slot.origin[1] == columns.ordinal else None


def _uses_arabic_ordinals(table: DenseTable, data_rows: Sequence[int], ordinal: int | None) -> bool:
    if ordinal is None:
        return False
    return any(text.strip().isdigit() for text in _column_texts(table, ordinal, data_rows))


def _numbers_outside(slots: Sequence[Slot], columns: LabelColumns) -> int:
    label_columns = set(columns.all())
    return sum(
        1
        for slot in slots
        if slot.is_origin and slot.col not in label_columns and cell_nature(slot.text) == "number"
    )


def _row_kind(
    slots: Sequence[Slot], written: list[Slot], label: str | None, columns: LabelColumns, arabic: bool
) -> RowKind:
    numbers = _numbers_outside(slots, columns)
    if numbers == 0 and _is_note(slots, written, columns):
        return "note"
    if label and is_total_label(label):
        return "total"
    if label and is_detail_label(label):
        return "detail"
    if label and (is_partial_sum_label(label) or is_group_label(label)):
        return "subtotal" if numbers else "note"
    ordinal = _ordinal(slots, columns)
    ordinal_text = slots[columns.ordinal].text.strip() if columns.ordinal is not None else ""
    if arabic and ordinal is not None and not ordinal_text.isdigit():
        # A group row "I", "II" or "A" among "1, 2, 3" rows: it sums the rows under it, or heads them.
        return "subtotal" if numbers else "note"
    if arabic and not ordinal_text and numbers and label:
        # A named row without the number its neighbours have ("Khu vực phía Bắc" among "1, 2, 3"): maybe a
        # group's sum, which the numbers confirm or not (``hierarchy.py``).
        return "subtotal"
    return "unit"


def _is_note(slots: Sequence[Slot], written: list[Slot], columns: LabelColumns) -> bool:
    if len(written) != 1:
        return False
    only = written[0]
    width = sum(1 for slot in slots if slot.origin == only.origin)
    key = header_key(only.text)
    return (
        width >= MIN_NOTE_WIDTH_SHARE * len(slots)
        or len(only.text) >= MIN_NOTE_LENGTH
        or key.startswith(NOTE_STARTS)
        or only.col not in columns.all()
    )


def is_total_label(label: str) -> bool:
    """ "Tổng cộng", "Cộng", "Toàn xã", "TỔNG" are totals; "Tổng số hộ nghèo" is not a row label of a total."""
    return vocabulary().total_labels.matches_whole(header_key(label))


def is_partial_sum_label(label: str) -> bool:
    """ "Cộng khu vực I", "Tổng các thôn vùng cao": a sum of part of the table."""
    key = header_key(label)
    start = vocabulary().subtotal_label_starts.pattern.match(key)
    return start is not None and start.end() < len(key)


def is_detail_label(label: str) -> bool:
    """ "Trong đó: vốn sự nghiệp", "- Trong đó": a part of the row above, not a row of its own."""
    key = header_key(label)
    return vocabulary().detail_labels.pattern.match(key) is not None


# A group label is a group word and a few more: "Khu vực I", "Cụm 2", "Khu vực phía Bắc".
MAX_GROUP_LABEL_WORDS = 6


def is_group_label(label: str) -> bool:
    """ "Khu vực I", "Cụm 2", "Khu vực phía Bắc" may name a group of units (the numbers decide: "Cụm công
    nghiệp Tân Dĩnh", one unit of a table of clusters, sums nothing and is read as a unit)."""
    key = header_key(label)
    start = vocabulary().group_words.pattern.match(key)
    return start is not None and len(key.split()) <= MAX_GROUP_LABEL_WORDS


def _settle_totals(drafts: list[RowDraft]) -> list[RowDraft]:
    """Several total-worded rows: the last is the table's total, the others sum their parts."""
    totals = [index for index, draft in enumerate(drafts) if draft.kind == "total"]
    if len(totals) <= 1:
        partials = [index for index, draft in enumerate(drafts) if draft.kind == "subtotal"]
        if not totals and partials and partials[-1] == len(drafts) - 1 and _worded(drafts[partials[-1]]):
            totals = [partials[-1]]
        else:
            return drafts
    last = totals[-1]
    settled = []
    for index, draft in enumerate(drafts):
        if draft.kind == "total" and index != last:
            draft = RowDraft(draft.row, "subtotal", draft.label)
        elif index == last:
            draft = RowDraft(draft.row, "total", draft.label)
        settled.append(draft)
    return settled


def _worded(draft: RowDraft) -> bool:
    return draft.label is not None and is_partial_sum_label(draft.label)
