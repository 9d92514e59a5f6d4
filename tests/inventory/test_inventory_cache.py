"""The cache: unchanged repositories are skipped by commit and stats, changes are noticed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from invhelpers import OLD, age, git, make_repo, run_cli

from infradocs.core.inventory import cache as cachemod
from infradocs.core.inventory.cache import COLUMNS, NAME, PAGE_SIZE
from infradocs.core.inventory.run import Settings, run
from infradocs.core.inventory.sources import Source


def _entry(doc: dict, name: str) -> dict:
    return next(r for r in doc["repos"] if r["name"] == name)


def _repos(tmp_path: Path) -> list[Path]:
    """Three git repositories and enough plain folders for several worker chunks."""
    repos = [
        make_repo(tmp_path / "feed", fixture="feedstock"),
        make_repo(tmp_path / "web", fixture="webservices", origin="https://github.com/o/web"),
        make_repo(tmp_path / "travis", files={".travis.yml": "language: c\n"}),
    ]
    for i in range(70):
        folder = tmp_path / f"plain{i:02d}" / ".github" / "workflows"
        folder.mkdir(parents=True)
        (folder / "ci.yml").write_text(f"on: [push]\njobs:\n  j{i % 7}:\n    runs-on: r{i}\n")
        repos.append(folder.parents[1])
    return repos


def test_warm_cache_and_jobs_give_identical_output(tmp_path: Path) -> None:
    repos = _repos(tmp_path)
    for r in repos:
        age(r)
    cache = str(tmp_path / "cache")
    args = [str(r) for r in repos]
    outputs = [run_cli(*args)]  # no cache at all
    outputs += [run_cli("--cache", cache, *args) for _ in range(2)]  # cold, then warm
    outputs.append(run_cli("--jobs", "1", "--cache", cache, *args))
    outputs.append(run_cli("--format", "json", "--jobs", "1", *args))
    assert all(status == 0 for status, _, _ in outputs), outputs
    assert all(doc == outputs[0][1] for _, doc, _ in outputs)
    assert os.listdir(cache) == [NAME]  # one file, not one per repository


def test_unchanged_stats_and_commit_skip_reading(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".github/workflows/a.yml": "on: push\n"})
    age(repo)
    cache = str(tmp_path / "cache")
    _, first, _ = run_cli("--cache", cache, str(repo))
    assert first["repos"][0]["workflows"][0]["triggers"] == ["push"]
    wf = repo / ".github/workflows/a.yml"
    st = wf.stat()
    with open(wf, "r+") as fh:  # same size, same inode, old time again: stats unchanged
        fh.write("on: tags")
    os.utime(wf, ns=(st.st_atime_ns, st.st_mtime_ns))
    _, again, _ = run_cli("--cache", cache, str(repo))
    assert again == first  # the file was not read again: its stats and the commit match
    _, fresh, _ = run_cli(str(repo))
    assert fresh["repos"][0]["workflows"][0]["triggers"] == ["tags"]


def test_edits_new_files_and_commits_are_noticed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".github/workflows/a.yml": "on: push\n"})
    age(repo)
    cache = str(tmp_path / "cache")
    run_cli("--cache", cache, str(repo))
    wf = repo / ".github/workflows/a.yml"
    wf.write_text("on: pull_request\n")
    os.utime(wf, (OLD + 5, OLD + 5))  # an edit, even with an old timestamp
    _, edited, _ = run_cli("--cache", cache, str(repo))
    assert edited["repos"][0]["workflows"][0]["triggers"] == ["pull_request"]
    age(repo)
    run_cli("--cache", cache, str(repo))
    (repo / "azure-pipelines.yml").write_text("jobs: []\n")
    _, added, _ = run_cli("--cache", cache, str(repo))
    assert added["repos"][0]["ci_providers"] == ["azure-pipelines", "github-actions"]
    age(repo)
    run_cli("--cache", cache, str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    _, committed, _ = run_cli("--cache", cache, str(repo))
    assert committed["repos"][0]["commit"] == git(repo, "rev-parse", "HEAD")


def test_new_origin_renames_a_cached_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"}, origin="https://x/o/a")
    age(repo)
    cache = str(tmp_path / "cache")
    _, first, _ = run_cli("--cache", cache, "--generated", str(repo))
    assert first["repos"][0]["name"] == "o/a"
    git(repo, "remote", "set-url", "origin", "https://u:tok@x/o/b.git")
    _, renamed, err = run_cli("--cache", cache, "--generated", str(repo))
    assert renamed["repos"][0]["name"] == "o/b"
    assert renamed["repos"][0]["ci_providers"] == ["travis-ci"]
    assert renamed["generated"]["sources"][0]["origin"] == "https://***@x/o/b.git"
    assert "tok" not in err
    assert b"tok" not in (tmp_path / "cache" / NAME).read_bytes()


def _spoil(path: Path, how: str, repo: Path) -> None:
    """Damage the SQLite cache at ``path`` in one of several ways."""
    if how == "garbage":
        path.write_text('{"format": 3, "extractor": "2"}\nR\tbroken\n')
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:3000])
    else:
        db = sqlite3.connect(path)
        with db:
            if how == "other version":
                db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
            elif how == "bad row":
                db.execute("UPDATE repos SET sigpaths = '[not json' WHERE root = ?", (str(repo),))
            elif how == "no table":
                db.execute("DROP TABLE blobs")
        db.close()


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("garbage", "ignoring unreadable cache"),
        ("truncated", "ignoring unreadable cache"),
        ("other version", "written by another version"),
        ("no table", "no such table: blobs"),
        ("bad row", "ignoring bad cache row of"),
    ],
)
def test_unreadable_cache_is_reported_and_rebuilt(tmp_path: Path, how: str, says: str) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"})
    age(repo)
    cache = tmp_path / "cache"
    _, good, _ = run_cli("--cache", str(cache), str(repo))
    _spoil(cache / NAME, how, repo)
    status, doc, err = run_cli("--cache", str(cache), str(repo))
    assert status == 0, err
    assert says in err and (str(cache / NAME) in err or str(repo) in err), err
    assert doc == good
    _, again, err = run_cli("--cache", str(cache), str(repo))  # rebuilt, readable again
    assert again == good and "ignoring" not in err, err
    assert os.listdir(cache) == [NAME]


def test_old_format_cache_is_removed_with_a_message(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"})
    cache = tmp_path / "cache"
    cache.mkdir()
    old = cache / "inventory-cache-v2.txt"
    old.write_text('{"format": 3, "extractor": "2"}\n')
    status, doc, err = run_cli("--cache", str(cache), str(repo))
    assert status == 0 and doc["repos"][0]["ci_providers"] == ["travis-ci"]
    assert f"removing old-format cache {old}" in err
    assert os.listdir(cache) == [NAME]


def test_missing_or_vanished_manifest_folders_are_failures_with_their_line(
    tmp_path: Path,
) -> None:
    keep = make_repo(tmp_path / "keep", files={".travis.yml": "language: c\n"})
    gone = make_repo(tmp_path / "gone", files={".travis.yml": "language: c\n"})
    age(keep)
    age(gone)
    manifest = tmp_path / "m.txt"
    manifest.write_text(f"{keep}\n{tmp_path / 'never'}   # not there\n{gone}\n")
    cache = str(tmp_path / "cache")
    status, doc, err = run_cli("--cache", cache, f"@{manifest}")
    assert status == 1
    assert f"{manifest}:2: '{tmp_path / 'never'}' is not a folder" in err
    assert sorted(r["name"] for r in doc["repos"]) == ["gone", "keep"]
    for path in sorted(gone.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    gone.rmdir()
    status, doc, err = run_cli("--cache", cache, f"@{manifest}")
    assert status == 1
    assert f"{manifest}:3: '{gone}' is not a folder" in err
    assert [r["name"] for r in doc["repos"]] == ["keep"]


def test_packed_refs_new_commits_and_detached_head(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"})
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git/refs/heads/main").exists()
    age(repo)
    cache = str(tmp_path / "cache")
    for _ in range(2):  # cold, then from the cache
        _, doc, _ = run_cli("--cache", cache, str(repo))
        assert doc["repos"][0]["commit"] == git(repo, "rev-parse", "HEAD")
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")  # a loose ref beside packed-refs
    _, doc, _ = run_cli("--cache", cache, str(repo))
    assert doc["repos"][0]["commit"] == git(repo, "rev-parse", "HEAD") != first
    age(repo)
    run_cli("--cache", cache, str(repo))
    git(repo, "checkout", "-q", "--detach", first)
    _, doc, _ = run_cli("--cache", cache, str(repo))
    assert doc["repos"][0]["commit"] == first


def test_a_cache_that_cannot_be_written_is_reported_not_fatal(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"})
    cache = tmp_path / "cache"
    (cache / NAME).mkdir(parents=True)  # a folder where the cache file should be
    status, doc, err = run_cli("--cache", str(cache), str(repo))
    assert status == 0, err
    assert f"ignoring unreadable cache {cache / NAME}" in err
    assert "inventory: could not write cache:" in err and NAME in err
    assert doc["repos"][0]["ci_providers"] == ["travis-ci"]
    assert sorted(os.listdir(cache)) == [NAME]  # no temporary file left behind


def _rows(path: Path) -> dict[str, tuple]:
    db = sqlite3.connect(path)
    try:
        return {row[0]: row for row in db.execute(f"SELECT {COLUMNS} FROM repos")}
    finally:
        db.close()


def _page_size(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA page_size").fetchone()[0]
    finally:
        db.close()


def test_the_cache_written_beside_the_output_is_whole_once_finished(tmp_path: Path) -> None:
    repos = _repos(tmp_path)
    cache = tmp_path / "cache"
    sources = [Source("path", str(r), "test") for r in repos]
    outcome = run(sources, Settings(jobs=2, cache_dir=str(cache)))
    outcome.finish()
    assert outcome.saving is None
    rows = _rows(cache / NAME)
    assert sorted(rows) == sorted(outcome.roots.values()) and len(rows) == len(repos)
    by_root = {outcome.roots[name]: entry for name, _, entry in outcome.repos}
    assert {root: row[8] for root, row in rows.items()} == by_root  # the entries written out
    assert _page_size(cache / NAME) == PAGE_SIZE
    again = run(sources, Settings(jobs=1, cache_dir=str(cache)))
    again.finish()
    assert sorted(again.repos) == sorted(outcome.repos)


def test_a_cache_with_smaller_pages_is_still_read_and_updated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "r", files={".travis.yml": "language: c\n"})
    other = make_repo(tmp_path / "s", files={".travis.yml": "language: python\n"})
    age(repo)
    cache = tmp_path / "cache"
    sources = [Source("path", str(repo), "test")]
    monkeypatch.setattr(cachemod, "PAGE_SIZE", 4096)  # as files written before 16 kB pages
    first = run(sources, Settings(jobs=1, cache_dir=str(cache)))
    first.finish()
    monkeypatch.undo()
    assert _page_size(cache / NAME) == 4096
    both = run([*sources, Source("path", str(other), "test")], Settings(cache_dir=str(cache)))
    both.finish()
    assert "ignoring" not in capsys.readouterr().err
    assert sorted(_rows(cache / NAME)) == sorted([str(repo), str(other)])
    assert _page_size(cache / NAME) == 4096  # kept, not rebuilt
    assert [r for r in both.repos if r[0] == first.repos[0][0]] == first.repos
