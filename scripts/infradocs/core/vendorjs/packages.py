"""Which npm packages are vendored, at which version, and which of their files the site serves."""

from __future__ import annotations

from dataclasses import dataclass

from infradocs.core.siteconfig import settings


@dataclass(frozen=True)
class Package:
    """An npm package and the globs (relative to the package root) copied from it."""

    name: str
    version: str
    files: tuple[str, ...]
    # Text replaced in the copied .js/.mjs files, as a bundler's "define" would do.
    defines: tuple[tuple[str, str], ...] = ()


def packages() -> list[Package]:
    """The vendored packages; versions are pinned in pyproject.toml."""
    cfg = settings()
    return [
        Package(
            "mermaid",
            cfg["mermaid_version"],
            ("LICENSE", "dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min/*.mjs"),
        ),
        # The inventory explorer's row virtualiser (ES modules, no dependencies); see
        # docs/_static/explorer.
        Package(
            "@tanstack/virtual-core",
            cfg["virtual_core_version"],
            ("LICENSE", "dist/esm/*.js"),
            # Its ES modules expect a bundler to replace this; browsers have no `process`.
            (("process.env.NODE_ENV", '"production"'),),
        ),
        # Zoom and pan for diagrams wider than the column (docs/_static/diagrams/zoom.js).
        Package(
            "@panzoom/panzoom", cfg["panzoom_version"], ("MIT-License.txt", "dist/panzoom.min.js")
        ),
    ]
