"""The fixture repository factory for the versioned-site tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from versions_fixture import NEW_CONF, OLD_CONF, commit, git, write_site


@pytest.fixture(scope="session")
def make_repo(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Factory for the fixture repository.

    Tags: v2025.9 (excluded), v2026.0 (broken: a dangling reference), v2026.1 (old conf.py,
    has retired.md), v2026.2 (annotated, current conf.py); main adds new.md.
    """

    def make() -> Path:
        repo = tmp_path_factory.mktemp("repo")
        git(repo, "-c", "init.defaultBranch=main", "init", "-q")
        write_site(repo, OLD_CONF, {"guide": "# Guide\n\nOld.\n"}, "2025.9")
        commit(repo, "first")
        git(repo, "tag", "v2025.9")
        broken = {"guide": "# Guide\n\nSee {doc}`missing-page`.\n"}
        write_site(repo, OLD_CONF, broken, "2026.0")
        commit(repo, "broken")
        git(repo, "tag", "v2026.0")
        pages = {"guide": "# Guide\n\nOne.\n", "retired": "# Retired\n\nGone later.\n"}
        write_site(repo, OLD_CONF, pages, "2026.1")
        commit(repo, "one")
        git(repo, "tag", "v2026.1")
        write_site(repo, NEW_CONF, {"guide": "# Guide\n\nTwo.\n"}, "2026.2")
        commit(repo, "two")
        git(repo, "tag", "-a", "-m", "release", "v2026.2")
        git(repo, "tag", "not-a-release")
        pages = {"guide": "# Guide\n\nDev.\n", "new": "# New page\n\nOnly in dev.\n"}
        write_site(repo, NEW_CONF, pages, "dev")
        commit(repo, "dev")
        return repo

    return make
