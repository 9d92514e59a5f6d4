"""Shared fixtures: building the site (or a copy of it) with the project's strict settings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from siteconfig import DIAGRAMS, DOCS, ROOT, sphinx_build_args


def sphinx_build(
    source: Path, out: Path, *extra: str, jobs: str = "1"
) -> subprocess.CompletedProcess:
    """Run a strict sphinx-build of ``source`` with the real conf.py."""
    args = [sys.executable, "-m", "sphinx", *sphinx_build_args(source, out, jobs=jobs), *extra]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def copy_site(dest: Path) -> Path:
    """Copy docs/ and diagrams/ under ``dest`` (same relative layout); return the docs copy."""
    shutil.copytree(DOCS, dest / "docs", ignore=shutil.ignore_patterns("vendor"))
    shutil.copytree(DOCS / "_static" / "vendor", dest / "docs" / "_static" / "vendor")
    shutil.copytree(DIAGRAMS, dest / "diagrams")
    return dest / "docs"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session (strict); the HTML output folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    proc = sphinx_build(DOCS, out, jobs="auto")
    assert proc.returncode == 0, f"the site build failed:\n{proc.stderr}"
    assert "WARNING" not in proc.stderr, proc.stderr
    return out
