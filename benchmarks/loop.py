"""The contributor's loop: the live preview's build after one page is touched and after no change.

Both sites are built the way ``nox -s live`` builds (``sphinx_build_args(jobs="1")``: strict,
``-j 1``), first in full, then ``repeat`` times with one page touched and ``repeat`` times with
nothing changed, taking turns; the medians count, and the median of the rounds' ratios. Ours
runs in a fresh copy of the repository (a contributor's clone); the baseline is plain Sphinx
(MyST and the theme only) on the same pages made plain MyST (tests/support/plainsite.py): as
many pages, with the same text, headings and toctrees.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import run, touch_page
from benchmarks.timing import Run, Timing, in_turns, paired, ratio
from infradocs.core.siteconfig import sphinx_build_args

# Targets of issue 22 (seconds, and the ratio to plain Sphinx).
TARGET_TOUCHED = 1.5
TARGET_NOCHANGE = 1.2
TARGET_RATIO = 1.3


@dataclass(frozen=True)
class Site:
    """A site to build: its sources, conf.py folder, output folder and the page to touch."""

    name: str
    source: Path
    conf: Path
    out: Path
    page: Path

    def args(self) -> list[str]:
        """The live preview's sphinx-build arguments, with this site's conf.py folder."""
        args = sphinx_build_args(self.source, self.out, jobs="1")
        args[args.index("-c") + 1] = str(self.conf)
        return args

    def pages(self) -> list[Path]:
        """The source pages: Markdown files but those conf.py excludes (``_``-prefixed)."""
        found = self.source.rglob("*.md")
        return [
            p for p in found if not any(x.startswith("_") for x in p.relative_to(self.source).parts)
        ]


@dataclass(frozen=True)
class Loop:
    """One site's figures: the full build, then the touched and no-change rebuilds."""

    site: Site
    full: Run
    touched: Timing
    nochange: Timing


def measure(sites: list[Site], repeat: int) -> list[Loop]:
    """Build each of ``sites`` in full, then ``repeat`` rounds of one build per site after
    touching its page, then ``repeat`` rounds with nothing changed. The sites take turns in each
    round, so a machine that slows down or speeds up meanwhile weighs on all of them alike (the
    pages' texts are restored afterwards)."""
    builds = [site.args() for site in sites]
    fulls = [run(build, site.conf).best for site, build in zip(sites, builds, strict=True)]
    originals = [site.page.read_text(encoding="utf-8") for site in sites]

    def step(site: Site, args: list[str], touch: bool) -> Callable[[], Timing]:
        setup = (lambda: touch_page(site.page)) if touch else None
        return lambda: run(args, site.conf, setup=setup)

    try:
        touched = in_turns([step(s, b, True) for s, b in zip(sites, builds, strict=True)], repeat)
    finally:
        for site, text in zip(sites, originals, strict=True):
            site.page.write_text(text, encoding="utf-8")
    for site, args in zip(sites, builds, strict=True):
        run(args, site.conf)  # takes in the restored page
    nochange = in_turns([step(s, b, False) for s, b in zip(sites, builds, strict=True)], repeat)
    return [
        Loop(site, full, t, n)
        for site, full, t, n in zip(sites, fulls, touched, nochange, strict=True)
    ]


def fresh_copy(root: Path, dest: Path) -> Path:
    """Copy the files git tracks in ``root`` (as they are in the work tree) to ``dest``: the
    state of a contributor's fresh clone with these changes; without git, copy the folder."""
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=False
    )
    if listed.returncode:
        ignore = shutil.ignore_patterns(".git", "build", ".nox", ".venv", "__pycache__")
        shutil.copytree(root, dest, ignore=ignore)
        return dest
    for name in listed.stdout.decode().split("\0"):
        src = root / name
        if name and src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def report(ours: Loop, plain: Loop) -> list[str]:
    """The table: medians (wall and CPU), the ratios to plain Sphinx, and the targets."""
    n = len(ours.touched.runs)
    lines = [
        f"== contributor loop: the live preview's build (-j 1, strict), median of {n}"
        " after a full build",
        f"{'':34s} {'one page touched':>26s} {'nothing changed':>26s}",
    ]
    for loop in (ours, plain):
        t, c = loop.touched.median, loop.nochange.median
        label = f"{loop.site.name} ({len(loop.site.pages())} pages)"
        lines.append(
            f"{label:34s} {t.seconds:7.2f} s wall {t.cpu:6.2f} s CPU"
            f"  {c.seconds:7.2f} s wall {c.cpu:6.2f} s CPU"
            f"   (full build {loop.full.seconds:.1f} s)"
        )
    pairs = {
        key: (getattr(ours, pick).median, getattr(plain, pick).median)
        for key, pick in (("one page touched", "touched"), ("nothing changed", "nochange"))
    }
    lines.append(
        "ours / plain Sphinx (medians):     "
        + "  ".join(
            f"{ratio(a.seconds, b.seconds):>7} wall {ratio(a.cpu, b.cpu):>7} CPU "
            for a, b in pairs.values()
        )
    )
    rounds = {
        key: paired(getattr(ours, pick), getattr(plain, pick))
        for key, pick in (("one page touched", "touched"), ("nothing changed", "nochange"))
    }
    lines.append(
        "ours / plain, median of rounds:    "
        + "  ".join(f"{w:>6.3g}x wall {c:>6.3g}x CPU " for w, c in rounds.values())
    )
    for key, limit in (("one page touched", TARGET_TOUCHED), ("nothing changed", TARGET_NOCHANGE)):
        a = pairs[key][0]
        wall, cpu = rounds[key]
        ok = a.seconds <= limit and wall <= TARGET_RATIO
        lines.append(
            f"target {key}: <= {limit} s and <= {TARGET_RATIO} x plain Sphinx: "
            f"{a.seconds:.2f} s, {wall:.3g}x ({cpu:.3g}x CPU) in the same rounds: "
            f"{'met' if ok else 'NOT met'}"
        )
    return lines
