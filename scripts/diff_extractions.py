"""List every difference between two folders of `khplan extract` results (one FILE.json per document).

Usage: python scripts/diff_extractions.py BEFORE_DIR AFTER_DIR [--ignore FIELD …] [--tolerance T] [--summary]

Made for refactors that must not change what khplan reads: extract the corpus before and after
(`khplan extract FILES… -o DIR`), then run this. Each difference is one line,
``<file> <json path>: <before> -> <after>``; lists are compared item by item, a list that grew or shrank says
so. ``--ignore source.path`` skips a field wherever it occurs (dotted path without list indices);
``--tolerance 0.001`` treats two numbers (boxes in points) closer than that as equal and counts them apart;
``--summary`` prints only the count of differences per file and per top-level field. Exit code 0 when the
folders agree, 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_SHOWN = 160
# Numbers closer than the --tolerance are counted here, not listed.
NEAR_EQUAL: list[str] = []
TOLERANCE = [0.0]


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _numbers(*values: Any) -> bool:
    return all(isinstance(value, int | float) and not isinstance(value, bool) for value in values)


def _bare(path: str) -> str:
    """ "targets.[3].population" -> "targets.population"."""
    return ".".join(part for part in path.split(".") if part and not part.startswith("["))


def differences(
    before: Any, after: Any, path: str = "", ignore: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Any, Any]]:
    """(json path, before, after) for every leaf that differs, fields in ``ignore`` left out."""
    if _bare(path) in ignore:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            child = f"{path}.{key}" if path else key
            if _bare(child) in ignore:
                continue
            if key not in before:
                yield child, "(absent)", after[key]
            elif key not in after:
                yield child, before[key], "(absent)"
            else:
                yield from differences(before[key], after[key], child, ignore)
    elif isinstance(before, list) and isinstance(after, list):
        yield from _list_differences(before, after, path, ignore)
    elif _numbers(before, after) and abs(before - after) <= TOLERANCE[0]:
        if before != after:
            NEAR_EQUAL.append(path)
    elif before != after:
        yield path, before, after


def _item_key(item: Any) -> str | None:
    """What identifies a list item across two runs: its text span (an entity), its rule and location (a
    finding), its id (a table, a section); None for plain values, compared by position."""
    if not isinstance(item, dict):
        return None
    if "rule" in item and "location" in item:
        return json.dumps([item["rule"], item["location"], item.get("stated")], sort_keys=True)
    for field in ("span", "id"):
        if item.get(field) is not None:
            return json.dumps(item[field], sort_keys=True)
    return None


def _list_differences(
    before: list[Any], after: list[Any], path: str, ignore: frozenset[str]
) -> Iterator[tuple[str, Any, Any]]:
    """Items matched by their key (inserting one item does not make every later one differ), else by position."""
    old_keys, new_keys = [_item_key(item) for item in before], [_item_key(item) for item in after]
    if (
        None in old_keys
        or None in new_keys
        or len(set(old_keys)) < len(old_keys)
        or len(set(new_keys)) < len(new_keys)
    ):
        for index in range(min(len(before), len(after))):
            yield from differences(before[index], after[index], f"{path}.[{index}]", ignore)
        for index in range(len(after), len(before)):
            yield f"{path}.[{index}]", before[index], "(absent)"
        for index in range(len(before), len(after)):
            yield f"{path}.[{index}]", "(absent)", after[index]
        return
    new_at = {key: index for index, key in enumerate(new_keys)}
    old_at = {key: index for index, key in enumerate(old_keys)}
    for index, key in enumerate(old_keys):
        if key in new_at:
            yield from differences(before[index], after[new_at[key]], f"{path}.[{index}]", ignore)
        else:
            yield f"{path}.[{index}]", before[index], "(absent)"
    for index, key in enumerate(new_keys):
        if key not in old_at:
            yield f"{path}.[{index}]", "(absent)", after[index]
    common_old = [key for key in old_keys if key in new_at]
    common_new = [key for key in new_keys if key in old_at]
    if common_old != common_new:
        yield f"{path}.order", "(as before)", "(items in another order)"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", action="append", default=[], metavar="FIELD")
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--tolerance", type=float, default=0.0)
    args = parser.parse_args()
    TOLERANCE[0] = args.tolerance
    ignore = frozenset(args.ignore)
    names = sorted({p.name for p in args.before.glob("*.json")} | {p.name for p in args.after.glob("*.json")})
    total = 0
    for name in names:
        old, new = args.before / name, args.after / name
        if not old.exists() or not new.exists():
            print(f"{name}: only in {'after' if not old.exists() else 'before'}")
            total += 1
            continue
        found = list(
            differences(json.loads(old.read_text("utf-8")), json.loads(new.read_text("utf-8")), "", ignore)
        )
        total += len(found)
        if args.summary:
            if found:
                fields = Counter(path.split(".")[0] for path, _, _ in found)
                print(f"{name}: {len(found)} ({', '.join(f'{k} {v}' for k, v in fields.most_common())})")
            continue
        for path, before, after in found:
            print(f"{name} {path}: {_short(before)} -> {_short(after)}")
    print(f"{total} differences in {len(names)} files", file=sys.stderr)
    if NEAR_EQUAL:
        fields = sorted({_bare(path) for path in NEAR_EQUAL})
        print(f"{len(NEAR_EQUAL)} numbers within {args.tolerance} of before, in {fields}", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
