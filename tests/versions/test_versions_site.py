"""Build a fixture repository's versions into one site and check what readers get."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from versions_fixture import BASE_URL, NEW_CONF, commit, git, write_site

from infradocs.cli.versions import main
from infradocs.core.localsite import serve

# Builds a versioned site (three versions of a small site, each with Sphinx) for the module.
pytestmark = pytest.mark.slow


def run(repo: Path, work: Path, *extra: str) -> tuple[int, str]:
    """Run ``python -m infradocs.cli.versions build`` in-process; return (status, printed
    output)."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = main(
            ["build", "--repo", str(repo), "--out", str(work / "site"),
             "--cache", str(work / "cache"), "--jobs", "1", *extra]
        )  # fmt: skip
    return status, buf.getvalue()


@pytest.fixture(scope="module")
def built(make_repo, tmp_path_factory) -> dict:
    """The fixture repository built once: repo, work dir, exit status and output."""
    repo = make_repo()
    work = tmp_path_factory.mktemp("work")
    status, out = run(repo, work)
    return {"repo": repo, "work": work, "site": work / "site", "status": status, "out": out}


def page(built: dict, path: str) -> str:
    """The text of a built page."""
    return (built["site"] / path).read_text()


def test_layout(built: dict) -> None:
    site = built["site"]
    for d in ("dev", "stable", "v2026.2", "v2026.1"):
        assert (site / d / "index.html").is_file(), d
    assert (site / "dev" / "new.html").is_file()
    assert not (site / "stable" / "new.html").exists()
    assert (site / "v2026.1" / "retired.html").is_file()
    assert not (site / "v2025.9").exists()  # excluded in pyproject
    assert not (site / "not-a-release").exists()
    assert (site / ".nojekyll").exists()
    assert "Fixture docs 2026.2" in page(built, "stable/index.html")
    assert "Fixture docs dev" in page(built, "dev/index.html")


def test_failed_version_is_reported_and_others_publish(built: dict) -> None:
    assert built["status"] == 2
    assert not (built["site"] / "v2026.0").exists()
    out = built["out"]
    assert re.search(r"failed\s+v2026\.0", out)
    assert "missing-page" in out  # the error itself, not just "failed"
    assert "skipped v2025.9" in out
    report = json.loads((built["work"] / "versions-report.json").read_text())
    status = {r["name"]: r["status"] for r in report}
    assert status == {"dev": "built", "v2026.2": "built", "v2026.1": "built", "v2026.0": "failed"}


def test_switcher_json(built: dict) -> None:
    entries = json.loads(page(built, "switcher.json"))
    assert entries == [
        {"name": "dev", "version": "dev", "url": f"{BASE_URL}dev/"},
        {
            "name": "v2026.2 (stable)",
            "version": "v2026.2",
            "url": f"{BASE_URL}stable/",
            "preferred": True,
        },
        {"name": "v2026.1", "version": "v2026.1", "url": f"{BASE_URL}v2026.1/"},
    ]


def test_theme_switcher_is_configured_for_new_confs(built: dict) -> None:
    for path, match in (("dev/guide.html", "dev"), ("stable/guide.html", "v2026.2")):
        html = page(built, path)
        assert "version-switcher__container" in html
        assert f"theme_switcher_json_url = '{BASE_URL}switcher.json'" in html
        assert f"theme_switcher_version_match = '{match}'" in html
        assert '<details class="versions-fallback">' not in html


def test_old_conf_gets_fallback_switcher_to_same_page(built: dict) -> None:
    html = page(built, "v2026.1/retired.html")
    assert "version-switcher__container" not in html
    links = re.findall(r'<details class="versions-fallback">.*?</details>', html, re.S)
    assert len(links) == 1
    hrefs = re.findall(r'href="([^"]+)"', links[0])
    # retired.html exists only in v2026.1: the others fall back to their home page.
    assert hrefs == ["../dev/index.html", "../stable/index.html", "../v2026.1/retired.html"]
    guide = page(built, "v2026.1/guide.html")
    assert '"../stable/guide.html"' in guide and '"../dev/guide.html"' in guide


def test_banners(built: dict) -> None:
    assert "versions-banner" not in page(built, "stable/guide.html")
    assert "versions-banner" not in page(built, "v2026.2/guide.html")
    old = page(built, "v2026.1/guide.html")
    assert "old release</strong>, v2026.1" in old
    assert 'class="versions-stable-link" href="../stable/guide.html"' in old
    assert "latest release (v2026.2)" in old
    dev = page(built, "dev/guide.html")
    assert "development version</strong> (dev)" in dev
    assert 'href="../stable/guide.html"' in dev
    # A page missing from stable links to stable's home page instead.
    assert 'class="versions-stable-link" href="../stable/index.html"' in page(built, "dev/new.html")
    # The banner comes right after <body>, before the page itself.
    assert re.search(r"<body[^>]*>\s*<div id=\"versions-bar\"", old)


