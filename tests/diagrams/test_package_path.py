"""The package-path overview: checked against the model, drawn from it, deterministic."""

from __future__ import annotations

import re

import pytest
import yaml
from synthetic import base_components, comp, write_inventory, write_model

from archmodel import load_model
from diagrams import GENERATED
from diagrams.__main__ import main
from diagrams.package_path import OverviewError, load_overview, overview_svg, text_width, wrap

GOOD = {
    "bands": [
        {
            "title": "Build",
            "stages": [
                {"title": "Source", "path": ["repo-00"], "keys": ["upload-token"]},
                {"title": "CI", "path": ["github-actions"], "below": ["bot"]},
            ],
        },
        {"title": "Deliver", "stages": [{"title": "Channel", "path": ["staging"]}]},
    ],
    "flows": [
        {"relation": ["repo-00", "builds-on", "github-actions"], "verb": "builds on"},
        {"relation": ["bot", "triggers", "github-actions"], "verb": "restarts jobs on"},
        {"relation": ["github-actions", "uploads-to", "staging"], "verb": "uploads packages to"},
    ],
}


@pytest.fixture
def model(tmp_path):
    comps = base_components(1)
    comps[-1]["relations"].append({"type": "builds-on", "target": "github-actions"})
    comps[1]["relations"] = [{"type": "uploads-to", "target": "staging"}]
    comps.append(
        comp(
            "bot",
            "bot-account",
            "automation",
            relations=[{"type": "triggers", "target": "github-actions"}],
        )
    )
    return load_model(write_model(tmp_path / "model", comps))


def write(tmp_path, data) -> object:
    path = tmp_path / "overview.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_every_box_is_a_linked_component_and_every_arrow_a_relation(model, tmp_path):
    svg = overview_svg(model, load_overview(model, write(tmp_path, GOOD)))
    assert svg == overview_svg(model, load_overview(model, write(tmp_path, GOOD)))
    for cid, page in [
        ("repo-00", "reference/repositories/repo-00"),
        ("github-actions", "reference/ci/github-actions"),
        ("staging", "reference/delivery/staging"),
        ("bot", "reference/automation/bot"),
        ("upload-token", "reference/tokens/upload-token"),
    ]:
        assert f'<a href="{{{{page:{page}}}}}">' in svg, cid
    assert svg.count('class="ov-edge"') == 3  # the last flow is the arrow down to band 2
    for verb in ("builds on", "restarts jobs on", "uploads packages to"):
        assert verb in svg
    assert "Upload Token: held by Repo 00" in svg  # the key tag names its holder
    widths = re.search(r'<svg[^>]* width="(\d+)"', svg)
    assert widths and int(widths.group(1)) <= 900


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["bands"][0]["stages"][0]["path"].append("nope"), "'nope' is not in the model"),
        (
            lambda d: d["bands"][1]["stages"][0]["path"].append("repo-00"),
            "'repo-00' is drawn twice",
        ),
        (
            lambda d: d["flows"].append({"relation": ["staging", "reads", "bot"], "verb": "x"}),
            "no relation staging reads bot in the model",
        ),
        (lambda d: d["flows"][0].update(verb=" "), "the arrow needs a verb phrase"),
        (
            lambda d: d["bands"][1]["stages"][0].update(keys=["upload-token"]),
            "no component of the stage holds 'upload-token'",
        ),
        (
            lambda d: d["bands"][0]["stages"][1].update(keys=["bot"]),
            "key 'bot' is not a token of the model",
        ),
    ],
)
def test_bad_overview_is_reported_with_file_and_line(model, tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(OverviewError) as err:
        load_overview(model, path)
    assert re.search(rf"{re.escape(str(path))}(:\d+)?: .*{re.escape(message)}", str(err.value))


def test_cli_reports_a_bad_overview(model, tmp_path, capsys):
    write_inventory(tmp_path / "inv.json", [])
    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["flows"][0]["relation"] = ["repo-00", "reads", "staging"]
    args = ["--model", str(tmp_path / "model"), "--inventory", str(tmp_path / "inv.json")]
    args += ["--out", str(tmp_path / "out"), "--overview", str(write(tmp_path, bad))]
    assert main(args) == 1
    assert "no relation repo-00 reads staging in the model" in capsys.readouterr().err
    assert main([*args[:-1], str(write(tmp_path, GOOD))]) == 0
    assert (tmp_path / "out" / "overview.svg").exists()


def test_wrap_keeps_lines_within_the_width():
    for text in ["conda-forge-webservices", "STAGING_BINSTAR_TOKEN", "opens version-bump PRs"]:
        lines = wrap(text, 80, 13)
        assert all(text_width(line, 13) <= 80 for line in lines), lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_the_committed_overview_draws_the_whole_path():
    svg = (GENERATED / "overview.svg").read_text()
    for name in [
        "staged-recipes", "Feedstock repositories", "Azure Pipelines", "GitHub Actions",
        "cf-staging channel", "conda-forge channel", "Anaconda CDN", "prefix.dev mirror",
        "STAGING_BINSTAR_TOKEN", "PROD_BINSTAR_TOKEN",
    ]:  # fmt: skip
        assert name in re.sub(r"</tspan><tspan[^>]*>", " ", svg).replace("- ", "-").replace(
            "_ ", "_"
        ), name
    assert "holds-token-for" not in svg and "depends-on" not in svg
