"""Run the extractor over many repositories: clone, shard, scan in parallel, cache, assemble.

``jobs`` processes share the scan: this one and ``jobs - 1`` forked workers of a
``concurrent.futures.ProcessPoolExecutor`` take chunks of repositories in turn. For each
repository a process reads and hashes its CI files, parses the contents it has not heard of
(cached, parsed by itself, or told by this process with the task) and builds the entry;
rows of text come back. A content two processes meet before either has told the other is
parsed by both (about 6 % more parsing at 2,000 repositories). The former pool scanned in
the workers, sent every new content to the parent and back to a worker to be parsed once,
and built every entry in the parent while both workers ran.

Where a first run went before this change (cProfile and process CPU times; 2,012
repositories of the second org, one process unless said; the naive floor takes 2.0 s CPU):
reading CI files and the files under .git 0.24 s (no ``git`` process: commit, branch and
origin come from .git's files; but each read asked for 1 MiB, three memory-mapping calls a
file), hashing 0.02 s, loading the 1,271 distinct contents' YAML 0.27 s, matching services
in their strings 0.17-0.25 s (every multi-line script searched whole by each rule whose
needle it held), the other facts 0.05 s, entries 0.08 s, the garbage collector 5-10 % of
it all; with 2 processes the parent also spent 0.14 s building entries, 0.05-0.07 s
unpickling, 0.07 s importing and 0.04 s writing the cache, and the pool's two trips of each
new content, 0.1-0.2 s more. What this change removed: the memory mapping (buffers of the
file's size), most of the service matching (rules tried only where a match can start, see
``services``), two Python calls per YAML node and the tag lookup per plain scalar
(``yamlload``), the second trip and the parent's entries (each process builds its own,
joined from per-workflow pieces and shared by equal facts), the garbage collector's passes
(``_few_collections``), a JSON encoder per call.

Measured with ``benchmarks.inventory`` (2 processes; best of 3 at 2,000 and 5,000, of 2 at
25,000; before and after run one after the other on the same org). Ratio to the naive floor,
wall / CPU, and the load average as each began (the machine was shared: the floor's own CPU
time moved by up to 25 % between neighbouring runs, so single ratios are rough):

=====  =============  =============  =============  =============  =============  ===========
size   org            first, before  first, after   rerun, before  rerun, after   load
=====  =============  =============  =============  =============  =============  ===========
2000   seed 1         0.66 / 0.64    0.65 / 0.56    0.12 / 0.09    0.19 / 0.09    1.56 / 1.05
2000   seed 7, mix 2  1.05 / 0.95    0.71 / 0.61    0.23 / 0.12    0.19 / 0.10    2.05 / 2.16
5000   seed 1         0.84 / 0.75    0.61 / 0.60    0.18 / 0.09    0.14 / 0.09    1.82 / 1.81
5000   seed 7, mix 2  0.79 / 0.70    0.68 / 0.60    0.17 / 0.09    0.16 / 0.08    1.81 / 2.05
25000  seed 1         0.58 / 0.52    0.57 / 0.48    0.10 / 0.05    0.14 / 0.07    1.80 / 1.33
25000  seed 7, mix 2  0.87 / 0.76    0.68 / 0.58    0.16 / 0.08    0.14 / 0.07    1.62 / 1.39
=====  =============  =============  =============  =============  =============  ===========

(mix 2: noarch=0.6,python=0.2,linux_gha=0.6,rattler=0.5,recent=4.0,cfy=1.5,infra=0.006.) The
re-runs after loaded OpenSSL's hashlib at start-up, since fixed (5,000, seed 1, interleaved:
0.41 s CPU against 0.46 s before).
Runs interleaved four times (2,000, seed 1, load 1.1, least CPU of each): naive floor 2.01 s;
before 1.29 s CPU, 0.78 s wall; after 1.16 s CPU, 0.69 s wall (0.58 / 0.66 of the floor);
after with one process 1.18 s (the second process costs no CPU). One process, before and after
(least of 4): 1.12 and 1.10 s at 2,000, 2.76 and 2.52 s at 5,000. The target (0.5x) is met in
CPU at 25,000 on the first org only. What is left is mostly the work itself: reading every
file and the files under .git (about 0.2x the naive floor), and loading the distinct contents,
which are 9-14 % of the files at 2,000 and 5,000 and a third of the bytes (the
infrastructure repositories' large workflows, all different; the second org has half as many
again), 6 % at 25,000; then the serial end in this process (sorting, writing the output and
the cache, whose entries repeat a lot), which keeps wall time above CPU time over two.

That serial end (5,000 repositories, seed 1, first run, 2 processes, ``perf_counter`` around
each step; load 0.6-1.4): after the pool, collecting the results and the rows 0.017 s, saving
the cache 0.08-0.12 s (its rows 0.02 s, SQLite the rest: 23.5 MB, 9.4 MB of it the entries,
every one different as each names its repository), the secret-sync section 0.01 s, writing
the output 0.03 s (already the repositories' encoded text), sorting under 0.01 s; from the
pool's end to the command's 0.22-0.27 s. Now the cache is written in a thread while the output
is written (the worker's core is free by then and SQLite lets go of the GIL; ``finish`` waits
for it), a fresh cache file has 16 kB pages (SQLite's part of the save halved, see ``cache``),
and new rows are no longer parsed back for the outcome: 0.14-0.19 s from the pool's end,
of which 0.03-0.04 s waiting for the cache after the output is written. Writing rows while
the workers still run was not tried: both cores are busy then. Whole runs, two interleaved
rounds of ``benchmarks.inventory`` (best of 3 each; ratio to the naive floor of the same run,
wall / CPU; load average as each began), before and after this change:

=====  =============  ====================  ====================  ====================  ===========
size   org            first, before         first, after          rerun, after          load
=====  =============  ====================  ====================  ====================  ===========
2000   seed 1         0.75/0.67, 0.91/0.77  0.72/0.64, 0.60/0.52  0.20/0.10, 0.17/0.09  0.5-1.6
2000   seed 7, mix 2  0.69/0.60, 0.67/0.59  0.89/0.79, 0.67/0.60  0.20/0.11, 0.20/0.11  1.4-1.9
5000   seed 1         0.69/0.60, 0.48/0.42  0.56/0.50, 0.61/0.56  0.14/0.07, 0.14/0.07  0.7-1.6
5000   seed 7, mix 2  0.71/0.65, 0.64/0.55  0.69/0.63, 0.58/0.53  0.17/0.09, 0.16/0.08  1.3-1.9
=====  =============  ====================  ====================  ====================  ===========

The naive floor itself moved by 20-50 % between neighbouring runs (1.0-1.5 s at 2,000, 2.4-3.6
s at 5,000), more than the 0.05-0.1 s this change takes off a run, so single ratios say little:
the tail's own timings above are the measure of it. 0.5x wall stays unmet at these sizes.

The unchanged re-run (2,008 repositories, seed 1, 2 processes; load 0.7-1.0) was about 11 stat
calls per repository (77 ms), imports (66 ms: PyYAML and the process pool's modules among
them, though nothing is parsed and no pool starts) and the output. Now a forked child checks
every other repository's stats (``pinned``), and PyYAML and ``concurrent.futures.process`` are
imported only when something is parsed or scanned (49 ms of imports): 0.205 / 0.107 of the naive
floor (wall / CPU) before, 0.148 / 0.097 after; the second org 0.141 / 0.094; at 5,000 both
orgs 0.118 / 0.08 (best of 3, same runs as their floors).

First runs again, on a fresh machine (load 1.0-1.5 as each began; best of 3, of 2 at 25,000;
ratio to the naive floor of the same run, wall / CPU), after: six tasks queued per worker
instead of two (``AHEAD``: the worker sat idle while this process parsed a chunk with large
infrastructure workflows), multi-line strings matched line by line (``services``),
absolute-path manifest lines read without regular expressions, the output written in slices.
Before: the same machine before these changes where measured, else the session before's
figures (another machine):

=====  =============  ===================  ==========================
size   org            first, before        first, after (ours / floor)
=====  =============  ===================  ==========================
2000   seed 1         0.64 / 0.58 (here)   0.65 / 0.57 (0.64 / 0.98 s)
2000   seed 7, mix 2  0.70 / 0.62          0.66 / 0.58 (0.63 / 0.95 s)
5000   seed 1         0.58 / 0.52          0.54 / 0.49 (1.25 / 2.33 s)
5000   seed 7, mix 2  0.60 / 0.55          0.58 / 0.54 (1.32 / 2.25 s)
25000  seed 1         0.52 / 0.48          0.44 / 0.44 (5.22 / 11.96 s)
25000  seed 7, mix 2  0.53 / 0.50 (here)   0.53 / 0.51 (5.72 / 10.75 s)
=====  =============  ===================  ==========================

The floor itself moved by up to 17 % between runs here (the 25,000 second org's: 12.55 s
before, 10.75-10.85 s after), so the ratios move as much as these changes do; in seconds the
25,000 second org went from 6.68 s to 5.72 s, and in neighbouring runs with the same floor
(10.83-10.85 s) the queue change alone took it from 6.09 s to 5.78 s. What is left at 2,000 and
5,000 is mostly the work itself: reading every file and the files under .git (0.22-0.23 s of
wall time at 2,000, the read-only floor) and parsing the distinct contents (0.28-0.30 s, the
distinct-only floor with PyYAML's whole constructor; this module's loading is about 0.6 of
that), against a naive floor of 0.95-0.98 s.
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
    last (a content two processes meet at about the same time is parsed by both). The chunks
    of a worker that dies are done again here. Repositories whose pinned record still
    matches their stats are checked here and never reach a worker (a re-run with nothing
    changed starts no process)."""
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
        while pending:
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