def test_canonical_links_point_at_stable(built: dict) -> None:
    def canonical(path: str) -> list[str]:
        return re.findall(r'<link rel="canonical" href="([^"]+)"', page(built, path))

    for path in ("dev/guide.html", "v2026.1/guide.html", "v2026.2/guide.html", "stable/guide.html"):
        assert canonical(path) == [f"{BASE_URL}stable/guide.html"], path
    assert canonical("dev/new.html") == [f"{BASE_URL}dev/new.html"]
    assert canonical("v2026.1/retired.html") == [f"{BASE_URL}v2026.1/retired.html"]


def test_redirect_sitemap_404(built: dict) -> None:
    root = page(built, "index.html")
    assert 'content="0; url=stable/"' in root
    assert f'<link rel="canonical" href="{BASE_URL}stable/">' in root
    sitemap = page(built, "sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert f"{BASE_URL}stable/guide.html" in locs
    assert f"{BASE_URL}dev/new.html" in locs
    assert f"{BASE_URL}v2026.1/retired.html" in locs
    assert f"{BASE_URL}dev/guide.html" not in locs  # not canonical: stable has it
    assert len(locs) == len(set(locs))
    assert not any(loc.endswith(("search.html", "genindex.html")) for loc in locs)
    notfound = page(built, "404.html")
    assert f'href="{BASE_URL}stable/"' in notfound
    assert f'href="{BASE_URL}v2026.1/"' in notfound
    assert f"Sitemap: {BASE_URL}sitemap.xml" in page(built, "robots.txt")
    # The favicon at the site root, where browsers ask for it, and named by both pages.
    assert (built["site"] / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert '<link rel="icon" href="favicon.ico">' in root
    assert f'<link rel="icon" href="{BASE_URL}favicon.ico">' in notfound


@pytest.fixture
def server(built: dict) -> Iterator[str]:
    """The built site served on 127.0.0.1."""
    with serve(built["site"]) as base:
        yield base


def test_served_site(server: str) -> None:
    with urllib.request.urlopen(server) as resp:
        assert 'url=stable/"' in resp.read().decode()
    with urllib.request.urlopen(server + "stable/guide.html") as resp:
        assert resp.status == 200
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(server + "v2026.1/new.html")
    assert err.value.code == 404
    assert "Page not found" in err.value.read().decode()


def test_cache_skips_unchanged_commits(built: dict, make_repo, tmp_path: Path) -> None:
    repo = make_repo()
    work = tmp_path
    status, out = run(repo, work)
    assert status == 2
    assert re.search(r"built\s+v2026\.2", out)
    status, out = run(repo, work)
    for name in ("dev", "v2026.2", "v2026.1"):
        assert re.search(rf"cached\s+{re.escape(name)}\s", out), out
    assert re.search(r"failed\s+v2026\.0", out)  # failures are retried, never cached
    marker = work / "cache" / "marker"
    marker.write_text("x")
    # A new commit on main rebuilds dev only.
    write_site(repo, NEW_CONF, {"guide": "# Guide\n\nDev 2.\n"}, "dev2")
    sha = commit(repo, "dev 2")
    status, out = run(repo, work)
    assert re.search(r"built\s+dev\s+" + sha[:12], out), out
    assert re.search(r"cached\s+v2026\.2", out) and re.search(r"cached\s+v2026\.1", out)
    assert "Fixture docs dev2" in (work / "site" / "dev" / "index.html").read_text()
    assert len(list((work / "cache").glob("dev@*"))) == 1  # the old dev entry is pruned
    # A changed base URL changes the pages, so it is a different cache key.
    status, out = run(repo, work, "--base-url", "http://127.0.0.1:8000")
    assert re.search(r"built\s+v2026\.2", out)
    entries = json.loads((work / "site" / "switcher.json").read_text())
    assert entries[0]["url"] == "http://127.0.0.1:8000/dev/"


def test_builds_from_commits_not_the_working_tree(make_repo, tmp_path: Path) -> None:
    repo = make_repo()
    (repo / "docs" / "guide.md").write_text("# Guide\n\nUNCOMMITTED EDIT\n")
    git(repo, "tag", "-d", "v2026.0", "v2026.1", "v2026.2")
    status, _ = run(repo, tmp_path)
    assert status == 0
    assert "UNCOMMITTED" not in (tmp_path / "site" / "dev" / "guide.html").read_text()
    # Without any release, the root goes to dev and dev says so.
    assert 'url=dev/"' in (tmp_path / "site" / "index.html").read_text()
    assert "No release has been published yet" in (tmp_path / "site/dev/guide.html").read_text()
    assert not list(repo.joinpath(".git", "worktrees").glob("*"))  # worktrees cleaned up
