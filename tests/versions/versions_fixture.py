"""Helpers for a temporary git repository whose tags and main branch are tiny Sphinx sites."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

BASE_URL = "https://docs.example.org/infra/"

PYPROJECT = f"""
[tool.infra-docs]
base_url = "{BASE_URL}"

[tool.infra-docs.versions]
branch = "main"
exclude = ["v2025.9"]
"""

# An old conf.py: no version switcher support at all.
OLD_CONF = """
project = "fixture"
extensions = ["myst_parser"]
html_theme = "pydata_sphinx_theme"
nitpicky = True
"""

# A current conf.py: reads the version and switcher URL like the real one does.
NEW_CONF = """
import os
project = "fixture"
extensions = ["myst_parser"]
html_theme = "pydata_sphinx_theme"
nitpicky = True
version = release = os.environ.get("DOCS_VERSION", "dev")
_url = os.environ.get("DOCS_SWITCHER_URL", "")
html_theme_options = {
    "switcher": {"json_url": _url, "version_match": version},
    "check_switcher": False,
    "navbar_end": ["version-switcher"] if _url else [],
}
"""

INDEX = """# Fixture docs {n}

```{{toctree}}
{pages}
```
"""


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def write_site(repo: Path, conf: str, pages: dict[str, str], n: str) -> None:
    """Replace the site in ``repo`` with ``conf`` and ``pages`` (name -> body) plus an index."""
    docs = repo / "docs"
    for old in docs.glob("*.md"):
        old.unlink()
    docs.mkdir(exist_ok=True)
    (repo / "conf.py").write_text(conf)
    (repo / "pyproject.toml").write_text(PYPROJECT)
    (docs / "index.md").write_text(INDEX.format(n=n, pages="\n".join(pages)))
    for name, body in pages.items():
        (docs / f"{name}.md").write_text(body)


def commit(repo: Path, message: str) -> str:
    """Commit everything in ``repo``; return the commit sha."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")
