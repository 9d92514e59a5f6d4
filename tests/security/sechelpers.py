"""Helpers for the security tests: a tiny curated model and real git repositories in tmp dirs."""

from __future__ import annotations

import subprocess
from pathlib import Path

MODEL = """\
components:
  - id: infra-team
    title: Infra team
    kind: team
    status: active
    group: organisations
    owner: infra-team
    summary: The team that rotates the tokens.
    sources: [{title: s, url: "https://example.org/"}]
  - id: prod-channel
    title: Production channel
    kind: channel
    status: active
    group: delivery
    owner: infra-team
    summary: Where released packages go.
    sources: [{title: s, url: "https://example.org/"}]
  - id: prod-token
    title: PROD_UPLOAD_TOKEN
    kind: token
    status: active
    group: tokens
    owner: infra-team
    summary: Uploads to the production channel.
    credentials: [PROD_UPLOAD_TOKEN]
    relations: [{type: holds-token-for, target: prod-channel}]
    sources: [{title: s, url: "https://example.org/"}]
  - id: uploader
    title: uploader
    kind: repository
    status: active
    group: repositories
    owner: infra-team
    summary: The only service meant to upload.
    repo: acme/uploader
    credentials: [PROD_UPLOAD_TOKEN]
    sources: [{title: s, url: "https://example.org/"}]
"""


def write_model(folder: Path) -> Path:
    """A model folder with a team, a channel, a production token and its one holder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.yaml").write_text(MODEL)
    return folder


def git_repo(root: Path, origin: str, files: dict[str, str]) -> str:
    """A real git repository with ``files`` committed and ``origin`` set; returns the commit."""
    root.mkdir(parents=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin",
    }
    for cmd in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "remote", "add", "origin", origin],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "init"],
    ):
        subprocess.run(cmd, cwd=root, env=env, check=True)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
