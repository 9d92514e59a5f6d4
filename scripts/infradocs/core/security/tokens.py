"""The token map: each secret name, who uses it, what it reaches and who rotates it (names only)."""

from __future__ import annotations

from typing import Any

from infradocs.core.security.posture import file_url


def usage(doc: dict) -> dict[str, dict[str, list[dict]]]:
    """Secret name -> repository -> workflows (path, link) that use it."""
    used: dict[str, dict[str, list[dict]]] = {}
    for repo in doc.get("repos", []):
        for wf in repo["workflows"]:
            for name in wf["secrets"]:
                used.setdefault(name, {}).setdefault(repo["name"], []).append(
                    {"path": wf["path"], "url": file_url(repo, wf["path"], None)}
                )
    return used


def token_map(doc: dict, model) -> list[dict[str, Any]]:
    """One row per secret name (used in the inventory or listed by a token in the model)."""
    governed: dict[str, Any] = {}
    holders: dict[str, list[str]] = {}
    for comp in model:
        for name in comp.get("credentials", []):
            if comp.kind == "token":
                governed.setdefault(name, comp)
            elif comp.get("repo"):
                holders.setdefault(name, []).append(comp.repo)
    used = usage(doc)
    rows = []
    for name in sorted(set(used) | set(governed)):
        token = governed.get(name)
        reaches = []
        owner = None
        if token is not None:
            for rel in token.get("relations", []):
                if rel["type"] == "holds-token-for" and rel["target"] in model:
                    target = model[rel["target"]]
                    reaches.append({"id": target.id, "title": target.title, "page": target.page})
            if token.owner in model:
                team = model[token.owner]
                owner = {"id": team.id, "title": team.title, "page": team.page}
        repos = used.get(name, {})
        rows.append(
            {
                "secret": name,
                "token": None
                if token is None
                else {"id": token.id, "title": token.title, "page": token.page},
                "owner": owner,
                "reaches": reaches,
                "holders": sorted(holders.get(name, [])),
                "repos": [
                    {"repo": r, "workflows": sorted(ws, key=lambda w: w["path"])}
                    for r, ws in sorted(repos.items())
                ],
            }
        )
    return rows
