"""The whole path: git repositories -> extractor -> security enrich -> security posture."""

import json

import pytest
from sechelpers import git_repo, write_model

from infradocs.cli.inventory import main as extract
from infradocs.cli.security import main
from infradocs.core.inventory.validate import errors as schema_errors
from infradocs.core.security import enrich, zizmor

LEAKY = """\
on: pull_request
jobs:
  up:
    runs-on: ubuntu-latest
    steps:
      - uses: thirdparty/upload@main
        with:
          token: ${{ secrets.PROD_UPLOAD_TOKEN }}
"""
FEEDSTOCK_AZ = """\
jobs:
- job: linux
  steps:
  - script: ./build.sh
    env:
      BINSTAR_TOKEN: $(BINSTAR_TOKEN)
"""


@pytest.fixture
def world(tmp_path):
    src = tmp_path / "src"
    app = git_repo(
        src / "app",
        "https://user:hunter2@github.com/acme/app.git",
        {".github/workflows/leaky.yml": LEAKY, ".github/workflows/broken.yml": "on: [push\n"},
    )
    git_repo(src / "uploader", "https://github.com/acme/uploader", {"azure-pipelines.yml": ""})
    git_repo(
        src / "feedstock",
        "https://github.com/acme/x-feedstock",
        {
            "azure-pipelines.yml": FEEDSTOCK_AZ,
        },
    )
    inv = tmp_path / "inv.json"
    assert (
        extract(
            [str(p) for p in sorted(src.iterdir())]
            + ["-o", str(inv), "--generated", "--no-progress"]
        )
        == 0
    )
    return tmp_path, src, inv, app


def test_enrich_then_posture(world, capsys):
    tmp, src, inv, app = world
    model = write_model(tmp / "model")
    out = tmp / "enriched.json"
    # the uploader source is missing: a problem entry for it, the rest still audited
    sources = [str(src / "app"), str(src / "feedstock")]
    assert main(["enrich", str(inv), *sources, "-o", str(out), "--model", str(model)]) == 0
    doc = json.loads(out.read_text())
    assert schema_errors(doc) == []
    assert doc["security"]["tools"] == enrich.tools(zizmor.executable())
    repos = {r["name"]: r for r in doc["repos"]}
    leaky = next(w for w in repos["acme/app"]["workflows"] if w["path"].endswith("leaky.yml"))
    audits = {(f["audit"], f["line"]) for f in leaky["findings"]}
    # the third-party action pinned to a branch: zizmor with our configuration
    assert ("unpinned-uses", 6) in audits
    assert ("secret-outside-scope", 8) in audits
    az = repos["acme/x-feedstock"]["workflows"][0]["findings"]
    assert [(f["audit"], f["line"]) for f in az] == [("azure-fork-pr-credentials", 6)]
    assert {"path": None, "line": None, "message": "source not found; not audited"} in repos[
        "acme/uploader"
    ]["problems"]
    if zizmor.executable():
        assert any(f["tool"] == "zizmor" for f in leaky["findings"])
        assert any(
            p["path"] == ".github/workflows/broken.yml" and "zizmor failed" in p["message"]
            for p in repos["acme/app"]["problems"]
        )
    assert "hunter2" not in out.read_text()

    # posture: trends against the un-enriched snapshot (no findings before)
    posture_file = tmp / "posture.json"
    args = ["posture", str(out), "--previous", str(inv), "--model", str(model)]
    assert main([*args, "-o", str(posture_file)]) == 0
    data = json.loads(posture_file.read_text())
    assert data["snapshot"]["findings"] == len(data["findings"]) > 0
    assert data["worst_repos"][0]["repo"] == "acme/app"
    assert data["trends"]["total_before"] == 0
    assert data["trends"]["new_count"] == data["snapshot"]["findings"]
    first = data["findings"][0]
    assert first["severity"] == "high"
    pin = next(f for f in data["findings"] if f["audit"] == "unpinned-uses")
    assert pin["url"] == f"https://github.com/acme/app/blob/{app}/.github/workflows/leaky.yml#L6"
    token = next(t for t in data["tokens"] if t["secret"] == "PROD_UPLOAD_TOKEN")
    assert token["owner"]["id"] == "infra-team"
    assert [r["id"] for r in token["reaches"]] == ["prod-channel"]
    assert [r["repo"] for r in token["repos"]] == ["acme/app"]
    assert token["holders"] == ["acme/uploader"]


def test_bad_inventory_names_the_file(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    with pytest.raises(SystemExit, match=r"x\.json"):
        main(["posture", str(bad)])
