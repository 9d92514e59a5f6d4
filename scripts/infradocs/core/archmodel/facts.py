"""A component's structured facts, its evidence items, and which facts each item proves.

The format is described in docs/contributing/evidence.md: each item names a fact with a
selector (``credential: GH_TOKEN``) and carries exactly one check kind (or ``unverifiable``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CHECK_KINDS = (
    "contains", "lacks", "matches", "exists", "secret", "cron", "archived", "yaml", "python"
)  # fmt: skip
COMPARISONS = ("equals", "set", "has", "present")  # of a yaml: item, exactly one
TEXT_KINDS = ("contains", "lacks", "matches")
PATHLESS = frozenset({"archived"})
# Facts every component must prove (counted for coverage and the build warning).
REQUIRED = ("status", "runs_on", "credentials", "triggers", "relations")
SCALAR_SELECTORS = ("status", "runs_on", "owner", "repo")
PREFIXED = {"credential": "credentials", "trigger": "triggers", "relation": "relations"}


@dataclass(frozen=True)
class Fact:
    """One structured fact of a component: its canonical selector and where the model sets it."""

    component: str
    selector: str
    file: Path
    line: int
    required: bool = True

    @property
    def where(self) -> str:
        """``file:line`` of the fact, for messages."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Evidence:
    """One evidence item: the check fields, the facts it proves, where it is written."""

    fields: dict
    component: str
    fact: str
    file: Path
    line: int
    proves: tuple[str, ...] = ()
    kind: str = ""

    @property
    def repo(self) -> str | None:
        """The repository the check reads."""
        return self.fields.get("repo")

    @property
    def path(self) -> str | None:
        """The file the check reads (None for repository-wide checks)."""
        return self.fields.get("path")

    @property
    def value(self):
        """The check kind's value (the literal, pattern, secret name, schedule, flag)."""
        return self.fields.get(self.kind)

    @property
    def where(self) -> str:
        """``file:line`` of the item, for messages."""
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        """One line saying what the item checks, e.g. ``conda-forge/x .github/a.yml secret X``."""
        if self.kind == "unverifiable":
            return f"unverifiable ({self.fields['unverifiable']}), source {self.fields['source']}"
        target = self.repo + (f" {self.path}" if self.path else "")
        return f"{target}: {describe_check(self.fields, self.kind)}"


@dataclass
class Coverage:
    """How many required facts carry evidence, and which do not."""

    facts: int = 0
    checked: int = 0
    unverifiable: int = 0
    missing: list[Fact] = field(default_factory=list)

    @property
    def with_evidence(self) -> int:
        """Facts with at least one evidence item (checkable or marked unverifiable)."""
        return self.checked + self.unverifiable

    @property
    def percent(self) -> float:
        """Share of facts with evidence, in percent (100 when there are none)."""
        return 100.0 * self.with_evidence / self.facts if self.facts else 100.0


def describe_check(fields: dict, kind: str) -> str:
    """``yaml [a, b] equals 'x'``, ``contains 'text'``: the check kind, value and comparison."""
    if kind == "yaml":
        cmp = next((c for c in COMPARISONS if c in fields), "?")
        return f"yaml {fields.get('yaml')!r} {cmp} {fields.get(cmp)!r}"
    return f"{kind} {fields.get(kind)!r}"


def is_yaml_path(path: str | None) -> bool:
    """A YAML file (``.yml``, ``.yaml``, ``conda-forge.yml``): checked on the parsed document."""
    return bool(path) and path.lower().endswith((".yml", ".yaml"))


def normalize(doc: object) -> None:
    """YAML reads ``date: 2026-12-03`` as a date: keep verified dates as ISO strings."""
    comps = doc.get("components") if isinstance(doc, dict) else None
    for comp in comps if isinstance(comps, list) else []:
        items = comp.get("evidence") if isinstance(comp, dict) else None
        for item in items if isinstance(items, list) else []:
            ver = item.get("verified") if isinstance(item, dict) else None
            if isinstance(ver, dict) and isinstance(ver.get("date"), dt.date):
                ver["date"] = ver["date"].isoformat()


