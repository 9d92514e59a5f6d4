"""A map of the repositories by role (a tree, each repository linked to its component's page);
past the node limit, one map per group of roles. Drawn as a flowchart: Mermaid's mindmaps
cannot link their nodes."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from infradocs.core.archmodel import Component, Model
from infradocs.core.archmodel.kinds import KIND_LABELS
from infradocs.core.diagrams.graph import LIMIT
from infradocs.core.diagrams.mermaid import (
    HEADER,
    NATURAL_SIZE,
    class_lines,
    label,
    node_id,
    page_link,
)

NO_ROLE = "no role given"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "role"


@dataclass(frozen=True)
class Leaf:
    """One repository in the map: its name and whether everything built from it is retired."""

    key: str
    retired: bool
    page: str = ""


def _map(title: str, roles: dict[str, list[Leaf]], counts_only: bool) -> str:
    lines = [HEADER, f"%% {title}", NATURAL_SIZE["flowchart"], "flowchart LR"]
    lines.append('  root(["Repositories"])')
    assigned: dict[str, list[str]] = defaultdict(list)
    clicks = []
    for role in sorted(roles):
        leaves = roles[role]
        rid = node_id(_slug(role), "r")
        lines += [f'  {rid}["{label(role)} - {len(leaves)}"]', f"  root --- {rid}"]
        assigned["collapsed"].append(rid)
        if counts_only:
            continue
        for leaf in sorted(leaves, key=lambda x: x.key):
            lid = node_id(leaf.key)
            text = label(leaf.key) + (" (retired)" if leaf.retired else "")
            lines += [f'  {lid}["{text}"]', f"  {rid} --- {lid}"]
            assigned["retired" if leaf.retired else "repo"].append(lid)
            if leaf.page:
                clicks.append(f'  click {lid} href "{page_link(leaf.page)}"')
    return "\n".join(lines + clicks + class_lines(assigned)) + "\n"


def repositories(model: Model) -> dict[str, list[Leaf]]:
    """Role -> repositories: repository components by their role; other components' source
    repositories by the role their component gives (or its kind)."""
    by_repo: dict[str, list[Component]] = defaultdict(list)
    for comp in model:
        if comp.kind == "repository" or comp.get("repo"):
            by_repo[comp.get("repo") or comp.title].append(comp)
    roles: dict[str, list[Leaf]] = defaultdict(list)
    for key, comps in by_repo.items():
        main = sorted(comps, key=lambda c: (c.kind != "repository", not c.get("role"), c.id))[0]
        if main.get("role"):
            role = main.role
        elif main.kind == "repository":
            role = NO_ROLE
        else:
            role = f"source of a {KIND_LABELS[main.kind].lower()}"
        roles[role].append(Leaf(key, all(c.status == "retired" for c in comps), main.page))
    return roles


def repository_maps(model: Model) -> dict[str, str]:
    """``repositories.mmd`` (and ``repositories-<role>.mmd`` per role when it is too big)."""
    roles = repositories(model)
    total = 1 + len(roles) + sum(len(v) for v in roles.values())
    if total <= LIMIT:
        return {"repositories.mmd": _map("Repositories by role", roles, False)}
    out = {"repositories.mmd": _map("Repositories by role (counts; the roles follow)", roles, True)}
    parts: list[list[str]] = [[]]
    size = 1
    for role in sorted(roles):  # pack whole roles, in order, into maps of at most LIMIT nodes
        need = 1 + len(roles[role])
        if parts[-1] and size + need > LIMIT:
            parts.append([])
            size = 1
        parts[-1].append(role)
        size += need
    for n, part in enumerate(parts, 1):
        title = f"Repositories: {', '.join(part)}"
        out[f"repositories-{n}.mmd"] = _map(title, {r: roles[r] for r in part}, False)
    return out
