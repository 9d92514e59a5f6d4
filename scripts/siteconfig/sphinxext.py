"""Site-wide Sphinx tweaks: load mermaid.js only on pages that have a diagram."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinxcontrib import mermaid as sphinx_mermaid


def _mermaid_only_with_diagrams(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """sphinxcontrib-mermaid loads on doctree-less pages (search, genindex); skip."""
    if doctree is None:
        return
    sphinx_mermaid.install_js(app, pagename, templatename, context, doctree)


def setup(app: Sphinx) -> dict:
    """Replace sphinxcontrib-mermaid's page hook with one that skips pages without a doctree."""
    app.setup_extension("sphinxcontrib.mermaid")
    for listener in list(app.events.listeners.get("html-page-context", [])):
        if listener.handler is sphinx_mermaid.install_js:
            app.disconnect(listener.id)
            app.connect(
                "html-page-context", _mermaid_only_with_diagrams, priority=listener.priority
            )
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
