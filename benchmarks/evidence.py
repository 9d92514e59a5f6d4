"""Benchmark of ``python -m infradocs.cli.evidence verify --clones DIR`` (``nox -s
bench-evidence -- --clones DIR``): ``python -m benchmarks.evidence --clones DIR``.

What it measures, each on the same model, pages and local clones:

1. the whole command as a contributor runs it, in a child process (start, imports, the model,
   every check, the holders, the report): wall, CPU and peak memory, median of ``--repeat``;
2. its phases, by calling in this process the functions the command calls, in its order
   (importing the command line is timed in a child process, as nothing is imported yet there);
3. the verify phase with two other ways of reading the clones, alternated so all see the same
   warm caches and load, best of ``--repeat`` each. Same items, commits, checks and thread pool;
   only the reading differs. Baseline: the straightforward way, one ``git ls-tree`` and one
   ``git cat-file`` process per named path instead of one batch per repository. Floor of any
   whole-checkout scan: every blob at the commit read (one batch per repository), then the same
   checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from benchmarks.timing import load, measure, ratio
from infradocs.core import git as gitcli
from infradocs.core.archmodel import load_model
from infradocs.core.archmodel.facts import coverage
from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.evidence import report
from infradocs.core.evidence.checks import facts_for
from infradocs.core.evidence.holders import compare
from infradocs.core.evidence.items import from_model, from_pages
from infradocs.core.evidence.sources import Clones, Entry
from infradocs.core.evidence.verify import verify
from infradocs.core.siteconfig import DOCS

TARGET_SECONDS = 10


class PerFileClones(Clones):
    """Local clones read one git process per path (the baseline)."""

    def read(self, where: str, commit: str, paths: list[str], content: set[str]) -> dict:
        """Like Clones.read, one path at a time."""
        files = {}
        for path in paths:
            for _, _, kind, _ in gitcli.ls_tree(where, commit, [path]):
                data = None
                if kind == "blob" and path in content:
                    data = gitcli.read_file(where, commit, path)
                files[path] = Entry(kind, data)
        return files


class WholeTreeClones(Clones):
    """Local clones read whole: every blob at the commit (what scanning the checkout costs)."""

    def read(self, where: str, commit: str, paths: list[str], content: set[str]) -> dict:
        """Every file's bytes read, then the named paths picked out (checks see the same)."""
        entries = gitcli.ls_tree(where, commit, recursive=True)
        gitcli.cat_objects(where, [e.oid for e in entries if e.type == "blob"])
        return super().read(where, commit, paths, content)


def command(args: argparse.Namespace) -> list[str]:
    """The verify command line this benchmark times."""
    return [
        sys.executable,
        "-m",
        "infradocs.cli.evidence",
        "verify",
        "--clones",
        args.clones,
        "--model",
        args.model,
        "--docs",
        args.docs,
        "--jobs",
        str(args.jobs),
        "--quiet",
    ]


def phases(args: argparse.Namespace) -> tuple[list, dict[str, float]]:
    """The evidence items, and the wall seconds of each phase of the command."""
    seconds = {}
    imports = measure([sys.executable, "-c", "import infradocs.cli.evidence"])
    seconds["start and imports"] = imports.median.seconds
    model = measure(lambda: load_model(Path(args.model))).median
    seconds["load the model"] = model.seconds
    model = model.value
    collected = measure(
        lambda: (from_model(model, Path(args.docs)), *from_pages(model, Path(args.docs)))
    )
    seconds["collect items and claims"] = collected.median.seconds
    items, claims, invalid = collected.median.value
    items = [*items, *claims]
    source = Clones(args.clones)
    facts_for.cache_clear()  # the command parses its files itself
    checked = measure(lambda: verify(items, source, args.jobs)).median
    seconds["verify the items"] = checked.seconds
    held = measure(lambda: compare(model, source))
    seconds["compare secret holders"] = held.median.seconds
    results, snaps = checked.value
    today = dt.datetime.now(dt.UTC).date().isoformat()
    built = measure(
        lambda: report.markdown(
            report.build(results, snaps, source.mode, today, coverage(model), invalid)
        )
    )
    seconds["build the report"] = built.median.seconds
    return items, seconds


def readers(items: list, clones: str, jobs: int, repeat: int) -> dict[str, float]:
    """Best wall seconds of the verify phase with each way of reading the clones."""
    kinds = {"ours": Clones, "baseline": PerFileClones, "whole": WholeTreeClones}
    runs: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(repeat):  # alternated: all see the same warm caches and the same load
        for name, kind in kinds.items():
            timing = measure(
                lambda k=kind: verify(items, k(clones), jobs), setup=facts_for.cache_clear
            )
            runs[name].append(timing.median.seconds)
    return {name: min(seconds) for name, seconds in runs.items()}


def run(args: argparse.Namespace) -> list[str]:
    """Lines of figures: the whole command, its phases, and the three ways of reading."""
    whole = measure(command(args), args.repeat)
    if whole.status not in (0, 1):  # 1: a fact fails, which does not change the timing
        raise RuntimeError(f"verify failed (exit {whole.status}):\n{whole.best.output[-2000:]}")
    items, seconds = phases(args)
    best = readers(items, args.clones, args.jobs, args.repeat)
    cmd = whole.median
    lines = [f"bench: {len(items)} evidence items over local clones in {args.clones}"]
    lines += [f"  {name}: {secs:.2f} s" for name, secs in seconds.items()]
    lines += [
        f"  the whole command, median of {args.repeat}: {cmd.seconds:.2f} s wall "
        f"(target < {TARGET_SECONDS} s), {cmd.cpu:.2f} s CPU, peak {cmd.peak_mib:.0f} MiB, "
        f"exit {cmd.status}",
        f"  verify phase, best of {args.repeat}: ours {best['ours']:.2f} s, baseline (one git "
        f"process per path) {best['baseline']:.2f} s; ours / baseline: "
        f"{ratio(best['ours'], best['baseline'])}",
        f"  reading every file of each repository instead: {best['whole']:.2f} s; "
        f"ours / that: {ratio(best['ours'], best['whole'])}",
        f"  load average: {load()}",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.evidence", description=__doc__)
    p.add_argument("--clones", metavar="DIR", required=True, help="local clones DIR/OWNER/NAME")
    p.add_argument("--model", default=str(MODEL_DIR), help="the model folder (*.yaml)")
    p.add_argument("--docs", default=str(DOCS), help="the pages folder (component pages)")
    p.add_argument("--jobs", type=int, default=8, help="repositories read in parallel")
    p.add_argument("--repeat", type=int, default=3, help="runs per figure")
    args = p.parse_args(argv)
    print("\n".join(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
