"""A synthetic, schema-valid inventory of N repositories (default 25,000) for the benchmark."""

from __future__ import annotations

import random
from typing import Any

PROVIDERS = ["azure-pipelines", "github-actions", "travis-ci", "circleci", "drone", "appveyor"]
TRIGGERS = [
    "push",
    "pull_request",
    "pull_request_target",
    "schedule",
    "workflow_dispatch",
    "issue_comment",
    "release",
    "workflow_run",
    "repository_dispatch",
    "merge_group",
]
RUNNERS = [
    "ubuntu-latest",
    "ubuntu-22.04",
    "macos-latest",
    "macos-13",
    "windows-latest",
    "windows-2019",
    "self-hosted",
    "cirun-openstack-gpu",
    "ubuntu-24.04-arm",
    "macOS-12",
]
AUDITS = [
    ("zizmor", a)
    for a in (
        "artipacked",
        "excessive-permissions",
        "unpinned-uses",
        "template-injection",
        "github-app",
        "dangerous-triggers",
        "cache-poisoning",
        "misfeature",
        "unpinned-images",
        "secrets-inherit",
    )
] + [
    ("infra-docs", a)
    for a in (
        "azure-fork-pr-credentials",
        "secret-outside-scope",
        "third-party-branch-pin",
        "write-without-permissions",
    )
]
SEVERITIES = ["informational", "low", "medium", "high"]


def _actions(rng: random.Random, n: int) -> list[str]:
    owners = [
        "actions",
        "github",
        "conda-forge",
        "regro",
        "docker",
        "peter-evans",
        "mamba-org",
        "codecov",
        "pypa",
        "softprops",
    ] + [f"vendor{i}" for i in range(40)]
    out = []
    for i in range(n):
        owner = owners[i % len(owners)]
        out.append(f"{owner}/action-{i}")
    return out


def _ref(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return "".join(rng.choice("0123456789abcdef") for _ in range(40))
    if r < 0.9:
        return f"v{rng.randint(1, 6)}"
    return rng.choice(["main", "master", "develop"])


def generate(count: int = 25_000, seed: int = 1) -> dict[str, Any]:
    """The inventory document (repeatable for a given seed)."""
    rng = random.Random(seed)
    actions = _actions(rng, 300)
    secrets = [f"SECRET_{i}_TOKEN" for i in range(80)] + ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN"]
    crons = [f"{m} {h} * * *" for m in (0, 15, 30, 45) for h in range(0, 24, 2)]
    repos = []
    for i in range(count):
        name = f"conda-forge/pkg{i:05d}-feedstock" if i % 10 else f"conda-forge/tool-{i:05d}"
        commit = f"{rng.getrandbits(160):040x}"
        providers = sorted(set(rng.sample(PROVIDERS, rng.randint(1, 3))))
        workflows = []
        for j in range(rng.randint(1, 6)):
            provider = rng.choice(providers)
            wf_secrets = sorted(set(rng.sample(secrets, rng.randint(0, 3))))
            findings = []
            for _ in range(rng.randint(0, 4)):
                tool, audit = rng.choice(AUDITS)
                findings.append(
                    {
                        "tool": tool,
                        "audit": audit,
                        "severity": rng.choice(SEVERITIES),
                        "confidence": rng.choice(["low", "medium", "high"]),
                        "line": rng.randint(1, 200),
                        "message": f"synthetic {audit}",
                    }
                )
            gha = provider == "github-actions"
            workflows.append(
                {
                    "path": f".github/workflows/w{j}.yml" if gha else f".ci/{provider}-{j}.yml",
                    "provider": provider,
                    "name": f"workflow {j}",
                    "triggers": sorted(set(rng.sample(TRIGGERS, rng.randint(1, 3)))) if gha else [],
                    "schedules": sorted({rng.choice(crons)}) if rng.random() < 0.2 else [],
                    "actions": sorted(
                        {f"{rng.choice(actions)}@{_ref(rng)}" for _ in range(rng.randint(0, 6))}
                    )
                    if gha
                    else [],
                    "secrets": wf_secrets,
                    "runners": sorted(set(rng.sample(RUNNERS, rng.randint(1, 2)))),
                    "permissions": None,
                    "findings": findings,
                }
            )
        providers = sorted({w["provider"] for w in workflows})
        repos.append(
            {
                "name": name,
                "commit": commit,
                "ci_providers": providers,
                "workflows": workflows,
                "secrets": sorted({s for w in workflows for s in w["secrets"]}),
                "services": [],
                "conda_forge_yml": None,
                "problems": [],
            }
        )
    return {
        "schema_version": 1,
        "generated": {"at": "2026-01-01T00:00:00Z", "sources": []},
        "repos": repos,
        "security": {"at": "2026-01-01T00:00:00Z", "tools": {"zizmor": "synthetic"}},
    }
