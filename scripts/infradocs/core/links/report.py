"""Write check results: console lines, a JSON file and Markdown (for a CI job summary)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from infradocs.core.links.model import Result, Status
from infradocs.core.redact import redact

PROBLEMS = (Status.BROKEN, Status.TIMEOUT, Status.REDIRECTED, Status.RATE_LIMITED, Status.BLOCKED)


def problems(results: Iterable[Result]) -> list[Result]:
    """Results that need an editor's attention, worst first, in source order within a status."""
    rank = {s: i for i, s in enumerate(PROBLEMS)}
    return sorted((r for r in results if r.status in rank), key=lambda r: rank[r.status])


def _where(r: Result) -> str:
    return ", ".join(map(str, r.locations)) or "(no source location)"


def summary(results: list[Result]) -> dict[str, int]:
    """Number of results per status (every status listed)."""
    counts = Counter(r.status for r in results)
    return {str(s): counts.get(s, 0) for s in Status} | {
        "total": len(results),
        "cached": sum(r.cached for r in results),
    }


def console(results: list[Result], seconds: float, requests: int) -> str:
    """A plain-text report: one line per problem and location, then the totals."""
    lines = []
    for r in problems(results):
        for loc in r.locations or [None]:
            where = str(loc) if loc else "(no source location)"
            lines.append(f"{where}: {r.status}: {redact(r.url)} ({r.detail})")
            if r.advice:
                lines.append(f"    → {r.advice}")
    counts = summary(results)
    shown = ", ".join(f"{v} {k}" for k, v in counts.items() if v and k != "total")
    lines.append(
        f"{counts['total']} external URLs: {shown or 'none'}; "
        f"{requests} fetched by lychee in {seconds:.2f}s"
    )
    return "\n".join(lines)


def to_json(results: list[Result], seconds: float, requests: int) -> str:
    """The full report as JSON (every URL, with its locations)."""
    data = {
        "summary": summary(results) | {"seconds": round(seconds, 3), "requests": requests},
        "results": [r.to_json() | {"url": redact(r.url)} for r in results],
    }
    return json.dumps(data, indent=1)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(results: list[Result], seconds: float, requests: int) -> str:
    """A Markdown summary: totals, then a table of the links to fix."""
    counts = summary(results)
    out = ["## External links", ""]
    out.append(
        f"{counts['total']} URLs checked in {seconds:.1f}s ({requests} fetched by lychee, "
        f"{counts['cached']} from the cache): "
        + ", ".join(f"**{v}** {k}" for k, v in counts.items() if v and k not in ("total", "cached"))
    )
    todo = problems(results)
    if not todo:
        out += ["", "No broken links."]
        return "\n".join(out) + "\n"
    out += ["", "| Where | Link | Status | What to do |", "| --- | --- | --- | --- |"]
    for r in todo:
        out.append(
            f"| {_cell(_where(r))} | {_cell(redact(r.url))} | {r.status}: {_cell(r.detail)} "
            f"| {_cell(r.advice)} |"
        )
    return "\n".join(out) + "\n"
