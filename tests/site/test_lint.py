"""The code is ruff-clean and formatted, and the Markdown passes the project's checks."""

from __future__ import annotations

import subprocess
import sys

from infradocs.core.siteconfig import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_ruff_check() -> None:
    proc = _run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = _run("ruff", "format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_markdown_checks() -> None:
    proc = _run("infradocs.cli.mdlint", "docs")
    assert proc.returncode == 0, proc.stdout + proc.stderr
