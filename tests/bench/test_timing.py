"""The benchmarks' timing helper measures what it says: wall and CPU time, peak memory, exit
status and output of commands and functions, with setup outside the timed part."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from benchmarks.timing import Run, Timing, load, measure, ratio, stopwatch

BUSY = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"


def test_a_command_is_timed_with_its_cpu_status_and_output(tmp_path: Path) -> None:
    script = BUSY + "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    run = measure([sys.executable, "-c", script], cwd=tmp_path).best
    assert run.status == 3 and "out" in run.output and "err" in run.output
    assert run.cpu >= 0.3 and run.seconds >= run.cpu * 0.9


def test_a_commands_peak_memory_counts_what_it_held(tmp_path: Path) -> None:
    small = measure([sys.executable, "-c", "pass"]).best
    big = measure([sys.executable, "-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * 51200"])
    assert big.best.peak_mib - small.peak_mib > 150


def test_a_commands_peak_memory_leaves_out_what_this_process_holds() -> None:
    held = bytearray(300 * 2**20)
    held[::4096] = b"x" * (300 * 256)  # touched: resident in this process
    run = measure([sys.executable, "-c", "pass"]).best
    assert run.peak_mib < 100, run


def test_a_child_that_cannot_start_raises(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        measure([str(tmp_path / "missing")])


def test_a_function_runs_repeat_times_setup_first_and_untimed() -> None:
    calls: list[str] = []

    def setup() -> None:
        calls.append("setup")
        __import__("time").sleep(0.2)

    timing = measure(lambda: calls.append("run") or len(calls), repeat=3, setup=setup)
    assert calls == ["setup", "run"] * 3
    assert [r.value for r in timing.runs] == [2, 4, 6]
    assert all(r.seconds < 0.15 for r in timing.runs)  # the sleep in setup is not counted


def test_a_functions_cpu_counts_its_waited_children() -> None:
    import subprocess

    run = measure(lambda: subprocess.run([sys.executable, "-c", BUSY], check=True)).best
    assert run.cpu >= 0.3


def test_stopwatch_measures_a_block() -> None:
    with stopwatch() as watch:
        assert math.isnan(watch.seconds)
        exec(BUSY)
    assert watch.cpu >= 0.25 and watch.seconds >= 0.25 and watch.peak_rss > 0


def test_median_best_peak_and_worst_status() -> None:
    runs = tuple(Run(s, s / 2, m, st) for s, m, st in [(3, 10, 0), (1, 30, 2), (2, 20, -9)])
    timing = Timing(runs)
    assert timing.median.seconds == 2 and timing.median.cpu == 1
    assert timing.best.seconds == 1 and timing.peak_rss == 30 and timing.status == -9
    assert Timing(runs[:2]).median.seconds == 1  # the lower median: a run that happened


def test_ratio_and_load() -> None:
    assert ratio(1, 3) == "0.333x" and ratio(30, 2) == "15x" and ratio(1234, 2) == "617x"
    assert ratio(1, 8, percent=True) == "12.5%"
    assert ratio(1, 0) == ratio(float("nan"), 1) == ratio(1, float("nan")) == "n/a"
    assert len(load().split()) == 3 and all(float(x) >= 0 for x in load().split())
