"""Validate an inventory document against the JSON Schema shipped beside this module
(infradocs.core.schemacheck: compiled check first, jsonschema's messages only when refused)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from infradocs.core.schemacheck import Checker

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@cache
def schema() -> dict:
    """The inventory JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _checker() -> Checker:
    return Checker(schema())


def errors(doc: dict) -> list[str]:
    """Every schema violation in ``doc`` as ``path: message`` (empty when valid)."""
    return [f"/{'/'.join(map(str, path))}: {message}" for path, message in _checker().errors(doc)]
