"""Serve the built site on 127.0.0.1, answering missing pages with 404.html like GitHub Pages."""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files from the site directory; the site's own 404 page for anything missing."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Use ``404.html`` of the site for 404s when it exists."""
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
        """Quieter log lines."""
        print(f"{self.address_string()} {format % args}")


def make_server(directory: Path, port: int = 8000) -> ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1:``port`` (0 picks a free port)."""
    handler = partial(SiteHandler, directory=str(directory))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)
