"""Finding every indicator phrase in a whole document: today's first-word regex scan beside spaCy's PhraseMatcher.

Usage: .venv/bin/python bench/phrase_matching.py [--repeat N] [--budget SECONDS] [--sizes 1,16,64]

The phrases are those of ``extractor/data/indicators.yaml`` (every ``phrases`` list), folded as khplan folds text
(lower case, no diacritics, "đ" -> "d", "y" -> "i", one character per character). The corpus is every
``corpus/seeds/*.txt`` and ``corpus/cases/*.txt`` (UTF-8, NFC): each file as its own document ("1× files"), then
all of them joined by a newline into one document, and that document repeated 16 and 64 times (also joined by a
newline). Three ways to find, in the folded text, every (start, end, phrase) where a phrase starts at a word, the
longest phrase at each start:

A  today's approach (re-implemented here from ``extractor/entities/targets.py``): for every word of the folded
   text, the compiled alternation of the phrases that begin with that word, longest first, tried at that word;
B  a spaCy ``Doc`` built without spaCy's tokenizer, ``Doc(vocab, words=..., spaces=...)`` from a regex split of
   the folded text into words and runs of punctuation (offsets kept), matched by ``PhraseMatcher(attr="ORTH")``;
C  ``spacy.blank("vi")``'s own tokenizer without pyvi over the original text, each token's NORM set to its folded
   text, matched by ``PhraseMatcher(attr="NORM")``. Its tokens split at whitespace only, so a phrase followed by
   a comma ("hộ nghèo,") is missed: C's hits are compared with A's, not required to equal them.

It prints:
1. the one-time construction of each matcher (A: compiling the per-first-word patterns; B and C: the
   PhraseMatcher with one pattern Doc per phrase);
2. the hits of each method at 1× files and 1×, and every difference between A and B (there should be none);
3. for each size, the best of ``--repeat`` runs of each method, the methods taking turns (one that has spent
   ``--budget`` seconds stops repeating; 0, the default, is no limit), with its parts (folding, splitting,
   building the Doc, matching and mapping the matches back to character offsets), characters per second and
   the ratios B/A and C/A.
Shared machines vary between runs by ±30%: compare the ratios of one run.
"""

import argparse
import gc
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import lt
from pathlib import Path

import regex
import spacy
import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = ROOT / "extractor" / "data" / "indicators.yaml"

Hit = tuple[int, int, str]  # start, end (character offsets), folded phrase

# ---------------------------------------------------------------------------------------------------------
# Folding, as extractor/entities/targets.py does it
# ---------------------------------------------------------------------------------------------------------

# Characters below this code point that folding leaves alone are mapped to themselves (a failed lookup costs
# ``str.translate`` more than a hit), as in targets.py.
_IDENTITY_UP_TO = 0x3000
_VIETNAMESE = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"


def _strip_diacritics(char: str) -> str:
    """One precomposed letter without its marks ("ế" -> "e", "Đ" -> "D"), as ``strip_diacritics`` does."""
    if char.isascii():
        return char
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    return unicodedata.normalize("NFD", char)[0]


def fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for char in _VIETNAMESE + _VIETNAMESE.upper() + "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        base = _strip_diacritics(char).lower()
        if len(base) == 1:
            table[ord(char)] = "i" if base == "y" else base
    table[ord("y")] = "i"
    for code in range(_IDENTITY_UP_TO):
        table.setdefault(code, chr(code))
    return table


FOLD_TABLE = fold_table()


def fold(text: str) -> str:
    """ "Tỉ lệ HỘ NGHÈO" -> "ti le ho ngheo"; same length as ``text``."""
    return text.translate(FOLD_TABLE)


_WORD_PATTERN = regex.compile(r"[\p{L}\p{N}]+")


def squash(folded: str) -> str:
    return " ".join(_WORD_PATTERN.findall(folded))


def load_phrases() -> list[str]:
    """Every indicator phrase, folded and squashed ("tỷ lệ hộ nghèo" -> "ti le ho ngheo"), longest first."""
    data = yaml.safe_load(INDICATORS.read_text(encoding="utf-8"))
    phrases = {squash(fold(phrase)) for entry in data["indicators"].values() for phrase in entry["phrases"]}
    return sorted(phrases, key=len, reverse=True)


# ---------------------------------------------------------------------------------------------------------
# A: today's approach, one alternation per first word tried at each word start
# ---------------------------------------------------------------------------------------------------------


