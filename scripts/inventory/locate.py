"""Where each CI provider keeps its files, and reading them from a folder or a git repository."""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

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
PROVIDERS = sorted({*ROOT_FILES.values(), *DIRS.values()})


def provider_for(path: str) -> str | None:
    """The CI provider a repository-relative POSIX path belongs to, or None."""
    if path in ROOT_FILES:
        return ROOT_FILES[path]
    folder, _, name = path.rpartition("/")
    if folder in DIRS and fnmatchcase(name, "*.y*ml"):
        return DIRS[folder]
    return None


@dataclass
class FileRef:
    """One candidate file: its content (or None) and any problem reading it."""

    path: str
    data: bytes | None = None
    problem: str | None = None


@dataclass
class Listing:
    """The candidate files of a repository plus a signature that changes when any of them does."""

    files: list[FileRef] = field(default_factory=list)
    signature: list = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _inside(root_real: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real + os.sep)


def _candidates(root: str, root_real: str, listing: Listing) -> list[tuple[str, str]]:
    """(relative path, absolute path) of candidate files in a work tree; folders checked."""
    out = [(rel, os.path.join(root, rel)) for rel in [*ROOT_FILES, CONDA_FORGE_YML]]
    for folder in DIRS:
        absdir = os.path.join(root, folder)
        if not os.path.isdir(absdir):
            continue
        if not _inside(root_real, absdir):
            listing.problems.append((folder, OUTSIDE))
            continue
        try:
            names = sorted(e.name for e in os.scandir(absdir))
        except OSError:
            continue
        listing.signature.append((folder, names))
        out.extend(
            (f"{folder}/{n}", os.path.join(absdir, n)) for n in names if fnmatchcase(n, "*.y*ml")
        )
    return out


OUTSIDE = "symlink points outside the repository; not followed"


def read_worktree(root: str, max_bytes: int, read: bool = True) -> Listing:
    """Candidate files of a plain folder or git work tree, never following symlinks outside it.

    With ``read=False`` only the signature is computed (for cache checks); no file is opened."""
    listing = Listing()
    root_real = os.path.realpath(root)
    for rel, path in _candidates(root, root_real, listing):
        try:
            st = os.lstat(path)
        except OSError:
            continue
        nested_root_file = "/" in rel and rel.count("/") == 1 and rel.split("/")[0] not in DIRS
        if stat.S_ISLNK(st.st_mode) or nested_root_file:
            if not _inside(root_real, path):
                listing.files.append(FileRef(rel, problem=OUTSIDE))
                listing.signature.append((rel, "outside"))
                continue
            try:
                st = os.stat(path)
            except OSError:
                listing.files.append(FileRef(rel, problem="broken symlink"))
                continue
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            listing.files.append(FileRef(rel, problem="not a regular file"))
            continue
        listing.signature.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
        if not read:
            continue
        if st.st_size > max_bytes:
            listing.files.append(FileRef(rel, problem=_too_big(st.st_size, max_bytes)))
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            listing.files.append(FileRef(rel, problem=f"cannot read: {exc.strerror}"))
            continue
        if len(data) > max_bytes:
            listing.files.append(FileRef(rel, problem=_too_big(len(data), max_bytes)))
            continue
        listing.files.append(FileRef(rel, data))
    return listing


def _too_big(size: int, cap: int) -> str:
    return f"file is {size} bytes, over the size cap of {cap} bytes; not read"


def read_git(gitdir: str, rev: str, max_bytes: int) -> Listing:
    """Candidate files of ``rev`` in a (bare or blob-filtered) repository via ls-tree/cat-file."""
    listing = Listing()
    specs = [*ROOT_FILES, CONDA_FORGE_YML, *(f"{d}/" for d in DIRS)]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "0"}
    proc = subprocess.run(
        ["git", "--git-dir", gitdir, "ls-tree", "-z", "--full-tree", rev, "--", *specs],
        capture_output=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        listing.problems.append(
            ("", "git ls-tree failed: " + proc.stderr.decode(errors="replace")[:200])
        )
        return listing
    entries = []
    for item in proc.stdout.split(b"\0"):
        if not item:
            continue
        meta, _, name = item.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        rel = name.decode("utf-8", "replace")
        if rel != CONDA_FORGE_YML and provider_for(rel) is None:
            continue
        if kind != "blob":
            continue
        entries.append((rel, mode, sha))
    listing.signature = [(rel, sha) for rel, _, sha in entries]
    want = [sha for _, mode, sha in entries]
    blobs = _cat_blobs(gitdir, want, max_bytes, env)
    for rel, mode, sha in entries:
        size, data = blobs.get(sha, (None, None))
        if mode == "120000":
            listing.files.append(FileRef(rel, problem=_git_link_problem(rel, data)))
        elif size is None:
            listing.files.append(FileRef(rel, problem="blob could not be read from git"))
        elif data is None:
            listing.files.append(FileRef(rel, problem=_too_big(size, max_bytes)))
        else:
            listing.files.append(FileRef(rel, data))
    return listing


def _git_link_problem(rel: str, target: bytes | None) -> str:
    dest = os.path.normpath(
        os.path.join(os.path.dirname(rel), (target or b"").decode(errors="replace"))
    )
    if dest.startswith("..") or os.path.isabs(dest):
        return OUTSIDE
    return "symlink inside the repository; not followed in git objects"


def _cat_blobs(gitdir: str, shas: list[str], max_bytes: int, env: dict) -> dict:
    """sha -> (size, data or None when over the cap) for the given blobs."""
    if not shas:
        return {}
    proc = subprocess.run(
        ["git", "--git-dir", gitdir, "cat-file", "--batch"],
        input="".join(f"{s}\n" for s in dict.fromkeys(shas)).encode(),
        capture_output=True,
        env=env,
        check=False,
    )
    out, pos, result = proc.stdout, 0, {}
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        data = out[pos : pos + size]
        pos += size + 1
        result[header[0].decode()] = (size, data if size <= max_bytes else None)
    return result
