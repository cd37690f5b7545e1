"""Headers and signatures from real copies (corpus/cases/header-*.txt): web pages with layout tables as pipe rows,
lines broken mid-phrase, ``pdftotext -layout`` with the two columns side by side, signatures on the recipients'
lines, Word tables pasted with tabs. Expected values (corpus/expected/header-*.json) were read off each copy
as an auditor reads the paper: number, place and date, issuer, title, signer, position, authorities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from extractor.normalize.text import matching_key
from tests.conftest import CASES, EXPECTED, extracted

COPIES = sorted(EXPECTED.glob("header-*.json"))


def issuer_key(text: str | None) -> str | None:
    """The issuer as written ("ỦY BAN NHÂN DÂN XÃ TAM DÂN") and as the output writes it ("UBND xã Tam Dân")
    compare equal: case, punctuation and the UBND/HĐND abbreviations do not matter."""
    if text is None:
        return None
    key = matching_key(text).replace("ủy ban nhân dân", "ubnd").replace("hội đồng nhân dân", "hđnd")
    return " ".join(regex.sub(r"[^\w\s]", " ", key).split())


def view(path: Path) -> dict:
    metadata = extracted(path).metadata
    date = metadata.date
    return {
        "issuer": issuer_key(
            " ".join(item.value for item in (metadata.issuer_parent, metadata.issuer) if item)
        ),
        "number": metadata.number,
        "symbol": metadata.symbol.value if metadata.symbol else None,
        "place": metadata.place.value if metadata.place else None,
        "date": {"day": date.day, "month": date.month, "year": date.year} if date else None,
        "doc_type": metadata.doc_type.value if metadata.doc_type else None,
        "title": " ".join(metadata.title.value.split()) if metadata.title else None,
        "signer": metadata.signer.name.value if metadata.signer.name else None,
        "position": metadata.signer.position.value if metadata.signer.position else None,
        "authority": [item.value for item in metadata.signer.authority],
    }


@pytest.mark.parametrize("expected_file", COPIES, ids=lambda path: path.stem.removeprefix("header-"))
def test_metadata_of_a_real_copy(expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))["metadata"]
    expected = {**expected, "issuer": issuer_key(expected["issuer"])}
    assert view(CASES / f"{expected_file.stem}.txt") == expected


def test_the_copies_cover_the_layouts() -> None:
    kinds = {path.stem.split("-")[1] for path in COPIES}
    assert {"web", "pdftotext", "signer", "number", "word"} <= kinds
