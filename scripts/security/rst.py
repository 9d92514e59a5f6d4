"""Docutils building blocks for the security pages: tables, links, severity badges."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

import docnodes


def table(headers: list[str], rows: list[list], widths: list[int], cls: str) -> nodes.table:
    """A table node; cells are text or nodes."""
    return docnodes.table(headers, rows, widths, ["security-table", cls])


def link(text: str, url: str | None) -> nodes.Node:
    """An external link, or plain text when there is no URL."""
    if not url:
        return nodes.Text(text)
    return nodes.reference("", text, refuri=url, internal=False)


def doc_link(text: str, docname: str) -> nodes.Node:
    """A link to a page of the site, resolved (and checked) by Sphinx."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True
    )
    ref += nodes.inline(text, text)
    return ref


def severity(value: str) -> nodes.Node:
    """A severity word styled by its level."""
    return nodes.inline(value, value, classes=["sec-sev", f"sec-sev-{value}"])


def joined(parts: list[nodes.Node], empty: str = "—") -> nodes.Node:
    """Nodes separated by commas, or a dash when there are none."""
    if not parts:
        return nodes.Text(empty)
    span = nodes.inline()
    for i, part in enumerate(parts):
        if i:
            span += nodes.Text(", ")
        span += part
    return span
