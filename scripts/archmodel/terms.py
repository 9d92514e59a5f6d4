"""Search terms of a component: which it claims as its own, and which it only mentions."""

from __future__ import annotations

from .load import Component


def own_terms(comp: Component) -> list[str]:
    """Terms whose search should land on this page: title, id, keywords, a token's names."""
    terms = [comp.title, comp.id, *comp.get("keywords", [])]
    if comp.kind == "token":
        terms += comp.get("credentials", [])
    return list(dict.fromkeys(t.strip() for t in terms if t.strip()))


def mentioned_terms(comp: Component) -> list[str]:
    """Credential names a non-token component uses: indexed, but ranked below their token's page."""
    if comp.kind == "token":
        return []
    own = set(own_terms(comp))
    return [c for c in dict.fromkeys(comp.get("credentials", [])) if c not in own]
