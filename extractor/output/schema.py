"""The JSON Schema of the output, generated from the pydantic models (the contract)."""

import json

from models import ExtractedDocument

SCHEMA_FILE = "extracted_document.schema.json"


def schema_json() -> str:
    """The JSON Schema of ``ExtractedDocument`` as stable, indented JSON (committed under ``schemas/``)."""
    schema = ExtractedDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
