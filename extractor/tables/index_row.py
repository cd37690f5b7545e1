"""The column-index row of an official form, and the formulas it writes.

Under the header of a form, a row names each column: "A | B | 1 | 2 | 3 …" (seed 002 writes "I" for 1), and
often says how a column is computed from the others: "(3)=(1)+(2)", "(5)=(4)/(1)×100", "7=3+5-6",
"(7)=[(2)+(6)]/(1)×100". Such a formula is an identity the table declares, so every row must satisfy it.

``read_index_row`` gives each column its mark and each formula as columns: ``plus`` and ``minus`` terms,
and for a ratio the ``over`` terms and whether it is a percent (× 100). A formula of another shape (a
product, a constant other than 100) is kept as written and marked not understood, never guessed at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import regex

from extractor.tables.headers import index_number

_FORMULA_SIDES = regex.compile(r"^\s*(?P<target>\(?\s*[\dIVXA-Z]{1,4}\s*\)?)\s*=\s*(?P<expression>.+?)\s*$")
_TOKEN = regex.compile(
    r"\s*(?:(?P<ref>\(\s*\d{1,3}\s*\)|\d{1,3})|(?P<op>[-+×xX*/:÷])|(?P<open>[\[(])|(?P<close>[\])])|(?P<pct>%))"
)
PERCENT_SCALE = 100


@dataclass(frozen=True)
class WrittenFormula:
    """One formula of the index row, over columns of the table.

    ``column`` = Σ ``plus`` − Σ ``minus``; with ``over``, that difference / Σ ``over`` (× 100 when
    ``percent``). ``understood`` is False for a formula of another shape (then the terms are empty).
    """

    column: int
    written: str
    plus: tuple[int, ...] = ()
    minus: tuple[int, ...] = ()
    over: tuple[int, ...] = ()
    percent: bool = False
    understood: bool = True


@dataclass(frozen=True)
class IndexRow:
    """Each column's mark ("1", "B", "(4)=(3)/(2)×100") and the formulas the row writes."""

    marks: dict[int, str]
    formulas: tuple[WrittenFormula, ...]


def read_index_row(texts: Sequence[str]) -> IndexRow:
    """The marks and formulas of an index row given one text per column.

    ["A", "B", "(1)", "(2)", "(3)=(1)+(2)"] -> column 4 = column 2 + column 3.
    """
    marks = {column: text.strip() for column, text in enumerate(texts) if text.strip()}
    numbers: dict[int | str, int] = {}
    for column, mark in marks.items():
        number = index_number(mark)
        if number is not None and number not in numbers:
            numbers[number] = column
    formulas = []
    for column, mark in marks.items():
        if "=" in mark:
            formulas.append(_read_formula(column, mark, numbers))
    return IndexRow(marks, tuple(formulas))


# -- formulas ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Linear:
    """A sum of column references with rational coefficients (and a constant for "× 100")."""

    terms: dict[int, Fraction]
    constant: Fraction = Fraction(0)

    def scaled(self, factor: Fraction) -> _Linear:
        return _Linear({key: value * factor for key, value in self.terms.items()}, self.constant * factor)

    def plus(self, other: _Linear, sign: int) -> _Linear:
        terms = dict(self.terms)
        for key, value in other.terms.items():
            terms[key] = terms.get(key, Fraction(0)) + sign * value
        return _Linear(
            {key: value for key, value in terms.items() if value}, self.constant + sign * other.constant
        )

    @property
    def is_constant(self) -> bool:
        return not self.terms


@dataclass(frozen=True)
class _Ratio:
    numerator: _Linear
    denominator: _Linear
    scale: Fraction = Fraction(1)


class _Unsupported(Exception):
    """The formula has a shape the checks do not evaluate."""


