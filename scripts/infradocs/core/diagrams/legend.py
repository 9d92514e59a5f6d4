"""The legend shown beside the diagrams: node colours by kind, edge styles by origin."""

from __future__ import annotations

from infradocs.core.diagrams.graph import EDGE_STYLE
from infradocs.core.diagrams.mermaid import HEADER, NATURAL_SIZE, class_lines, label

# (class, text) in rows of three; tied with invisible links so they lay out as a grid.
SWATCHES = [
    ("repo", "Repository"),
    ("auto", "Bot, GitHub App, web service or job"),
    ("ci", "CI provider or runner"),
    ("delivery", "Channel or delivery service"),
    ("server", "Server or hosting"),
    ("token", "Token or credential"),
    ("people", "Team or organisation"),
    ("collapsed", "Several components (count): opens their index"),
    ("retired", "Retired"),
    ("external", "Secret name without a token page"),
]
ORIGINS = [
    ("curated", "curated: stated in the model"),
    ("extracted", "extracted: only the inventory shows it"),
    ("both", "confirmed: curated and seen in the inventory"),
]
ROW = 3


def legend() -> str:
    """A small flowchart drawing one node per colour class and one edge per origin."""
    lines = [HEADER, "%% Legend", NATURAL_SIZE["flowchart"], "flowchart LR"]
    assigned: dict[str, list[str]] = {}
    ids = []
    for n, (cls, text) in enumerate(SWATCHES):
        nid = f"k_{n}"
        ids.append(nid)
        lines.append(f'  {nid}["{label(text)}"]')
        assigned.setdefault(cls, []).append(nid)
    for start in range(0, len(ids), ROW):
        row = ids[start : start + ROW]
        if len(row) > 1:
            lines.append("  " + " ~~~ ".join(row))
    for n, (origin, text) in enumerate(ORIGINS):
        lines.append(f'  e_{n}a["A"] {EDGE_STYLE[origin]}|"{label(text)}"| e_{n}b["B"]')
        assigned.setdefault("external", []).extend([f"e_{n}a", f"e_{n}b"])
    return "\n".join(lines + class_lines(assigned)) + "\n"
