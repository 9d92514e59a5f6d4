"""The explorer's compact, columnar form of an inventory: small to send, quick to filter."""

from __future__ import annotations

from typing import Any

from security.findings import SEVERITIES
from security.pinning import kind, split

PINS = ("sha", "tag", "branch", "unpinned", "local", "docker")
DIMS = ("provider", "action", "secret", "trigger", "schedule", "runner", "finding")
FORMAT = 1


class _Codes:
    """Distinct values of one dimension, numbered in first-seen order then sorted at the end."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, value: str) -> int:
        return self.index.setdefault(value, len(self.index))

    def sorted_remap(self) -> tuple[list[str], list[int]]:
        names = sorted(self.index)
        new = {n: i for i, n in enumerate(names)}
        remap = [0] * len(self.index)
        for n, old in self.index.items():
            remap[old] = new[n]
        return names, remap


def _repo_values(repo: dict) -> dict[str, set]:
    vals: dict[str, set] = {d: set() for d in DIMS}
    vals["provider"].update(repo["ci_providers"])
    vals["secret"].update(repo["secrets"])
    for wf in repo["workflows"]:
        vals["trigger"].update(wf["triggers"])
        vals["schedule"].update(wf["schedules"])
        vals["runner"].update(wf["runners"])
        vals["secret"].update(wf["secrets"])
        for uses in wf["actions"]:
            vals["action"].add((split(uses)[0], kind(uses)))
        vals["finding"].update(f["audit"] for f in wf.get("findings", []))
    return vals


def compact(doc: dict, site_version: str = "") -> dict[str, Any]:
    """The explorer document: dictionaries per dimension and one column per field."""
    codes = {d: _Codes() for d in DIMS}
    cols: dict[str, list] = {k: [] for k in ("name", "commit", "workflows", "nfind", "worst")}
    raw: dict[str, list] = {d: [] for d in DIMS}
    for repo in doc.get("repos", []):
        vals = _repo_values(repo)
        findings = [f for wf in repo["workflows"] for f in wf.get("findings", [])]
        cols["name"].append(repo["name"])
        cols["commit"].append(repo["commit"])
        cols["workflows"].append(len(repo["workflows"]))
        cols["nfind"].append(len(findings))
        cols["worst"].append(max((SEVERITIES.index(f["severity"]) for f in findings), default=-1))
        for d in DIMS:
            if d == "action":
                raw[d].append([(codes[d].code(a), PINS.index(p)) for a, p in sorted(vals[d])])
            else:
                raw[d].append(sorted(codes[d].code(v) for v in vals[d]))
    dims = {}
    for d in DIMS:
        names, remap = codes[d].sorted_remap()
        dims[d] = names
        if d == "action":
            cols[d] = [sorted(remap[a] * 8 + p for a, p in row) for row in raw[d]]
        else:
            cols[d] = [sorted(remap[c] for c in row) for row in raw[d]]
    security = doc.get("security") or {}
    return {
        "format": FORMAT,
        "site_version": site_version,
        "generated": (doc.get("generated") or {}).get("at"),
        "audited": security.get("at"),
        "tools": security.get("tools", {}),
        "pins": list(PINS),
        "severities": list(SEVERITIES),
        "dims": dims,
        "count": len(cols["name"]),
        "cols": cols,
    }
