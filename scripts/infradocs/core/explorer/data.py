"""The explorer's compact, columnar form of an inventory, with indexes precomputed for the browser.

Per dimension (provider, action, secret, ...) the values are numbered in sorted order and
``rows[dim]`` holds each repository's value codes, flattened with a length per repository; text
columns come with sort ranks. ``infradocs.core.explorer.pack`` turns this into the binary file the
page reads.
"""

from __future__ import annotations

from typing import Any

from infradocs.core.security.findings import SEVERITIES
from infradocs.core.security.pinning import kind, split

PINS = ("sha", "tag", "branch", "unpinned", "local", "docker")
DIMS = ("provider", "action", "secret", "trigger", "schedule", "runner", "finding")
FORMAT = 3


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


def _flatten(lists: list[list[int]]) -> dict[str, list[int]]:
    """``{"len": [len per list], "val": [all values]}``: one flat array instead of many."""
    return {"len": [len(x) for x in lists], "val": [v for x in lists for v in x]}


def _ranks(keys: list) -> list[int]:
    """Each repository's position when sorted by ``keys`` (ties keep document order)."""
    ranks = [0] * len(keys)
    for pos, i in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
        ranks[i] = pos
    return ranks


def compact(doc: dict, site_version: str = "") -> dict[str, Any]:
    """The explorer document: dictionaries, columns, per-row codes, per-value indexes, ranks."""
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
    dims, rows = {}, {}
    for d in DIMS:
        names, remap = codes[d].sorted_remap()
        dims[d] = names
        if d == "action":
            # One code per (action, pin): action * 8 + pin, so both filter the same occurrence.
            per_row = [sorted(remap[a] * 8 + p for a, p in row) for row in raw[d]]
        else:
            per_row = [sorted(remap[c] for c in row) for row in raw[d]]
        rows[d] = _flatten(per_row)
    providers = [
        ", ".join(dims["provider"][c] for c in row)
        for row in _unflatten(rows["provider"]["len"], rows["provider"]["val"])
    ]
    security = doc.get("security") or {}
    part = {"dims": dims, "rows": rows, "pins": list(PINS)}
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
        "rows": rows,
        # Repositories per value with no filter set: the page's first counts, without a pass.
        "totals": {
            **{d: [len(p) for p in postings(part, d)] for d in DIMS},
            "pin": [len(p) for p in postings(part, "action", pins=True)],
        },
        "rank": {
            "name": _ranks([(n.lower(), n) for n in cols["name"]]),
            "providers": _ranks([(p.lower(), p) for p in providers]),
        },
    }


def _unflatten(lengths: list[int], values: list[int]) -> list[list[int]]:
    out, at = [], 0
    for n in lengths:
        out.append(values[at : at + n])
        at += n
    return out


def row_values(data: dict, dim: str) -> list[list[int]]:
    """Each repository's value codes of ``dim`` (action codes are action * 8 + pin)."""
    return _unflatten(data["rows"][dim]["len"], data["rows"][dim]["val"])


def postings(data: dict, dim: str, pins: bool = False) -> list[list[int]]:
    """For each value of ``dim``, the ascending repositories holding it (as the page indexes them).

    For "action" a value is an action used with any pin; with ``pins=True``, a pin used by any
    action."""
    if dim == "action":
        size = len(data["pins"]) if pins else len(data["dims"]["action"])
        value = (lambda c: c & 7) if pins else (lambda c: c >> 3)
    else:
        size, value = len(data["dims"][dim]), (lambda c: c)
    out: list[list[int]] = [[] for _ in range(size)]
    for i, codes in enumerate(row_values(data, dim)):
        for v in sorted({value(c) for c in codes}):
            out[v].append(i)
    return out
