"""What readers type to find each component: its title, id, credential names and keywords."""

from __future__ import annotations

from archmodel import Model


def queries(model: Model) -> list[tuple[str, str]]:
    """(query, expected docname) pairs, sorted; a query that names two components is left out."""
    owners: dict[str, set[str]] = {}
    for comp in model:
        terms = [comp.title, comp.id, *comp.get("credentials", []), *comp.get("keywords", [])]
        for term in terms:
            owners.setdefault(term.strip(), set()).add(comp.page)
    return sorted((q, pages.pop()) for q, pages in owners.items() if q and len(pages) == 1)


def ambiguous(model: Model) -> list[tuple[str, list[str]]]:
    """Queries that more than one component claims (each needs a distinct term)."""
    owners: dict[str, set[str]] = {}
    for comp in model:
        for term in [comp.title, comp.id, *comp.get("credentials", []), *comp.get("keywords", [])]:
            owners.setdefault(term.strip(), set()).add(comp.page)
    return sorted((q, sorted(p)) for q, p in owners.items() if len(p) > 1)
