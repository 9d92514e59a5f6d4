"""``verify --bench``: wall time of each phase, against two other ways of reading the clones.

Same items, clones, commits, checks and thread pool; only the reading differs. Baseline: the
straightforward way, one ``git ls-tree`` and one ``git cat-file`` process per named path
instead of one batch per repository. Floor of any whole-checkout scan: every blob at the
commit read (one batch per repository), then the same checks.
"""

from __future__ import annotations

import subprocess
import time

from infradocs.core import git as gitcli
from infradocs.core.evidence.checks import facts_for
from infradocs.core.evidence.sources import Clones, Entry
from infradocs.core.evidence.verify import verify


class PerFileClones(Clones):
    """Local clones read one git process per path (the baseline)."""

    def read(self, where: str, commit: str, paths: list[str], content: set[str]) -> dict:
        """Like Clones.read, one path at a time."""
        files = {}
        for path in paths:
            for _, _, kind, _ in gitcli.ls_tree(where, commit, [path]):
                data = None
                if kind == "blob" and path in content:
                    data = gitcli.read_file(where, commit, path)
                files[path] = Entry(kind, data)
        return files


class WholeTreeClones(Clones):
    """Local clones read whole: every blob at the commit (what scanning the checkout costs)."""

    def read(self, where: str, commit: str, paths: list[str], content: set[str]) -> dict:
        """Every file's bytes read, then the named paths picked out (checks see the same)."""
        entries = gitcli.ls_tree(where, commit, recursive=True)
        gitcli.cat_objects(where, [e.oid for e in entries if e.type == "blob"])
        return super().read(where, commit, paths, content)


def _timed(items, source, jobs: int) -> float:
    facts_for.cache_clear()  # each run parses its files itself
    start = time.perf_counter()
    verify(items, source, jobs)
    return time.perf_counter() - start


def run(items, clones: str, jobs: int, ours: float, phases: dict[str, float]) -> list[str]:
    """Lines of figures: this run's phases, then best-of-3 verify phases, ours and baseline."""
    best_ours = best_base = best_whole = float("inf")
    for _ in range(3):  # alternated, so all see the same warm caches and the same load
        best_ours = min(best_ours, _timed(items, Clones(clones), jobs))
        best_base = min(best_base, _timed(items, PerFileClones(clones), jobs))
        best_whole = min(best_whole, _timed(items, WholeTreeClones(clones), jobs))
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    lines = [f"bench: {len(items)} evidence items over local clones in {clones}"]
    lines += [f"  {name}: {secs:.2f} s" for name, secs in phases.items()]
    lines += [
        f"  total wall time of this run: {ours:.2f} s (target < 10 s)",
        f"  verify phase, best of 3: ours {best_ours:.2f} s, baseline (one git process per "
        f"path) {best_base:.2f} s; ours / baseline: {best_ours / best_base:.2f}",
        f"  reading every file of each repository instead: {best_whole:.2f} s; "
        f"ours / that: {best_ours / best_whole:.2f}",
        f"  uptime: {uptime.strip()}",
    ]
    return lines
