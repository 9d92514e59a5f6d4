"""The scan's per-process memos give exactly what the plain functions give."""

from __future__ import annotations

import json
import os
import random

import pytest

from infradocs.core.inventory import gitmeta, scan
from infradocs.core.inventory.cache import detail_json, row_of
from infradocs.core.inventory.document import dump_repo, repo_entry
from infradocs.core.inventory.facts import Facts, empty_facts
from infradocs.core.inventory.statsig import RACY_NS, signature_of, stat_or_none, stat_signature
from infradocs.core.redact import redact


@pytest.fixture(autouse=True)
def _fresh_memos(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("_KEYS", "_REST", "_WORKFLOWS", "_DETAILS"):
        monkeypatch.setattr(scan, name, {})
    monkeypatch.setattr(scan, "_kept", [0])


def test_content_keys_are_the_hashes_and_only_small_contents_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(3)
    contents = [rng.randbytes(rng.choice([0, 10, 900, 16_384, 16_385, 40_000])) for _ in range(60)]
    for kind in ("github-actions", "conda-forge.yml"):
        for data in contents + contents:  # the second time from the memo
            assert scan.content_key(kind, bytes(data)) == scan.blob_key(kind, data)
    kept = {data for _, data in scan._KEYS}
    assert kept and all(len(d) <= scan._KEEP for d in kept)
    assert any(len(d) > scan._KEEP for d in contents)
    monkeypatch.setattr(scan, "_KEYS", {})
    monkeypatch.setattr(scan, "_kept", [0])
    monkeypatch.setattr(scan, "_KEPT_MAX", 1_000)  # full: keys still right, no more kept
    for data in contents:
        assert scan.content_key("drone", data) == scan.blob_key("drone", data)
    assert sum(len(d) for _, d in scan._KEYS) < 1_000 + scan._KEEP


def _facts() -> Facts:
    a = empty_facts() | {"name": "CI", "triggers": ["push"], "secrets": ["TOKEN"]}
    b = empty_facts() | {"services": [["pypi", 4]], "problems": [[2, "odd"]]}
    cfy = {"settings": {"provider": {"linux": "azure"}}, "problems": []}
    return Facts({}, {"k:a": a, "k:b": b, "k:cfy": cfy})


@pytest.mark.parametrize(
    ("name", "commit"),
    [
        ("conda-forge/x-feedstock", "0" * 40),
        ('o/"quoted"\\name', None),
        ("o/caf\u00e9-\u2603", "f" * 40),
        ("o/tab\tnew\nline", None),
    ],
)
def test_entry_and_detail_text_equal_the_plain_encoders(name: str, commit: str | None) -> None:
    facts = _facts()
    files = [
        [".github/workflows/a.yml", "github-actions", "k:a", None],
        [".github/workflows/b.yml", "github-actions", "k:b", None],
        ["conda-forge.yml", "conda-forge.yml", "k:cfy", None],
        [".travis.yml", "travis-ci", None, "file is too big"],
    ]
    for problems in ([], [[".woodpecker", None, "symlink points outside"]]):
        record = {"name": name, "commit": commit, "files": files, "problems": problems}
        want = (dump_repo(repo_entry(record, facts)), detail_json(record))
        for _ in range(2):  # built, then from the memos
            assert (scan.entry_json(record, facts), scan.detail_text(record)) == want
        json.loads(want[0])


def test_cache_rows_spell_sigpaths_as_json_does() -> None:
    base = {"root": "/r", "commit": None, "sig": "s", "name": "n", "origin": None}
    base |= {"files": [], "problems": [], "entry": "{}"}
    for paths in (["", ".github", "a.yml"], ["", ".github", "a.yml"], ["", "caf\u00e9"], []):
        row = row_of(base | {"sigpaths": paths})
        assert row[6] == json.dumps(paths) and json.loads(row[6]) == paths


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/conda-forge/x-feedstock.git",
        "https://user:pw@github.com/o/r",
        "https://github.com/o/r?token=abc",
        "git@github.com:o/r.git",
        "/local/path",
        "",
    ],
)
def test_urls_without_credentials_are_returned_as_they_are(url: str) -> None:
    out = redact(url)
    if "@" not in url and "=" not in url:
        assert out is url
    assert "pw" not in out and "abc" not in out


@pytest.mark.parametrize("base", ["/r", "/r/", "r", "", "/"])
@pytest.mark.parametrize("name", [".git", "HEAD", "refs/heads/main", "/abs/ref", ""])
def test_git_paths_are_joined_as_os_path_join_does(base: str, name: str) -> None:
    assert gitmeta._join(base, name) == os.path.join(base, name)


def test_a_scan_signature_is_what_a_later_stat_gives_unless_too_recent(tmp_path) -> None:
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text(name)
        os.utime(tmp_path / name, ns=(10**18, 10**18))
    paths = ["a.yml", "gone.yml", "b.yml"]
    stats = [stat_or_none(str(tmp_path / p)) for p in paths]
    later = 10**18 + RACY_NS + 1
    assert signature_of(stats, now_ns=later) == stat_signature(str(tmp_path), paths)
    assert "-" in signature_of(stats, now_ns=later).split(";")
    assert signature_of(stats, now_ns=later - 2) is None  # modified within the racy window
    assert signature_of([], now_ns=later) == ""
