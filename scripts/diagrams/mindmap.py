"""A mindmap of the repositories by role; past the node limit, one mindmap per role."""

from __future__ import annotations

import re
from collections import defaultdict

from archmodel import Component, Model

from .graph import LIMIT
from .mermaid import HEADER, node_id, plain

NO_ROLE = "no role given"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "role"


def _leaf(comp: Component) -> str:
    if comp.status == "retired":
        return f'    {node_id(comp.id)})"{plain(comp.title)} retired"('
    return f'    {node_id(comp.id)}["{plain(comp.title)}"]'


def _map(title: str, roles: dict[str, list[Component]], counts_only: bool) -> str:
    lines = [HEADER, f"%% {title}", "mindmap", '  root(("Repositories"))']
    for role in sorted(roles):
        comps = roles[role]
        lines.append(f'    {node_id(_slug(role), "r")}["{plain(role)} - {len(comps)}"]')
        if not counts_only:
            lines += ["  " + _leaf(c) for c in sorted(comps, key=lambda c: c.id)]
    return "\n".join(lines) + "\n"


def mindmaps(model: Model) -> dict[str, str]:
    """``repositories.mmd`` (and ``repositories-<role>.mmd`` per role when it is too big)."""
    roles: dict[str, list[Component]] = defaultdict(list)
    for comp in model:
        if comp.kind == "repository":
            roles[comp.get("role") or NO_ROLE].append(comp)
    total = 1 + len(roles) + sum(len(v) for v in roles.values())
    if total <= LIMIT:
        return {"repositories.mmd": _map("Repositories by role", roles, False)}
    out = {"repositories.mmd": _map("Repositories by role (counts; one map per role)", roles, True)}
    for role, comps in sorted(roles.items()):
        name, n = f"repositories-{_slug(role)}", 1
        while f"{name}.mmd" in out:  # two roles with the same slug: number the later one
            n += 1
            name = f"repositories-{_slug(role)}-{n}"
        out[f"{name}.mmd"] = _map(f"Repositories: {role}", {role: comps}, False)
    return out
