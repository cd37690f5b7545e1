"""Regex alternations of words, built one way for every reader.

Lexicons come from ``extractor/data``; a reader turns a list of phrases into one pattern. Two forms: as
written ("tỷ đồng", matched with its diacritics, any run of spaces between words) and folded ("duy trì" ->
"dui tri", matched on text folded by ``normalize.text.fold``).
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from extractor.normalize.text import fold

_WORD = regex.compile(r"[\p{L}\p{N}]+")
# Whole words: no letter or digit right before or after.
WORD_START = r"(?<![\p{L}\p{N}])"
WORD_END = r"(?![\p{L}\p{N}])"


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """ "|"-joined words, longest first (so "nhân khẩu" wins over "khẩu"), each escaped, its inner spaces
    matching ``space``. Not wrapped: callers put it inside their own group."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(space.join(regex.escape(part) for part in word.split()) for word in ordered)


def capitalized(words: Iterable[str]) -> list[str]:
    """Each word as a heading writes it, first letter capital or all in capitals: "phần" -> "Phần", "PHẦN"."""
    return [form for word in words for form in (word[:1].upper() + word[1:], word.upper())]


def folded_words(phrase: str) -> list[str]:
    """The folded words of a phrase: "Duy trì" -> ["dui", "tri"]."""
    return _WORD.findall(fold(phrase))


def folded_phrase(phrase: str) -> str:
    """A phrase as a pattern over folded text: folded words, any run of spaces or dashes between them."""
    return r"[\s\-]+".join(regex.escape(word) for word in folded_words(phrase))


def folded_alternation(phrases: Iterable[str]) -> str:
    """The phrases as one alternation over folded text, longest first: ``folded_alternation(["duy trì",
    "đạt"])`` -> "dui[\\s\\-]+tri|dat". Not wrapped and without word bounds: see ``folded_words_pattern``."""
    unique = {" ".join(folded_words(phrase)): phrase for phrase in phrases}
    ordered = sorted(unique, key=len, reverse=True)
    return "|".join(folded_phrase(key) for key in ordered)


def folded_words_pattern(phrases: Iterable[str], before: str = "", after: str = "") -> regex.Pattern[str]:
    """Whole words of ``phrases`` on folded text, compiled, with optional context around the group:
    ``folded_words_pattern(["đạt"])`` matches "dat" in "phan dau dat 95%" but not in "datum"."""
    return regex.compile(rf"{before}{WORD_START}(?:{folded_alternation(phrases)}){WORD_END}{after}")


def find_at_words(
    pattern: regex.Pattern[str], text: str, lowered: str, first_words: Iterable[str], before: int = 0
) -> list[regex.Match[str]]:
    """The matches of ``pattern.finditer(text)``, tried only where ``str.find`` sees one of ``first_words``
    (lower case) in ``lowered`` (``text.lower()``, same length): the same matches, far faster when the pattern
    opens with a long case-insensitive alternation (the regex module tries it at every character, about
    10 M characters/s). ``before`` is how many characters before the word a match may start (a lookbehind
    character the pattern consumes, as "(?:^|[^\\p{L}])").
    """
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): offsets would shift
        return list(pattern.finditer(text))
    starts: set[int] = set()
    for word in set(first_words):
        at = lowered.find(word)
        while at >= 0:
            starts.add(max(at - before, 0))
            at = lowered.find(word, at + 1)
    matches: list[regex.Match[str]] = []
    for at in sorted(starts):
        if matches and at < matches[-1].end():
            continue  # inside the match found before, as finditer would skip it
        match = pattern.match(text, at)
        if match is not None:
            matches.append(match)
    return matches
