"""The GitHub Actions workflows: valid YAML that builds, deploys, previews and tests the site."""

from __future__ import annotations

import itertools
import re
import shlex

import pytest
import yaml

from infradocs.core.siteconfig import ROOT, settings
from infradocs.core.versions.config import load_config

WORKFLOWS = ROOT / ".github" / "workflows"
MINE = ("pages.yml", "preview.yml", "tests.yml")
PINNED = r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})"


def load(name: str) -> dict:
    """A workflow as data; PyYAML reads the bare key ``on`` as True, so map it back."""
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    """All steps of all jobs."""
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def run_text(workflow: dict) -> str:
    """All ``run:`` scripts of a workflow, joined."""
    return "\n".join(s.get("run", "") for s in steps(workflow))


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.y*ml")))
def test_every_workflow_is_valid(name: str) -> None:
    workflow = load(name)
    assert isinstance(workflow.get("name"), str), f"{name}: no name"
    assert workflow.get("on"), f"{name}: no triggers"
    assert workflow.get("jobs"), f"{name}: no jobs"
    for job_id, job in workflow["jobs"].items():
        if "uses" in job:  # a reusable workflow
            continue
        assert "runs-on" in job, f"{name}: job {job_id} has no runs-on"
        assert job.get("steps"), f"{name}: job {job_id} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: {job_id}: {step}"
            uses = step.get("uses", "./")
            if not uses.startswith("./"):  # pinned to a released version or a commit
                assert re.fullmatch(PINNED, uses), f"{name}: {job_id}: unpinned {uses}"


def test_pages_builds_on_main_and_release_tags_and_deploys() -> None:
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == [settings()["versions"]["branch"]]
    tag_globs = workflow["on"]["push"]["tags"]
    config = load_config(settings())
    for tag in ("v2026.1", "v2026.1.0"):
        assert config.tag_regex.fullmatch(tag)
        assert any(re.fullmatch(g.replace("*", ".*"), tag) for g in tag_globs)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # all tags and branches
    assert "python -m infradocs.cli.versions build" in run_text(workflow)
    uses = [s.get("uses", "") for s in build["steps"]]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "build/site"
    # What is published is built without a restored cache (zizmor: cache-poisoning).
    assert not any(u.startswith("actions/cache") for u in uses)
    assert not any("cache" in s.get("with", {}) for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert build["permissions"] == {"contents": "read"}
    assert workflow["permissions"] == {}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])


def test_preview_uploads_the_site_for_pull_requests() -> None:
    workflow = load("preview.yml")
    assert "pull_request" in workflow["on"]
    text = run_text(workflow)
    assert "--dev-ref HEAD" in text and "--base-url http://127.0.0.1:8000/" in text
    upload = next(s for s in steps(workflow) if "upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "build/site"
    assert upload["with"]["include-hidden-files"] is True  # .nojekyll


def test_tests_workflow_runs_the_ci_entry_point_which_lints_once() -> None:
    workflow = load("tests.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    text = run_text(workflow)
    # The suite lints (tests/site/test_lint.py), so the workflow does not run nox -s lint again.
    assert "bash .ci/run" in text and "nox -s lint" not in text
    lint = (ROOT / "tests" / "site" / "test_lint.py").read_text()
    assert all(f'"{cmd}"' in lint for cmd in ("ruff", "check", "format", "infradocs.cli.mdlint"))
    assert (ROOT / ".ci" / "run").is_file()
    assert "python3 -m venv .venv" in (ROOT / ".ci" / "run").read_text()  # .venv/bin/nox


@pytest.mark.parametrize("name", MINE)
def test_requirement_files_named_in_workflows_exist(name: str) -> None:
    for line in run_text(load(name)).splitlines():
        words = shlex.split(line) if line.strip() and not line.strip().startswith("#") else []
        for flag, value in itertools.pairwise(words):
            if flag == "-r":
                assert (ROOT / value).is_file(), f"{name}: {value} does not exist"
