"""The benchmark's synthetic org: real git repositories with a clean work tree and index."""

from __future__ import annotations

from pathlib import Path

from invhelpers import git, run_cli

from inventory.synth import make_org


def test_synthetic_repos_are_clean_git_checkouts(tmp_path: Path) -> None:
    roots = [Path(p) for p in make_org(str(tmp_path / "org"), 3)]
    status, doc, err = run_cli("--jobs", "1", *map(str, roots))
    assert status == 0, err
    commits = {r["name"]: r["commit"] for r in doc["repos"]}
    for root in roots:
        assert git(root, "status", "--porcelain") == ""  # index matches HEAD and the files
        assert git(root, "ls-files") != ""
        head = git(root, "rev-parse", "HEAD")
        assert commits[f"synth-org/{root.name}"] == head
        assert git(root, "cat-file", "-t", f"{head}^{{tree}}") == "tree"
    (roots[0] / "conda-forge.yml").write_text("changed: true\n")
    assert git(roots[0], "status", "--porcelain") == "M conda-forge.yml"
