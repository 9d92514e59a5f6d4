"""Render Mermaid texts with the site's vendored mermaid.js in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

from infradocs.core.siteconfig import DOCS

VENDOR = DOCS / "_static" / "vendor" / "mermaid"
PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
import mermaid from "./mermaid/mermaid.esm.min.mjs";
mermaid.initialize({startOnLoad: false, securityLevel: "loose"});
window.renderAll = async (items) => {
  const out = {};
  let n = 0;
  for (const [name, code] of items) {
    try {
      const {svg} = await mermaid.render(`d${n++}`, code);
      out[name] = svg.includes("<svg") ? "" : "no <svg> in the output";
    } catch (err) {
      out[name] = String(err && err.message ? err.message : err);
    }
  }
  return out;
};
window.mermaidVersion = mermaid.version ? mermaid.version() : "";
window.ready = true;
</script></body></html>
"""


def make_site(dest: Path) -> Path:
    """A folder with the vendored mermaid and the render page; returns it."""
    shutil.copytree(VENDOR, dest / "mermaid")
    (dest / "index.html").write_text(PAGE, encoding="utf-8")
    return dest


def render_all(browser, base_url: str, items: dict[str, str]) -> dict[str, str]:
    """Name -> error message ("" when it rendered) for every Mermaid text in ``items``."""
    page = browser.new_page()
    try:
        page.goto(base_url + "index.html")
        page.wait_for_function("window.ready === true")
        return page.evaluate("items => window.renderAll(items)", sorted(items.items()))
    finally:
        page.close()
