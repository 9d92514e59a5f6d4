"""Run the extractor over many repositories: clone, shard, scan in parallel, cache, assemble."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .cache import Cache
from .document import dump_repo, repo_entry
from .gitmeta import name_from_url, redact
from .progress import Progress
from .scan import scan_repo
from .sources import Source, clone

CHUNK = 32


@dataclass
class Settings:
    """How to run: processes, cache folder, size cap, shard (index from 1, count)."""

    jobs: int = 2
    cache_dir: str | None = None
    max_bytes: int = 1 << 20
    shard: tuple[int, int] = (1, 1)
    progress: bool = False


@dataclass
class Outcome:
    """The repository entries plus everything that went wrong on the way."""

    repos: list[tuple[str, str, str]] = field(default_factory=list)  # (name, commit, JSON)
    failures: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


# Set in the parent before the worker processes fork, so they share them without copying.
_STATE: dict = {}


def _work(roots: list[str]) -> list[tuple[str, dict | None, dict]]:
    """Scan roots; an unchanged cached record is returned as None (the parent has it)."""
    memo: dict = _STATE.setdefault("memo", {})
    out = []
    for root in roots:
        record, new = scan_repo(root, _STATE["max_bytes"], _STATE["repos"], _STATE["known"], memo)
        out.append((root, None if record is _STATE["repos"].get(root) else record, new))
    return out


def shard_of(sources: list[Source], shard: tuple[int, int]) -> list[Source]:
    """The sources shard ``I`` of ``N`` owns (every N-th, starting at I)."""
    index, count = shard
    return [s for i, s in enumerate(sources) if i % count == index - 1]


def _resolve(sources: list[Source], settings: Settings, outcome: Outcome) -> list[str]:
    """Local roots for all sources; clone URLs (a few at a time); failures become entries."""
    roots: list[str] = []
    urls = [s for s in sources if s.kind == "url"]
    cache_dir = settings.cache_dir or os.path.join(os.getcwd(), ".inventory-cache")
    with ThreadPoolExecutor(max_workers=4) as pool:
        cloned = dict(
            zip(
                [s.value for s in urls],
                pool.map(lambda s: clone(s.value, cache_dir), urls),
                strict=True,
            )
        )
    for src in sources:
        if src.kind == "path":
            roots.append(src.value)
            continue
        path, error = cloned[src.value]
        if path:
            roots.append(path)
            continue
        outcome.failures.append(f"{redact(src.value)} ({src.where}): {error}")
        entry = _failed_entry(src.value, error or "clone failed")
        outcome.repos.append((entry["name"], "", dump_repo(entry)))
    return roots


def _failed_entry(url: str, error: str) -> dict:
    record = {
        "name": name_from_url(url),
        "commit": None,
        "files": [],
        "problems": [[None, None, error]],
    }
    return repo_entry(record, {})


def run(sources: list[Source], settings: Settings) -> Outcome:
    """Inventory every source of this shard; never raises for a bad repository."""
    outcome = Outcome()
    roots = _resolve(shard_of(sources, settings.shard), settings, outcome)
    roots = list(dict.fromkeys(roots))
    cache = Cache(settings.cache_dir)
    _STATE.update(max_bytes=settings.max_bytes, repos=cache.repos, known=set(cache.blobs))
    _STATE.pop("memo", None)
    bar = Progress(len(roots), enabled=settings.progress)
    records = []
    for root, record, new in _scan_all(roots, settings.jobs):
        if record is None:
            record = cache.repos[root]
        if new:
            cache.blobs.update(new)
            _STATE["known"].update(new)
        if cache.repos.get(record["root"]) is not record:
            cache.repos[record["root"]] = record
        records.append(record)
        bar.step()
    bar.close()
    for record in records:
        if record.get("entry_name") != record["name"] or "entry" not in record:
            try:
                record["entry"] = dump_repo(repo_entry(record, cache.blobs))
            except Exception as exc:  # a bug for one repository must not lose the rest
                outcome.failures.append(f"{record['root']}: internal error {type(exc).__name__}")
                continue
            record["entry_name"] = record["name"]
            cache.dirty = True
        outcome.repos.append((record["name"], record["commit"] or "", record["entry"]))
        outcome.sources.append(
            {"name": record["name"], "origin": record.get("origin"), "commit": record["commit"]}
        )
    try:
        cache.save()
    except OSError as exc:
        print(f"inventory: could not write cache: {exc}", file=sys.stderr)
    return outcome


def _scan_all(roots: list[str], jobs: int) -> Iterator[tuple[str, dict | None, dict]]:
    chunks = [roots[i : i + CHUNK] for i in range(0, len(roots), CHUNK)]
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from _work(chunk)
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        for results in pool.imap(_work, chunks):
            yield from results
