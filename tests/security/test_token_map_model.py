"""The token map reads the curated model from ``archmodel_dir``, like the other extensions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import sphinxapp
from sechelpers import write_model

from infradocs.core.inventory.snapshot import load

WORKFLOW = {
    "path": ".github/workflows/upload.yml",
    "provider": "github-actions",
    "name": "upload",
    "triggers": ["push"],
    "schedules": [],
    "actions": [],
    "secrets": ["PROD_UPLOAD_TOKEN"],
    "runners": ["ubuntu-latest"],
    "permissions": None,
}
REPO = {
    "name": "acme/uploader",
    "commit": None,
    "ci_providers": ["github-actions"],
    "workflows": [WORKFLOW],
    "secrets": ["PROD_UPLOAD_TOKEN"],
    "services": [],
    "conda_forge_yml": None,
    "problems": [],
}
PAGES = {
    "index": "# Tokens\n\n```{token-map}\n```\n\n"
    "```{toctree}\n:hidden:\n:glob:\n\nreference/*/*\n```\n",
    "reference/tokens/prod-token": "# PROD_UPLOAD_TOKEN\n",
    "reference/delivery/prod-channel": "# Production channel\n",
    "reference/organisations/infra-team": "# Infra team\n",
}


def _build(tmp_path: Path, *extensions: str) -> tuple[subprocess.CompletedProcess, Path]:
    src, out = tmp_path / "src", tmp_path / "out"
    for name, text in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.md").write_text(text)
    snap = tmp_path / "inventory.json"
    snap.write_text(json.dumps({"schema_version": 1, "repos": [REPO]}))
    assert load(snap)["repos"] == [REPO]
    exts = ["myst_parser", *extensions, "infradocs.sphinxext.security"]
    (src / "conf.py").write_text(
        f"extensions = {exts!r}\ninventory_snapshot = {str(snap)!r}\n"
        f"archmodel_dir = {str(write_model(tmp_path / 'model'))!r}\n"
    )
    proc = sphinxapp.build(src, out)
    return proc, proc.outdir / "index.html"


def test_token_map_uses_the_configured_model(tmp_path: Path) -> None:
    proc, page = _build(tmp_path)
    assert proc.returncode == 0, proc.stderr
    html = page.read_text(encoding="utf-8")
    assert "not in the curated model" not in html
    assert 'href="reference/tokens/prod-token.html"' in html
    assert 'href="reference/delivery/prod-channel.html"' in html
    assert 'href="reference/organisations/infra-team.html"' in html
