"""The inventory benchmark's floors read what the extractor reads, and find distinct contents."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks import inventory as bench
from tests.support.synth import make_org


def test_floors_cover_the_files_the_extractor_reads(tmp_path: Path) -> None:
    roots = make_org(str(tmp_path / "org"), 40)
    paths, total = bench.unique_files(roots)
    listed = [p for r in roots for p in bench._candidates(r) if os.path.isfile(p)]
    assert total == len(listed) and len(paths) < total
    assert len({Path(p).read_bytes() for p in paths}) == len(paths)  # one path per content
    assert {Path(p).read_bytes() for p in paths} == {Path(p).read_bytes() for p in listed}
    # read-only: the CI files and conda-forge.yml, plus the git HEAD's branch ref and config
    assert sum(bench._read_repo(r) for r in roots) == total + 2 * len(roots)
    assert sum(bench._floor_repo(r) for r in roots) == total


def test_the_infrastructure_share_is_printed(tmp_path: Path) -> None:
    roots = make_org(str(tmp_path / "org"), 40)
    infra = [r for r in roots if not r.endswith("-feedstock")]
    sizes = [os.path.getsize(p) for p in bench._candidates(infra[0]) if os.path.isfile(p)]
    line = bench.infra_line(roots, 1000.0)
    assert line.startswith(f"infrastructure: 1 repositories ({25_000 / 40:.0f} per 25,000")
    assert f"{len(sizes)} CI files of {sum(sizes) / len(sizes) / 1e3:.1f} kB" in line
    assert line.endswith("(all CI files: 1.0 kB)")


def test_rounds_run_every_configuration_in_turn_and_clear_before_it(tmp_path: Path) -> None:
    import sys

    log, folder = tmp_path / "log", tmp_path / "cache"
    write = "import sys; open(sys.argv[1], 'a').write(sys.argv[2])"
    mark = (
        "import os, sys; open(sys.argv[1], 'a').write('B' if not os.path.exists(sys.argv[2])"
        " else 'X'); os.makedirs(sys.argv[2])"
    )
    configs = [
        ([sys.executable, "-c", write, str(log), "A"], None),
        ([sys.executable, "-c", mark, str(log), str(folder)], str(folder)),
        ([sys.executable, "-c", write, str(log), "C"], None),
    ]
    timings = bench.rounds(configs, 2)
    assert log.read_text() == "ABCABC"  # turns within each round; the folder emptied before B
    assert [len(t.runs) for t in timings] == [2, 2, 2] and all(t.status == 0 for t in timings)
    wall, cpu, peak, status = bench.summary(timings[0])
    assert wall == timings[0].best.seconds and cpu == min(r.cpu for r in timings[0].runs)
    assert status == 0 and peak > 0
