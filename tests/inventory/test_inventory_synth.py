"""The benchmark's synthetic org: real git repositories with a clean work tree and index."""

from __future__ import annotations

from pathlib import Path

from invhelpers import git, run_cli

from tests.support.synth import make_org


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

    from infradocs.core.inventory.locate import provider_for
    from tests.support.synth import feedstock_files

    rng = random.Random(1)
    files = [feedstock_files(i, rng) for i in range(2000)]
    contents = [t for f in files for t in f.values()]
    assert 5 * 2000 < len(contents) < 6 * 2000
    assert 0.08 < len(set(contents)) / len(contents) < 0.2
    matrices = {f[p] for f in files for p in f if p.startswith(".azure-pipelines/")}
    assert len(matrices) > 300
    assert all(provider_for(p) or p == "conda-forge.yml" for f in files for p in f)


def test_infrastructure_repos_carry_large_distinct_workflows(tmp_path: Path) -> None:
    import yaml

    from tests.support.synth import Mix, make_org, org_members

    members = org_members(25_000)
    assert sum(i is None for _, i in members) == 100 and len(members) == 25_100
    roots = [Path(p) for p in make_org(str(tmp_path / "org"), 10, mix=Mix(infra=0.2))]
    infra = [r for r in roots if r.name.startswith("infra")]
    assert len(infra) == 2 and len(roots) == 12
    flows = [p for r in infra for p in (r / ".github" / "workflows").glob("*.yml")]
    texts = [p.read_text() for p in flows]
    assert len(flows) >= 8 and len(set(texts)) == len(texts)  # none alike
    assert sum(map(len, texts)) / len(texts) > 8_000  # tens of kilobytes on average
    for text in texts:
        assert list(yaml.safe_load_all(text))  # valid YAML (anchors and merge keys included)
    status, doc, err = run_cli("--jobs", "1", *map(str, infra))
    assert status == 0, err
    for repo in doc["repos"]:
        assert repo["workflows"] and not repo["problems"], repo["name"]
        assert all(w["actions"] for w in repo["workflows"]), repo["name"]
        assert repo["secrets"] and repo["services"], repo["name"]


def test_a_second_org_differs_by_seed_and_proportions() -> None:
    import random

    import pytest

    from tests.support.synth import Mix, feedstock_files

    assert Mix.parse("noarch=0.7, linux_gha=0.6") == Mix(noarch=0.7, linux_gha=0.6)
    with pytest.raises(ValueError, match="unknown mix key 'noarch_share'"):
        Mix.parse("noarch_share=0.5")
    first = [feedstock_files(i, random.Random(1)) for i in range(300)]
    mix = Mix(noarch=0.7, linux_gha=0.8)
    second = [feedstock_files(i, random.Random(i + 99), mix) for i in range(300)]
    gha = [sum(".github/workflows/conda-build.yml" in f for f in org) for org in (first, second)]
    assert gha[1] > gha[0]  # the second org builds Linux on GitHub Actions more often
    assert first != second
