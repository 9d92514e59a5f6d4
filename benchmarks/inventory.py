"""Benchmark: the extractor's first run and unchanged re-run against three floors.

The floors, measured in the same run on the same synthetic org (``synth``: feedstocks as
varied as conda-smithy renders them, and infrastructure repositories with large workflows),
each with 2 processes: the naive floor (read and parse every CI file with PyYAML's C loader),
the same parse over distinct contents only, and a read-only floor (read every file the
extractor reads, parse nothing). ``python -m benchmarks.inventory [--sizes 2000,25000] [--dir DIR]
[--seed N] [--mix K=V,...]`` runs ``--repeat`` rounds, each running every configuration in turn
(so the machine's drift weighs on all alike), and prints wall and CPU time, repos/s and peak
memory of each (best of the rounds), the ratios of the extractor to each floor, the median of
the rounds' ratios to the naive floor, and the load average (targets: first run <= 0.5x the
naive floor, re-run <= 0.15x).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import infradocs.core.inventory as inventory_pkg
from benchmarks.timing import Timing, in_turns, load, measure, paired


def _candidates(root: str) -> list[str]:
    """The CI files and conda-forge.yml of one repository, found the plain way (scandir)."""
    from infradocs.core.inventory.locate import CONDA_FORGE_YML, DIRS, ROOT_FILES

    paths = [os.path.join(root, p) for p in [*ROOT_FILES, CONDA_FORGE_YML]]
    for d in DIRS:
        with contextlib.suppress(OSError):
            paths += [
                e.path
                for e in os.scandir(os.path.join(root, d))
                if e.name.endswith((".yml", ".yaml"))
            ]
    return paths


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _parse(data: bytes) -> None:
    """Parse with PyYAML's C loader, as a naive extractor would."""
    import yaml

    try:
        if b"&" not in data:  # the naive floor skips alias bombs rather than exploding
            list(yaml.load_all(data, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        pass


def _floor_repo(root: str) -> int:
    """Naive: read every CI file of one repository and parse it with the C loader."""
    parsed = 0
    for path in _candidates(root):
        data = _read(path)
        if data is not None:
            _parse(data)
            parsed += 1
    return parsed


def _read_repo(root: str) -> int:
    """Read-only: every file the extractor reads (CI files, conda-forge.yml, the git HEAD,
    branch ref and config), parsing nothing."""
    git = os.path.join(root, ".git")
    head = _read(os.path.join(git, "HEAD")) or b""
    paths = [*_candidates(root), os.path.join(git, "config")]
    if head.startswith(b"ref: "):
        paths.append(os.path.join(git, head[5:].strip().decode()))
    return sum(_read(p) is not None for p in paths)


def _parse_file(path: str) -> int:
    data = _read(path)
    if data is not None:
        _parse(data)
    return 1


FLOOR_NAMES = ("naive", "distinct only", "read-only")
FLOORS = {"naive": _floor_repo, "read": _read_repo, "unique": _parse_file}


def floor_main(manifest: str, kind: str = "naive") -> None:
    """Child-process entry: one floor (``FLOORS``) over the paths in ``manifest``."""
    roots = Path(manifest).read_text().split()
    with mp.get_context("fork").Pool(2) as pool:
        files = sum(pool.imap_unordered(FLOORS[kind], roots, chunksize=64))
    print(f"{kind}: {files} files", file=sys.stderr)


def unique_files(roots: list[str]) -> tuple[list[str], int]:
    """One path per distinct content among the repositories' CI files, and the file count."""
    import hashlib

    first: dict[bytes, str] = {}
    total = 0
    for root in roots:
        for path in _candidates(root):
            data = _read(path)
            if data is not None:
                total += 1
                first.setdefault(hashlib.blake2b(data, digest_size=20).digest(), path)
    return sorted(first.values()), total


def bench(size: int, base: str, repeat: int = 2, seed: int = 1, mix: str = "") -> None:
    """Generate an org of ``size`` feedstocks (with ``seed`` and the proportions ``mix``, see
    ``synth.Mix``) and its infrastructure repositories, and print the measurements."""
    import hashlib

    from tests.support.synth import Mix, make_org

    proportions = Mix.parse(mix)
    tag = f"{size}-s{seed}-" + hashlib.sha256(repr(proportions).encode()).hexdigest()[:8]
    org = os.path.join(base, f"org-{tag}")
    if not os.path.isdir(org):
        made = measure(lambda: make_org(org, size, seed, proportions)).best
        print(f"generated {size} feedstocks in {made.seconds:.1f}s at {org}")
    print(f"org: seed {seed}, {proportions}")
    size = sum(1 for p in Path(org).iterdir() if p.name != "_store")  # with infrastructure
    manifest = os.path.join(base, f"manifest-{tag}.txt")
    roots = sorted(str(p) for p in Path(org).iterdir() if p.name != "_store")
    Path(manifest).write_text("\n".join(roots) + "\n")
    _warm(org)
    # Bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE would recompile each run).
    compileall.compile_dir(str(Path(inventory_pkg.__file__).parent), quiet=1)
    cache = os.path.join(base, f"cache-{tag}")
    shutil.rmtree(cache, ignore_errors=True)
    out = os.path.join(base, f"inventory-{tag}.json")
    py = sys.executable
    uniq, total = unique_files(roots)
    unique_manifest = os.path.join(base, f"unique-{tag}.txt")
    Path(unique_manifest).write_text("\n".join(uniq) + "\n")
    mb = sum(os.path.getsize(p) for r in roots for p in _candidates(r) if os.path.isfile(p)) / 1e6
    print(
        f"{size} repositories: {total} CI files and conda-forge.yml ({mb:.0f} MB), "
        f"{len(uniq)} distinct ({len(uniq) / max(1, total):.1%})"
    )
    print(infra_line(roots, mb * 1e6 / max(1, total)))
    load_before = load()

    def floor_cmd(kind: str, paths: str) -> list[str]:
        return [
            py,
            "-c",
            f"from benchmarks.inventory import floor_main; floor_main({paths!r}, {kind!r})",
        ]

    run_cmd = [
        py,
        "-m",
        "infradocs.cli.inventory",
        "--no-progress",
        "--jobs",
        "2",
        "--cache",
        cache,
        "-o",
        out,
        f"@{manifest}",
    ]
    configs = [
        ("naive floor (parse every file)", floor_cmd("naive", manifest), None),
        ("naive parse, distinct contents only", floor_cmd("unique", unique_manifest), None),
        ("read-only floor (read, parse nothing)", floor_cmd("read", manifest), None),
        ("extractor, first run (empty cache)", run_cmd, cache),
        ("extractor, unchanged re-run", run_cmd, None),
    ]
    timings = rounds([(cmd, clear) for _, cmd, clear in configs], repeat)
    results = [(name, *summary(t)) for (name, _, _), t in zip(configs, timings, strict=True)]
    floors, runs = results[:3], results[3:]
    print(f"\n{size} repositories; {repeat} round(s), every configuration in turn in each; the")
    print(f"best of them below; 2 processes everywhere; load average before: {load_before}")
    print(f"{'run':40} {'wall s':>7} {'CPU s':>7} {'repos/s':>8} {'peak MB':>7} status")
    for name, wall, cpu, peak, status in floors + runs:
        print(f"{name:40} {wall:7.2f} {cpu:7.2f} {size / wall:8.0f} {peak / 2**20:7.0f} {status}")
    print(f"\n{'x floor (best), wall / CPU':40} " + "".join(f"{n:>22}" for n in FLOOR_NAMES))
    for name, wall, cpu, *_ in runs:
        cells = "".join(f"{wall / fw:13.3f} / {cpu / fc:6.3f}" for _, fw, fc, *_ in floors)
        print(f"{name:40} {cells}")
    print("x naive floor, median of the rounds' ratios (the machine's drift cancels out):")
    for (name, *_), timing in zip(runs, timings[3:], strict=True):
        wall, cpu = paired(timing, timings[0])
        print(f"{name:40} {wall:13.3f} / {cpu:6.3f}")
    print("targets: first run <= 0.5x the naive floor; unchanged re-run <= 0.15x")
    print(f"load average: {load()}")
    blob_reads(roots[:200])


def infra_line(roots: list[str], mean_bytes: float) -> str:
    """The infrastructure repositories' share of the org and the size of their CI files."""
    infra = [r for r in roots if not r.endswith("-feedstock")]
    sizes = [os.path.getsize(p) for r in infra for p in _candidates(r) if os.path.isfile(p)]
    per = len(infra) / max(1, len(roots) - len(infra)) * 25_000
    return (
        f"infrastructure: {len(infra)} repositories ({per:.0f} per 25,000 feedstocks), "
        f"{len(sizes)} CI files of {sum(sizes) / max(1, len(sizes)) / 1e3:.1f} kB on average "
        f"(all CI files: {mean_bytes / 1e3:.1f} kB)"
    )


def rounds(configs: list[tuple[list[str], str | None]], repeat: int) -> list[Timing]:
    """``repeat`` rounds, each running every command of ``configs`` once in turn (emptying its
    folder, when one is given, before it runs); one ``Timing`` per command."""

    def step(cmd: list[str], clear: str | None) -> Callable[[], Timing]:
        setup = (lambda: shutil.rmtree(clear, ignore_errors=True)) if clear else None
        return lambda: measure(cmd, 1, setup)

    return in_turns([step(cmd, clear) for cmd, clear in configs], max(1, repeat))


def summary(timing: Timing) -> tuple[float, float, int, int]:
    """Best wall time, best CPU time, highest peak memory and worst exit status of the runs (a
    run that failed has its output shown)."""
    for run in timing.runs:
        if run.status:
            sys.stderr.write(run.output[-2000:])
    return timing.best.seconds, min(r.cpu for r in timing.runs), timing.peak_rss, timing.status


def blob_reads(roots: list[str]) -> None:
    """Per repository: CI files read from the work tree vs from git objects (ls-tree and
    ``cat-file --batch``: two git processes per repository)."""
    from infradocs.core.inventory.locate import read_git, read_worktree

    for name, fn in [
        ("work tree reads", lambda r: read_worktree(r, 1 << 20)),
        ("git ls-tree + cat-file --batch", lambda r: read_git(f"{r}/.git", "HEAD", 1 << 20)),
    ]:
        run = measure(lambda fn=fn: sum(len(fn(r).files) for r in roots)).best
        wall, cpu, files = run.seconds, run.cpu, run.value
        print(
            f"{name:38} {wall / len(roots) * 1e6:7.0f} us/repo wall, "
            f"{cpu / len(roots) * 1e6:6.0f} us/repo CPU ({files} files, {len(roots)} repos)"
        )


def _warm(org: str) -> None:
    """Read every file once so the OS file cache is warm for all three runs."""
    for dirpath, _, names in os.walk(org):
        for n in names:
            with open(os.path.join(dirpath, n), "rb") as fh:
                fh.read()


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark."""
    from tests.support.synth import Mix

    p = argparse.ArgumentParser(prog="python -m benchmarks.inventory")
    p.add_argument("--sizes", default="2000,25000", help="comma-separated org sizes")
    p.add_argument("--dir", help="where to build the orgs (default: a temporary folder)")
    p.add_argument("--repeat", type=int, default=2, help="runs per configuration (best counts)")
    p.add_argument("--seed", type=int, default=1, help="random seed of the synthetic org")
    p.add_argument(
        "--mix", default="", help="org proportions, e.g. noarch=0.6,linux_gha=0.5 (synth.Mix)"
    )
    args = p.parse_args(argv)
    try:
        Mix.parse(args.mix)
    except ValueError as exc:
        p.error(str(exc))
    base = args.dir or tempfile.mkdtemp(prefix="inventory-bench-")
    for size in (int(s) for s in args.sizes.split(",")):
        bench(size, base, max(1, args.repeat), args.seed, args.mix)
    if not args.dir:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
