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


OUTSIDE = "symlink points outside the repository; not followed"
ROOT_NAMES = {p for p in ROOT_FILES if "/" not in p} | {CONDA_FORGE_YML}
SUBDIRS = {".github", ".azure-pipelines", ".woodpecker", ".circleci"}


def _entries(path: str) -> dict[str, os.DirEntry]:
    try:
        with os.scandir(path) as it:
            return {e.name: e for e in it}
    except OSError:
        return {}


def read_worktree(root: str, max_bytes: int, read: bool = True) -> Listing:
    """Candidate files of a plain folder or git work tree, never following symlinks outside it.

    With ``read=False`` only the signature is computed (for cache checks); no file is opened.
    Directory listings (one scandir per folder) avoid a stat call per absent candidate."""
    listing = Listing()
    top = _entries(root)
    real: list[str] = []

    def root_real() -> str:
        if not real:
            real.append(os.path.realpath(root))
        return real[0]

    cands: list[tuple[str, os.DirEntry, bool]] = []  # (rel, entry, reached through a link)
    for name in ROOT_NAMES & top.keys():
        cands.append((name, top[name], False))
    folders = {
        ".github/workflows": None,
        ".azure-pipelines": top.get(".azure-pipelines"),
        ".woodpecker": top.get(".woodpecker"),
        ".circleci": top.get(".circleci"),
    }
    gh = top.get(".github")
    linked = {".github/workflows": bool(gh and gh.is_symlink())}
    if gh is not None:
        folders[".github/workflows"] = _entries(gh.path).get("workflows")
    for folder, entry in folders.items():
        if entry is None:
            continue
        via_link = entry.is_symlink() or linked.get(folder, False)
        if via_link:
            if not _inside(root_real(), entry.path):
                listing.problems.append((folder, OUTSIDE))
                continue
            if not os.path.isdir(entry.path):
                continue
        elif not entry.is_dir(follow_symlinks=False):
            continue
        inner = _entries(entry.path)
        if folder == ".circleci":
            if "config.yml" in inner:
                cands.append((".circleci/config.yml", inner["config.yml"], via_link))
            continue
        names = sorted(inner)
        listing.signature.append((folder, names))
        cands.extend(
            (f"{folder}/{n}", inner[n], via_link) for n in names if fnmatchcase(n, "*.y*ml")
        )
    for rel, entry, via_link in sorted(cands, key=lambda c: c[0]):
        _add(listing, root_real, rel, entry, via_link, max_bytes, read)
    return listing


def _add(
    listing: Listing,
    root_real,
    rel: str,
    entry: os.DirEntry,
    via_link: bool,
    max_bytes: int,
    read: bool,
) -> None:
    path = entry.path
    try:
        if entry.is_symlink() or via_link:
            if not _inside(root_real(), path):
                listing.files.append(FileRef(rel, problem=OUTSIDE))
                listing.signature.append((rel, "outside"))
                return
            try:
                st = os.stat(path)
            except OSError:
                listing.files.append(FileRef(rel, problem="broken symlink"))
                return
        else:
            st = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        return
    if not stat.S_ISREG(st.st_mode):
        listing.files.append(FileRef(rel, problem="not a regular file"))
        return
    listing.signature.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
    if not read:
        return
    if st.st_size > max_bytes:
        listing.files.append(FileRef(rel, problem=_too_big(st.st_size, max_bytes)))
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        listing.files.append(FileRef(rel, problem=f"cannot read: {exc.strerror}"))
        return
    if len(data) > max_bytes:
        listing.files.append(FileRef(rel, problem=_too_big(len(data), max_bytes)))
        return
    listing.files.append(FileRef(rel, data))


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
