"""Where the named files come from: local clones (DIR/OWNER/NAME) or GitHub, shallow and sparse.

Both read the commit at the default branch's HEAD with gitcli (``ls-tree`` for what exists,
``cat-file --batch`` for contents, in-process through pygit2 where it is installed). The
remote mode uses the inventory's partial clone (``--depth 1 --filter=blob:none``,
infradocs.core.inventory.fetch) with a sparse checkout of exactly the files whose contents the
evidence reads,
so only their blobs are fetched, in one request per repository.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core import git as gitcli
from infradocs.core.git import GitError
from infradocs.core.inventory.fetch import refresh

# the inventory's --clones layout
from infradocs.core.inventory.sources import local_clone
from infradocs.core.redact import redact_text

SPARSE_SPECIAL = re.compile(r"([\\*?\[\]!#])")


def sparse_pattern(path: str) -> str:
    """A non-cone sparse-checkout pattern (gitignore syntax) matching exactly one path."""
    return "/" + SPARSE_SPECIAL.sub(r"\\\1", path)


@dataclass(frozen=True)
class Entry:
    """One named path at the commit: its git type (blob, tree, commit) and, for blobs, bytes."""

    type: str
    data: bytes | None = None


@dataclass
class Snapshot:
    """What one repository holds at its default branch's HEAD, for the paths the evidence names."""

    repo: str
    commit: str | None = None
    files: dict[str, Entry] = field(default_factory=dict)
    archived: bool | None = None
    renamed_to: str | None = None
    error: str | None = None
    api_error: str | None = None
    lister: Callable[[], list[str]] | None = None
    has_commit: Callable[[str], bool] | None = None  # None: cannot tell (a shallow clone)

    def same_name(self, path: str) -> list[str]:
        """Other paths with the same file name (a moved file), at most three."""
        if self.lister is None:
            return []
        name = path.rsplit("/", 1)[-1]
        hits = [p for p in self.lister() if p.rsplit("/", 1)[-1] == name and p != path]
        return sorted(hits)[:3]


def _clean(text: str) -> str:
    return redact_text(text)


def read_commit(where: str, commit: str, paths: list[str], content: set[str]) -> dict[str, Entry]:
    """The named paths at ``commit``: types for all, bytes for the blobs in ``content``."""
    found = gitcli.ls_tree(where, commit, sorted(set(paths))) if paths else []
    want = sorted({e.oid for e in found if e.type == "blob" and e.path in content})
    blobs = gitcli.cat_objects(where, want)
    return {e.path: Entry(e.type, blobs[e.oid].data if e.oid in blobs else None) for e in found}


def _lister(where: str, commit: str) -> Callable[[], list[str]]:
    cache: list[list[str]] = []

    def listing() -> list[str]:
        if not cache:
            try:
                cache.append([e.path for e in gitcli.ls_tree(where, commit, recursive=True)])
            except GitError:
                cache.append([])
        return cache[0]

    return listing


def repo_info(api_base: str, repo: str, token: str | None) -> tuple[dict | None, str | None]:
    """(the GitHub API's repository object, error) from ``{api_base}/repos/{repo}``."""
    req = urllib.request.Request(
        f"{api_base.rstrip('/')}/repos/{repo}",
        headers={"Accept": "application/vnd.github+json", "User-Agent": "infra-docs-evidence"},
    )
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read().decode()), None
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None, "repository not found (deleted, private, or renamed away)"
        return None, f"GitHub API answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"GitHub API unreachable: {_clean(str(getattr(exc, 'reason', exc)))}"


def _apply_api(snap: Snapshot, api_base: str | None, token: str | None) -> None:
    if not api_base:
        return
    info, err = repo_info(api_base, snap.repo, token)
    if err == "repository not found (deleted, private, or renamed away)":
        snap.error = err
    elif err:
        snap.api_error = err
    else:
        snap.archived = bool(info.get("archived"))
        name = info.get("full_name") or snap.repo
        if name.lower() != snap.repo.lower():
            snap.renamed_to = name


