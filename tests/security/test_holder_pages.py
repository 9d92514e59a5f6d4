"""Holder lists: rendered from the snapshot's secret sync on token pages, and the rule that a
hand-typed one (page text or model text) is a build warning with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docutils import nodes

from infradocs.core.archmodel import load_model
from infradocs.core.security.holderlint import holders_by_secret, model_offences, offence
from infradocs.sphinxext.security_holders_render import holdings, render
from tests.evidence.holderfixtures import MODEL, write_holders_project
from tests.inventory.invhelpers import git, run_cli
from tests.links.linkhelpers import build


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """(path, document) of a snapshot extracted from the stand-in repositories; beta is
    declared unreadable in the manifest."""
    tmp = tmp_path_factory.mktemp("holders")
    clones, _, _ = write_holders_project(tmp)
    for repo in clones.glob("*/*"):
        git(repo, "remote", "add", "origin", f"https://github.com/conda-forge/{repo.name}")
    manifest = tmp / "manifest.txt"
    names = ["infrastructure", "alpha", "gamma", "delta", "epsilon"]
    manifest.write_text(
        "".join(f"conda-forge/{n}\n" for n in names)
        + "conda-forge/beta  # not read: no snapshot of it here\n"
    )
    path = tmp / "inventory.json"
    status, _, err = run_cli("--clones", str(clones), "-o", str(path), f"@{manifest}")
    assert status == 0, err
    return path, json.loads(path.read_text())


def test_rendered_block_lists_holders_workflows_and_unread_repositories(snapshot) -> None:
    _, doc = snapshot
    box = render(holdings(doc, ["DH_PASSWORD"]))
    text = box.astext()
    assert "Who holds it" in text
    assert "DH_PASSWORD: GitHub Actions organisation secret; visibility selected" in text
    assert "1Password item dh-password" in text
    for repo in ("alpha", "beta", "gamma", "delta"):
        assert f"repository conda-forge/{repo} (sync-secrets-gha/Pulumi.yaml:" in text
    assert "conda-forge/beta (sync-secrets-gha/Pulumi.yaml:" in text
    assert "not read here (no snapshot of it here)" in text
    assert "conda-forge/delta" in text and "no inventoried workflow references it" in text
    assert "Heroku config var; visibility selected" in text and "heroku app the-app" in text
    assert "may be incomplete" in text and "conda-forge/beta (no snapshot of it here)" in text
    alpha = next(r for r in doc["repos"] if r["name"] == "conda-forge/alpha")
    urls = [n["refuri"] for n in box.findall(nodes.reference)]
    wf = f"https://github.com/conda-forge/alpha/blob/{alpha['commit']}/.github/workflows/push.yml#L11"
    assert wf in urls


def test_visible_to_all_lists_every_referencing_workflow(snapshot) -> None:
    _, doc = snapshot
    text = render(holdings(doc, ["STAGING_TOKEN", "NOT_SYNCED"])).astext()
    assert "visibility all (all repositories of the organisation)" in text
    assert "STAGING_TOKEN is referenced by workflows in:" in text and "push.yml:12" in text
    assert "NOT_SYNCED is not in the secret sync" in text
    # visible to all: every repository the snapshot could not read matters
    assert "conda-forge/beta (no snapshot of it here)" in text


def test_offence_needs_the_secret_and_two_of_its_holders(snapshot) -> None:
    _, doc = snapshot
    held = holders_by_secret(doc)
    assert offence("DH_PASSWORD goes to alpha and conda-forge/beta.", held)
    assert offence("DH_PASSWORD goes to alpha only.", held) is None
    assert offence("alpha and beta build images.", held) is None  # no secret named
    assert offence("alpha and beta build images.", held, ("DH_PASSWORD",))  # its own page
    assert offence("DH_PASSWORD in alpha-tools and beta.", held) is None  # not a holder's name
    assert offence("STAGING_TOKEN in alpha and beta.", held) is None  # visible to all


def test_model_text_fields_that_type_holders_warn_with_file_and_line(tmp_path, snapshot) -> None:
    _, doc = snapshot
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    typed = "    visibility: selected\n    runs_on: Actions secret in alpha, beta and gamma\n"
    (model_dir / "model.yaml").write_text(MODEL.replace("    visibility: selected\n", typed))
    model = load_model(model_dir)
    [line] = model_offences(model, holders_by_secret(doc))
    assert line.startswith(f"{model['registry-password'].where}: component registry-password: ")
    assert "runs_on: hand-typed-holders: names DH_PASSWORD" in line
    (model_dir / "model.yaml").write_text(MODEL)
    assert model_offences(load_model(model_dir), holders_by_secret(doc)) == []


PAGE = """\
# Secrets

`DH_PASSWORD` goes to alpha, beta and gamma.

`DH_PASSWORD` goes to alpha only.

- `DH_PASSWORD` is given to
  - conda-forge/alpha
  - conda-forge/gamma

| Secret | Repositories |
| --- | --- |
| `DH_PASSWORD` | alpha, delta |

alpha and beta build images.
"""


def test_strict_build_fails_on_a_typed_holder_list_naming_file_and_line(tmp_path, snapshot):
    path, _ = snapshot
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'infradocs.sphinxext.security']\n"
        f"inventory_snapshot = {str(path)!r}\n"
    )
    (src / "index.md").write_text(PAGE)
    proc = build(src, tmp_path / "out")  # strict, the extension importable
    assert proc.returncode != 0
    warned = sorted(
        int(ln.split(":")[1]) for ln in proc.stderr.splitlines() if "hand-typed-holders" in ln
    )
    lines = PAGE.splitlines()
    expected = [
        lines.index("`DH_PASSWORD` goes to alpha, beta and gamma.") + 1,
        lines.index("- `DH_PASSWORD` is given to") + 1,
        lines.index("| `DH_PASSWORD` | alpha, delta |") + 1,
    ]
    assert warned == expected, proc.stderr
    for line in expected:
        assert f"{src / 'index.md'}:{line}: WARNING: hand-typed-holders" in proc.stderr


@pytest.mark.slow
def test_real_curator_page_renders_the_synced_holders(built_site) -> None:
    from infradocs.core.inventory.snapshot import PATH

    doc = json.loads(PATH.read_text())
    html = (built_site / "reference" / "tokens" / "curator-app-key.html").read_text()
    block = html[html.index("token-holders") :]
    [cred] = [
        c
        for c in doc["secret_sync"]["credentials"]
        if c["name"] == "CF_CURATOR_PRIVATE_KEY" and c["store"] == "github-actions"
    ]
    for holder in cred["holders"]:  # every repository the sync names, by-the-numbers included
        assert holder["name"] in block
    unread = {u["name"] for u in doc["unread"]}
    for name in {h["name"] for h in cred["holders"]} & unread:
        assert f"{name} (" in block[block.index("may be incomplete") :]
    ref = next(
        r
        for r in doc["secret_sync"]["references"]
        if r["secret"] == "CF_CURATOR_PRIVATE_KEY" and r["repo"] == "conda-forge/by-the-numbers"
    )
    assert f"{ref['path']}#L{ref['line']}" in block
