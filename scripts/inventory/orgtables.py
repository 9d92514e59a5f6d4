"""Org-wide tables: counts over every repository of a snapshot, never a row per repository.

Repositories per CI provider, the most used actions and how they are pinned, secret names by
the number of repositories that use them, and schedules; the explorer holds every repository.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from docutils import nodes

import docnodes
from security.pinning import kind, split

from .cronwords import describe

PIN_KINDS = ("sha", "tag", "branch")
TOP = 25


def _table(headers: list[str], rows: list[list], widths: list[int]) -> nodes.table:
    return docnodes.table(headers, rows, widths, ["inventory-table", "inventory-org-table"])


def _count(n: int, total: int) -> str:
    return f"{n:,} ({100 * n / total:.1f} %)" if total else "0"


def summary(doc: dict) -> list[nodes.Node]:
    """How many repositories, when the snapshot was taken, how many could not be read."""
    repos = doc["repos"]
    gen = doc.get("generated") or {}
    failed = sum(1 for r in repos if r["commit"] is None)
    para = nodes.paragraph()
    para += nodes.Text(
        f"{len(repos):,} repositories, snapshot taken at {gen.get('at', 'an unknown time')}"
        f"; {failed:,} could not be read (listed in the explorer with their problem)."
    )
    return [para]


def providers(doc: dict) -> nodes.Node:
    """Repositories per CI provider, most used first."""
    total = len(doc["repos"])
    counts = Counter(p for r in doc["repos"] for p in r["ci_providers"])
    none = sum(1 for r in doc["repos"] if not r["ci_providers"])
    rows = [[p, _count(n, total)] for p, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    rows.append([nodes.emphasis(text="no CI files"), _count(none, total)])
    return _table(["CI provider", "Repositories"], rows, [50, 50])


def actions(doc: dict, top: int = TOP) -> nodes.Node:
    """The ``top`` actions used by the most repositories, with how each repository pins them."""
    repos: dict[str, set[str]] = defaultdict(set)
    pins: dict[str, Counter] = defaultdict(Counter)
    for repo in doc["repos"]:
        seen: dict[str, set[str]] = defaultdict(set)
        for wf in repo["workflows"]:
            for uses in wf["actions"]:
                how = kind(uses)
                if how in ("local", "docker"):
                    continue
                seen[split(uses)[0]].add(how)
        for action, kinds in seen.items():
            repos[action].add(repo["name"])
            pins[action].update(kinds)
    ranked = sorted(repos, key=lambda a: (-len(repos[a]), a))[:top]
    rows = [
        [
            nodes.literal(a, a),
            f"{len(repos[a]):,}",
            *(f"{pins[a][k]:,}" for k in PIN_KINDS),
            f"{pins[a]['unpinned']:,}",
        ]
        for a in ranked
    ]
    return _table(
        ["Action", "Repositories", "by commit SHA", "by tag", "by branch", "no ref"],
        rows,
        [40, 12, 12, 12, 12, 12],
    )


def secrets(doc: dict, top: int = TOP) -> nodes.Node:
    """Secret names (never values) by the number of repositories that use them."""
    total = len(doc["repos"])
    counts = Counter(s for r in doc["repos"] for s in r["secrets"])
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:top]
    rows = [[nodes.literal(s, s), _count(n, total)] for s, n in ranked]
    return _table(["Secret name", "Repositories"], rows, [50, 50])


def schedules(doc: dict, top: int = TOP) -> nodes.Node:
    """Cron schedules by the number of repositories that run one, in plain words (UTC)."""
    counts = Counter(
        cron for r in doc["repos"] for cron in {c for w in r["workflows"] for c in w["schedules"]}
    )
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:top]
    rows = [[nodes.literal(c, c), describe(c), f"{n:,}"] for c, n in ranked]
    return _table(["Schedule", "In words", "Repositories"], rows, [25, 50, 25])


TABLES = {
    "summary": summary,
    "providers": providers,
    "actions": actions,
    "secrets": secrets,
    "schedules": schedules,
}
