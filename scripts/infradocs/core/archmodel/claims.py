"""Prose claims: ``{fact}`text <{repo: o/r, path: p, contains: "x"}>``` in MyST pages.

The part in angle brackets is a YAML flow mapping with the same check fields as a model
evidence item (no ``fact:``). The build renders the text as a permalink; ``evidence verify``
re-checks the claim and reports the page and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from infradocs.core.archmodel.facts import check_problems, duplicate_keys, normalize
from infradocs.core.schemacheck import Checker

ROLE = re.compile(r"\{fact\}`([^`]*)`")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\S*)")
CODE = ("{code-block}", "{code}", "{sourcecode}")
# libyaml's loader (the pure-Python one is ten times slower); the same on a machine without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SPEC = re.compile(r"^(?P<text>.*?)\s*<(?P<spec>\{.*\})>\s*$", re.DOTALL)


@dataclass(frozen=True)
class Claim:
    """One parsed claim: its text, its check fields and kind."""

    text: str
    fields: dict
    kind: str


@cache
def _checker() -> Checker:
    """The check fields' schema check, made once per process (only when a page has a claim)."""
    from infradocs.core.archmodel.load import (
        SCHEMA,  # the check fields' schema, shared with model evidence items
    )

    schema = {**SCHEMA["$defs"]["check"], "$defs": SCHEMA["$defs"], "additionalProperties": False}
    return Checker(schema)


def parse(content: str, default_repo: str | None = None) -> tuple[Claim | None, list[str]]:
    """The claim in a role's content, or None with the problems found."""
    m = SPEC.match(content.strip())
    if not m:
        return None, ["write {fact}`claim text <{repo: owner/name, path: file, contains: ...}>`"]
    try:
        fields = yaml.load(m.group("spec"), Loader=_LOADER)
        dups = duplicate_keys(yaml.compose(m.group("spec"), Loader=_LOADER))
    except yaml.YAMLError as exc:
        return None, [f"the check fields are not a YAML mapping: {exc}".splitlines()[0]]
    if not isinstance(fields, dict):
        return None, ["the check fields are not a YAML mapping"]
    if dups:
        return None, [f"duplicate key {key!r} in the check fields" for key, _, _ in dups]
    normalize({"components": [{"evidence": [fields]}]})
    problems = [
        f"{'/'.join(map(str, path)) or 'fields'}: {message}"
        for path, message in _checker().errors(fields)
    ]
    if "repo" not in fields and default_repo and "unverifiable" not in fields:
        fields["repo"] = default_repo
    kind, probs = check_problems(fields, default_repo)
    problems += probs
    if problems:
        return None, problems
    return Claim(m.group("text").strip() or str(fields.get(kind)), fields, kind), []


def _without_code(text: str) -> str:
    """The text with code fences' contents blanked (same offsets), so examples are not claims.

    Directive fences (```{note}) are kept: their content is Markdown that may hold claims."""
    out: list[str] = []
    fences: list[tuple[str, bool]] = []  # (fence marker, is code) of the open fences
    for line in text.splitlines(keepends=True):
        m = FENCE.match(line)
        code = bool(fences) and fences[-1][1]
        stripped = line.strip()
        bare = m and not m.group(2) and stripped == stripped[0] * len(stripped)
        if bare and fences and stripped.startswith(fences[-1][0]):
            fences.pop()
            out.append(line)
            continue
        if m and not code:
            fences.append((m.group(1), not (m.group(2).startswith("{") and m.group(2) not in CODE)))
            out.append(line)
        else:
            out.append(re.sub(r"[^\n]", " ", line) if code else line)
    return "".join(out)


def find(text: str) -> list[tuple[int, str, int, int]]:
    """(1-based line, role content, start, end offsets) of every claim in a page's text."""
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(1), m.start(1), m.end(1))
        for m in ROLE.finditer(_without_code(text))
    ]
