"""Docutils building blocks for the security pages: tables, links, severity badges."""

from __future__ import annotations

from docutils import nodes

from infradocs.sphinxext import nodes as docnodes


def table(headers: list[str], rows: list[list], widths: list[int], cls: str) -> nodes.table:
    """A table node; cells are text or nodes."""
    return docnodes.table(headers, rows, widths, ["security-table", cls])


link = docnodes.link
doc_link = docnodes.doc_link


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