def duplicate_keys(node: yaml.Node | None, deep: bool = True) -> list[tuple[str, int, int]]:
    """(key, first line, repeated line) of each duplicate mapping key under ``node``, which a
    loader would silently resolve last-wins; ``deep=False``: that mapping's own keys only."""
    out, stack, seen = [], [node] if node is not None else [], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                    if k.value in first:
                        out.append((k.value, first[k.value], k.start_mark.line + 1))
                    first.setdefault(k.value, k.start_mark.line + 1)
                if deep:
                    stack.append(v)
        elif isinstance(n, yaml.SequenceNode) and deep:
            stack.extend(n.value)
    return sorted(out, key=lambda d: d[2])


def _line(node: yaml.Node | None, default: int) -> int:
    return node.start_mark.line + 1 if node is not None else default


def _value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _items(mapping: yaml.Node, key: str) -> list[yaml.Node]:
    node = _value_node(mapping, key)
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def relation_selector(rel: dict) -> str:
    """The canonical selector of a relation entry."""
    return f"relation: {rel['type']} {rel['target']}"


def component_facts(data: dict, node: yaml.Node, file: Path) -> list[Fact]:
    """Every selectable fact of a component entry, with the line of its value."""
    cid, here = data["id"], _line(node, 1)
    out = []
    for key in SCALAR_SELECTORS:
        if key in data:
            out.append(Fact(cid, key, file, _line(_value_node(node, key), here), key in REQUIRED))
    for prefix, key in PREFIXED.items():
        for value, item in zip(data.get(key, []), _items(node, key), strict=True):
            sel = relation_selector(value) if prefix == "relation" else f"{prefix}: {value}"
            out.append(Fact(cid, sel, file, _line(item, here)))
    return out


def resolve(selector: str, data: dict) -> tuple[tuple[str, ...], str | None]:
    """(canonical selectors of the facts ``selector`` names, problem) for one component."""
    sel = selector.strip()
    if sel in SCALAR_SELECTORS:
        return ((sel,), None) if sel in data else ((), f"the component sets no {sel}")
    prefix, sep, rest = sel.partition(":")
    rest = rest.strip()
    if not sep or not rest or prefix.strip() not in (*PREFIXED, "note"):
        kinds = ", ".join((*SCALAR_SELECTORS, *(f"{p}: ..." for p in PREFIXED), "note: ID"))
        return (), f"unknown fact selector (one of: {kinds})"
    prefix = prefix.strip()
    if len(rest) > 1 and rest[0] == rest[-1] and rest[0] in "'\"":
        rest = rest[1:-1]  # a quoted value: 'trigger: "@conda-forge-admin, ..."'
    if prefix == "note":
        return (f"note: {rest}",), None
    if prefix == "credential":
        names = data.get("credentials", [])
        if rest in names:
            return (f"credential: {rest}",), None
        return (), f"no credential {rest!r} (credentials: {', '.join(names) or 'none'})"
    if prefix == "trigger":
        triggers = data.get("triggers", [])
        hits = [t for t in triggers if t == rest] or [t for t in triggers if t.startswith(rest)]
        if len(hits) == 1:
            return (f"trigger: {hits[0]}",), None
        if hits:
            return (), f"trigger prefix {rest!r} is ambiguous ({len(hits)} triggers start with it)"
        return (), f"no trigger is or starts with {rest!r}"
    parts = rest.split()
    rels = [
        r
        for r in data.get("relations", [])
        if len(parts) == 2 and [r["type"], r["target"]] == parts
    ]
    if rels:
        return (relation_selector(rels[0]),), None
    have = ", ".join(f"{r['type']} {r['target']}" for r in data.get("relations", []))
    return (), f"no relation {rest!r} (relations: {have or 'none'})"


