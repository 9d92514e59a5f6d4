"""The build: facts without evidence warn by file:line; the {fact} role; verified sources."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape
from pathlib import Path

import sphinxapp
from evhelpers import MODEL, git, line_of, run_verify, write_project

SHA = "a0041e24c3f5f7d9b0c1d2e3f4a5b6c7d8e9f0a1"
CONF = """
extensions = ["myst_parser", "sphinxcontrib.mermaid", "infradocs.sphinxext.diagrams",
"infradocs.sphinxext.archmodel"]
diagrams_dir = {gen!r}
archmodel_dir = {model!r}
archmodel_require_evidence = {require}
mermaid_use_local = "none.mjs"
"""
CLAIM = (
    "The bot {fact}`runs every six hours <{path: README.md, contains: every six hours, "
    "verified: {commit: " + SHA + ", date: 2026-12-01, line: 3}}>` on GitHub Actions.\n"
)
VERIFIED = "        verified: {commit: " + SHA + ", date: 2026-12-01, line: 12}\n"


def _project(tmp: Path, model: str = MODEL, claim: str = CLAIM) -> tuple[Path, Path, Path]:
    """The evidence test project, turned into a small Sphinx site."""
    clones, model_dir, docs = write_project(tmp, model)
    gen = tmp / "gen"
    (gen / "components").mkdir(parents=True)
    (gen / "drift.json").write_text(json.dumps({"inventory": {}, "counts": {}, "items": []}))
    for cid in ("team-a", "bot-job", "other-job"):
        (gen / "components" / f"{cid}.mmd").write_text(f"%% h\n%% {cid}\nflowchart LR\n  a\n")
    team = docs / "reference" / "organisations" / "team-a.md"
    team.parent.mkdir(parents=True)
    team.write_text("# Team A\n\n```{component} team-a\n```\n")
    (docs / "legend.md").write_text("# Legend\n\n(diagram-legend)=\n## Key\n\nText.\n")
    bot = docs / "reference" / "automation" / "bot-job.md"
    bot.write_text(bot.read_text() + "\n" + claim)
    toc = "reference/organisations/team-a\nreference/automation/bot-job\n"
    toc += "reference/automation/other-job\nlegend\n"
    (docs / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toc}```\n")
    return clones, model_dir, docs


def _build(tmp: Path, docs: Path, model: Path, require: bool):
    (docs / "conf.py").write_text(
        CONF.format(gen=str(tmp / "gen"), model=str(model), require=require)
    )
    return sphinxapp.build(docs, tmp / "out")


def test_fact_without_evidence_fails_the_strict_build(tmp_path: Path) -> None:
    _, model, docs = _project(tmp_path)
    proc = _build(tmp_path, docs, model, require=True)
    assert proc.returncode != 0
    yaml_file = model / "automation.yaml"
    line = line_of(yaml_file, "status: active")  # team-a's status: the one fact without evidence
    assert f"{yaml_file}:{line}: component team-a: fact 'status' has no evidence" in proc.stderr
    assert proc.stderr.count("has no evidence") == 1


def test_evidence_gate_off_builds_and_renders_claims_and_stamps(tmp_path: Path) -> None:
    model_text = MODEL.replace(
        "        secret: BOT_TOKEN\n", "        secret: BOT_TOKEN\n" + VERIFIED
    ).replace(
        '{title: src, url: "https://example.org/"}\n    evidence:\n      - fact: status\n'
        "        repo: o/bot",
        '{title: workflow, url: "https://github.com/o/bot/blob/main/.github/workflows/bot.yml"}'
        "\n    evidence:\n      - fact: status\n        repo: o/bot",
    )
    assert model_text.count(SHA) == 1 and "blob/main" in model_text
    _, model, docs = _project(tmp_path, model_text)
    proc = _build(tmp_path, docs, model, require=False)
    assert proc.returncode == 0, proc.stderr
    page = proc.outdir / "reference" / "automation" / "bot-job.html"
    html = unescape(page.read_text())
    # the prose claim links to its evidence at the verified commit and line
    assert f'href="https://github.com/o/bot/blob/{SHA}/README.md#L3"' in html
    assert f'title="verified against o/bot@{SHA[:7]} on 2026-12-01"' in html
    # the summary block: the stamp per repository and the source pinned to that commit
    assert f"o/bot@{SHA[:7]}</span></code> on 2026-12-01" in html
    wf = f"https://github.com/o/bot/blob/{SHA}/.github/workflows/bot.yml#L12"
    assert html.count(f'href="{wf}"') == 2  # the source link and the evidence file link
    assert "blob/main" not in html


def test_bad_claim_is_a_warning_with_page_and_line(tmp_path: Path) -> None:
    claim = "It {fact}`holds <{path: README.md, contains: x, exists: true}>`.\n"
    _, model, docs = _project(tmp_path, claim=claim)
    proc = _build(tmp_path, docs, model, require=False)
    assert proc.returncode != 0
    page = docs / "reference" / "automation" / "bot-job.md"
    assert f"{page}:{line_of(page, '{fact}')}" in proc.stderr
    assert "more than one check kind (contains, exists)" in proc.stderr


def test_verify_checks_claims_and_updates_them_in_place(tmp_path: Path) -> None:
    clones, model, docs = _project(tmp_path)
    page = docs / "reference" / "automation" / "bot-job.md"
    code, report, _ = run_verify(model, docs, "--clones", str(clones))
    # the claim's verified commit is not a commit of o/bot: its permalink would be a 404
    [stale] = report["failing"]
    assert stale["items"][0]["found"].startswith(
        f"verified commit {SHA[:12]} is not a commit of o/bot (its permalink is a 404)"
    )
    before = page.read_text()
    run_verify(model, docs, "--clones", str(clones), "--update")
    head = git(clones / "o" / "bot", "rev-parse", "HEAD")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert page.read_text() == before.replace(SHA, head).replace("2026-12-01", today)
    code, report, _ = run_verify(model, docs, "--clones", str(clones))
    assert code == 0 and report["counts"]["items_passing"] == 5
    readme = clones / "o" / "bot" / "README.md"
    readme.write_text("# bot\n\nIt runs hourly.\n")
    git(clones / "o" / "bot", "commit", "-qam", "hourly")
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 1
    [fact] = [f for f in report["failing"] if f["fact"] == "runs every six hours"]
    assert fact["page"] == str(page) and fact["page_line"] == line_of(page, "{fact}")
    assert fact["items"][0]["file"] == str(page) and fact["component"] == "bot-job"
    assert f"{page}:{line_of(page, '{fact}')}" in text


def test_an_invalid_claim_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    bad = "Also {fact}`wrong <{path: README.md}>`.\n"
    good = "The bot {fact}`runs every six hours <{path: README.md, contains: every six hours}>`.\n"
    clones, model, docs = _project(tmp_path, claim=good + bad)
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 1 and report["counts"]["items_passing"] == 5 and not report["failing"]
    page = docs / "reference" / "automation" / "bot-job.md"
    [problem] = report["invalid_claims"]
    assert problem.startswith(f"{page}:{line_of(page, 'wrong')}: {{fact}} role: no check kind")
    assert "1 invalid claims" in text.splitlines()[0]
