"""Write small synthetic models and inventories for the generator tests."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

SOURCES = [{"title": "somewhere", "url": "https://example.org/"}]


def comp(cid: str, kind: str, group: str, **extra) -> dict:
    """One model entry with the required fields filled in."""
    entry = {
        "id": cid,
        "title": extra.pop("title", cid.replace("-", " ").title()),
        "kind": kind,
        "status": "active",
        "group": group,
        "owner": "core",
        "summary": f"The {cid} component.",
        "sources": SOURCES,
    }
    entry.update(extra)
    if entry["status"] == "retired":
        entry.setdefault("retired", {"when": "2020", "why": "replaced"})
    return entry


def base_components(repos: int = 3) -> list[dict]:
    """A team, CI providers (one retired), channels, a token, and ``repos`` repositories."""
    out = [
        comp("core", "team", "organisations"),
        comp("github-actions", "ci-provider", "ci"),
        comp("travis-ci", "ci-provider", "ci", status="retired"),
        comp("staging", "channel", "delivery"),
        comp(
            "upload-token",
            "token",
            "tokens",
            credentials=["UPLOAD_TOKEN"],
            relations=[{"type": "holds-token-for", "target": "staging"}],
        ),
    ]
    for i in range(repos):
        out.append(
            comp(
                f"repo-{i:02d}",
                "repository",
                "repositories",
                repo=f"org/repo-{i:02d}",
                role="tooling" if i % 2 else "entry point",
                credentials=["UPLOAD_TOKEN"],
                relations=[{"type": "builds-on", "target": "travis-ci", "label": "old builds"}],
            )
        )
    return out


def write_model(folder: Path, components: list[dict]) -> Path:
    """Split the components into one YAML file per group; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict]] = {}
    for c in components:
        groups.setdefault(c["group"], []).append(c)
    for group, items in groups.items():
        (folder / f"{group}.yaml").write_text(yaml.safe_dump({"components": items}))
    return folder


REPO_DEFAULTS = {
    "commit": None,
    "ci_providers": [],
    "workflows": [],
    "secrets": [],
    "services": [],
    "conda_forge_yml": None,
    "problems": [],
}


def write_inventory(path: Path, repos: list[dict]) -> Path:
    """An inventory snapshot in the extractor's format (fields not given are empty)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    full = [REPO_DEFAULTS | r for r in repos]
    path.write_text(json.dumps({"schema_version": 1, "repos": full}, indent=1))
    return path
