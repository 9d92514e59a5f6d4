"""Run queries through a search engine in a real browser and return the top result's page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SPHINX_JS = """async (queries) => {
  while (!Search.hasIndex()) { await new Promise(r => setTimeout(r, 50)); }
  return queries.map((q) => {
    const results = Search._performSearch(...Search._parseQuery(q));
    return results.length ? results[results.length - 1][0] : null;
  });
}"""

PAGEFIND_JS = """async (queries) => {
  const pf = await import("./pagefind/pagefind.js");
  const out = [];
  for (const q of queries) {
    const res = await pf.search(q);
    if (!res.results.length) { out.push(null); continue; }
    const data = await res.results[0].data();
    out.push(data.url);
  }
  return out;
}"""


def sphinx_top(page, base_url: str, queries: list[str]) -> list[str | None]:
    """Top docname for each query with Sphinx's own searchtools.js on search.html."""
    page.goto(base_url + "search.html")
    return page.evaluate(SPHINX_JS, queries)


def pagefind_index(site: Path) -> None:
    """Index a built site with Pagefind (pagefind-bin from PyPI) into site/pagefind."""
    subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", str(site)], check=True, capture_output=True
    )


def pagefind_top(page, base_url: str, queries: list[str]) -> list[str | None]:
    """Top docname for each query with Pagefind's JavaScript API."""
    page.goto(base_url + "index.html")
    urls = page.evaluate(PAGEFIND_JS, queries)
    return [_docname(u) if u else None for u in urls]


def _docname(url: str) -> str:
    path = url.split("#")[0].lstrip("/")
    return path.removesuffix(".html").removesuffix("/index") if path else "index"
