"""``python -m infradocs.cli.links``: from a real build to console, JSON and Markdown reports and
exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from linkhelpers import build, check

from infradocs.cli.links import main

CONFIG = """
[external]
timeout = 2.0
retries = 0
cache_dir = "cache"
"""


@pytest.fixture
def site(tmp_path: Path, server) -> Path:
    """A tiny project linking to the local server; returns its record of links."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "infradocs.sphinxext.links"]\n')
    (src / "index.md").write_text(
        f"# Home\n\nGood <{server.url}/ok>, gone <{server.url}/410>.\n\n"
        f"Again [gone]({server.url}/410) and [anchor]({server.url}/ok#present).\n"
    )
    assert build(src, tmp_path / "out").returncode == 0
    (tmp_path / "config.toml").write_text(CONFIG)
    return tmp_path / "out" / "doctrees" / "links.json"


def run(tmp_path: Path, record: Path, *extra: str) -> int:
    return check(tmp_path, record, *extra)


def test_reports_name_file_line_status_and_advice(site, tmp_path, server, capsys, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run(tmp_path, site, "--json", str(tmp_path / "r.json")) == 1
    out = capsys.readouterr().out
    assert f"index.md:3: broken: {server.url}/410 (HTTP 410)" in out
    assert f"index.md:5: broken: {server.url}/410 (HTTP 410)" in out
    assert "removed on purpose" in out
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["broken"] == 1 and data["summary"]["ok"] == 2
    gone = next(r for r in data["results"] if r["url"].endswith("/410"))
    assert gone["locations"] == [{"file": "index.md", "line": 3}, {"file": "index.md", "line": 5}]
    md = summary.read_text()
    assert "| Where | Link | Status | What to do |" in md
    assert f"| index.md:3, index.md:5 | {server.url}/410 | broken: HTTP 410 |" in md


def test_second_run_uses_the_cache(site, tmp_path, server, capsys):
    run(tmp_path, site)
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {".lycheecache", "results.json"}
    before = len(server.log)
    # Good URLs from lychee's cache, the broken one from ours: still reported, not asked.
    assert run(tmp_path, site) == 1
    assert server.log[before:] == []
    out = capsys.readouterr().out
    assert "3 cached; 0 fetched by lychee" in out
    assert f"index.md:3: broken: {server.url}/410 (cached: HTTP 410" in out


def test_all_good_exits_zero(site, tmp_path, server):
    record = json.loads(site.read_text())
    for doc in record["docs"].values():
        doc["external"] = [[u, line] for u, line in doc["external"] if "/410" not in u]
    site.write_text(json.dumps(record))
    assert run(tmp_path, site, "--no-cache") == 0


def test_malformed_entry_named_and_rest_checked(site, tmp_path, capsys):
    record = json.loads(site.read_text())
    record["docs"]["broken-doc"] = {"source": "x.md", "external": [["u"]]}
    site.write_text(json.dumps(record))
    assert run(tmp_path, site) == 1
    captured = capsys.readouterr()
    assert f"{site}: document 'broken-doc': skipped, malformed" in captured.err
    assert "3 external URLs" in captured.out


def test_missing_record_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "config.toml").write_text(CONFIG)
    assert run(tmp_path, tmp_path / "nope.json") == 2
    assert "nope.json: not found; build the site first" in capsys.readouterr().err


def test_internal_command(site, tmp_path, capsys):
    html = tmp_path / "out" / "html"
    assert main(["internal", str(html)]) == 0
    (html / "index.html").write_text('<a href="gone.html#x">x</a>')
    assert main(["internal", str(html)]) == 1
    assert "broken link 'gone.html#x': no such file: gone.html" in capsys.readouterr().out


def test_lychee_missing_is_exit_two(site, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        "infradocs.core.links.lychee.executable", lambda: str(tmp_path / "no-lychee")
    )
    assert run(tmp_path, site) == 2
    assert "error: cannot run" in capsys.readouterr().err
