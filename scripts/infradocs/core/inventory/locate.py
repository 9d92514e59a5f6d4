"""Where each CI provider keeps its files, and reading them from a folder or a git repository."""

from __future__ import annotations

import os
import re
import stat
from fnmatch import translate

from infradocs.core.inventory.statsig import signature_of, stat_signature
from infradocs.core.inventory.statsig import stat_or_none as _stat

__all__ = ["stat_signature"]

# Files directly at these paths (relative to the repository root).
ROOT_FILES = {
    "azure-pipelines.yml": "azure-pipelines",
    ".travis.yml": "travis-ci",
    ".circleci/config.yml": "circleci",
    ".drone.yml": "drone",
    "appveyor.yml": "appveyor",
    ".appveyor.yml": "appveyor",
    ".cirun.yml": "cirun",
    ".woodpecker.yml": "woodpecker",
    ".gitlab-ci.yml": "gitlab-ci",
}
# Files directly inside these folders whose names match ``*.y*ml``.
DIRS = {
    ".github/workflows": "github-actions",
    ".azure-pipelines": "azure-pipelines",
    ".woodpecker": "woodpecker",
}
CONDA_FORGE_YML = "conda-forge.yml"
# ``fnmatchcase(name, "*.y*ml")``, compiled once (fnmatch looks its pattern up per call).
_YAML_NAME = re.compile(translate("*.y*ml")).match
PROVIDERS = sorted({*ROOT_FILES.values(), *DIRS.values()})


def provider_for(path: str) -> str | None:
    """The CI provider a repository-relative POSIX path belongs to, or None."""
    if path in ROOT_FILES:
        return ROOT_FILES[path]
    folder, _, name = path.rpartition("/")
    if folder in DIRS and _YAML_NAME(name):
        return DIRS[folder]
    return None


class FileRef:
    """One candidate file: its content (or None) and any problem reading it."""

    __slots__ = ("data", "path", "problem")

    def __init__(self, path: str, data: bytes | None = None, problem: str | None = None) -> None:
        self.path, self.data, self.problem = path, data, problem

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileRef) and (self.path, self.data, self.problem) == (
            other.path,
            other.data,
            other.problem,
        )

    def __repr__(self) -> str:
        return f"FileRef({self.path!r}, problem={self.problem!r})"


class Listing:
    """The candidate files of a repository and what to stat to know whether any changed.

    ``sigpaths`` are the folders and files whose ``os.stat`` (see ``stat_signature``) changes
    when a candidate file is added, removed or edited; ``signature`` is their stat string then,
    or None when something was modified too recently to trust timestamps (racy)."""

    __slots__ = ("files", "problems", "signature", "sigpaths")

    def __init__(self) -> None:
        self.files: list[FileRef] = []
        self.signature: str | None = None
        self.sigpaths: list[str] = []
        self.problems: list[tuple[str, str]] = []


def _inside(root_real: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real + os.sep)


OUTSIDE = "symlink points outside the repository; not followed"
ROOT_NAMES = {p for p in ROOT_FILES if "/" not in p} | {CONDA_FORGE_YML}


def _entries(path: str) -> dict[str, os.DirEntry]:
    try:
        with os.scandir(path) as it:
            return {e.name: e for e in it}
    except OSError:
        return {}


class _Entry:
    """A path looked up with one ``lstat``, usable where a ``DirEntry`` is."""

    __slots__ = ("lst", "path")

    def __init__(self, path: str, lst: os.stat_result) -> None:
        self.path, self.lst = path, lst

    def is_symlink(self) -> bool:
        return stat.S_ISLNK(self.lst.st_mode)

    def is_dir(self, follow_symlinks: bool = True) -> bool:
        st = self.lst if not follow_symlinks or not self.is_symlink() else _stat(self.path)
        return st is not None and stat.S_ISDIR(st.st_mode)

    def stat(self, follow_symlinks: bool = True) -> os.stat_result:
        if follow_symlinks and self.is_symlink():
            return os.stat(self.path)
        return self.lst


def _child(parent: str, name: str, stats: dict, key: str) -> _Entry | None:
    """``parent/name`` by one lstat; when it is missing, ``stats[key]`` gets the parent's stat
    (taken before a second look, so a child appearing later always changes the signature)."""
    path = f"{parent}{os.sep}{name}"
    for attempt in (0, 1):
        try:
            return _Entry(path, os.lstat(path))
        except OSError:
            if attempt == 0:
                stats[key] = _stat(parent)
    return None


