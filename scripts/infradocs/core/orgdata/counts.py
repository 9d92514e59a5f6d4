"""The org-wide tables' numbers, as plain JSON data (rendered by the inventory extension)."""

from __future__ import annotations

from collections import Counter, defaultdict

from infradocs.core.security.pinning import kind, split

PIN_KINDS = ("sha", "tag", "branch")


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
