"""The link benchmark's honesty checks: a baseline without a report or with other broken links
than ours is flagged, and a small run on three servers on 127.0.0.1 has every tool agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import links as bench
from infradocs.core.links.lychee import executable


def test_compare_flags_a_missing_report_and_other_broken_links(tmp_path: Path) -> None:
    b = bench.Bench([], tmp_path, {}, 1)
    want = {"http://127.0.0.1:1/missing/17"}
    b.compare("lychee", lambda: bench.lychee_broken(tmp_path / "absent.json"), want)
    (tmp_path / "lychee.json").write_text('{"error_map": {"p.md": [{"url": "http://x/"}]}}')
    b.compare("lychee", lambda: bench.lychee_broken(tmp_path / "lychee.json"), want)
    (tmp_path / "output.json").write_text(
        '{"uri": "http://127.0.0.1:1/missing/17", "status": "broken"}\n'
        '{"uri": "http://127.0.0.1:1/fast/1", "status": "working"}\n'
    )
    b.compare("sphinx", lambda: bench.sphinx_broken(tmp_path), want)
    assert len(b.failures) == 2
    assert b.failures[0].startswith("lychee: no usable report (FileNotFoundError")
    assert "1 more ['http://x/'], 1 missing" in b.failures[1]


def test_a_baseline_that_cannot_start_is_a_failure(tmp_path: Path) -> None:
    b = bench.Bench([], tmp_path, {}, 2)
    wall, status, _ = b.measure("lychee", [str(tmp_path / "no-lychee")], lambda: None)
    assert wall != wall and status == -1  # NaN: no time to compare with
    assert b.failures == [
        f"lychee: did not run ([Errno 2] No such file or directory: '{tmp_path / 'no-lychee'}')"
    ]


def test_planted_broken_links_fall_on_every_host(tmp_path: Path) -> None:
    bases = [f"http://127.0.0.1:{port}" for port in range(9002, 9012)]
    broken = bench.make_site(tmp_path / "src", bases, 1000, 0.05)
    assert len(broken) == 22
    assert {u.split("/")[2] for u in broken} == {b.split("/")[2] for b in bases}
    assert all("/slow/" not in u for u in broken)


@pytest.mark.slow
def test_small_run_all_tools_agree(capsys) -> None:
    if not Path(executable()).is_file():
        pytest.skip("needs lychee (requirements.txt)")
    assert bench.run(n=120, slow=0.0, delay=0.0, repeat=1, addresses=["127.0.0.1"] * 3) == 0
    out = capsys.readouterr().out
    for row in ("ours, cold", "ours, warm", "(tuned: 64 workers)", "lychee (tuned"):
        assert row in out
    assert "FAILED" not in out and "load average" in out
