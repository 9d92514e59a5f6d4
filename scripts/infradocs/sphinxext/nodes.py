"""Docutils building blocks shared by the Sphinx extensions that render generated tables."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes


def row(cells: list) -> nodes.row:
    """A table row; each cell is text or a docutils node."""
    out = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        para += cell if isinstance(cell, nodes.Node) else nodes.Text(str(cell))
        entry += para
        out += entry
    return out


def table(
    headers: list[str], rows: list[list], widths: list[int], classes: list[str]
) -> nodes.table:
    """A table node with a header row; cells are text or nodes."""
    tbl = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    head += row(headers)
    body.extend(row(r) for r in rows)
    return tbl


def link(text: str, url: str | None) -> nodes.Node:
    """An external link, or plain text when there is no URL."""
    if not url:
        return nodes.Text(text)
    return nodes.reference("", text, refuri=url, internal=False)


def doc_link(text: str, docname: str) -> addnodes.pending_xref:
    """A link to a page of the site by docname, resolved (and checked) by Sphinx."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True, refwarn=True
    )
    ref += nodes.inline(text, text)
    return ref
