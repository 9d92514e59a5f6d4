"""The loader reads evidence: selectors resolved, bad items named by file and line, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from evhelpers import MODEL, line_of

from archmodel import ModelError, load_model
from archmodel.facts import coverage

BAD_ITEMS = """\
      - fact: "credential: NOPE"
        path: a.yml
        contains: x
      - fact: "relation: triggers team-a"
        path: a.yml
        contains: x
      - fact: "trigger: every"
      - fact: status
        path: a.yml
        contains: x
        exists: true
      - fact: "runs_on"
        path: a.yml
        matches: "(unclosed"
      - fact: "note: agreement"
        unverifiable: a contract
"""


def _model(tmp_path: Path, text: str) -> Path:
    (tmp_path / "m.yaml").write_text(text)
    return tmp_path / "m.yaml"


def test_items_resolve_and_keep_their_lines(tmp_path: Path) -> None:
    path = _model(tmp_path, MODEL)
    comp = load_model(tmp_path)["bot-job"]
    assert [e.kind for e in comp.evidence] == ["archived", "cron", "secret", "contains"]
    assert comp.evidence[1].proves == ("trigger: every six hours (cron)",)  # a unique prefix
    assert comp.evidence[2].line == line_of(path, '- fact: "credential: BOT_TOKEN"')
    assert comp.evidence[2].repo == "o/bot"  # defaults to the component's repo
    facts = {f.selector: f.line for f in comp.facts}
    assert facts["credential: BOT_TOKEN"] == line_of(path, "- BOT_TOKEN")
    assert facts["status"] == line_of(path, "status: active", line_of(path, "id: bot-job"))


def test_bad_items_are_reported_by_file_and_line(tmp_path: Path) -> None:
    text = MODEL.replace("  - id: other-job", BAD_ITEMS + "  - id: other-job")
    path = _model(tmp_path, text)
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    problems = err.value.problems
    expect = {  # the item's fact: line -> the message
        '- fact: "credential: NOPE"': "no credential 'NOPE' (credentials: BOT_TOKEN)",
        '- fact: "relation: triggers team-a"': "no relation 'triggers team-a'",
        '- fact: "trigger: every"': "no check kind",
        "- fact: status": "more than one check kind (contains, exists)",
        '- fact: "runs_on"': "the component sets no runs_on",
        '- fact: "note: agreement"': "unverifiable item needs a source",
    }
    first = line_of(path, "credential: NOPE")
    for needle, message in expect.items():
        line = line_of(path, needle, first)
        hits = [p for p in problems if p.startswith(f"{path}:{line}:") and message in p]
        assert hits, (needle, line, problems)
    assert any("not a valid regular expression" in p for p in problems)


def test_coverage_counts_required_facts(tmp_path: Path) -> None:
    _model(tmp_path, MODEL)
    cov = coverage(load_model(tmp_path))
    # bot-job: status, trigger, credential; other-job: status; team-a: status (no evidence)
    assert (cov.facts, cov.checked, cov.unverifiable) == (5, 4, 0)
    assert [(f.component, f.selector) for f in cov.missing] == [("team-a", "status")]


def test_coverage_command_prints_the_figures(tmp_path: Path, capsys) -> None:
    from evidence.cli import main

    path = _model(tmp_path, MODEL)
    assert main(["coverage", "--model", str(tmp_path), "--missing"]) == 0
    out = capsys.readouterr().out
    assert "structured facts: 5; with evidence: 4 (80.0 %)" in out
    assert "evidence items: 5; with verified: 0" in out
    assert f"{path}:{line_of(path, 'status: active')}: team-a: status" in out
