"""Run the extractor over many repositories: clone, shard, scan in parallel, cache, assemble.

The workers are a ``concurrent.futures.ProcessPoolExecutor`` (fork context, so they share the
cache and the parsers the parent loaded; ``_init`` sets up each worker's state once). Two
passes: chunks of repositories are scanned (read, hashed), then each distinct new content is
parsed once across the pool, in small tasks, while the parent builds the entries. The former
hand-written fork/pipe pool split repositories only, so both processes parsed contents they
shared, and the chunk holding the infrastructure repositories (most of the new text) kept
one process busy while the other idled.

Measured with ``benchmarks.inventory`` (best of 3, 2 processes; the machine was shared, load
average 10-18, so wall times swing with the load: CPU ratios are the steadier figure). Ratio
to the naive floor, wall / CPU, before (hand-written pool, tab-separated cache) and after:

=====  =====================  ===============  ===============  ===============  ===============
size   org                    first, before    first, after     re-run, before   re-run, after
=====  =====================  ===============  ===============  ===============  ===============
2000   seed 1, default mix    0.53 / 0.75      0.88 / 0.73      0.11 / 0.11      0.22 / 0.13
2000   seed 7, second mix     1.58 / 0.87      0.52 / 0.80      0.23 / 0.12      0.05 / 0.14
5000   seed 1, default mix    0.60 / 0.72      0.76 / 0.71      0.08 / 0.09      0.07 / 0.09
5000   seed 7, second mix     FILL             FILL             FILL             FILL
=====  =====================  ===============  ===============  ===============  ===============

(second mix: noarch=0.6,python=0.2,linux_gha=0.6,rattler=0.5,recent=4.0,cfy=1.5,infra=0.006.)
On an idle machine before the change (2,000, seed 1): 0.65 / 0.73 first run, 0.09 / 0.11
re-run. The pool costs no more CPU than the hand-written one (its pickling and the second
trip of new contents take what parsing each content once saves); an unchanged re-run starts
no process at all (pinned records are checked in the parent), so it costs what it did
(0.23-0.25 s CPU against 0.23 s at 2,000). First-run CPU stays near 0.7x the naive floor:
what is left is the extractor's own work (reading and hashing every file, parsing and
walking every distinct content, building each entry), not the pool.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, NamedTuple

from infradocs.core.inventory.cache import Cache, detail_json, facts_json
from infradocs.core.inventory.document import dump_repo, repo_entry
from infradocs.core.inventory.facts import Facts
from infradocs.core.inventory.gitmeta import name_from_url, redact
from infradocs.core.inventory.progress import Progress
from infradocs.core.inventory.scan import NotAFolder, entry_json, facts_for, scan_repo, still_pinned
from infradocs.core.inventory.sources import Source, clone

CHUNK = 64  # repositories per scan task
PARSE_BYTES = 64 * 1024  # bytes of new contents per parse task
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


# Set in the parent before the worker processes fork, so they share them without copying.
_STATE: dict = {}
# Per worker (see ``_init``): content keys already sent to the parent to be parsed.
_SENT: set[str] = set()

# One scan result: (root, new record or None when the cached one stands, new contents as
# (kind, bytes) by content key, error).
Result = tuple[str, dict | None, dict[str, tuple[str, bytes]], str | None]
# One parse result: (content key, its facts as JSON text or None, error or None).
Parsed = tuple[str, str | None, str | None]


def _init() -> None:
    """Per-worker state, set up once when the worker starts (the parsers are imported and the
    cache is read in the parent before it forks)."""
    _SENT.clear()


def _work(roots: list[str]) -> list[Result]:
    """Scan roots: read and hash their CI files, parse nothing. Unchanged repositories come
    back as None (the parent has their cached record), and a content this worker sent before
    is not sent again, so little crosses the process boundary."""
    facts: Facts = _STATE["facts"]
    out: list[Result] = []
    for root in roots:
        try:
            cached = _STATE["repos"].get(root)
            record, new = scan_repo(root, _STATE["max_bytes"], cached, facts, parse=False)
        except NotAFolder:
            out.append((root, None, {}, NOT_A_FOLDER))
            continue
        except Exception as exc:  # a bug for one repository must not lose the rest
            out.append((root, None, {}, f"internal error {type(exc).__name__}: {exc}"))
            continue
        # Serialised here, in the worker: the parent only stores the texts.
        if record is not None and "detail" not in record:
            record["detail"] = detail_json(record)
        new = {k: v for k, v in new.items() if k not in _SENT}
        _SENT.update(new)
        out.append((root, record, new, None))
    return out


def _parse(items: list[tuple[str, str, bytes]]) -> list[Parsed]:
    """Facts (as the cache keeps them) of distinct contents: (key, kind, bytes) each."""
    out: list[Parsed] = []
    for key, kind, data in items:
        try:
            out.append((key, facts_json(facts_for(kind, data)), None))
        except Exception as exc:  # a bug for one content must not lose the rest
            out.append((key, None, f"internal error {type(exc).__name__}: {exc}"))
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
    facts = Facts(cache.blobs)
    _STATE.update(max_bytes=settings.max_bytes, repos=cache.repos, facts=facts)
    bar = Progress(len(roots), enabled=settings.progress)
    try:
        results, broken = _scan_all(roots, settings.jobs, cache.put_blobs, facts, bar.step)
    finally:
        _STATE.clear()
    for root, record, error in results:
        if error == NOT_A_FOLDER:
            outcome.failures.append(f"{where.get(root, 'command line')}: {root!r} {error}")
            continue
        if error:
            outcome.failures.append(f"{root}: {error}")
            continue
        if record is None:
            record = cache.repos[root]
        else:
            if "entry" not in record:  # one of its contents broke the parser
                bad = [broken[f[2]] for f in record["files"] if f[2] in broken]
                outcome.failures.append(f"{root}: {bad[0] if bad else 'internal error'}")
                continue
            cache.put_repo(record)
        outcome.repos.append((record["name"], record["commit"] or "", record["entry"]))
        outcome.sources.append(
            {"name": record["name"], "origin": record["origin"], "commit": record["commit"]}
        )
        outcome.roots[record["name"]] = root
    bar.close()
    try:
        cache.save()
    except OSError as exc:
        print(f"inventory: could not write cache: {exc}", file=sys.stderr)
    return outcome


def _scan_all(
    roots: list[str],
    jobs: int,
    put_blobs: Callable[[dict[str, str]], None],
    facts: Facts,
    step: Callable[[], None] = lambda: None,
) -> tuple[list[tuple[str, dict | None, str | None]], dict[str, str]]:
    """(root, record with its entry, error) for all roots, in order, and the contents whose
    parse failed (key -> error). Two passes over one pool of ``jobs`` forked workers: chunks
    of roots are scanned (read and hashed), then the distinct new contents they found are
    parsed, each once across the pool, in tasks of about ``PARSE_BYTES`` (a big
    infrastructure repository does not hold one worker up). Facts go to ``put_blobs`` as JSON
    text (``facts`` must then know them); entries are built here while the workers parse.
    The work of a worker that dies is done again here. Repositories whose pinned record
    still matches their stats are checked here and never reach the pool (a re-run with
    nothing changed starts no process)."""
    repos = _STATE["repos"]
    fresh = {root for root in roots if still_pinned(root, repos.get(root))}  # no pool for them
    todo = [root for root in roots if root not in fresh]
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    found: dict[str, tuple[str, dict | None, str | None]] = {}
    broken: dict[str, str] = {}
    with _Pool(min(jobs, len(chunks))) as pool:
        scans = [(chunk, pool.submit(_work, chunk)) for chunk in chunks]
        parses: list[tuple[list, Future]] = []
        batch: list[tuple[str, str, bytes]] = []
        size = 0
        queued: set[str] = set()
        waiting = _Waiting(facts)
        for chunk, future in scans:
            for root, record, new, error in pool.result(future, _work, chunk):
                step()
                found[root] = (root, record, error)
                if record is not None and "entry" not in record:
                    waiting.add(record)
                for key, (kind, data) in new.items():
                    if key in queued:
                        continue
                    queued.add(key)
                    batch.append((key, kind, data))
                    size += len(data)
                    if size >= PARSE_BYTES:
                        parses.append((batch, pool.submit(_parse, batch)))
                        batch, size = [], 0
        if batch:
            parses.append((batch, pool.submit(_parse, batch)))
        for batch, future in parses:
            done = pool.result(future, _parse, batch)
            put_blobs({key: text for key, text, _ in done if text is not None})
            broken.update((key, error) for key, _, error in done if error)
            waiting.known(key for key, text, _ in done if text is not None)
    for _ in fresh:
        step()
    return [found.get(root) or (root, None, None) for root in roots], broken


class _Waiting:
    """Records whose entry waits for facts still being parsed; each entry is built as soon as
    the facts of all its contents are known."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.by_key: dict[str, list[dict]] = {}
        self.left: dict[int, int] = {}  # id of a waiting record -> contents still unknown

    def add(self, record: dict) -> None:
        """Build the record's entry now, or when its last unknown content is parsed."""
        keys = {f[2] for f in record["files"] if f[2] is not None and f[2] not in self.facts}
        if not keys:
            record["entry"] = entry_json(record, self.facts)
            return
        self.left[id(record)] = len(keys)
        for key in keys:
            self.by_key.setdefault(key, []).append(record)

    def known(self, keys: Iterable[str]) -> None:
        """The facts of ``keys`` are known now: build the entries that waited only for them."""
        for key in keys:
            for record in self.by_key.pop(key, ()):
                self.left[id(record)] -= 1
                if not self.left[id(record)]:
                    del self.left[id(record)]
                    record["entry"] = entry_json(record, self.facts)


class _Pool:
    """A ``ProcessPoolExecutor`` of forked workers (``jobs`` > 1) or this process; a task whose
    worker died is run again here."""

    def __init__(self, jobs: int) -> None:
        self.pool = (
            ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init)
            if jobs > 1
            else None
        )
        self.failed = False
        _init()  # this process scans too when the pool breaks

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future:
        """``fn(arg)`` in a worker (or here, when there are none or the pool broke)."""
        if self.pool is not None and not self.failed:
            try:
                return self.pool.submit(fn, arg)
            except BrokenProcessPool:
                self._broke()
        future: Future = Future()
        future.set_result(fn(arg))
        return future

    def result(self, future: Future, fn: Callable[[Any], Any], arg: Any) -> Any:
        """The task's result; ``fn(arg)`` run here when its worker died."""
        try:
            return future.result()
        except BrokenProcessPool:
            self._broke()
            return fn(arg)

    def _broke(self) -> None:
        if not self.failed:
            print("inventory: a worker process failed; doing its share again", file=sys.stderr)
        self.failed = True
