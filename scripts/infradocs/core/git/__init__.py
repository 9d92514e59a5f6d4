"""The project's one way to read and fetch git repositories: ``run`` and the reads built on it.

Every git process goes through ``run``: no prompt, the repository given explicitly (the
caller's ``GIT_DIR`` and friends are dropped), and a failure raises ``GitError`` naming the
repository and the command, with credentials in URLs redacted (``redact.redact_text``).
The object reads (``ls_tree``, ``cat_objects``, ``check_objects``) run in-process through
pygit2 (libgit2) when it is installed, with git's answers; git itself answers where libgit2
cannot: a repository it cannot open, an error to word, an object a partial clone must fetch.
``GITCLI_PYGIT2=0`` turns pygit2 off.

Measured with ``python -m benchmarks.git /work/clones`` (2026-12-07, 2 cores shared with
other jobs, load 6 to 11): the CI files and conda-forge.yml at HEAD of 30 clones (90 files),
median of 7 rounds, as ``locate.read_git`` reads them: git CLI (one ``ls-tree`` and one
``cat-file --batch`` process a repository) 0.63 to 0.80 s; dulwich 1.2.21 0.22 to 0.35 s;
pygit2 1.21.0 (libgit2 1.9.7, wheel from PyPI) by hand 0.04 to 0.09 s; these reads through
pygit2 0.10 s, 7.6 times the CLI's speed (42 clones: 1.27 s against 0.29 s). Importing pygit2
costs about 0.08 s once. Whole runs gain less: ``evidence verify --clones /work/clones`` took
26 to 34 s either way (load 14 to 17), same output; the checks, not the reads, take its time.
pygit2 is clearly faster at the reads (the rule: over 20 %), so it reads objects;
clones, fetches and single commands stay on the CLI, which also stands in when pygit2 is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NamedTuple

from infradocs.core.redact import redact_text

# Environment variables that would point git at another repository than the one named.
_LOCAL_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
)


class GitError(RuntimeError):
    """A git command failed: ``git <verb> failed in <repository>: <git's last fatal: line>``,
    credentials in URLs redacted; ``command`` holds the whole (redacted) command line."""

    def __init__(self, repo: str | None, args: tuple[str, ...], status: int, stderr: str) -> None:
        self.repo = redact_text(repo) if repo else None
        self.command = redact_text(" ".join(("git", *args)))
        self.status = status
        self.stderr = redact_text(stderr.strip())
        verb = next((a for a in args if not a.startswith("-") and "=" not in a), "")
        where = f" in {self.repo}" if self.repo else ""
        lines = self.stderr.splitlines() or [f"exit status {status}"]
        cause = next((x for x in reversed(lines) if x.startswith(("fatal:", "error:"))), lines[-1])
        super().__init__(f"git {verb} failed{where}: {cause}")


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LOCAL_VARS}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "0"})
    env.update(extra or {})
    return env


def run(
    repo: str | os.PathLike | None,
    *args: str,
    data: bytes | None = None,
    env: Mapping[str, str] | None = None,
    config: Mapping[str, str] | None = None,
    remote: str | None = None,
) -> bytes:
    """Stdout of ``git -C repo args`` (``git args`` when ``repo`` is None, as for a clone);
    ``data`` goes to stdin, ``env`` adds variables, ``config`` adds ``-c key=value`` settings.
    Raises GitError naming ``repo`` (else the ``remote`` URL) on a non-zero exit."""
    import subprocess  # lazily: the inventory's no-change re-run starts no git and skips it

    where = os.fspath(repo) if repo is not None else None
    named = where or remote
    args = (*(a for k, v in (config or {}).items() for a in ("-c", f"{k}={v}")), *args)
    cmd = ["git", *(("-C", where) if where is not None else ()), *args]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, env=_env(env), check=False)
    except OSError as exc:  # no git on PATH, or the folder vanished while starting
        raise GitError(named, args, -1, str(exc)) from exc
    if proc.returncode != 0:
        raise GitError(named, args, proc.returncode, proc.stderr.decode(errors="replace"))
    return proc.stdout


def run_text(repo: str | os.PathLike | None, *args: str, **kwargs) -> str:
    """``run`` decoded as UTF-8 and stripped of surrounding whitespace."""
    return run(repo, *args, **kwargs).decode("utf-8", errors="replace").strip()


class TreeEntry(NamedTuple):
    """One ``ls-tree`` line: path (from the repository root), mode, type and object id."""

    path: str
    mode: str
    type: str
    oid: str


def ls_tree(
    repo: str | os.PathLike, commit: str, paths: Iterable[str] = (), recursive: bool = False
) -> list[TreeEntry]:
    """The entries of ``commit`` at ``paths`` (literal; a folder with a trailing ``/`` lists its
    children), or of the whole root; ``recursive`` descends into folders. As ``git ls-tree``."""
    paths = list(paths)
    with _library(repo) as lib:
        found = lib.ls_tree(commit, paths, recursive) if lib else None
    if found is not None:
        return found
    args = ["--literal-pathspecs", "ls-tree", "-z", "--full-tree"]
    out = run(repo, *args, *(["-r"] if recursive else []), commit, "--", *paths)
    entries = []
    for rec in out.split(b"\0"):
        if rec:
            meta, _, path = rec.partition(b"\t")
            mode, kind, oid = meta.decode().split()
            entries.append(TreeEntry(path.decode("utf-8", "replace"), mode, kind, oid))
    return entries


class Object(NamedTuple):
    """One object read by ``cat-file --batch``: type, size, and the bytes (None over a cap)."""

    type: str
    size: int
    data: bytes | None


def cat_objects(
    repo: str | os.PathLike, names: Iterable[str], max_bytes: int | None = None
) -> dict[str, Object]:
    """Object name (an id, or ``rev:path``) -> the object, for each that exists, read as by
    one ``git cat-file --batch``; an object over ``max_bytes`` has its size but no data."""
    names = list(dict.fromkeys(names))
    found: dict[str, Object] = {}
    with _library(repo) as lib:
        if lib:
            objs, names = lib.objects(names)
            for name, obj in objs.items():
                raw = obj.read_raw()
                over = max_bytes is not None and len(raw) > max_bytes
                found[name] = Object(obj.type_str, len(raw), None if over else raw)
    if not names:
        return found
    out = run(repo, "cat-file", "--batch", data="".join(f"{n}\n" for n in names).encode())
    pos = 0
    for name in names:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode(errors="replace").split()
        pos = end + 1
        if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
            continue
        size = int(header[2])
        over = max_bytes is not None and size > max_bytes
        found[name] = Object(header[1], size, None if over else out[pos : pos + size])
        pos += size + 1
    return found


def check_objects(repo: str | os.PathLike, names: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Object name (``HEAD^{commit}``, an id...) -> (object id, type) for each that exists, as
    by one ``git cat-file --batch-check``."""
    names = list(dict.fromkeys(names))
    found: dict[str, tuple[str, str]] = {}
    with _library(repo) as lib:
        if lib:
            objs, names = lib.objects(names)
            found.update((name, (str(obj.id), obj.type_str)) for name, obj in objs.items())
    if not names:
        return found
    out = run(repo, "cat-file", "--batch-check", data="".join(f"{n}\n" for n in names).encode())
    for name, line in zip(names, out.decode(errors="replace").splitlines(), strict=True):
        fields = line.split()
        if len(fields) == 3:
            found[name] = (fields[0], fields[1])
    return found


