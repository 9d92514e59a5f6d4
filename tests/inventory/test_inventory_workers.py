"""Worker processes share the repositories and the parsing: every repository is scanned once,
every distinct new content parsed once across the pool, results come back in order, and a
failed worker's share is done again."""

from __future__ import annotations

import json
import os
import time

import pytest

from infradocs.core.inventory import run as runmod
from infradocs.core.inventory.cache import Cache
from infradocs.core.inventory.facts import Facts
from tests.support.synth import make_org


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return make_org(str(tmp_path_factory.mktemp("org")), 30)


def _scan(roots: list[str], jobs: int) -> tuple[list, dict[str, str], list[str]]:
    """(root, record, error) of each root, the facts found, and the content keys parsed."""
    cache = Cache(None)
    facts: dict[str, str] = {}
    parsed: list[str] = []

    def put(new: dict[str, str]) -> None:
        parsed.extend(new)
        facts.update(new)

    runmod._STATE.update(max_bytes=1 << 20, repos=cache.repos, facts=Facts(cache.blobs))
    try:
        results, broken = runmod._scan_all(roots, jobs, put, Facts(facts))
    finally:
        runmod._STATE.clear()
    assert broken == {}
    return results, facts, parsed


def _entries(results: list, facts: dict[str, str]) -> list[str]:
    """The entries of the records, checked against entries built from all facts at once."""
    known = Facts(facts)
    entries = [r["entry"] for _, r, _ in results]
    assert entries == [runmod.entry_json(r, known) for _, r, _ in results]
    return entries


@pytest.mark.parametrize("parse_bytes", [64 * 1024, 1])  # 1: a parse task per content
def test_every_root_once_in_order_every_content_parsed_once(
    roots: list[str], parse_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", 2)
    monkeypatch.setattr(runmod, "PARSE_BYTES", parse_bytes)
    one, facts, parsed = _scan(roots, 1)
    assert len(parsed) == len(set(parsed)) > 0
    for jobs in (2, 3):
        many, facts_many, parsed_many = _scan(roots, jobs)
        assert [root for root, *_ in many] == roots
        assert sorted(parsed_many) == sorted(parsed)  # each distinct content once in all
        assert facts_many == facts
        assert _entries(many, facts_many) == _entries(one, facts)


PARENT = os.getpid()
REAL_WORK = runmod._work


def _dies_in_a_worker(chunk: list[str]) -> list[runmod.Result]:
    """``_work``, except that a worker process dies as soon as it takes a chunk (module
    level: the pool sends the function to its workers by name)."""
    if os.getpid() != PARENT:
        os._exit(3)
    time.sleep(0.01)
    return REAL_WORK(chunk)


def test_a_failed_worker_share_is_done_again(
    roots: list[str], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", 2)
    monkeypatch.setattr(runmod, "_work", _dies_in_a_worker)
    results, facts, _ = _scan(roots, 2)
    assert [root for root, *_ in results] == roots and all(r[2] is None for r in results)
    assert "a worker process failed" in capfd.readouterr().err
    monkeypatch.setattr(runmod, "_work", REAL_WORK)
    expected, known, _ = _scan(roots, 1)
    assert _entries(results, facts) == _entries(expected, known)


def test_a_content_that_breaks_the_parser_fails_its_repositories_only(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from infradocs.cli import inventory as cli

    roots = make_org(str(tmp_path / "org"), 3)
    bad = os.path.join(roots[-1], ".github", "workflows", "boom.yml")
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    with open(bad, "w") as fh:
        fh.write("on: push\n# boom\n")
    real = runmod.facts_for

    def breaks(kind: str, data: bytes) -> dict:
        if b"# boom" in data:
            raise KeyError("boom")
        return real(kind, data)

    monkeypatch.setattr(runmod, "facts_for", breaks)
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

    monkeypatch.setattr(runmod, "ProcessPoolExecutor", no_pool)
    assert cli.main([*args, str(tmp_path / "again.json"), *roots]) == 0
    assert (tmp_path / "again.json").read_text() == (tmp_path / "first.json").read_text()
    monkeypatch.setattr(runmod, "CHUNK", 1)
    for root in roots[3:5]:  # two changed repositories: two tasks, so the pool is wanted
        with open(os.path.join(root, "conda-forge.yml"), "a") as fh:
            fh.write("# changed\n")
    with pytest.raises(AssertionError, match="a process pool was started"):
        cli.main([*args, str(tmp_path / "changed.json"), *roots])
