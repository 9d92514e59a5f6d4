"""Run every evidence item against a snapshot of its repository (repositories in parallel)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from infradocs.core.evidence import checks
from infradocs.core.evidence.checks import Outcome
from infradocs.core.evidence.items import Item
from infradocs.core.evidence.sources import Snapshot

CONTENT = {"contains", "lacks", "matches", "secret", "cron", "yaml", "python"}


@dataclass(frozen=True)
class Result:
    """One item's outcome and the commit it was checked at."""

    item: Item
    outcome: Outcome
    commit: str | None


def plan(items: list[Item]) -> dict[str, tuple[list[str], set[str]]]:
    """Repository -> (every path the evidence names, the paths whose contents are needed)."""
    out: dict[str, tuple[list[str], set[str]]] = {}
    for item in items:
        if not item.checkable or not item.repo:
            continue
        paths, content = out.setdefault(item.repo, ([], set()))
        if item.path and item.path not in paths:
            paths.append(item.path)
        if item.kind in CONTENT and item.path:
            content.add(item.path)
    return out


def _snapshot(source, repo: str, paths: list[str], content: set[str]) -> Snapshot:
    try:
        return source.snapshot(repo, paths, content)
    except Exception as exc:  # one repository never stops the others
        return Snapshot(repo, error=f"{type(exc).__name__}: {exc}")


def verify(items: list[Item], source, jobs: int = 8) -> tuple[list[Result], dict[str, Snapshot]]:
    """Each item's result (in the given order) and each repository's snapshot."""
    work = plan(items)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            repo: pool.submit(_snapshot, source, repo, paths, content)
            for repo, (paths, content) in sorted(work.items())
        }
        snaps = {repo: fut.result() for repo, fut in futures.items()}
    results = []
    for item in items:
        if not item.checkable:
            results.append(Result(item, Outcome("unverifiable", item.fields["unverifiable"]), None))
            continue
        snap = snaps[item.repo]
        results.append(Result(item, checks.run(item, snap), snap.commit))
    return results, snaps
