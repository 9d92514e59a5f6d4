"""The evidence benchmark runs on a small project: the whole command, its phases and the three
ways of reading the clones (no timing is asserted); ``verify`` itself has no bench option."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from evhelpers import write_project

from benchmarks import evidence as bench
from infradocs.cli.evidence import main as verify_main
from infradocs.core import git as gitcli


def test_bench_prints_the_command_its_phases_and_the_baselines(tmp_path: Path) -> None:
    clones, model, docs = write_project(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        args = ["--clones", str(clones), "--model", str(model), "--docs", str(docs)]
        assert bench.main([*args, "--repeat", "1", "--jobs", "2"]) == 0
    text = out.getvalue()
    phases = re.findall(r"^  ([a-z ]+): [\d.]+ s$", text, re.MULTILINE)
    assert phases == [
        "start and imports",
        "load the model",
        "collect items and claims",
        "verify the items",
        "compare secret holders",
        "build the report",
    ]
    assert re.search(r"the whole command, median of 1: [\d.]+ s wall .* exit 0", text)
    assert re.search(r"ours / baseline: [\d.]+x", text)
    assert re.search(r"ours / that: [\d.]+x", text) and "load average: " in text


def test_the_readers_see_the_same_files(tmp_path: Path) -> None:
    """The baseline and the whole-tree reader hand the checks what ours does."""
    clones, _, _ = write_project(tmp_path)
    where = str(clones / "o" / "bot")
    commit = gitcli.rev_parse(where, "HEAD")
    paths = ["bot.py", "missing.py", ".github"]
    want = bench.Clones(str(clones)).read(where, commit, paths, {"bot.py"})
    assert set(want) == {"bot.py", ".github"} and want["bot.py"].data
    for kind in (bench.PerFileClones, bench.WholeTreeClones):
        assert kind(str(clones)).read(where, commit, paths, {"bot.py"}) == want


def test_verify_has_no_bench_option(tmp_path: Path, capsys) -> None:
    clones, model, _ = write_project(tmp_path)
    with pytest.raises(SystemExit) as exc:
        verify_main(["verify", "--clones", str(clones), "--model", str(model), "--bench"])
    assert exc.value.code == 2 and "unrecognized arguments: --bench" in capsys.readouterr().err
