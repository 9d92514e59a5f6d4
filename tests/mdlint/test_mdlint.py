"""The Markdown/MyST checks catch what Sphinx does not, with file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infradocs.core.mdlint.check import check_file, check_tree
from infradocs.core.siteconfig import DOCS, ROOT


def _codes(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    page = tmp_path / "p.md"
    page.write_text(text)
    return [(p.line, p.code) for p in check_file(page)]


def test_committed_docs_are_clean() -> None:
    assert [str(p) for p in check_tree(DOCS)] == []


def test_code_fence_without_language(tmp_path: Path) -> None:
    assert _codes(tmp_path, "# T\n\n```\nx\n```\n") == [(3, "fence-language")]


def test_unclosed_fence(tmp_path: Path) -> None:
    assert (3, "fence-unclosed") in _codes(tmp_path, "# T\n\n```python\nx\n")


def test_heading_rules(tmp_path: Path) -> None:
    assert _codes(tmp_path, "## Not a title\n\n# Second H1\n") == [
        (1, "h1-first"),
        (3, "h1-single"),
    ]
    assert _codes(tmp_path, "text only\n") == [(1, "heading-missing")]


def test_headings_inside_code_are_ignored(tmp_path: Path) -> None:
    assert _codes(tmp_path, "# T\n\n```console\n# a shell comment\n```\n") == []


def test_secret_shaped_values(tmp_path: Path) -> None:
    token = "ghp_" + "a1B2" * 9
    found = _codes(tmp_path, f"# T\n\nThe token is {token} and https://u:pw@example.org/\n")
    assert found.count((3, "secret-value")) == 2


def test_links(tmp_path: Path) -> None:
    text = "# T\n\nSee [here](https://a.org), [docs](http://b.org) and https://c.org.\n"
    assert _codes(tmp_path, text) == [(3, "bare-url"), (3, "http-link"), (3, "vague-link-text")]


def test_whitespace(tmp_path: Path) -> None:
    assert _codes(tmp_path, "# T \n\n\tx\n") == [(1, "trailing-whitespace"), (3, "tab")]


def test_cli_exit_status(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("no heading\n")
    run = [sys.executable, "-m", "infradocs.cli.mdlint", str(tmp_path)]
    proc = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env={})
    assert proc.returncode == 1
    assert f"{tmp_path / 'bad.md'}:1: heading-missing" in proc.stdout


def test_raw_html_tags_that_hide_text(tmp_path: Path) -> None:
    text = (
        "# T\n\nA commit `Updated the\n<name> feedstock` is fine, so are <https://a.org> and"
        " a<br/>break.\n\nBut the repository for\n<name> and </pkg> vanish.\n"
    )
    assert _codes(tmp_path, text) == [(7, "raw-html-tag"), (7, "raw-html-tag")]
