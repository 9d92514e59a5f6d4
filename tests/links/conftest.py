"""A real HTTP server on 127.0.0.1 serving each case the link checker must classify."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator

import pytest

from tests.support.httpserver import Request, Response, Server

PAGE = b'<html><body><h1 id="present">Title</h1><a name="old-style"></a></body></html>'
OK = Response(200, PAGE)


def _redirect(code: int, to: str) -> Response:
    return Response(code, headers={"Location": to})


def _once(first: Response) -> Callable[[Request], Response]:
    """``first`` for a path's first request, the page after (rate-limited or failing once)."""
    return lambda r: first if r.count == 1 else OK


# Each case by path; every request is logged (``server.log``, ``server.hits``).
ROUTES = {
    "/ok": OK,
    "/404": Response(404),
    "/410": Response(410),
    "/403": Response(403),
    "/moved": _redirect(301, "/ok"),
    "/temp": _redirect(302, "/ok"),
    "/chain": _redirect(301, "/chain2"),
    "/chain2": _redirect(302, "/chain3"),
    "/chain3": _redirect(307, "/ok"),
    "/chain-404": _redirect(302, "/404"),
    "/loop": _redirect(302, "/loop"),
    "/no-head": lambda r: Response(405) if r.method == "HEAD" else OK,
    "/429": _once(Response(429, headers={"Retry-After": "1"})),
    "/429-long": Response(429, headers={"Retry-After": "3600"}),
    # a host that keeps limiting (lychee gives up after retries)
    "/429-always": Response(429, headers={"Retry-After": "1"}),
    "/500-once": _once(Response(500)),
    "/slow": OK,
}
DELAYS = {"/slow": 3.0}


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """Start threaded HTTP servers with the link-check cases: ``serve(host)`` for each."""
    with contextlib.ExitStack() as stack:
        yield lambda host="127.0.0.1": stack.enter_context(Server(ROUTES, DELAYS, host))


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
