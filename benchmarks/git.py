"""How fast the CI files of many clones are read from git objects: the git CLI (gitcli with
GITCLI_PYGIT2=0) and ``locate.read_git`` as it runs against dulwich and pygit2 by hand.

``python -m benchmarks.git [--rounds N] [--repos N] CLONES`` prints the median seconds of
each reader over the first N repositories under CLONES (OWNER/NAME), after checking that all
readers return the same files and bytes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from fnmatch import fnmatchcase

from infradocs.core.inventory.locate import CONDA_FORGE_YML, DIRS, ROOT_FILES, read_git

Reader = Callable[[str], dict[str, bytes]]


def cli(repo: str) -> dict[str, bytes]:
    """One ``ls-tree`` and one ``cat-file --batch`` (gitcli with GITCLI_PYGIT2=0)."""
    os.environ["GITCLI_PYGIT2"] = "0"
    try:
        return gitcli_read(repo)
    finally:
        del os.environ["GITCLI_PYGIT2"]


def gitcli_read(repo: str) -> dict[str, bytes]:
    """``locate.read_git`` as it runs: gitcli, in-process through pygit2 where installed."""
    return {f.path: f.data for f in read_git(repo, "HEAD", 1 << 20).files if f.data is not None}


def _wanted(folder: str, name: str) -> bool:
    return folder in DIRS and fnmatchcase(name, "*.y*ml")


def dulwich_reader() -> Reader | None:
    """dulwich's pure-Python object store, or None when it is not installed."""
    try:
        from dulwich.objects import Tree
        from dulwich.repo import Repo
    except ImportError:
        return None

    def read(path: str) -> dict[str, bytes]:
        with Repo(path) as repo:
            tree = repo[repo[b"HEAD"].tree]
            out = {}
            for name in (*ROOT_FILES, CONDA_FORGE_YML, *DIRS):
                try:
                    mode, sha = tree.lookup_path(repo.object_store.__getitem__, name.encode())
                except KeyError:
                    continue
                obj = repo[sha]
                if isinstance(obj, Tree) and name in DIRS:
                    for item in obj.items():
                        child = item.path.decode()
                        if _wanted(name, child) and item.mode & 0o170000 == 0o100000:
                            out[f"{name}/{child}"] = repo[item.sha].data
                elif name not in DIRS and mode & 0o170000 == 0o100000:
                    out[name] = obj.data
            return out

    return read


def pygit2_reader() -> Reader | None:
    """libgit2 through pygit2, or None when it is not installed."""
    try:
        import pygit2
    except ImportError:
        return None

    def read(path: str) -> dict[str, bytes]:
        repo = pygit2.Repository(path)
        tree = repo.head.peel(pygit2.Commit).tree
        out = {}
        for name in (*ROOT_FILES, CONDA_FORGE_YML, *DIRS):
            try:
                entry = tree[name]
            except KeyError:
                continue
            if entry.type_str == "tree" and name in DIRS:
                for child in repo[entry.id]:
                    if _wanted(name, child.name) and child.filemode in (0o100644, 0o100755):
                        out[f"{name}/{child.name}"] = repo[child.id].data
            elif name not in DIRS and entry.filemode in (0o100644, 0o100755):
                out[name] = repo[entry.id].data
        return out

    return read


def clones(root: str, count: int) -> list[str]:
    """The first ``count`` OWNER/NAME clones under ``root``, sorted."""
    found = sorted(
        os.path.join(root, owner, name)
        for owner in os.listdir(root)
        if os.path.isdir(os.path.join(root, owner))
        for name in os.listdir(os.path.join(root, owner))
        if os.path.isdir(os.path.join(root, owner, name, ".git"))
    )
    return found[:count]


def measure(readers: dict[str, Reader], repos: list[str], rounds: int) -> dict[str, float]:
    """Median seconds per reader to read all ``repos``; readers take turns in each round."""
    times: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(rounds):
        for name, read in readers.items():
            start = time.perf_counter()
            for repo in repos:
                read(repo)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv: list[str] | None = None) -> int:
    """Check the readers agree, then print their medians."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.git")
    parser.add_argument("clones")
    parser.add_argument("--repos", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    readers = {"git CLI": cli, "gitcli": gitcli_read}
    for name, make in (("dulwich", dulwich_reader), ("pygit2", pygit2_reader)):
        reader = make()
        if reader is not None:
            readers[name] = reader
    repos = clones(args.clones, args.repos)
    files = 0
    for repo in repos:
        want = cli(repo)
        files += len(want)
        for name, read in readers.items():
            if read(repo) != want:
                print(f"{name} reads other files than the git CLI in {repo}")
                return 1
    print(f"{len(repos)} repositories, {files} files, median of {args.rounds} rounds:")
    base = None
    for name, seconds in measure(readers, repos, args.rounds).items():
        base = base or seconds
        print(f"  {name:8} {seconds:.3f} s  ({base / seconds:.2f} x the git CLI's speed)")
    print("(gitcli: locate.read_git as it runs, with pygit2 when installed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
