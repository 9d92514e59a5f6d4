"""Validate an inventory document against the JSON Schema shipped beside this module."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@cache
def schema() -> dict:
    """The inventory JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def errors(doc: dict) -> list[str]:
    """Every schema violation in ``doc`` as ``path: message`` (empty when valid)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    return [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]
