"""Command line: ``python -m infradocs.cli.sitesearch SITE [--pagefind]`` ranks every component
query."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from infradocs.core.archmodel import load_model
from infradocs.core.localsite import launch, serve
from infradocs.core.sitesearch.engines import pagefind_index, pagefind_top, sphinx_top
from infradocs.core.sitesearch.queries import ambiguous, queries


def rank(site: Path, engine: str, browser=None) -> list[tuple[str, str, str | None]]:
    """(query, expected page, top page) for every component query with one engine.

    Uses ``browser`` (a Playwright browser) when given, else launches Debian's Chromium.
    """
    pairs = queries(load_model())
    engine_top = sphinx_top if engine == "sphinx" else pagefind_top
    with serve(site) as url, contextlib.ExitStack() as stack:
        if browser is None:
            browser = launch(stack.enter_context(sync_playwright()))
            stack.callback(browser.close)
        page = browser.new_page()
        stack.callback(page.close)
        top = engine_top(page, url, [q for q, _ in pairs])
    return [(q, want, got) for (q, want), got in zip(pairs, top, strict=True)]


def report(engine: str, rows: list[tuple[str, str, str | None]]) -> int:
    """Print the hit rate and each miss; return the number of misses."""
    misses = [r for r in rows if r[1] != r[2]]
    print(f"{engine:9s} first-result hits: {len(rows) - len(misses)}/{len(rows)}")
    for q, want, got in misses:
        print(f"  miss {q!r}: want {want}, got {got}")
    return len(misses)


def main() -> int:
    """Rank with Sphinx's search, and with Pagefind when asked; exit 1 on any Sphinx miss."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path, help="built HTML folder")
    parser.add_argument("--pagefind", action="store_true", help="also measure Pagefind")
    args = parser.parse_args()
    for term, tier, ids in ambiguous(load_model()):
        print(f"  ambiguous {tier} {term!r}: claimed by {', '.join(ids)}")
    misses = report("sphinx", rank(args.site, "sphinx"))
    if args.pagefind:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "site"
            shutil.copytree(args.site, copy)
            pagefind_index(copy)
            report("pagefind", rank(copy, "pagefind"))
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