class _Parser:
    """Recursive descent over the tokens of an index-row expression: sums and differences of references,
    divided by a sum, times 100."""

    def __init__(self, text: str, columns: dict[int | str, int]) -> None:
        self.tokens = _tokens(text)
        self.position = 0
        self.columns = columns

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise _Unsupported("unexpected end")
        self.position += 1
        return token

    def expression(self) -> _Linear | _Ratio:
        value = self.term()
        while (token := self.peek()) in (("op", "+"), ("op", "-")):
            self.take()
            other = self.term()
            if not isinstance(value, _Linear) or not isinstance(other, _Linear):
                raise _Unsupported("a sum of ratios")
            value = value.plus(other, 1 if token[1] == "+" else -1)
        return value

    def term(self) -> _Linear | _Ratio:
        value: _Linear | _Ratio = self.factor()
        while (token := self.peek()) is not None and token[0] in ("op", "pct") and token[1] not in "+-":
            assert token is not None
            self.take()
            if token[0] == "pct":
                value = _times(value, Fraction(PERCENT_SCALE))
                continue
            other = self.factor()
            value = _multiply(value, other) if token[1] in "×xX*" else _divide(value, other)
        return value

    def factor(self) -> _Linear:
        kind, text = self.take()
        if kind == "ref":
            number = int(text.strip("() "))
            if not text.startswith("(") and number == PERCENT_SCALE:
                return _Linear({}, Fraction(PERCENT_SCALE))
            if number not in self.columns:
                raise _Unsupported(f"no column {number}")
            return _Linear({self.columns[number]: Fraction(1)})
        if kind == "open":
            inner = self.expression()
            if self.take()[0] != "close":
                raise _Unsupported("unclosed bracket")
            if not isinstance(inner, _Linear):
                raise _Unsupported("a bracketed ratio")
            return inner
        raise _Unsupported(f"unexpected {text!r}")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _Unsupported(f"cannot read {text[position:]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match[kind]))
        position = match.end()
    return tokens


def _times(value: _Linear | _Ratio, factor: Fraction) -> _Linear | _Ratio:
    if isinstance(value, _Ratio):
        return _Ratio(value.numerator, value.denominator, value.scale * factor)
    return value.scaled(factor)


def _multiply(left: _Linear | _Ratio, right: _Linear) -> _Linear | _Ratio:
    if right.is_constant:
        return _times(left, right.constant)
    if isinstance(left, _Linear) and left.is_constant:
        return _times(right, left.constant)
    raise _Unsupported("a product of columns")


def _divide(left: _Linear | _Ratio, right: _Linear) -> _Ratio:
    if isinstance(left, _Ratio):
        raise _Unsupported("a ratio divided again")
    if right.is_constant:
        raise _Unsupported("a division by a constant")
    scale = Fraction(1)
    if left.constant and not left.terms:
        raise _Unsupported("a constant over columns")
    if left.constant:
        raise _Unsupported("a constant in a numerator")
    # "(3)×100/(2)": the factor 100 was folded into the numerator's coefficients; take it out again.
    coefficients = {abs(value) for value in left.terms.values()}
    if len(coefficients) == 1 and (common := coefficients.pop()) != 1:
        left, scale = left.scaled(1 / common), common
    return _Ratio(left, right, scale)


def _read_formula(column: int, written: str, columns: dict[int | str, int]) -> WrittenFormula:
    sides = _FORMULA_SIDES.match(written)
    target = index_number(sides["target"]) if sides else None
    if sides is None or target is None or columns.get(target) != column:
        return WrittenFormula(column, written, understood=False)
    try:
        value = _Parser(sides["expression"], columns).expression()
        return _as_formula(column, written, value)
    except _Unsupported:
        return WrittenFormula(column, written, understood=False)


def _signed(linear: _Linear) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if linear.constant or any(abs(value) != 1 for value in linear.terms.values()):
        raise _Unsupported("coefficients other than one")
    plus = tuple(sorted(key for key, value in linear.terms.items() if value > 0))
    minus = tuple(sorted(key for key, value in linear.terms.items() if value < 0))
    return plus, minus


def _as_formula(column: int, written: str, value: _Linear | _Ratio) -> WrittenFormula:
    if isinstance(value, _Linear):
        plus, minus = _signed(value)
        if not plus or column in plus or column in minus:
            raise _Unsupported("no terms")
        return WrittenFormula(column, written, plus, minus)
    plus, minus = _signed(value.numerator)
    over, over_minus = _signed(value.denominator)
    if over_minus or not plus or value.scale not in (1, PERCENT_SCALE):
        raise _Unsupported("a ratio of another shape")
    return WrittenFormula(column, written, plus, minus, over, percent=value.scale == PERCENT_SCALE)
