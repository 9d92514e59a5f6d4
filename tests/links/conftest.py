"""A real HTTP server on 127.0.0.1 serving each case the link checker must classify."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PAGE = b'<html><body><h1 id="present">Title</h1><a name="old-style"></a></body></html>'


class Handler(BaseHTTPRequestHandler):
    """Routes by path; counts every request so tests can see what was fetched."""

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        server = self.server
        with server.lock:
            server.hits[path] += 1
            server.log.append((self.command, path))
            n = server.hits[path]
        routes = {
            "/ok": lambda: self._send(200, body=PAGE),
            "/404": lambda: self._send(404),
            "/410": lambda: self._send(410),
            "/403": lambda: self._send(403),
            "/moved": lambda: self._send(301, {"Location": "/ok"}),
            "/temp": lambda: self._send(302, {"Location": "/ok"}),
            "/chain": lambda: self._send(301, {"Location": "/chain2"}),
            "/chain2": lambda: self._send(302, {"Location": "/chain3"}),
            "/chain3": lambda: self._send(307, {"Location": "/ok"}),
            "/chain-404": lambda: self._send(302, {"Location": "/404"}),
            "/loop": lambda: self._send(302, {"Location": "/loop"}),
            "/no-head": lambda: self._send(405 if self.command == "HEAD" else 200, body=PAGE),
        }
        if path in routes:
            routes[path]()
        elif path == "/429":  # rate-limited once, then fine
            self._send(429, {"Retry-After": "1"}) if n == 1 else self._send(200, body=PAGE)
        elif path == "/429-long":
            self._send(429, {"Retry-After": "3600"})
        elif path == "/429-always":  # a host that keeps limiting (lychee gives up after retries)
            self._send(429, {"Retry-After": "1"})
        elif path == "/500-once":
            self._send(500) if n == 1 else self._send(200, body=PAGE)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, body=PAGE)
        else:
            self._send(404)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), Handler)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def serve():
    """Start threaded HTTP servers with the link-check cases: ``serve(host)`` for each."""
    started: list[Server] = []

    def start(host: str = "127.0.0.1") -> Server:
        srv = Server(host)
        threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.shutdown()
        srv.server_close()


@pytest.fixture
def server(serve) -> Server:
    """A threaded HTTP server on 127.0.0.1 with the link-check cases."""
    return serve()


@pytest.fixture
def refused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/nothing"
