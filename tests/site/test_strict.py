"""Planted mistakes fail the strict build with a message naming the file and line.

One copy of the site holds every planted mistake and is built once (``--keep-going``), by the
``planted_build`` fixture (tests/conftest.py, plants in tests/sitehelpers.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def test_broken_cross_reference_names_file_and_line(planted_build: dict) -> None:
    assert planted_build["returncode"] != 0
    at = planted_build["at"]["ref"]
    assert f"{at}: WARNING: undefined label: 'a-label-not-there'" in (planted_build["stderr"])


def test_invalid_myst_names_file_and_line(planted_build: dict) -> None:
    at = planted_build["at"]["directive"]
    assert f"{at}: WARNING: Unknown directive type: 'no-such-directive'" in planted_build["stderr"]


def test_page_missing_from_every_toctree_fails(planted_build: dict) -> None:
    at = planted_build["at"]["orphan"]
    assert f"{at}: WARNING: document isn't included in any toctree" in planted_build["stderr"]


def test_the_copy_warns_only_where_mistakes_were_planted(planted_build: dict) -> None:
    """Every warning and error of the planted build names a planted file: the copy itself
    builds cleanly, so each message above comes from its mistake."""
    planted = {re.sub(r":\d+$", "", at) for at in planted_build["at"].values()}
    messages = [
        line for line in planted_build["stderr"].splitlines() if re.search(r"WARNING|ERROR", line)
    ]
    assert len(messages) >= len(planted)
    stray = [m for m in messages if not any(f"{path}:" in m for path in planted)]
    assert stray == [], "\n".join(stray)
