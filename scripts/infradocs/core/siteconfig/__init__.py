"""Site-wide settings shared by conf.py, noxfile.py and the scripts (from pyproject.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]  # scripts/infradocs/core/siteconfig/ -> repo
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
DIAGRAMS = ROOT / "diagrams"
# The committed inventory snapshot (the default of the one Sphinx setting `inventory_snapshot`).
SNAPSHOT = DIAGRAMS / "inventory" / "inventory.json"


@cache
def settings() -> dict:
    """Return the ``[tool.infra-docs]`` table of pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["infra-docs"]


def sphinx_build_args(
    source: Path = DOCS, out: Path = BUILD / "html", jobs: str = "auto", builder: str = "html"
) -> list[str]:
    """Arguments for a strict ``sphinx-build`` run: warnings are errors, nitpicky, keep going."""
    return [
        "-b",
        builder,
        "-c",
        str(ROOT),
        "-d",
        str(out.parent / f"doctrees-{out.name}"),
        "-W",
        "--keep-going",
        "-n",
        "-j",
        jobs,
        str(source),
        str(out),
    ]
