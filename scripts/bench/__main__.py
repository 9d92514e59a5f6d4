"""Command line: ``python -m bench [--pages N]`` prints build figures."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from siteconfig import DIAGRAMS, DOCS, ROOT

from .measure import Run, mermaid_pages, sphinx, touch_page
from .synthetic import generate


def scenario(name: str, source: Path, conf_dir: Path, page: Path, work: Path) -> None:
    """Measure -j 1, parallel, no-change and one-page rebuilds of one site and print them."""
    out1, out2 = work / f"{name}-j1", work / f"{name}-jauto"
    full1 = sphinx(source, out1, conf_dir, "1")
    full2 = sphinx(source, out2, conf_dir, "auto")
    nochange = sphinx(source, out2, conf_dir, "auto")
    original = page.read_text()
    try:
        touch_page(page)
        incremental = sphinx(source, out2, conf_dir, "auto")
    finally:
        page.write_text(original)
    total, with_diagram, stray = mermaid_pages(out2)
    rows: list[tuple[str, Run]] = [
        ("full build, -j 1", full1),
        ("full build, parallel", full2),
        ("no-change rebuild", nochange),
        ("one page touched", incremental),
    ]
    print(f"\n== {name}: {total} HTML pages, {with_diagram} with a diagram")
    for label, run in rows:
        print(
            f"{label:24s} {run.seconds:8.2f} s   peak {run.peak_mib:7.1f} MiB"
            f"   ({run.seconds / full2.seconds:5.2f} x parallel full build)"
        )
    print(f"parallel / -j 1:         {full2.seconds / full1.seconds:.2f}")
    print(f"one-page / parallel:     {incremental.seconds / full2.seconds:.2%} (target < 10%)")
    print(f"pages without a diagram that load mermaid.js: {stray} (target 0)")


def main() -> None:
    """Run the benchmarks on the real site and on a generated one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200, help="synthetic site size")
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic site")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if not args.skip_real:
            real_src = work / "real" / "docs"
            shutil.copytree(DOCS, real_src)
            shutil.copytree(DIAGRAMS, work / "real" / "diagrams")  # pages include files from here
            scenario("real site", real_src, ROOT, real_src / "index.md", work)
        syn = generate(work / "synthetic", pages=args.pages)
        scenario(f"synthetic {args.pages}-page site", syn, syn, syn / "page7.md", work)


if __name__ == "__main__":
    main()
