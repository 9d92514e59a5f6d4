"""The rule against hand-typed holder lists: a page paragraph or list item, or a model text
field, that names a synced secret together with two or more of the repositories the secret sync
gives it to. Holder lists are rendered from the snapshot
(infradocs.sphinxext.security_holders_render) instead."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

RULE = "hand-typed-holders"
TEXT_FIELDS = ("summary", "runs_on")


def holders_by_secret(doc: dict) -> dict[str, set[str]]:
    """Secret name -> repositories the secret sync gives it to (GitHub Actions, selected)."""
    out: dict[str, set[str]] = {}
    for cred in (doc.get("secret_sync") or {}).get("credentials", []):
        repos = {h["name"] for h in cred["holders"] if h["kind"] == "repository"}
        if repos:
            out.setdefault(cred["name"], set()).update(repos)
    return out


@cache
def _standalone(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.-]){re.escape(word)}(?![\w-])")


def _named(text: str, word: str) -> bool:
    """``word`` (a secret or a repository's short name) stands on its own in ``text`` (the
    substring test first: most texts name none of the words)."""
    return word in text and _standalone(word).search(text) is not None


def offence(text: str, holders: dict[str, set[str]], own: tuple[str, ...] = ()) -> str | None:
    """The warning for ``text`` when it names a synced secret (or is about one of ``own``, the
    credentials of the component it belongs to) and two or more of that secret's holders."""
    for name, repos in sorted(holders.items()):
        if name not in own and not _named(text, name):
            continue
        found = sorted(r for r in repos if _named(text, r.split("/", 1)[-1]))
        if len(found) >= 2:
            return (
                f"{RULE}: names {name} with its holders {', '.join(found)}; holder lists are "
                "rendered from the secret sync on the token's page, never typed"
            )
    return None


def model_texts(comp) -> Iterator[tuple[str, str]]:
    """(field, text) of a component's free-text fields."""
    for field in TEXT_FIELDS:
        if comp.get(field):
            yield field, comp.get(field)
    for i, trigger in enumerate(comp.get("triggers", [])):
        yield f"triggers[{i}]", trigger
    for rel in comp.get("relations", []):
        if rel.get("label"):
            yield f"relation {rel['type']} {rel['target']} label", rel["label"]


def model_offences(model, holders: dict[str, set[str]]) -> list[str]:
    """``file:line: component: field: warning`` for each offending model text field."""
    out = []
    for comp in model:
        own = tuple(comp.get("credentials", []))
        for field, text in model_texts(comp):
            found = offence(text, holders, own)
            if found:
                out.append(f"{comp.where}: component {comp.id}: {field}: {found}")
    return out
