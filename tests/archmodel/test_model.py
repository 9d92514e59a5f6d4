"""The curated model: the committed files are valid, and bad entries are reported by file:line."""

from __future__ import annotations

import io
from html import unescape
from pathlib import Path

import pytest
import yaml
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel.permalinks import pin, stamps

# Sphinx's smartquotes turn straight quotes into curly ones in the HTML.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
GOOD = {
    "id": "team-a",
    "title": "Team A",
    "kind": "team",
    "status": "active",
    "group": "organisations",
    "owner": "team-a",
    "summary": "A team that owns things.",
    "sources": [{"title": "src", "url": "https://example.org/"}],
}


def _write(folder: Path, name: str, components: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump({"components": components}, sort_keys=False))
    return path


def test_committed_model_is_valid() -> None:
    model = load_model()
    assert len(list(model)) >= 5
    for comp in model:
        assert comp.sources, comp.id


def test_misspelt_field_is_reported_with_file_and_line(tmp_path: Path) -> None:
    bad = dict(GOOD, id="b", titel="oops")
    del bad["title"]
    path = _write(tmp_path, "x.yaml", [GOOD, bad])
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    text = str(err.value)
    assert f"{path}:" in text and "titel" in text and "'title' is a required property" in text
    line = int(text.split(f"{path}:")[1].split(":")[0])
    assert path.read_text().splitlines()[line - 1].lstrip("- ").startswith(("id:", "titel:"))


def test_unknown_relation_target_and_owner(tmp_path: Path) -> None:
    comp = dict(
        GOOD,
        id="svc",
        kind="web-service",
        group="automation",
        owner="nobody",
        relations=[{"type": "uploads-to", "target": "ghost"}],
    )
    _write(tmp_path, "x.yaml", [GOOD, comp])
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    assert "'ghost' is not in the model" in str(err.value)
    assert "owner 'nobody' is not a team" in str(err.value)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", [GOOD])
    second = _write(tmp_path, "b.yaml", [GOOD])
    with pytest.raises(ModelError, match=rf"{second}:2: duplicate id 'team-a'"):
        load_model(tmp_path)


def test_retired_needs_when_and_why(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", [GOOD, dict(GOOD, id="old", status="retired")])
    with pytest.raises(ModelError, match="'retired' is a required property"):
        load_model(tmp_path)


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("components:\n  - id: x\n    title: [unclosed\n")
    with pytest.raises(ModelError, match=r"a\.yaml:\d+: invalid YAML"):
        load_model(tmp_path)


@pytest.mark.slow
def test_build_fails_when_component_has_no_page(planted_build: dict) -> None:
    """In the planted copy of the site (tests/sitehelpers.py), built once for the session."""
    assert planted_build["returncode"] != 0
    at = planted_build["at"]["no-page"]
    assert f"{at}: component lonely-team has no page" in planted_build["stderr"]


@pytest.mark.slow
def test_build_fails_on_unknown_component_and_title_mismatch(planted_build: dict) -> None:
    stderr, at = planted_build["stderr"], planted_build["at"]
    assert planted_build["returncode"] != 0
    assert f"{at['unknown-component']}: ERROR: component 'ghost' is not in the model" in stderr
    title = "WARNING: page title 'The core team' differs from the model's title"
    assert f"{at['title']}: {title}" in stderr


@pytest.mark.slow
def test_summary_block_renders_model_fields(built_site: Path) -> None:
    model = load_model()
    for comp in model:
        html = unescape((built_site / f"{comp.page}.html").read_text()).translate(PLAIN_QUOTES)
        assert "component-summary" in html, comp.id
        assert comp.summary in html, comp.id
        by_repo = {s.repo: s for s in stamps(comp.evidence)}  # sources pinned to verified commits
        sources = [dict(src, url=pin(src["url"], by_repo)) for src in comp.sources]
        for src in sources:
            assert src["url"] in html, (comp.id, src["url"])


def _small_site(tmp_path: Path) -> tuple[Path, Path]:
    """A one-page project with the model extension and a one-component model; (srcdir, model)."""
    model = tmp_path / "model"
    _write(model, "teams.yaml", [GOOD])
    (page,) = [c.page for c in load_model(model)]
    src = tmp_path / "src"
    (src / page).parent.mkdir(parents=True)
    (src / f"{page}.md").write_text("# Team A\n\n```{component} team-a\n```\n")
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{page}\n```\n")
    generated = tmp_path / "generated" / "components"
    generated.mkdir(parents=True)
    (generated / "team-a.mmd").write_text("flowchart LR\n  a[Team A]\n")
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxcontrib.mermaid", "infradocs.sphinxext.archmodel",'
        ' "infradocs.sphinxext.diagrams"]\n'
        f"archmodel_dir = {str(model)!r}\narchmodel_require_evidence = False\n"
        f"diagrams_dir = {str(generated.parent)!r}\n"
    )
    return src, model


def _build(src: Path) -> tuple[str, str]:
    """Build ``src`` in process (incremental after the first time); (warnings, team page HTML)."""
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=src, warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    pages = list(app.outdir.glob("reference/**/team-a.html"))
    return warnings.getvalue(), pages[0].read_text() if pages else ""


def test_an_edited_model_shows_in_an_incremental_rebuild(tmp_path: Path) -> None:
    src, model = _small_site(tmp_path)
    warnings, page = _build(src)
    assert "A team that owns things." in page, warnings
    teams = model / "teams.yaml"
    teams.write_text(teams.read_text().replace("owns things.", "owns things (edited)."))
    warnings, page = _build(src)  # the same output folder
    assert "A team that owns things (edited)." in unescape(page).translate(PLAIN_QUOTES), warnings
    # A bad edit after builds that kept the model is still reported with its file and line.
    lines = teams.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("summary:"))
    lines[at] = lines[at].replace("summary:", "sumary:", 1)
    teams.write_text("\n".join(lines) + "\n")
    with pytest.raises(ExtensionError) as err:
        _build(src)
    assert "'summary' is a required property" in str(err.value)
    entry = 1 + max(i for i in range(at) if lines[i].lstrip().startswith("- id:"))
    assert f"{teams}:{entry}: components/0: Additional properties" in str(err.value)
