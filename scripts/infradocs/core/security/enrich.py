"""Add security findings to every workflow of an inventory document, and record the tools used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from infradocs.core.inventory.document import timestamp
from infradocs.core.security import azure_fork_upload, secret_scope, write_permissions, zizmor
from infradocs.core.security.findings import rank
from infradocs.core.security.secret_scope import Scope
from infradocs.core.security.sources import RepoFiles

CHECKS = "2"  # our checks' version: 2 left pinning to zizmor's unpinned-uses (zizmor.yml)
AZURE_ROOT = "azure-pipelines.yml"


@dataclass
class Options:
    """What the enrichment uses: zizmor's program, the secret scope, upload credential names."""

    zizmor_exe: str | None
    scope: Scope
    upload_names: frozenset[str] = frozenset()


def enrich(doc: dict, files_of: Callable[[dict], RepoFiles | None], opts: Options) -> dict:
    """``doc`` with ``findings`` on every workflow and a ``security`` section; changed in place.

    ``files_of(repo)`` gives a repository's files, or None when its source was not found."""
    for repo in doc["repos"]:
        enrich_repo(repo, files_of(repo), opts)
    doc["security"] = {"at": timestamp(), "tools": tools(opts.zizmor_exe)}
    return doc


def tools(zizmor_exe: str | None) -> dict[str, str | None]:
    """What audited: zizmor's version and configuration, and our checks' version."""
    return {
        "zizmor": zizmor.version(zizmor_exe),
        "zizmor-config": zizmor.config_digest(),
        "infra-docs": CHECKS,
    }


def enrich_repo(repo: dict, found: RepoFiles | None, opts: Options) -> None:
    """Findings for one repository's workflows; problems go to its ``problems`` list."""
    problems = repo["problems"]
    if found is None:
        problems.append({"path": None, "line": None, "message": "source not found; not audited"})
        for wf in repo["workflows"]:
            wf["findings"] = []
        return
    for path, message in found.problems:
        problems.append({"path": path, "line": None, "message": message})
    gha = {
        wf["path"]: found.files[wf["path"]]
        for wf in repo["workflows"]
        if wf["provider"] == "github-actions" and wf["path"] in found.files
    }
    audited = zizmor.run(opts.zizmor_exe, gha)
    for path, message in audited.problems:
        problems.append({"path": path, "line": None, "message": message})
    runs_on_prs = _azure_prs(found, problems)
    for wf in repo["workflows"]:
        data = found.files.get(wf["path"])
        result = list(audited.findings.get(wf["path"], []))
        if data is None:
            if wf["provider"] in ("github-actions", "azure-pipelines"):
                problems.append(
                    {"path": wf["path"], "line": None, "message": "file not found; not audited"}
                )
        else:
            result += _ours(repo, wf, data, opts, runs_on_prs, problems)
        wf["findings"] = sorted(result, key=lambda f: (f["line"] or 0, f["audit"], f["message"]))
    repo["problems"] = _dedupe(problems)


def _ours(repo, wf, data, opts, runs_on_prs, problems) -> list[dict]:
    out: list[dict] = []
    checks: list[Callable[[], list[dict]]] = [
        lambda: secret_scope.check(
            repo["name"], wf["secrets"], secret_scope.secret_lines(data, wf["secrets"]), opts.scope
        )
    ]
    if wf["provider"] == "github-actions":
        checks.append(lambda: write_permissions.check(data))
    if wf["provider"] == "azure-pipelines":
        checks.append(lambda: azure_fork_upload.check(data, runs_on_prs, opts.upload_names))
    for run in checks:
        try:
            out += run()
        except ValueError as exc:
            problems.append({"path": wf["path"], "line": None, "message": f"not audited: {exc}"})
    return out


def _azure_prs(found: RepoFiles, problems: list[dict]) -> bool:
    try:
        return azure_fork_upload.pr_enabled(found.files.get(AZURE_ROOT))
    except ValueError:
        return True  # the extractor already reported the file's YAML problem


def _dedupe(problems: list[dict]) -> list[dict]:
    seen = {(p["path"], p["line"], p["message"]): p for p in problems}
    return [seen[k] for k in sorted(seen, key=lambda k: (k[0] or "", k[1] or 0, k[2]))]


def worst(findings: list[dict]) -> dict | None:
    """The most severe (then most confident) finding of a list."""
    return max(findings, key=rank, default=None)
