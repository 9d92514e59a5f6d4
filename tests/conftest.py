"""Shared fixtures: the strictly built site, a local server and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitehelpers import build_planted, once, shared_root, sphinx_build

from infradocs.core.localsite import chromium_path, launch, serve
from infradocs.core.siteconfig import DOCS

# Tests read the plain text that commands print; a CI runner's FORCE_COLOR would add ANSI codes
# to every subprocess (Sphinx, pytest's own children). NO_COLOR wins over FORCE_COLOR.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--bench``: run the benchmark-sized tests (marked ``bench``), which the suite leaves out."""
    parser.addoption("--bench", action="store_true", help="run only the tests marked bench")


# Session fixtures each made once per run and shared by the workers (tests/sitehelpers.py once).
SHARED_BUILDS = ("built_site", "planted_build")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Benchmark-sized tests run only with ``--bench`` (and then alone). The order suits
    pytest-xdist's ``--dist load``, which hands tests out in this order: first one test for
    each shared build (the workers make them side by side), then the tests that need none (the
    slow ones first, so none is left for last), then the rest of the builds' tests."""
    bench = config.getoption("--bench")
    keep = [item for item in items if (item.get_closest_marker("bench") is not None) == bench]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)

    def uses(item: pytest.Item) -> set[str]:
        return set(SHARED_BUILDS) & set(getattr(item, "fixturenames", ()))

    def rank(item: pytest.Item) -> int:
        if uses(item):
            return 2
        return 0 if item.get_closest_marker("slow") else 1

    ordered = sorted(keep, key=rank)  # stable: each module's tests stay in their order
    firsts = [next((i for i in ordered if name in uses(i)), None) for name in SHARED_BUILDS]
    firsts = [item for item in dict.fromkeys(firsts) if item is not None]
    items[:] = firsts + [item for item in ordered if item not in firsts]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test run (strict) and shared by every pytest-xdist worker;
    the HTML output folder."""

    def build(folder: Path) -> dict:
        proc = sphinx_build(DOCS, folder / "html", jobs="auto")
        return {"returncode": proc.returncode, "stderr": proc.stderr}

    folder, result = once(shared_root(tmp_path_factory), "site", build)
    assert result["returncode"] == 0, f"the site build failed:\n{result['stderr']}"
    assert "WARNING" not in result["stderr"], result["stderr"]
    return folder / "html"


@pytest.fixture(scope="session")
def planted_build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A copy of the site with one mistake of each kind planted, built once per test run
    (strict, ``--keep-going``): its exit status, output and where each mistake is."""
    return once(shared_root(tmp_path_factory), "planted", build_planted)[1]


# -- Browser tests: Debian's Chromium driven by Playwright, pages served on 127.0.0.1 ----------


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Factory: ``serve_dir(folder)`` serves it on 127.0.0.1 for the test; returns the URL."""
    with contextlib.ExitStack() as stack:
        yield lambda root: stack.enter_context(serve(root))


# Every wait of the browser tests is for a condition, never for a time. Playwright still wants a
# bound: this one only stops a test that hangs, far beyond what any wait takes on a busy machine
# (Playwright's default is 30 s).
HANG = 600_000


class PatientBrowser:
    """The session's Chromium; its pages and contexts wait up to HANG instead of 30 s."""

    def __init__(self, chromium) -> None:
        self._chromium = chromium

    def new_context(self, **kwargs):
        """A new context whose waits are bounded by HANG only."""
        context = self._chromium.new_context(**kwargs)
        context.set_default_timeout(HANG)
        return context

    def new_page(self, **kwargs):
        """A new page (in a context of its own) whose waits are bounded by HANG only."""
        page = self._chromium.new_page(**kwargs)
        page.context.set_default_timeout(HANG)
        return page

    def __getattr__(self, name: str):
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium under Playwright, once per session; fails if it is missing.
    (Its pages wait for conditions up to HANG.)"""
    try:
        chromium_path()
        from playwright.sync_api import sync_playwright
    except (RuntimeError, ImportError) as exc:
        pytest.fail(
            f"the browser tests cannot run: {exc}; `nox -s tests` installs both", pytrace=False
        )
    with sync_playwright() as pw:
        chromium = launch(pw)
        try:
            yield PatientBrowser(chromium)
        finally:
            chromium.close()
