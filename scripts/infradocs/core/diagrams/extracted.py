"""Read the inventory snapshot and turn what it proves into extracted relations on model ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core.archmodel import Component, Model
from infradocs.core.diagrams.graph import Edge
from infradocs.core.inventory import snapshot

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
    commit: str = ""
    secret_files: dict[str, list[str]] = field(default_factory=dict)  # name -> CI files using it


@dataclass
class Inventory:
    """The parsed snapshot: status present, missing or invalid; repos by lower-case name."""

    path: Path
    status: str
    repos: dict[str, RepoFacts] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _names(items: list) -> list[str]:
    """Names from a list of strings or of objects with a name (services), sorted and unique."""
    return sorted({i if isinstance(i, str) else i["name"] for i in items})


def _secret_files(repo: dict) -> dict[str, list[str]]:
    """Secret name -> the repository's CI files that use it, sorted."""
    out: dict[str, set[str]] = {}
    for wf in repo.get("workflows", []):
        for name in wf.get("secrets") or []:
            out.setdefault(name, set()).add(wf["path"])
    return {name: sorted(paths) for name, paths in sorted(out.items())}


def load_inventory(path: Path) -> Inventory:
    """The schema-checked snapshot (infradocs.core.inventory.snapshot); each bad part is a problem
    naming the
    file, and the rest is kept."""
    if not path.exists():
        return Inventory(path, "missing")
    try:
        snap = snapshot.read(path)
    except snapshot.SnapshotError as exc:
        return Inventory(path, "invalid", problems=[str(exc)])
    inv = Inventory(path, "present", problems=list(snap.problems))
    for repo in snap.doc["repos"]:
        facts = RepoFacts(
            repo["name"],
            _names(repo["ci_providers"]),
            _names(repo["secrets"]),
            _names(repo["services"]),
            repo.get("commit") or "",
            _secret_files(repo),
        )
        key = facts.name.lower()
        if key in inv.repos:
            inv.problems.append(f"{path}: {facts.name}: listed twice; the later entry is ignored")
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
