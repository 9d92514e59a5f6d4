"""Which audited pages rest on upstream commits that have moved since, read from local clones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infradocs.core import git as gitcli
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
    try:
        return gitcli.default_commit(clone)
    except gitcli.GitError:
        return None


def _changed(clone: Path, old: str, new: str) -> tuple[str, ...]:
    try:
        out = gitcli.run_text(clone, "diff", "--name-only", "-z", old, new, "--")
    except gitcli.GitError:
        return ()
    return tuple(p for p in out.split("\0") if p)


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
