"""Every generated diagram renders with the mermaid.js version the site ships (real Chromium)."""

from __future__ import annotations

import pytest
from mermaid_render import make_site, render_all
from synthetic import base_components, comp, write_inventory, write_model

from infradocs.core.archmodel import load_model
from infradocs.core.diagrams import GENERATED
from infradocs.core.diagrams.extracted import load_inventory
from infradocs.core.diagrams.generate import generate
from infradocs.core.diagrams.lifecycle import load_flows

pytestmark = pytest.mark.slow


def test_committed_diagrams_render(browser, serve_dir, tmp_path):
    files = sorted(GENERATED.rglob("*.mmd"))
    assert files, f"no .mmd files in {GENERATED}: run python -m infradocs.cli.diagrams"
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


def test_synthetic_diagrams_render(browser, serve_dir, tmp_path):
    """Every code path (collapsed groups, retired, extracted edges, split repo maps) renders."""
    comps = base_components(40)
    comps += [
        comp(
            f"svc-{i}",
            "web-service",
            "automation",
            title=f'Svc "{i}" <b> #{i}',
            relations=[{"type": "reads", "target": f"repo-{i:02d}", "label": 'a "b"; c'}],
        )
        for i in range(12)
    ]
    comps.append(comp("old-repo", "repository", "repositories", status="retired", role="odd (x)"))
    model = load_model(write_model(tmp_path / "model", comps))
    inv = write_inventory(
        tmp_path / "inv.json",
        [
            {
                "name": f"org/repo-{i:02d}",
                "ci_providers": ["github-actions", "travis-ci"],
                "secrets": ["UPLOAD_TOKEN", f"ODD_{i}"],
            }
            for i in range(5)
        ],
    )
    files = generate(model, load_inventory(inv), load_flows()).files
    items = {name: text for name, text in files.items() if name.endswith(".mmd")}
    assert any(
        "-.->" in text or "==>" in text for name, text in items.items() if "components/" in name
    )
    errors = render_all(browser, serve_dir(make_site(tmp_path / "site")), items)
    bad = {name: msg for name, msg in errors.items() if msg}
    assert not bad, bad
