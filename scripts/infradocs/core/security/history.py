"""The previous snapshot of a committed file, from git history (for trends between snapshots)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)


def previous_version(path: Path, depth: int = 20) -> tuple[dict | None, str | None]:
    """(document, commit) of the newest committed version of ``path`` that differs from it now.

    (None, None) outside a git checkout or when no earlier version exists."""
    path = path.resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top.returncode != 0 or not path.exists():
        return None, None
    root = Path(top.stdout.decode().strip())
    rel = path.relative_to(root).as_posix()
    log = _git(root, "log", f"-n{depth}", "--format=%H", "--", rel)
    current = path.read_bytes()
    for commit in log.stdout.decode().split():
        shown = _git(root, "show", f"{commit}:{rel}")
        if shown.returncode == 0 and shown.stdout != current:
            try:
                return json.loads(shown.stdout), commit
            except ValueError:
                return None, None
    return None, None
