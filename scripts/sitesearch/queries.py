"""What readers type to find each component: its title, id, keywords and a token's names."""

from __future__ import annotations

from archmodel import Model
from archmodel.terms import own_terms


def _claims(model: Model) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for comp in model:
        for term in own_terms(comp):
            owners.setdefault(term, set()).add(comp.page)
    return owners


def queries(model: Model) -> list[tuple[str, str]]:
    """(query, expected docname) pairs, sorted; a term two components claim is left out."""
    return sorted((q, next(iter(p))) for q, p in _claims(model).items() if len(p) == 1)


def ambiguous(model: Model) -> list[tuple[str, list[str]]]:
    """Terms that more than one component claims as its own (each needs a distinct term)."""
    return sorted((q, sorted(p)) for q, p in _claims(model).items() if len(p) > 1)
