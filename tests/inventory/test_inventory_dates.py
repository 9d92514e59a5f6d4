"""Each source of the snapshot carries the date of the commit it was read at."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from docutils import nodes
from invhelpers import GIT_ENV, make_repo, run_cli

from infradocs.core.inventory.snapshot import load as load_snapshot
from infradocs.sphinxext.inventory_tables import snapshot


def _commit_on(repo: Path, when: str) -> None:
    """Re-commit HEAD with author and committer date ``when`` (ISO 8601, with offset)."""
    env = {**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(
        ["git", "commit", "-q", "--amend", "--no-edit", "--allow-empty"],
        cwd=repo,
        env=env,
        check=True,
    )


def test_generated_sources_record_the_utc_commit_date(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "a", files={".github/workflows/ci.yml": "on: [push]\n"})
    _commit_on(repo, "2026-08-22T23:30:00-05:00")  # 04:30 UTC on the 23rd
    plain = tmp_path / "plain" / ".github" / "workflows"
    plain.mkdir(parents=True)
    (plain / "ci.yml").write_text("on: [push]\n")
    status, doc, err = run_cli("--generated", str(repo), str(plain.parents[1]))
    assert status == 0, err
    by_name = {s["name"]: s for s in doc["generated"]["sources"]}
    assert by_name["a"]["date"] == "2026-08-23"
    assert "date" not in by_name["plain"]  # not a git repository: no commit, no date


def test_snapshot_table_shows_each_date() -> None:
    doc = {
        "repos": [{"name": "o/a"}, {"name": "o/b"}],
        "generated": {
            "at": "2026-11-25T14:20:23Z",
            "sources": [
                {"name": "o/a", "origin": None, "commit": "a" * 40, "date": "2026-08-22"},
                {"name": "o/b", "origin": None, "commit": "b" * 40},
            ],
        },
    }
    text = " ".join(n.astext() for n in snapshot(doc) if isinstance(n, nodes.Node))
    assert "committed 2026-08-22" in text
    assert "committed on an unrecorded date" in text


def test_committed_snapshot_dates_every_source() -> None:
    sources = load_snapshot()["generated"]["sources"]
    missing = [s["name"] for s in sources if not s.get("date")]
    assert missing == []
