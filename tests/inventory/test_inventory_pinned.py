"""The re-run's stat check split between this process and a forked child gives the same
answer as one process, also when the child fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from invhelpers import age, make_repo, run_cli

from infradocs.core.inventory.cache import Cache
from infradocs.core.inventory.pinned import pinned_roots


def _cached(tmp_path: Path) -> tuple[list[str], dict]:
    """Seven repositories read once into a cache, then three of them changed."""
    roots = []
    for i in range(7):
        repo = make_repo(tmp_path / f"r{i}", files={".github/workflows/a.yml": f"on: push{i}\n"})
        age(repo)
        roots.append(str(repo))
    cache = tmp_path / "cache"
    status, _, err = run_cli("--cache", str(cache), *roots)
    assert status == 0, err
    (Path(roots[1]) / ".github/workflows/a.yml").write_text("on: pull_request\n")
    (Path(roots[4]) / "azure-pipelines.yml").write_text("jobs: []\n")
    shutil.rmtree(roots[5])
    return roots, Cache(str(cache)).repos


def test_the_forked_half_agrees_with_one_process(tmp_path: Path) -> None:
    roots, repos = _cached(tmp_path)
    alone = pinned_roots(roots, repos, jobs=1)
    assert alone == {roots[i] for i in (0, 2, 3, 6)}
    assert pinned_roots(roots, repos, jobs=2, min_split=2) == alone


class _FailsInChild(dict):
    """A cache whose lookups fail in any process but the one that made it."""

    def __init__(self, data: dict) -> None:
        super().__init__({k: data.get(k) for k in data})
        self.parent = os.getpid()

    def get(self, key, default=None):
        if os.getpid() != self.parent:
            raise RuntimeError("the child breaks")
        return super().get(key, default)


def test_a_failing_child_leaves_its_half_to_this_process(tmp_path: Path) -> None:
    roots, repos = _cached(tmp_path)
    failing = _FailsInChild({root: repos.get(root) for root in roots})
    assert pinned_roots(roots, failing, jobs=2, min_split=2) == {roots[i] for i in (0, 2, 3, 6)}
