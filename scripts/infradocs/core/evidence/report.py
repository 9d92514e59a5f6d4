"""The verify report: each failing fact with model and page file:line, evidence, what was found."""

from __future__ import annotations

import re
from pathlib import Path

from infradocs.core.archmodel.facts import CHECK_KINDS, Coverage, describe_check
from infradocs.core.evidence.sources import Snapshot
from infradocs.core.evidence.verify import Result
from infradocs.core.siteconfig import ROOT

MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def rel(path: Path | None) -> str | None:
    """The path relative to the project root when inside it (reports stay short and portable)."""
    if path is None:
        return None
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _fact_status(results: list[Result]) -> str:
    states = {r.outcome.status for r in results}
    for status in ("fail", "skip", "unverifiable"):
        if status in states:
            return status
    return "pass"


def _item_json(res: Result) -> dict:
    item = res.item
    evidence = {k: v for k, v in item.fields.items() if k != "verified"}
    return {
        "file": rel(item.file),
        "line": item.line,
        "evidence": evidence,
        "checks": item.describe(),
        "status": res.outcome.status,
        "found": res.outcome.found,
        "match_line": res.outcome.line,
        "commit": res.commit,
    }


def build(
    results: list[Result],
    snaps: dict[str, Snapshot],
    mode: str,
    date: str,
    cov: Coverage | None = None,
    invalid: list[str] | None = None,
) -> dict:
    """The report as a JSON-ready dict; ``failing`` lists each failing fact with its items."""
    facts: dict[str, list[Result]] = {}
    for res in results:
        facts.setdefault(res.item.key, []).append(res)
    grouped: dict[str, list[dict]] = {"fail": [], "skip": [], "unverifiable": [], "pass": []}
    for key, group in facts.items():
        status = _fact_status(group)
        first = group[0].item
        grouped[status].append(
            {
                "fact": first.fact if first.file.suffix == ".md" else key.split(": ", 1)[1],
                "component": first.component,
                "page": rel(first.page),
                "page_line": first.page_line,
                "items": [_item_json(r) for r in group if r.outcome.status == status],
            }
        )
    items = {s: sum(r.outcome.status == s for r in results) for s in grouped}
    report = {
        "mode": mode,
        "date": date,
        "counts": {
            "facts": len(facts),
            "facts_passing": len(grouped["pass"]),
            "facts_failing": len(grouped["fail"]),
            "facts_skipped": len(grouped["skip"]),
            "facts_unverifiable": len(grouped["unverifiable"]),
            "items": len(results),
            "items_passing": items["pass"],
            "items_failing": items["fail"],
            "items_skipped": items["skip"],
            "items_unverifiable": items["unverifiable"],
            "repositories": len(snaps),
        },
        "repositories": [
            {
                "repo": s.repo,
                "commit": s.commit,
                "archived": s.archived,
                "renamed_to": s.renamed_to,
                "error": s.error,
                "api_error": s.api_error,
            }
            for s in sorted(snaps.values(), key=lambda s: s.repo)
        ],
        "invalid_claims": list(invalid or []),
        "failing": grouped["fail"],
        "skipped": grouped["skip"],
        "unverifiable": grouped["unverifiable"],
    }
    if cov is not None:
        report["coverage"] = {
            "facts": cov.facts,
            "with_evidence": cov.with_evidence,
            "checked": cov.checked,
            "unverifiable": cov.unverifiable,
            "without_evidence": len(cov.missing),
            "percent": round(cov.percent, 1),
        }
    return report


def _esc(text: object) -> str:
    return MD_SPECIAL.sub(r"\\\1", str(text))


def _code(text: object) -> str:
    """Inline code that survives backticks in the text."""
    s = str(text)
    fence = "``" if "`" in s else "`"
    return f"{fence} {s} {fence}" if fence == "``" else f"`{s}`"


