"""How the groups relate: a matrix of the relations between their components."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.graph import (
    GROUP_TITLES,
    Edge,
    group_page,
    group_rank,
    merge_origins,
    phrase,
)


def group_matrix(model: Model, edges: set[Edge]) -> dict:
    """How each group relates to each other group: the words of the relation types between
    their components and the strongest origin (retired components left out). As a table, this
    reads without the crossings a drawing of so many arrows between few boxes cannot avoid."""
    where = {c.id: c.group for c in model if c.status != "retired"}
    pairs: dict[tuple[str, str], set[Edge]] = defaultdict(set)
    for e in edges:
        src, dst = where.get(e.source), where.get(e.target)
        if src and dst and src != dst:
            pairs[(src, dst)].add(replace(e, source=src, target=dst, label=""))
    groups = sorted({g for pair in pairs for g in pair}, key=lambda g: (group_rank(g), g))
    cells = []
    for (src, dst), group_edges in sorted(pairs.items()):
        merged = merge_origins(group_edges)
        origins = {e.origin for e in merged}
        words = sorted({phrase(e.type, "token" if src == "tokens" else "") for e in merged})
        origin = next(o for o in ("both", "curated", "extracted") if o in origins)
        cells.append({"source": src, "target": dst, "words": words, "origin": origin})
    rows = [{"id": g, "title": GROUP_TITLES.get(g, g), "page": group_page(g)} for g in groups]
    return {"groups": rows, "cells": cells}
