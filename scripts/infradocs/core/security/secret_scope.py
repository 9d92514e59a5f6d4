"""Secret names used by repositories that the curated model does not list as holders.

zizmor has no counterpart: its ``secrets-outside-env`` (auditor persona only) flags any secret
read in a job without an ``environment:``, and is silenced by one, while whether a repository
may hold ``PROD_UPLOAD_TOKEN`` at all is known only to the curated model."""

from __future__ import annotations

from dataclasses import dataclass, field

from infradocs.core.security.findings import finding

AUDIT = "secret-outside-scope"


@dataclass
class Scope:
    """For each governed secret name: the token component and the repositories meant to hold it."""

    token: dict[str, str] = field(default_factory=dict)
    holders: dict[str, set[str]] = field(default_factory=dict)


def scope_from_model(model) -> Scope:
    """Token components govern their ``credentials``; components with a ``repo`` listing a
    credential hold it. A secret with no declared holder is not judged."""
    scope = Scope()
    for comp in model:
        for name in comp.get("credentials", []):
            if comp.kind == "token":
                scope.token.setdefault(name, comp.id)
            elif comp.get("repo"):
                scope.holders.setdefault(name, set()).add(comp.repo.lower())
    return scope


def check(repo: str, secrets: list[str], lines: dict[str, int | None], scope: Scope) -> list[dict]:
    """Findings for each governed secret ``repo`` uses though the model does not give it one."""
    out = []
    for name in secrets:
        holders = scope.holders.get(name)
        if name not in scope.token or not holders or repo.lower() in holders:
            continue
        out.append(
            finding(
                AUDIT,
                "high",
                "medium",  # a real misuse, or a holder missing from the curated model
                lines.get(name),
                f"{name} ({scope.token[name]}) is meant only for {', '.join(sorted(holders))}; "
                f"{repo} uses it (or the model should list it as a holder)",
            )
        )
    return out


def secret_lines(data: bytes, names: list[str]) -> dict[str, int | None]:
    """The first line mentioning each secret name in a file's text (None when not found)."""
    text = data.decode("utf-8", "replace").splitlines()
    found: dict[str, int | None] = {}
    for name in names:
        found[name] = next((i + 1 for i, ln in enumerate(text) if name in ln), None)
    return found
