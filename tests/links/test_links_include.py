"""``links check --include REGEX``: only matching external URLs are checked (real servers on
two loopback addresses, 127.0.0.2 and 127.0.0.3, as the benchmark's hosts are)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from linkhelpers import check

from infradocs.cli.links import main

HOSTS = ("127.0.0.2", "127.0.0.3")


def _bindable(host: str) -> bool:
    try:
        with socket.socket() as s:
            s.bind((host, 0))
        return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not all(map(_bindable, HOSTS)), reason="loopback addresses 127.0.0.2-3 not bindable here"
)


@pytest.fixture
def hosts(serve):
    """Two servers with the link-check cases, on two loopback addresses."""
    return [serve(h) for h in HOSTS]


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
    status, report = run(tmp_path, record, "--include", r"^http://127\.0\.0\.2:")
    assert status == 1  # a's /410
    assert sorted(r["url"] for r in report["results"]) == [f"{a.url}/410", f"{a.url}/ok"]
    assert {p for _, p in a.log} == {"/ok", "/410"} and b.log == []
    assert "2 of 5 external URLs match --include" in capsys.readouterr().out


def test_include_is_searched_anywhere_and_repeatable(tmp_path, hosts):
    a, b = hosts
    record = _record(tmp_path, hosts)
    status, report = run(tmp_path, record, "--include", "/ok#", "--include", "410")
    assert status == 1
    assert sorted(r["url"] for r in report["results"]) == sorted(
        [f"{a.url}/410", f"{b.url}/410", f"{b.url}/ok#present"]
    )
    assert a.log == [("GET", "/410")] and sorted(b.log) == [("GET", "/410"), ("GET", "/ok")]


def test_settings_include_and_the_command_line_replaces_it(tmp_path, hosts):
    a, b = hosts
    record = _record(tmp_path, hosts, 'include = ["127\\\\.0\\\\.0\\\\.3"]\n')
    status, report = run(tmp_path, record)
    assert status == 1 and {r["url"].split("/")[2] for r in report["results"]} == {
        b.url.split("/")[2]
    }
    assert a.log == []
    status, report = run(tmp_path, record, "--include", r"127\.0\.0\.2.*/ok")
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
