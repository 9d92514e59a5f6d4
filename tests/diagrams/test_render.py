"""Every generated diagram renders with the mermaid.js version the site ships (real Chromium)."""

from __future__ import annotations

import pytest

from diagrams import GENERATED

from mermaid_render import make_site, render_all

pytestmark = pytest.mark.slow


def test_committed_diagrams_render(browser, serve_dir, tmp_path):
    files = sorted(GENERATED.rglob("*.mmd"))
    assert files, f"no .mmd files in {GENERATED}: run python -m diagrams"
    items = {p.relative_to(GENERATED).as_posix(): p.read_text(encoding="utf-8") for p in files}
    errors = render_all(browser, serve_dir(make_site(tmp_path)), items)
    assert set(errors) == set(items)
    bad = {name: msg for name, msg in errors.items() if msg}
    assert not bad, "diagrams that do not render:\n" + "\n".join(
        f"{GENERATED / n}: {m}" for n, m in sorted(bad.items())
    )


def test_invalid_diagram_is_reported(browser, serve_dir, tmp_path):
    """The harness itself fails on bad Mermaid, so a passing render test means something."""
    items = {"good.mmd": "flowchart LR\n  a --> b\n", "bad.mmd": "flowchart LR\n  a -->\n  ]]]\n"}
    errors = render_all(browser, serve_dir(make_site(tmp_path)), items)
    assert errors["good.mmd"] == ""
    assert errors["bad.mmd"], "a broken diagram rendered without error"
