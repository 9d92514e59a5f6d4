"""The org-wide snapshot's derived data: made once by merge, reused by builds only when its key
matches, equal to what a build would derive itself, and published from there."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import sphinxapp
from test_inventory_orgtables import ORG, PAGE

from infradocs.core.explorer.data import compact
from infradocs.core.explorer.pack import pack, unpack
from infradocs.core.inventory.snapshot import SnapshotError
from infradocs.core.orgdata import derived
from infradocs.core.orgdata.counts import counts
from tests.support.synthinventory import generate

SITE_CONF = """\
extensions = ["myst_parser", "infradocs.sphinxext.inventory", "infradocs.sphinxext.explorer"]
inventory_org_snapshot = {org!r}
version = "9.9"
"""


def _snapshot(tmp: Path, doc: dict, indent: int | None = None) -> Path:
    path = tmp / "org" / "inventory.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=indent))
    return path


def test_derived_data_equals_what_the_build_would_compute(tmp_path: Path) -> None:
    doc = generate(40, seed=3)
    path = _snapshot(tmp_path, doc)
    folder = derived.derive(path)
    assert folder == tmp_path / "org" / "inventory.json.derived"
    assert sorted(p.name for p in folder.iterdir()) == sorted(derived.FILES)
    assert json.loads((folder / derived.COUNTS).read_text()) == counts(doc)
    assert gzip.decompress((folder / derived.GZIP).read_bytes()) == path.read_bytes()
    assert gzip.decompress((folder / derived.LAZY).read_bytes()) == pack(compact(doc), lazy=True)
    key = json.loads((folder / derived.KEY).read_text())
    assert key["snapshot_sha256"] == derived.key_of(path.read_bytes())["snapshot_sha256"]


def test_a_build_reuses_it_only_for_the_same_bytes_and_code(tmp_path: Path) -> None:
    doc = generate(12, seed=4)
    path = _snapshot(tmp_path, doc)
    derived.derive(path)
    got = derived.get(path)
    assert got.reused and got.counts == counts(doc)

    # Same document, other bytes: the key no longer matches, so it is derived again.
    path.write_text(json.dumps(doc, indent=1))
    again = derived.get(path)
    assert not again.reused and again.counts == counts(doc)
    key = json.loads((again.folder / derived.KEY).read_text())
    assert key == derived.key_of(path.read_bytes())

    # Derived by other code (the key's code hash differs): derived again too.
    (again.folder / derived.KEY).write_text(json.dumps({**key, "code": "0" * 16}))
    path.write_text(json.dumps(doc, indent=2))  # a new file version for the in-process cache
    assert not derived.get(path).reused

    # A file missing from the folder: derived again.
    (again.folder / derived.LAZY).unlink()
    path.write_text(json.dumps(doc, indent=3))
    assert not derived.get(path).reused
    assert (again.folder / derived.LAZY).is_file()


def test_a_bad_snapshot_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "org" / "inventory.json"
    path.parent.mkdir()
    path.write_text("{not json")
    with pytest.raises(SnapshotError, match=r"org/inventory\.json"):
        derived.get(path)
    with pytest.raises(SnapshotError, match=r"missing\.json"):
        derived.get(tmp_path / "missing.json")


def _site(tmp: Path, org: Path) -> Path:
    src, out = tmp / "src", tmp / "out"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(SITE_CONF.format(org=str(org)))
    (src / "index.md").write_text(PAGE + "\n```{inventory-explorer}\n```\n")
    proc = sphinxapp.build(src, out)
    assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
    return proc.outdir


def test_the_site_publishes_the_derived_files_with_its_version(tmp_path: Path) -> None:
    path = _snapshot(tmp_path, ORG)
    # No folder yet: the build derives it, keeps it, and publishes from it.
    out = _site(tmp_path / "a", path)
    assert derived.reusable(path, path.read_bytes())
    published = out / "_static" / "inventory"
    assert sorted(p.name for p in published.iterdir()) == [
        "explorer-lazy.bin.gz",
        "explorer.bin.gz",
        "inventory.json.gz",
    ]  # no 150 MB plain JSON in every version of the site
    explorer = gzip.decompress((published / "explorer.bin.gz").read_bytes())
    assert explorer == pack(compact(ORG, "9.9"))  # the version stamped into the header
    assert unpack(explorer)["site_version"] == "9.9"
    page = (out / "index.html").read_text()
    assert "6 repositories, snapshot taken at 2026-12-06T03:30:00Z" in page
    assert 'href="_static/inventory/inventory.json.gz">compressed JSON</a>' in page
    assert 'href="_static/inventory/inventory.json"' not in page

    # With the folder merge made, a fresh build publishes the same bytes and shows its counts.
    kept = json.loads((derived.folder_of(path) / derived.COUNTS).read_text())
    kept["at"] = "derived-by-merge"  # only the folder says this: the page must come from it
    (derived.folder_of(path) / derived.COUNTS).write_text(json.dumps(kept))
    again = _site(tmp_path / "b", path) / "_static" / "inventory"
    for name in ("explorer.bin.gz", "explorer-lazy.bin.gz", "inventory.json.gz"):
        assert (again / name).read_bytes() == (published / name).read_bytes(), name
    assert "snapshot taken at derived-by-merge" in (again.parents[1] / "index.html").read_text()
