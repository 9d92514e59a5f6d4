"""How a GitHub Actions ``uses:`` reference is pinned: commit SHA, tag, or branch."""

from __future__ import annotations

import re

SHA = re.compile(r"^[0-9a-f]{40}$")
# A ref that looks like a release: v1, v1.2.3, 1.2, v2-beta, release-1.0 are tags.
VERSION = re.compile(r"^(?:v|release[-/]?)?\d+(?:\.\d+)*(?:[-+._][0-9A-Za-z.-]+)?$", re.I)


def split(uses: str) -> tuple[str, str | None]:
    """(action without its ref, the ref) of ``owner/repo[/path]@ref``."""
    action, sep, ref = uses.partition("@")
    return action, (ref if sep else None)


def kind(uses: str) -> str:
    """``sha``, ``tag``, ``branch``, ``local`` (./path), ``docker`` or ``unpinned`` (no ref)."""
    if uses.startswith("./") or uses.startswith("../"):
        return "local"
    if uses.startswith("docker://"):
        return "docker"
    _, ref = split(uses)
    if not ref:
        return "unpinned"
    if SHA.match(ref):
        return "sha"
    return "tag" if VERSION.match(ref) else "branch"
