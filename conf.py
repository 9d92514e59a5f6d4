"""Sphinx configuration: the only one for this site (sources live in docs/)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from infradocs.core.siteconfig import Checkout, settings

# This checkout: every input below is read from it, whichever checkout the installed package
# came from (a second worktree, a copy, an old release built by the versioned site).
HERE = Checkout.at(Path(__file__).resolve().parent)
SITE = settings(HERE.root)
GITHUB_OWNER, GITHUB_REPO = SITE["github_repo"].split("/")

# -- Project -----------------------------------------------------------------
project = "conda-forge infrastructure"
author = "the conda-forge infrastructure docs contributors"
copyright = f"{date.today().year}, {author}"
# The version being built; the versioned-site build sets DOCS_VERSION (e.g. "v2026.1", "dev").
version = release = os.environ.get("DOCS_VERSION", "dev")

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.mermaid",
    "infradocs.sphinxext.siteconfig",
    "infradocs.sphinxext.archmodel",
    "infradocs.sphinxext.inventory",
    # Checks internal links/anchors of the built site and records external URLs for
    # `nox -s linkcheck`; its settings are in scripts/infradocs/core/links/config.toml.
    "infradocs.sphinxext.links",
    # Page links inside generated diagrams, the diagram-glob directive and the drift report.
    "infradocs.sphinxext.diagrams",
    # Security posture and token map pages; the inventory explorer's static JSON and page.
    "infradocs.sphinxext.security",
    "infradocs.sphinxext.explorer",
]

# The curated model, the generated diagrams and the committed inventory snapshot.
archmodel_dir = str(HERE.model)
diagrams_dir = str(HERE.generated)
inventory_snapshot = str(HERE.snapshot)

# The org-wide inventory (every feedstock; .github/workflows/inventory.yml publishes it as the
# asset of release inventory-org): a path to its JSON in INVENTORY_ORG_SNAPSHOT feeds the
# org-wide tables and the explorer. Unset, both use the committed snapshot (offline build).
inventory_org_snapshot = os.environ.get("INVENTORY_ORG_SNAPSHOT", "")

exclude_patterns = [
    "_build",
    "_audit/**",
    "**/_template*",
    "**/.ipynb_checkpoints",
    "_static/vendor/**",
]
templates_path = ["docs/_templates"]
root_doc = "index"

# Strict: -n on the command line and here, so every unresolved reference is reported.
nitpicky = True

# A model fact without an evidence item warns, so the strict build fails naming its file and line.
archmodel_require_evidence = True

# -- MyST --------------------------------------------------------------------
myst_enable_extensions = [
    "attrs_block",
    "attrs_inline",
    "colon_fence",
    "deflist",
    "fieldlist",
    "substitution",
]
myst_heading_anchors = 3
myst_substitutions = {
    "cf": "conda-forge",
}

# -- Mermaid: served from the site itself, pinned, never from a CDN -----------
mermaid_version = SITE["mermaid_version"]
mermaid_use_local = "vendor/mermaid/mermaid.esm.min.mjs"
mermaid_light_theme = "default"
mermaid_dark_theme = "dark"
# Hand-written diagrams too are drawn at their natural size (site.css shrinks them to 3/4 at
# most, then scrolls), not squeezed to the column: text stays legible (tests/browser).
mermaid_init_config = {
    "startOnLoad": False,
    "securityLevel": "loose",
    **{kind: {"useMaxWidth": False} for kind in ("flowchart", "sequence", "timeline")},
}
mermaid_height = "auto"

# -- HTML: pydata-sphinx-theme -----------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "conda-forge infrastructure"
html_static_path = ["docs/_static"]
html_css_files = ["css/site.css"]
html_search_scorer = str(HERE.docs / "_static" / "search-scorer.js")
html_logo = "docs/_static/logo.svg"
html_favicon = "docs/_static/logo.svg"
# favicon.ico (`nox -s favicon`, from the logo) at the site root, where browsers ask for it.
html_extra_path = [str(HERE.docs / "_extra")]  # absolute: bench sites import this conf
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

html_context = {
    "github_user": GITHUB_OWNER,
    "github_repo": GITHUB_REPO,
    "github_version": SITE["github_branch"],
    "doc_path": "docs",
    "default_mode": "auto",
}

_switcher_url = os.environ.get("DOCS_SWITCHER_URL", "")
# The architecture overview (also on the home page) and the token matrix need the full width of
# the page (text >= 12 px without scrolling): no left navigation on those pages.
html_sidebars = {page: [] for page in ("index", "diagrams/architecture", "diagrams/token-map")}
html_theme_options = {
    "logo": {"text": "conda-forge infrastructure", "alt_text": "conda-forge infrastructure docs"},
    "github_url": f"https://github.com/{SITE['github_repo']}",
    "icon_links_label": "Quick links",
    "use_edit_page_button": True,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "edit-this-page"],
    "navbar_align": "left",
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    "footer_start": ["copyright", "license"],
    "footer_end": ["theme-version"],
    # The versioned-site build sets DOCS_SWITCHER_URL; then the switcher shows in the navbar.
    "switcher": {"json_url": _switcher_url, "version_match": version},
    "check_switcher": False,
    "navigation_with_keys": False,
}
if _switcher_url:
    html_theme_options["navbar_end"].insert(0, "version-switcher")


def _label_nav_toggles(app, pagename, templatename, context, doctree) -> None:
    """Name the sidebar's expand/collapse toggles (icon-only <summary>s; axe: summary-name)."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args, **kwargs):
        soup = generate(*args, **kwargs)
        if isinstance(soup, str):
            return soup
        for summary in soup.select("li > details > summary"):
            if not summary.get_text(strip=True):
                link = summary.find_parent("li").find("a", recursive=False)
                name = link.get_text(" ", strip=True) if link else "this section"
                summary["aria-label"] = f"Show or hide the pages under {name}"
        return soup

    context["generate_toctree_html"] = labelled


def setup(app) -> None:
    """Local fixes: after the theme's own page-context handlers (priority 500)."""
    app.connect("html-page-context", _label_nav_toggles, priority=900)
