"""Org-wide tables: counts over every repository of a snapshot, never a row per repository.

``counts`` makes the tables' data in one pass (JSON, so it can be derived once per snapshot);
the table functions render it.

Repositories per CI provider, the most used actions and how they are pinned, secret names by
the number of repositories that use them, and schedules; the explorer holds every repository.
"""

from __future__ import annotations

from docutils import nodes

from infradocs.core.inventory.cronwords import describe
from infradocs.sphinxext import nodes as docnodes

TOP = 25


def _table(headers: list[str], rows: list[list], widths: list[int]) -> nodes.table:
    return docnodes.table(headers, rows, widths, ["inventory-table", "inventory-org-table"])


def _count(n: int, total: int) -> str:
    return f"{n:,} ({100 * n / total:.1f} %)" if total else "0"


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


# Each table renders ``counts(doc)``, computed once per snapshot
# (``infradocs.core.orgdata.derived``).
TABLES = {
    "summary": summary,
    "providers": providers,
    "actions": actions,
    "secrets": secrets,
    "schedules": schedules,
}
