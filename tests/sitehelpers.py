"""Helpers for tests that build the site or a copy of it with the project's strict settings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from infradocs.core.siteconfig import DIAGRAMS, DOCS, ROOT, sphinx_build_args


def sphinx_build(
    source: Path, out: Path, *extra: str, jobs: str = "1"
) -> subprocess.CompletedProcess:
    """Run a strict sphinx-build of ``source`` with the real conf.py."""
    args = [
        sys.executable,
        "-m",
        "sphinx",
        *sphinx_build_args(source, out, jobs=jobs),
        "--no-color",
        *extra,
    ]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def copy_site(dest: Path) -> Path:
    """Copy docs/ and diagrams/ under ``dest`` (same relative layout); return the docs copy."""
    shutil.copytree(DOCS, dest / "docs", ignore=shutil.ignore_patterns("vendor"))
    shutil.copytree(DOCS / "_static" / "vendor", dest / "docs" / "_static" / "vendor")
    shutil.copytree(DIAGRAMS, dest / "diagrams")
    return dest / "docs"
