"""Helpers for the inventory tests: real git repositories built in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from infradocs.core.inventory.validate import errors

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).with_name("fixtures")
CLI = ["-m", "infradocs.cli.inventory"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a neutral configuration; return stdout."""
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def make_repo(
    path: Path,
    files: dict[str, str | bytes] | None = None,
    fixture: str | None = None,
    origin: str | None = None,
    commit: bool = True,
) -> Path:
    """A git repository at ``path`` with ``files`` (and a fixture folder) committed."""
    path.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, path, dirs_exist_ok=True)
    for rel, content in (files or {}).items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    git(path, "init", "-q", "-b", "main")
    if origin:
        git(path, "remote", "add", "origin", origin)
    if commit:
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "init", "--allow-empty")
    return path


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, dict | None, str]:
    """(exit status, parsed and schema-checked JSON document or None, stderr)."""
    proc = subprocess.run(
        [sys.executable, *CLI, "--no-progress", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    doc = None
    if proc.stdout.strip():
        doc = json.loads(proc.stdout)
        assert errors(doc) == []
    return proc.returncode, doc, proc.stderr


OLD = time.time() - 3600  # older than the racy window, so stats are trusted


def age(root: Path) -> None:
    """Give every file and folder of ``root`` an old timestamp (as a checkout long ago)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (OLD, OLD), follow_symlinks=False)
    os.utime(root, (OLD, OLD))
