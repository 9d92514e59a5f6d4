"""Permalinks at the commit each piece of evidence was verified at, and per-repository stamps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from infradocs.core.archmodel.facts import Evidence

GITHUB = re.compile(
    r"^https://github\.com/(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?"
    r"(?:/(?P<kind>blob|tree)/(?P<ref>[^/#?]+)(?:/(?P<path>[^#?]*))?)?/?(?:#.*)?$"
)
SHA = re.compile(r"^[0-9a-f]{40}$")


def permalink(repo: str, path: str | None, commit: str | None, line: int | None = None) -> str:
    """``https://github.com/REPO/blob/COMMIT/PATH#Lline`` (HEAD when not yet verified)."""
    ref = commit or "HEAD"
    if not path:
        return f"https://github.com/{repo}/tree/{ref}"
    return f"https://github.com/{repo}/blob/{ref}/{path}" + (f"#L{line}" if line else "")


@dataclass
class Stamp:
    """One source repository: the commit and date it was last verified at, the files read."""

    repo: str
    commit: str
    date: str
    files: dict[str, int | None] = field(default_factory=dict)  # path -> line at that commit


def stamps(evidence: tuple[Evidence, ...] | list[Evidence]) -> list[Stamp]:
    """Per repository, the newest verification and the evidence files read at that commit."""
    best: dict[str, Stamp] = {}
    for ev in evidence:
        ver = ev.fields.get("verified")
        if not ver or not ev.repo:
            continue
        cur = best.get(ev.repo)
        if cur is None or str(ver["date"]) > cur.date:
            best[ev.repo] = Stamp(ev.repo, ver["commit"], str(ver["date"]))
    for ev in evidence:
        ver = ev.fields.get("verified")
        stamp = best.get(ev.repo or "")
        same = ver and stamp and ver["commit"] == stamp.commit
        if same and ev.path and stamp.files.get(ev.path) is None:
            stamp.files[ev.path] = ver.get("line")
    return [best[r] for r in sorted(best)]


def pin(url: str, by_repo: dict[str, Stamp]) -> str:
    """A GitHub source URL pinned to its repository's verified commit (with a line when known)."""
    m = GITHUB.match(url)
    if not m or (m.group("ref") and SHA.match(m.group("ref"))):
        return url
    stamp = by_repo.get(m.group("repo")) or next(
        (s for r, s in by_repo.items() if r.lower() == m.group("repo").lower()), None
    )
    if stamp is None:
        return url
    path = (m.group("path") or "").rstrip("/")
    if m.group("kind") == "tree" or not path:
        return f"https://github.com/{stamp.repo}/tree/{stamp.commit}" + (f"/{path}" if path else "")
    return permalink(stamp.repo, path, stamp.commit, stamp.files.get(path))
