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
