"""Benchmark of the org-wide refresh on the local stand-in for GitHub (``nox -s bench-org``).

1. Fetch: bytes the server sent and seconds per repository, the sparse clone (``fetch``)
   against a plain ``git clone --depth 1`` of the same repositories, one at a time, in
   alternating order.
2. Refresh: list, every shard and merge (the workflow's steps) against one process over the
   same sources, with the time and requests of each shard; then 2 % of the feedstocks change
   and the shards run again from their caches.
3. Publishing: what the org-wide snapshot adds to a real (one-page) site build, with the data
   merge derives from it and without, and the size of the explorer's data.
Figures are printed with the load average; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import load, measure, ratio
from infradocs.cli import org
from infradocs.core.inventory.fetch import plain_clone, refresh
from infradocs.core.inventory.sources import FEEDSTOCKS
from tests.support.githttp import serve_git
from tests.support.standin import StandIn


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def fetch_figures(base: Path, url: str, log, names: list[str]) -> None:
    """Sparse clone vs ``git clone --depth 1`` per repository: bytes sent, seconds, disk."""
    rows: dict[str, dict[str, list]] = {
        k: {"bytes": [], "s": [], "disk": [], "requests": []} for k in ("sparse", "plain")
    }
    for i, name in enumerate(names):
        order = ("sparse", "plain") if i % 2 == 0 else ("plain", "sparse")
        for how in order:
            dest = base / how / name.replace("/", "+")
            log.clear()
            run = measure(
                lambda how=how, name=name, dest=dest: (
                    refresh(url + name, str(dest))[1]
                    if how == "sparse"
                    else plain_clone(url + name, str(dest))
                )
            ).best
            if run.value:
                raise RuntimeError(f"{how} {name}: {run.value}")
            rows[how]["s"].append(run.seconds)
            rows[how]["bytes"].append(log.bytes_sent())
            rows[how]["requests"].append(len(log.requests))
            rows[how]["disk"].append(_du(dest))
            shutil.rmtree(dest)
    med = statistics.median
    print(f"\n1. Fetch, {len(names)} feedstocks one at a time (load {load()})")
    print(f"{'':28}{'median':>10}{'mean':>10}{'p90':>10}{'total':>12}")
    for key, unit, scale in (
        ("bytes", "KiB sent", 1024),
        ("s", "s", 1),
        ("requests", "HTTP requests", 1),
        ("disk", "KiB on disk", 1024),
    ):
        for how in ("sparse", "plain"):
            v = [x / scale for x in rows[how][key]]
            p90 = sorted(v)[int(0.9 * (len(v) - 1))]
            print(
                f"{how + ' ' + unit:28}{med(v):10.2f}{statistics.mean(v):10.2f}"
                f"{p90:10.2f}{sum(v):12.1f}"
            )
        sparse_plain = ratio(sum(rows["sparse"][key]), sum(rows["plain"][key]))
        print(f"{'  sparse / depth-1 clone':28}{sparse_plain:>10}")


def refresh_figures(
    base: Path, url: str, log, site: StandIn, feedstocks: list[str], audit: bool = False
) -> Path:
    """Sharded (the workflow's steps) vs one process; then a 2 % change. The merged file."""
    out, caches = base / "org", base / "caches"
    count = org.shard_count()
    print(
        f"\n2. Refresh of {len(feedstocks)} feedstocks + the manifest, {count} shards, "
        f"audit {'on' if audit else 'off'} (load {load()})"
    )
    org.list_sources(out, url, org.MANIFEST)
    log.clear()
    single_s = measure(lambda: org.shard(None, out, base / "single-cache", url, audit)).best.seconds
    print(f"one process: {single_s:.1f} s, {len(log.repos('fetch'))} repositories fetched")
    for rnd in ("first run (empty caches)", "after 2 % changed (caches restored)"):
        if rnd.startswith("after"):
            changed = random.Random(5).sample(feedstocks, max(1, len(feedstocks) // 50))
            site.change(changed)
            for f in out.glob("shard-*.json"):
                f.unlink()
        log.clear()
        times = []
        for i in range(1, count + 1):
            shard = measure(lambda i=i: org.shard(i, out, caches / f"shard-{i}", url, audit))
            times.append(shard.best.seconds)
        merge_s = measure(lambda: org.merge(out)).best.seconds
        fetched = set(log.repos("fetch")) - {FEEDSTOCKS}
        print(
            f"{rnd}: shards {sum(times):.1f} s in all, per shard median "
            f"{statistics.median(times):.1f} s (max {max(times):.1f}); merge {merge_s:.1f} s; "
            f"{len(fetched)} repositories fetched, {len(log.repos('ls-refs'))} ls-remote'd, "
            f"{log.bytes_sent() / 2**20:.1f} MiB sent"
        )
        if rnd.startswith("first"):
            same = (out / "single.json").read_bytes() == (out / org.SNAPSHOT).read_bytes()
            print(f"  merged == one process, byte for byte: {same}")
        else:
            print(f"  fetched exactly the changed ones: {fetched == set(changed)}")
    sizes = [_du(caches / f"shard-{i}") for i in range(1, count + 1)]
    print(f"  cache per shard (actions/cache): median {statistics.median(sizes) / 2**20:.1f} MiB")
    return out / org.SNAPSHOT


def _scaled(doc: dict, count: int) -> dict:
    """The stand-in's entries repeated under new names and commits up to ``count``
    repositories: feedstock-like entries at org size without fetching 25,000 repositories."""
    rng = random.Random(7)
    repos = []
    for i in range(count):
        repo = dict(doc["repos"][i % len(doc["repos"])])
        repo["name"] = f"{repo['name']}-{i // len(doc['repos'])}"
        repo["commit"] = f"{rng.getrandbits(160):040x}"
        repos.append(repo)
    sources = [{"name": r["name"], "origin": None, "commit": r["commit"]} for r in repos]
    return {**doc, "generated": {"at": doc["generated"]["at"], "sources": sources}, "repos": repos}


PAGE = (
    "# Org\n\n```{inventory-org} summary\n```\n\n```{inventory-org} actions\n```\n\n"
    "```{inventory-org} secrets\n```\n\n```{inventory-explorer}\n```\n"
)
CONF = """extensions = ["myst_parser", "infradocs.sphinxext.inventory",
"infradocs.sphinxext.explorer"]
inventory_org_snapshot = {org!r}
"""


def _site_build(work: Path, org: Path | None) -> float:
    """Wall seconds of a fresh build (new output and doctree folders) of a one-page site with
    the org tables and the explorer, over ``org`` (None: the committed snapshot)."""
    from infradocs.core.inventory.snapshot import PATH

    src = work / "src"
    shutil.rmtree(work, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "conf.py").write_text(CONF.format(org=str(org or ""), committed=str(PATH)))
    (src / "index.md").write_text(PAGE)
    build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(src), str(work / "out")]
    run = measure(build).best
    if run.status:
        raise RuntimeError(f"site build failed: {run.output[-2000:]}")
    return run.seconds


def publish_figures(
    snapshot: Path, repos: int, runs: int = 3, extra: list[Path] = (), label: str = "stand-in org"
) -> None:
    """What the org-wide snapshot adds to a site build (a real build, with the data derived
    by merge and without it), what merge spends deriving it, and the explorer's data size.
    ``extra``: more snapshots to measure the same way."""
    from infradocs.core.orgdata import derived

    print(f"\n3. Publishing (load {load()})")
    docs = [(label, snapshot), *((str(p), p) for p in extra)]
    tmp = Path(tempfile.mkdtemp(prefix="bench-org-pub-"))
    if repos:
        scaled = tmp / "scaled" / "inventory.json"
        scaled.parent.mkdir()
        scaled.write_text(json.dumps(_scaled(json.loads(snapshot.read_text()), repos)))
        docs.append((f"{label} scaled to {repos:,}", scaled))
    med = statistics.median
    base = [_site_build(tmp / "site", None) for _ in range(runs)]
    print(f"one-page site over the committed snapshot: median {med(base):.2f} s of {runs} builds")
    for label, path in docs:
        merged = measure(lambda path=path: derived.derive(path)).best
        folder, merge_wall, merge_cpu = merged.value, merged.seconds, merged.cpu
        with_data = [_site_build(tmp / "site", path) for _ in range(runs)]
        shutil.rmtree(folder)
        without = _site_build(tmp / "site", path)  # derives it in the build (and keeps it)
        size = (folder / "explorer.bin").stat().st_size
        packed = len(gzip.compress((folder / "explorer.bin").read_bytes(), 6, mtime=0))
        lazy = (folder / derived.LAZY).stat().st_size
        print(
            f"{label} ({json.loads((folder / derived.COUNTS).read_text())['repos']:,} "
            f"repositories, {path.stat().st_size / 2**20:.0f} MiB JSON):\n"
            f"  merge derives the site's data once: {merge_wall:.2f} s wall, "
            f"{merge_cpu:.2f} s CPU\n"
            f"  site build: median {med(with_data):.2f} s with it, "
            f"+{med(with_data) - med(base):.2f} s over the committed snapshot "
            f"({ratio(med(with_data), med(base))}); without it (derived in the build) "
            f"{without:.2f} s, +{without - med(base):.2f} s\n"
            f"  explorer.bin.gz {packed / 2**20:.2f} MiB ({size / 2**20:.1f} MiB inflated; "
            f"+ {lazy / 2**20:.2f} MiB commits, fetched after the first screen)"
        )
    shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.org", description=__doc__)
    p.add_argument("--count", type=int, default=25_000, help="feedstocks in the stand-in org")
    p.add_argument("--sample", type=int, default=200, help="feedstocks for the fetch figures")
    p.add_argument(
        "--publish-repos",
        type=int,
        default=25_000,
        help="the merged snapshot scaled to this many repositories for the publishing figures "
        "(0: only the merged one)",
    )
    p.add_argument("--runs", type=int, default=3, help="site builds per median (publishing)")
    p.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    p.add_argument("--audit", action="store_true", help="audit in the shards, as the workflow does")
    p.add_argument("--skip-refresh", action="store_true", help="only fetch and publish figures")
    p.add_argument(
        "--publish-only",
        type=Path,
        nargs="+",
        metavar="SNAPSHOT",
        help="only the publishing figures, for these snapshots (the first is also scaled)",
    )
    args = p.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    if args.publish_only:
        first, *rest = args.publish_only
        publish_figures(first, args.publish_repos, args.runs, extra=rest, label=str(first))
        return 0
    # One fixed time in every output, so the sharded and single documents can be compared.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-org-"))
    print(f"bench-org in {base}; {os.cpu_count()} CPUs; load {load()}")
    site = StandIn(base / "site")
    made = measure(lambda: site.build(args.count, org.MANIFEST)).best
    feedstocks = made.value
    print(f"stand-in: {args.count:,} feedstocks made in {made.seconds:.0f} s")
    with serve_git(site.root) as (url, log):
        sample = sorted(random.Random(1).sample(feedstocks, min(args.sample, len(feedstocks))))
        if sample:
            fetch_figures(base / "fetch", url, log, sample)
        if not args.skip_refresh:
            snapshot = refresh_figures(base, url, log, site, feedstocks, args.audit)
            publish_figures(snapshot, args.publish_repos, args.runs)
    if not args.dir:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
