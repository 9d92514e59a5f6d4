"""Sphinx extension: publish the inventory as static JSON and render ``{inventory-explorer}``."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from infradocs.core.explorer.publish import publish
from infradocs.core.inventory import snapshot
from infradocs.core.siteconfig import DOCS
from infradocs.sphinxext.settings import kept_folder, widest_snapshot

REFERENCE = "reference/inventory"
# The explorer's modules and the vendored row virtualiser's (scripts/infradocs/core/vendorjs):
# preloaded from
# the page's <head> with the data, so none waits for another to be fetched and parsed.
MODULES = ("explorer/explorer.js", "explorer/data.js")
VIRTUAL_CORE = Path("vendor/@tanstack/virtual-core")  # in the site's static folder
EARLY = Path("explorer/early.js")
APP_MARK = 'id="explorer-app"'
PUBLISHED = "explorer-published.json"  # in the doctree folder: what the last build published
logger = logging.getLogger(__name__)


class explorer_node(nodes.General, nodes.Element):
    """Placeholder replaced with the explorer's HTML once the page's URL is known."""


class ExplorerDirective(SphinxDirective):
    """``{inventory-explorer}``: links that work without JavaScript, then the explorer."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(widest_snapshot(self.config)[0]))
        return [explorer_node()]


def _read(path: Path, kept: Path) -> tuple[dict, bool]:
    """The inventory to publish, and whether it was read without a warning."""
    if not path.exists():
        logger.info("explorer: %s does not exist; publishing an empty inventory", path)
        return {"schema_version": 1, "repos": []}, False
    try:
        snap = snapshot.read(path, kept)
    except snapshot.SnapshotError as exc:
        logger.warning("explorer: %s", exc)
        return {"schema_version": 1, "repos": []}, False
    for problem in snap.problems:
        logger.warning("explorer: %s; that repository is left out", problem)
    return snap.doc, not snap.problems


def _inputs(path: Path, version: str) -> list:
    """What the published files depend on: the snapshot, the site version, this module and the
    explorer's core package."""
    files = [path, Path(__file__), *sorted(Path(publish.__code__.co_filename).parent.glob("*.py"))]
    return [version, *([str(f), *_stat(f)] for f in files)]


def _stat(path: Path) -> list[int]:
    try:
        st = path.stat()
    except OSError:
        return []
    return [st.st_size, st.st_mtime_ns]


def _publish(app: Sphinx, env) -> None:
    if app.builder.format != "html":
        return
    path, is_org = widest_snapshot(app.config)
    out = Path(app.outdir) / "_static" / "inventory"
    # Publishing is skipped when its inputs are those of the last build and its files are there.
    stamp = Path(app.doctreedir) / PUBLISHED
    inputs = _inputs(path, app.config.version)
    try:
        last = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    if last.get("inputs") == inputs and all((out / n).is_file() for n in last.get("hashes", ())):
        app.explorer_hashes = last["hashes"]  # type: ignore[attr-defined]
        return
    if is_org:
        # The org-wide snapshot: its data was derived once, where it was made.
        from infradocs.core.orgdata import derived  # only here: most builds never need it

        try:
            hashes, clean = (
                derived.publish_derived(derived.get(path).folder, out, app.config.version),
                True,
            )
        except snapshot.SnapshotError as exc:
            logger.warning("explorer: %s", exc)
            hashes, clean = (
                publish({"schema_version": 1, "repos": []}, out, app.config.version),
                False,
            )
    else:
        doc, clean = _read(path, kept_folder(app.doctreedir))
        hashes = publish(doc, out, app.config.version)
    app.explorer_hashes = hashes  # type: ignore[attr-defined]
    stamp.unlink(missing_ok=True)
    if clean:
        # Not kept after a warning, so a bad snapshot warns again on every build.
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"inputs": inputs, "hashes": app.explorer_hashes}))


def _src(prefix: str, hashes: dict[str, str], name: str = "explorer.bin.gz") -> str:
    return f"{prefix}inventory/{name}?v={hashes.get(name, '')}"


