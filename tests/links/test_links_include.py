"""``links check --include REGEX``: only matching external URLs are checked (two real servers
on 127.0.0.1, told apart by port)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from linkhelpers import check

from infradocs.cli.links import main


@pytest.fixture
def hosts(serve):
    """Two servers with the link-check cases, on two ports of 127.0.0.1."""
    return [serve(), serve()]


def _record(tmp_path: Path, hosts: list, config: str = "") -> Path:
    a, b = hosts
    urls = [f"{a.url}/ok", f"{a.url}/410", f"{b.url}/ok", f"{b.url}/410", f"{b.url}/ok#present"]
    doc = {"source": "index.md", "external": [[u, i + 1] for i, u in enumerate(urls)]}
    record = tmp_path / "links.json"
    record.write_text(json.dumps({"docs": {"index": doc}}))
    (tmp_path / "config.toml").write_text(f"[external]\ntimeout = 2.0\nretries = 0\n{config}")
    return record


def run(tmp_path: Path, record: Path, *extra: str) -> tuple[int, dict]:
    report = tmp_path / "report.json"
    status = check(tmp_path, record, "--json", str(report), *extra)
    return status, json.loads(report.read_text())


def test_only_matching_urls_are_fetched_and_reported(tmp_path, hosts, capsys):
    a, b = hosts
    record = _record(tmp_path, hosts)
    status, report = run(tmp_path, record, "--include", f"^{re.escape(a.url)}/")
    assert status == 1  # a's /410
    assert sorted(r["url"] for r in report["results"]) == [f"{a.url}/410", f"{a.url}/ok"]
    assert {p for _, p in a.log} == {"/ok", "/410"} and b.log == []
    assert "2 of 5 external URLs match --include" in capsys.readouterr().out


def test_include_is_searched_anywhere_and_repeatable(tmp_path, hosts):
    a, b = hosts
    record = _record(tmp_path, hosts)
    # "/410", not "410": patterns are searched anywhere, and a random port may hold 410
    status, report = run(tmp_path, record, "--include", "/ok#", "--include", "/410")
    assert status == 1
    assert sorted(r["url"] for r in report["results"]) == sorted(
        [f"{a.url}/410", f"{b.url}/410", f"{b.url}/ok#present"]
    )
    assert a.log == [("GET", "/410")] and sorted(b.log) == [("GET", "/410"), ("GET", "/ok")]


def test_settings_include_and_the_command_line_replaces_it(tmp_path, hosts):
    a, b = hosts
    port = b.url.rsplit(":", 1)[1]
    record = _record(tmp_path, hosts, f'include = [":{port}/"]\n')
    status, report = run(tmp_path, record)
    assert status == 1 and {r["url"].split("/")[2] for r in report["results"]} == {
        b.url.split("/")[2]
    }
    assert a.log == []
    status, report = run(tmp_path, record, "--include", f"{re.escape(a.url)}/ok")
    assert status == 0 and [r["url"] for r in report["results"]] == [f"{a.url}/ok"]


def test_warm_run_with_include_asks_no_server(tmp_path, hosts, capsys):
    a, b = hosts
    record = _record(tmp_path, hosts)
    assert run(tmp_path, record, "--include", "/ok")[0] == 0
    before = len(a.log) + len(b.log)
    status, report = run(tmp_path, record, "--include", "/ok")
    assert status == 0 and len(a.log) + len(b.log) == before
    assert all(r["cached"] for r in report["results"]) and len(report["results"]) == 3


def test_bad_include_is_a_clear_error(tmp_path, hosts, capsys):
    record = _record(tmp_path, hosts)
    assert (
        main(["--config", str(tmp_path / "config.toml"), "check", str(record), "--include", "("])
        == 2
    )
    assert "--include[0]: bad regular expression '('" in capsys.readouterr().err
    (tmp_path / "config.toml").write_text("[external]\ninclude = 'x'\n")
    assert main(["--config", str(tmp_path / "config.toml"), "check", str(record)]) == 2
    assert "external.include must be an array of strings" in capsys.readouterr().err