def read_worktree(root: str, max_bytes: int) -> Listing:
    """Candidate files of a plain folder or git work tree, never following symlinks outside it.

    A scandir of the root and of each folder of workflow files, a stat per candidate; the
    stats also make the signature a later run compares (``stat_signature``) to skip
    unchanged repositories. Every stat is taken before the listing or read it vouches for."""
    listing = Listing()
    stats: dict[str, os.stat_result | None] = {"": _stat(root)}
    top = _entries(root)
    real: list[str] = []

    def root_real() -> str:
        if not real:
            real.append(os.path.realpath(root))
        return real[0]

    cands: list[tuple[str, os.DirEntry | _Entry, bool]] = []  # (rel, entry, through a link)
    for name in ROOT_NAMES & top.keys():
        cands.append((name, top[name], False))
    folders: dict[str, os.DirEntry | _Entry | None] = {
        ".github/workflows": None,
        ".azure-pipelines": top.get(".azure-pipelines"),
        ".woodpecker": top.get(".woodpecker"),
        ".circleci": top.get(".circleci"),
    }
    gh = top.get(".github")
    linked = {".github/workflows": bool(gh and gh.is_symlink())}
    if gh is not None and gh.is_dir():
        folders[".github/workflows"] = _child(gh.path, "workflows", stats, ".github")
    for folder, entry in folders.items():
        if entry is None:
            continue
        via_link = entry.is_symlink() or linked.get(folder, False)
        if via_link:
            if not _inside(root_real(), entry.path):
                listing.problems.append((folder, OUTSIDE))
                stats[folder] = _stat(entry.path)
                continue
            if not os.path.isdir(entry.path):
                stats[folder] = _stat(entry.path)
                continue
        elif not entry.is_dir(follow_symlinks=False):
            continue
        if folder == ".circleci":
            config = _child(entry.path, "config.yml", stats, folder)
            if config is not None:
                cands.append((".circleci/config.yml", config, via_link))
            continue
        stats[folder] = _stat(entry.path) if via_link else entry.stat(follow_symlinks=False)
        inner = _entries(entry.path)
        names = sorted(inner)
        cands.extend((f"{folder}/{n}", inner[n], via_link) for n in names if _YAML_NAME(n))
    for rel, entry, via_link in sorted(cands, key=lambda c: c[0]):
        stats[rel] = _add(listing, root_real, rel, entry, via_link, max_bytes)
    listing.sigpaths = sorted(stats)
    listing.signature = signature_of([stats[p] for p in listing.sigpaths])
    return listing


def _add(
    listing: Listing,
    root_real,
    rel: str,
    entry: os.DirEntry | _Entry,
    via_link: bool,
    max_bytes: int,
) -> os.stat_result | None:
    """Add one candidate (content or problem); return its ``os.stat`` for the signature."""
    path = entry.path
    try:
        if entry.is_symlink() or via_link:
            if not _inside(root_real(), path):
                listing.files.append(FileRef(rel, problem=OUTSIDE))
                return _stat(path)
            try:
                st = os.stat(path)
            except OSError:
                listing.files.append(FileRef(rel, problem="broken symlink"))
                return None
        else:
            st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return st
    if not stat.S_ISREG(st.st_mode):
        listing.files.append(FileRef(rel, problem="not a regular file"))
        return st
    if st.st_size > max_bytes:
        listing.files.append(FileRef(rel, problem=_too_big(st.st_size, max_bytes)))
        return st
    try:
        data = _read_file(path, max_bytes, st.st_size)
    except OSError as exc:
        listing.files.append(FileRef(rel, problem=f"cannot read: {exc.strerror}"))
        return st
    if len(data) > max_bytes:
        listing.files.append(FileRef(rel, problem=_too_big(len(data), max_bytes)))
        return st
    listing.files.append(FileRef(rel, data))
    return st


def _read_file(path: str, max_bytes: int, size: int = -1) -> bytes:
    """Up to ``max_bytes + 1`` bytes via raw system calls (cheaper than a Python file object);
    ``size``: what the stat said (see ``read_fd``)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return read_fd(fd, size, max_bytes + 1)
    finally:
        os.close(fd)


def read_fd(fd: int, size: int = -1, cap: int = 1 << 62) -> bytes:
    """The rest of an open file, up to ``cap`` bytes, by ``os.read``. ``size``: what its stat
    said. The first read asks for one byte more; when it brings exactly ``size`` bytes the
    file is read (no second read to meet its end; a file that grows meanwhile is racy anyway).
    Otherwise reads of 64 KiB follow until the end: ``os.read`` allocates what it is asked
    for, and a 1 MiB buffer per read cost three memory-mapping calls a file."""
    first = os.read(fd, min(cap, size + 1 if size >= 0 else 1 << 16))
    if len(first) == size or not first:
        return first
    chunks, left = [first], cap - len(first)
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_big(size: int, cap: int) -> str:
    return f"file is {size} bytes, over the size cap of {cap} bytes; not read"


def read_git(gitdir: str, rev: str, max_bytes: int) -> Listing:
    """Candidate files of ``rev`` in a (bare or blob-filtered) repository (gitcli's ls-tree
    and cat-file batch)."""
    from infradocs.core import git as gitcli  # here: work trees (the common case) need no git

    listing = Listing()
    specs = [*ROOT_FILES, CONDA_FORGE_YML, *(f"{d}/" for d in DIRS)]
    try:
        tree = gitcli.ls_tree(gitdir, rev, specs)
    except gitcli.GitError as exc:
        listing.problems.append(("", str(exc)))
        return listing
    entries = [
        e
        for e in tree
        if e.type == "blob" and (e.path == CONDA_FORGE_YML or provider_for(e.path) is not None)
    ]
    try:
        blobs = gitcli.cat_objects(gitdir, [e.oid for e in entries], max_bytes)
    except gitcli.GitError:
        blobs = {}
    for rel, mode, _, oid in entries:
        blob = blobs.get(oid)
        if mode == "120000":
            target = blob.data if blob else None
            listing.files.append(FileRef(rel, problem=_git_link_problem(rel, target)))
        elif blob is None:
            listing.files.append(FileRef(rel, problem="blob could not be read from git"))
        elif blob.data is None:
            listing.files.append(FileRef(rel, problem=_too_big(blob.size, max_bytes)))
        else:
            listing.files.append(FileRef(rel, blob.data))
    return listing


def _git_link_problem(rel: str, target: bytes | None) -> str:
    dest = os.path.normpath(
        os.path.join(os.path.dirname(rel), (target or b"").decode(errors="replace"))
    )
    if dest.startswith("..") or os.path.isabs(dest):
        return OUTSIDE
    return "symlink inside the repository; not followed in git objects"
