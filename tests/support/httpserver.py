"""The one local HTTP server of the tests and benchmarks: threaded, on 127.0.0.1 (or another
loopback address) at a free port, started and stopped as a context manager.

Its default handler answers from ``routes`` (a path, or a prefix ending in '/', the longest
winning, to a ``Response`` or a function of the ``Request`` returning one; anything else is a
404), after the delay ``delays`` gives that path (matched the same way), and logs every request
as ``(method, path)``. Another handler class (the git smart-HTTP stand-in's) can be plugged in
instead. Static folders are served by the product's ``infradocs.core.localsite.serve``.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Response:
    """What a route answers: status, extra headers and body (HTML unless said otherwise)."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """What a route function sees: the method, the path without its query, the headers and
    how many requests this path has had so far (this one included)."""

    method: str
    path: str
    headers: Message
    count: int


Route = Response | Callable[[Request], Response]
NOT_FOUND = Response(404, b"not found")


def _match(table: Mapping[str, object], path: str) -> object | None:
    """The entry for ``path``: its own, else the longest key ending in '/' that starts it."""
    if path in table:
        return table[path]
    prefixes = [k for k in table if k.endswith("/") and path.startswith(k)]
    return table[max(prefixes, key=len)] if prefixes else None


class Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the server's routes; HEAD gets GET's headers only."""

    protocol_version = "HTTP/1.1"  # keep-alive, like real servers
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        """Requests go to the server's log, not to stderr."""

    def _answer(self) -> None:
        path = self.path.split("?")[0]
        count = self.server.record(self.command, path)
        delay = _match(self.server.delays, path)
        if delay:
            time.sleep(float(delay))  # type: ignore[arg-type]
        route = _match(self.server.routes, path) or NOT_FOUND
        if callable(route):
            route = route(Request(self.command, path, self.headers, count))
        self.send_response(route.status)
        for key, value in route.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(route.body)

    do_GET = do_HEAD = _answer


class Server(ThreadingHTTPServer):
    """A threaded server on ``host`` (a free port) with a thread-safe request log; ``with``
    starts and stops it."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(
        self,
        routes: Mapping[str, Route] | None = None,
        delays: Mapping[str, float] | None = None,
        host: str = "127.0.0.1",
        handler: type[BaseHTTPRequestHandler] = Handler,
    ) -> None:
        self.routes = dict(routes or {})
        self.delays = dict(delays or {})
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[str, str]] = []
        super().__init__((host, 0), handler)

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, without a trailing '/'."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def record(self, method: str, path: str) -> int:
        """Log one request; how many ``path`` has had, this one included."""
        with self.lock:
            self.hits[path] += 1
            self.log.append((method, path))
            return self.hits[path]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that drops its connection (a tool finishing) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def __enter__(self) -> Server:
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
