"""The Sphinx side: page links resolved per page, diagram globs, the drift report and its lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sphinxapp

CONF = """
extensions = ["myst_parser", "sphinxcontrib.mermaid", "infradocs.sphinxext.diagrams"]
diagrams_dir = {gen!r}
mermaid_use_local = "none.mjs"
"""
DIAGRAM = (
    "%% header\n%% Diagram {n}\nflowchart LR\n"
    '  n_a["A"]\n  click n_a href "{{{{page:{target}}}}}"\n'
)


def build(tmp: Path, pages: dict[str, str], drift: list[dict], env: dict | None = None):
    """A tiny strict Sphinx project using the extension; returns the process and output dir."""
    src, gen, out = tmp / "src", tmp / "gen", tmp / "out"
    gen.mkdir(parents=True, exist_ok=True)
    for name, text in {"index.md": "# Home\n\n```{toctree}\nsub/b\nsub/c\n```\n", **pages}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text)
    (src / "conf.py").write_text(CONF.format(gen=str(gen)))
    (gen / "x1.mmd").write_text(DIAGRAM.format(n=1, target="index"))
    (gen / "x2.mmd").write_text(DIAGRAM.format(n=2, target="sub/c"))
    report = {
        "inventory": {"path": "inv.json", "status": "present", "repos": 2},
        "counts": {"curated-not-observed": len(drift)} if drift else {},
        "items": drift,
    }
    (gen / "drift.json").write_text(json.dumps(report))
    proc = sphinxapp.build(src, out, env=env)
    return proc, proc.outdir


DRIFT = [
    {
        "kind": "curated-not-observed",
        "component": "x",
        "repo": "org/x",
        "detail": "the model says x builds on travis-ci; org/x has no travis-ci CI file",
    }
]
PAGES = {
    "sub/b.md": "# B\n\n```{generated-diagrams} ../../gen/x*.mmd\n```\n",
    "sub/c.md": "# C\n\n```{drift-report}\n```\n",
}


def test_links_resolve_relative_to_each_page_and_globs_include_all(tmp_path):
    proc, out = build(tmp_path, PAGES, DRIFT)
    assert proc.returncode == 0, proc.stderr
    html = (out / "sub" / "b.html").read_text()
    assert "Diagram 1" in html and "Diagram 2" in html  # rubric titles from the files
    assert "href &quot;../index.html&quot;" in html
    assert "href &quot;c.html&quot;" in html
    assert "{{page:" not in html
    drift = (out / "sub" / "c.html").read_text()
    assert "org/x has no travis-ci CI file" in drift and "curated-not-observed" in drift
    # One line per build, not a warning (the strict build passes): counts and where to look.
    [line] = [line for line in proc.stdout.splitlines() if "drift" in line]
    assert line == (
        "drift: 1 difference between the model and the inventory (curated-not-observed 1); "
        f"details: {out / 'sub' / 'c.html'}, `nox -s diagrams -- --drift`"
    )


def test_drift_becomes_build_warnings_on_request(tmp_path):
    proc, _ = build(tmp_path, PAGES, DRIFT, env={"DOCS_DRIFT_WARNINGS": "1"})
    assert proc.returncode != 0
    assert "WARNING: drift: curated-not-observed: the model says x builds on" in proc.stderr


def test_no_drift_builds_quietly(tmp_path):
    proc, out = build(tmp_path, PAGES, [], env={"DOCS_DRIFT_WARNINGS": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "No differences." in (out / "sub" / "c.html").read_text()


def test_link_to_a_missing_page_fails_the_strict_build(tmp_path):
    proc, _ = build(tmp_path, PAGES, [])
    assert proc.returncode == 0
    (tmp_path / "gen" / "x2.mmd").write_text(DIAGRAM.format(n=2, target="reference/gone"))
    proc = sphinxapp.build(tmp_path / "src", tmp_path / "out", fresh=True)
    assert proc.returncode != 0
    assert "diagram links to a missing page 'reference/gone'" in proc.stderr


def test_a_rebuild_reads_a_glob_page_again_only_when_its_matches_change(tmp_path):
    proc, out = build(tmp_path, PAGES, [])
    assert proc.returncode == 0, proc.stderr
    again = sphinxapp.build(tmp_path / "src", tmp_path / "out")
    assert "0 added, 0 changed, 0 removed" in again.stdout  # the folder is no dependency
    (tmp_path / "gen" / "x3.mmd").write_text(DIAGRAM.format(n=3, target="index"))
    third = sphinxapp.build(tmp_path / "src", tmp_path / "out")
    assert "0 added, 1 changed, 0 removed" in third.stdout, third.stdout
    assert "Diagram 3" in (out / "sub" / "b.html").read_text()


def test_glob_matching_nothing_is_an_error(tmp_path):
    proc, _ = build(
        tmp_path, {**PAGES, "sub/b.md": "# B\n\n```{generated-diagrams} nope*.mmd\n```\n"}, []
    )
    assert proc.returncode != 0
    assert "no generated diagram matches nope*.mmd" in proc.stderr


def test_generated_svg_is_inline_with_links_resolved(tmp_path):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="{{page:sub/c}}"><text>C</text></a></svg>'
    )
    (tmp_path / "gen").mkdir(parents=True)
    (tmp_path / "gen" / "pic.svg").write_text(svg)
    pages = {**PAGES, "sub/b.md": "# B\n\n```{generated-svg} ../../gen/pic.svg\n```\n"}
    proc, out = build(tmp_path, pages, [])
    assert proc.returncode == 0, proc.stderr
    html = (out / "sub" / "b.html").read_text()
    assert '<div class="generated-svg docutils container">' in html
    assert '<a href="c.html"><text>C</text></a>' in html and "{{page:" not in html
    # A phone variant: both drawings in one box that site.css switches, links resolved in both.
    (tmp_path / "gen" / "phone.svg").write_text(svg.replace("<text>C", '<text class="p">C'))
    both = "```{generated-svg} ../../gen/pic.svg\n:phone: ../../gen/phone.svg\n```\n"
    proc, out = build(tmp_path, {**pages, "sub/b.md": "# B\n\n" + both}, [])
    assert proc.returncode == 0, proc.stderr
    html = (out / "sub" / "b.html").read_text()
    assert '<div class="generated-svg generated-svg-switch docutils container">' in html
    assert '<a href="c.html"><text>C</text></a>' in html
    assert '<a href="c.html"><text class="p">C</text></a>' in html
    for gone in (
        "```{generated-svg} ../../gen/gone.svg\n```\n",
        both.replace("phone.svg", "no.svg"),
    ):
        proc, _ = build(tmp_path, {**pages, "sub/b.md": "# B\n\n" + gone}, [])
        assert proc.returncode != 0 and ".svg" in proc.stderr and "nox -s diagrams" in proc.stderr


@pytest.mark.slow
def test_site_diagrams_link_to_pages(built_site: Path):
    arch = (built_site / "diagrams" / "architecture.html").read_text()
    assert "{{page:" not in arch
    # The group matrix: its rows and columns link to the groups' indexes.
    assert 'class="diagram-matrix' in arch
    assert '<a class="reference internal" href="../reference/ci/index.html">' in arch
    # The package-path overview: an inline SVG whose boxes link to their pages.
    assert '<a href="../reference/delivery/cf-staging-channel.html">' in arch
    page = (built_site / "reference" / "ci" / "azure-pipelines.html").read_text()
    assert 'class="mermaid"' in page and "Neighbourhood" in page
    assert "href &quot;../delivery/cf-staging-channel.html&quot;" in page
    assert "click n_azure_pipelines href &quot;#&quot;" in page  # a link to itself
    assert 'href="../../diagrams/architecture.html#diagram-legend"' in page
    drift = (built_site / "diagrams" / "drift.html").read_text()
    assert "Inventory diagrams/inventory/inventory.json" in drift


@pytest.mark.slow
def test_site_diagram_renders_and_node_click_opens_its_page(built_site, browser, serve_dir):
    base = serve_dir(built_site)
    page = browser.new_page()
    try:
        page.goto(base + "diagrams/architecture.html")
        page.wait_for_selector("pre.mermaid svg")
        assert "Syntax error" not in page.content()
        # The overview's staging box opens its page; a neighbourhood's node opens its page.
        page.locator('.generated-svg svg a[*|href$="cf-staging-channel.html"]').first.click()
        page.wait_for_url("**/reference/delivery/cf-staging-channel.html")
        page.goto(base + "reference/delivery/upload-validation.html")
        page.wait_for_selector("pre.mermaid svg")
        link = page.locator('pre.mermaid svg a[*|href$="cf-staging-channel.html"]').first
        link.click()
        page.wait_for_url("**/reference/delivery/cf-staging-channel.html")
        page.wait_for_selector("pre.mermaid svg")
        assert "Syntax error" not in page.content()
    finally:
        page.close()


MATRIX = {
    "tokens": [{"id": "t", "title": "UPLOAD_TOKEN", "page": "sub/c", "group": "tokens"}],
    "holders": [
        {"id": "a", "title": "Repo A", "page": "index", "group": "repositories"},
        {"id": "b", "title": "Bot B", "page": "sub/b", "group": "automation"},
    ],
    "cells": [
        {"holder": "a", "token": "t", "names": ["UPLOAD_TOKEN"], "origin": "curated"}
        | {"links": ["https://github.com/org/a/blob/abc/run.yml#L3"]},
        {"holder": "b", "token": "t", "names": ["UPLOAD_TOKEN"], "origin": "extracted"}
        | {"links": ["https://github.com/org/b/blob/def/ci.yml"]},
    ],
    "loose": [{"name": "ODD", "holders": ["b"]}],
}


def test_token_matrix_is_a_table_with_each_mark_linked_to_its_evidence(tmp_path):
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "token-matrix.json").write_text(json.dumps(MATRIX))
    pages = {**PAGES, "sub/c.md": "# C\n\n```{token-matrix}\n```\n"}
    proc, out = build(tmp_path, pages, [])
    assert proc.returncode == 0, proc.stderr
    html = (out / "sub" / "c.html").read_text()
    assert 'class="diagram-matrix' in html
    assert "Sources: repositories" in html and "Automation and bots" in html  # group rows
    assert html.index("Repo A") < html.index("Bot B")
    assert 'href="https://github.com/org/a/blob/abc/run.yml#L3"' in html
    assert 'title="Repo A holds UPLOAD_TOKEN (evidence)">●</a>' in html
    assert 'title="Bot B holds UPLOAD_TOKEN (from the CI files only)">○</a>' in html
    assert "Secret names no token page lists:" in html and "ODD" in html


def test_a_missing_token_matrix_is_an_error_naming_it(tmp_path):
    pages = {**PAGES, "sub/c.md": "# C\n\n```{token-matrix}\n```\n"}
    proc, _ = build(tmp_path, pages, [])
    assert proc.returncode != 0
    assert "cannot read the token matrix" in proc.stderr and "token-matrix.json" in proc.stderr


def test_group_matrix_is_a_table_of_the_relations_words(tmp_path):
    groups = [
        {"id": "ci", "title": "CI", "page": "sub/b"},
        {"id": "delivery", "title": "Delivery", "page": "sub/c"},
    ]
    cells = [
        {"source": "ci", "target": "delivery", "words": ["uploads to"], "origin": "curated"},
        {"source": "delivery", "target": "ci", "words": ["reads"], "origin": "extracted"},
    ]
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "group-matrix.json").write_text(
        json.dumps({"groups": groups, "cells": cells})
    )
    proc, out = build(tmp_path, {**PAGES, "sub/c.md": "# C\n\n```{group-matrix}\n```\n"}, [])
    assert proc.returncode == 0, proc.stderr
    html = (out / "sub" / "c.html").read_text()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    text = [re.sub(r"<[^>]+>|\s+", " ", r).split() for r in rows]
    # Rows: the relating group; columns: the group related to (empty cells leave no words).
    assert text[0] == ["Group", "→", "group", "CI", "Delivery"]
    assert text[1] == ["CI", "uploads", "to"] and text[2] == ["Delivery", "reads", "○"]
    assert html.index("uploads to") < html.index("reads")
