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
from pathlib import Path

from benchmarks import timing
from benchmarks.timing import load, ratio
from infradocs.core.explorer.publish import publish
from infradocs.core.localsite import launch, serve
from infradocs.core.siteconfig import DOCS, ROOT, sphinx_build_args
from tests.support.synthinventory import generate

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
# Apply one filter in the page; time it until the table has been re-rendered and painted
# ("table"), then until the per-value counts in the selects have followed ("counts").
MEASURE = """async ([key, value]) => {
  const root = document.getElementById('explorer-app');
  const app = root.explorer;
  const t0 = performance.now();
  if (key === 'clear') { for (const k of Object.keys(app.state)) app.state[k] = ''; }
  else app.state[key] = value;
  app.apply();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const table = performance.now() - t0;
  while (root.dataset.counted !== root.dataset.ready) await new Promise(r => setTimeout(r, 1));
  return [table, performance.now() - t0, app.shown];
}"""
# Where the time before the explorer's first screen goes (marks set by explorer.js).
MARKS = """() => {
  const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
  const nav = performance.getEntriesByType('navigation')[0];
  return {ready: mark('explorer-ready'), start: mark('explorer-start'),
          loaded: mark('explorer-loaded'), dcl: nav.domContentLoadedEventEnd};
}"""
FLOOR = "security/explorer-floor.html"


def floor_page(site: Path) -> None:
    """The explorer page without the explorer: what the page itself costs."""
    html = (site / PAGE).read_text(encoding="utf-8")
    start = html.index('<p class="explorer-fallback">')
    end = html.index("</script>", start) + len("</script>")
    (site / FLOOR).write_text(html[:start] + html[end:], encoding="utf-8")


def build_site(out: Path) -> float:
    """A strict build of the real site into ``out``; its wall seconds."""
    args = [sys.executable, "-m", "sphinx", *sphinx_build_args(DOCS, out, jobs="2")]
    run = timing.measure(args, cwd=ROOT).best
    if run.status:
        raise RuntimeError(f"the site build failed:\n{run.output[-2000:]}")
    return run.seconds


def _cpu(cdp) -> float:
    """The renderer main thread's CPU time so far, in ms (Chrome's ThreadTime metric)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return 1000 * next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def _open(browser, base: str, path: str, ready: str | None):
    """A fresh page (local requests only) with CPU metrics on; returns (page, cdp, cpu ms)."""
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    before = _cpu(cdp)
    page.goto(base + path, wait_until="load")
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=60000)
    return page, cdp, _cpu(cdp) - before


def measure(site: Path, runs: int) -> dict:
    """Load the floor page and the explorer ``runs`` times each (interleaved), then apply every
    filter change; raw figures in ms (wall and main-thread CPU)."""
    from playwright.sync_api import sync_playwright

    names = [f"{k}={v}" if k != "clear" else "clear all" for k, v in CHANGES]
    out: dict = {"ready": [], "ready_cpu": [], "marks": [], "floor": [], "floor_cpu": []}
    out["changes"] = {n: {"table": [], "counts": [], "cpu": []} for n in names}
    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        for _ in range(runs):
            page, _cdp, cpu = _open(browser, base, FLOOR, None)
            out["floor"].append(
                page.evaluate(
                    "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                )
            )
            out["floor_cpu"].append(cpu)
            page.close()
            page, cdp, cpu = _open(browser, base, PAGE, "#explorer-app[data-counted]")
            marks = page.evaluate(MARKS)
            out["marks"].append(marks)
            out["ready"].append(marks["ready"])
            out["ready_cpu"].append(cpu)
            for name, (key, value) in zip(names, CHANGES, strict=True):
                before = _cpu(cdp)
                table, counts, _ = page.evaluate(MEASURE, [key, value])
                fig = out["changes"][name]
                fig["cpu"].append(_cpu(cdp) - before)
                fig["table"].append(table)
                fig["counts"].append(counts)
            page.close()
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: print the figures and how they compare with the targets."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.explorer", description=__doc__)
    ap.add_argument("--repos", type=int, default=25_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--site", type=Path, help="an already built site to use (a copy is made)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-explorer-") as tmp:
        site = Path(tmp) / "html"
        if args.site:
            subprocess.run(["cp", "-r", str(args.site), str(site)], check=True)
        else:
            print(f"built the site in {build_site(site):.1f} s")
        doc = generate(args.repos)
        hashes = publish(doc, site / "_static" / "inventory")
        size = (site / "_static" / "inventory" / "explorer.bin.gz").stat().st_size
        full = (site / "_static" / "inventory" / "inventory.json.gz").stat().st_size
        print(
            f"synthetic inventory: {args.repos} repositories; explorer.bin.gz "
            f"{size / 1024:.0f} KiB, inventory.json.gz {full / 1024:.0f} KiB ({hashes})"
        )
        floor_page(site)
        figures = measure(site, args.runs)
    report(figures, args.runs)
    return 0


def report(figures: dict, runs: int) -> None:
    """Print medians, the split of the load, and each figure's ratio to its target."""
    med = statistics.median
    ready = med(figures["ready"])
    print(
        f"interactive: median {ready:.0f} ms of {runs} loads = {ratio(ready, TARGET_READY_MS)} "
        f"target ({TARGET_READY_MS} ms) {json.dumps([round(x) for x in figures['ready']])}; "
        f"main-thread CPU {med(figures['ready_cpu']):.0f} ms"
    )
    marks = figures["marks"]
    print(
        f"  page without the explorer (same HTML): DOMContentLoaded median "
        f"{med(figures['floor']):.0f} ms, main-thread CPU {med(figures['floor_cpu']):.0f} ms"
    )
    print(
        "  explorer.js starts at median "
        f"{med(m['start'] for m in marks):.0f} ms, data decoded "
        f"{med(m['loaded'] - m['start'] for m in marks):.0f} ms later, first screen "
        f"{med(m['ready'] - m['loaded'] for m in marks):.0f} ms after that"
    )
    worst = 0.0
    for name, fig in figures["changes"].items():
        table, counts = med(fig["table"]), med(fig["counts"])
        worst = max(worst, table)
        print(
            f"  filter {name:<34} table median {table:6.1f} ms (max {max(fig['table']):6.1f}),"
            f" with counts {counts:6.1f} ms; CPU {med(fig['cpu']):5.1f} ms"
        )
    print(
        f"slowest filter change (median, table shown): {worst:.1f} ms = "
        f"{ratio(worst, TARGET_FILTER_MS)} target ({TARGET_FILTER_MS} ms)"
    )
    print(f"load average: {load()}")


if __name__ == "__main__":
    sys.exit(main())
