"""Find each inventoried repository's files again: in the SOURCE folders the extractor read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from infradocs.core.inventory.gitmeta import repo_meta, repo_name
from infradocs.core.inventory.locate import read_git, read_worktree

MAX_BYTES = 1 << 20


@dataclass
class RepoFiles:
    """A repository's CI files (path -> bytes) at the snapshot's commit, and problems reading."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)


def index(sources: list[str]) -> tuple[dict[str, str], list[str]]:
    """Repository name -> folder, from folders that are repositories or hold repositories."""
    found: dict[str, str] = {}
    errors = []
    for src in sources:
        if not os.path.isdir(src):
            errors.append(f"{src}: not a folder")
            continue
        meta = repo_meta(src)
        if meta.gitdir:
            _add(found, src)
            continue
        for entry in sorted(os.scandir(src), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False) and repo_meta(entry.path).gitdir:
                _add(found, entry.path)
    return found, errors


def _add(found: dict[str, str], folder: str) -> None:
    """Known by its origin's owner/name, and by its folder name (clones DIR/name)."""
    found.setdefault(repo_name(repo_meta(folder)), folder)
    found.setdefault(os.path.basename(os.path.normpath(folder)), folder)


def lookup(found: dict[str, str], name: str) -> str | None:
    """The folder of repository ``owner/name``: by origin, else by the folder's name."""
    return found.get(name) or found.get(name.rsplit("/", 1)[-1])


def read(folder: str, commit: str | None) -> RepoFiles:
    """The CI files of ``folder`` at ``commit`` (from git), else as they are on disk."""
    out = RepoFiles()
    meta = repo_meta(folder)
    listing = None
    if meta.gitdir and commit:
        listing = read_git(meta.gitdir, commit, MAX_BYTES)
        if listing.problems and not listing.files:
            listing = None
    if listing is None:
        if meta.bare:
            out.problems.append((None, f"commit {commit} is not in {folder}; not audited"))
            return out
        if commit and meta.commit != commit:
            out.problems.append(
                (
                    None,
                    f"{folder} is at {meta.commit}, the snapshot at {commit}: audited the "
                    "files on disk",
                )
            )
        listing = read_worktree(folder, MAX_BYTES)
    for ref in listing.files:
        if ref.data is not None:
            out.files[ref.path] = ref.data
    return out
