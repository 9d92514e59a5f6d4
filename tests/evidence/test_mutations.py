"""Mutation tests: edits that make a fact false fail ``evidence verify`` naming that fact, even
where the old text checks would have stayed green (a comment still saying the old value, a
function name that appears elsewhere too)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from evhelpers import PULUMI, SERVICE, TEAM, WEBAPP, git, line_of, make_repo, run_verify
from evhelpers import UPSTREAM_WORKFLOW as WORKFLOW

MODEL = (
    "components:\n"
    + TEAM
    + SERVICE
    + """\
    triggers:
      - every four hours (cron)
      - workflow_dispatch of update.yml
      - status events
    credentials:
      - DEPLOY_TOKEN
      - STAGING_TOKEN
    sources:
      - {title: src, url: "https://example.org/"}
    evidence:
      - fact: "trigger: every four hours"
        path: .github/workflows/update.yml
        cron: "30 */4 * * *"
      - fact: "trigger: every four hours"
        path: .github/workflows/update.yml
        yaml: ["on", schedule, "*", cron]
        equals: "30 */4 * * *"
      - fact: "trigger: workflow_dispatch"
        path: .github/workflows/update.yml
        yaml: ["on", workflow_dispatch]
        present: true
      - fact: "trigger: status events"
        path: service/webapp.py
        python:
          function: StatusHookHandler.post
          within: 'event == "status"'
          calls: _dispatch_merge_job
      - fact: "credential: DEPLOY_TOKEN"
        path: .github/workflows/update.yml
        secret: DEPLOY_TOKEN
      - fact: "credential: STAGING_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        yaml: [resources, gh-org-secret-staging-token, properties, visibility]
        equals: all
      - fact: "credential: DEPLOY_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        yaml: [resources, gh-org-secret-deploy-token-repos, properties, selectedRepositoryIds]
        equals: ["${repo-service.repoId}", "${repo-bot.repoId}"]
      - fact: "note: status-token"
        path: service/webapp.py
        contains: os.environ["STATUS_TOKEN"]
"""
)
CLAIM = (
    "The update job {fact}`runs with a checkout first <{path: .github/workflows/update.yml, "
    "yaml: [jobs, update, steps, 0, uses], equals: actions/checkout@v4}>`.\n"
)


def _commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    clones, model, docs = tmp_path / "clones", tmp_path / "model", tmp_path / "docs"
    make_repo(
        clones / "o" / "service",
        {".github/workflows/update.yml": WORKFLOW, "service/webapp.py": WEBAPP},
    )
    make_repo(clones / "o" / "infra", {"sync-secrets/Pulumi.yaml": PULUMI})
    model.mkdir()
    (model / "automation.yaml").write_text(MODEL)
    page = docs / "reference" / "automation" / "service.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"# Service\n\n```{{component}} service\n```\n\n{CLAIM}")
    return clones, model, docs


def _edit(project, repo: str, path: str, old: str, new: str) -> None:
    file = project[0] / "o" / repo / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))
    _commit(project[0] / "o" / repo)


def _fails(project, fact: str) -> list[str]:
    """Verify fails exactly ``fact``; return what each failing item found."""
    clones, model, docs = project
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 1, text
    assert [f"{f['component']}: {f['fact']}" for f in report["failing"]] == [fact]
    assert str(model / "automation.yaml") in text
    return [i["found"] for f in report["failing"] for i in f["items"]]


def test_unchanged_repositories_pass_and_update_writes_node_lines(project) -> None:
    clones, model, docs = project
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 0, text
    assert report["counts"]["items_passing"] == 9
    run_verify(model, docs, "--clones", str(clones), "--update")
    written = (model / "automation.yaml").read_text()
    lines = [ln.split("line: ")[1].rstrip("}") for ln in written.splitlines() if "verified" in ln]
    # cron x2, workflow_dispatch, the dispatch call, secret, visibility, the list, environ
    assert lines == ["4", "4", "5", "19", "15", "10", "21", "34"]
    page = docs / "reference" / "automation" / "service.md"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert f"date: {today}, line: 10}}" in page.read_text()


def test_visibility_changed_while_the_comment_still_says_all(project) -> None:
    pulumi = "sync-secrets/Pulumi.yaml"
    _edit(project, "infra", pulumi, "      visibility: all", "      visibility: selected")
    assert (
        "# Secret: STAGING_TOKEN (visibility: all)"
        in (project[0] / "o" / "infra" / "sync-secrets" / "Pulumi.yaml").read_text()
    )
    [found] = _fails(project, "service: credential: STAGING_TOKEN")
    assert found == (
        'yaml ["resources", "gh-org-secret-staging-token", "properties", "visibility"] '
        'is not "all"; it holds line 10: "selected"'
    )


def test_repository_list_changed(project) -> None:
    _edit(project, "infra", "sync-secrets/Pulumi.yaml", "        - ${repo-bot.repoId}\n", "")
    [found] = _fails(project, "service: credential: DEPLOY_TOKEN")
    assert found.endswith('it holds line 21: ["${repo-service.repoId}"]')


def test_status_dispatch_deleted_while_the_name_remains_elsewhere(project) -> None:
    old = """            if event == "status" and body["repository"]["name"].endswith("-feedstock"):
                tornado.ioloop.IOLoop.current().spawn_callback(
                    _dispatch_merge_job,
                    body["repository"]["name"],
                    body["sha"],
                )
