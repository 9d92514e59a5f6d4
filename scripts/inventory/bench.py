"""Benchmark: naive floor vs the extractor's first run and unchanged re-run on a synthetic org.

``python -m inventory.bench [--sizes 2000,25000] [--dir DIR]`` prints wall time, repos/s and
peak memory of each (best of ``--repeat`` runs: the machine is shared), and the ratios of wall
and CPU time to the floor measured in the same run (targets: first <= 0.5x, re-run <= 0.15x).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import multiprocessing as mp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "extract_inventory.py"


def _floor_repo(root: str) -> int:
    """Naive: read every CI file of one repository and parse it with the C loader."""
    import yaml

    from .locate import CONDA_FORGE_YML, DIRS, ROOT_FILES

    paths = [os.path.join(root, p) for p in [*ROOT_FILES, CONDA_FORGE_YML]]
    for d in DIRS:
        with contextlib.suppress(OSError):
            paths += [
                e.path
                for e in os.scandir(os.path.join(root, d))
                if e.name.endswith((".yml", ".yaml"))
            ]
    parsed = 0
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        try:
            if b"&" not in data:  # the naive floor skips alias bombs rather than exploding
                list(yaml.load_all(data, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass
        parsed += 1
    return parsed


def floor_main(manifest: str) -> None:
    """Child-process entry: the naive floor over the repositories in ``manifest``."""
    roots = Path(manifest).read_text().split()
    with mp.get_context("fork").Pool(2) as pool:
        files = sum(pool.imap_unordered(_floor_repo, roots, chunksize=64))
    print(f"parsed {files} files", file=sys.stderr)


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return total


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall s, CPU s, peak memory of the process tree in bytes, exit status) of ``cmd``."""
    cpu0 = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    thread.join()
    if proc.returncode not in (0,):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return wall, _cpu() - cpu0, peak, proc.returncode


def bench(size: int, base: str, repeat: int = 2) -> None:
    """Generate an org of ``size`` repositories and print the three measurements."""
    from .synth import make_org

    org = os.path.join(base, f"org-{size}")
    if not os.path.isdir(org):
        t = time.perf_counter()
        make_org(org, size)
        print(f"generated {size} repositories in {time.perf_counter() - t:.1f}s at {org}")
    manifest = os.path.join(base, f"manifest-{size}.txt")
    roots = sorted(str(p) for p in Path(org).iterdir() if p.name != "_store")
    Path(manifest).write_text("\n".join(roots) + "\n")
    subprocess.run(
        ["cat", *[os.path.join(r, ".github/workflows/conda-build.yml") for r in roots[:1]]],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    _warm(org)
    # Bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE would recompile each run).
    compileall.compile_dir(str(Path(__file__).parent), quiet=1)
    cache = os.path.join(base, f"cache-{size}")
    shutil.rmtree(cache, ignore_errors=True)
    out = os.path.join(base, f"inventory-{size}.json")
    py = sys.executable
    env_path = str(Path(__file__).resolve().parents[1])
    floor_cmd = [
        py,
        "-c",
        f"import sys; sys.path.insert(0, {env_path!r}); "
        f"from inventory.bench import floor_main; floor_main({manifest!r})",
    ]
    run_cmd = [
        py,
        str(SCRIPT),
        "--no-progress",
        "--jobs",
        "2",
        "--cache",
        cache,
        "-o",
        out,
        f"@{manifest}",
    ]
    rows = [
        ("naive floor (C loader, 2 processes)", *best(floor_cmd, repeat)),
        ("extractor, first run (empty cache)", *best(run_cmd, repeat, cache)),
    ]
    rows.append(("extractor, unchanged re-run", *best(run_cmd, repeat)))
    floor, floor_cpu = rows[0][1], rows[0][2]
    print(f"\n{size} repositories, best of {repeat} each (load average now {_load()})")
    print(
        f"{'run':38} {'wall s':>7} {'repos/s':>8} {'peak MB':>7} {'x floor':>7} "
        f"{'CPU s':>6} {'x floor':>7} status"
    )
    for name, wall, cpu, peak, status in rows:
        print(
            f"{name:38} {wall:7.2f} {size / wall:8.0f} {peak / 2**20:7.0f} "
            f"{wall / floor:7.3f} {cpu:6.2f} {cpu / floor_cpu:7.3f} {status}"
        )
    blob_reads(roots[:200])


def best(cmd: list[str], repeat: int, clear: str | None = None) -> tuple[float, float, int, int]:
    """Run ``cmd`` ``repeat`` times (emptying folder ``clear`` before each); the best wall time,
    best CPU time, highest peak memory and worst exit status (the machine is shared)."""
    runs = []
    for _ in range(repeat):
        if clear:
            shutil.rmtree(clear, ignore_errors=True)
        runs.append(measure(cmd))
    return (
        min(r[0] for r in runs),
        min(r[1] for r in runs),
        max(r[2] for r in runs),
        max((r[3] for r in runs), key=abs),
    )


def blob_reads(roots: list[str]) -> None:
    """Per repository: CI files read from the work tree vs from git objects (ls-tree and
    ``cat-file --batch``: two git processes per repository)."""
    from .locate import read_git, read_worktree

    for name, fn in [
        ("work tree reads", lambda r: read_worktree(r, 1 << 20)),
        ("git ls-tree + cat-file --batch", lambda r: read_git(f"{r}/.git", "HEAD", 1 << 20)),
    ]:
        start, cpu0 = time.perf_counter(), _cpu() + time.process_time()
        files = sum(len(fn(r).files) for r in roots)
        wall = time.perf_counter() - start
        cpu = _cpu() + time.process_time() - cpu0
        print(
            f"{name:38} {wall / len(roots) * 1e6:7.0f} us/repo wall, "
            f"{cpu / len(roots) * 1e6:6.0f} us/repo CPU ({files} files, {len(roots)} repos)"
        )


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _warm(org: str) -> None:
    """Read every file once so the OS file cache is warm for all three runs."""
    for dirpath, _, names in os.walk(org):
        for n in names:
            with open(os.path.join(dirpath, n), "rb") as fh:
                fh.read()


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark."""
    p = argparse.ArgumentParser(prog="python -m inventory.bench")
    p.add_argument("--sizes", default="2000,25000", help="comma-separated org sizes")
    p.add_argument("--dir", help="where to build the orgs (default: a temporary folder)")
    p.add_argument("--repeat", type=int, default=2, help="runs per configuration (best counts)")
    args = p.parse_args(argv)
    base = args.dir or tempfile.mkdtemp(prefix="inventory-bench-")
    for size in (int(s) for s in args.sizes.split(",")):
        bench(size, base, max(1, args.repeat))
    if not args.dir:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
