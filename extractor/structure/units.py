"""Administrative units and issuing bodies as written: "ỦY BAN NHÂN DÂN XÃ CAO NHÂN", "UBND phường Quảng Minh".

The vocabulary (levels, body names) is in ``extractor/data/admin_units.yaml``.
"""

from dataclasses import dataclass
from functools import cache

import regex

from extractor import data
from extractor.normalize.patterns import alternation


@dataclass(frozen=True)
class UnitName:
    """A unit read from text: level id ("xa"), level word as a plan writes it ("xã"), name ("Cao Nhân"),
    and where in the parsed string the match ``start``s and ``end``s."""

    level: str
    level_word: str
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Body:
    """An issuing body: its display form ("UBND") and the unit it governs, when named."""

    display: str
    unit: UnitName | None

    def label(self) -> str:
        """ "UBND xã Cao Nhân"; just "UBND xã" when the name is not known."""
        if self.unit is None:
            return self.display
        return " ".join(part for part in (self.display, self.unit.level_word, self.unit.name) if part)


def _level_by_word() -> dict[str, str]:
    return data.admin_units().level_by_word


def _body_by_word() -> dict[str, str]:
    return data.admin_units().body_by_word


# A unit name: capitalised syllables ("Quảng Minh", "Yên Châu", "CAO NHÂN"), or a number ("phường 3").
_NAME = r"(?:\p{Lu}[\p{L}']*|\d+)(?:[ \t]+(?:\p{Lu}[\p{L}']*|\d+))*"


@cache
def _unit_pattern(name_required: bool) -> regex.Pattern[str]:
    name = f"(?P<name>{_NAME})" if name_required else f"(?:[ \\t]+(?P<name>{_NAME}))?"
    separator = "[ \\t]+" if name_required else ""
    return regex.compile(
        rf"(?<!\p{{L}})(?P<level>(?i:{alternation(_level_by_word(), space=' ')})){separator}{name}(?!\p{{L}})",
        regex.V1,
    )


@cache
def _body_pattern() -> regex.Pattern[str]:
    return regex.compile(
        rf"(?<!\p{{L}})(?P<body>{alternation(_body_by_word(), space=' ')})(?!\p{{L}})", regex.IGNORECASE
    )


def display_name(name: str) -> str:
    """Capitalise each syllable of a name written in capitals: "CAO NHÂN" -> "Cao Nhân"."""
    if name.isupper():
        return " ".join(word[:1] + word[1:].lower() for word in name.split())
    return " ".join(name.split())


def find_unit(text: str, name_required: bool = True, start: int = 0) -> UnitName | None:
    """The first "level + name" in ``text``: "trên địa bàn huyện Yên Châu năm 2022" -> huyen, Yên Châu.

    The level word must be lower case in running text ("xã Sơn Tây"), or the whole phrase in capitals as in a
    header ("XÃ CAO NHÂN"): "Xã hội" is not a commune.
    """
    for match in _unit_pattern(name_required).finditer(text, start):
        level_word = match["level"]
        name = match["name"] or ""
        if not (level_word.islower() or (level_word.isupper() and (not name or name.isupper()))):
            continue
        level = _level_by_word()[level_word.lower()]
        return UnitName(level, level_word.lower(), display_name(name), match.start(), match.end())
    return None


def parse_body(text: str) -> Body | None:
    """An issuing body with its unit: "ỦY BAN NHÂN DÂN XÃ CAO NHÂN" -> UBND, xã Cao Nhân."""
    match = _body_pattern().search(text)
    if match is None:
        return None
    display = _body_by_word()[match["body"].lower()]
    return Body(display, find_unit(text, name_required=True, start=match.end()))