class _Pygit2:
    """The reads above done in-process by libgit2 (pygit2): git's answers, no git process."""

    def __init__(self, pygit2: Any, repo: Any) -> None:
        self.pygit2, self.repo = pygit2, repo
        self.errors = (KeyError, ValueError, pygit2.GitError)  # ValueError: UnicodeError too

    def ls_tree(self, commit: str, paths: list[str], recursive: bool) -> list[TreeEntry] | None:
        """``git ls-tree``'s entries by its pathspec rules (a tree some path lies inside is
        descended into, not shown), or None to let git answer (and word the error)."""
        try:
            tree = self.repo.revparse_single(commit).peel(self.pygit2.Tree)
        except self.errors:
            return None
        out: list[TreeEntry] = []

        def walk(tree: Any, prefix: str) -> None:
            for obj in tree:
                path = prefix + obj.name
                hit = not paths or any(p == path or path.startswith(_dir(p)) for p in paths)
                inside = any(p.startswith(path + "/") for p in paths)
                if obj.type_str == "tree" and (inside or (recursive and hit)):
                    walk(obj, path + "/")
                elif hit:
                    out.append(TreeEntry(path, f"{obj.filemode:06o}", obj.type_str, str(obj.id)))

        try:
            walk(tree, "")
        except self.errors:  # e.g. a name that is not UTF-8: git's own decoding then
            return None
        return out

    def objects(self, names: list[str]) -> tuple[dict[str, Any], list[str]]:
        """(name -> object libgit2 has, names left for git): in a partial clone git fetches
        what is missing, so the names libgit2 lacks go to git; elsewhere they are missing."""
        found, rest = {}, []
        for name in names:
            try:
                found[name] = self.repo.revparse_single(name)
            except self.errors:
                rest.append(name)
        if rest and not self.partial():
            rest = []
        return found, rest

    def partial(self) -> bool:
        """Whether the repository is a partial clone (has a promisor remote)."""
        names = (entry.name.lower() for entry in self.repo.config)
        return any(n == "extensions.partialclone" or n.endswith(".promisor") for n in names)


