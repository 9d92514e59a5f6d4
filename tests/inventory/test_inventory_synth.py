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


def test_synthetic_feedstocks_vary_like_rendered_ones() -> None:
    """Most CI files are shared, but by name and platform matrix they differ (about 5% of
    the contents are distinct at 25,000 feedstocks; more in a small org)."""
    import random

    from inventory.locate import provider_for
    from inventory.synth import feedstock_files

    rng = random.Random(1)
    files = [feedstock_files(i, rng) for i in range(2000)]
    contents = [t for f in files for t in f.values()]
    assert 5 * 2000 < len(contents) < 6 * 2000
    assert 0.08 < len(set(contents)) / len(contents) < 0.2
    matrices = {f[p] for f in files for p in f if p.startswith(".azure-pipelines/")}
    assert len(matrices) > 300
    assert all(provider_for(p) or p == "conda-forge.yml" for f in files for p in f)
