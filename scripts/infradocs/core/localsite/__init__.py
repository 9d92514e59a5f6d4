"""Serve a built site on 127.0.0.1 (the project's one static server: tests, renders and the
versioned site's preview) and open it in Debian's headless Chromium."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files of a built site; its own ``404.html`` for anything missing, as GitHub Pages
    answers; quiet unless ``verbose``."""

    extensions_map = {  # noqa: RUF012
        **SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".pf_meta": "application/octet-stream",
    }
    verbose = False

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a 404 with the site's ``404.html`` when it has one."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """One line per request when verbose (the preview), none otherwise (tests, renders)."""
        if self.verbose:
            print(f"{self.address_string()} {format % args}")


class _VerboseHandler(SiteHandler):
    verbose = True


def make_server(directory: Path, port: int = 0, verbose: bool = False) -> ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1:``port`` (0 picks a free port)."""
    handler = functools.partial(
        _VerboseHandler if verbose else SiteHandler, directory=str(directory)
    )
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (a free port); yield the base URL ending in '/'."""
    server = make_server(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    """Debian's Chromium; a clear error when it is not installed."""
    path = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not path:
        raise RuntimeError("Debian's chromium is not installed: apt-get install -y chromium")
    return path


def launch(playwright):
    """Launch headless Chromium with Playwright, never a downloaded browser."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