def _dir(path: str) -> str:
    return path.rstrip("/") + "/"


@contextmanager
def _library(repo: str | os.PathLike) -> Iterator[_Pygit2 | None]:
    """pygit2 on ``repo`` when it is installed, GITCLI_PYGIT2 is not 0 and libgit2 opens the
    repository; else None (git answers)."""
    handle = None
    if os.environ.get("GITCLI_PYGIT2") != "0":
        try:
            import pygit2
        except ImportError:
            pygit2 = None
        if pygit2 is not None:
            try:
                handle = _Pygit2(pygit2, pygit2.Repository(os.fspath(repo)))
            except (pygit2.GitError, KeyError, ValueError, OSError):
                handle = None
    try:
        yield handle
    finally:
        if handle is not None:
            handle.repo.free()


def has_commit(repo: str | os.PathLike, rev: str) -> bool:
    """Whether ``rev`` names a commit of ``repo``."""
    return rev + "^{commit}" in check_objects(repo, [rev + "^{commit}"])


def default_commit(repo: str | os.PathLike) -> str | None:
    """The default branch's commit of a clone: ``origin/HEAD`` where it has one, else ``HEAD``;
    None for an empty repository."""
    names = ["refs/remotes/origin/HEAD^{commit}", "HEAD^{commit}"]
    found = check_objects(repo, names)
    return next((found[n][0] for n in names if n in found), None)


def rev_parse(repo: str | os.PathLike, rev: str) -> str:
    """The commit id ``rev`` names (GitError when it names none)."""
    return run_text(repo, "rev-parse", "--verify", "--end-of-options", rev + "^{commit}")


def read_file(repo: str | os.PathLike, rev: str, path: str) -> bytes:
    """The bytes of ``path`` as committed at ``rev`` (GitError when it has no such file)."""
    return run(repo, "cat-file", "blob", f"{rev}:{path}")


def commit_time(repo: str | os.PathLike, commit: str) -> int:
    """When ``commit`` was committed, in seconds since the epoch."""
    return int(run_text(repo, "show", "-s", "--format=%ct", commit, "--"))


def is_repository(path: str | os.PathLike) -> bool:
    """Whether ``path`` is in a git repository (work tree or git directory)."""
    try:
        run(path, "rev-parse", "--git-dir")
    except GitError:
        return False
    return True


def remote_head(url: str, config: Mapping[str, str] | None = None) -> str | None:
    """The commit of the remote's HEAD by one ``ls-remote`` (None when it has no HEAD)."""
    out = run_text(None, "ls-remote", "--", url, "HEAD", config=config, remote=url)
    return out.split("\t", 1)[0].strip() or None


def clone(
    url: str,
    dest: str | os.PathLike,
    *options: str,
    config: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """``git -c config... clone -q options... -- url dest``."""
    args = ("clone", "-q", *options, "--", url, os.fspath(dest))
    run(None, *args, config=config, env=env, remote=url)
