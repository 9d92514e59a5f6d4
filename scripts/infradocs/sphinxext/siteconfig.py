"""Site-wide Sphinx tweaks: mermaid.js only where needed; index entries kept across rebuilds;
the objects made while starting up left out of the garbage collector's passes during the build;
the HTML templates' compiled code kept between builds."""

from __future__ import annotations

import gc
import os

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.index_entries import split_index_msg
from sphinxcontrib import mermaid as sphinx_mermaid


def _mermaid_only_with_diagrams(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """sphinxcontrib-mermaid loads on doctree-less pages (search, genindex); skip."""
    if doctree is None:
        return
    sphinx_mermaid.install_js(app, pagename, templatename, context, doctree)


def _index_entries(doctree) -> list[tuple[str, str, str]]:
    """The search index's entries for one doctree, computed as Sphinx's IndexBuilder does."""
    found: set[tuple[str, str, str]] = set()
    for node in doctree.findall(addnodes.index):
        for entry_type, value, target_id, main, _key in node["entries"]:
            try:
                parts = split_index_msg(entry_type, value)
            except ValueError:
                continue
            found |= {(part, target_id or "", main) for part in parts}
    return sorted(found)


def _keep_index_entries(app: Sphinx, env) -> list[str]:
    """Sphinx 9 drops unchanged pages' index entries from the search index on incremental
    builds (they are collected after the environment is pickled); fill in the missing ones."""
    store = getattr(env, "_search_index_index_entries", None)
    if store is not None:
        for docname in sorted(env.found_docs - store.keys()):
            store[docname] = _index_entries(env.get_doctree(docname))
    return []


def _freeze(app: Sphinx, config) -> None:
    """Modules, extensions and settings live for the whole build: keep the collector's full
    passes (one while the environment is unpickled, more while pages are read) from walking
    them again and again (no-change rebuild: about 40 ms of 600 ms in-process)."""
    app.infradocs_froze = not gc.get_freeze_count()  # type: ignore[attr-defined]
    gc.freeze()


def _unfreeze(app: Sphinx, exc: Exception | None) -> None:
    """Hand the frozen objects back to the collector (a process that builds again, as the
    tests do, collects its garbage as before); objects someone else froze stay frozen, as
    the inventory's scan leaves them (``infradocs.core.inventory.run``)."""
    if getattr(app, "infradocs_froze", False):
        gc.unfreeze()


def _keep_compiled_templates(app: Sphinx) -> None:
    """Jinja2's own bytecode cache for the HTML builder's templates, beside the doctrees:
    Sphinx compiles the theme's 45 templates from source in every build, a sixth of the live
    preview's rebuild of one page. Jinja keys each entry by the template's source checksum and
    its own version, so an edited template or a new Jinja is compiled afresh."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = os.path.join(app.doctreedir, "jinja2")
    os.makedirs(folder, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(folder)


def setup(app: Sphinx) -> dict:
    """Replace sphinxcontrib-mermaid's page hook with one that skips pages without a doctree."""
    app.setup_extension("sphinxcontrib.mermaid")
    for listener in list(app.events.listeners.get("html-page-context", [])):
        if listener.handler is sphinx_mermaid.install_js:
            app.disconnect(listener.id)
            app.connect(
                "html-page-context", _mermaid_only_with_diagrams, priority=listener.priority
            )
    app.connect("env-updated", _keep_index_entries)
    app.connect("builder-inited", _keep_compiled_templates)
    app.connect("config-inited", _freeze, priority=999)  # after every other start-up step
    app.connect("build-finished", _unfreeze, priority=999)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
