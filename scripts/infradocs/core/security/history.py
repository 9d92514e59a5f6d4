"""The previous snapshot of a committed file, from git history (for trends between snapshots)."""

from __future__ import annotations

import json
from pathlib import Path

from infradocs.core import git as gitcli


def previous_version(path: Path, depth: int = 20) -> tuple[dict | None, str | None]:
    """(document, commit) of the newest committed version of ``path`` that differs from it now.

    (None, None) outside a git checkout or when no earlier version exists."""
    path = path.resolve()
    try:
        root = Path(gitcli.run_text(path.parent, "rev-parse", "--show-toplevel"))
        rel = path.relative_to(root).as_posix()
        log = gitcli.run_text(root, "log", f"-n{depth}", "--format=%H", "--", rel)
    except gitcli.GitError:
        return None, None
    if not path.exists():
        return None, None
    current = path.read_bytes()
    for commit in log.split():
        try:
            shown = gitcli.read_file(root, commit, rel)
        except gitcli.GitError:
            continue
        if shown != current:
            try:
                return json.loads(shown), commit
            except ValueError:
                return None, None
    return None, None
