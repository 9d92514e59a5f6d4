"""``evidence verify`` compares each synced secret's holders and visibility in the model with
the secret sync and the workflows: each kind of drift fails, naming the secret and repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from evhelpers import git, run_verify
from holderfixtures import workflow, write_holders_project

GHA = "sync-secrets-gha/Pulumi.yaml"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    return write_holders_project(tmp_path)


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    """Replace ``old`` (present once) in ``repo``'s ``path`` and commit the change."""
    target = repo / path
    text = target.read_text()
    assert text.count(old) == 1, old
    target.write_text(text.replace(old, new))
    git(repo, "commit", "-q", "-am", "edit")


def _sync_line(project) -> str:
    """``conda-forge/infrastructure@COMMIT:PATH:LINE`` of DH_PASSWORD's secretName."""
    infra = project[0] / "conda-forge" / "infrastructure"
    line = (infra / GHA).read_text().splitlines().index("      secretName: DH_PASSWORD") + 1
    return f"conda-forge/infrastructure@{git(infra, 'rev-parse', 'HEAD')[:12]}:{GHA}:{line}"


def _holder_lines(project) -> tuple[int, list[str]]:
    clones, model, docs = project
    code, _, text = run_verify(model, docs, "--clones", str(clones))
    return code, [ln for ln in text.splitlines() if ln.startswith("holders: ")]


def test_unchanged_repositories_pass(project) -> None:
    code, lines = _holder_lines(project)
    assert (code, lines) == (0, ["holders: all agree"])


def test_fifth_repository_in_the_list_fails_naming_it(project) -> None:
    infra = project[0] / "conda-forge" / "infrastructure"
    _edit(
        infra,
        GHA,
        "        - ${repo-delta.repoId}\n",
        "        - ${repo-delta.repoId}\n        - ${repo-epsilon.repoId}\n",
    )
    code, lines = _holder_lines(project)
    assert code == 1
    [line] = lines
    assert "DH_PASSWORD: conda-forge/epsilon is given it" in line and f"{GHA}:" in line


def test_removed_holder_fails_naming_it(project) -> None:
    infra = project[0] / "conda-forge" / "infrastructure"
    _edit(infra, GHA, "        - ${repo-beta.repoId}\n", "")
    code, lines = _holder_lines(project)
    assert code == 1
    assert any("DH_PASSWORD: conda-forge/beta holds it in the model" in ln for ln in lines)
    # its workflow still reads it, so it would break: a second, separate failure
    assert any(
        "DH_PASSWORD: conda-forge/beta/.github/workflows/push.yml:11 references it; the secret "
        "sync does not give it" in ln
        for ln in lines
    ), lines


def test_visibility_changed_under_a_comment_that_still_says_all(project) -> None:
    infra = project[0] / "conda-forge" / "infrastructure"
    _edit(infra, GHA, "      visibility: all\n", "      visibility: selected\n")
    assert "# Secret: STAGING_TOKEN (visibility: all" in (infra / GHA).read_text()
    code, lines = _holder_lines(project)
    assert code == 1
    assert any(
        "STAGING_TOKEN: visibility is selected" in ln and "the model says all" in ln for ln in lines
    ), lines


def test_new_workflow_in_a_repository_that_is_no_holder_fails(project) -> None:
    epsilon = project[0] / "conda-forge" / "epsilon"
    (epsilon / ".github/workflows/leak.yml").write_text(workflow("DH_PASSWORD"))
    git(epsilon, "add", "-A")
    git(epsilon, "commit", "-q", "-m", "leak")
    code, lines = _holder_lines(project)
    assert code == 1
    where = "holders: DH_PASSWORD: conda-forge/epsilon/.github/workflows/leak.yml:11 references it"
    assert lines == [
        f"{where}; no model component of that repository holds it",
        f"{where}; the secret sync does not give it to that repository ({_sync_line(project)})",
    ]


def test_commented_out_workflow_reference_fails(project) -> None:
    gamma = project[0] / "conda-forge" / "gamma"
    ref = "          DH_PASSWORD: ${{ secrets.DH_PASSWORD }}\n"
    _edit(gamma, ".github/workflows/release.yml", ref, "          # " + ref.lstrip())
    code, lines = _holder_lines(project)
    assert code == 1
    [line] = lines
    assert "DH_PASSWORD: conda-forge/gamma is given it" in line and "no workflow" in line


def test_secret_listed_as_unused_but_read_fails(project) -> None:
    delta = project[0] / "conda-forge" / "delta"
    _edit(delta, ".github/workflows/push.yml", "OTHER_SECRET }}", "DH_PASSWORD }}")
    code, lines = _holder_lines(project)
    assert code == 1
    [line] = lines
    assert "DH_PASSWORD: conda-forge/delta/.github/workflows/push.yml" in line and "unused" in line


def test_unreadable_repository_is_named_and_the_rest_still_compared(project) -> None:
    clones, model, docs = project
    shutil.rmtree(clones / "conda-forge" / "epsilon")
    infra = clones / "conda-forge" / "infrastructure"
    _edit(infra, GHA, "        - ${repo-beta.repoId}\n", "")
    code, _, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 1
    assert "holders: conda-forge/epsilon: workflows not compared (no local clone" in text
    assert "DH_PASSWORD: conda-forge/beta holds it in the model" in text


def test_unresolvable_reference_fails_with_file_and_line(project) -> None:
    infra = project[0] / "conda-forge" / "infrastructure"
    _edit(infra, GHA, "        - ${repo-delta.repoId}\n", "        - ${repo-nope.repoId}\n")
    code, lines = _holder_lines(project)
    assert code == 1
    line_no = (infra / GHA).read_text().splitlines().index("        - ${repo-nope.repoId}") + 1
    assert any(f"{GHA}:{line_no}: ${{repo-nope.repoId}} names no variable" in ln for ln in lines)
    # the rest is still compared: delta, no longer given it, is reported too
    assert any("conda-forge/delta holds it in the model" in ln for ln in lines)
