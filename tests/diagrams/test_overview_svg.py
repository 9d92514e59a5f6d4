"""The package-path overview: checked against the model, drawn from it, deterministic."""

from __future__ import annotations

import re

import pytest
import yaml
from synthetic import base_components, comp, write_inventory, write_model

from infradocs.cli.diagrams import main
from infradocs.core.archmodel import load_model
from infradocs.core.diagrams import GENERATED
from infradocs.core.diagrams.overview_phone_svg import overview_phone_svg
from infradocs.core.diagrams.overview_svg import (
    OverviewError,
    load_overview,
    overview_svg,
    text_width,
    wrap,
)

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


BOX_RE = re.compile(
    r'<g class="ov-node( ov-keytag)?"><title>([^<]*)</title><rect x="([\d.]+)" y="([\d.]+)" '
    r'width="([\d.]+)" height="([\d.]+)"'
)


def boxes_and_tags(svg: str) -> tuple[list[tuple], list[tuple]]:
    """(title, x, y, w, h) of every component box and every key tag of a drawn overview."""
    found = [(tag, (t, *map(float, r))) for tag, t, *r in BOX_RE.findall(svg)]
    return [f for tag, f in found if not tag], [f for tag, f in found if tag]


@pytest.mark.parametrize("draw", [overview_svg, overview_phone_svg])
def test_key_tags_sit_inside_the_box_that_holds_them(model, tmp_path, draw):
    """A token's tag is drawn inside its holder's box (named in the tag's tooltip), never
    under a column where it could be read as another box's."""
    svg = draw(model, load_overview(model, write(tmp_path, GOOD)))
    assert svg == draw(model, load_overview(model, write(tmp_path, GOOD)))
    boxes, tags = boxes_and_tags(svg)
    assert len(tags) == 1 and tags[0][0] == "Upload Token: held by Repo 00"
    for title, x, y, w, h in tags:
        holder = title.split(": held by ")[1]
        (outer,) = [b for b in boxes if b[0].startswith(f"{holder}: ")]
        _t, bx, by, bw, bh = outer
        assert bx < x and x + w < bx + bw and by < y and y + h < by + bh, (outer, title)
    others = [b for b in boxes if not b[0].startswith("Repo 00: ")]
    assert all(
        not (b[1] < x < b[1] + b[3] and b[2] < y < b[2] + b[4])
        for b in others
        for *_t, x, y, _w, _h in tags
    )


def test_the_phone_overview_is_narrow_and_links_every_box(model, tmp_path):
    data = load_overview(model, write(tmp_path, GOOD))
    svg = overview_phone_svg(model, data)
    assert re.search(r'<svg[^>]* class="package-path package-path-phone" width="360"', svg)
    assert 'id="ovp-head"' in svg and 'id="ov-head"' not in svg  # ids apart from the wide one
    for page in ("repositories/repo-00", "ci/github-actions", "delivery/staging", "automation/bot"):
        assert f'<a href="{{{{page:reference/{page}}}}}">' in svg, page
    for verb in ("builds on", "restarts jobs on", "uploads packages to"):
        assert verb in svg
    boxes, _tags = boxes_and_tags(svg)
    assert all(x >= 0 and x + w <= 360 for _t, x, _y, w, _h in boxes)
    assert svg.count('class="ov-edge"') == 3
