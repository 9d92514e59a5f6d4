"""Mermaid text helpers: safe node ids, escaped labels, page-link placeholders, colour classes."""

from __future__ import annotations

import re

HEADER = "%% Made by `nox -s diagrams` from diagrams/model and diagrams/inventory; do not edit."
PLACEHOLDER = re.compile(r"\{\{page:([A-Za-z0-9_./-]+)\}\}")
# Drawn at their natural size (site.css scrolls wide ones) instead of shrunk to the column.
NATURAL_SIZE = {
    "flowchart": (
        '%%{init: {"flowchart": {"useMaxWidth": false, "nodeSpacing": 24, "rankSpacing": 30, '
        '"wrappingWidth": 150}}}%%'
    ),
    "sequenceDiagram": (
        '%%{init: {"sequence": {"useMaxWidth": false, "wrap": true, "width": 150, '
        '"actorMargin": 12, "messageFontSize": 16, "noteFontSize": 16, "actorFontSize": 16}}}%%'
    ),
}
# Subgraphs are outlines only, so the page background (light or dark) shows through.
SUBGRAPH_STYLE = "fill:transparent,stroke:#8a8a8a,stroke-width:1px"

# Mid-saturation fills with explicit dark text and stroke: legible on light and dark pages.
KIND_CLASS = {
    "repository": "repo",
    "bot-account": "auto",
    "github-app": "auto",
    "web-service": "auto",
    "scheduled-job": "auto",
    "ci-provider": "ci",
    "channel": "delivery",
    "delivery-service": "delivery",
    "server": "server",
    "token": "token",
    "organization": "people",
    "team": "people",
}
KIND_PLURAL = {
    "repository": "repositories",
    "bot-account": "bot accounts",
    "github-app": "GitHub Apps",
    "web-service": "web services",
    "scheduled-job": "scheduled jobs",
    "ci-provider": "CI providers",
    "channel": "channels",
    "delivery-service": "delivery services",
    "server": "servers",
    "token": "tokens",
    "organization": "organisations",
    "team": "teams",
}
# The colour class of a whole group (the overview's nodes).
GROUP_CLASS = {
    "repositories": "repo",
    "automation": "auto",
    "ci": "ci",
    "delivery": "delivery",
    "hosting": "server",
    "tokens": "token",
    "organisations": "people",
    "retired": "retired",
}
CLASS_DEFS = {
    "repo": "fill:#8db4e2,stroke:#2f5f94,color:#111111",
    "auto": "fill:#a3d38f,stroke:#4c8a3a,color:#111111",
    "ci": "fill:#f2b872,stroke:#a8631a,color:#111111",
    "delivery": "fill:#c7a3dc,stroke:#74458f,color:#111111",
    "server": "fill:#e6d36f,stroke:#8f7e14,color:#111111",
    "token": "fill:#ee9a9a,stroke:#a33b3b,color:#111111",
    "people": "fill:#92d4cf,stroke:#2b7f7a,color:#111111",
    "collapsed": "fill:#d6d6d6,stroke:#555555,stroke-width:2px,color:#111111",
    "external": "fill:#f4f4f4,stroke:#777777,stroke-dasharray:2 2,color:#111111",
    "retired": "fill:#c8c8c8,stroke:#6b6b6b,stroke-dasharray:5 4,color:#333333",
    "focus": "stroke:#111111,stroke-width:4px,font-weight:bold",
}


def node_id(key: str, prefix: str = "c") -> str:
    """A Mermaid-safe node id for a model id (letters, digits, underscores only)."""
    return f"{prefix}_" + re.sub(r"[^A-Za-z0-9]", "_", key)


def label(text: str) -> str:
    """A label for use inside double quotes: quotes and angle brackets as Mermaid entities."""
    out = " ".join(str(text).split())
    for ch, ent in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        out = out.replace(ch, ent)
    return out


def lines(*parts: str) -> str:
    """Several escaped label lines joined with Mermaid line breaks."""
    return "<br>".join(label(p) for p in parts if p)


def counted(n: int, kind: str) -> str:
    """``"1 token"`` or ``"5 tokens"``: a count of components of one kind."""
    plural = KIND_PLURAL.get(kind, kind + "s")
    if n != 1:
        return f"{n} {plural}"
    singular = {"repositories": "repository", "GitHub Apps": "GitHub App"}.get(plural)
    return f"1 {singular or plural[:-1]}"


def plain(text: str) -> str:
    """Text for sequence messages and map nodes: no characters Mermaid treats as syntax."""
    out = " ".join(str(text).split())
    return re.sub(r"[;#:\"<>()\[\]{}`|]", " ", out).replace("  ", " ").strip()


def page_link(docname: str) -> str:
    """A placeholder for a page's URL, resolved per including page by
    infradocs.sphinxext.diagrams."""
    return "{{page:" + docname + "}}"


def class_lines(assigned: dict[str, list[str]]) -> list[str]:
    """``classDef`` for each used class, then one ``class`` line per class (sorted)."""
    used = sorted(c for c, ids in assigned.items() if ids)
    lines = [f"  classDef {c} {CLASS_DEFS[c]}" for c in used]
    lines += [f"  class {','.join(sorted(assigned[c]))} {c}" for c in used]
    return lines
