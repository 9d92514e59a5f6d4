"""The token matrix: which component holds which token, each mark linked to its evidence.

Rows are holders, columns tokens; a cell names the secret names behind the mark and links to the
evidence for them: the model's ``credential:`` evidence (curated), else the CI files of the
inventory that use the name (extracted). Secret names no token component lists are kept apart.
Written as ``token-matrix.json``; ``{token-matrix}`` (infradocs.sphinxext.diagrams) draws it as a
table.
"""

from __future__ import annotations

import json

from infradocs.core.archmodel import Component, Model
from infradocs.core.archmodel.permalinks import permalink
from infradocs.core.diagrams.extracted import (
    AUTOMATIC_SECRETS,
    Inventory,
    primary,
    repo_components,
    secret_tokens,
)
from infradocs.core.diagrams.graph import group_rank


def _curated_links(comp: Component, name: str) -> list[str]:
    """Permalinks of the evidence proving that ``comp`` holds secret ``name``."""
    out = []
    for ev in comp.evidence:
        if ev.fact == f"credential: {name}" and ev.repo:
            ver = ev.fields.get("verified") or {}
            out.append(permalink(ev.repo, ev.path, ver.get("commit"), ver.get("line")))
    return out


def token_matrix(model: Model, inv: Inventory) -> dict:
    """Tokens (columns), holders (rows), cells and loose secret names, as plain data."""
    tokens = secret_tokens(model)
    held: dict[tuple[str, str], dict] = {}
    loose: dict[str, set[str]] = {}

    def mark(holder: str, name: str, origin: str, links: list[str]) -> None:
        ids = tokens.get(name)
        if not ids:
            loose.setdefault(name, set()).add(holder)
            return
        for tid in ids:
            cell = held.setdefault((holder, tid), {"names": set(), "origins": set(), "links": []})
            cell["names"].add(name)
            cell["origins"].add(origin)
            cell["links"] += [u for u in links if u not in cell["links"]]

    for comp in model:
        if comp.kind in ("token", "channel"):  # a channel lists the tokens that write to it
            continue
        for name in comp.get("credentials", []):
            mark(comp.id, name, "curated", _curated_links(comp, name))
    by_repo = repo_components(model)
    for key, facts in sorted(inv.repos.items()):
        if key not in by_repo:
            continue
        holder = primary(by_repo[key]).id
        if model[holder].kind in ("token", "channel"):
            continue
        for name in facts.secrets:
            if name not in AUTOMATIC_SECRETS:
                files = facts.secret_files.get(name, [])
                links = [permalink(facts.name, f, facts.commit or None) for f in files]
                mark(holder, name, "extracted", links)
    holders = sorted({h for h, _t in held} | {h for hs in loose.values() for h in hs})
    token_ids = sorted({t for _h, t in held}, key=lambda t: model[t].title.lower())

    def row(cid: str) -> dict:
        c = model[cid]
        return {"id": cid, "title": c.title, "page": c.page, "group": c.group}

    rows = sorted(
        (row(h) for h in holders),
        key=lambda r: (group_rank(r["group"]), r["title"].lower()),
    )
    cells = [
        {
            "holder": h,
            "token": t,
            "names": sorted(cell["names"]),
            "origin": "both" if len(cell["origins"]) > 1 else next(iter(cell["origins"])),
            "links": sorted(cell["links"]),
        }
        for (h, t), cell in sorted(held.items())
    ]
    return {
        "tokens": [row(t) for t in token_ids],
        "holders": rows,
        "cells": cells,
        "loose": [{"name": n, "holders": sorted(hs)} for n, hs in sorted(loose.items())],
    }


def dump_matrix(matrix: dict) -> str:
    """The matrix as stable JSON text."""
    return json.dumps(matrix, indent=1, sort_keys=True) + "\n"
