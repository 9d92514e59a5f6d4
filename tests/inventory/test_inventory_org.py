"""The org-wide refresh: the workflow file, and its steps run here against a local git server."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_inventory_sphinxext import SNAPSHOT

from infradocs.cli import org
from infradocs.core.inventory.run import _failed_entry
from infradocs.core.inventory.sources import FEEDSTOCKS
from infradocs.core.orgdata import derived
from infradocs.core.orgdata.counts import counts
from infradocs.core.security.zizmor import executable
from tests.support.githttp import serve_git
from tests.support.standin import StandIn
from tests.support.workflowrun import WORKFLOW, Runner, load

SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
ROOT = Path(__file__).resolve().parents[2]
# A fake `gh` (GitHub's CLI needs the network): records its arguments; `release view` fails
# the first time, as for a release that does not exist yet.
FAKE_GH = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/gh.log"
if [ "$1 $2" = "release view" ]; then exit 1; fi
"""


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_workflow_structure_pins_and_permissions() -> None:
    wf = load()
    text = WORKFLOW.read_text()
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    assert wf["permissions"] == {}
    assert list(wf["jobs"]) == ["list", "shard", "merge"]
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"{name}: permissions are set per job"
        for step in steps(job):
            if "uses" in step:
                assert SHA_PIN.match(step["uses"]), step["uses"]
                line = next(ln for ln in text.splitlines() if step["uses"] in ln)
                assert re.search(r"#\s*v\d+(\.\d+)*\s*$", line), f"no version comment: {line}"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"
    shard, merge = wf["jobs"]["shard"], wf["jobs"]["merge"]
    assert shard["strategy"]["fail-fast"] == "false"
    uses = [s.get("uses", "").split("@")[0] for s in steps(shard)]
    assert "actions/cache/restore" in uses and "actions/cache/save" in uses
    cache_keys = {s["with"]["key"] for s in steps(shard) if "cache" in s.get("uses", "")}
    assert cache_keys == {"inventory-shard-${{ matrix.shard }}-${{ github.run_id }}"}
    # The job that can write releases restores no cache (cache poisoning) and runs even when
    # a shard failed.
    assert not [s for s in steps(merge) if "cache" in s.get("uses", "")]
    assert "setup-python" not in str([s.get("with", {}) for s in steps(merge) if "cache" in s])
    assert "!cancelled()" in merge["if"]
    assert merge["permissions"] == {"contents": "write", "actions": "write"}
    assert wf["jobs"]["list"]["permissions"] == {"contents": "read"}
    assert shard["permissions"] == {"contents": "read"}


