"""The curated model: the committed files are valid, and bad entries are reported by file:line."""

from __future__ import annotations

import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml
from sitehelpers import copy_site, sphinx_build

from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel.load import MODEL_DIR
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


def _model_copy(tmp_path: Path) -> tuple[Path, Path]:
    docs = copy_site(tmp_path)
    model = tmp_path / "model"
    shutil.copytree(MODEL_DIR, model)
    return docs, model


@pytest.mark.slow
def test_build_fails_when_component_has_no_page(tmp_path: Path) -> None:
    docs, model = _model_copy(tmp_path)
    _write(model, "zz.yaml", [dict(GOOD, id="lonely-team", owner="core-team")])
    proc = sphinx_build(docs, tmp_path / "out", "-D", f"archmodel_dir={model}")
    assert proc.returncode != 0
    assert "component lonely-team has no page" in proc.stderr
    assert f"{model / 'zz.yaml'}:2" in proc.stderr


@pytest.mark.slow
def test_build_fails_on_unknown_component_and_title_mismatch(tmp_path: Path) -> None:
    docs, model = _model_copy(tmp_path)
    page = docs / "reference" / "organisations" / "ghost.md"
    page.write_text("# Ghost\n\n```{component} ghost\n```\n")
    core = docs / "reference" / "organisations" / "core-team.md"
    core.write_text(core.read_text().replace("# conda-forge core team", "# The core team", 1))
    proc = sphinx_build(docs, tmp_path / "out", "-D", f"archmodel_dir={model}")
    assert proc.returncode != 0
    assert f"{page}:3" in proc.stderr and "'ghost' is not in the model" in proc.stderr
    assert f"{core}:1" in proc.stderr and "differs from the model's title" in proc.stderr


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


@pytest.mark.slow
def test_an_edited_model_shows_in_an_incremental_rebuild(tmp_path: Path) -> None:
    docs, model = _model_copy(tmp_path)
    out = tmp_path / "out"
    assert sphinx_build(docs, out, "-D", f"archmodel_dir={model}").returncode == 0
    ci = model / "ci.yaml"
    ci.write_text(
        ci.read_text().replace("Microsoft's hosted CI,", "Microsoft's hosted CI (edited),")
    )
    proc = sphinx_build(docs, out, "-D", f"archmodel_dir={model}")  # the same output folder
    assert proc.returncode == 0, proc.stderr
    page = unescape((out / "reference" / "ci" / "azure-pipelines.html").read_text())
    assert "Microsoft's hosted CI (edited)," in page.translate(PLAIN_QUOTES)
    # A bad edit after builds that kept the model is still reported with its file and line.
    lines = ci.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("summary:"))
    lines[at] = lines[at].replace("summary:", "sumary:", 1)
    ci.write_text("\n".join(lines) + "\n")
    proc = sphinx_build(docs, out, "-D", f"archmodel_dir={model}")
    assert proc.returncode != 0
    assert "'summary' is a required property" in proc.stderr
    entry = 1 + max(i for i in range(at) if lines[i].lstrip().startswith("- id:"))
    assert f"{ci}:{entry}: components/0: Additional properties" in proc.stderr
