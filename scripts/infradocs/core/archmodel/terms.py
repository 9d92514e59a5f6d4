"""Search terms: which component's page a term should find first, and which pages only mention it.

A term belongs to the component with the strongest claim on it: its title or id first, then a
token's credential names, then keywords, then the names of credentials a component uses.
Weaker claimants still index the term, ranked lower.
"""

from __future__ import annotations

from infradocs.core.archmodel.load import Component, Model

TIERS = ("title or id", "token credential", "keyword", "credential in use")


def claims(comp: Component) -> list[tuple[str, int]]:
    """(term, tier) for every term the component offers; lower tier is a stronger claim."""
    out = [(comp.title, 0), (comp.id, 0)]
    creds = comp.get("credentials", [])
    out += [(c, 1 if comp.kind == "token" else 3) for c in creds]
    out += [(k, 2) for k in comp.get("keywords", [])]
    return [(t.strip(), tier) for t, tier in out if t.strip()]


def _key(term: str) -> str:
    """Search compares terms case-insensitively."""
    return term.casefold()


def owners(model: Model) -> dict[str, tuple[int, frozenset[str]]]:
    """Term key -> (strongest tier, ids of the components claiming it at that tier)."""
    best: dict[str, tuple[int, set[str]]] = {}
    for comp in model:
        for term, tier in claims(comp):
            key = _key(term)
            held = best.get(key)
            if held is None or tier < held[0]:
                best[key] = (tier, {comp.id})
            elif tier == held[0]:
                held[1].add(comp.id)
    return {k: (tier, frozenset(ids)) for k, (tier, ids) in best.items()}


def split_terms(comp: Component, model: Model) -> tuple[list[str], list[str]]:
    """(terms whose search should land on this page, terms it only mentions), de-duplicated."""
    table = owners(model)
    own, mentioned = {}, {}
    for term, _tier in claims(comp):
        ids = table[_key(term)][1]
        (own if ids == {comp.id} else mentioned).setdefault(_key(term), term)
    return list(own.values()), [t for k, t in mentioned.items() if k not in own]


def ambiguous(model: Model) -> list[tuple[str, str, list[str]]]:
    """(term, tier name, ids) for terms two components claim equally strongly."""
    return sorted(
        (term, TIERS[tier], sorted(ids))
        for term, (tier, ids) in owners(model).items()
        if len(ids) > 1 and TIERS[tier] != "credential in use"
    )
