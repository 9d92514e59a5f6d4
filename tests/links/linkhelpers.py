"""Helpers for the link tests: a strict build of a small Sphinx project with the extension, and
``links check`` run in process with a test folder's config and cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def build(src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Build ``src`` to ``out/html`` strictly (-W -n), with the extension importable."""
    env = dict(os.environ)
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-n",
        "-q",
        "--no-color",
        "-d",
        str(out / "doctrees"),
        *extra,
        str(src),
        str(out / "html"),
    ]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)


def check(tmp_path: Path, record: Path, *extra: str) -> int:
    """``links check RECORD`` with ``tmp_path``'s config.toml and cache folder; its exit status."""
    from infradocs.cli.links import main

    return main(
        [
            "--config",
            str(tmp_path / "config.toml"),
            "check",
            str(record),
            "--cache",
            str(tmp_path / "cache"),
            *extra,
        ]
    )
