"""Azure Pipelines steps that get upload credentials and also run for pull requests from forks.

zizmor has no counterpart: it reads GitHub Actions workflows and actions, Dependabot and
pre-commit files, never ``azure-pipelines.yml``; its ``dangerous-triggers`` is the nearest
audit, for ``pull_request_target`` in GitHub Actions."""

from __future__ import annotations

import re

import yaml

from infradocs.core.inventory import yamlnodes as yn
from infradocs.core.security.findings import finding

AUDIT = "azure-fork-pr-credentials"
MACRO = re.compile(r"\$\(([A-Za-z0-9_]+)\)")
UPLOAD = re.compile(r"(BINSTAR|ANACONDA|UPLOAD|PYPI|TWINE|STAGING|FEEDSTOCK|QUAY|DOCKER)", re.I)
SECRETISH = re.compile(r"(TOKEN|KEY|PASSWORD|SECRET)", re.I)
GUARD = re.compile(r"PullRequest|IsFork", re.I)


def upload_name(name: str, known: frozenset[str]) -> bool:
    """Whether a variable name is an upload credential (from the model, or by its name)."""
    return name in known or bool(UPLOAD.search(name) and SECRETISH.search(name))


def pr_enabled(root: bytes | None) -> bool:
    """Whether the pipeline runs for pull requests: only ``pr: none`` (or empty) turns it off."""
    if root is None:
        return True
    for doc in yn.compose(root):
        pr = yn.get(doc, "pr")
        if pr is None:
            continue
        value = yn.text(pr)
        if value is not None and value.strip().lower() in ("none", "", "false", "null"):
            return False
        if isinstance(pr, yaml.SequenceNode) and not pr.value:
            return False
    return True


def check(data: bytes, runs_on_prs: bool, known: frozenset[str] = frozenset()) -> list[dict]:
    """Findings for steps whose ``env`` maps an upload credential, with no PR condition above."""
    if not runs_on_prs:
        return []
    out: list[dict] = []
    for doc in yn.compose(data):
        _visit(doc, False, known, out)
    return out


def _visit(node: yaml.Node, guarded: bool, known: frozenset[str], out: list[dict]) -> None:
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _visit(child, guarded, known, out)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    cond = yn.text(yn.get(node, "condition"))
    guarded = guarded or bool(cond and GUARD.search(cond))
    env = yn.get(node, "env")
    if not guarded and env is not None:
        for name, key, value in yn.items(env):
            names = set(MACRO.findall(yn.text(value) or "")) | {name}
            creds = sorted(n for n in names if upload_name(n, known))
            if creds:
                out.append(
                    finding(
                        AUDIT,
                        "medium",
                        "low",
                        yn.line(key),
                        f"step gets upload credential {creds[0]} and the pipeline runs for pull "
                        "requests; if the Azure project makes secrets available to fork builds, "
                        "a fork's code can read it. Add a condition that skips pull requests",
                    )
                )
    for key, _, value in yn.items(node):
        if key != "env":
            _visit(value, guarded, known, out)
