"""Run the extractor over many repositories: clone, shard, scan in parallel, cache, assemble.

``jobs`` processes share the scan: this one and ``jobs - 1`` forked workers of a
``concurrent.futures.ProcessPoolExecutor`` take chunks of repositories in turn. For each
repository a process reads and hashes its CI files, parses the contents it has not heard of
(cached, parsed by itself, or told by this process with the task) and builds the entry;
rows of text come back. A content two processes meet before either has told the other is
parsed by both (90 of 7,845 distinct contents at 25,000 feedstocks). The cache is written
in a thread while the output is written; the garbage collector is held back during the scan
(``_few_collections``). Repositories whose pinned record still matches their stats never
reach a worker (``pinned``): an unchanged re-run starts no process.

Where a first run goes (25,000 feedstocks and 150 infrastructure repositories, the
benchmark's second org; 2 processes, 10.7 s of CPU in all): per feedstock, reading its CI
files and the files under .git, the stat signature, the content keys and the entry, about
140 us (the bare reads take 100 us); the infrastructure repositories' large workflows, 35 MB
of distinct YAML, 3.4 s (loading 2.2 s, facts 1.3 s: service matching most of it); the
feedstocks' 6,000 distinct contents 1.2 s; entries first built 0.7 s; the serial start
(imports, 0.1 s) and end (sorting, the output and the cache, 0.3-0.4 s). Each module says
what it measured: ``yamlload`` (the loader), ``services`` (matching), ``scan`` (memos per
process), ``locate`` and ``gitmeta`` (reads), ``cache`` (SQLite), ``statsig``.

``benchmarks.inventory`` measures whole runs against the naive floor (every CI file read and
parsed with PyYAML's C loader, 2 processes, the same run). At 25,000 feedstocks (best of 3
rounds, wall / CPU; median of the rounds' ratios in brackets): first run 0.439 / 0.415
[0.439] on the second org, 0.384 / 0.353 [0.383] on the first; unchanged re-run 0.05-0.07.
Earlier series with nearly this code (before the take-back of queued chunks and the builder
for documents with anchors) put the medians at 0.45-0.50 (second org) and 0.41-0.47 (first):
the machine's speed drifted by up to 40 % between series (the naive floor of the first org
took 13.5 to 19.4 s).
Tried and dropped, no gain: a forked cache writer (copy-on-write faults), a pool scheduled
off a shared counter, writing the cache before building the outcome, ``gc.disable``,
importing the parsers after the fork (8 interleaved pairs at 2,000 feedstocks: the same), and
parsing from libyaml's events instead of composed nodes (12-17 % off loading the
infrastructure workflows, too little for a second loader to keep equal to the first).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from typing import Any, NamedTuple

from infradocs.core.inventory.cache import Cache, Row, row_of
from infradocs.core.inventory.document import dump_repo, repo_entry
from infradocs.core.inventory.facts import Facts
from infradocs.core.inventory.gitmeta import name_from_url, redact
from infradocs.core.inventory.pinned import pinned_roots
from infradocs.core.inventory.progress import Progress
from infradocs.core.inventory.scan import NotAFolder, scan_repo
from infradocs.core.inventory.sources import Source, clone

CHUNK = 32  # repositories per task
# Tasks queued per worker process, so none waits for the next: this process tops the queue up
# only between its own chunks, and a chunk holding a large infrastructure repository takes
# as long as several of feedstocks. With 2, the worker of a 25,000-feedstock first run sat idle
# for 0.46-0.57 s between tasks and the run took 5.96-6.09 s; with 4, 6 and 8, 5.54-5.96 s
# (two runs each; perf_counter around each task).
AHEAD = 6
NOT_A_FOLDER = "is not a folder, git URL or owner/name"


class Settings(NamedTuple):
    """How to run: processes, cache folder, size cap, shard (index from 1, count)."""

    jobs: int = 2
    cache_dir: str | None = None
    max_bytes: int = 1 << 20
    shard: tuple[int, int] = (1, 1)
    progress: bool = False


class Outcome:
    """The repository entries plus everything that went wrong on the way."""

    def __init__(self) -> None:
        self.repos: list[tuple[str, str, str]] = []  # (name, commit, JSON)
        self.failures: list[str] = []
        self.sources: list[dict] = []
        self.roots: dict[str, str] = {}  # repository name -> local root it was read from
        self.saving: threading.Thread | None = None  # the cache being written

    def finish(self) -> None:
        """Wait until the cache is written (a process also waits for it before it exits)."""
        if self.saving is not None:
            self.saving.join()
            self.saving = None


# Set before the worker processes fork, so they share it without copying: the cache's records
# and a ``Facts`` over its facts (each process adds what it parses).
_STATE: dict = {}

# One repository's result: (root, its new cache row or None when the cached record stands,
# the facts (JSON text) of contents this process parsed for it, error or None).
Result = tuple[str, Row | None, dict[str, str], str | None]


def _work(roots: list[str], known: dict[str, str] | None = None) -> list[Result]:
    """Scan roots, parse the contents this process has not met, build their entries: run in
    a worker process or in this one. ``known``: facts (JSON text) other processes found
    since. Compact tuples of text come back, little to copy."""
    facts: Facts = _STATE["facts"]
    if known:
        facts.raw.update(known)
    out: list[Result] = []
    for root in roots:
        try:
            cached = _STATE["repos"].get(root)
            record, new = scan_repo(root, _STATE["max_bytes"], cached, facts)
        except NotAFolder:
            out.append((root, None, {}, NOT_A_FOLDER))
            continue
        except Exception as exc:  # a bug for one repository must not lose the rest
            out.append((root, None, {}, f"internal error {type(exc).__name__}: {exc}"))
            continue
        texts = {key: facts.text(key) or "" for key in new}
        out.append((root, None if record is None else row_of(record), texts, None))
    return out


def shard_of(sources: list[Source], shard: tuple[int, int]) -> list[Source]:
    """The sources shard ``I`` of ``N`` owns: by a stable hash of the repository's name, so a
    repository keeps its shard (and that shard's cache) when others are added or removed."""
    import zlib

    index, count = shard
    if count == 1:
        return list(sources)
    return [s for s in sources if zlib.crc32(_shard_key(s).encode()) % count == index - 1]


def _shard_key(source: Source) -> str:
    return name_from_url(source.value) if source.kind == "url" else source.value


def _resolve(
    sources: list[Source], settings: Settings, outcome: Outcome, where: dict[str, str]
) -> list[str]:
    """Local roots for all sources; clone URLs (a few at a time); failures become entries.

    ``where`` gets the manifest line of each root not yet checked to be a folder."""
    roots: list[str] = []
    urls = [s for s in sources if s.kind == "url"]
    cloned: dict[str, tuple[str | None, str | None]] = {}
    if urls:
        from concurrent.futures import ThreadPoolExecutor

        cache_dir = settings.cache_dir or os.path.join(os.getcwd(), ".inventory-cache")
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = pool.map(lambda s: clone(s.value, cache_dir), urls)
            cloned = dict(zip([s.value for s in urls], results, strict=True))
    for src in sources:
        if src.kind == "path":
            roots.append(src.value)
            if not src.checked:
                where.setdefault(src.value, src.where)
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
    where: dict[str, str] = {}
    roots = _resolve(shard_of(sources, settings.shard), settings, outcome, where)
    roots = list(dict.fromkeys(roots))
    cache = Cache(settings.cache_dir)
    if not cache.blobs and len(roots) > CHUNK:  # a first run parses: import the parsers once,
        from infradocs.core.inventory import conda_forge_yml, extract  # noqa: F401  before the workers are forked
    _STATE.update(max_bytes=settings.max_bytes, repos=cache.repos, facts=Facts(cache.blobs))
    bar = Progress(len(roots), enabled=settings.progress)
    try:
        with _few_collections():
            results = _scan_all(roots, settings.jobs, cache.put_blobs, bar.step)
    finally:
        _STATE.clear()
    for root, row, error in results:
        if error == NOT_A_FOLDER:
            outcome.failures.append(f"{where.get(root, 'command line')}: {root!r} {error}")
            continue
        if error:
            outcome.failures.append(f"{root}: {error}")
            continue
        if row is not None:
            cache.repos.put_row(row)
            name, commit, origin, entry = row[4] or "", row[1], row[5], row[8]  # not parsed
        else:
            record = cache.repos[root]
            name, commit, origin, entry = (record[k] for k in ("name", "commit", "origin", "entry"))
        outcome.repos.append((name, commit or "", entry))
        outcome.sources.append({"name": name, "origin": origin, "commit": commit})
        outcome.roots[name] = root
    bar.close()
    outcome.saving = _save_behind(cache)
    return outcome


def _save_behind(cache: Cache) -> threading.Thread:
    """Write the cache in a thread, while the caller writes its output (SQLite lets go of the
    GIL, and the workers' core is free by now); ``Outcome.finish`` waits for it."""

    def save() -> None:
        try:
            cache.save()
        except OSError as exc:
            print(f"inventory: could not write cache: {exc}", file=sys.stderr)

    thread = threading.Thread(target=save, name="inventory-cache")
    thread.start()
    return thread


@contextmanager
def _few_collections() -> Iterator[None]:
    """The cyclic garbage collector left alone while repositories are scanned: what exists now
    is frozen (workers forked later do not touch it), and collections run a hundred times
    less often (parsing makes many short-lived containers and hardly any cycles; collecting
    cost 5-10 % of a first run). Objects someone else froze stay frozen."""
    threshold = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 70_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if not frozen_before:
            gc.unfreeze()


def _scan_all(
    roots: list[str],
    jobs: int,
    put_blobs: Callable[[dict[str, str]], None],
    step: Callable[[], None] = lambda: None,
) -> list[tuple[str, Row | None, str | None]]:
    """(root, new cache row or None when the cached record stands, error) for all roots, in
    order; the facts parsed on the way go to ``put_blobs`` (as JSON text).

    ``jobs`` processes in all: this one and ``jobs - 1`` forked workers take chunks of roots
    in turn (each worker kept ``AHEAD`` chunks ahead), and each process parses the contents
    it meets that it has not heard of: this process learns the workers' facts as their
    chunks come back, and each task tells a worker the facts this process found since the
    last (a content two processes meet at about the same time is parsed by both). Once no
    chunk is left, the queued chunks no worker has begun are taken back and done here (the
    worker's queue no longer outlasts this process: at 2,000 feedstocks the two ended 0.05 s
    apart, now 0.01-0.03 s). The chunks of a worker that dies are done again here.
    Repositories whose pinned record still matches their stats are checked here and never
    reach a worker (a re-run with nothing changed starts no process)."""
    repos = _STATE["repos"]
    fresh = pinned_roots(roots, repos, jobs)
    todo = [root for root in roots if root not in fresh]
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    found: dict[str, tuple[str, Row | None, str | None]] = {}

    learned: list[tuple[str, str]] = []  # facts this process parsed, to pass on to workers
    told = 0  # how many of them went out with tasks

    def take(results: list[Result], here: bool = False) -> None:
        for root, row, texts, error in results:
            step()
            found[root] = (root, row, error)
            if texts:
                put_blobs(texts)
                if here and pool.workers:
                    learned.extend(texts.items())

    def submit(chunk: list[str]) -> Future:
        nonlocal told
        news, told = dict(learned[told:]), len(learned)
        return pool.submit(_work, chunk, news)

    with _Pool(min(jobs, len(chunks)) - 1) as pool:
        pending: dict[Future, list[str]] = {}
        left = iter(chunks)
        for chunk in left:
            while pool.workers and len(pending) < AHEAD * pool.workers:
                pending[submit(chunk)] = chunk
                chunk = next(left, None)
                if chunk is None:
                    break
            if chunk is not None:
                take(_work(chunk), here=True)
            for future in [f for f in pending if f.done()]:
                take(pool.result(future, _work, pending.pop(future)))
        while pending:  # no chunk left: take back the last queued ones a worker has not begun
            last = next(reversed(pending))
            if last.cancel():
                take(_work(pending.pop(last)), here=True)
                continue
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                take(pool.result(future, _work, pending.pop(future)))
    for _ in fresh:
        step()
    return [found.get(root) or (root, None, None) for root in roots]


class _Pool:
    """A ``ProcessPoolExecutor`` of ``workers`` forked processes (none when 0); a task whose
    worker died is run again here, and no more tasks go to the broken pool."""

    def __init__(self, workers: int) -> None:
        self.pool = None
        if workers > 0:  # imported only then: a re-run with nothing to scan starts no process
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            self.pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
        self.workers = max(0, workers)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[..., Any], arg: Any, *more: Any) -> Future:
        """``fn(arg, *more)`` in a worker (or ``fn(arg)`` here, when the pool broke)."""
        if self.pool is not None and self.workers:
            from concurrent.futures.process import BrokenProcessPool

            try:
                return self.pool.submit(fn, arg, *more)
            except BrokenProcessPool:
                self._broke()
        future: Future = Future()
        future.set_result(fn(arg))
        return future

    def result(self, future: Future, fn: Callable[[Any], Any], arg: Any) -> Any:
        """The task's result; ``fn(arg)`` run here when its worker died."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            self._broke()
            return fn(arg)

    def _broke(self) -> None:
        if self.workers:
            print("inventory: a worker process failed; doing its share again", file=sys.stderr)
        self.workers = 0
