"""Shared fixtures: the strictly built site, a local server and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sitehelpers import sphinx_build

from infradocs.core.localsite import chromium_path, launch, serve
from infradocs.core.siteconfig import DOCS

# Tests read the plain text that commands print; a CI runner's FORCE_COLOR would add ANSI codes
# to every subprocess (Sphinx, pytest's own children). NO_COLOR wins over FORCE_COLOR.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--bench``: run the benchmark-sized tests (marked ``bench``), which the suite leaves out."""
    parser.addoption("--bench", action="store_true", help="run only the tests marked bench")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Benchmark-sized tests run only with ``--bench`` (and then alone). With pytest-xdist's
    ``--dist loadgroup``, the tests that need the built site run on one worker, so the site is
    built once (each worker builds its own otherwise)."""
    bench = config.getoption("--bench")
    keep = [item for item in items if (item.get_closest_marker("bench") is not None) == bench]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("built-site"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session (strict); the HTML output folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    proc = sphinx_build(DOCS, out, jobs="auto")
    assert proc.returncode == 0, f"the site build failed:\n{proc.stderr}"
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


# -- Browser tests: Debian's Chromium driven by Playwright, pages served on 127.0.0.1 ----------


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Factory: ``serve_dir(folder)`` serves it on 127.0.0.1 for the test; returns the URL."""
    with contextlib.ExitStack() as stack:
        yield lambda root: stack.enter_context(serve(root))


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium under Playwright, once per session; fails if it is missing."""
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
            yield chromium
        finally:
            chromium.close()
