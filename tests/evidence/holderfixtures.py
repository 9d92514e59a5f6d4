"""Hand-written stand-ins for conda-forge/infrastructure's secret sync, a few holder
repositories with workflows, and a model that agrees with them (for the holder tests)."""

from __future__ import annotations

from pathlib import Path

from tests.inventory.invhelpers import make_repo

GHA = """\
name: sync-secrets-gha
runtime: yaml
variables:
  # get 1password secrets
  dh-password:
    fn::invoke:
      function: onepassword:getItem
      arguments:
        title: dh-password
        vault: pulumi
  staging-token:
    fn::invoke:
      function: onepassword:getItem
      arguments:
        title: staging-token
        vault: pulumi
  # get GH repos
  repo-alpha:
    fn::invoke:
      function: github:getRepository
      arguments:
        fullName: conda-forge/alpha
  repo-beta:
    fn::invoke:
      function: github:getRepository
      arguments:
        fullName: conda-forge/beta
  repo-gamma:
    fn::invoke:
      function: github:getRepository
      arguments:
        fullName: conda-forge/gamma
  repo-delta:
    fn::invoke:
      function: github:getRepository
      arguments:
        fullName: conda-forge/delta
  repo-epsilon:
    fn::invoke:
      function: github:getRepository
      arguments:
        fullName: conda-forge/epsilon
resources:
  # Secret: DH_PASSWORD
  gh-org-dh-password:
    type: github:ActionsOrganizationSecret
    properties:
      secretName: DH_PASSWORD
      value: ${dh-password.password}
      visibility: selected
  gh-org-dh-password-repos:
    type: github:ActionsOrganizationSecretRepositories
    properties:
      secretName: ${gh-org-dh-password.secretName}
      selectedRepositoryIds:
        - ${repo-alpha.repoId}
        - ${repo-beta.repoId}
        - ${repo-gamma.repoId}
        - ${repo-delta.repoId}

  # Secret: STAGING_TOKEN (visibility: all, no repos needed)
  gh-org-secret-staging-token:
    type: github:ActionsOrganizationSecret
    properties:
      secretName: STAGING_TOKEN
      value: ${staging-token.credential}
      visibility: all
outputs: {}
"""

AZURE = """\
name: sync-secrets-azure
runtime: yaml
variables:
  staging-token:
    fn::invoke:
      function: onepassword:getItem
      arguments:
        title: staging-token
  azure-project-id:
    fn::invoke:
      function: onepassword:getItem
      arguments:
        title: azure-project-id
resources:
  group:
    type: azuredevops:VariableGroup
    properties:
      projectId: ${azure-project-id.credential}
      name: anaconda-org
      variables:
        - name: STAGING_TOKEN
          secretValue: ${staging-token.credential}
          isSecret: true
"""

HEROKU = """\
name: sync-secrets-heroku
runtime: yaml
variables:
  dh-password:
    fn::invoke:
      function: onepassword:getItem
      arguments:
        title: dh-password
  heroku-app:
    fn::invoke:
      function: heroku:app/getApp:getApp
      arguments:
        name: the-app
resources:
  heroku-app-config:
    type: heroku:app:ConfigAssociation
    properties:
        appId: ${heroku-app.id}
        sensitiveVars:
            DH_PASSWORD: ${dh-password.password}
"""


def workflow(*secrets: str) -> str:
    """A GitHub Actions workflow whose one step reads ``secrets`` into its environment."""
    env = "".join(f"          {s}: ${{{{ secrets.{s} }}}}\n" for s in secrets)
    return (
        "name: push\non:\n  push:\n    branches: [main]\njobs:\n  push:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: ./push.sh\n        env:\n" + env
    )


def _component(cid: str, credentials: list[str], unused: list[str] = ()) -> str:
    lines = [
        f"  - id: {cid}",
        f"    title: {cid}",
        "    kind: repository",
        "    status: active",
        "    group: repositories",
        "    owner: team-a",
        f"    repo: conda-forge/{cid}",
        f"    summary: The {cid} repository of the tests.",
        '    sources: [{title: src, url: "https://example.org/"}]',
    ]
    if credentials:
        lines.append(f"    credentials: [{', '.join(credentials)}]")
    if unused:
        lines.append(f"    unused_credentials: [{', '.join(unused)}]")
    return "\n".join(lines) + "\n"


MODEL = (
    "components:\n"
    "  - id: team-a\n    title: Team A\n    kind: team\n    status: active\n"
    "    group: organisations\n    owner: team-a\n    summary: A team that owns things.\n"
    '    sources: [{title: src, url: "https://example.org/"}]\n'
    "  - id: registry-password\n    title: DH_PASSWORD\n    kind: token\n    status: active\n"
    "    group: tokens\n    owner: team-a\n    summary: The registry password of the tests.\n"
    "    visibility: selected\n    credentials: [DH_PASSWORD]\n"
    '    sources: [{title: src, url: "https://example.org/"}]\n'
    "  - id: staging-token\n    title: STAGING_TOKEN\n    kind: token\n    status: active\n"
    "    group: tokens\n    owner: team-a\n    summary: The staging token of the tests.\n"
    "    visibility: all\n    credentials: [STAGING_TOKEN]\n"
    '    sources: [{title: src, url: "https://example.org/"}]\n'
    + _component("alpha", ["DH_PASSWORD", "STAGING_TOKEN"])
    + _component("beta", ["DH_PASSWORD"])
    + _component("gamma", ["DH_PASSWORD"])
    + _component("delta", [], ["DH_PASSWORD"])
    + _component("epsilon", [])
)

REPOS = {
    "alpha": {".github/workflows/push.yml": workflow("DH_PASSWORD", "STAGING_TOKEN")},
    "beta": {".github/workflows/push.yml": workflow("DH_PASSWORD")},
    "gamma": {".github/workflows/release.yml": workflow("DH_PASSWORD")},
    "delta": {".github/workflows/push.yml": workflow("OTHER_SECRET")},
    "epsilon": {".github/workflows/push.yml": workflow("OTHER_SECRET")},
}


def write_holders_project(tmp: Path) -> tuple[Path, Path, Path]:
    """(clones dir, model dir, docs dir) where the model's holders agree with the sync."""
    clones, model_dir, docs = tmp / "clones", tmp / "model", tmp / "docs"
    make_repo(
        clones / "conda-forge" / "infrastructure",
        {
            "sync-secrets-gha/Pulumi.yaml": GHA,
            "sync-secrets-azure/Pulumi.yaml": AZURE,
            "sync-secrets-heroku/Pulumi.yaml": HEROKU,
        },
    )
    for name, files in REPOS.items():
        make_repo(clones / "conda-forge" / name, files)
    model_dir.mkdir()
    (model_dir / "model.yaml").write_text(MODEL)
    docs.mkdir()
    return clones, model_dir, docs
