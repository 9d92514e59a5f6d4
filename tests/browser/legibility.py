"""Measure how legible each rendered diagram is: width, crossings, smallest text, overlaps, links
and arrows through text.

The figures come from the SVG Chromium drew (bounding boxes in screen pixels; edge paths sampled
every few pixels to count crossing pairs and the labels they run across). No library measures
rendered Mermaid this way (layout linters score a graph before it is drawn), so the geometry is a
few dozen lines of JavaScript.

``python tests/browser/legibility.py BUILT_SITE [PAGE ...]`` prints the table for a built site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Limits from issues 14 and 21: text >= 10 px (12 px on the overview); at most max(2, edges / 10)
# crossing edge pairs; every diagram as first shown no wider than twice its column (the overview
# within it), and at least FIT_SHARE of a site's diagrams within it (the rest open with zoom).
MIN_TEXT = 10.0
MIN_TEXT_OVERVIEW = 12.0
MAX_CROSSINGS_OVERVIEW = 2
MAX_WIDTH_RATIO = 2.0
# Arrows drawn across a label not their own (a box's or group's title, another arrow's words):
# none. On 2026-12-07 every diagram of the site measured 0, light and dark (ELK's overview 9).
MAX_THROUGH = 0
FIT_SHARE = 0.9
# Legibility is judged at this size (a laptop's screen).
VIEWPORT = {"width": 1280, "height": 800}
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
    title: str = ""
    overlaps: list[str] = field(default_factory=list)
    over_nodes: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    named: int = 0
    through: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """Shown whole within its column, without scrolling or zoom."""
        return not self.scrolls and self.width <= self.column

    @property
    def max_crossings(self) -> int:
        """Crossing edge pairs allowed: max(2, edges / 10)."""
        return max(MAX_CROSSINGS_OVERVIEW, self.edges // 10)

    def figures(self) -> str:
        """Width against column, smallest text and crossings, for a failure message."""
        return (
            f"{self.width}/{self.column} px, text {self.min_text:.1f} px, "
            f"{self.crossings} crossings of {self.edges} edges"
        )

    @property
    def name(self) -> str:
        """``page#N`` (1-based), for messages."""
        return f"{self.page}#{self.index + 1}"

    def row(self) -> str:
        """One line of figures for the printed table."""
        return (
            f"{self.name:58} {self.kind[:10]:10} {self.width:5}/{self.column:<4} "
            f"{'fits' if self.fits else 'wide':6} x{self.crossings:<3}/{self.edges:<3} "
            f"{self.min_text:5.1f}px overlaps {len(self.overlaps) + len(self.over_nodes):3} "
            f"named {self.named:2} unlinked {len(self.unlinked)} through {len(self.through)}"
        )


def measure(page, component_pages: dict[str, str], label: str) -> list[Figures]:
    """Every diagram drawn on ``page`` (already rendered), measured; ``label`` names the page."""
    # Mermaid marks a block processed before its drawing lands (a temporary #dmermaid-* holder).
    page.wait_for_function(
        """() => [...document.querySelectorAll('.mermaid')].every(el =>
             !el.querySelector('[id^="dmermaid"]')
             && el.querySelector('svg[aria-roledescription]'))"""
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
            d["title"],
            d["overlaps"],
            d["overNodes"],
            d["unlinked"],
            d["named"],
            d["through"],
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
    if len(fig.through) > MAX_THROUGH:
        out += list(fig.through)
    if overview and not fig.fits:
        out.append(f"wider than the column ({fig.width} px > {fig.column} px) or scrolls")
    elif fig.width > MAX_WIDTH_RATIO * fig.column:
        out.append(f"more than {MAX_WIDTH_RATIO:g}x the column ({fig.width} px > {fig.column} px)")
    limit = MAX_CROSSINGS_OVERVIEW if overview else fig.max_crossings
    if fig.crossings > limit:
        out.append(f"{fig.crossings} crossing edge pairs > {limit}")
    where = f"{fig.name} ({fig.title[:50]}; {fig.figures()})"
    return [f"{where}: {m}" for m in out]


def fit_breach(figures: list[Figures]) -> str:
    """A message when fewer than FIT_SHARE of ``figures`` fit their column (else empty)."""
    fit = sum(f.fits for f in figures)
    if figures and fit < FIT_SHARE * len(figures):
        wide = ", ".join(f.name for f in figures if not f.fits)
        share = f"{fit} of {len(figures)} diagrams fit their column (< {FIT_SHARE:.0%})"
        return f"{share}; wide: {wide}"
    return ""


def main(argv: list[str] | None = None) -> int:
    """Print the figures of every diagram of a built site (light scheme, 1280x800)."""
    import argparse

    from playwright.sync_api import sync_playwright

    from infradocs.core.archmodel import load_model
    from infradocs.core.localsite import launch, serve

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("site", type=Path)
    ap.add_argument("pages", nargs="*", help="pages relative to the site (default: all)")
    ap.add_argument("--scheme", default="light")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    args = ap.parse_args(argv)
    pages = args.pages or diagram_pages(args.site)
    names = {c.title: f"{c.page}.html" for c in load_model()}
    figures: list[Figures] = []
    with sync_playwright() as pw, serve(args.site) as url:
        browser = launch(pw)
        viewport = {"width": args.width, "height": args.height}
        page = browser.new_page(viewport=viewport, color_scheme=args.scheme)
        page.set_default_timeout(600_000)  # waits are for conditions; this only stops a hang
        for path in pages:
            page.goto(url + path)
            figures += measure(page, names, path)
        browser.close()
    for fig in figures:
        print(fig.row(), fig.title[:50])
    for fig in figures:
        for message in breaches(fig, overview=fig.kind == "package-path"):
            print("  breach:", message)
    fit = sum(f.fits for f in figures)
    print(f"{fit} of {len(figures)} diagrams fit their column")
    return 0


def diagram_pages(site: Path) -> list[str]:
    """Pages of a built site that hold a diagram (Mermaid or a generated SVG)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("_static/")
        and any(m in p.read_text(encoding="utf-8") for m in ('class="mermaid', "generated-svg"))
    )


if __name__ == "__main__":
    import sys

    sys.exit(main())
