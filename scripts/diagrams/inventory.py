"""Read the inventory snapshot and turn what it proves into extracted relations on model ids."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from archmodel import Component, Model

from .graph import Edge

# Inventory CI provider names -> model component ids (checked against the model at use).
CI_PROVIDERS = {
    "appveyor": "appveyor",
    "azure-pipelines": "azure-pipelines",
    "circleci": "circleci",
    "cirun": "cirun",
    "drone": "drone",
    "github-actions": "github-actions",
    "gitlab-ci": "gitlab-ci",
    "travis-ci": "travis-ci",
    "woodpecker": "woodpecker",
}
# Inventory service names -> (model component id, relation type).
SERVICES = {
    "anaconda.org": ("anaconda-org", "uploads-to"),
    "docker-hub": ("docker-hub-images", "uploads-to"),
    "quay.io": ("quay-images", "uploads-to"),
    "heroku": ("heroku", "deploys-to"),
    "github-pages": ("github-pages", "deploys-to"),
}
# Secrets every GitHub Actions run gets without anyone storing them: not credentials to map.
AUTOMATIC_SECRETS = {"GITHUB_TOKEN"}


@dataclass
class RepoFacts:
    """What the inventory says about one repository."""

    name: str
    ci_providers: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)


@dataclass
class Inventory:
    """The parsed snapshot: status present, missing or invalid; repos by lower-case name."""

    path: Path
    status: str
    repos: dict[str, RepoFacts] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _names(value, where: str, problems: list[str], keys=("name", "provider")) -> list[str]:
    """Names from a list of strings or of objects with a name field; bad items become problems."""
    if not isinstance(value, list):
        if value is not None:
            problems.append(f"{where}: expected a list, got {type(value).__name__}")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and any(isinstance(item.get(k), str) for k in keys):
            out.append(next(item[k] for k in keys if isinstance(item.get(k), str)))
        else:
            problems.append(f"{where}[{i}]: expected a name, got {json.dumps(item)[:60]}")
    return sorted(set(out))


def load_inventory(path: Path) -> Inventory:
    """Parse the inventory JSON; every bad part is a problem naming the file, the rest is kept."""
    if not path.exists():
        return Inventory(path, "missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return Inventory(path, "invalid", problems=[f"{path}: cannot read: {exc}"])
    except json.JSONDecodeError as exc:
        return Inventory(
            path, "invalid", problems=[f"{path}:{exc.lineno}: invalid JSON: {exc.msg}"]
        )
    inv = Inventory(path, "present")
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list):
        inv.status = "invalid"
        inv.problems.append(f"{path}: no 'repos' list at the top level")
        return inv
    for i, repo in enumerate(repos):
        where = f"{path}: repos[{i}]"
        if not isinstance(repo, dict) or not isinstance(repo.get("name"), str):
            inv.problems.append(f"{where}: an entry without a 'name' string")
            continue
        where = f"{path}: {repo['name']}"
        facts = RepoFacts(
            repo["name"],
            _names(repo.get("ci_providers"), f"{where}: ci_providers", inv.problems),
            _names(repo.get("secrets"), f"{where}: secrets", inv.problems),
            _names(repo.get("services"), f"{where}: services", inv.problems),
        )
        key = facts.name.lower()
        if key in inv.repos:
            inv.problems.append(f"{where}: listed twice; the later entry is ignored")
            continue
        inv.repos[key] = facts
    return inv


def repo_components(model: Model) -> dict[str, list[Component]]:
    """Model components by their lower-case ``repo`` field."""
    out: dict[str, list[Component]] = {}
    for comp in model:
        if comp.get("repo"):
            out.setdefault(comp.repo.lower(), []).append(comp)
    return out


def primary(comps: list[Component]) -> Component:
    """The component extracted relations attach to: a repository if there is one, else by id."""
    return sorted(comps, key=lambda c: (c.kind != "repository", c.id))[0]


def secret_tokens(model: Model) -> dict[str, list[str]]:
    """Secret name -> ids of the token components that list it in ``credentials``."""
    out: dict[str, list[str]] = {}
    for comp in model:
        if comp.kind == "token":
            for name in comp.get("credentials", []):
                out.setdefault(name, []).append(comp.id)
    return out


def extracted_edges(model: Model, inv: Inventory) -> set[Edge]:
    """The relations the inventory proves between model components (marked extracted)."""
    edges: set[Edge] = set()
    by_repo, tokens = repo_components(model), secret_tokens(model)
    for key, facts in inv.repos.items():
        if key not in by_repo:
            continue
        src = primary(by_repo[key]).id
        for prov in facts.ci_providers:
            target = CI_PROVIDERS.get(prov)
            if target in model:
                edges.add(Edge(src, target, "builds-on", "extracted"))
        for name in facts.secrets:
            for tok in tokens.get(name, []):
                edges.add(Edge(src, tok, "depends-on", "extracted"))
        for svc in facts.services:
            target, rtype = SERVICES.get(svc, (None, None))
            if target in model:
                edges.add(Edge(src, target, rtype, "extracted"))
    return edges
