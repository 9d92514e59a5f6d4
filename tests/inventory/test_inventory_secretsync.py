"""The secret sync reader (infradocs.core.inventory.secretsync) and its place in the snapshot, on
real git
repositories holding hand-written stand-ins for conda-forge/infrastructure's Pulumi files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from invhelpers import CLI, git, make_repo, run_cli

from infradocs.core.inventory.secretsync import parse
from infradocs.core.inventory.validate import errors
from tests.evidence.holderfixtures import AZURE, GHA, HEROKU, REPOS

GHA_PATH = "sync-secrets-gha/Pulumi.yaml"


def _infra(path: Path, gha: str = GHA) -> Path:
    return make_repo(
        path,
        {
            GHA_PATH: gha,
            "sync-secrets-azure/Pulumi.yaml": AZURE,
            "sync-secrets-heroku/Pulumi.yaml": HEROKU,
        },
        origin="https://github.com/conda-forge/infrastructure",
    )


def _line(text: str, needle: str) -> int:
    return next(n for n, ln in enumerate(text.splitlines(), 1) if needle in ln)


def _by(data: dict, name: str, store: str) -> dict:
    [cred] = [c for c in data["credentials"] if c["name"] == name and c["store"] == store]
    return cred


def test_each_store_with_holders_items_and_lines(tmp_path: Path) -> None:
    data = parse(_infra(tmp_path / "infra"))
    assert data["problems"] == []
    dh = _by(data, "DH_PASSWORD", "github-actions")
    assert (dh["visibility"], dh["item"], dh["line"]) == (
        "selected",
        "dh-password",
        _line(GHA, "secretName: DH_PASSWORD"),
    )
    assert [(h["name"], h["line"]) for h in dh["holders"]] == [
        (f"conda-forge/{r}", _line(GHA, f"- ${{repo-{r}.repoId}}"))
        for r in ("alpha", "beta", "gamma", "delta")
    ]
    staging = _by(data, "STAGING_TOKEN", "github-actions")
    assert (staging["visibility"], staging["holders"]) == ("all", [])
    group = _by(data, "STAGING_TOKEN", "azure-variable-group")
    [holder] = group["holders"]
    assert (holder["kind"], holder["name"], holder["project"]) == (
        "variable-group",
        "anaconda-org",
        "azure-project-id",
    )
    app = _by(data, "DH_PASSWORD", "heroku-config-var")
    assert [(h["kind"], h["name"]) for h in app["holders"]] == [("heroku-app", "the-app")]
    # names and 1Password item titles only: no reference to a value is kept
    assert "${" not in json.dumps(data)


def test_file_that_does_not_parse_is_a_problem_and_the_others_are_read(tmp_path: Path) -> None:
    broken = GHA.replace("      visibility: all\n", "      visibility: [all\n")
    data = parse(_infra(tmp_path / "infra", broken))
    [problem] = data["problems"]
    assert problem["path"] == GHA_PATH and problem["line"] is not None
    assert "invalid YAML" in problem["message"]
    assert {c["store"] for c in data["credentials"]} == {
        "azure-variable-group",
        "heroku-config-var",
    }


def test_unknown_repository_reference_is_a_problem_and_the_rest_goes_on(tmp_path: Path) -> None:
    bad = GHA.replace("- ${repo-beta.repoId}", "- ${repo-nope.repoId}")
    data = parse(_infra(tmp_path / "infra", bad))
    [problem] = data["problems"]
    assert problem == {
        "path": GHA_PATH,
        "line": _line(bad, "${repo-nope.repoId}"),
        "message": "${repo-nope.repoId} names no variable 'repo-nope' of this file",
    }
    dh = _by(data, "DH_PASSWORD", "github-actions")
    assert [h["name"] for h in dh["holders"]] == [
        "conda-forge/alpha",
        "conda-forge/gamma",
        "conda-forge/delta",
    ]


def test_reads_the_committed_file_not_the_working_tree(tmp_path: Path) -> None:
    infra = _infra(tmp_path / "infra")
    (infra / GHA_PATH).write_text("not: [valid\n")  # uncommitted
    assert parse(infra)["problems"] == []


def test_snapshot_has_the_sync_its_references_and_the_unread_repositories(tmp_path: Path) -> None:
    clones = tmp_path / "clones"
    _infra(clones / "conda-forge" / "infrastructure")
    make_repo(
        clones / "conda-forge" / "alpha",
        REPOS["alpha"],
        origin="https://github.com/conda-forge/alpha",
    )
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(
        "conda-forge/infrastructure\nconda-forge/alpha\n"
        "conda-forge/beta   # not read: too big for the snapshot machine\n"
    )
    status, doc, err = run_cli("--clones", str(clones), f"@{manifest}")  # schema-checked
    assert status == 0, err
    assert doc["unread"] == [
        {
            "manifest": str(manifest),
            "name": "conda-forge/beta",
            "reason": "too big for the snapshot machine",
            "line": 3,
        }
    ]
    sync = doc["secret_sync"]
    assert sync["commit"] == git(clones / "conda-forge" / "infrastructure", "rev-parse", "HEAD")
    # gamma and delta are neither inventoried nor declared unreadable: problems, with lines
    assert [(p["line"], p["message"].split(" (")[0]) for p in sync["problems"]] == [
        (_line(GHA, "- ${repo-gamma.repoId}"), "conda-forge/gamma"),
        (_line(GHA, "- ${repo-delta.repoId}"), "conda-forge/delta"),
    ]
    wf = ".github/workflows/push.yml"
    assert sync["references"] == [
        {"secret": s, "repo": "conda-forge/alpha", "path": wf, "line": _line(REPOS["alpha"][wf], s)}
        for s in ("DH_PASSWORD", "STAGING_TOKEN")
    ]


def test_shards_merge_to_the_same_sync_as_one_run(tmp_path: Path) -> None:
    clones = tmp_path / "clones"
    _infra(clones / "conda-forge" / "infrastructure")
    for name, files in REPOS.items():
        make_repo(
            clones / "conda-forge" / name, files, origin=f"https://github.com/conda-forge/{name}"
        )
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(
        "".join(f"conda-forge/{n}\n" for n in ["infrastructure", *REPOS] if n != "beta")
        + "conda-forge/beta  # not read: too big\n"
    )
    status, single, err = run_cli("--clones", str(clones), f"@{manifest}")
    assert status == 0, err
    assert single["secret_sync"]["problems"] == []  # beta is declared, the rest inventoried
    shards = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}.json"
        args = ("--clones", str(clones), "--shard", f"{index}/2", "-o", str(out), f"@{manifest}")
        assert run_cli(*args)[0] == 0
        shards.append(str(out))
    out = tmp_path / "merged.json"
    proc = subprocess.run(
        [sys.executable, *CLI, "merge", *shards, "-o", str(out)], capture_output=True
    )
    assert proc.returncode == 0, proc.stderr
    merged = json.loads(out.read_text())
    assert errors(merged) == []
    assert merged["secret_sync"] == single["secret_sync"]
    assert merged["unread"] == single["unread"]