"""
    _edit(project, "service", "service/webapp.py", old, "")
    text = (project[0] / "o" / "service" / "service/webapp.py").read_text()
    assert text.count("_dispatch_merge_job") == 2  # still defined, still used for check_suite
    [found] = _fails(project, "service: trigger: status events")
    assert found == (
        "no call of _dispatch_merge_job: the branch on 'event == \"status\"' in "
        "StatusHookHandler.post calls tornado.ioloop.IOLoop.current().spawn_callback, "
        "tornado.ioloop.IOLoop.current"
    )


def test_secret_line_commented_out(project) -> None:
    line = "          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n"
    _edit(project, "service", ".github/workflows/update.yml", line, "#" + line)
    [found] = _fails(project, "service: credential: DEPLOY_TOKEN")
    assert (
        found == "secret DEPLOY_TOKEN is not referenced; the file references secrets: STAGING_TOKEN"
    )


def test_changed_schedule(project) -> None:
    _edit(project, "service", ".github/workflows/update.yml", "30 */4", "0 */6")
    found = _fails(project, "service: trigger: every four hours (cron)")
    assert found == [
        "schedule changed to '0 */6 * * *'",
        'yaml ["on", "schedule", "*", "cron"] is not "30 */4 * * *"; '
        'it holds line 4: "0 */6 * * *"',
    ]


def test_removed_schedule(project) -> None:
    _edit(
        project,
        "service",
        ".github/workflows/update.yml",
        '  schedule:\n    - cron: "30 */4 * * *"\n',
        "",
    )
    found = _fails(project, "service: trigger: every four hours (cron)")
    assert found == [
        "no schedule any more",
        'yaml ["on", "schedule", "*", "cron"]: path element 2, "schedule" not found '
        "(there: keys workflow_dispatch)",
    ]


def test_deleted_workflow_dispatch_trigger(project) -> None:
    _edit(project, "service", ".github/workflows/update.yml", "  workflow_dispatch: null\n", "")
    [found] = _fails(project, "service: trigger: workflow_dispatch of update.yml")
    assert found == (
        'yaml ["on", "workflow_dispatch"]: path element 2, "workflow_dispatch" not found '
        "(there: keys schedule)"
    )


def test_comment_only_line_no_longer_satisfies_a_text_check(project) -> None:
    old = '    return os.environ["STATUS_TOKEN"], body\n'
    new = '    # was os.environ["STATUS_TOKEN"]\n    return body\n'
    _edit(project, "service", "service/webapp.py", old, new)
    [found] = _fails(project, "service: note: status-token")
    assert found.startswith("text no longer there")


def test_a_yaml_claim_in_a_page_fails_with_its_page_and_line(project) -> None:
    _edit(
        project,
        "service",
        ".github/workflows/update.yml",
        "actions/checkout@v4",
        "actions/checkout@v5",
    )
    clones, model, docs = project
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    page = docs / "reference" / "automation" / "service.md"
    assert code == 1
    [fact] = report["failing"]
    assert fact["fact"] == "runs with a checkout first"
    assert fact["items"][0]["found"] == (
        'yaml ["jobs", "update", "steps", 0, "uses"] is not "actions/checkout@v4"; '
        'it holds line 10: "actions/checkout@v5"'
    )
    assert f"{page}:{line_of(page, '{fact}')}" in text


def test_a_pin_to_another_repository_or_line_fails_until_update_fixes_it(project) -> None:
    clones, model, docs = project
    run_verify(model, docs, "--clones", str(clones), "--update")
    yaml_file = model / "automation.yaml"
    pinned = yaml_file.read_text()
    infra = git(clones / "o" / "infra", "rev-parse", "HEAD")
    service = git(clones / "o" / "service", "rev-parse", "HEAD")
    # the secret item pinned to a commit of o/infra, the dispatch item to a wrong line
    lines = pinned.splitlines(keepends=True)
    at = [n for n, ln in enumerate(lines) if "verified:" in ln]
    lines[at[4]] = lines[at[4]].replace(service, infra)
    lines[at[3]] = lines[at[3]].replace("line: 19}", "line: 17}")
    yaml_file.write_text("".join(lines))
    code, report, _ = run_verify(model, docs, "--clones", str(clones))
    assert code == 1
    found = {f"{f['component']}: {f['fact']}": f["items"][0]["found"] for f in report["failing"]}
    assert found == {
        "service: credential: DEPLOY_TOKEN": f"verified commit {infra[:12]} is not a commit of "
        "o/service (its permalink is a 404); --update rewrites it",
        "service: trigger: status events": "verified line 17 is not the matched line 19 at that "
        "commit; --update rewrites it",
    }
    run_verify(model, docs, "--clones", str(clones), "--update")
    assert yaml_file.read_text() == pinned
