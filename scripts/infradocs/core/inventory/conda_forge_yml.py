"""The parts of a feedstock's conda-forge.yml the inventory reports: providers and bot settings."""

from __future__ import annotations

from typing import Any

from infradocs.core.inventory.extract import jsonsafe
from infradocs.core.inventory.yamlload import decode, load

KEYS = ("provider", "build_platform", "bot")


def extract(data: bytes) -> dict[str, Any]:
    """``{"settings": {...} | None, "problems": [(line, message)]}`` for conda-forge.yml bytes."""
    text, problem = decode(data)
    if problem:
        return {"settings": None, "problems": [problem]}
    parsed = load(text)
    doc = parsed.docs[0] if parsed.docs else None
    problems = list(parsed.problems)
    if doc is None and not problems:
        return {"settings": {}, "problems": []}
    if not isinstance(doc, dict):
        if doc is not None:
            problems.append((1, "conda-forge.yml is not a mapping"))
        return {"settings": None, "problems": problems}
    settings = {k: jsonsafe(doc[k]) for k in KEYS if k in doc}
    return {"settings": settings, "problems": problems}
