"""The tests' local HTTP server: routes by path or prefix, per-path delays, a request log, and
another handler plugged in."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler

from tests.support.httpserver import Response, Server


def _get(url: str, method: str = "GET") -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method)) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def test_routes_prefixes_functions_and_the_log() -> None:
    routes = {
        "/": Response(200, b"any"),
        "/a/": Response(200, b"prefix a"),
        "/a/exact": Response(201, b"exact", {"X-Case": "1"}),
        "/count": lambda r: Response(200, f"{r.method} {r.count}".encode()),
    }
    with Server(routes) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert _get(server.url + "/a/exact?q=1")[:2] == (201, b"exact")
        assert _get(server.url + "/a/exact")[2]["X-Case"] == "1"
        assert _get(server.url + "/a/other")[1] == b"prefix a"
        assert _get(server.url + "/elsewhere")[1] == b"any"
        assert _get(server.url + "/count")[1] == b"GET 1"
        status, body, headers = _get(server.url + "/count", "HEAD")
        assert status == 200 and body == b"" and headers["Content-Length"] == str(len("HEAD 2"))
        assert server.log[-2:] == [("GET", "/count"), ("HEAD", "/count")]
        assert server.hits["/a/exact"] == 2


def test_unrouted_paths_are_404_and_delays_apply_by_prefix() -> None:
    with Server({"/slow/": Response(200, b"late")}, {"/slow/": 0.4}) as server:
        assert _get(server.url + "/nothing")[0] == 404
        start = time.perf_counter()
        assert _get(server.url + "/slow/1")[1] == b"late"
        assert time.perf_counter() - start >= 0.4


def test_another_handler_can_be_plugged_in() -> None:
    class Teapot(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(418)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with Server(handler=Teapot) as server:
        assert _get(server.url + "/x")[0] == 418
    assert server.socket.fileno() == -1  # closed on leaving the block
