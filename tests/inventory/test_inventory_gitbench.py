"""The git-reader benchmark: every reader it times returns the files the extractor reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from invhelpers import make_repo

from benchmarks import git as gitbench

FILES = {
    ".github/workflows/ci.yml": "on: push\n",
    ".github/workflows/notes.txt": "not a workflow\n",
    ".github/workflows/nested/x.yml": "deeper than read\n",
    "azure-pipelines.yml": "jobs: []\n",
    "conda-forge.yml": "provider: {}\n",
    "README.md": "# r\n",
}


@pytest.fixture
def clones(tmp_path: Path) -> Path:
    make_repo(tmp_path / "org" / "a", FILES)
    make_repo(tmp_path / "org" / "b", {"conda-forge.yml": "x: 1\n"})
    return tmp_path


def test_readers_agree_on_the_candidate_files(clones: Path) -> None:
    repos = gitbench.clones(str(clones), 5)
    assert [Path(r).name for r in repos] == ["a", "b"]
    want = {
        ".github/workflows/ci.yml": b"on: push\n",
        "azure-pipelines.yml": b"jobs: []\n",
        "conda-forge.yml": b"provider: {}\n",
    }
    assert gitbench.cli(repos[0]) == gitbench.gitcli_read(repos[0]) == want
    for make in (gitbench.dulwich_reader, gitbench.pygit2_reader):
        reader = make()
        if reader is not None:
            assert reader(repos[0]) == want


def test_main_prints_a_median_per_reader(clones: Path, capsys: pytest.CaptureFixture) -> None:
    assert gitbench.main([str(clones), "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 repositories, 4 files, median of 1 rounds:")
    assert "git CLI" in out and "gitcli" in out
