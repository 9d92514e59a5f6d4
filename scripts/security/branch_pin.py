"""Steps that use a third-party action pinned to a branch (it can change under you)."""

from __future__ import annotations

from inventory import yamlnodes as yn

from . import pinning
from .findings import finding

AUDIT = "third-party-branch-pin"


def check(data: bytes, trusted_owners: frozenset[str] = frozenset()) -> list[dict]:
    """Findings for ``uses: owner/repo@branch`` where owner is neither GitHub nor trusted."""
    trusted = pinning.FIRST_PARTY | {o.lower() for o in trusted_owners}
    out = []
    for doc in yn.compose(data):
        for node in yn.walk(yn.get(doc, "jobs")):
            uses = yn.get(node, "uses")
            ref = yn.text(uses)
            if not ref or pinning.kind(ref) != "branch" or pinning.owner(ref) in trusted:
                continue
            branch = pinning.split(ref)[1]
            out.append(
                finding(
                    AUDIT,
                    "high",
                    "medium",
                    yn.line(uses),
                    f"{pinning.split(ref)[0]} is pinned to branch {branch!r} of a third-party "
                    "owner: whoever can push there runs code in this workflow; pin a commit SHA",
                )
            )
    return out
