"""Fetch only what the extractor reads: a partial, shallow, sparse clone of a git URL.

The clone (``--depth 1 --filter=blob:none --sparse``) brings the tip commit and its trees; the
sparse checkout then brings, in one request, the blobs of the CI files and ``conda-forge.yml``
(the paths ``locate`` reads) and nothing else. A clone kept in the cache is checked with one
``ls-remote``: when the remote's HEAD is the commit checked out, nothing is fetched.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable

from infradocs.core import git as gitcli
from infradocs.core.inventory.gitmeta import head_commit
from infradocs.core.inventory.locate import CONDA_FORGE_YML, DIRS, ROOT_FILES

# Non-cone sparse patterns (gitignore syntax): the root files, and the YAML files directly
# inside each CI folder (``*`` never matches ``/``), as ``locate.read_worktree`` reads them;
# and .gitattributes, which a checkout reads anyway (in the same fetch, not one of its own).
PATTERNS = [
    *(f"/{p}" for p in (*ROOT_FILES, CONDA_FORGE_YML, ".gitattributes")),
    *(f"/{d}/*.y*ml" for d in DIRS),
]
# Each command runs without reflogs or detached-HEAD advice.
CONFIG = {"core.logAllRefUpdates": "false", "advice.detachedHead": "false"}


def _error(call: Callable[..., object], *args: str, config: dict = CONFIG) -> str | None:
    """Call a gitcli function with ``config``; None when it worked, else the error
    (credentials redacted)."""
    try:
        call(*args, config=config)
    except gitcli.GitError as exc:
        return str(exc)
    return None


def remote_head(url: str) -> tuple[str | None, str | None]:
    """(commit of the remote's HEAD, error): one ``ls-remote`` request."""
    try:
        sha = gitcli.remote_head(url, config=CONFIG)
    except gitcli.GitError as exc:
        return None, str(exc)
    return sha, (None if sha else "git ls-remote: the remote has no HEAD")


@functools.cache
def _template(patterns: tuple[str, ...]) -> str:
    """A clone template holding only ``info/sparse-checkout``: the clone then checks out the
    read paths alone, in the same process (no ``sparse-checkout set``, no second checkout)."""
    folder = tempfile.mkdtemp(prefix="inventory-sparse-")
    os.makedirs(os.path.join(folder, "info"))
    with open(os.path.join(folder, "info", "sparse-checkout"), "w", encoding="utf-8") as fh:
        fh.write("".join(f"{p}\n" for p in patterns))
    return folder


def sparse_clone(url: str, dest: str, patterns: list[str] = PATTERNS) -> str | None:
    """Clone ``url`` into ``dest`` (a new folder) fetching only the read paths; None or error.

    One git process and one pack of the tip's commit and trees; checking out (with the sparse
    patterns already in place) fetches the few blobs it needs in one more request."""
    return _error(
        gitcli.clone,
        url,
        dest,
        f"--template={_template(tuple(patterns))}",
        "--config=core.sparseCheckout=true",
        "--depth",
        "1",
        "--filter=blob:none",
        config={**CONFIG, "core.sparseCheckout": "true"},
    )


def _checkout(dest: str, rev: str) -> str | None:
    """Check ``rev`` out with the clone's sparse patterns (missing blobs come in one fetch)."""
    return _error(gitcli.run, dest, "checkout", "-q", "--detach", rev)


def refresh(url: str, dest: str, patterns: list[str] = PATTERNS) -> tuple[bool, str | None]:
    """Bring the cached sparse clone ``dest`` to the remote's HEAD: (fetched?, error).

    Unchanged: one ``ls-remote``, nothing fetched. Changed: a shallow, blob-less fetch of the
    new commit and a sparse checkout. Missing or broken: a new sparse clone."""
    gitdir = os.path.join(dest, ".git")
    local = head_commit(gitdir) if os.path.isdir(gitdir) else None
    if local:
        remote, error = remote_head(url)
        if error:
            return False, error
        if remote == local:
            return False, None
        fetch = ["fetch", "-q", "--depth", "1", "--filter=blob:none", "origin", remote or "HEAD"]
        error = _error(gitcli.run, dest, *fetch)
        if not error:
            error = _checkout(dest, "FETCH_HEAD")
        if not error:
            return True, None
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    error = sparse_clone(url, dest, patterns)
    if error:
        shutil.rmtree(dest, ignore_errors=True)
    return error is None, error


def plain_clone(url: str, dest: str) -> str | None:
    """``git clone --depth 1``: the baseline the sparse clone is measured against."""
    return _error(gitcli.clone, url, dest, "--template=", "--depth", "1")
