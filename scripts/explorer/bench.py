"""Browser benchmark: the explorer with a synthetic 25,000-repository inventory, in Chromium.

Builds the site once (or takes ``--site``), puts the synthetic data where the build publishes
the inventory, serves it on 127.0.0.1 and prints time to interactive and filter-change times.
Figures are printed, never asserted."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from localsite import launch, serve
from siteconfig import DOCS, ROOT, sphinx_build_args

from .publish import publish
from .synthetic import generate

PAGE = "security/explorer.html"
TARGET_READY_MS, TARGET_FILTER_MS = 1500, 100
CHANGES = [
    ("provider", "github-actions"),
    ("pin", "branch"),
    ("action", "peter-evans/action-5"),
    ("secret", "BINSTAR_TOKEN"),
    ("finding", "third-party-branch-pin"),
    ("repo", "pkg1"),
    ("repo", ""),
    ("clear", ""),
]
# Apply one filter in the page and time it until the table has been re-rendered and painted.
MEASURE = """async ([key, value]) => {
  const app = document.getElementById('explorer-app').explorer;
  const t0 = performance.now();
  if (key === 'clear') { for (const k of Object.keys(app.state)) app.state[k] = ''; }
  else app.state[key] = value;
  app.apply();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, app.shown];
}"""


def build_site(out: Path) -> Path:
    """A strict build of the real site into ``out``."""
    args = [sys.executable, "-m", "sphinx", *sphinx_build_args(DOCS, out, jobs="2")]
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    return out


def measure(site: Path, runs: int) -> dict:
    """Load the explorer ``runs`` times and apply every filter change; raw figures in ms."""
    from playwright.sync_api import sync_playwright

    ready, changes = [], {f"{k}={v}" if k != "clear" else "clear all": [] for k, v in CHANGES}
    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            page = browser.new_page()
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort()
            )
            page.goto(base + PAGE)
            page.wait_for_selector("#explorer-app[data-ready]", state="attached", timeout=60000)
            ready.append(
                page.evaluate("performance.getEntriesByName('explorer-ready')[0].startTime")
            )
            for key, value in CHANGES:
                ms, _ = page.evaluate(MEASURE, [key, value])
                changes[f"{key}={value}" if key != "clear" else "clear all"].append(ms)
            page.close()
        browser.close()
    return {"ready": ready, "changes": changes}


def main(argv: list[str] | None = None) -> int:
    """Entry point: print the figures and how they compare with the targets."""
    ap = argparse.ArgumentParser(prog="python -m explorer.bench", description=__doc__)
    ap.add_argument("--repos", type=int, default=25_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--site", type=Path, help="an already built site to use (a copy is made)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        site = Path(tmp) / "html"
        if args.site:
            subprocess.run(["cp", "-r", str(args.site), str(site)], check=True)
        else:
            t = time.perf_counter()
            build_site(site)
            print(f"built the site in {time.perf_counter() - t:.1f} s")
        doc = generate(args.repos)
        hashes = publish(doc, site / "_static" / "inventory")
        size = (site / "_static" / "inventory" / "explorer.json.gz").stat().st_size
        full = (site / "_static" / "inventory" / "inventory.json.gz").stat().st_size
        print(
            f"synthetic inventory: {args.repos} repositories; explorer.json.gz "
            f"{size / 1024:.0f} KiB, inventory.json.gz {full / 1024:.0f} KiB ({hashes})"
        )
        figures = measure(site, args.runs)
    ready = statistics.median(figures["ready"])
    print(
        f"interactive: median {ready:.0f} ms of {args.runs} loads "
        f"(target < {TARGET_READY_MS} ms) {json.dumps([round(x) for x in figures['ready']])}"
    )
    worst = 0.0
    for name, values in figures["changes"].items():
        med = statistics.median(values)
        worst = max(worst, med)
        print(f"  filter {name:<40} median {med:6.1f} ms, max {max(values):6.1f} ms")
    print(f"slowest filter change (median): {worst:.1f} ms (target < {TARGET_FILTER_MS} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