def check_problems(fields: dict, default_repo: str | None = None) -> tuple[str, list[str]]:
    """(check kind, problems) of one item's check fields: exactly one kind, the fields it needs."""
    kinds = [k for k in CHECK_KINDS if k in fields]
    problems = []
    if "unverifiable" in fields:
        if kinds:
            problems.append(f"unverifiable item also has a check ({', '.join(kinds)})")
        if "source" not in fields:
            problems.append(
                "unverifiable item needs a source: URL saying where the claim comes from"
            )
        return "unverifiable", problems
    if not kinds:
        problems.append(
            f"no check kind (one of {', '.join(CHECK_KINDS)}; or unverifiable with a source)"
        )
        return "", problems
    if len(kinds) > 1:
        problems.append(f"more than one check kind ({', '.join(kinds)}): one per item")
    kind = kinds[0]
    if not (fields.get("repo") or default_repo):
        problems.append("no repo (and the component has none)")
    if kind not in PATHLESS and not fields.get("path"):
        problems.append(f"{kind} needs a path")
    problems += _kind_problems(fields, kind)
    if kind in TEXT_KINDS and is_yaml_path(fields.get("path")):
        problems.append(
            f"{kind} on a YAML file: check the parsed document with yaml: (a text check can match"
            " a comment; `python -m infradocs.cli.evidence upgrade-yaml` converts it)"
        )
    if kind == "matches":
        try:
            re.compile(fields["matches"], re.MULTILINE)
        except re.error as exc:
            problems.append(f"matches is not a valid regular expression: {exc}")
    return kind, problems


def _kind_problems(fields: dict, kind: str) -> list[str]:
    """A ``yaml:`` item has exactly one comparison; no other kind has one."""
    cmps = [c for c in COMPARISONS if c in fields]
    if kind == "yaml":
        if len(cmps) != 1:
            return [f"yaml: needs exactly one of {', '.join(COMPARISONS)} (has {len(cmps)})"]
        return []
    if cmps:
        return [f"{', '.join(cmps)} belongs to a yaml: check, not to {kind}"]
    return []


def component_evidence(data: dict, node: yaml.Node, file: Path) -> tuple[list[Evidence], list[str]]:
    """The component's evidence items resolved against its facts; problems as ``file:line: ...``."""
    cid, out, problems = data["id"], [], []
    for item, item_node in zip(data.get("evidence", []), _items(node, "evidence"), strict=True):
        line = _line(item_node, _line(node, 1))
        fields = {k: v for k, v in item.items() if k != "fact"}
        if "repo" not in fields and data.get("repo") and "unverifiable" not in fields:
            fields["repo"] = data["repo"]
        proves, problem = resolve(item["fact"], data)
        if problem:
            fact_line = _line(_value_node(item_node, "fact"), line)
            problems.append(f"{file}:{fact_line}: {cid}: evidence fact {item['fact']!r}: {problem}")
        kind, probs = check_problems(fields, data.get("repo"))
        problems += [f"{file}:{line}: {cid}: evidence for {item['fact']!r}: {p}" for p in probs]
        out.append(Evidence(fields, cid, item["fact"], file, line, proves, kind))
    return out, problems


def coverage(components) -> Coverage:
    """Count required facts, those with checkable evidence, with only unverifiable items, none."""
    cov = Coverage()
    for comp in components:
        kinds: dict[str, set[str]] = {}
        for ev in comp.evidence:
            for sel in ev.proves:
                kinds.setdefault(sel, set()).add(ev.kind)
        for fact in comp.facts:
            if not fact.required:
                continue
            cov.facts += 1
            got = kinds.get(fact.selector, set())
            if got - {"unverifiable"}:
                cov.checked += 1
            elif got:
                cov.unverifiable += 1
            else:
                cov.missing.append(fact)
    return cov
