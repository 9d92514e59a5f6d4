"""The external check (lychee) against a real local server: every case classified, no false
positive, results mapped back to every location, lychee's cache used."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from infradocs.core.links.cache import Cache
from infradocs.core.links.config import ConfigError, load
from infradocs.core.links.lychee import LycheeError, check, command, interleave
from infradocs.core.links.model import Location, Status

CONFIG = """
[external]
concurrency = 16
per_host = 4
timeout = 1.0
retries = 1

[[external.ignore]]
pattern = 'http://127\\.0\\.0\\.1:\\d+/ignored'
reason = "test: never checked"

[[external.ignore_anchors]]
pattern = 'http://127\\.0\\.0\\.1:\\d+/no-head'
reason = "test: page renders its anchors with JavaScript"
"""


@pytest.fixture
def settings(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return load(path).external


def run(urls: list[str], settings, cache=None):
    links = {u: [Location("docs/page.md", i + 1)] for i, u in enumerate(urls)}
    results, requests, warnings = check(links, settings, cache)
    return {r.url: r for r in results}, requests, warnings


CASES = {
    "/ok": (Status.OK, 200),
    "/404": (Status.BROKEN, 404),
    "/410": (Status.BROKEN, 410),
    "/403": (Status.BLOCKED, 403),
    "/moved": (Status.REDIRECTED, 200),
    "/temp": (Status.OK, 200),
    "/chain": (Status.REDIRECTED, 200),
    "/chain-404": (Status.BROKEN, 404),
    "/loop": (Status.BROKEN, 302),
    "/no-head": (Status.OK, 200),
    "/429": (Status.OK, 200),
    "/429-always": (Status.RATE_LIMITED, 429),
    "/500-once": (Status.OK, 200),
    "/slow": (Status.TIMEOUT, None),
    "/ok#present": (Status.OK, 200),
    "/ok#old-style": (Status.OK, 200),
    "/ok#absent": (Status.BROKEN, None),
    "/no-head#whatever": (Status.OK, 200),
    "/ignored": (Status.IGNORED, None),
}


def test_every_case_is_classified(server, refused_url, settings):
    urls = [server.url + path for path in CASES] + [refused_url]
    results, _, warnings = run(urls, settings)
    got = {
        path: (results[server.url + path].status, results[server.url + path].code) for path in CASES
    }
    assert got == CASES and warnings == []
    refused = results[refused_url]
    assert refused.status is Status.BROKEN
    assert "cannot connect" in refused.detail
    assert results[server.url + "/ok#absent"].detail.endswith("no anchor #absent in the page")
    assert "/ok" in results[server.url + "/chain"].final_url
    assert "a loop?" in results[server.url + "/loop"].detail
    assert ("GET", "/ignored") not in server.log
    assert all(r.advice for r in results.values() if r.status not in (Status.OK, Status.IGNORED))
    assert all(r.locations for r in results.values())


def test_retry_after_is_honoured(server, settings):
    results, _, _ = run([server.url + "/429"], settings)
    assert results[server.url + "/429"].status is Status.OK
    assert server.hits["/429"] == 2


def test_ignored_anchors_check_the_page_only(server, settings):
    urls = [server.url + "/no-head#whatever", server.url + "/no-head#other"]
    results, requests, _ = run(urls, settings)
    assert {r.status for r in results.values()} == {Status.OK} and requests == 1
    assert server.hits["/no-head"] == 1  # both fragments stripped: one page, one request


def test_allowed_redirect_is_good(server, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(
        CONFIG
        + """