def phrase_pattern(phrase: str) -> str:
    """A folded phrase as a pattern: any run of spaces or dashes between syllables, whole words only."""
    words = _WORD_PATTERN.findall(fold(phrase))
    return r"(?<![\p{L}\p{N}])" + r"[\s\-]+".join(regex.escape(w) for w in words) + r"(?![\p{L}\p{N}])"


def build_first_word_patterns(phrases: Sequence[str]) -> dict[str, regex.Pattern[str]]:
    """One pattern per first word of the (folded, squashed, longest-first) ``phrases``, keeping their order."""
    grouped: dict[str, list[str]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase.split(" ")[0], []).append(phrase)
    return {
        word: regex.compile("|".join(phrase_pattern(p) for p in group)) for word, group in grouped.items()
    }


def _phrases_at_words(
    by_first_word: dict[str, regex.Pattern[str]], folded: str, start: int, end: int
) -> Iterator[regex.Match[str]]:
    for word in _WORD_PATTERN.finditer(folded, start, end):
        at = word.start()
        pattern = by_first_word.get(word.group())
        if pattern is not None and (match := pattern.match(folded, at, end)) is not None:
            yield match


def hits_a(by_first_word: dict[str, regex.Pattern[str]], folded: str) -> list[Hit]:
    """Every phrase of the whole folded text: the longest at each word where one starts."""
    return [
        (match.start(), match.end(), squash(match.group()))
        for match in _phrases_at_words(by_first_word, folded, 0, len(folded))
    ]


# ---------------------------------------------------------------------------------------------------------
# B: PhraseMatcher over a Doc made from a regex split of the folded text
# ---------------------------------------------------------------------------------------------------------

# Words, and runs of anything but whitespace, hyphens, letters and digits: A lets only spaces and hyphens stand
# between a phrase's words, so "hộ, nghèo" must not give two adjacent tokens "ho" "ngheo". Stdlib ``re`` splits
# faster than ``regex`` here; for a str pattern its ``[^\W_]`` is exactly ``[\p{L}\p{N}]`` (letters, digits,
# numerals), and the check of A against B would show any difference.
_TOKEN_SPLIT = re.compile(r"([^\W_]+|(?:[^\s\w\-]|_)+)")


def build_matcher(vocab: Vocab, phrases: Sequence[str], attr: str) -> PhraseMatcher:
    """One pattern Doc per phrase (its folded words, NORM set to them too), named by the phrase."""
    matcher = PhraseMatcher(vocab, attr=attr)
    for phrase in phrases:
        doc = Doc(vocab, words=phrase.split(" "))
        if attr == "NORM":
            for token in doc:
                token.norm_ = token.text
        matcher.add(phrase, [doc])
    return matcher


def split_words(folded: str) -> tuple[list[str], list[int], list[int]]:
    """Tokens of ``folded`` with their character starts and ends, without a Python loop over the tokens:
    ``split`` gives gap, token, gap, …, gap, and the running sum of their lengths the offsets."""
    parts = _TOKEN_SPLIT.split(folded)
    offsets = list(accumulate(map(len, parts)))
    return parts[1::2], offsets[0:-1:2], offsets[1::2]


def make_doc(vocab: Vocab, words: list[str], starts: list[int], ends: list[int]) -> Doc:
    """A Doc of ``words``, each followed by a space when a gap follows it in the text."""
    spaces = list(map(lt, ends, starts[1:])) + [False] * bool(words)
    return Doc(vocab, words=words, spaces=spaces)


def longest_per_start(
    vocab: Vocab, matches: list[tuple[int, int, int]], starts: Sequence[int], ends: Sequence[int]
) -> list[Hit]:
    """The longest match at each start token, as character offsets and the phrase's name, in text order."""
    best: dict[int, tuple[int, int]] = {}
    for match_id, start, end in matches:
        if end > best.get(start, (0, 0))[0]:
            best[start] = (end, match_id)
    strings = vocab.strings
    return [(starts[s], ends[e - 1], strings[match_id]) for s, (e, match_id) in sorted(best.items())]


# ---------------------------------------------------------------------------------------------------------
# C: spaCy's vi tokenizer (no pyvi), norms set to the folded text
# ---------------------------------------------------------------------------------------------------------


def blank_vi() -> Language:
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.max_length = 10**9
    return nlp


