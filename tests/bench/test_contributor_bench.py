"""The contributor benchmark runs end to end on a tiny site (no timing is asserted)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import sphinxapp

import benchmarks.loop as loop
from benchmarks.contributor import contributor
from benchmarks.loop import Site, fresh_copy
from benchmarks.timing import Run, Timing
from infradocs.core.siteconfig import ROOT
from tests.support.plainsite import plain_copy, plain_text
from tests.support.synthsite import generate


def test_contributor_loop_on_a_tiny_site(tmp_path: Path) -> None:
    src = generate(tmp_path / "tiny", pages=3)
    page = src / "page1.md"  # the baseline touches its page of the same name
    before = page.read_text()
    ours = Site("tiny site", src, src, tmp_path / "build" / "live", page)
    lines = contributor(ours, tmp_path / "work", repeat=1, settings=ROOT)
    text = "\n".join(lines)
    assert page.read_text() == before  # the touched page is restored
    assert "tiny site (4 pages)" in text and "plain Sphinx (MyST, theme) (4 pages)" in text
    assert "target one page touched: <= 1.5 s" in text
    assert "target nothing changed: <= 1.2 s" in text
    assert "load averages" in text and "median of rounds" in text
    assert (tmp_path / "build" / "live" / "page1.html").is_file()
    assert (tmp_path / "work" / "plain-build" / "live" / "page1.html").is_file()


PAGE = """\
# Tokens

```{component} some-token
```

Intro with {fact}`a claim <{repo: o/r, path: f, contains: "x"}>`, a link to {doc}`other`, and
{fact}`a claim over
two lines <{repo: o/r, path: f, contains: "y"}>`.

::::{grid} 2
:gutter: 1
:::{grid-item-card} A card
Card text.
:::
::::

```{note}
Kept as it is.
```

```{mermaid}
:caption: flow
flowchart LR
  a --> b
```

```{toctree}
:maxdepth: 1

other
```
"""


def test_plain_copy_keeps_the_text_and_sphinx_own_directives(tmp_path: Path) -> None:
    assert plain_text(PAGE) == (
        "# Tokens\n\n\n"
        "Intro with a claim, a link to {doc}`other`, and\na claim over\ntwo lines.\n\n"
        "Card text.\n\n"
        "```{note}\nKept as it is.\n```\n\n"
        "```text\nflowchart LR\n  a --> b\n```\n\n"
        "```{toctree}\n:maxdepth: 1\n\nother\n```\n"
    )
    docs = tmp_path / "docs"
    (docs / "_static").mkdir(parents=True)
    (docs / "index.md").write_text(PAGE)
    (docs / "other.md").write_text("# Other\n")
    out = plain_copy(docs, tmp_path / "plain", ROOT)
    assert sorted(p.name for p in out.iterdir()) == ["conf.py", "index.md", "other.md"]
    assert (out / "index.md").read_text() == plain_text(PAGE)
    assert 'extensions = ["myst_parser"]' in (out / "conf.py").read_text()
    built = sphinxapp.build(out, tmp_path / "out")  # strict: nothing is left unknown
    assert built.returncode == 0, built.stderr


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
