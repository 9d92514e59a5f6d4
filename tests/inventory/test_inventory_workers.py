"""Worker processes share the repositories through a queue: every repository is scanned once,
results come back in order, and a failed worker's share is scanned again."""

from __future__ import annotations

import os
import time

import pytest

from infradocs.core.inventory import run as runmod
from tests.support.synth import make_org


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return make_org(str(tmp_path_factory.mktemp("org")), 30)


def _scan(roots: list[str], jobs: int) -> list[runmod.Result]:
    from infradocs.core.inventory.cache import Cache
    from infradocs.core.inventory.facts import Facts

    cache = Cache(None)
    runmod._STATE.update(max_bytes=1 << 20, repos=cache.repos, facts=Facts(cache.blobs))
    try:
        return list(runmod._scan_all(roots, jobs))
    finally:
        runmod._STATE.clear()


def _names(results: list[runmod.Result]) -> list[str]:
    return [root for root, *_ in results]


@pytest.mark.parametrize("queue_bytes", [32_768, 8])  # 8: the queue is fed by a thread
def test_every_root_once_in_order_whatever_the_jobs(
    roots: list[str], queue_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", 2)
    monkeypatch.setattr(runmod, "QUEUE_BYTES", queue_bytes)
    one = _scan(roots, 1)
    for jobs in (2, 3):
        many = _scan(roots, jobs)
        assert _names(many) == roots
        assert [r[1]["entry"] for r in many] == [r[1]["entry"] for r in one]


def test_a_failed_worker_share_is_scanned_again(
    roots: list[str], monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runmod, "CHUNK", 2)
    parent = os.getpid()
    real = runmod._work

    def flaky(chunk: list[str]) -> list[runmod.Result]:
        if os.getpid() != parent:
            os._exit(3)  # the worker dies after taking a chunk
        time.sleep(0.05)  # slow here, so the worker surely takes some chunks
        return real(chunk)

    monkeypatch.setattr(runmod, "_work", flaky)
    results = _scan(roots, 2)
    assert _names(results) == roots and all(r[3] is None for r in results)
    assert "a worker process failed" in capfd.readouterr().err
