"""Command line: ``python -m benchmarks.contributor`` prints the contributor loop's figures (the
live preview's
build after one page is touched and after no change, against plain Sphinx); ``--full`` adds the
full, parallel, incremental and no-change builds of the real and a synthetic site."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.loop import Loop, Site, fresh_copy, measure, report
from benchmarks.measure import mermaid_pages, sphinx, touch_page
from benchmarks.timing import Run, load, ratio
from infradocs.core.siteconfig import DIAGRAMS, DOCS, ROOT
from tests.support.plainsite import plain_copy
from tests.support.synthsite import generate

# The page a contributor edits in the benchmark: a component's reference page.
PAGE = Path("reference", "ci", "azure-pipelines.md")


def scenario(name: str, source: Path, conf_dir: Path, page: Path, work: Path, repeat: int) -> None:
    """Measure -j 1, parallel, no-change and one-page rebuilds of one site and print them;
    each configuration runs ``repeat`` times (full builds into fresh folders), best counts."""
    out1, out2 = work / f"{name}-j1", work / f"{name}-jauto"

    def fresh(out: Path, jobs: str) -> Run:
        return sphinx(source, out, conf_dir, jobs, repeat, lambda: shutil.rmtree(out, True)).best

    full1 = fresh(out1, "1")
    full2 = fresh(out2, "auto")
    nochange = sphinx(source, out2, conf_dir, "auto", repeat).best
    original = page.read_text()
    try:
        incremental = sphinx(source, out2, conf_dir, "auto", repeat, lambda: touch_page(page)).best
    finally:
        page.write_text(original)
    total, with_diagram, stray = mermaid_pages(out2)
    rows: list[tuple[str, Run]] = [
        ("full build, -j 1", full1),
        ("full build, parallel", full2),
        ("no-change rebuild", nochange),
        ("one page touched", incremental),
    ]
    print(f"\n== {name}: {total} HTML pages, {with_diagram} with a diagram (best of {repeat})")
    for label, run in rows:
        print(
            f"{label:24s} {run.seconds:8.2f} s wall {run.cpu:8.2f} s CPU"
            f"   peak {run.peak_mib:7.1f} MiB"
            f"   ({ratio(run.seconds, full2.seconds):>6} parallel full build)"
        )
    print(f"parallel / -j 1:         {ratio(full2.seconds, full1.seconds)}")
    one_page = ratio(incremental.seconds, full2.seconds, percent=True)
    print(f"one-page / parallel:     {one_page} (target < 10%)")
    print(f"pages without a diagram that load mermaid.js: {stray} (target 0)")
    print(f"load average: {load()}")


def contributor(ours: Site, work: Path, repeat: int, settings: Path) -> list[str]:
    """Measure ``ours`` and plain Sphinx on ``ours``'s own pages made plain MyST (the same
    page touched; ``settings``: the folder of the conf.py whose settings the baseline takes);
    the report."""
    src = plain_copy(ours.source, work / "plain", settings)
    touched = src / ours.page.relative_to(ours.source)
    plain = Site("plain Sphinx (MyST, theme)", src, src, work / "plain-build" / "live", touched)
    before = load()
    loops: list[Loop] = measure([ours, plain], repeat)
    return [
        *report(*loops),
        f"load averages (1, 5, 15 min) before: {before}, after: {load()}"
        " (other work on the machine skews wall times more than CPU times)",
    ]


def main() -> None:
    """Run the contributor loop (and with ``--full`` the build benchmarks) and print them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="rebuilds per figure (median)")
    parser.add_argument("--full", action="store_true", help="also full and parallel builds")
    parser.add_argument("--pages", type=int, default=200, help="--full: synthetic site size")
    parser.add_argument("--skip-real", action="store_true", help="--full: only the synthetic")
    parser.add_argument("--full-repeat", type=int, default=2, help="--full: runs each (best)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        clone = fresh_copy(ROOT, work / "clone")  # a contributor's clone: no build folder yet
        ours = Site(
            "this site", clone / "docs", clone, clone / "build" / "live", clone / "docs" / PAGE
        )
        print("\n".join(contributor(ours, work, args.repeat, clone)), flush=True)
        if not args.full:
            return
        if not args.skip_real:
            real_src = work / "real" / "docs"
            shutil.copytree(DOCS, real_src)
            shutil.copytree(DIAGRAMS, work / "real" / "diagrams")  # pages include files from here
            scenario("real site", real_src, ROOT, real_src / "index.md", work, args.full_repeat)
        syn = generate(work / "synthetic", pages=args.pages)
        scenario(
            f"synthetic {args.pages}-page site", syn, syn, syn / "page7.md", work, args.full_repeat
        )


if __name__ == "__main__":
    main()
