"""The committed JSON Schema is generated from models/ and must not go stale."""

import json

from extractor.output.schema import SCHEMA_FILE, schema_json
from tests.conftest import ROOT


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_json(), "schemas/ is stale: run `khplan schema > schemas/" + SCHEMA_FILE + "`"


def test_schema_names_the_contract_fields() -> None:
    schema = json.loads(schema_json())
    top = set(schema["properties"])
    assert {
        "schema_version",
        "source",
        "text",
        "metadata",
        "sections",
        "citations",
        "targets",
        "assignments",
    } <= top
    assert {"amounts", "proportions", "breakdowns", "tables", "findings"} <= top
    partial_date = schema["$defs"]["PartialDate"]["properties"]
    assert {"day", "month", "year", "iso", "source"} <= set(partial_date)
