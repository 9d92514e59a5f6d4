"""Facts of files by content key: parsed in this process, or read back from the cache."""

from __future__ import annotations

import json
from typing import Any


def empty_facts() -> dict[str, Any]:
    """Facts of a file that gives none (unparsed, CircleCI, Cirun)."""
    return {
        "name": None,
        "triggers": [],
        "schedules": [],
        "actions": [],
        "secrets": [],
        "runners": [],
        "permissions": None,
        "services": [],
        "problems": [],
    }


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def facts_json(facts: dict[str, Any]) -> str:
    """A file's facts as the cache keeps them."""
    return _COMPACT.encode(facts)


class Facts:
    """``get(key)``: facts parsed here (``memo``) or cached as JSON text (``raw``), parsed once;
    ``text(key)``: their JSON text (equal texts, equal facts)."""

    def __init__(self, raw: dict[str, str], memo: dict[str, dict] | None = None) -> None:
        self.raw = raw
        self.memo = {} if memo is None else memo
        self.texts: dict[str, str] = {}  # JSON text of facts parsed here

    def __contains__(self, key: str) -> bool:
        return key in self.memo or key in self.raw

    def get(self, key: str) -> dict | None:
        """The facts of ``key``, or None when neither parsed nor cached."""
        facts = self.memo.get(key)
        if facts is None and key in self.raw:
            facts = self.memo[key] = json.loads(self.raw[key])
        return facts

    def add(self, key: str, facts: dict[str, Any]) -> None:
        """Facts of ``key`` parsed here."""
        self.memo[key] = facts
        self.texts[key] = facts_json(facts)

    def text(self, key: str) -> str | None:
        """The facts of ``key`` as JSON text (``facts_json``), or None when unknown."""
        text = self.raw.get(key) or self.texts.get(key)
        if text is None and key in self.memo:
            text = self.texts[key] = facts_json(self.memo[key])
        return text
