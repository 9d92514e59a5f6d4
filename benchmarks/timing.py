"""The benchmarks' one timing helper: wall and CPU time and peak memory of a function or a
command, repeated, with the machine's load and ratios formatted the same way everywhere.

CPU time counts the process measured and the children it waited for; peak memory is the highest
resident memory of the process tree, sampled every 20 ms (and, for a command, at least the high
water mark its own process reached, read while it runs: the ``ru_maxrss`` that ``wait4`` reports
also counts the pages the child shared with this process before ``exec``)."""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Run:
    """One measured run: wall and CPU seconds, peak resident memory (bytes), the command's exit
    status and output (stdout and stderr together), or the function's return value."""

    seconds: float
    cpu: float
    peak_rss: int
    status: int = 0
    output: str = ""
    value: object = None

    @property
    def peak_mib(self) -> float:
        """Peak resident memory in MiB."""
        return self.peak_rss / 2**20


@dataclass(frozen=True)
class Timing:
    """Repeated runs of one configuration (a shared machine: pick the median or the best)."""

    runs: tuple[Run, ...]

    @property
    def median(self) -> Run:
        """The run whose wall time is the (lower) median; its CPU and memory come with it."""
        middle = statistics.median_low([r.seconds for r in self.runs])
        return next(r for r in self.runs if r.seconds == middle)

    @property
    def best(self) -> Run:
        """The fastest run (wall time)."""
        return min(self.runs, key=lambda r: r.seconds)

    @property
    def peak_rss(self) -> int:
        """The highest peak memory of any run (bytes)."""
        return max(r.peak_rss for r in self.runs)

    @property
    def status(self) -> int:
        """The worst exit status of the runs (0 when all succeeded)."""
        return max((r.status for r in self.runs), key=abs)


def in_turns(steps: Sequence[Callable[[], Timing]], repeat: int) -> list[Timing]:
    """``repeat`` rounds, each calling every one of ``steps`` once, in turn, so a machine that
    slows down or speeds up meanwhile weighs on all of them alike; one ``Timing`` per step, its
    runs in round order (what ``paired`` pairs)."""
    runs: list[list[Run]] = [[] for _ in steps]
    for _ in range(repeat):
        for i, step in enumerate(steps):
            runs[i] += step().runs
    return [Timing(tuple(r)) for r in runs]


def paired(ours: Timing, other: Timing) -> tuple[float, float]:
    """The median over rounds of ours / other (wall, CPU): each round's two runs ran one
    after the other, so the machine's drift between rounds cancels out."""
    pairs = list(zip(ours.runs, other.runs, strict=True))
    return (
        statistics.median(a.seconds / b.seconds for a, b in pairs),
        statistics.median(a.cpu / b.cpu for a, b in pairs),
    )


def _status_field(pid: int, name: str) -> int:
    """A ``kB`` field of ``/proc/PID/status`` in bytes (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next((int(line.split()[1]) * 1024 for line in fh if line.startswith(name)), 0)
    except OSError:
        return 0


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, read from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _status_field(p, "VmRSS:")
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return total


@dataclass
class _Sampler:
    """The peak of ``_tree_rss(pid)`` while the ``with`` block runs."""

    pid: int
    peak: int = 0
    _done: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        while True:
            own = _status_field(self.pid, "VmHWM:")
            self.peak = max(self.peak, _tree_rss(self.pid), own)
            if self._done.wait(SAMPLE_SECONDS):
                return

    def __enter__(self) -> _Sampler:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _cpu_so_far() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class Stopwatch:
    """Filled in when its ``stopwatch()`` block ends: wall and CPU seconds, peak memory."""

    seconds: float = math.nan
    cpu: float = math.nan
    peak_rss: int = 0


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    """Measure a block of code running in this process (and the children it waits for)."""
    watch = Stopwatch()
    cpu, start = _cpu_so_far(), time.perf_counter()
    with _Sampler(os.getpid()) as sampler:
        try:
            yield watch
        finally:
            watch.seconds = time.perf_counter() - start
            watch.cpu = _cpu_so_far() - cpu
    watch.peak_rss = sampler.peak


def _run_command(argv: Sequence[str], cwd: str | Path | None, env: dict[str, str] | None) -> Run:
    """Run ``argv`` to its end; its own CPU time (not the other children's) via wait4."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        with _Sampler(proc.pid) as sampler:
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    return Run(seconds, usage.ru_utime + usage.ru_stime, sampler.peak, proc.returncode, text)


def _run_function(fn: Callable[[], object]) -> Run:
    with stopwatch() as watch:
        value = fn()
    return Run(watch.seconds, watch.cpu, watch.peak_rss, value=value)


def measure(
    target: Callable[[], object] | Sequence[str],
    repeat: int = 1,
    setup: Callable[[], object] | None = None,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
) -> Timing:
    """Run ``target`` (a function of no arguments, or a command's argv) ``repeat`` times,
    ``setup`` (not timed) before each; a command that cannot start raises OSError."""
    runs = []
    for _ in range(max(1, repeat)):
        if setup is not None:
            setup()
        if callable(target):
            runs.append(_run_function(target))
        else:
            runs.append(_run_command(list(target), cwd, env))
    return Timing(tuple(runs))


def load() -> str:
    """The machine's 1, 5 and 15 minute load averages, e.g. ``"0.52 0.60 0.71"``."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ratio(part: float, whole: float, percent: bool = False) -> str:
    """``part / whole`` to three significant digits, as ``"0.421x"`` (or ``"42.1%"``);
    ``"n/a"`` when it is undefined."""
    if not whole or math.isnan(whole) or math.isnan(part):
        return "n/a"
    value = part / whole
    if percent:
        return f"{value:.1%}"
    return f"{value:.0f}x" if abs(value) >= 100 else f"{value:.3g}x"
