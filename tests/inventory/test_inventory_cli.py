"""The command line on real git repositories built in temporary folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from invhelpers import git, make_repo, run_cli

from infradocs.core.inventory.validate import errors


def _repo(doc: dict, name: str) -> dict:
    matches = [r for r in doc["repos"] if r["name"] == name]
    assert len(matches) == 1, [r["name"] for r in doc["repos"]]
    return matches[0]


def test_feedstock_repo_exact(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "numpy-feedstock",
        fixture="feedstock",
        origin="https://user:s3cr3t-token@github.com/conda-forge/numpy-feedstock.git",
    )
    status, doc, err = run_cli(str(repo))
    assert status == 0, err
    entry = _repo(doc, "conda-forge/numpy-feedstock")
    assert entry["commit"] == git(repo, "rev-parse", "HEAD")
    assert entry["ci_providers"] == ["azure-pipelines", "circleci", "github-actions"]
    assert [w["path"] for w in entry["workflows"]] == [
        ".azure-pipelines/azure-pipelines-osx.yml",
        ".azure-pipelines/azure-pipelines-win.yml",
        ".circleci/config.yml",
        ".github/workflows/conda-build.yml",
        "azure-pipelines.yml",
    ]  # recipe/tests/.github/workflows/nested.yml is test data, not the repo's own
    assert entry["secrets"] == ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
    circle = entry["workflows"][2]
    assert circle == {
        "path": ".circleci/config.yml",
        "provider": "circleci",
        "name": None,
        "triggers": [],
        "schedules": [],
        "actions": [],
        "secrets": [],
        "runners": [],
        "permissions": None,
    }
    assert entry["conda_forge_yml"] == {
        "provider": {"linux_aarch64": "default", "osx_arm64": "default"},
        "build_platform": {"linux_ppc64le": "linux_64"},
        "bot": {"automerge": True, "inspection": "hint-all"},
    }
    assert [s["name"] for s in entry["services"]] == ["anaconda.org"]
    assert entry["problems"] == []
    assert "s3cr3t-token" not in json.dumps(doc) + err


def test_plain_folder_and_empty_repo(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / ".github/workflows").mkdir(parents=True)
    (plain / ".github/workflows/ci.yaml").write_text("on: push\njobs: {}\n")
    empty = make_repo(tmp_path / "empty", commit=False)
    status, doc, _ = run_cli(str(plain), str(empty))
    assert status == 0
    assert _repo(doc, "plain")["commit"] is None
    assert _repo(doc, "plain")["workflows"][0]["triggers"] == ["push"]
    assert _repo(doc, "empty") == {
        "name": "empty",
        "commit": None,
        "ci_providers": [],
        "workflows": [],
        "secrets": [],
        "services": [],
        "conda_forge_yml": None,
        "problems": [],
    }


def test_symlinks_outside_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(
        "on: push\njobs: {a: {runs-on: x, steps: [{run: echo ${{ secrets.OUT }}}]}}\n"
    )
    (tmp_path / "outdir").mkdir()
    repo = make_repo(
        tmp_path / "r",
        files={
            "ci/real.yml": "on: pull_request\njobs: {}\n",
            "conda-forge.yml": "provider: {linux_64: azure}\n",
        },
    )
    os.symlink(outside, repo / ".travis.yml")
    (repo / ".github/workflows").mkdir(parents=True)
    os.symlink("../../ci/real.yml", repo / ".github/workflows/inside.yml")
    os.symlink(tmp_path / "outdir", repo / ".woodpecker")
    status, doc, _ = run_cli(str(repo))
    assert status == 0
    entry = _repo(doc, "r")
    assert "OUT" not in entry["secrets"]
    msgs = {(p["path"], p["message"]) for p in entry["problems"]}
    assert (".travis.yml", "symlink points outside the repository; not followed") in msgs
    assert (".woodpecker", "symlink points outside the repository; not followed") in msgs
    inside = [w for w in entry["workflows"] if w["path"] == ".github/workflows/inside.yml"]
    assert inside[0]["triggers"] == ["pull_request"]


def test_bad_files_become_problems(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "bad",
        files={
            ".github/workflows/broken.yml": "on: push\njobs:\n  a: [\n",
            ".github/workflows/latin1.yml": b"name: caf\xe9\n",
            ".github/workflows/big.yml": "# " + "x" * 3000 + "\n",
            ".drone.yml": b"\x7fELF\x00\x00binary",
            ".github/workflows/ok.yml": "on: [push]\njobs: {}\n",
        },
    )
    status, doc, _ = run_cli("--max-file-size", "2000", str(repo))
    assert status == 0
    entry = _repo(doc, "bad")
    problems = {p["path"]: p for p in entry["problems"]}
    assert problems[".github/workflows/broken.yml"]["line"] == 4
    assert problems[".github/workflows/latin1.yml"]["message"].startswith("not valid UTF-8")
    assert "size cap" in problems[".github/workflows/big.yml"]["message"]
    assert problems[".drone.yml"]["message"].startswith("binary file")
    assert len(entry["workflows"]) == 5  # one entry per file, even unreadable ones


def test_clone_urls_failures_and_manifest(tmp_path: Path) -> None:
    upstream = make_repo(tmp_path / "org" / "tool", files={".travis.yml": "language: python\n"})
    make_repo(tmp_path / "local", files={".cirun.yml": "runners: []\n"})
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(
        "# infra\norg/tool\norg/missing   # no such repository\nlocal\nnot a valid line\n"
    )
    cache = tmp_path / "cache"
    status, doc, err = run_cli(
        "--cache", str(cache), "--base-url", f"file://{tmp_path}", f"@{manifest}", upstream.as_uri()
    )
    assert status == 1
    assert f"{manifest}:5" in err and "org/missing" in err and "1 failed" not in err
    names = [r["name"] for r in doc["repos"]]
    assert names.count("org/tool") == 1  # the same URL twice is one clone
    tool = _repo(doc, "org/tool")
    assert tool["commit"] == git(upstream, "rev-parse", "HEAD")
    assert tool["ci_providers"] == ["travis-ci"]
    assert _repo(doc, "org/missing")["problems"][0]["message"].startswith("git clone failed")
    assert _repo(doc, "local")["ci_providers"] == ["cirun"]


def test_cache_rerun_is_identical_and_notices_changes(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", fixture="webservices")
    cache = str(tmp_path / "cache")
    _, first, _ = run_cli("--cache", cache, str(repo))
    _, again, _ = run_cli("--cache", cache, str(repo))
    assert first == again
    wf = repo / ".github/workflows/anchors.yaml"
    wf.write_text(wf.read_text().replace("SHARED_TOKEN", "NEW_TOKEN"))
    _, dirty, _ = run_cli("--cache", cache, str(repo))
    assert "NEW_TOKEN" in _repo(dirty, "r")["secrets"]
    git(repo, "commit", "-qam", "change")
    _, committed, _ = run_cli("--cache", cache, str(repo))
    assert _repo(committed, "r")["commit"] == git(repo, "rev-parse", "HEAD")


def test_shards_merge_to_the_single_document(tmp_path: Path) -> None:
    repos = [
        make_repo(tmp_path / f"r{i}", fixture="feedstock" if i % 2 else "webservices")
        for i in range(5)
    ]
    args = [str(r) for r in repos]
    _, whole, _ = run_cli("--jobs", "2", *args)
    outs = []
    for i in (1, 2, 3):
        out = tmp_path / f"shard{i}.json"
        status, _, _ = run_cli("--shard", f"{i}/3", "-o", str(out), *args)
        assert status == 0
        outs.append(str(out))
    merged = tmp_path / "merged.json"
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.inventory", "merge", *outs, "-o", str(merged)],
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert proc.returncode == 0
    doc = json.loads(merged.read_text())
    assert errors(doc) == []
    assert doc == whole
    assert [r["name"] for r in doc["repos"]] == sorted(f"r{i}" for i in range(5))


def test_yaml_format(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", fixture="feedstock")
    out = tmp_path / "inv.yaml"
    status, _, _ = run_cli("--format", "yaml", "-o", str(out), str(repo))
    assert status == 0
    doc = yaml.safe_load(out.read_text())
    assert errors(doc) == []
    assert doc["repos"][0]["secrets"] == [
        "BINSTAR_TOKEN",
        "FEEDSTOCK_TOKEN",
        "STAGING_BINSTAR_TOKEN",
    ]


def test_feedstocks_from_gitmodules(tmp_path: Path) -> None:
    gm = tmp_path / ".gitmodules"
    gm.write_text(
        '[submodule "feedstocks/numpy"]\n\tpath = feedstocks/numpy\n'
        "\turl = https://github.com/conda-forge/numpy-feedstock.git\n"
        '[submodule "feedstocks/abc"]\n\tpath = feedstocks/abc\n'
        "\turl = git@github.com:conda-forge/abc-feedstock.git\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.inventory", "feedstocks", str(gm)],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout == "conda-forge/abc-feedstock\nconda-forge/numpy-feedstock\n"
