"""Site-wide settings shared by conf.py, noxfile.py and the scripts (from pyproject.toml)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import NamedTuple


class Checkout(NamedTuple):
    """The folders of a checkout of this project (the noxfile's own, or the installed one's)."""

    root: Path
    docs: Path
    build: Path
    diagrams: Path
    snapshot: Path  # the committed inventory snapshot (default of Sphinx's `inventory_snapshot`)
    model: Path  # the curated model's YAML files (`archmodel_dir`)
    generated: Path  # the generated diagrams and tables (`diagrams_dir`)

    @classmethod
    def at(cls, root: Path) -> Checkout:
        """The layout of the checkout at ``root``."""
        diagrams = root / "diagrams"
        snapshot = diagrams / "inventory" / "inventory.json"
        return cls(
            root,
            root / "docs",
            root / "build",
            diagrams,
            snapshot,
            diagrams / "model",
            diagrams / "generated",
        )


# The checkout this package is installed from (editable): scripts/infradocs/core/siteconfig/.
INSTALLED = Checkout.at(Path(__file__).resolve().parents[4])
ROOT, DOCS, BUILD, DIAGRAMS, SNAPSHOT = (
    INSTALLED.root,
    INSTALLED.docs,
    INSTALLED.build,
    INSTALLED.diagrams,
    INSTALLED.snapshot,
)


@cache
def settings(root: Path = ROOT) -> dict:
    """Return the ``[tool.infra-docs]`` table of the pyproject.toml in ``root`` (default: the
    checkout this package is installed from)."""
    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["infra-docs"]


def sphinx_build_args(
    source: Path = DOCS,
    out: Path = BUILD / "html",
    jobs: str = "auto",
    builder: str = "html",
    conf: Path = ROOT,
) -> list[str]:
    """Arguments for a strict ``sphinx-build`` run: warnings are errors, nitpicky, keep going;
    ``conf`` is the folder of ``conf.py``."""
    return [
        "-b",
        builder,
        "-c",
        str(conf),
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
