"""An incremental rebuild keeps every page's index entries in the search index."""

from __future__ import annotations

import json
from pathlib import Path

import sphinxapp

CONF = 'extensions = ["myst_parser", "infradocs.sphinxext.siteconfig"]\n'


def _build(src: Path, out: Path) -> Path:
    """A strict build (-W) in this process; the folder of its pages."""
    built = sphinxapp.build(src, out, nitpicky=False)
    assert built.returncode == 0, built.stderr
    return built.outdir


def _entries(out: Path) -> set[str]:
    text = (out / "searchindex.js").read_text()
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(index["indexentries"])


def test_unchanged_pages_keep_their_entries(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    pages = ["alpha", "beta", "gamma"]
    toc = "\n".join(pages)
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toc}\n```\n")
    for name in pages:
        (src / f"{name}.md").write_text(f"# {name}\n\n```{{index}} {name}-term\n```\n\nText.\n")
    assert _entries(_build(src, out)) == {"alpha-term", "beta-term", "gamma-term"}
    page = src / "beta.md"
    page.write_text(page.read_text() + "\nMore text.\n")
    assert _entries(_build(src, out)) == {"alpha-term", "beta-term", "gamma-term"}
