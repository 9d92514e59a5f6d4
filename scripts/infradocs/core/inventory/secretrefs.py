"""Where the inventoried workflows reference each secret (file and line), and the snapshot's
``secret_sync`` section: the sync read from infrastructure plus those references."""

from __future__ import annotations

import re
from pathlib import Path

from infradocs.core.inventory.locate import provider_for
from infradocs.core.inventory.scan import facts_for
from infradocs.core.inventory.syncsection import REPO


def section(root: str | None, commit: str | None, repos: list[dict], roots: dict) -> dict:
    """The snapshot's ``secret_sync``: the sync read from ``root`` (the infrastructure clone at
    ``commit``; None in a shard without it) and the workflow references of the inventoried
    ``repos`` (read from ``roots``)."""
    if root:
        from infradocs.core.inventory.secretsync import parse  # YAML: only when it is read

        data = parse(root, commit or "HEAD")
    else:
        data = {"credentials": [], "problems": []}
    return {"repo": REPO, "commit": commit, **data, "references": references(repos, roots)}


def referenced(path: str, data: bytes) -> dict[str, int | None]:
    """Secret name -> line of its first reference, for one CI file as the extractor reads it
    (a commented-out reference does not count)."""
    provider = provider_for(path)
    if provider is None:
        return {}
    names = facts_for(provider, data).get("secrets", [])
    text = data.decode("utf-8", "replace")
    out: dict[str, int | None] = {}
    for name in names:
        word = rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
        hit = None
        for rx in (rf"secrets\s*[.\[]\s*['\"]?{word}", word):
            found = (m for m in re.finditer(rx, text) if "#" not in _before(text, m.start()))
            hit = hit or next(found, None)
        out[name] = text.count("\n", 0, hit.start()) + 1 if hit else None
    return out


def _before(text: str, offset: int) -> str:
    """The text of the line up to ``offset``."""
    return text[text.rfind("\n", 0, offset) + 1 : offset]


def references(repos: list[dict], roots: dict[str, str]) -> list[dict]:
    """Each (secret, repository, workflow, line) the inventoried workflows reference, read from
    the work tree the extractor read (else the inventoried commit)."""
    out = []
    for repo in repos:
        root = roots.get(repo["name"])
        for wf in repo["workflows"]:
            if not wf["secrets"] or root is None:
                continue
            try:  # the work tree, as the extractor read it (no git process per file)
                data = (Path(root) / wf["path"]).read_bytes()
            except OSError:
                from infradocs.core.inventory.secretsync import read

                try:
                    data = read(root, wf["path"], repo["commit"] or "HEAD")
                except OSError:
                    data = b""
            lines = referenced(wf["path"], data) if data else {}
            for name in wf["secrets"]:
                line = lines.get(name)
                out.append({"secret": name, "repo": repo["name"], "path": wf["path"], "line": line})
    return sorted(out, key=lambda r: (r["secret"], r["repo"], r["path"]))