[[external.allowed_redirects]]
from = 'http://127\\.0\\.0\\.1:\\d+/moved'
to = 'http://127\\.0\\.0\\.1:\\d+/ok'
reason = "test: moved on purpose"
"""
    )
    results, _, _ = run([server.url + "/moved"], load(path).external)
    assert results[server.url + "/moved"].status is Status.OK
    assert "moved on purpose" in results[server.url + "/moved"].detail


def test_cache_skips_good_urls_and_rechecks_broken(server, settings, tmp_path):
    folder = tmp_path / "cache"
    urls = [server.url + "/ok", server.url + "/404", server.url + "/moved"]
    run(urls, settings, cache := Cache(folder, 3600, 0))
    cache.save()
    before = len(server.log)
    results, requests, _ = run(urls, settings, Cache(folder, 3600, 0))
    assert results[server.url + "/ok"].cached and results[server.url + "/moved"].cached
    assert results[server.url + "/moved"].status is Status.REDIRECTED  # lychee's cache says OK
    assert results[server.url + "/404"].status is Status.BROKEN
    assert {p for _, p in server.log[before:]} == {"/404"}
    assert requests == 1


def test_expired_cache_entry_is_checked_again(server, tmp_path):
    folder, cfg = tmp_path / "cache", tmp_path / "c.toml"
    cfg.write_text(CONFIG.replace("retries = 1", "retries = 1\ncache_max_age_hours = 0.0"))
    settings = load(cfg).external
    url = server.url + "/ok"
    run([url], settings, Cache(folder, 0, 0))
    results, requests, _ = run([url], settings, Cache(folder, 0, 0))
    assert not results[url].cached and requests == 1 and server.hits["/ok"] == 2


def test_broken_result_is_cached_only_for_its_short_age(server, settings, tmp_path):
    folder = tmp_path / "cache"
    url = server.url + "/404"
    run([url], settings, cache := Cache(folder, 3600 * 24, 600, now=0.0))
    cache.save()
    before = len(server.log)
    results, requests, _ = run([url], settings, Cache(folder, 3600 * 24, 600, now=300.0))
    assert results[url].cached and results[url].status is Status.BROKEN and requests == 0
    assert len(server.log) == before and "5 min ago" in results[url].detail
    results, requests, _ = run([url], settings, Cache(folder, 3600 * 24, 600, now=900.0))
    assert not results[url].cached and results[url].status is Status.BROKEN and requests == 1
    # Without a broken age, a broken URL is never taken from the cache.
    results, _, _ = run([url], settings, Cache(folder, 3600 * 24, 0, now=1.0))
    assert not results[url].cached


def test_corrupt_caches_are_named_and_ignored(server, settings, tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "results.json").write_text("{not json")
    (folder / ".lycheecache").write_text("{not a cache")
    cache = Cache(folder, 60, 0)
    assert str(folder / "results.json") in cache.problem and cache.entries == {}
    results, requests, warnings = run([server.url + "/ok"], settings, cache)
    assert warnings == [f"{folder / '.lycheecache'}: unreadable cache, starting afresh"]
    assert results[server.url + "/ok"].status is Status.OK and requests == 1
    assert "{not a cache" not in (folder / ".lycheecache").read_text()


def test_settings_become_lychee_flags(settings, tmp_path):
    cmd = command(settings, tmp_path / "in.html", tmp_path / "out.json", cache=True)
    flags = dict(itertools.pairwise(cmd))
    assert flags["--max-concurrency"] == "16" and flags["--host-concurrency"] == "4"
    assert flags["--timeout"] == "1" and flags["--max-retries"] == "1"
    assert flags["--max-cache-age"] == "10080m" and "--include-fragments" in cmd
    assert cmd[-2:] == ["--", str(tmp_path / "in.html")]


def test_missing_lychee_is_a_clear_error(server, settings, monkeypatch, tmp_path):
    monkeypatch.setattr(
        "infradocs.core.links.lychee.executable", lambda: str(tmp_path / "no-lychee")
    )
    with pytest.raises(LycheeError, match=r"cannot run .*no-lychee.*requirements\.txt"):
        run([server.url + "/ok"], settings)


def test_bad_config_names_file_and_key(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[external]\ntimeout = 'fast'\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: external\.timeout must be float"):
        load(path)
    path.write_text("[[external.ignore]]\npattern = '('\nreason = 'x'\n")
    with pytest.raises(ConfigError, match=r"external\.ignore\[0\]\.pattern: bad regular"):
        load(path)
    path.write_text("[[external.ignore]]\npattern = 'x'\n")
    with pytest.raises(ConfigError, match="needs a 'pattern' and a 'reason'"):
        load(path)


def test_project_config_loads():
    s = load()
    assert s.external.cache_max_age_hours > 0
    assert all(r.reason for r in (*s.external.ignore, *s.external.ignore_anchors))
    assert s.external.cache_dir and s.external.cache_broken_max_age_minutes >= 0


def test_lychee_without_a_report_is_a_clear_error(server, settings, monkeypatch, tmp_path):
    fake = tmp_path / "lychee"
    fake.write_text("#!/bin/sh\necho 'config error: boom' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("infradocs.core.links.lychee.executable", lambda: str(fake))
    with pytest.raises(LycheeError, match=r"lychee exited 1 without a report .*boom"):
        run([server.url + "/ok"], settings)


def test_unparsable_urls_are_broken_and_credentials_stay_hidden(settings, refused_url):
    port = refused_url.split(":")[2].split("/")[0]
    urls = ["http://user:hunter2@[::1", f"http://user:hunter2@127.0.0.1:{port}/p"]
    results, _, _ = run(urls, settings)
    assert {r.status for r in results.values()} == {Status.BROKEN}
    assert all("hunter2" not in r.detail + r.advice for r in results.values())
    assert "Cannot parse" in results[urls[0]].detail


def test_hosts_take_turns_in_lychee_input():
    urls = ["http://a/1", "http://a/2", "http://A/3", "http://b/1", "http://[::1", "http://b/2"]
    assert interleave(urls) == [
        "http://a/1",
        "http://b/1",
        "http://[::1",
        "http://a/2",
        "http://b/2",
        "http://A/3",
    ]
