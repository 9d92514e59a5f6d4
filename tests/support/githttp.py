"""A local stand-in for GitHub's git hosting: real repositories over git's smart HTTP protocol.

``serve_git(root)`` runs ``git http-backend`` (the CGI program git ships) as the handler of
the tests' local server (``tests.support.httpserver``) on 127.0.0.1, for the tests and the
benchmarks. Repositories are the bare folders ``root/OWNER/NAME.git``; a request for
``/OWNER/NAME`` or ``/OWNER/NAME.git`` reaches them, as on GitHub. Partial clones
(``--filter``) and fetches of any object are allowed, as GitHub allows them. Every request is
logged with its repository, what it asked for (``ls-refs``, ``fetch`` or ``push``) and the
bytes sent back, so a test can count fetches per repository.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.support.httpserver import Server

# Settings the served repositories get (GitHub allows both).
SERVER_CONFIG = {
    "uploadpack.allowFilter": "true",
    "uploadpack.allowAnySHA1InWant": "true",
    "http.receivepack": "true",
}


@dataclass(frozen=True)
class Request:
    """One logged request: repository ``owner/name``, kind of request, bytes sent back."""

    repo: str
    kind: str  # "ls-refs", "fetch", "push", "info" or "other"
    sent: int
    status: int


@dataclass
class Log:
    """Every request the server answered (thread-safe appends)."""

    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    def repos(self, kind: str) -> dict[str, int]:
        """Repository -> number of requests of ``kind``."""
        out: dict[str, int] = {}
        with self.lock:
            for r in self.requests:
                if r.kind == kind:
                    out[r.repo] = out.get(r.repo, 0) + 1
        return out

    def bytes_sent(self, repo: str | None = None) -> int:
        """Bytes of response bodies sent (for one repository, or in all)."""
        with self.lock:
            return sum(r.sent for r in self.requests if repo is None or r.repo == repo)


def _repo_of(path: str) -> tuple[str, str]:
    """(``owner/name``, the path git http-backend sees) of a request path."""
    parts = path.lstrip("/").split("/")
    if len(parts) < 3:
        return "", path
    owner, name = parts[0], parts[1]
    name = name[:-4] if name.endswith(".git") else name
    return f"{owner}/{name}", "/" + "/".join([owner, f"{name}.git", *parts[2:]])


def _kind(method: str, path: str, query: str, body: bytes) -> str:
    if path.endswith("/git-receive-pack") or "service=git-receive-pack" in query:
        return "push"
    if method == "GET" and path.endswith("/info/refs"):
        return "info"
    if method == "POST" and path.endswith("/git-upload-pack"):
        if b"command=ls-refs" in body[:200]:
            return "ls-refs"
        return "fetch"
    return "other"


def _handler(root: str, log: Log) -> type[BaseHTTPRequestHandler]:
    config_env = {"GIT_CONFIG_COUNT": str(len(SERVER_CONFIG))}
    for i, (k, v) in enumerate(SERVER_CONFIG.items()):
        config_env[f"GIT_CONFIG_KEY_{i}"], config_env[f"GIT_CONFIG_VALUE_{i}"] = k, v

    class GitHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:
            """Requests go to the structured log, not to stderr."""

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _serve(self) -> None:
            raw_path, _, query = self.path.partition("?")
            body = self._body() if self.command == "POST" else b""
            if self.headers.get("Content-Encoding", "").lower() == "gzip":
                body = gzip.decompress(body)
            repo, path = _repo_of(raw_path)
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": "/nonexistent",
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
                "GIT_PROJECT_ROOT": root,
                "GIT_HTTP_EXPORT_ALL": "1",
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "REQUEST_METHOD": self.command,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_ADDR": self.client_address[0],
                "REMOTE_USER": "local",
                **config_env,
            }
            if self.headers.get("Git-Protocol"):
                env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
            proc = subprocess.run(
                ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
            )
            head, _, out = proc.stdout.partition(b"\r\n\r\n")
            if not _:
                head, _, out = proc.stdout.partition(b"\n\n")
            status, headers = 200, []
            for line in head.decode("latin-1").splitlines():
                key, _, value = line.partition(":")
                if key.lower() == "status":
                    status = int(value.strip().split()[0])
                elif key:
                    headers.append((key, value.strip()))
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
            log.add(Request(repo, _kind(self.command, raw_path, query, body), len(out), status))

        do_GET = do_POST = _serve

    return GitHandler


@contextmanager
def serve_git(root: str | os.PathLike) -> Iterator[tuple[str, Log]]:
    """Serve the repositories under ``root`` on 127.0.0.1 (a free port); yield (base URL
    ending in '/', the request log)."""
    log = Log()
    with Server(handler=_handler(os.fspath(root), log)) as server:
        yield f"{server.url}/", log
