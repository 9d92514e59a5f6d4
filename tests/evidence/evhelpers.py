"""Helpers for the evidence tests: a model with evidence, its pages, clones-layout repositories."""

from __future__ import annotations

import json
from pathlib import Path

from infradocs.cli.evidence import main
from tests.inventory.invhelpers import git, make_repo
from tests.support.httpserver import Request, Response, Server

__all__ = [
    "PULUMI",
    "SERVICE",
    "TEAM",
    "UPSTREAM_WORKFLOW",
    "WEBAPP",
    "ApiServer",
    "git",
    "line_of",
    "make_repo",
    "run_verify",
    "write_project",
]

WORKFLOW = """\
name: bot
on:
  schedule:
    - cron: "0 */6 * * *"
  workflow_dispatch:
jobs:
  run:
    runs-on: ubuntu-latest
    steps:
      - run: python bot.py
        env:
          GH_TOKEN: ${{ secrets.BOT_TOKEN }}
"""
FILES = {
    ".github/workflows/bot.yml": WORKFLOW,
    "README.md": "# bot\n\nThe bot runs every six hours.\n",
    "bot.py": "print('hello')\n",
    "big/unrelated.txt": "not named by any evidence\n" * 50,
}
# Hand-written stand-ins for upstream files (a Pulumi secrets file, a workflow, a web app).
PULUMI = """\
name: sync-secrets
runtime: yaml
resources:
  # Secret: STAGING_TOKEN (visibility: all)
  gh-org-secret-staging-token:
    type: github:ActionsOrganizationSecret
    properties:
      secretName: STAGING_TOKEN
      value: ${staging-token.credential}
      visibility: all
  # Secret: DEPLOY_TOKEN
  gh-org-secret-deploy-token:
    type: github:ActionsOrganizationSecret
    properties:
      secretName: DEPLOY_TOKEN
      visibility: selected
  gh-org-secret-deploy-token-repos:
    type: github:ActionsOrganizationSecretRepositories
    properties:
      secretName: ${gh-org-secret-deploy-token.secretName}
      selectedRepositoryIds:
        - ${repo-service.repoId}
        - ${repo-bot.repoId}
"""
UPSTREAM_WORKFLOW = """\
name: clean and update
on:
  schedule:
    - cron: "30 */4 * * *"
  workflow_dispatch: null
jobs:
  update:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Update
        run: |
          python -m service.update
        env:
          DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}
          STAGING_TOKEN: ${{ secrets.STAGING_TOKEN }}
"""
WEBAPP = """\
import os

import tornado


def _dispatch_merge_job(repo, sha):
    \"\"\"Dispatch the merge workflow.\"\"\"
    return repo, sha


class StatusHookHandler:
    async def post(self):
        event = self.request.headers.get("X-GitHub-Event")
        body = self.body()
        if event == "check_run" or event == "status":
            tornado.ioloop.IOLoop.current().spawn_callback(_update_status, body)
            if event == "status" and body["repository"]["name"].endswith("-feedstock"):
                tornado.ioloop.IOLoop.current().spawn_callback(
                    _dispatch_merge_job,
                    body["repository"]["name"],
                    body["sha"],
                )
            return
        elif event == "check_suite":
            tornado.ioloop.IOLoop.current().spawn_callback(
                _dispatch_merge_job,
                body["repository"]["name"],
                body["check_suite"]["head_sha"],
            )


def _update_status(body):
    # reads os.environ["LEGACY_TOKEN"] no more
    return os.environ["STATUS_TOKEN"], body
"""
# Model entries shared by the test models: the owning team, a web service.
TEAM = """\
  - id: team-a
    title: Team A
    kind: team
    status: active
    group: organisations
    owner: team-a
    summary: A team that owns things.
    sources:
      - {title: src, url: "https://example.org/"}
"""
SERVICE = """\
  - id: service
    title: Service
    kind: web-service
    status: active
    group: automation
    owner: team-a
    repo: o/service
    summary: The service that dispatches jobs.
"""
MODEL = (
    """\
# A model file with comments, kept byte for byte by --update.
components:
"""
    + TEAM
    + """\
  - id: bot-job
    title: Bot job
    kind: scheduled-job
    status: active
    group: automation
    owner: team-a
    repo: o/bot
    summary: The bot's scheduled job.
    triggers:
      - every six hours (cron)
    credentials:
      - BOT_TOKEN
    sources:
      - {title: src, url: "https://example.org/"}
    evidence:
      - fact: status
        repo: o/bot
        archived: false
      - fact: "trigger: every six hours"
        path: .github/workflows/bot.yml
        cron: "0 */6 * * *"   # the schedule
      - fact: "credential: BOT_TOKEN"
        path: .github/workflows/bot.yml
        secret: BOT_TOKEN
      - fact: "note: readme"
        path: README.md
        contains: every six hours
  - id: other-job
    title: Other job
    kind: scheduled-job
    status: active
    group: automation
    owner: team-a
    repo: o/other
    summary: Another job, in another repository.
    sources:
      - {title: src, url: "https://example.org/"}
    evidence:
      - fact: status
        path: main.py
        exists: true
"""
)


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after ``start`` that contains ``needle``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def write_project(tmp: Path, model: str = MODEL) -> tuple[Path, Path, Path]:
    """(clones dir, model dir, docs dir): repositories o/bot and o/other, the model, two pages."""
    clones, model_dir, docs = tmp / "clones", tmp / "model", tmp / "docs"
    make_repo(clones / "o" / "bot", FILES)
    make_repo(clones / "o" / "other", {"main.py": "print(1)\n"})
    for repo in ("bot", "other"):  # served over file:// with partial clone support
        git(clones / "o" / repo, "config", "uploadpack.allowFilter", "true")
    model_dir.mkdir()
    (model_dir / "automation.yaml").write_text(model)
    for cid, title in (("bot-job", "Bot job"), ("other-job", "Other job")):
        page = docs / "reference" / "automation" / f"{cid}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {title}\n\nIntro.\n\n```{{component}} {cid}\n```\n")
    return clones, model_dir, docs


def run_verify(model_dir: Path, docs: Path, *args: str) -> tuple[int, dict, str]:
    """(exit status, JSON report, printed Markdown) of ``python -m infradocs.cli.evidence
    verify``."""
    import contextlib
    import io

    out = model_dir.parent / "report.json"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(
            ["verify", "--model", str(model_dir), "--docs", str(docs), "--json", str(out), *args]
        )
    return code, json.loads(out.read_text()), buf.getvalue()


class ApiServer(Server):
    """A stand-in for GitHub's ``GET /repos/OWNER/NAME`` on 127.0.0.1; logs each request's
    ``Authorization`` header in ``auth``."""

    def __init__(self, repos: dict[str, dict]) -> None:
        self.repos = repos
        self.auth: list[str | None] = []
        super().__init__({"/repos/": self._repo})

    def _repo(self, request: Request) -> Response:
        self.auth.append(request.headers.get("Authorization"))
        info = self.repos.get(request.path.removeprefix("/repos/"))
        body = json.dumps(info or {"message": "Not Found"}).encode()
        return Response(200 if info else 404, body, content_type="application/json")
