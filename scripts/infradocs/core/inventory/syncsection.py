"""The ``secret_sync`` section of inventory documents, as plain data: the holders no inventoried
repository stands for named, shards' sections merged (no YAML here: a re-run that parses
nothing never imports a parser)."""

from __future__ import annotations

import json

REPO = "conda-forge/infrastructure"  # the repository whose Pulumi files define the sync

MISSING = "is not in the inventory: no such repository, or missing from the manifest"


def with_missing(sync: dict, known: set[str], unread: list[dict]) -> dict:
    """``sync`` whose problems name (afresh) each repository it gives a secret to that is
    neither inventoried (``known``) nor declared unreadable in the manifest (``unread``)."""
    skipped = {u["name"] for u in unread}
    problems = [p for p in sync["problems"] if not p["message"].endswith(MISSING)]
    for cred in sync["credentials"]:
        for holder in cred["holders"]:
            name = holder["name"]
            if holder["kind"] == "repository" and name not in known | skipped:
                problems.append(
                    {
                        "path": holder["path"],
                        "line": holder["line"],
                        "message": f"{name} (holder of {cred['name']}) {MISSING}",
                    }
                )
    problems.sort(key=lambda p: (p["path"] or "", p["line"] or 0, p["message"]))
    return {**sync, "problems": problems}


def merged(docs: list[dict], known: set[str]) -> dict:
    """The head sections (``unread``, ``secret_sync``) of shard documents as one: the sync of
    the shard that read it, every shard's references, missing repositories checked again."""
    out: dict = {}
    unread = sorted(
        {json.dumps(u, sort_keys=True): u for d in docs for u in d.get("unread", [])}.values(),
        key=lambda u: (u["manifest"], u["line"]),
    )
    if unread:
        out["unread"] = unread
    syncs = [d["secret_sync"] for d in docs if "secret_sync" in d]
    read = next((s for s in syncs if s["commit"]), None)  # no shard read it: none, as in one run
    if read is not None:
        refs = [r for s in syncs for r in s["references"]]
        refs.sort(key=lambda r: (r["secret"], r["repo"], r["path"]))
        out["secret_sync"] = with_missing({**read, "references": refs}, known, unread)
    return out
