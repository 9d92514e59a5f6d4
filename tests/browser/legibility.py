"""Measure how legible each rendered diagram is: width, crossings, smallest text, overlaps, links.

The figures come from the SVG Chromium drew (bounding boxes in screen pixels; edge paths sampled
every few pixels to count crossing pairs). No library measures rendered Mermaid this way (layout
linters score a graph before it is drawn), so the geometry is a few dozen lines of JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Limits from issue 14: text >= 10 px (12 px on the overview), at most 2 crossing edge pairs
# on the overview, which also fits the text column.
MIN_TEXT = 10.0
MIN_TEXT_OVERVIEW = 12.0
MAX_CROSSINGS_OVERVIEW = 2
# Two boxes overlap when they share more than this many pixels each way (anti-aliasing slack).
SLACK = 1.5

MEASURE_JS = Path(__file__).with_name("legibility.js").read_text(encoding="utf-8")


@dataclass
class Figures:
    """One drawn diagram, measured."""

    page: str
    index: int
    kind: str
    width: int
    column: int
    scrolls: bool
    edges: int
    crossings: int
    min_text: float
    labels: int
    overlaps: list[str] = field(default_factory=list)
    over_nodes: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    named: int = 0

    @property
    def name(self) -> str:
        """``page#N`` (1-based), for messages."""
        return f"{self.page}#{self.index + 1}"

    def row(self) -> str:
        """One line of figures for the printed table."""
        return (
            f"{self.name:58} {self.kind[:10]:10} {self.width:5}/{self.column:<4} "
            f"{'scroll' if self.scrolls else 'fits':6} x{self.crossings:<3} "
            f"{self.min_text:5.1f}px overlaps {len(self.overlaps) + len(self.over_nodes):3} "
            f"named {self.named:2} unlinked {len(self.unlinked)}"
        )


def measure(page, component_pages: dict[str, str], label: str) -> list[Figures]:
    """Every diagram drawn on ``page`` (already rendered), measured; ``label`` names the page."""
    # Mermaid marks a block processed before its drawing lands (a temporary #dmermaid-* holder).
    page.wait_for_function(
        """() => [...document.querySelectorAll('.mermaid')].every(el =>
             !el.querySelector('[id^="dmermaid"]')
             && el.querySelector('svg[aria-roledescription]'))""",
        timeout=60_000,
    )
    pages = {"".join(title.split()): path for title, path in component_pages.items()}
    raw = page.evaluate(MEASURE_JS, [pages, SLACK])
    return [
        Figures(
            label,
            d["index"],
            d["kind"],
            d["width"],
            d["column"],
            d["scrolls"],
            d["edges"],
            d["crossings"],
            d["minText"],
            d["labels"],
            d["overlaps"],
            d["overNodes"],
            d["unlinked"],
            d["named"],
        )
        for d in raw
    ]


def breaches(fig: Figures, overview: bool = False) -> list[str]:
    """What in ``fig`` breaks the legibility rules, one message each (empty: legible)."""
    out = []
    floor = MIN_TEXT_OVERVIEW if overview else MIN_TEXT
    if fig.labels == 0:
        out.append("no text drawn")
    elif fig.min_text < floor:
        out.append(f"smallest text {fig.min_text:.1f} px < {floor:.0f} px")
    out += [f"labels overlap: {o}" for o in fig.overlaps]
    out += [f"{o}" for o in fig.over_nodes]
    out += [f"box naming a component does not link to its page: {u}" for u in fig.unlinked]
    if overview:
        if fig.scrolls or fig.width > fig.column:
            out.append(f"wider than the column ({fig.width} px > {fig.column} px) or scrolls")
        if fig.crossings > MAX_CROSSINGS_OVERVIEW:
            out.append(f"{fig.crossings} crossing edge pairs > {MAX_CROSSINGS_OVERVIEW}")
    return [f"{fig.name}: {m}" for m in out]
