"""The org's security posture from an enriched inventory: counts, worst repositories, trends."""

from __future__ import annotations

from collections import Counter
from typing import Any

from infradocs.core.security.findings import SEVERITIES, rank

GITHUB = "https://github.com/"


def file_url(repo: dict, path: str, line: int | None) -> str | None:
    """Link to ``path`` (at ``line``) at the snapshot's commit; None without owner or commit."""
    if "/" not in repo["name"] or not repo.get("commit"):
        return None
    anchor = f"#L{line}" if line else ""
    return f"{GITHUB}{repo['name']}/blob/{repo['commit']}/{path}{anchor}"


def flatten(doc: dict) -> list[dict[str, Any]]:
    """Every finding of the document with its repository, file and link."""
    rows = []
    for repo in doc.get("repos", []):
        for wf in repo["workflows"]:
            for f in wf.get("findings", []):
                url = file_url(repo, wf["path"], f["line"])
                rows.append({**f, "repo": repo["name"], "path": wf["path"], "url": url})
    rows.sort(key=lambda r: (-rank(r)[0], -rank(r)[1], r["repo"], r["path"], r["line"] or 0))
    return rows


def _identity(row: dict) -> tuple:
    return row["repo"], row["path"], row["tool"], row["audit"], row["message"]


def _take(rows: list[dict], wanted: Counter) -> list[dict]:
    """The rows whose identity is in ``wanted``, as many times as it counts."""
    left = Counter(wanted)
    out = []
    for r in rows:
        if left[_identity(r)] > 0:
            left[_identity(r)] -= 1
            out.append(r)
    return out


def trends(current: list[dict], previous: list[dict], limit: int = 50) -> dict[str, Any]:
    """Per-audit counts before and after, and the findings that appeared or went away."""
    before, after = Counter(map(_identity, previous)), Counter(map(_identity, current))
    new_keys, fixed_keys = after - before, before - after
    audits = sorted({r["audit"] for r in previous} | {r["audit"] for r in current})
    per_before = Counter(r["audit"] for r in previous)
    per_after = Counter(r["audit"] for r in current)
    new, fixed = _take(current, new_keys), _take(previous, fixed_keys)
    return {
        "by_audit": [
            {
                "audit": a,
                "before": per_before[a],
                "after": per_after[a],
                "delta": per_after[a] - per_before[a],
            }
            for a in audits
        ],
        "total_before": len(previous),
        "total_after": len(current),
        "new_count": len(new),
        "fixed_count": len(fixed),
        "new": new[:limit],
        "fixed": fixed[:limit],
    }


def posture(doc: dict, previous: dict | None = None, worst: int = 20) -> dict[str, Any]:
    """The posture data the Security posture page shows (and ``python -m infradocs.cli.security
    posture``
    writes)."""
    rows = flatten(doc)
    by_audit: dict[tuple[str, str], Counter] = {}
    for r in rows:
        by_audit.setdefault((r["tool"], r["audit"]), Counter())[r["severity"]] += 1
    per_repo: dict[str, Counter] = {}
    for r in rows:
        per_repo.setdefault(r["repo"], Counter())[r["severity"]] += 1
    order = list(reversed(SEVERITIES))
    worst_repos = sorted(per_repo.items(), key=lambda kv: (tuple(-kv[1][s] for s in order), kv[0]))[
        :worst
    ]
    meta = doc.get("security") or {}
    return {
        "snapshot": {
            "generated_at": (doc.get("generated") or {}).get("at"),
            "audited_at": meta.get("at"),
            "tools": meta.get("tools", {}),
            "repos": len(doc.get("repos", [])),
            "workflows": sum(len(r["workflows"]) for r in doc.get("repos", [])),
            "findings": len(rows),
            "enriched": bool(meta),
        },
        "by_severity": {s: sum(1 for r in rows if r["severity"] == s) for s in order},
        "by_audit": [
            {
                "tool": tool,
                "audit": audit,
                "counts": {s: c[s] for s in order},
                "total": sum(c.values()),
            }
            for (tool, audit), c in sorted(
                by_audit.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])
            )
        ],
        "worst_repos": [
            {"repo": name, "counts": {s: c[s] for s in order}, "total": sum(c.values())}
            for name, c in worst_repos
        ],
        "trends": trends(rows, flatten(previous)) if previous is not None else None,
        "previous_generated_at": ((previous or {}).get("generated") or {}).get("at"),
        "findings": rows,
    }