def default_head(where: str) -> str:
    """The default branch's commit in a clone: ``origin/HEAD`` where the clone has it, else HEAD."""
    commit = gitcli.default_commit(where)
    if commit is None:
        raise GitError(where, ("rev-parse", "HEAD"), 1, "no commit at origin/HEAD nor at HEAD")
    return commit


def _commits(where: str) -> Callable[[str], bool]:
    """Whether a full commit id is a commit of the clone's repository (answers cached)."""
    cache: dict[str, bool] = {}

    def has(sha: str) -> bool:
        if sha not in cache:
            cache[sha] = gitcli.has_commit(where, sha)
        return cache[sha]

    return has


class Clones:
    """Local clones in the inventory's layout (DIR/OWNER/NAME), read at the default branch."""

    mode = "clones"

    def __init__(self, root: str, api_base: str | None = None, token: str | None = None):
        self.root, self.api_base, self.token = root, api_base, token

    def snapshot(self, repo: str, paths: list[str], content: set[str]) -> Snapshot:
        """The named paths of ``repo``'s clone; a missing clone is an error for its items only."""
        snap = Snapshot(repo)
        where = local_clone(self.root, repo)
        if where is None:
            snap.error = f"no local clone of {repo} in {self.root}"
            return snap
        try:
            snap.commit = default_head(where)
            snap.files = self.read(where, snap.commit, paths, content)
            snap.lister = _lister(where, snap.commit)
            if gitcli.run_text(where, "rev-parse", "--is-shallow-repository") == "false":
                snap.has_commit = _commits(where)
        except GitError as exc:
            snap.error = str(exc)
        _apply_api(snap, self.api_base, self.token)
        return snap

    def read(self, where: str, commit: str, paths: list[str], content: set[str]) -> dict:
        """The named paths at ``commit``: one ls-tree and one cat-file batch for all of them."""
        return read_commit(where, commit, paths, content)


class Remote:
    """Shallow, blob-less sparse clones from ``git_base`` into ``workdir``; named files only."""

    mode = "remote"

    def __init__(self, git_base: str, api_base: str | None, token: str | None, workdir: Path):
        self.git_base, self.api_base, self.token = git_base.rstrip("/"), api_base, token
        self.workdir = workdir

    def _auth(self) -> None:
        """Git's auth header for the git base only, set in the environment (never in argv)."""
        if not self.token:
            return
        basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
        os.environ["GIT_CONFIG_COUNT"] = "1"
        os.environ["GIT_CONFIG_KEY_0"] = f"http.{self.git_base}/.extraheader"
        os.environ["GIT_CONFIG_VALUE_0"] = f"AUTHORIZATION: basic {basic}"

    def snapshot(self, repo: str, paths: list[str], content: set[str]) -> Snapshot:
        """A shallow, blob-less clone of ``repo`` whose sparse checkout is the named files only."""
        snap = Snapshot(repo)
        _apply_api(snap, self.api_base, self.token)
        if snap.error:
            return snap
        self._auth()
        dest = str(self.workdir / "evidence" / repo.replace("/", "+"))
        patterns = [sparse_pattern(p) for p in sorted(content)] or ["/.evidence-reads-no-file"]
        info = Path(dest, ".git", "info", "sparse-checkout")
        if info.exists():  # a kept clone: this run's files, checked out if the tip is unchanged
            info.write_text("".join(f"{p}\n" for p in patterns))
        fetched, err = refresh(f"{self.git_base}/{repo}", dest, patterns)
        if err:
            snap.error = err
            return snap
        try:
            if info.exists() and not fetched:
                gitcli.run(dest, "sparse-checkout", "reapply")
            snap.commit = gitcli.rev_parse(dest, "HEAD")
            snap.files = read_commit(dest, snap.commit, paths, content)
            snap.lister = _lister(dest, snap.commit)
        except GitError as exc:
            snap.error = str(exc)
        return snap
