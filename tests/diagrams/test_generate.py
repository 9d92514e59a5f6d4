"""The generator: determinism, --check, collapsing, styles, extracted relations, drift, errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from synthetic import base_components, comp, write_inventory, write_model

from infradocs.cli.diagrams import main
from infradocs.core.archmodel import load_model
from infradocs.core.diagrams import GENERATED, neighbourhood_path
from infradocs.core.diagrams.extracted import load_inventory
from infradocs.core.diagrams.generate import generate
from infradocs.core.diagrams.lifecycle import FlowError, load_flows, phases, sequences
from infradocs.core.siteconfig import ROOT


def run(tmp: Path, *extra: str, model: Path | None = None, inventory: Path | None = None) -> int:
    """The CLI on a tmp model/inventory/output."""
    return main(
        [
            "--model",
            str(model or tmp / "model"),
            "--inventory",
            str(inventory or tmp / "inventory.json"),
            "--out",
            str(tmp / "out"),
            *extra,
        ]
    )


def flowcharts(tmp: Path) -> list[Path]:
    """The generated flowchart files under ``tmp/out`` (not the legend)."""
    return [
        p
        for p in sorted((tmp / "out").rglob("*.mmd"))
        if "flowchart" in p.read_text() and p.name != "legend.mmd"
    ]


WORDS = re.compile(r'^\s+(e_\d+)@\{ shape: text, label: "([^"]*)" \}$', re.M)
ARROW = re.compile(r"^\s+(n_\w+) (?:---|-\.-|===) (e_\d+) (-->|-\.->|==>) (n_\w+)$", re.M)


def arrows(text: str) -> set[tuple[str, str, str, str]]:
    """(source, arrow style, words on the arrow, target) of every arrow of a flowchart."""
    words = dict(WORDS.findall(text))
    return {(src, style, words[e], dst) for src, e, style, dst in ARROW.findall(text)}


BOX = re.compile(
    r'^  subgraph (b_\w+)\["([^"]*)"\]\n    direction LR\n((?:    n_\w+\[.*\n)+)  end$', re.M
)
BOX_ARROW = re.compile(r"^  (\w+) (-->|-\.->|==>) (\w+)$", re.M)


def neighbour_arrows(text: str) -> set[tuple[str, str, str, str]]:
    """(source, arrow style, words, target) of every relation a neighbourhood draws: each box
    of neighbours is titled with how they relate ("reads; depends on it") and has one arrow
    to the component (its words end in "it") and/or one from it."""
    boxes = {
        box: (title.replace("<br>", " "), re.findall(r"^    (n_\w+)\[", members, re.M))
        for box, title, members in BOX.findall(text)
    }
    out = set()
    for src, style, dst in BOX_ARROW.findall(text):
        inward = src in boxes
        title, members = boxes[src if inward else dst]
        parts = title.split("; ")
        words = next(p[:-3] for p in parts if p.endswith(" it")) if inward else parts[0]
        for m in members:
            out.add((m, style, words, dst) if inward else (src, style, words, m))
    return out


def node_count(text: str) -> int:
    return len(re.findall(r'^\s+n_\w+\["', text, re.M))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    write_model(tmp_path / "model", base_components(3))
    write_inventory(
        tmp_path / "inventory.json",
        [
            {
                "name": "org/repo-00",
                "ci_providers": ["github-actions"],
                "secrets": ["UPLOAD_TOKEN"],
                "services": [{"name": "pypi", "evidence": [{"path": ".travis.yml", "line": 3}]}],
            },
            {
                "name": "org/repo-01",
                "ci_providers": ["travis-ci"],
                "secrets": ["GITHUB_TOKEN", "ODD"],
            },
            {"name": "org/unknown", "ci_providers": []},
        ],
    )
    return tmp_path


def test_committed_diagrams_are_current():
    """What `nox -s diagrams -- --check` runs, on the real model and inventory."""
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.diagrams", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={},
    )
    assert proc.returncode == 0, proc.stderr


def test_every_component_has_its_neighbourhood_file():
    for c in load_model():
        assert neighbourhood_path(c.id).exists(), f"{neighbourhood_path(c.id)} is missing"
    assert neighbourhood_path("x") == GENERATED / "components" / "x.mmd"


def test_every_page_link_names_a_page():
    """Page placeholders in the committed diagrams name real pages (else the build warns)."""
    for path in sorted(GENERATED.rglob("*.mmd")):
        for target in re.findall(r"\{\{page:([^}]+)\}\}", path.read_text()):
            assert (ROOT / "docs" / f"{target}.md").exists(), f"{path}: no page {target}"


def test_output_is_deterministic_and_check_names_stale_files(small, capsys):
    assert run(small) == 0
    first = {p: p.read_bytes() for p in sorted((small / "out").rglob("*.*"))}
    # Same input in a different file order: byte-for-byte the same output.
    for f in (small / "model").glob("*.yaml"):
        f.rename(f.with_name("z-" + f.name))
    assert run(small) == 0
    assert {p: p.read_bytes() for p in sorted((small / "out").rglob("*.*"))} == first
    assert run(small, "--check") == 0
    capsys.readouterr()
    (small / "out" / "legend.mmd").write_text("flowchart LR\n  a --> b\n")
    (small / "out" / "components" / "repo-01.mmd").unlink()
    (small / "out" / "components" / "gone.mmd").write_text("flowchart LR\n")
    assert run(small, "--check") == 1
    err = capsys.readouterr().err
    assert f"{small / 'out' / 'legend.mmd'}: differs" in err
    assert f"{small / 'out' / 'components' / 'repo-01.mmd'}: missing" in err
    assert f"{small / 'out' / 'components' / 'gone.mmd'}: no longer generated" in err
    assert run(small) == 0  # regenerating repairs and deletes
    assert not (small / "out" / "components" / "gone.mmd").exists()
    assert run(small, "--check") == 0


def test_extracted_relations_styles_and_drift(small):
    assert run(small) == 0
    out = small / "out"
    groups = json.loads((out / "group-matrix.json").read_text())
    # The group matrix: one cell per related pair of groups, with the relations' words and
    # the strongest origin; retired components (travis-ci) are left out.
    cells = {(c["source"], c["target"]): c for c in groups["cells"]}
    assert cells[("repositories", "ci")]["words"] == ["builds on"]
    assert {"id": "ci", "title": "CI", "page": "reference/ci/index"} in groups["groups"]
    assert "retired" not in {g["id"] for g in groups["groups"]}
    n00 = (out / "components" / "repo-00.mmd").read_text()
    assert ("n_repo_00", "-.->", "builds on", "n_github_actions") in neighbour_arrows(n00)
    assert ("n_repo_00", "-->", "builds on", "n_travis_ci") in neighbour_arrows(n00)
    # repo-01: travis-ci curated and observed -> thick, confirmed.
    n01 = (out / "components" / "repo-01.mmd").read_text()
    assert ("n_repo_01", "==>", "builds on", "n_travis_ci") in neighbour_arrows(n01)
    assert re.search(r"class [\w,]*n_travis_ci[\w,]* retired", n01)
    assert 'click n_travis_ci href "{{page:retired/travis-ci}}"' in n01
    drift = json.loads((out / "drift.json").read_text())
    kinds = {
        (i["kind"], i.get("component"), i.get("target") or i.get("secret")) for i in drift["items"]
    }
    assert ("curated-not-observed", "repo-00", "travis-ci") in kinds
    assert ("observed-not-curated", "repo-00", "github-actions") in kinds
    assert ("curated-not-observed", "repo-01", "UPLOAD_TOKEN") in kinds
    assert ("observed-not-curated", "repo-01", "ODD") in kinds
    assert ("unmapped-secret", None, "ODD") in kinds
    assert not any(i.get("secret") == "GITHUB_TOKEN" for i in drift["items"])
    assert ("not-inventoried", "repo-02", None) in kinds
    assert any(
        i["kind"] == "repo-not-in-model" and i["repo"] == "org/unknown" for i in drift["items"]
    )
    assert any(i["kind"] == "unmapped-service" and i["service"] == "pypi" for i in drift["items"])
    assert drift["inventory"]["status"] == "present"
    matrix = json.loads((out / "token-matrix.json").read_text())
    assert {"name": "ODD", "holders": ["repo-01"]} in matrix["loose"]
    cells = {(c["holder"], c["token"]): c for c in matrix["cells"]}
    # repo-01 lists UPLOAD_TOKEN in the model, repo-00 too and its CI files use it.
    assert cells[("repo-01", "upload-token")]["origin"] == "curated"
    assert cells[("repo-00", "upload-token")]["origin"] == "both"
    assert [t["id"] for t in matrix["tokens"]] == ["upload-token"]
    assert "GITHUB_TOKEN" not in json.dumps(matrix)


def test_drift_option_prints_every_disagreement_and_writes_nothing(small, capsys):
    assert run(small, "--drift") == 0
    assert not (small / "out").exists()
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("curated-not-observed: ") and "repo-00" in line and "travis-ci" in line
        for line in lines
    )
    assert any(line.startswith("repo-not-in-model: ") and "org/unknown" in line for line in lines)
    assert lines[-1].startswith(f"{len(lines) - 1} differences; drift: ")


def test_credentials_without_a_token_component_are_reported(tmp_path):
    comps = [*base_components(1), comp("bot", "bot-account", "automation", credentials=["LOOSE"])]
    write_model(tmp_path / "model", comps)
    assert run(tmp_path) == 0
    drift = json.loads((tmp_path / "out" / "drift.json").read_text())
    assert {
        "kind": "credential-without-token",
        "component": "bot",
        "secret": "LOOSE",
        "detail": "bot holds LOOSE; no token component lists it",
    } in drift["items"]
    matrix = json.loads((tmp_path / "out" / "token-matrix.json").read_text())
    assert matrix["loose"] == [{"name": "LOOSE", "holders": ["bot"]}]


def test_missing_inventory_means_no_extracted_relations(small, capsys):
    (small / "inventory.json").unlink()
    assert run(small) == 0
    assert "not found: no extracted relations" in capsys.readouterr().err
    assert all("-.->" not in t and "==>" not in t for t in map(Path.read_text, flowcharts(small)))
    drift = json.loads((small / "out" / "drift.json").read_text())
    assert drift["inventory"]["status"] == "missing"
    assert [i["kind"] for i in drift["items"]].count("inventory-missing") == 1


def test_bad_inventory_is_named_and_the_rest_still_used(small, capsys):
    write_inventory(
        small / "inventory.json",
        [
            {"ci_providers": ["travis-ci"]},
            {"name": "org/repo-01", "ci_providers": ["github-actions", 7]},
            {"name": "org/repo-00", "ci_providers": ["github-actions"]},
        ],
    )
    assert run(small) == 1
    err = capsys.readouterr().err
    where = f"{small / 'inventory.json'}: not a valid inventory"
    assert f"{where}: /repos/0: 'name' is a required property" in err
    assert f"{where}: /repos/1/ci_providers/1: 7 is not one of" in err
    assert "(repository org/repo-01)" in err
    assert "repo-01 -.->" not in (small / "out" / "components" / "repo-01.mmd").read_text()
    assert ("n_repo_00", "-.->", "builds on", "n_github_actions") in neighbour_arrows(
        (small / "out" / "components" / "repo-00.mmd").read_text()
    )
    (small / "inventory.json").write_text('{"repos": [\n  {"name": }\n]}')
    assert run(small) == 1
    assert f"{small / 'inventory.json'}:2: invalid JSON" in capsys.readouterr().err
    assert (small / "out" / "group-matrix.json").exists()


def test_bad_model_is_reported_by_file(tmp_path, capsys):
    write_model(tmp_path / "model", [*base_components(1), comp("bad", "nonsense", "ci")])
    assert run(tmp_path) == 1
    assert f"{tmp_path / 'model' / 'ci.yaml'}:" in capsys.readouterr().err


def big_model(tmp_path: Path) -> Path:
    comps = base_components(40)
    comps += [
        comp(
            f"svc-{i}",
            "web-service",
            "automation",
            repo=f"org/svc-{i}",
            relations=[{"type": "reads", "target": f"repo-{i:02d}"}],
        )
        for i in range(12)
    ]
    comps += [comp(f"old-{i}", "ci-provider", "ci", status="retired") for i in range(3)]
    comps.append(
        comp(
            "busy",
            "delivery-service",
            "delivery",
            relations=[{"type": "reads", "target": f"repo-{i:02d}"} for i in range(40)],
        )
    )
    return write_model(tmp_path / "model", comps)


def test_big_model_collapses_and_splits(tmp_path):
    model = load_model(big_model(tmp_path))
    files = generate(model, load_inventory(tmp_path / "none.json"), load_flows()).files
    groups = json.loads(files["group-matrix.json"])
    assert [c["words"] for c in groups["cells"] if c["source"] == "delivery"] == [["reads"]]
    # A neighbourhood past 12 neighbours keeps its focus and collapses the rest by kind.
    busy = files["components/busy.mmd"]
    assert node_count(busy) <= 13 and 'n_busy["Busy"]' in busy
    assert "class n_busy focus" in busy
    assert 'n_out_kind_repository["40 repositories"]' in busy
    assert ("n_busy", "-->", "reads", "n_out_kind_repository") in neighbour_arrows(busy)
    assert 'click n_out_kind_repository href "{{page:reference/repositories/index}}"' in busy
    # The repository map is split into one per role.
    maps = [files[n] for n in sorted(files) if re.fullmatch(r"repositories-\d+\.mmd", n)]
    assert len(maps) >= 2 and all(len(re.findall(r'\["', m)) <= 30 for m in maps)
    tooling = next(m for m in maps if "tooling - 20" in m)
    assert "tooling - 20" in files["repositories.mmd"]
    assert "org/repo-01" not in files["repositories.mmd"]
    assert 'c_org_repo_01["org/repo-01"]' in tooling
    # A service's source repository is mapped under its kind when it has no role.
    assert "source of a web service - 12" in files["repositories.mmd"]
    for name, text in files.items():
        if name.endswith(".mmd") and "flowchart" in text:
            assert node_count(text) <= 31, name


def test_flows_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "flows.yaml"
    bad.write_text(
        "participants:\n  a: {label: A}\nflows:\n  - name: f\n    title: t\n    steps:\n"
        "      - {from: a, to: nobody, say: hi}\n      - {from: a, to: a, say: one, two}\n"
    )
    with pytest.raises(FlowError) as exc:
        load_flows(bad)
    assert f"{bad}:7: unknown participant 'nobody'" in str(exc.value)
    assert f"{bad}:8: a step has from/to/say or note/over" in str(exc.value)


def test_flow_participants_missing_from_model_are_reported(small):
    assert run(small) == 0
    drift = json.loads((small / "out" / "drift.json").read_text())
    missing = {
        i["detail"].split(":")[1].split()[1]
        for i in drift["items"]
        if i["kind"] == "flow-participant-missing"
    }
    assert "cdn" in missing and "staged" in missing
    seq = "".join(p.read_text() for p in sorted((small / "out").glob("lifecycle-new-package-*")))
    assert "participant p_ci as Github Actions" in seq
    assert "link p_ci: Reference page @ {{page:reference/ci/github-actions}}" in seq
    assert "participant p_cdn as CDN" in seq and "link p_cdn" not in seq


def test_a_flow_is_split_into_phases_of_at_most_four_participants():
    steps = [{"from": a, "to": b, "say": "x"} for a, b in ("ab", "bc", "cd", "de", "ea", "ef")]
    steps.append({"note": "n", "over": ["f", "a"]})
    runs = phases(steps)
    assert [len(r) for r in runs] == [3, 4]  # a b c d | d e a f (the note over f and a)
    assert all(
        len({n for s in r for n in (s.get("from"), s.get("to"), *s.get("over", []))} - {None}) <= 4
        for r in runs
    )
    assert [s for r in runs for s in r] == steps  # nothing dropped, order kept
    files, _ = sequences(load_model(), load_flows())
    for name, text in files.items():
        lifelines = re.findall(r"^  (?:participant|actor) ", text, re.M)
        assert 0 < len(lifelines) <= 4, name
        assert re.search(r"^%% .* \(\d of \d\)$", text, re.M), name


def test_committed_diagrams_stay_small_and_drawn_at_natural_size():
    """Readable at the column width: few nodes, one edge per node pair, natural size on."""
    for path in sorted(GENERATED.rglob("*.mmd")):
        text = path.read_text()
        assert "useMaxWidth" in text.splitlines()[2], f"{path}: no natural-size init line"
        if "\nflowchart" not in text:
            continue
        pairs = [(a, b) for a, _e, _s, b in ARROW.findall(text)]
        assert len(arrows(text)) == len(pairs), f"{path}: an arrow without its words"
        assert len(pairs) == len(set(pairs)), f"{path}: parallel edges"
        assert node_count(text) <= 30, path
        for sg in re.findall(r"^\s+subgraph (\w+)", text, re.M):
            assert f"style {sg} fill:transparent" in text, f"{path}: {sg} has a fill"


def test_neighbourhood_puts_sources_left_and_targets_right(tmp_path):
    comps = [
        *base_components(1),
        comp(
            "svc",
            "web-service",
            "automation",
            relations=[
                {"type": "reads", "target": "repo-00"},
                {"type": "uploads-to", "target": "staging"},
            ],
        ),
        comp("bot", "bot-account", "automation", relations=[{"type": "triggers", "target": "svc"}]),
    ]
    comps[-3]["relations"] = [{"type": "depends-on", "target": "svc"}]  # repo-00: both ways
    model = load_model(write_model(tmp_path / "model", comps))
    text = generate(model, load_inventory(tmp_path / "none"), load_flows()).files[
        "components/svc.mmd"
    ]
    boxes = {box: (title, members) for box, title, members in BOX.findall(text)}
    titles = {
        t.replace("<br>", " "): re.findall(r"n_\w+", members) for t, members in boxes.values()
    }
    # In-only sources in a box on the left (an arrow into the component), its targets in boxes
    # on the right (an arrow out; repo-00 relates both ways: one arrow each way).
    assert titles == {"triggers it": ["n_bot"], "reads; depends on it": ["n_repo_00"]} | {
        "uploads to": ["n_staging"]
    }
    assert ("n_bot", "-->", "triggers", "n_svc") in neighbour_arrows(text)
    assert ("n_repo_00", "-->", "depends on", "n_svc") in neighbour_arrows(text)
    assert ("n_svc", "-->", "reads", "n_repo_00") in neighbour_arrows(text)
    assert len(BOX_ARROW.findall(text)) == 4
    assert text.index("b_in_0") < text.index("b_out_1")


def test_neighbourhood_wraps_long_names(tmp_path):
    """A name too long for the column is broken after _ - / so the drawing stays narrow."""
    comps = [
        *base_components(1),
        comp(
            "key",
            "token",
            "tokens",
            title="MINIFORGE_AUTOUPDATE_SSH_PRIVATE_KEY",
            relations=[{"type": "holds-token-for", "target": "repo-00"}],
        ),
    ]
    model = load_model(write_model(tmp_path / "model", comps))
    text = generate(model, load_inventory(tmp_path / "none"), load_flows()).files[
        "components/repo-00.mmd"
    ]
    assert 'n_key["MINIFORGE_<br>AUTOUPDATE_<br>SSH_PRIVATE_<br>KEY"]' in text
    assert ("n_key", "-->", "grants access to", "n_repo_00") in neighbour_arrows(text)


def test_token_matrix_links_each_mark_to_its_evidence(tmp_path):
    """A curated mark links to the model's credential evidence at its verified commit; a mark
    seen in CI only links to the CI files that use the name at the inventoried commit."""
    sha = "a" * 40
    comps = [
        *base_components(2),
        comp(
            "bot",
            "bot-account",
            "automation",
            credentials=["UPLOAD_TOKEN"],
            evidence=[
                {
                    "fact": "credential: UPLOAD_TOKEN",
                    "repo": "org/bot",
                    "path": "run.yml",
                    "secret": "UPLOAD_TOKEN",
                    "verified": {"commit": sha, "date": "2026-01-01", "line": 7},
                }
            ],
        ),
    ]
    model = load_model(write_model(tmp_path / "model", comps))
    workflow = {"path": ".github/workflows/up.yml", "provider": "github-actions", "name": "up"}
    workflow |= {k: [] for k in ("triggers", "schedules", "actions", "runners", "findings")}
    workflow |= {"secrets": ["UPLOAD_TOKEN"], "permissions": None}
    inv = write_inventory(
        tmp_path / "inv.json",
        [
            {
                "name": "org/repo-00",
                "commit": "b" * 40,
                "secrets": ["UPLOAD_TOKEN"],
                "workflows": [workflow],
            }
        ],
    )
    matrix = json.loads(
        generate(model, load_inventory(inv), load_flows()).files["token-matrix.json"]
    )
    cells = {(c["holder"], c["token"]): c for c in matrix["cells"]}
    assert cells[("bot", "upload-token")]["links"] == [
        f"https://github.com/org/bot/blob/{sha}/run.yml#L7"
    ]
    assert cells[("repo-00", "upload-token")] == {
        "holder": "repo-00",
        "token": "upload-token",
        "names": ["UPLOAD_TOKEN"],
        "origin": "both",  # listed in the model (without evidence) and seen in CI
        "links": [f"https://github.com/org/repo-00/blob/{'b' * 40}/.github/workflows/up.yml"],
    }
    # Rows by group (repositories before automation), each holder once.
    assert [r["id"] for r in matrix["holders"]][-1] == "bot"
