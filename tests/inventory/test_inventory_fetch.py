"""Sparse fetch over git's smart HTTP protocol from the local stand-in for GitHub."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from infradocs.core.inventory.fetch import plain_clone, refresh
from tests.support.githttp import serve_git
from tests.support.standin import StandIn

NAME = "conda-forge/pkg00003-feedstock"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> StandIn:
    site = StandIn(tmp_path_factory.mktemp("standin"))
    site.build(5)
    return site


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _tip(site: StandIn, name: str = NAME) -> set[str]:
    out = subprocess.run(
        [
            "git",
            "--git-dir",
            str(site.root / f"{name}.git"),
            "ls-tree",
            "-r",
            "--name-only",
            "HEAD",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_only_the_ci_files_and_conda_forge_yml_arrive(site: StandIn, tmp_path: Path) -> None:
    with serve_git(site.root) as (url, log):
        fetched, error = refresh(url + NAME, str(tmp_path / "sparse"))
        assert (fetched, error) == (True, None)
        sparse_bytes = log.bytes_sent()
        assert plain_clone(url + NAME, str(tmp_path / "plain")) is None
        plain_bytes = log.bytes_sent() - sparse_bytes
    tip = _tip(site)
    read = {
        p
        for p in tip
        if p.startswith((".github/workflows/", ".azure-pipelines/", ".circleci/"))
        or p in ("conda-forge.yml", "azure-pipelines.yml", ".gitattributes")
    }
    assert _files(tmp_path / "sparse") == read
    assert _files(tmp_path / "plain") == tip
    # The recipe's blobs never came: reading one offline fails.
    blob = subprocess.run(
        ["git", "-C", str(tmp_path / "sparse"), "rev-parse", "HEAD:README.md"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    missing = subprocess.run(
        ["git", "-C", str(tmp_path / "sparse"), "cat-file", "-e", blob],
        env={**os.environ, "GIT_NO_LAZY_FETCH": "1"},
        capture_output=True,
        check=False,
    )
    assert missing.returncode != 0
    assert sparse_bytes < plain_bytes / 3


def test_unchanged_costs_one_ls_remote_and_a_change_one_fetch(
    site: StandIn, tmp_path: Path
) -> None:
    name = "conda-forge/pkg00004-feedstock"
    dest = str(tmp_path / "clone")
    with serve_git(site.root) as (url, log):
        assert refresh(url + name, dest) == (True, None)
        log.clear()
        assert refresh(url + name, dest) == (False, None)
        assert [r.kind for r in log.requests] == ["info", "ls-refs"]
        site.change([name])
        log.clear()
        assert refresh(url + name, dest) == (True, None)
        assert log.repos("fetch") == {name: 2}  # commit and trees, then the changed blob
    assert "# rerendered" in (tmp_path / "clone" / "conda-forge.yml").read_text()


def test_a_missing_repository_is_an_error_naming_git(site: StandIn, tmp_path: Path) -> None:
    with serve_git(site.root) as (url, _):
        fetched, error = refresh(url + "conda-forge/nope-feedstock", str(tmp_path / "x"))
    assert not fetched and error.startswith("git clone failed")
    assert not (tmp_path / "x").exists()