def static_folder(app: Sphinx) -> Path:
    """The site's static folder that holds the explorer's scripts (the first of
    ``html_static_path`` with them; for a site without them, the installed checkout's)."""
    for entry in app.config.html_static_path:
        folder = Path(app.confdir, entry)
        if (folder / EARLY).is_file():
            return folder
    return DOCS / "_static"


def _early(static: Path) -> str:
    """The text of early.js (in the static folder ``static``), to inline in the <head>."""
    path = static / EARLY
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise ValueError(f"{path}: cannot be inlined (it contains '</script')")
    return text.strip()


def head(prefix: str, hashes: dict[str, str], static: Path) -> str:
    """Tags for the page's <head>: the data fetched early, every module preloaded (the modules
    vendored in the static folder ``static``)."""
    modules = [
        *MODULES,
        *(
            f"vendor/@tanstack/virtual-core/esm/{p.name}"
            for p in sorted((static / VIRTUAL_CORE).glob("esm/*.js"))
        ),
    ]
    src = escape(_src(prefix, hashes))
    links = [
        # early.js (inline: an async script would be fetched at low priority) fetches and
        # inflates the data while the page loads; explorer.js waits for the deferred scripts.
        f'<link rel="preload" href="{src}" as="fetch" crossorigin="anonymous">',
        f'<script data-src="{src}">{_early(static)}</script>',
        *(f'<link rel="modulepreload" href="{prefix}{m}">' for m in modules),
    ]
    return "\n".join(links) + "\n"


def html(prefix: str, reference: str, hashes: dict[str, str]) -> str:
    """The explorer's HTML for a page whose path to ``_static/`` is ``prefix``."""
    src = _src(prefix, hashes)
    packed = f"{prefix}inventory/inventory.json.gz"
    if "inventory.json" in hashes or not hashes:
        json_links = (
            f'<a class="explorer-json" href="{prefix}inventory/inventory.json">JSON</a>\n'
            f'(or <a href="{packed}">compressed</a>)'
        )
    else:  # the org-wide inventory is published compressed only
        json_links = f'<a class="explorer-json" href="{packed}">compressed JSON</a>'
    return f"""\
<p class="explorer-fallback">The explorer below needs JavaScript. Without it, download the
whole inventory as {json_links}, or read the
<a class="explorer-reference" href="{escape(reference)}">static reference tables</a>.</p>
<div id="explorer-app" class="inventory-explorer" data-src="{escape(src)}"
  data-lazy="{escape(_src(prefix, hashes, "explorer-lazy.bin.gz"))}"></div>
<script type="module" async src="{prefix}explorer/explorer.js"></script>
"""


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = list(doctree.findall(explorer_node))
    if not found:
        return
    if app.builder.format != "html":
        for node in found:
            node.replace_self([])
        return
    here = app.builder.get_target_uri(docname)
    prefix = relative_uri(here, "_static/")
    target = REFERENCE if REFERENCE in app.env.all_docs else "reference/index"
    reference = app.builder.get_relative_uri(docname, target)
    hashes = getattr(app, "explorer_hashes", {})
    for node in found:
        node.replace_self(nodes.raw("", html(prefix, reference, hashes), format="html"))


def _page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On a page with the explorer: its stylesheet and preloads go in the <head>."""
    if APP_MARK not in context.get("body", ""):
        return
    app.add_css_file("explorer/explorer.css")
    prefix = relative_uri(app.builder.get_target_uri(pagename), "_static/")
    hashes = getattr(app, "explorer_hashes", {})
    context["metatags"] = context.get("metatags", "") + head(prefix, hashes, static_folder(app))


def setup(app: Sphinx) -> dict:
    """Register the directive, the node, the setting and the publishing step."""
    app.setup_extension("infradocs.sphinxext.settings")
    app.add_node(explorer_node)
    app.add_directive("inventory-explorer", ExplorerDirective)
    app.connect("env-updated", _publish)
    app.connect("doctree-resolved", _resolve)
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
