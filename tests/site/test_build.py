"""The real site builds strictly, has its pages, and serves mermaid.js itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infradocs.core.siteconfig import settings

# Every test reads the whole site, built once per session (built_site).
pytestmark = pytest.mark.slow

EXPECTED_PAGES = [
    "index.html",
    "reference/index.html",
    "explanation/index.html",
    "explanation/package-lifecycle.html",
    "how-to/index.html",
    "contributing/index.html",
    "contributing/preview.html",
    "reference/glossary.html",
    "search.html",
]
ASSET_ATTR = re.compile(
    r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.I
)
CSS_URL = re.compile(r"(?:url\(|@import\s+)['\"]?(https?:)?//", re.I)


def test_expected_pages_exist(built_site: Path) -> None:
    missing = [p for p in EXPECTED_PAGES if not (built_site / p).is_file()]
    assert not missing


def test_mermaid_served_from_the_site(built_site: Path) -> None:
    version = settings()["mermaid_version"]
    vendored = built_site / "_static" / "vendor" / "mermaid"
    assert (vendored / "mermaid.esm.min.mjs").is_file()
    assert (vendored / "LICENSE").is_file()
    assert (vendored / "VERSION").read_text().strip() == f"mermaid@{version}"
    page = (built_site / "explanation" / "package-lifecycle.html").read_text()
    assert 'import mermaid from "../_static/vendor/mermaid/mermaid.esm.min.mjs"' in page
    assert 'class="mermaid' in page


def test_pages_without_diagrams_load_no_mermaid(built_site: Path) -> None:
    for name in ["index.html", "search.html", "genindex.html", "contributing/preview.html"]:
        assert "mermaid.esm.min.mjs" not in (built_site / name).read_text(), name


def test_no_page_loads_assets_from_another_host(built_site: Path) -> None:
    offenders = [
        (page.relative_to(built_site).as_posix(), url)
        for page in built_site.rglob("*.html")
        for url in ASSET_ATTR.findall(page.read_text(encoding="utf-8"))
        if url.startswith(("http:", "https:", "//"))
    ]
    assert not offenders


def test_static_css_and_js_reference_no_remote_host(built_site: Path) -> None:
    offenders = []
    for asset in (built_site / "_static").rglob("*.css"):
        if CSS_URL.search(asset.read_text(encoding="utf-8", errors="replace")):
            offenders.append(asset.name)
    assert not offenders


def test_edit_button_points_at_the_source_file(built_site: Path) -> None:
    repo = settings()["github_repo"]
    page = (built_site / "contributing" / "preview.html").read_text()
    assert f"https://github.com/{repo}/edit/main/docs/contributing/preview.md" in page


def test_footer_has_licence_and_theme_toggle(built_site: Path) -> None:
    page = (built_site / "index.html").read_text()
    assert "BSD 3-Clause licence" in page
    assert "theme-switch-button" in page
