"""The external checker against a real local server: every case classified, no false positive."""

from __future__ import annotations

from pathlib import Path

import pytest

from links.cache import Cache
from links.config import ConfigError, load
from links.external import check, retry_after
from links.model import Location, Status

CONFIG = """
[external]
concurrency = 16
per_host = 4
timeout = 0.5
retries = 1
retry_after_max = 5.0

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
    results, requests = check(links, settings, cache)
    return {r.url: r for r in results}, requests


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
    "/429-long": (Status.RATE_LIMITED, 429),
    "/500-once": (Status.OK, 200),
    "/slow": (Status.TIMEOUT, None),
    "/ok#present": (Status.OK, 200),
    "/ok#old-style": (Status.OK, 200),
    "/ok#absent": (Status.BROKEN, 200),
    "/no-head#whatever": (Status.OK, 200),
    "/ignored": (Status.IGNORED, None),
}


def test_every_case_is_classified(server, refused_url, settings):
    urls = [server.url + path for path in CASES] + [refused_url]
    results, _ = run(urls, settings)
    got = {
        path: (results[server.url + path].status, results[server.url + path].code) for path in CASES
    }
    assert got == CASES
    refused = results[refused_url]
    assert refused.status is Status.BROKEN
    assert "cannot connect" in refused.detail
    assert results[server.url + "/ok#absent"].detail.endswith("no anchor #absent in the page")
    assert "/ok" in results[server.url + "/chain"].final_url
    assert ("GET", "/ignored") not in server.log
    assert all(r.advice for r in results.values() if r.status not in (Status.OK, Status.IGNORED))


def test_retry_after_is_honoured(server, settings):
    results, _ = run([server.url + "/429"], settings)
    assert results[server.url + "/429"].status is Status.OK
    assert server.hits["/429"] == 2


def test_anchors_share_one_get_and_plain_links_use_head(server, settings):
    run([server.url + "/ok#present", server.url + "/ok#absent", server.url + "/temp"], settings)
    assert server.log.count(("GET", "/ok")) == 1
    assert ("HEAD", "/temp") in server.log


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
    results, _ = run([server.url + "/moved"], load(path).external)
    assert results[server.url + "/moved"].status is Status.OK
    assert "moved on purpose" in results[server.url + "/moved"].detail


def test_cache_skips_good_urls_and_rechecks_broken(server, settings, tmp_path):
    path = tmp_path / "cache.json"
    urls = [server.url + "/ok", server.url + "/404"]
    run(urls, settings, cache := Cache(path, 3600))
    cache.save()
    before = len(server.log)
    results, requests = run(urls, settings, Cache(path, 3600))
    assert results[server.url + "/ok"].cached
    assert results[server.url + "/404"].status is Status.BROKEN
    assert {p for _, p in server.log[before:]} == {"/404"}
    assert requests == 2  # HEAD, then GET to confirm the 404


def test_expired_cache_entry_is_checked_again(server, settings, tmp_path):
    path = tmp_path / "cache.json"
    url = server.url + "/ok"
    run([url], settings, cache := Cache(path, 3600, now=0.0))
    cache.save()
    results, requests = run([url], settings, Cache(path, 3600, now=7200.0))
    assert not results[url].cached and requests == 1


def test_broken_result_is_cached_only_for_its_short_age(server, settings, tmp_path):
    path = tmp_path / "cache.json"
    url = server.url + "/404"
    run([url], settings, cache := Cache(path, 3600 * 24, now=0.0, broken_max_age=600))
    cache.save()
    before = len(server.log)
    results, requests = run([url], settings, Cache(path, 3600 * 24, now=300.0, broken_max_age=600))
    assert results[url].cached and results[url].status is Status.BROKEN and requests == 0
    assert len(server.log) == before and "5 min ago" in results[url].detail
    results, requests = run([url], settings, Cache(path, 3600 * 24, now=900.0, broken_max_age=600))
    assert not results[url].cached and results[url].status is Status.BROKEN and requests == 2
    # Without a broken age (the default), a broken URL is never taken from the cache.
    results, _ = run([url], settings, Cache(path, 3600 * 24, now=1.0))
    assert not results[url].cached


def test_corrupt_cache_is_named_and_ignored(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text("{not json")
    cache = Cache(path, 60)
    assert str(path) in cache.problem and cache.entries == {}


def test_retry_after_forms():
    assert retry_after("7") == 7.0
    assert retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0) == 60.0
    assert retry_after("soon") is None and retry_after(None) is None


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