def set_folded_norms(doc: Doc, folded: str) -> tuple[list[int], list[int]]:
    """Each token's NORM is its folded text; returns the tokens' character starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for token in doc:
        start = token.idx
        end = start + len(token)
        token.norm_ = folded[start:end]
        starts.append(start)
        ends.append(end)
    return starts, ends


# ---------------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Parts:
    """Seconds spent in each part of one run over a list of documents."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


Method = Callable[[Sequence[str]], tuple[Parts, list[list[Hit]]]]


def method_a(by_first_word: dict[str, regex.Pattern[str]]) -> Method:
    def run(texts: Sequence[str]) -> tuple[Parts, list[list[Hit]]]:
        parts = Parts()
        found = []
        for text in texts:
            t0 = time.perf_counter()
            folded = fold(text)
            t1 = time.perf_counter()
            found.append(hits_a(by_first_word, folded))
            t2 = time.perf_counter()
            parts.add("fold", t1 - t0)
            parts.add("scan", t2 - t1)
        return parts, found

    return run


def method_b(vocab: Vocab, matcher: PhraseMatcher) -> Method:
    def run(texts: Sequence[str]) -> tuple[Parts, list[list[Hit]]]:
        parts = Parts()
        found = []
        for text in texts:
            t0 = time.perf_counter()
            folded = fold(text)
            t1 = time.perf_counter()
            words, starts, ends = split_words(folded)
            t2 = time.perf_counter()
            doc = make_doc(vocab, words, starts, ends)
            t3 = time.perf_counter()
            found.append(longest_per_start(vocab, matcher(doc), starts, ends))
            t4 = time.perf_counter()
            parts.add("fold", t1 - t0)
            parts.add("split", t2 - t1)
            parts.add("doc", t3 - t2)
            parts.add("match", t4 - t3)
        return parts, found

    return run


def method_c(nlp: Language, matcher: PhraseMatcher) -> Method:
    def run(texts: Sequence[str]) -> tuple[Parts, list[list[Hit]]]:
        parts = Parts()
        found = []
        for text in texts:
            t0 = time.perf_counter()
            folded = fold(text)
            t1 = time.perf_counter()
            doc = nlp.make_doc(text)
            t2 = time.perf_counter()
            starts, ends = set_folded_norms(doc, folded)
            t3 = time.perf_counter()
            found.append(longest_per_start(nlp.vocab, matcher(doc), starts, ends))
            t4 = time.perf_counter()
            parts.add("fold", t1 - t0)
            parts.add("tokenize", t2 - t1)
            parts.add("norms", t3 - t2)
            parts.add("match", t4 - t3)
        return parts, found

    return run


@dataclass
class Timing:
    best: Parts | None = None
    runs: int = 0
    spent: float = 0.0
    found: list[list[Hit]] = field(default_factory=list)  # the hits of the last run


def best_of(
    methods: dict[str, Method], texts: Sequence[str], repeat: int, budget: float
) -> dict[str, Timing]:
    """The fastest of ``repeat`` runs of each method, the methods taking turns (A, B, C, A, B, C, …) so that a
    slow spell of a shared machine falls on all of them; a method stops repeating once its runs took ``budget``
    seconds (0: never), after one run at least."""
    timings = {name: Timing() for name in methods}
    for _ in range(repeat):
        for name, method in methods.items():
            timing = timings[name]
            if timing.runs and 0 < budget <= timing.spent:
                continue
            gc.collect()
            parts, timing.found = method(texts)
            timing.runs += 1
            timing.spent += parts.total
            if timing.best is None or parts.total < timing.best.total:
                timing.best = parts
    return timings


