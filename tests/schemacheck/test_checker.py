"""The schema check: compiled for valid documents, jsonschema's messages for refused ones, and
jsonschema alone for a schema with keywords the compiled check does not know."""

from __future__ import annotations

import subprocess
import sys

from infradocs.core.schemacheck import REFUSED, Checker, used_keywords

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string"}, "tags": {"$ref": "#/$defs/tags"}},
    "$defs": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "unused": {"type": "object", "unevaluatedProperties": False},
    },
}
LATER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$ref": "#/$defs/base",
    "unevaluatedProperties": False,
    "properties": {"extra": {"type": "string"}},
    "$defs": {"base": {"properties": {"name": {"type": "string"}}}},
}


def test_valid_documents_pass_and_refused_ones_are_named_by_path() -> None:
    check = Checker(SCHEMA)
    assert check.errors({"name": "a", "tags": ["x"]}) == []
    found = check.errors({"tags": ["x", 3], "other": 1})
    assert ((), "'name' is a required property") in found
    assert (("tags", 1), "3 is not of type 'string'") in found
    assert any(path == () and "other" in message for path, message in found)
    assert all(message != REFUSED for _, message in found)


def test_only_the_definitions_in_use_decide_whether_the_compiled_check_is_used() -> None:
    assert "unevaluatedProperties" not in used_keywords(SCHEMA)  # only in an unused definition
    assert "unevaluatedProperties" in used_keywords(LATER)
    indirect = {
        "$ref": "#/$defs/a",
        "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"prefixItems": []}},
    }
    assert "prefixItems" in used_keywords(indirect)


def test_a_later_draft_keyword_is_checked_by_jsonschema() -> None:
    """fastjsonschema ignores unevaluatedProperties, so it would let the extra key through."""
    check = Checker(LATER)
    assert check.errors({"name": "a", "extra": "b"}) == []
    found = check.errors({"name": "a", "surprise": 1})
    assert len(found) == 1 and "surprise" in found[0][1]


def test_checking_valid_documents_never_imports_jsonschema() -> None:
    code = (
        "import sys\n"
        "from infradocs.core.schemacheck import Checker\n"
        "from infradocs.core.inventory.validate import errors\n"
        "from infradocs.core.inventory.snapshot import PATH\n"
        "import json\n"
        f"assert Checker({SCHEMA!r}).errors({{'name': 'a'}}) == []\n"
        "assert errors(json.loads(PATH.read_text())) == []\n"
        "print('jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
