"""Sphinx hooks: put the rendered "Who holds it" block on each token page, and warn (file:line)
about hand-typed holder lists in pages and in the model's text fields."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from infradocs.core.security.holderlint import holders_by_secret, model_offences, offence
from infradocs.sphinxext.loaded import loaded_model
from infradocs.sphinxext.security_holders_render import CLASS, holdings, render
from infradocs.sphinxext.settings import committed_snapshot, kept_folder, snapshot_doc

logger = logging.getLogger(__name__)
SKIP = {CLASS, "component-summary", "security-table", "inventory-table"}  # rendered, not typed


def _snapshot(app: Sphinx) -> dict:
    return snapshot_doc(committed_snapshot(app.config), kept_folder(app.doctreedir))


def _token_here(app: Sphinx, doctree: nodes.document):
    """The token component this page documents (None for other pages)."""
    model = loaded_model(app.config)
    for node in doctree.findall(nodes.Element):
        for ident in node.get("ids", []):
            cid = ident.removeprefix("component-")
            if ident.startswith("component-") and model is not None and cid in model:
                return model[cid] if model[cid].kind == "token" else None
    return None


def _skipped(node: nodes.Node) -> bool:
    while node is not None:
        if SKIP & set(getattr(node, "get", lambda *_: [])("classes", [])):
            return True
        node = node.parent
    return False


def _unit(node: nodes.Node) -> bool:
    """A paragraph, list item or table row: the units the rule reads (a paragraph in a list
    item or table cell is read with its item or row)."""
    if isinstance(node, nodes.list_item | nodes.row):
        return True
    parent = getattr(node, "parent", None)
    return isinstance(node, nodes.paragraph) and not isinstance(
        parent, nodes.list_item | nodes.entry
    )


def _where(node: nodes.Element) -> nodes.Node | str:
    """The node, or for a row of a Markdown table (MyST gives every row the table's line): the
    row's own line (the header, then one line of dashes, then the body rows)."""
    table = node.parent.parent.parent if isinstance(node, nodes.row) else None
    if not isinstance(table, nodes.table) or not table.line or node.line not in (None, table.line):
        return node
    rows = list(table.findall(nodes.row))
    body = isinstance(node.parent, nodes.tbody)
    return f"{table.source or node.source}:{table.line + rows.index(node) + int(body)}"


def doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Insert the holders block after a token's summary; warn about typed holder lists."""
    try:
        doc = _snapshot(app)
    except ValueError as exc:
        logger.warning("token holders: %s", exc)
        return
    app.env.note_dependency(str(committed_snapshot(app.config).resolve()))
    token = _token_here(app, doctree)
    own = tuple(token.get("credentials", [])) if token is not None else ()
    holders = holders_by_secret(doc)
    for node in list(doctree.findall(_unit)):
        if _skipped(node):
            continue
        found = offence(node.astext(), holders, own)
        if found:
            logger.warning(found, location=_where(node), type="security", subtype="holders")
    if token is None:
        return
    table = next(
        doctree.findall(
            lambda n: "component-summary" in getattr(n, "get", lambda *_: [])("classes", [])
        ),
        None,
    )
    if table is not None:
        table.parent.insert(table.parent.index(table) + 1, render(holdings(doc, list(own))))


def check_model(app: Sphinx, env) -> None:
    """Warn about model text fields that type a holder list."""
    model = loaded_model(app.config)
    if model is None:
        return
    try:
        holders = holders_by_secret(_snapshot(app))
    except ValueError:
        return  # reported by doctree_read
    for line in model_offences(model, holders):
        logger.warning(line, type="security", subtype="holders")


def setup(app: Sphinx) -> None:
    """Connect the hooks (called from infradocs.sphinxext.security.setup)."""
    app.connect("doctree-read", doctree_read)
    app.connect("env-check-consistency", check_model)
