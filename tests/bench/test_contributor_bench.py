"""The contributor benchmark runs end to end on a tiny site (no timing is asserted)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.__main__ import contributor
from bench.loop import Site, fresh_copy
from bench.synthetic import generate, generate_plain


def test_contributor_loop_on_a_tiny_site(tmp_path: Path) -> None:
    src = generate(tmp_path / "tiny", pages=3)
    page = src / "page1.md"
    before = page.read_text()
    ours = Site("tiny site", src, src, tmp_path / "build" / "live", page)
    lines = contributor(ours, tmp_path / "work", repeat=1)
    text = "\n".join(lines)
    assert page.read_text() == before  # the touched page is restored
    assert "tiny site (4 pages)" in text and "plain Sphinx (MyST, theme) (4 pages)" in text
    assert "target one page touched: <= 1.5 s" in text
    assert "target nothing changed: <= 1.2 s" in text
    assert "load averages" in text
    assert (tmp_path / "build" / "live" / "page1.html").is_file()
    assert (tmp_path / "work" / "plain-build" / "live" / "page1.html").is_file()


def test_plain_pages_have_the_size_asked_for(tmp_path: Path) -> None:
    src = generate_plain(tmp_path, pages=5, page_bytes=3000)
    sizes = [p.stat().st_size for p in src.glob("page*.md")]
    assert len(sizes) == 5 and all(2800 <= s <= 3100 for s in sizes), sizes
    conf = (src / "conf.py").read_text()
    assert 'extensions = ["myst_parser"]' in conf


def test_fresh_copy_has_tracked_files_with_work_tree_edits_only(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (repo / "kept.txt").write_text("one\n")
    (repo / "build").mkdir()
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "kept.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    (repo / "kept.txt").write_text("edited\n")
    (repo / "build" / "old.html").write_text("stale")
    dest = fresh_copy(repo, tmp_path / "copy")
    assert (dest / "kept.txt").read_text() == "edited\n"
    assert not (dest / "build").exists()
