"""The contributor benchmark runs end to end on a tiny site (no timing is asserted)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import benchmarks.loop as loop
from benchmarks.contributor import contributor
from benchmarks.loop import Site, fresh_copy
from benchmarks.timing import Run, Timing
from tests.support.synthsite import generate, generate_plain


def test_contributor_loop_on_a_tiny_site(tmp_path: Path) -> None:
    src = generate(tmp_path / "tiny", pages=3)
    page = src / "page1.md"  # the baseline touches its page of the same name
    before = page.read_text()
    ours = Site("tiny site", src, src, tmp_path / "build" / "live", page)
    lines = contributor(ours, tmp_path / "work", repeat=1)
    text = "\n".join(lines)
    assert page.read_text() == before  # the touched page is restored
    assert "tiny site (4 pages)" in text and "plain Sphinx (MyST, theme) (4 pages)" in text
    assert "target one page touched: <= 1.5 s" in text
    assert "target nothing changed: <= 1.2 s" in text
    assert "load averages" in text and "median of rounds" in text
    assert (tmp_path / "build" / "live" / "page1.html").is_file()
    assert (tmp_path / "work" / "plain-build" / "live" / "page1.html").is_file()


def test_plain_site_mirrors_the_names_folders_and_size(tmp_path: Path) -> None:
    names = ["a", "b/index", "b/c", "b/d/e"]  # b/d has no index: its page hangs under b/index
    src = generate_plain(tmp_path, names, page_bytes=3000)
    sizes = {p.relative_to(src).as_posix(): p.stat().st_size for p in src.rglob("*.md")}
    assert sorted(sizes) == ["a.md", "b/c.md", "b/d/e.md", "b/index.md", "index.md"]
    assert all(2800 <= s <= 3200 for s in sizes.values()), sizes
    assert "\na\nb/index\n```" in (src / "index.md").read_text()
    assert "\nc\nd/e\n```" in (src / "b" / "index.md").read_text()
    assert 'extensions = ["myst_parser"]' in (src / "conf.py").read_text()


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


def test_sites_take_turns_and_the_ratio_is_the_median_of_the_rounds(tmp_path, monkeypatch):
    order: list[str] = []

    def fake_run(args, cwd, repeat=1, setup=None):
        if setup is not None:
            setup()
        order.append(Path(cwd).name)
        return Timing((Run(1.0, 1.0, 0),))

    monkeypatch.setattr(loop, "run", fake_run)
    sites = []
    for name in ("ours", "plain"):
        (tmp_path / name).mkdir()
        page = tmp_path / name / "page.md"
        page.write_text("# Page\n")
        sites.append(Site(name, tmp_path / name, tmp_path / name, tmp_path / name / "out", page))
    loops = loop.measure(sites, repeat=3)
    # full builds, three touched rounds, the restored pages, three no-change rounds: in turns
    assert order == ["ours", "plain"] * 8
    assert all(len(x.touched.runs) == len(x.nochange.runs) == 3 for x in loops)
    assert all(s.page.read_text() == "# Page\n" for s in sites)

    ours = Timing((Run(2, 2, 0), Run(4, 4, 0), Run(10, 10, 0)))
    plain = Timing((Run(1, 1, 0), Run(4, 4, 0), Run(4, 4, 0)))
    assert loop.paired(ours, plain) == (2.0, 2.0)  # rounds: 2, 1, 2.5; the medians' ratio is 1
