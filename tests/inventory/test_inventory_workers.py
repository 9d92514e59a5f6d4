"""Worker processes share the repositories with the parent: every repository is scanned once,
results come back in order and equal a one-process run's, and a failed worker's share is
done again."""

from __future__ import annotations

import concurrent.futures
import json
import os
import time

import pytest

from infradocs.core.inventory import run as runmod
from infradocs.core.inventory import scan as scanmod
from infradocs.core.inventory.cache import Cache, full
from infradocs.core.inventory.document import dump_repo, repo_entry
from infradocs.core.inventory.facts import Facts
from tests.support.synth import make_org


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return make_org(str(tmp_path_factory.mktemp("org")), 30)


def _scan(roots: list[str], jobs: int) -> tuple[list, dict[str, str]]:
    """(root, new cache row, error) of each root, and the facts found (as JSON text)."""
    cache = Cache(None)
    facts: dict[str, str] = {}

    def put(new: dict[str, str]) -> None:
        for key, text in new.items():
            assert facts.setdefault(key, text) == text  # a content parsed twice says the same

    runmod._STATE.update(max_bytes=1 << 20, repos=cache.repos, facts=Facts(cache.blobs))
    try:
        results = runmod._scan_all(roots, jobs, put)
    finally:
        runmod._STATE.clear()
    return results, facts


@pytest.mark.parametrize("chunk", [2, 32])
def test_every_root_once_in_order_as_one_process_finds_it(
    roots: list[str], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", chunk)
    one, facts = _scan(roots, 1)
    assert [root for root, *_ in one] == roots and all(r[2] is None for r in one)
    assert len(facts) > 10
    for jobs in (2, 3):
        many, facts_many = _scan(roots, jobs)
        assert [root for root, *_ in many] == roots
        assert facts_many == facts
        assert many == one  # the same rows: entries, file lists, signatures


def test_entries_built_where_parsed_equal_entries_of_cached_facts(roots: list[str]) -> None:
    """An entry built by the process that parsed the contents (from the facts as parsed)
    equals one built afresh from the facts read back from the cache's JSON text."""
    results, facts = _scan(roots, 1)
    records = Cache(None).repos
    for root, row, _ in results:
        records.put_row(row)
        record = full(records[root])
        assert dump_repo(repo_entry(record, Facts(facts))) == row[8], root


PARENT = os.getpid()
REAL_WORK = runmod._work


def _dies_in_a_worker(chunk: list[str], known: dict | None = None) -> list[runmod.Result]:
    """``_work``, except that a worker process dies as soon as it takes a chunk (module
    level: the pool sends the function to its workers by name)."""
    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.01)
    return REAL_WORK(chunk, known)


def test_a_failed_worker_share_is_done_again(
    roots: list[str], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", 2)
    monkeypatch.setattr(runmod, "_work", _dies_in_a_worker)
    results, facts = _scan(roots, 2)
    assert [root for root, *_ in results] == roots and all(r[2] is None for r in results)
    assert "a worker process failed" in capfd.readouterr().err
    monkeypatch.setattr(runmod, "_work", REAL_WORK)
    assert (results, facts) == _scan(roots, 1)


def test_a_content_that_breaks_the_parser_fails_its_repositories_only(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from infradocs.cli import inventory as cli

    roots = make_org(str(tmp_path / "org"), 3)
    bad = os.path.join(roots[-1], ".github", "workflows", "boom.yml")
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    with open(bad, "w") as fh:
        fh.write("on: push\n# boom\n")
    real = scanmod.facts_for

    def breaks(kind: str, data: bytes) -> dict:
        if b"# boom" in data:
            raise KeyError("boom")
        return real(kind, data)

    monkeypatch.setattr(scanmod, "facts_for", breaks)
    out = tmp_path / "out.json"
    status = cli.main(["--no-progress", "--jobs", "1", "-o", str(out), *roots])
    err = capsys.readouterr().err
    assert status == 1
    assert f"failed: {roots[-1]}: internal error KeyError: 'boom'" in err
    names = [r["name"] for r in json.loads(out.read_text())["repos"]]
    assert len(names) == len(roots) - 1 and os.path.basename(roots[-1]) not in names


def test_a_rerun_with_nothing_changed_starts_no_process(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infradocs.cli import inventory as cli

    roots = make_org(str(tmp_path / "org"), 70)
    old = time.time() - 3600  # older than the racy window, so stats are trusted
    for dirpath, dirnames, filenames in os.walk(tmp_path / "org"):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (old, old))
    cache = str(tmp_path / "cache")
    args = ["--no-progress", "--jobs", "2", "--cache", cache, "-o"]
    assert cli.main([*args, str(tmp_path / "first.json"), *roots]) == 0

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert cli.main([*args, str(tmp_path / "again.json"), *roots]) == 0
    assert (tmp_path / "again.json").read_text() == (tmp_path / "first.json").read_text()
    monkeypatch.setattr(runmod, "CHUNK", 1)
    for root in roots[3:5]:  # two changed repositories: two tasks, so the pool is wanted
        with open(os.path.join(root, "conda-forge.yml"), "a") as fh:
            fh.write("# changed\n")
    with pytest.raises(AssertionError, match="a process pool was started"):
        cli.main([*args, str(tmp_path / "changed.json"), *roots])


def test_the_garbage_collector_is_restored_after_the_scan() -> None:
    """Thresholds come back; what the scan froze is unfrozen, what others froze stays so."""
    import gc

    if gc.get_freeze_count():
        pytest.skip("something in this process froze objects already")
    threshold = gc.get_threshold()
    with runmod._few_collections():
        assert gc.get_threshold()[0] >= 70_000 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with runmod._few_collections():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_chunks_a_busy_worker_has_not_begun_are_taken_back(
    roots: list[str], tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no chunk is left to hand out, this process runs the chunks still queued for a
    worker that has not begun them, rather than wait for the worker to get through them."""
    parent, real = os.getpid(), runmod._work

    def work(chunk: list[str], known: dict | None = None) -> list:
        if os.getpid() != parent:
            time.sleep(0.5)  # a slow worker: this process is done with its own long before
        with open(tmp_path / str(os.getpid()), "a") as log:
            log.write(f"{len(chunk)}\n")
        return real(chunk, known)

    work.__module__, work.__qualname__ = runmod.__name__, "_work"  # sent by reference
    monkeypatch.setattr(runmod, "_work", work)
    monkeypatch.setattr(runmod, "CHUNK", 1)
    many, _ = _scan(roots, 2)
    assert [root for root, *_ in many] == roots and all(r[2] is None for r in many)
    done = {p.name: len(p.read_text().split()) for p in tmp_path.iterdir()}
    worker = sum(n for pid, n in done.items() if pid != str(parent))
    assert done[str(parent)] + worker == len(roots)
    # Six chunks went to the worker before this process began its own; at most three of them
    # had left the pool's queue (the one it runs and two in its call queue), and this process
    # took the rest back.
    assert worker <= 3 < runmod.AHEAD
