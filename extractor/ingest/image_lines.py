"""Ruled tables of a scanned page: the ruling lines found in the image, handed to the lattice finder.

A typed PDF draws its table rules as paths, which ``pdf_grid`` reads; a scan has only pixels. Here the rules
are the long straight runs of dark pixels: a row of the page image holding a run of at least
``MIN_RULE_INCHES`` is part of a horizontal rule, a column holding one part of a vertical rule. Each run
becomes a line in points, and ``pdf_grid.tables_from_subpaths`` does the rest as for a typed page (snap,
join, crossings, cells, merged cells), so a scanned table has the same grid model, merged header cells
included. Letters never make such runs (the bar of a "T" in 14-point type is under a tenth of an inch);
an underline or a signature line does, but makes no table without rules crossing it.

Why not camelot's lattice mode or OpenCV: camelot needs a PDF with a text layer and OpenCV (about 100 MB)
for the same two projections and morphology done here with numpy in about 60 ms a page; img2table adds the
same OpenCV. A slightly rotated scan (more than about 1°) breaks long rules into steps the snapping cannot
join: deskewing comes first there (not done yet).
"""

from __future__ import annotations

from typing import Any

from extractor.ingest.pdf_grid import FoundTable, line, tables_from_subpaths

# A pixel darker than this (0 black, 255 white) is ink.
INK_BELOW = 128
# The shortest run of ink that is a rule, in inches (0.2 inch: 60 pixels at 300 dpi, 5 mm).
MIN_RULE_INCHES = 0.2
POINTS_PER_INCH = 72


def ruled_tables_in_image(image: Any, dpi: int) -> list[FoundTable]:
    """The ruled tables of a grayscale PIL page image scanned at ``dpi``, in points from the top-left."""
    import numpy

    gray = image if image.mode == "L" else image.convert("L")  # no copy of a page already gray
    ink = numpy.asarray(gray) < INK_BELOW
    shortest = max(2, round(MIN_RULE_INCHES * dpi))
    scale = POINTS_PER_INCH / dpi
    subpaths = []
    for row, start, end in _runs(ink, shortest):
        subpaths.append(line(start * scale, row * scale, end * scale, row * scale))
    for column, start, end in _runs(ink.T, shortest):
        subpaths.append(line(column * scale, start * scale, column * scale, end * scale))
    if not subpaths:
        return []
    return tables_from_subpaths(subpaths)


def _runs(ink: Any, shortest: int) -> list[tuple[int, int, int]]:
    """(row, first, past-last) of every run of at least ``shortest`` ink pixels along the rows of ``ink``.

    Rows of the same rule (a rule is 2 to 4 pixels thick) give the same run: only the middle row of each
    stack of identical runs is kept.
    """
    import numpy

    padded = numpy.zeros((ink.shape[0], ink.shape[1] + 2), dtype=numpy.int8)
    padded[:, 1:-1] = ink
    changes = numpy.diff(padded, axis=1)
    rows_start, starts = numpy.nonzero(changes == 1)
    _, ends = numpy.nonzero(changes == -1)
    lengths = ends - starts
    keep = lengths >= shortest
    runs = sorted(zip(rows_start[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(), strict=True))
    return _middle_of_stacks(runs)


def _middle_of_stacks(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """One run per stack of runs on consecutive rows that overlap (a thick rule): the middle row's span,
    the stack's widest extent."""
    open_stacks: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    kept: list[tuple[int, int, int]] = []
    by_row: dict[int, list[tuple[int, int]]] = {}
    for row, start, end in runs:
        by_row.setdefault(row, []).append((start, end))
    previous_row = None
    for row in sorted(by_row):
        continuing: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
        for start, end in by_row[row]:
            key = next(
                (
                    key
                    for key in open_stacks
                    if previous_row == row - 1 and key[0] < end and start < key[1] and key not in continuing
                ),
                None,
            )
            stack = open_stacks.pop(key) if key is not None else []
            stack.append((row, start, end))
            continuing[(start, end)] = stack
        for stack in open_stacks.values():
            kept.append(_stack_run(stack))
        open_stacks = continuing
        previous_row = row
    kept.extend(_stack_run(stack) for stack in open_stacks.values())
    return kept


def _stack_run(stack: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    middle = stack[len(stack) // 2][0]
    return middle, min(run[1] for run in stack), max(run[2] for run in stack)
