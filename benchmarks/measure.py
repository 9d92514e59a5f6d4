"""Sphinx builds measured in a child process (``benchmarks.timing``), and what the benchmarks
touch and count in a built site."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing import Timing, measure


def sphinx(
    source: Path,
    out: Path,
    conf_dir: Path,
    jobs: str,
    repeat: int = 1,
    setup: Callable[[], object] | None = None,
) -> Timing:
    """Build ``source`` into ``out`` (strict) ``repeat`` times and measure it; raise if a build
    fails."""
    args = ["-b", "html", "-c", str(conf_dir), "-d", str(out / ".doctrees")]
    args += ["-W", "--keep-going", "-n", "-q", "-j", jobs, str(source), str(out)]
    return run(args, repeat=repeat, setup=setup)


def run(
    sphinx_args: list[str],
    cwd: Path | None = None,
    repeat: int = 1,
    setup: Callable[[], object] | None = None,
) -> Timing:
    """Run ``python -m sphinx`` with ``sphinx_args`` ``repeat`` times (``setup`` before each)
    and measure it; raise if a build fails."""
    timing = measure([sys.executable, "-m", "sphinx", *sphinx_args], repeat, setup, cwd)
    failed = next((r for r in timing.runs if r.status), None)
    if failed:
        raise RuntimeError(f"sphinx-build {' '.join(sphinx_args)} failed:\n{failed.output}")
    return timing


def touch_page(page: Path) -> None:
    """Change one page's text so Sphinx must rebuild it."""
    page.write_text(page.read_text() + f"\nEdited at {time.time_ns()}.\n")


def mermaid_pages(out: Path) -> tuple[int, int, int]:
    """Count HTML pages, pages with a diagram, and pages without one that still load mermaid.js."""
    total = with_diagram = stray = 0
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        total += 1
        has = 'class="mermaid"' in text
        loads = "mermaid.esm.min.mjs" in text
        with_diagram += has
        stray += loads and not has
    return total, with_diagram, stray
