"""``nox -s bench-org`` end to end on a tiny stand-in org: it runs, and its checks come out true."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_org_runs_and_reports_equal_runs_and_build_costs(tmp_path: Path) -> None:
    args = ["--count", "24", "--sample", "2", "--publish-repos", "300", "--runs", "1"]
    args += ["--dir", str(tmp_path)]
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.org", *args],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "sparse / depth-1 clone" in out
    assert "merged == one process, byte for byte: True" in out
    assert "fetched exactly the changed ones: True" in out
    # The publishing figures: a real build with the derived data and without, for both sizes.
    builds = re.findall(r"site build: median [\d.]+ s with it, \+-?[\d.]+ s over", out)
    assert "median" in out and "of 1 builds" in out
    assert len(builds) == 2, out
    assert "stand-in org scaled to 300 (300 repositories" in out
