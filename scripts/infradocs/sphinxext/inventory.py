"""Sphinx extension: ``{inventory} TABLE`` renders tables from the committed inventory snapshot."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from infradocs.core.inventory import snapshot
from infradocs.sphinxext.settings import (
    committed_snapshot,
    kept_folder,
    snapshot_doc,
    widest_snapshot,
)

# Table modules are imported when a page with a table is read: a build that reads none (no
# change, or another page touched) never loads them nor the extractor they describe.
TABLES = ("providers", "readers", "workflows", "secrets", "services", "snapshot")


class InventoryDirective(SphinxDirective):
    """``{inventory} providers|readers|workflows|secrets|services|snapshot``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in TABLES:
            raise self.error(f"unknown inventory table {name!r}; one of {', '.join(TABLES)}")
        path = committed_snapshot(self.config)
        self.env.note_dependency(str(path))
        try:
            doc = snapshot_doc(path, kept_folder(self.env.doctreedir))
        except snapshot.SnapshotError as exc:
            raise self.error(str(exc)) from None
        from infradocs.sphinxext import inventory_tables as tables

        out = getattr(tables, name)(doc)
        return out if isinstance(out, list) else [out]


class OrgDirective(SphinxDirective):
    """``{inventory-org} summary|providers|actions|secrets|schedules`` (``:top: N``): counts
    over the org-wide snapshot (``inventory_org_snapshot``), else the committed one."""

    required_arguments = 1
    option_spec = {"top": directives.positive_int}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        from infradocs.core.orgdata import derived
        from infradocs.core.orgdata.counts import counts
        from infradocs.sphinxext import inventory_orgtables as orgtables

        name = self.arguments[0]
        if name not in orgtables.TABLES:
            raise self.error(f"unknown org table {name!r}; one of {', '.join(orgtables.TABLES)}")
        path, org = widest_snapshot(self.config)
        self.env.note_dependency(str(path))
        try:
            # The org-wide snapshot's counts were derived once, where it was made.
            data = derived.get(path).counts if org else counts(snapshot.load(path, check=False))
        except (OSError, ValueError) as exc:
            raise self.error(str(exc)) from None
        table = orgtables.TABLES[name]
        out = table(data, self.options["top"]) if "top" in self.options else table(data)
        return out if isinstance(out, list) else [out]


def setup(app: Sphinx) -> dict:
    """Register the directives; the snapshot settings are infradocs.sphinxext.settings'."""
    app.setup_extension("infradocs.sphinxext.settings")
    app.add_directive("inventory", InventoryDirective)
    app.add_directive("inventory-org", OrgDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