def timed(build: Callable[[], object], repeat: int) -> float:
    """Best of ``repeat`` one-time constructions, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        regex.purge()  # the regex module caches compiled patterns
        gc.collect()
        t0 = time.perf_counter()
        build()
        best = min(best, time.perf_counter() - t0)
    return best


# ---------------------------------------------------------------------------------------------------------
# Checks and report
# ---------------------------------------------------------------------------------------------------------


def compare(name: str, reference: list[list[Hit]], other: list[list[Hit]], show: int) -> int:
    """Print the hits of A missing from ``other`` and the extra ones (up to ``show`` each); return how many."""
    missing = [(i, hit) for i, hits in enumerate(reference) for hit in sorted(set(hits) - set(other[i]))]
    extra = [(i, hit) for i, hits in enumerate(other) for hit in sorted(set(hits) - set(reference[i]))]
    print(f"  {name}: {sum(map(len, other))} hits; {len(missing)} of A's missing, {len(extra)} not in A")
    for label, rows in (("missing", missing), ("extra", extra)):
        for i, hit in rows[:show]:
            print(f"    {label}: document {i} {hit}")
        if len(rows) > show:
            print(f"    … {len(rows) - show} more {label}")
    return len(missing) + len(extra)


def read_corpus() -> list[str]:
    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "cases").glob("*.txt")
    )
    return [unicodedata.normalize("NFC", path.read_text(encoding="utf-8")) for path in paths]


def rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1e6:6.2f}" if seconds > 0 else "   inf"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per method and size; the best is kept")
    parser.add_argument(
        "--budget", type=float, default=0.0, help="stop repeating after this many seconds (0: off)"
    )
    parser.add_argument("--sizes", default="1,16,64", help="how many times the joined corpus is repeated")
    args = parser.parse_args()

    texts = read_corpus()
    joined = "\n".join(texts)
    sizes: list[tuple[str, list[str]]] = [("1× files", texts)]
    for times in (int(s) for s in args.sizes.split(",")):
        sizes.append((f"{times}×", ["\n".join([joined] * times)]))

    phrases = load_phrases()
    nlp = blank_vi()
    vocab_b = Vocab()
    print(f"{len(phrases)} phrases, {len(texts)} documents, {len(joined):,} characters joined\n")

    print(f"One-time construction (best of {args.repeat}):")
    build_a = timed(lambda: build_first_word_patterns(phrases), args.repeat)
    # Each construction gets a new vocabulary, made before the clock starts.
    vocabs_b = iter([Vocab() for _ in range(args.repeat)])
    vocabs_c = iter([blank_vi().vocab for _ in range(args.repeat)])
    build_b = timed(lambda: build_matcher(next(vocabs_b), phrases, "ORTH"), args.repeat)
    build_c = timed(lambda: build_matcher(next(vocabs_c), phrases, "NORM"), args.repeat)
    print(f"  A compile per-first-word patterns  {build_a * 1e3:8.2f} ms")
    print(f"  B PhraseMatcher ORTH               {build_b * 1e3:8.2f} ms")
    print(f"  C PhraseMatcher NORM               {build_c * 1e3:8.2f} ms\n")

    by_first_word = build_first_word_patterns(phrases)
    methods: dict[str, Method] = {
        "A": method_a(by_first_word),
        "B": method_b(vocab_b, build_matcher(vocab_b, phrases, "ORTH")),
        "C": method_c(nlp, build_matcher(nlp.vocab, phrases, "NORM")),
    }

    print("Hits (A is the reference; B should equal it, C splits at whitespace only):")
    for label, docs in sizes[:2]:
        print(f" {label}:")
        reference = methods["A"](docs)[1]
        print(f"  A: {sum(map(len, reference))} hits")
        compare("B", reference, methods["B"](docs)[1], show=20)
        compare("C", reference, methods["C"](docs)[1], show=3)
    print()

    print(
        f"Best of {args.repeat} runs"
        + (f" (or of those within {args.budget:g} s)" if args.budget > 0 else "")
        + "; M characters/s; parts in ms:"
    )
    header = f"{'size':>9} {'chars':>10} | {'A':>7} {'B':>7} {'C':>7} | {'B/A':>6} {'C/A':>7}"
    rows = []
    differences = 0
    for label, docs in sizes:
        chars = sum(map(len, docs))
        timings = best_of(methods, docs, args.repeat, args.budget)
        best: dict[str, Parts] = {}
        for name, timing in timings.items():
            assert timing.best is not None
            best[name] = timing.best
            parts = ", ".join(f"{part} {seconds * 1e3:.1f}" for part, seconds in timing.best.seconds.items())
            print(f"  {label:>9} {name}: {timing.best.total * 1e3:10.1f} ms ({timing.runs} runs)  {parts}")
        if timings["A"].found != timings["B"].found:
            differences += compare(f"{label} B", timings["A"].found, timings["B"].found, show=20)
        a, b, c = (best[name].total for name in "ABC")
        rows.append(
            f"{label:>9} {chars:>10,} | {rate(chars, a):>7} {rate(chars, b):>7} {rate(chars, c):>7} |"
            f" {b / a:6.2f} {c / a:7.2f}"
        )
    print()
    print(header)
    print("-" * len(header))
    print("\n".join(rows))
    print(f"\nA and B give the same hits at every size: {'no' if differences else 'yes'}")
    if differences:
        sys.exit(1)


if __name__ == "__main__":
    main()
