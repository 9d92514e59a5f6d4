"""The ``{inventory-org}`` tables: counts over a snapshot, in a tiny strict Sphinx project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sphinxapp
from test_inventory_sphinxext import SNAPSHOT, Tables, _repo, _workflow

from infradocs.core.inventory.validate import errors

PAGE = """# Org

```{inventory-org} summary
```

```{inventory-org} providers
```

```{inventory-org} actions
:top: 3
```

```{inventory-org} secrets
```

```{inventory-org} schedules
```
"""
SHA = "b" * 40


def _gha(path: str, actions: list[str], schedules: list[str] = (), secrets: list[str] = ()):
    return _workflow(
        path, "github-actions", actions=actions, schedules=list(schedules), secrets=list(secrets)
    )


ORG = {
    "schema_version": 1,
    "generated": {"at": "2026-12-06T03:30:00Z", "sources": []},
    "repos": [
        _repo(
            f"conda-forge/p{i}-feedstock",
            SHA,
            [
                _gha(
                    ".github/workflows/conda-build.yml",
                    [f"actions/checkout@{SHA}", "actions/cache@v4" if i % 2 else "x/y@main"],
                    secrets=["BINSTAR_TOKEN"],
                ),
                _workflow("azure-pipelines.yml", "azure-pipelines", secrets=["BINSTAR_TOKEN"])
                if i < 3
                else _gha(".github/workflows/cron.yml", ["actions/checkout@v4"], ["0 6 * * 1"]),
            ],
        )
        for i in range(5)
    ]
    + [_repo("conda-forge/gone-feedstock", None, [])],
}


def build(tmp: Path, org: dict | None, committed: dict = SNAPSHOT) -> tuple:
    """Build the org page; (process, parsed page or None)."""
    src, out = tmp / "src", tmp / "out"
    src.mkdir(parents=True)
    snap = tmp / "committed.json"
    snap.write_text(json.dumps(committed))
    org_path = ""
    if org is not None:
        org_path = str(tmp / "org.json")
        Path(org_path).write_text(json.dumps(org))
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "infradocs.sphinxext.inventory"]\n'
        f"inventory_snapshot = {str(snap)!r}\ninventory_org_snapshot = {org_path!r}\n"
    )
    (src / "index.md").write_text(PAGE)
    proc = sphinxapp.build(src, out)
    page = None
    if (proc.outdir / "index.html").exists():
        page = Tables()
        page.feed((proc.outdir / "index.html").read_text(encoding="utf-8"))
    return proc, page


@pytest.fixture(scope="module")
def org_page(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    assert errors(ORG) == []
    proc, page = build(tmp_path_factory.mktemp("org"), ORG)
    assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
    return page


def test_summary_counts_every_repository(org_page: Tables) -> None:
    assert org_page.paragraphs[0] == (
        "6 repositories, snapshot taken at 2026-12-06T03:30:00Z; 1 could not be read "
        "(listed in the explorer with their problem)."
    )


def test_providers_actions_secrets_schedules(org_page: Tables) -> None:
    providers, actions, secrets, schedules = org_page.tables
    assert providers == [
        ["CI provider", "Repositories"],
        ["github-actions", "5 (83.3 %)"],
        ["azure-pipelines", "3 (50.0 %)"],
        ["no CI files", "1 (16.7 %)"],
    ]
    assert actions == [
        ["Action", "Repositories", "by commit SHA", "by tag", "by branch", "no ref"],
        ["actions/checkout", "5", "5", "2", "0", "0"],
        ["x/y", "3", "0", "0", "3", "0"],
        ["actions/cache", "2", "0", "2", "0", "0"],
    ]
    assert secrets == [["Secret name", "Repositories"], ["BINSTAR_TOKEN", "5 (83.3 %)"]]
    assert schedules == [
        ["Schedule", "In words", "Repositories"],
        ["0 6 * * 1", "at 06:00, only on Monday (UTC)", "2"],
    ]


def test_without_an_org_snapshot_the_committed_one_is_counted(tmp_path: Path) -> None:
    proc, page = build(tmp_path, None)
    assert proc.returncode == 0, proc.stderr
    assert page.paragraphs[0].startswith("2 repositories, snapshot taken at 2025-01-02")


def test_a_bad_org_snapshot_fails_naming_the_file(tmp_path: Path) -> None:
    proc, _ = build(tmp_path, {**ORG, "schema_version": 2})
    assert proc.returncode != 0
    assert "org.json" in proc.stderr and "schema_version" in proc.stderr
