"""Run the extractor over many repositories: clone, shard, scan in parallel, cache, assemble."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import NamedTuple

from infradocs.core.inventory.cache import Cache, detail_json, facts_json
from infradocs.core.inventory.document import dump_repo, repo_entry
from infradocs.core.inventory.facts import Facts
from infradocs.core.inventory.gitmeta import name_from_url, redact
from infradocs.core.inventory.progress import Progress
from infradocs.core.inventory.scan import NotAFolder, scan_repo
from infradocs.core.inventory.sources import Source, clone

CHUNK = 32
# Chunk numbers (4 bytes each) written to the queue pipe at once; more are fed by a thread.
QUEUE_BYTES = 32_768
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

# One worker result: (root, new record or None when the cached one stands, new facts as
# JSON text by content key, error).
Result = tuple[str, dict | None, dict[str, str], str | None]


def _work(roots: list[str]) -> list[Result]:
    """Scan roots in this process; unchanged repositories come back as None (the parent has
    their cached record), so almost nothing crosses the process boundary on a re-run."""
    facts: Facts = _STATE["facts"]
    out: list[Result] = []
    for root in roots:
        try:
            record, new = scan_repo(root, _STATE["max_bytes"], _STATE["repos"].get(root), facts)
        except NotAFolder:
            out.append((root, None, {}, NOT_A_FOLDER))
            continue
        except Exception as exc:  # a bug for one repository must not lose the rest
            out.append((root, None, {}, f"internal error {type(exc).__name__}: {exc}"))
            continue
        # Serialised here, in the worker: the parent only stores the texts.
        if record is not None and "detail" not in record:
            record["detail"] = detail_json(record)
        out.append((root, record, {k: facts_json(v) for k, v in new.items()}, None))
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
    for root, record, new, error in _scan_all(roots, settings.jobs):
        bar.step()
        if error == NOT_A_FOLDER:
            outcome.failures.append(f"{where.get(root, 'command line')}: {root!r} {error}")
            continue
        if error:
            outcome.failures.append(f"{root}: {error}")
            continue
        if new:
            cache.put_blobs(new)
        if record is None:
            record = cache.repos[root]
        else:
            cache.put_repo(record)
        outcome.repos.append((record["name"], record["commit"] or "", record["entry"]))
        outcome.sources.append(
            {"name": record["name"], "origin": record["origin"], "commit": record["commit"]}
        )
        outcome.roots[record["name"]] = root
    bar.close()
    _STATE.clear()
    try:
        cache.save()
    except OSError as exc:
        print(f"inventory: could not write cache: {exc}", file=sys.stderr)
    return outcome


def _scan_all(roots: list[str], jobs: int) -> Iterator[Result]:
    """Results for all roots, in order: this process and ``jobs - 1`` forked children take
    chunks from a shared queue (a pipe of chunk numbers) until it is empty, so a process that
    drew heavy repositories takes fewer; children send their results back through a pipe.
    Lighter than a process pool (a re-run is over in a fraction of a second); the chunks of a
    child that fails are scanned again here."""
    import struct

    chunks = [roots[i : i + CHUNK] for i in range(0, len(roots), CHUNK)]
    jobs = min(jobs, len(chunks))
    if jobs <= 1:
        for chunk in chunks:
            yield from _work(chunk)
        return
    queue, fill = os.pipe()
    numbers = b"".join(struct.pack("<I", i) for i in range(len(chunks)))
    writer = None
    if len(numbers) > QUEUE_BYTES:  # more than a pipe holds at once: a thread feeds it
        import threading

        writer = threading.Thread(target=_feed, args=(fill, numbers), daemon=True)
        writer.start()
    else:
        _feed(fill, numbers)
    # A child must not hold the feeding thread's end open: it would never see the queue end.
    children = [_fork(chunks, queue, fill if writer else None) for _ in range(jobs - 1)]
    done = {i: _work(chunks[i]) for i in _take(queue)}
    if writer is not None:
        writer.join()
    os.close(queue)
    for pid, fd in children:
        results = _collect(pid, fd)
        if results is None:
            print("inventory: a worker process failed; scanning its share again", file=sys.stderr)
        else:
            done.update(results)
    for i, chunk in enumerate(chunks):
        yield from done[i] if i in done else _work(chunk)


def _feed(fd: int, data: bytes) -> None:
    """Write ``data`` to the queue pipe and close it (readers then see its end)."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _take(queue: int) -> Iterator[int]:
    """Chunk numbers taken from the shared queue until it is empty (reads of 4 bytes from a
    pipe are atomic: each number goes to one process)."""
    import struct

    while len(data := os.read(queue, 4)) == 4:
        yield struct.unpack("<I", data)[0]


def _fork(chunks: list[list[str]], queue: int, feeding: int | None) -> tuple[int, int]:
    """(pid, read end of its pipe) of a child that scans chunks taken from ``queue`` and
    writes their pickled results, by chunk number (``feeding``: the queue's write end, which
    the child closes)."""
    import pickle

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read)
            if feeding is not None:
                os.close(feeding)
            data = pickle.dumps({i: _work(chunks[i]) for i in _take(queue)}, protocol=5)
            with os.fdopen(write, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(pid: int, fd: int) -> dict[int, list[Result]] | None:
    """The child's results, or None when it failed."""
    import pickle

    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    return pickle.loads(data)
