"""Which refs become versions: version sorting, exclusions, settings errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from versions_fixture import OLD_CONF, commit, git, write_site

from infradocs.cli.versions import main, redact
from infradocs.core.versions.config import ConfigError, load_config
from infradocs.core.versions.refs import plan

SITE = {"base_url": "https://docs.example.org/x"}


def repo_with_tags(tmp_path: Path, *tags: str) -> Path:
    """A one-commit repository on main with ``tags`` (no build needed)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "-c", "init.defaultBranch=main", "init", "-q")
    write_site(tmp_path, OLD_CONF, {"guide": "# Guide\n"}, "1")
    commit(tmp_path, "one")
    for tag in tags:
        git(tmp_path, "tag", tag)
    return tmp_path


def test_releases_sorted_by_version_not_string(tmp_path: Path) -> None:
    repo = repo_with_tags(tmp_path, "v2026.1", "v2026.10", "v2026.2", "v2026.1.0", "v2025.12.3")
    names = [t.name for t in plan(repo, load_config(SITE)).targets]
    assert names == ["dev", "v2026.10", "v2026.2", "v2026.1.0", "v2026.1", "v2025.12.3"]


def test_non_release_tags_ignored_exclusions_reported(tmp_path: Path) -> None:
    repo = repo_with_tags(tmp_path, "v2026.1", "v2026.2", "v1.0", "release-3", "v2026.x", "vv1")
    site = {**SITE, "versions": {"exclude": ["v2026.1"], "min_version": "2000"}}
    found = plan(repo, load_config(site))
    assert [t.name for t in found.targets] == ["dev", "v2026.2"]
    assert ("v2026.1", "listed in exclude") in found.skipped
    assert ("v1.0", "older than min_version 2000") in found.skipped


def test_remote_branch_is_used_when_no_local_one(tmp_path: Path) -> None:
    origin = repo_with_tags(tmp_path / "origin", "v2026.1")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "--detach", "v2026.1")
    git(clone, "branch", "-D", "main")
    dev = plan(clone, load_config(SITE)).targets[0]
    assert (dev.name, dev.ref.remote) == ("dev", "origin")
    assert dev.commit == git(origin, "rev-parse", "main")


def test_missing_branch_is_reported(tmp_path: Path) -> None:
    repo = repo_with_tags(tmp_path, "v2026.1")
    found = plan(repo, load_config({**SITE, "versions": {"branch": "trunk"}}))
    assert [t.name for t in found.targets] == ["v2026.1"]
    assert found.skipped == [("trunk", "branch not found locally nor on origin")]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"tag_pattern": "v("}, "tag_pattern is not a valid regex"),
        ({"tag_pattern": r"v\d+"}, "needs a group"),
        ({"exclude": "v1"}, "exclude must be a list"),
        ({"dev_name": "stable"}, "must differ"),
        ({"stable_name": "a/b"}, "without '/'"),
        ({"colour": "red"}, "unknown key(s) colour"),
    ],
)
def test_bad_settings_name_the_file_and_key(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config({**SITE, "versions": table}, "some/pyproject.toml")
    assert "some/pyproject.toml [tool.infra-docs.versions]" in str(err.value)
    assert message in str(err.value)


def test_cli_reports_bad_config_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    repo = repo_with_tags(tmp_path, "v2026.1")
    bad = tmp_path / "bad.toml"
    bad.write_text('[tool.infra-docs]\nbase_url = "ftp://x"\n')
    assert main(["list", "--repo", str(repo), "--config", str(bad)]) == 1
    assert f"{bad} [tool.infra-docs]: base_url must be an http(s) URL" in capsys.readouterr().err
    assert main(["list", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "dev " in out and "v2026.1 " in out


def test_redact() -> None:
    assert redact("https://user:token@example.org/x/") == "https://***@example.org/x/"
    assert redact("https://example.org/x/") == "https://example.org/x/"
