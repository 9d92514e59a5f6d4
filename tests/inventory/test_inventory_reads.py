"""What a first run asks of the system: whole files read whatever their stat said, and no
git process for a work tree (one per repository only for the ``generated`` commit dates)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from infradocs.cli import inventory as cli
from infradocs.core.inventory.locate import _read_file
from tests.support.synth import make_org


@pytest.mark.parametrize("hint", [-1, 0, 5, 999, 1000, 1001, 1028, 5000])
def test_a_file_is_read_whole_whatever_size_its_stat_gave(tmp_path: Path, hint: int) -> None:
    """The size from the stat only sizes the first read: a file that grew or shrank since
    (or a stat that was wrong) is still read to its end, and never past the cap."""
    path = tmp_path / "f.yml"
    data = bytes(range(256)) * 4 + b"tail"  # 1,028 bytes
    path.write_bytes(data)
    assert _read_file(str(path), 1 << 20, hint) == data
    assert _read_file(str(path), 100, hint) == data[:101]  # the cap plus one byte: too big
    path.write_bytes(b"")
    assert _read_file(str(path), 1 << 20, hint) == b""


def _git_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every ``git`` command the process starts from now on (it still runs)."""
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(cmd, *args, **kwargs):
        if isinstance(cmd, (list, tuple)) and cmd and os.path.basename(str(cmd[0])) == "git":
            calls.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    return calls


def test_a_first_run_starts_no_git_and_dates_cost_one_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roots = make_org(str(tmp_path / "org"), 12)
    calls = _git_calls(monkeypatch)
    out = tmp_path / "out.json"
    args = ["--no-progress", "--jobs", "1", "--cache", str(tmp_path / "cache"), "-o", str(out)]
    assert cli.main([*args, *roots]) == 0
    assert len(json.loads(out.read_text())["repos"]) == len(roots)
    assert calls == []  # commit, branch and origin come from the files under .git
    assert cli.main([*args, "--generated", *roots]) == 0  # a re-run: dates only
    assert len(calls) == len(roots) and all("show" in c for c in calls)
