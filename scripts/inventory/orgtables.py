"""Org-wide tables: counts over every repository of a snapshot, never a row per repository.

``counts`` makes the tables' data in one pass (JSON, so it can be derived once per snapshot);
the table functions render it.

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


def counts(doc: dict) -> dict:
    """Everything the tables show, as plain JSON data: one pass over the repositories, every
    value ranked (most repositories first, then by name), so ``:top:`` only cuts the lists."""
    repos = doc["repos"]
    providers: Counter = Counter()
    secrets: Counter = Counter()
    schedules: Counter = Counter()
    users: dict[str, int] = defaultdict(int)
    pins: dict[str, Counter] = defaultdict(Counter)
    failed = none = 0
    for repo in repos:
        failed += repo["commit"] is None
        none += not repo["ci_providers"]
        providers.update(set(repo["ci_providers"]))
        secrets.update(set(repo["secrets"]))
        schedules.update({c for w in repo["workflows"] for c in w["schedules"]})
        seen: dict[str, set[str]] = defaultdict(set)
        for wf in repo["workflows"]:
            for uses in wf["actions"]:
                how = kind(uses)
                if how not in ("local", "docker"):
                    seen[split(uses)[0]].add(how)
        for action, kinds in seen.items():
            users[action] += 1
            pins[action].update(kinds)
    return {
        "repos": len(repos),
        "at": (doc.get("generated") or {}).get("at"),
        "failed": failed,
        "no_ci": none,
        "providers": _ranked(providers),
        "actions": [
            [a, n, [pins[a][k] for k in (*PIN_KINDS, "unpinned")]] for a, n in _ranked(users)
        ],
        "secrets": _ranked(secrets),
        "schedules": _ranked(schedules),
    }


def _ranked(counter: Counter | dict) -> list[list]:
    return [[k, n] for k, n in sorted(counter.items(), key=lambda x: (-x[1], x[0]))]


def summary(data: dict) -> list[nodes.Node]:
    """How many repositories, when the snapshot was taken, how many could not be read."""
    para = nodes.paragraph()
    para += nodes.Text(
        f"{data['repos']:,} repositories, snapshot taken at {data['at'] or 'an unknown time'}"
        f"; {data['failed']:,} could not be read (listed in the explorer with their problem)."
    )
    return [para]


def providers(data: dict) -> nodes.Node:
    """Repositories per CI provider, most used first."""
    total = data["repos"]
    rows = [[p, _count(n, total)] for p, n in data["providers"]]
    rows.append([nodes.emphasis(text="no CI files"), _count(data["no_ci"], total)])
    return _table(["CI provider", "Repositories"], rows, [50, 50])


def actions(data: dict, top: int = TOP) -> nodes.Node:
    """The ``top`` actions used by the most repositories, with how each repository pins them."""
    rows = [
        [nodes.literal(a, a), f"{n:,}", *(f"{k:,}" for k in pins)]
        for a, n, pins in data["actions"][:top]
    ]
    return _table(
        ["Action", "Repositories", "by commit SHA", "by tag", "by branch", "no ref"],
        rows,
        [40, 12, 12, 12, 12, 12],
    )


def secrets(data: dict, top: int = TOP) -> nodes.Node:
    """Secret names (never values) by the number of repositories that use them."""
    rows = [[nodes.literal(s, s), _count(n, data["repos"])] for s, n in data["secrets"][:top]]
    return _table(["Secret name", "Repositories"], rows, [50, 50])


def schedules(data: dict, top: int = TOP) -> nodes.Node:
    """Cron schedules by the number of repositories that run one, in plain words (UTC)."""
    rows = [[nodes.literal(c, c), describe(c), f"{n:,}"] for c, n in data["schedules"][:top]]
    return _table(["Schedule", "In words", "Repositories"], rows, [25, 50, 25])


# Each table renders ``counts(doc)``, computed once per snapshot (``inventory.derived``).
TABLES = {
    "summary": summary,
    "providers": providers,
    "actions": actions,
    "secrets": secrets,
    "schedules": schedules,
}
