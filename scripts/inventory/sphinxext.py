"""Sphinx extension: ``{inventory} TABLE`` renders tables from the committed inventory snapshot."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import snapshot, tables

TABLES = {
    "providers": tables.providers,
    "readers": tables.readers,
    "workflows": tables.workflows,
    "secrets": tables.secrets,
    "services": tables.services,
    "snapshot": tables.snapshot,
}


def snapshot_path(value: str, confdir: Path) -> Path:
    """The configured snapshot path (``inventory_snapshot``), relative to the conf.py folder."""
    path = Path(value)
    return path if path.is_absolute() else confdir / path


class InventoryDirective(SphinxDirective):
    """``{inventory} providers|readers|workflows|secrets|services|snapshot``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in TABLES:
            raise self.error(f"unknown inventory table {name!r}; one of {', '.join(TABLES)}")
        path = snapshot_path(self.config.inventory_snapshot, Path(self.env.app.confdir))
        self.env.note_dependency(str(path))
        try:
            doc = snapshot.load(path)
        except snapshot.SnapshotError as exc:
            raise self.error(str(exc)) from None
        out = TABLES[name](doc)
        return out if isinstance(out, list) else [out]


def setup(app: Sphinx) -> dict:
    """Register the directive and ``inventory_snapshot`` (default: the committed snapshot)."""
    app.add_config_value("inventory_snapshot", str(snapshot.PATH), "env", types=frozenset({str}))
    app.add_directive("inventory", InventoryDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
