"""The loader reads evidence: selectors resolved, bad items named by file and line, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from evhelpers import MODEL, line_of

from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel.facts import coverage

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
    from infradocs.cli.evidence import main

    path = _model(tmp_path, MODEL)
    assert main(["coverage", "--model", str(tmp_path), "--missing"]) == 0
    out = capsys.readouterr().out
    assert "structured facts: 5; with evidence: 4 (80.0 %)" in out
    assert "evidence items: 5; with verified: 0" in out
    assert f"{path}:{line_of(path, 'status: active')}: team-a: status" in out


YAML_ITEMS = """\
      - fact: status
        path: .github/workflows/bot.yml
        contains: "cron:"
      - fact: status
        path: conda-forge.yml
        matches: "^provider"
      - fact: status
        path: .github/workflows/bot.yml
        yaml: ["on", schedule]
      - fact: status
        path: .github/workflows/bot.yml
        yaml: ["on", schedule]
        present: true
        equals: x
      - fact: status
        path: bot.py
        contains: x
        equals: x
"""


def test_text_checks_on_yaml_files_and_bad_meaning_checks_are_errors(tmp_path: Path) -> None:
    text = MODEL.replace("  - id: other-job", YAML_ITEMS + "  - id: other-job")
    path = _model(tmp_path, text)
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    first = line_of(path, 'contains: "cron:"') - 2
    lines = [
        n
        for n in range(first, first + 23)
        if path.read_text().splitlines()[n - 1].startswith("      - fact")
    ]
    want = [
        "contains on a YAML file: check the parsed document with yaml:",
        "matches on a YAML file: check the parsed document with yaml:",
        "yaml: needs exactly one of equals, set, has, present (has 0)",
        "yaml: needs exactly one of equals, set, has, present (has 2)",
        "equals belongs to a yaml: check, not to contains",
    ]
    for line, message in zip(lines, want, strict=False):
        assert any(p.startswith(f"{path}:{line}:") and message in p for p in err.value.problems), (
            line,
            message,
            err.value.problems,
        )


def test_a_duplicate_key_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    text = MODEL.replace(
        "        secret: BOT_TOKEN\n",
        "        secret: BOT_TOKEN\n"
        "        verified: {commit: " + "a" * 40 + ", date: 2026-01-01}\n"
        "        verified: {commit: " + "b" * 40 + ", date: 2026-01-02}\n",
    )
    path = _model(tmp_path, text)
    with pytest.raises(ModelError) as err:
        load_model(tmp_path)
    again = line_of(path, "verified: {commit: bbbb")
    assert err.value.problems == [
        f"{path}:{again}: duplicate key 'verified' (first at line {again - 1}; "
        "YAML would keep the last)"
    ]


def test_a_duplicate_key_in_a_claim_is_reported() -> None:
    from infradocs.core.archmodel.claims import parse

    claim, problems = parse("x <{repo: o/r, path: a.py, contains: a, contains: b}>")
    assert claim is None and problems == ["duplicate key 'contains' in the check fields"]
    claim, problems = parse("x <{repo: o/r, path: a.py, python: {within: x}}>")
    assert claim is None and problems == ["python: 'calls' is a required property"]