def test_every_run_command_exists() -> None:
    """Each ``run:`` is a pip install of a file that exists or a ``python -m`` command whose
    module and subcommand answer ``--help`` here."""
    for job in load()["jobs"].values():
        for step in steps(job):
            if "run" not in step:
                continue
            cmd = step["run"].strip()
            pip = re.match(r"^python -m pip install .*-r (\S+)$", cmd)
            if pip:
                assert (ROOT / pip.group(1)).exists(), cmd
                continue
            words = cmd.split()
            assert words[:2] == ["python", "-m"], cmd
            sub = [w for w in words[3:] if not w.startswith(("-", '"'))][:1]
            proc = subprocess.run(
                [sys.executable, "-m", words[2], *sub, "--help"],
                cwd=ROOT,
                env={**os.environ, **step.get("env", {})},
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, f"{cmd}: {proc.stderr}"


def test_zizmor_finds_nothing_in_the_workflow() -> None:
    exe = executable()
    assert exe, "zizmor is pinned in requirements-security.txt"
    proc = subprocess.run(
        [exe, "--offline", "--no-config", "--persona=auditor", "--format", "json", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def _run_workflow(runner: Runner) -> dict[str, int]:
    results = runner.run()
    failed = [e for e in runner.log if e["status"]]
    assert not failed, [e.get("stderr", "")[-2000:] for e in failed][:1]
    return results


def refresh_matches_single(tmp_path: Path, count: int) -> None:
    """The workflow's steps (list, every shard, merge) on a stand-in org of ``count``
    feedstocks equal one process over the same sources; then, after 2 % of the feedstocks
    change, only those are fetched again."""
    site = StandIn(tmp_path / "site")
    feedstocks = site.build(count, org.MANIFEST)
    bin_dir = tmp_path / "run" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    with serve_git(site.root) as (url, log):
        env = {"INVENTORY_BASE_URL": url, "SOURCE_DATE_EPOCH": "1700000000"}
        runner = Runner(tmp_path / "run", env=env, run_id="1")
        results = _run_workflow(runner)
        assert set(results.values()) == {0}
        assert len([j for j in results if j.startswith("shard-")]) == org.shard_count()
        merged = runner.base / "jobs" / "merge" / "build" / "org" / "inventory.json"
        doc = json.loads(merged.read_text())
        names = {r["name"] for r in doc["repos"]}
        assert set(feedstocks) <= names
        assert all(r["commit"] for r in doc["repos"] if r["name"] in feedstocks)
        assert doc["security"]["tools"]["zizmor"]
        assert any(w.get("findings") for r in doc["repos"] for w in r["workflows"])
        gh = (bin_dir / "gh.log").read_text().splitlines()
        assert gh[1].startswith("release create inventory-org")
        assert gh[2].startswith("release upload inventory-org ") and "--clobber" in gh[2]
        assert gh[3] == "workflow run pages.yml"
        # The baseline: one process over the same sources, its own cache.
        single_out = tmp_path / "single"
        single_out.mkdir()
        (single_out / "sources.txt").write_bytes(
            (runner.artifacts / "inventory-sources" / "sources.txt").read_bytes()
        )
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "infradocs.cli.org",
                "--out",
                str(single_out),
                "single",
                "--cache",
                str(tmp_path / "single-cache"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert (single_out / "single.json").read_bytes() == merged.read_bytes()

        changed = sorted(random.Random(3).sample(feedstocks, max(1, count // 50)))
        site.change(changed)
        log.clear()
        again = Runner(tmp_path / "run", env=env, run_id="2")
        _run_workflow(again)
        # conda-forge/feedstocks is also cloned afresh by the list job (no cache there).
        fetched = set(log.repos("fetch")) - {FEEDSTOCKS}
        assert fetched == set(changed)
        listed = log.repos("ls-refs")
        unchanged = names - set(changed) - {FEEDSTOCKS}
        assert {n: listed.get(n) for n in unchanged if listed.get(n) != 1} == {}
        doc2 = json.loads(merged.read_text())
        by_name = {r["name"]: r for r in doc["repos"]}
        for repo in doc2["repos"]:
            if repo["name"] in changed:
                assert repo["commit"] != by_name[repo["name"]]["commit"]
                assert "# rerendered" not in json.dumps(repo)  # a comment: facts unchanged
            else:
                assert repo == by_name[repo["name"]]


def test_org_refresh_on_the_local_stand_in(tmp_path: Path) -> None:
    refresh_matches_single(tmp_path, 50)


@pytest.mark.bench
def test_org_refresh_with_2000_feedstocks(tmp_path: Path) -> None:
    """The same properties as the 50-feedstock test above, at benchmark size (``--bench``)."""
    refresh_matches_single(tmp_path, 2000)


def test_a_failed_shard_is_reported_and_the_others_publish(tmp_path: Path) -> None:
    out = tmp_path / "org"
    out.mkdir()
    base = {"schema_version": 1, "repos": []}
    for i in (1, 2):
        doc = {**base, "repos": [_failed_entry(f"https://example.invalid/o/r{i}", "clone failed")]}
        (out / f"shard-{i:03d}.json").write_text(json.dumps(doc))
    summary = tmp_path / "summary.md"
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.org", "--out", str(out), "merge"],
        cwd=ROOT,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"::error::inventory shard 3/{org.shard_count()} produced no output" in proc.stdout
    assert "Merged 2 of" in summary.read_text() and "2 not fetched" in summary.read_text()
    merged = json.loads((out / "inventory.json").read_text())
    assert [r["name"] for r in merged["repos"]] == ["o/r1", "o/r2"]


def _download(tmp: Path, assets: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """``infradocs.cli.org download`` with a fake ``gh release download R --pattern P --dir D
    --clobber`` that copies asset P from ``assets`` into D (failing when there is none)."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(
        f'#!/bin/sh\n[ -f "{assets}/$5" ] || exit 1\ncp "{assets}/$5" "$7/"\n'
    )
    (bin_dir / "gh").chmod(0o755)
    env_file, out = tmp / "github_env", tmp / "org"
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.org", "--out", str(out), "download"],
        cwd=ROOT,
        env={
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_ENV": str(env_file),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    return proc, out, env_file


def test_download_points_the_site_build_at_the_published_snapshot(tmp_path: Path) -> None:
    merged = tmp_path / "merged"
    merged.mkdir()
    (merged / "inventory.json").write_text(json.dumps(SNAPSHOT))
    assets = tmp_path / "release"
    assert org.publish(merged, None, assets, None) == 0
    assert sorted(p.name for p in assets.iterdir()) == [
        "inventory-derived.tar",
        "inventory.json.gz",
    ]
    proc, out, env_file = _download(tmp_path, assets)
    assert proc.returncode == 0, proc.stderr
    assert env_file.read_text() == f"INVENTORY_ORG_SNAPSHOT={(out / 'inventory.json').resolve()}\n"
    assert json.loads((out / "inventory.json").read_text()) == SNAPSHOT
    # The data merge derived arrives with it, and a build can use it as it is.
    assert "(matches)" in proc.stdout
    got = derived.get(out / "inventory.json")
    assert got.reused and got.counts == counts(SNAPSHOT)


def test_download_without_the_derived_data_still_points_the_build(tmp_path: Path) -> None:
    assets = tmp_path / "release"
    assets.mkdir()
    (assets / "inventory.json.gz").write_bytes(gzip.compress(json.dumps(SNAPSHOT).encode()))
    proc, out, env_file = _download(tmp_path, assets)
    assert proc.returncode == 0, proc.stderr
    assert "no inventory-derived.tar in release inventory-org; the build derives it" in proc.stdout
    assert env_file.read_text().startswith("INVENTORY_ORG_SNAPSHOT=")
    assert not derived.folder_of(out / "inventory.json").exists()
