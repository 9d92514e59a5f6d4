"""Which audited pages rest on upstream commits that have moved since, read from local clones."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from infradocs.core.audit.records import Record


@dataclass(frozen=True)
class Moved:
    """One upstream repository of one page whose default branch is no longer the audited commit."""

    page: str
    repo: str
    audited: str
    now: str | None
    changed_files: tuple[str, ...] = ()


def head(clone: Path) -> str | None:
    """The commit of the clone's default branch (origin/HEAD where it has one), or None."""
    for ref in ("origin/HEAD", "HEAD"):
        proc = subprocess.run(
            ["git", "-C", str(clone), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            capture_output=True,
            text=True,
        )
        if proc.returncode == 0:
            return proc.stdout.strip()
    return None


def _changed(clone: Path, old: str, new: str) -> tuple[str, ...]:
    proc = subprocess.run(
        ["git", "-C", str(clone), "diff", "--name-only", old, new],
        capture_output=True,
        text=True,
    )
    return tuple(proc.stdout.split()) if proc.returncode == 0 else ()


def moved(records: list[Record], clones: Path) -> list[Moved]:
    """Every (page, repository) whose clone is missing or has moved past the audited commit."""
    heads: dict[str, str | None] = {}
    found = []
    for record in records:
        for repo, commit in sorted(record.upstream.items()):
            if repo not in heads:
                heads[repo] = head(clones / repo)
            now = heads[repo]
            if now != commit:
                files = _changed(clones / repo, commit, now) if now else ()
                found.append(Moved(record.page, repo, commit, now, files))
    return found
