"""Run sphinx-build in a child process and measure its wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One build: wall seconds, CPU seconds (user + system, its worker processes included)
    and the peak resident memory of its largest process (MiB)."""

    seconds: float
    peak_mib: float
    cpu: float = 0.0


def sphinx(source: Path, out: Path, conf_dir: Path, jobs: str) -> Run:
    """Build ``source`` into ``out`` (strict) and measure it; raise if the build fails."""
    args = ["-b", "html", "-c", str(conf_dir), "-d", str(out / ".doctrees")]
    return run([*args, "-W", "--keep-going", "-n", "-q", "-j", jobs, str(source), str(out)])


def run(sphinx_args: list[str], cwd: Path | None = None) -> Run:
    """Run ``python -m sphinx`` with ``sphinx_args`` and measure it; raise if the build fails."""
    args = [sys.executable, "-m", "sphinx", *sphinx_args]
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"sphinx-build {' '.join(sphinx_args)} failed:\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs of one configuration (the machine is shared)."""
    return min(runs, key=lambda r: r.seconds)


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