def _evidence_md(it: dict) -> str:
    ev = it["evidence"]
    if "unverifiable" in ev:
        return f"unverifiable ({_esc(ev['unverifiable'])}); source {ev.get('source', '?')}"
    kind = next((k for k in CHECK_KINDS if k in ev), "?")
    where = _code(ev.get("repo")) + (f" {_code(ev['path'])}" if ev.get("path") else "")
    return f"{where}: {_code(describe_check(ev, kind))}"


def _where(file: str | None, line: int | None) -> str:
    if not file:
        return "—"
    return f"`{file}:{line}`" if line else f"`{file}`"


def _fact_md(fact: dict, show_found: bool = True) -> list[str]:
    comp = f"`{fact['component']}` — " if fact["component"] else ""
    out = [f"### {comp}{_esc(fact['fact'])}", ""]
    out.append(f"Page {_where(fact['page'], fact['page_line'])}")
    out.append("")
    for it in fact["items"]:
        at = f" at `{it['commit'][:7]}`" if it.get("commit") else ""
        line = f"- {_where(it['file'], it['line'])}: {_evidence_md(it)}"
        if show_found and it["found"]:
            line += f" → **{_esc(it['found'])}**{at}"
        out.append(line)
    out.append("")
    return out


def markdown(report: dict) -> str:
    """The report for people (and GitHub's job summary)."""
    c = report["counts"]
    mode = "local clones" if report["mode"] == "clones" else "GitHub"
    head = "all facts hold" if not c["facts_failing"] else f"{c['facts_failing']} failing facts"
    if report["invalid_claims"]:
        head += f", {len(report['invalid_claims'])} invalid claims"
    out = [
        f"# Evidence check: {head}",
        "",
        f"Checked {c['facts']} facts ({c['items']} evidence items) in {c['repositories']} "
        f"repositories from {mode} on {report['date']}: {c['facts_passing']} hold, "
        f"**{c['facts_failing']} fail**, {c['facts_skipped']} skipped, "
        f"{c['facts_unverifiable']} rest on unverifiable sources.",
        "",
    ]
    cov = report.get("coverage")
    if cov:
        out += [
            f"Evidence coverage: {cov['with_evidence']} of {cov['facts']} structured facts "
            f"({cov['percent']} %); {cov['unverifiable']} of them only by an unverifiable source, "
            f"{cov['without_evidence']} without evidence.",
            "",
        ]
    broken = {r["repo"]: r for r in report["repositories"] if r["error"] or r["renamed_to"]}
    # Facts that fail only because their repository could not be read: listed per repository.
    blocked: dict[str, list[dict]] = {}
    rest = []
    for fact in report["failing"]:
        repos = {it["evidence"].get("repo") for it in fact["items"]}
        if repos <= set(broken):
            blocked.setdefault(min(repos), []).append(fact)
        else:
            rest.append(fact)
    if broken:
        out += ["## Repositories that could not be read", ""]
        for repo, r in broken.items():
            why = r["error"] or f"renamed to {r['renamed_to']}"
            facts = blocked.get(repo, [])
            out.append(
                f"- `{repo}`: {_esc(why)}" + (f"; its {len(facts)} facts fail:" if facts else "")
            )
            for fact in facts:
                comp = f"`{fact['component']}` — " if fact["component"] else ""
                first = fact["items"][0]
                out.append(
                    f"  - {comp}{_esc(fact['fact'])} ({_where(first['file'], first['line'])}, "
                    f"page {_where(fact['page'], fact['page_line'])})"
                )
        out.append("")
    if report["invalid_claims"]:
        out += ["## Claims that cannot be checked (fix the {fact} role)", ""]
        out += [f"- {_esc(problem)}" for problem in report["invalid_claims"]] + [""]
    if rest:
        out += ["## Failing facts", ""]
        for fact in rest:
            out += _fact_md(fact)
    if report["skipped"]:
        out += ["## Skipped", ""]
        for fact in report["skipped"]:
            out += _fact_md(fact)
    if report["unverifiable"]:
        out += ["## Resting on unverifiable sources", ""]
        for fact in report["unverifiable"]:
            out += _fact_md(fact, show_found=False)
    return "\n".join(out).rstrip() + "\n"
