"""Sphinx extension: ``{inventory} TABLE`` renders tables from the committed inventory snapshot."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from siteconfig import DIAGRAMS

from . import SCHEMA_VERSION, orgtables, tables
from .validate import errors

SNAPSHOT = DIAGRAMS / "inventory" / "inventory.json"
TABLES = {
    "providers": tables.providers,
    "workflows": tables.workflows,
    "secrets": tables.secrets,
    "services": tables.services,
    "snapshot": tables.snapshot,
}


def load_snapshot(path: Path = SNAPSHOT, check: bool = True) -> dict:
    """The snapshot document, schema-checked; ValueError names the file on any problem.

    ``check=False`` (the org-wide snapshot, schema-checked by the merge that made it): only
    its version and shape, as checking 25,000 repositories takes far longer than a build."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the inventory snapshot: {exc}") from None
    problems = errors(doc) if check else _shape(doc)
    if problems:
        raise ValueError(f"{path}: not a valid inventory: {problems[0]}")
    return doc


def _shape(doc: object) -> list[str]:
    if not isinstance(doc, dict) or not isinstance(doc.get("repos"), list):
        return ["/: not an inventory document (no 'repos' list)"]
    if doc.get("schema_version") != SCHEMA_VERSION:
        return [f"/schema_version: {doc.get('schema_version')!r} is not {SCHEMA_VERSION}"]
    return []


def snapshot_path(value: str, confdir: Path) -> Path:
    """The configured snapshot path (``inventory_snapshot``), relative to the conf.py folder."""
    path = Path(value)
    return path if path.is_absolute() else confdir / path


class InventoryDirective(SphinxDirective):
    """``{inventory} providers|workflows|secrets|services|snapshot``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in TABLES:
            raise self.error(f"unknown inventory table {name!r}; one of {', '.join(TABLES)}")
        path = snapshot_path(self.config.inventory_snapshot, Path(self.env.app.confdir))
        self.env.note_dependency(str(path))
        try:
            doc = load_snapshot(path)
        except ValueError as exc:
            raise self.error(str(exc)) from None
        out = TABLES[name](doc)
        return out if isinstance(out, list) else [out]


@functools.lru_cache(maxsize=2)
def _org_doc(path: str, mtime_ns: int, size: int) -> dict:
    """The org-wide snapshot, parsed once per build for all its tables (and per change)."""
    return load_snapshot(Path(path), check=False)


class OrgDirective(SphinxDirective):
    """``{inventory-org} summary|providers|actions|secrets|schedules`` (``:top: N``): counts
    over the org-wide snapshot (``inventory_org_snapshot``), else the committed one."""

    required_arguments = 1
    option_spec = {"top": directives.positive_int}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in orgtables.TABLES:
            raise self.error(f"unknown org table {name!r}; one of {', '.join(orgtables.TABLES)}")
        confdir = Path(self.env.app.confdir)
        value = self.config.inventory_org_snapshot or self.config.inventory_snapshot
        path = snapshot_path(value, confdir)
        self.env.note_dependency(str(path))
        try:
            st = path.stat()
            doc = _org_doc(str(path), st.st_mtime_ns, st.st_size)
        except (OSError, ValueError) as exc:
            raise self.error(str(exc)) from None
        table = orgtables.TABLES[name]
        out = table(doc, self.options["top"]) if "top" in self.options else table(doc)
        return out if isinstance(out, list) else [out]


def setup(app: Sphinx) -> dict:
    """Register the directives, ``inventory_snapshot`` (default: the committed snapshot) and
    ``inventory_org_snapshot`` (the org-wide one; empty: the committed snapshot)."""
    app.add_config_value("inventory_snapshot", str(SNAPSHOT), "env", types=frozenset({str}))
    app.add_config_value("inventory_org_snapshot", "", "env", types=frozenset({str}))
    app.add_directive("inventory", InventoryDirective)
    app.add_directive("inventory-org", OrgDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
