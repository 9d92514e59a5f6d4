"""Which npm packages are vendored, at which version, and which of their files the site serves."""

from __future__ import annotations

from dataclasses import dataclass

from siteconfig import settings


@dataclass(frozen=True)
class Package:
    """An npm package and the globs (relative to the package root) copied from it."""

    name: str
    version: str
    files: tuple[str, ...]


def packages() -> list[Package]:
    """The vendored packages; versions are pinned in pyproject.toml."""
    cfg = settings()
    return [
        Package(
            "mermaid",
            cfg["mermaid_version"],
            ("LICENSE", "dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min/*.mjs"),
        ),
        # The inventory explorer's table (virtualised rows); see scripts/explorer.
        Package(
            "tabulator-tables",
            cfg["tabulator_version"],
            ("LICENSE", "dist/js/tabulator_esm.min.mjs", "dist/css/tabulator_simple.min.css"),
        ),
    ]
