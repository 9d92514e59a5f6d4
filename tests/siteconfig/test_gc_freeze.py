"""The site-wide extension keeps start-up objects out of the collector's passes while a build
runs, and hands them back when it ends."""

from __future__ import annotations

import gc
from pathlib import Path

import sphinxapp

PROBE = """
import gc

def _probe(app, env, docnames):
    (app.srcdir / "frozen.txt").write_text(str(gc.get_freeze_count()))

def setup(app):
    app.connect("env-before-read-docs", _probe)
"""


def test_start_up_objects_are_frozen_during_the_build_only(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "probe.py").write_text(PROBE)
    (src / "conf.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
        'extensions = ["myst_parser", "infradocs.sphinxext.siteconfig", "probe"]\n'
    )
    (src / "index.md").write_text("# Home\n\nText.\n")
    gc.collect()
    before = gc.get_freeze_count()
    built = sphinxapp.build(src, tmp_path / "out", nitpicky=False)
    assert built.returncode == 0, built.stderr
    assert int((src / "frozen.txt").read_text()) > before + 10_000  # the start-up heap
    assert gc.get_freeze_count() == before  # handed back to the collector


def test_objects_frozen_before_the_build_stay_frozen(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "infradocs.sphinxext.siteconfig"]\n')
    (src / "index.md").write_text("# Home\n\nText.\n")
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        built = sphinxapp.build(src, tmp_path / "out", nitpicky=False)
        assert built.returncode == 0, built.stderr
        assert gc.get_freeze_count() >= before  # not handed back: someone else froze them
    finally:
        gc.unfreeze()
