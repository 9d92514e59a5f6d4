"""Shared fixtures: building the site (or a copy of it) with the project's strict settings."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from siteconfig import DIAGRAMS, DOCS, ROOT, sphinx_build_args


def sphinx_build(
    source: Path, out: Path, *extra: str, jobs: str = "1"
) -> subprocess.CompletedProcess:
    """Run a strict sphinx-build of ``source`` with the real conf.py."""
    args = [sys.executable, "-m", "sphinx", *sphinx_build_args(source, out, jobs=jobs), *extra]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def copy_site(dest: Path) -> Path:
    """Copy docs/ and diagrams/ under ``dest`` (same relative layout); return the docs copy."""
    shutil.copytree(DOCS, dest / "docs", ignore=shutil.ignore_patterns("vendor"))
    shutil.copytree(DOCS / "_static" / "vendor", dest / "docs" / "_static" / "vendor")
    shutil.copytree(DIAGRAMS, dest / "diagrams")
    return dest / "docs"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session (strict); the HTML output folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    proc = sphinx_build(DOCS, out, jobs="auto")
    assert proc.returncode == 0, f"the site build failed:\n{proc.stderr}"
    assert "WARNING" not in proc.stderr, proc.stderr
    return out


# -- Browser tests: Debian's Chromium driven by Playwright, pages served on 127.0.0.1 ----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class _StaticHandler(SimpleHTTPRequestHandler):
    """Serves files quietly, with the JavaScript type for ES modules (.mjs)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
    }

    def log_message(self, *args: object) -> None:
        """Keep test output clean."""


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) from a thread; yield the base URL ending in /."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_StaticHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Factory: ``serve_dir(folder)`` serves it on 127.0.0.1 for the test; returns the URL."""
    with contextlib.ExitStack() as stack:
        yield lambda root: stack.enter_context(serve_directory(root))


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium under Playwright, once per session; fails if it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
            "(apt-get install -y chromium); `nox -s tests` installs it",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "playwright is not installed: pip install -r requirements-test.txt", pytrace=False
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
