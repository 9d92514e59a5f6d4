"""The explorer's files across builds: published again only when the inventory changed."""

from __future__ import annotations

import json
from pathlib import Path

import sphinxapp
from sphinxapp import Built

from tests.support.synthinventory import generate

CONF = """
extensions = ["myst_parser", "infradocs.sphinxext.explorer"]
inventory_snapshot = {snapshot!r}
"""
PAGE = "# Explorer\n\n```{inventory-explorer}\n```\n"


def _build(src: Path, out: Path) -> Built:
    """A strict build in this process, into ``out/html``."""
    return sphinxapp.build(src, out)


def test_unchanged_inventory_is_not_published_again_and_a_changed_one_is(tmp_path):
    src, out, snapshot = tmp_path / "src", tmp_path / "out", tmp_path / "inventory.json"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(snapshot=str(snapshot)))
    (src / "index.md").write_text(PAGE)
    snapshot.write_text(json.dumps(generate(5, seed=1)))
    published = out / "html" / "_static" / "inventory" / "inventory.json"

    assert _build(src, out).returncode == 0
    first = published.stat().st_mtime_ns
    assert _build(src, out).returncode == 0
    assert published.stat().st_mtime_ns == first  # nothing to publish again

    changed = generate(7, seed=2)
    snapshot.write_text(json.dumps(changed))
    assert _build(src, out).returncode == 0
    assert json.loads(published.read_text()) == changed
    page = (out / "html" / "index.html").read_text()
    assert page.count("explorer.bin.gz?v=") >= 1

    published.unlink()  # a missing file is published again
    assert _build(src, out).returncode == 0
    assert json.loads(published.read_text()) == changed


def test_a_bad_inventory_warns_on_every_build(tmp_path):
    src, out, snapshot = tmp_path / "src", tmp_path / "out", tmp_path / "inventory.json"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(snapshot=str(snapshot)))
    (src / "index.md").write_text(PAGE)
    snapshot.write_text("{not json")
    for _ in range(2):
        proc = _build(src, out)
        assert proc.returncode != 0 and "inventory.json:1: invalid JSON" in proc.stderr
    doc = generate(3, seed=1)
    del doc["repos"][1]["name"]  # one repository the schema refuses; the others are published
    snapshot.write_text(json.dumps(doc))
    for _ in range(2):
        proc = _build(src, out)
        assert proc.returncode != 0 and "that repository is left out" in proc.stderr
