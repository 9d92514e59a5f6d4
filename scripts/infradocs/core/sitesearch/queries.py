"""What readers type to find each component, and the page each search should find first."""

from __future__ import annotations

from infradocs.core.archmodel import Model
from infradocs.core.archmodel.terms import ambiguous, split_terms


def queries(model: Model) -> list[tuple[str, str]]:
    """(query, expected docname) for every term a single component owns, sorted."""
    return sorted((term, comp.page) for comp in model for term in split_terms(comp, model)[0])


__all__ = ["ambiguous", "queries"]
