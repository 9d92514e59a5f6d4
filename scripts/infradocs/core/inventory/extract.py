"""Facts of one CI file by provider: name, triggers, schedules, actions, secrets, runners."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import yaml

from infradocs.core.inventory import services as svc
from infradocs.core.inventory import yamlnodes as yn
from infradocs.core.inventory.facts import empty_facts
from infradocs.core.inventory.yamlload import Parsed, decode, load

GHA_SECRET = re.compile(
    r"(?<![\w.$-])secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*(?:'([^'\]]+)'|\"([^\"\]]+)\")\s*\])"
)
AZ_MACRO = re.compile(r"\$\(([A-Za-z0-9_.]+)\)")
EXPR = ("${{", "$(", "$[")


def extract(provider: str, data: bytes) -> dict[str, Any]:
    """All facts of one CI file's bytes; problems are (line, message) pairs, never raised."""
    facts = empty_facts()
    if provider in EMPTY_ONLY:
        return facts
    text, problem = decode(data)
    if problem:
        facts["problems"].append(problem)
        return facts
    parsed = load(text)
    facts["problems"].extend(parsed.problems)
    try:
        _fill(provider, parsed, facts, "&" in text)
    except RecursionError:
        facts["problems"].append((None, "document nested too deeply"))
    for key in ("triggers", "schedules", "actions", "secrets", "runners"):
        facts[key] = sorted(set(facts[key]))
    facts["services"] = sorted(set(facts["services"]))
    return facts


def _fill(provider: str, parsed: Parsed, facts: dict, shared: bool = True) -> None:
    docs, nodes = parsed.docs, parsed.nodes
    first = docs[0] if docs else None
    if isinstance(first, dict) and isinstance(first.get("name"), (str, int, float)):
        facts["name"] = str(first["name"])
    services, secrets = facts["services"], facts["secrets"]
    gha = provider == "github-actions"
    strings = parsed.strings
    if strings is None:  # built by PyYAML's constructor: walk the nodes for the strings
        strings = [s for node in nodes for s in scalars(node, shared)]
    registry_keys, match = svc.REGISTRY_KEYS, svc.match
    for text, line, key in strings:
        if key in registry_keys and (reg := svc.registry(key, text)):
            services.append((reg, line))
        for service, offset in match(text):
            services.append((service, line + text.count("\n", 0, offset)))
        if gha and "secrets" in text:
            for m in GHA_SECRET.finditer(text):
                secrets.append(next(g for g in m.groups() if g))
    fill = READERS[provider].fill if provider in READERS else None
    for doc in docs:
        _deploy_providers(doc, nodes, facts)
        if fill is not None:
            fill(doc, facts)


def scalars(node: yaml.Node, shared: bool = True) -> Iterator[tuple[str, int, str | None]]:
    """(text, 1-based line of its first content line, its mapping key) of every string scalar;
    ``shared=False`` when the document has no anchors (see ``yamlnodes.walk_keyed``)."""
    for n, key in yn.walk_keyed(node, shared):
        if n.__class__ is yaml.ScalarNode and n.tag == "tag:yaml.org,2002:str":
            yield n.value, n.start_mark.line + 1 + (1 if n.style in ("|", ">") else 0), key


def walk(obj: Any) -> Iterator[Any]:
    """Every dict and list inside ``obj`` (shared aliases visited once)."""
    seen: set[int] = set()
    stack = [obj]
    while stack:
        cur = stack.pop()
        if not isinstance(cur, (dict, list)) or id(cur) in seen:
            continue
        seen.add(id(cur))
        yield cur
        stack.extend(cur.values() if isinstance(cur, dict) else cur)


def _literal(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != "" and not any(e in value for e in EXPR)


def _github(doc: Any, facts: dict) -> None:
    if not isinstance(doc, dict):
        return
    on = doc["on"] if "on" in doc else doc.get(True)
    if isinstance(on, str):
        facts["triggers"].append(on)
    elif isinstance(on, list):
        facts["triggers"].extend(e for e in on if isinstance(e, str))
    elif isinstance(on, dict):
        facts["triggers"].extend(str(k) for k in on if isinstance(k, str))
        sched = on.get("schedule")
        for item in sched if isinstance(sched, list) else []:
            if isinstance(item, dict) and isinstance(item.get("cron"), str):
                facts["schedules"].append(item["cron"])
    perms = doc.get("permissions")
    facts["permissions"] = jsonsafe(perms) if isinstance(perms, (str, dict)) else None
    jobs = doc.get("jobs")
    for job in jobs.values() if isinstance(jobs, dict) else []:
        if not isinstance(job, dict):
            continue
        if isinstance(job.get("uses"), str):
            facts["actions"].append(job["uses"])
        steps = job.get("steps")
        for step in steps if isinstance(steps, list) else []:
            if isinstance(step, dict) and isinstance(step.get("uses"), str):
                facts["actions"].append(step["uses"])
        facts["runners"].extend(_runs_on(job.get("runs-on")))


def _runs_on(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if _literal(value) else []
    if isinstance(value, list):
        return [v for v in value if _literal(v)]
    if isinstance(value, dict):
        labels = value.get("labels")
        out = _runs_on(labels) if labels is not None else []
        return out + ([value["group"]] if _literal(value.get("group")) else [])
    return []


def _azure(doc: Any, facts: dict) -> None:
    if isinstance(doc, dict):
        for item in doc.get("schedules") or [] if isinstance(doc.get("schedules"), list) else []:
            if isinstance(item, dict) and isinstance(item.get("cron"), str):
                facts["schedules"].append(item["cron"])
    defined: set[str] = set()
    used: list[str] = []
    for obj in walk(doc):
        if not isinstance(obj, dict):
            continue
        for key, value in obj.items():
            if key == "vmImage" and _literal(value):
                facts["runners"].append(value)
            elif key == "env" and isinstance(value, dict):
                for v in value.values():
                    if isinstance(v, str):
                        used.extend(m for m in AZ_MACRO.findall(v) if "." not in m)
            elif key in ("variables", "parameters"):
                defined.update(_defined_names(value))
            elif key == "matrix" and isinstance(value, dict):
                for leg in value.values():
                    if isinstance(leg, dict):
                        defined.update(str(k).lower() for k in leg)
    facts["secrets"].extend(n for n in used if n.lower() not in defined)


def _defined_names(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {str(k).lower() for k in value}
    names = set()
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names.add(item["name"].lower())
    return names


def _from_secret(doc: Any, woodpecker: bool) -> list[str]:
    names = []
    for obj in walk(doc):
        if not isinstance(obj, dict):
            continue
        if isinstance(obj.get("from_secret"), str):
            names.append(obj["from_secret"])
        if woodpecker and isinstance(obj.get("secrets"), list):
            for item in obj["secrets"]:
                if isinstance(item, str):
                    names.append(item)
                elif isinstance(item, dict) and isinstance(item.get("source"), str):
                    names.append(item["source"])
    return names


def _secure_names(doc: Any, inside_env: bool) -> list[str]:
    """AppVeyor: variables (under ``environment``) whose value is a ``secure:`` mapping."""
    names = []
    stack = [(doc, inside_env)]
    seen: set[int] = set()
    while stack:
        cur, env = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, dict):
            for k, v in cur.items():
                if env and isinstance(v, dict) and "secure" in v:
                    names.append(str(k))
                elif isinstance(v, (dict, list)):
                    stack.append((v, env or k == "environment"))
        elif isinstance(cur, list):
            stack.extend((v, env) for v in cur if isinstance(v, (dict, list)))
    return names


def _deploy_providers(doc: Any, nodes: list, facts: dict) -> None:
    """Travis-style ``deploy: provider: X`` settings."""
    if not isinstance(doc, dict) or "deploy" not in doc:
        return
    for obj in walk(doc["deploy"]):
        if isinstance(obj, dict) and isinstance(obj.get("provider"), str):
            service = svc.DEPLOY_PROVIDERS.get(obj["provider"].lower())
            if service:
                facts["services"].append((service, _line_of(nodes, "provider", obj["provider"])))


def _line_of(nodes: list, key: str, value: str) -> int | None:
    """The line of the first ``key: value`` scalar pair in the documents."""
    for node in nodes:
        for n, k in yn.walk_keyed(node):
            if k == key and yn.text(n) == value:
                return yn.line(n)
    return None


def jsonsafe(value: Any, depth: int = 0) -> Any:
    """A JSON-encodable copy (string keys, finite numbers, strings for anything else)."""
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {str(k): jsonsafe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonsafe(v, depth + 1) for v in value]
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class Reader(NamedTuple):
    """What the extractor takes from one CI provider's files: the facts it fills beyond
    ``COMMON_FACTS``, where they come from (for the inventory page), and the code that does it."""

    parsed: bool
    facts: tuple[str, ...] = ()
    reads: str = ""
    fill: Callable[[Any, dict], None] | None = None


def _drone(doc: Any, facts: dict) -> None:
    facts["secrets"].extend(_from_secret(doc, False))


def _woodpecker(doc: Any, facts: dict) -> None:
    facts["secrets"].extend(_from_secret(doc, True))


def _appveyor(doc: Any, facts: dict) -> None:
    facts["secrets"].extend(_secure_names(doc, False))


# Facts read from every file that is parsed, whatever its provider.
COMMON_FACTS = ("name", "services")
COMMON_READS = (
    "the top-level `name`; services named anywhere in the file's strings (upload commands, "
    "registry hosts, publishing actions, token variable names) and in `deploy: provider:` "
    "settings, each with its line"
)
READERS: dict[str, Reader] = {
    "github-actions": Reader(
        True,
        ("triggers", "schedules", "permissions", "actions", "runners", "secrets"),
        "`on:` events and `schedule:` crons; top-level `permissions:`; the `uses:` of jobs "
        "and steps; `runs-on:` labels and groups (literal ones); `secrets.NAME` expressions",
        _github,
    ),
    "azure-pipelines": Reader(
        True,
        ("schedules", "runners", "secrets"),
        "`schedules:` crons; `vmImage:` values; `$(NAME)` macros in `env:` that no "
        "`variables:`, `parameters:` or matrix entry defines (secret variables)",
        _azure,
    ),
    "drone": Reader(True, ("secrets",), "`from_secret:` names", _drone),
    "woodpecker": Reader(
        True, ("secrets",), "`from_secret:` names and the entries of `secrets:` lists", _woodpecker
    ),
    "appveyor": Reader(
        True, ("secrets",), "variables under `environment:` whose value is `secure:`", _appveyor
    ),
    "travis-ci": Reader(True),
    "gitlab-ci": Reader(True),
    "circleci": Reader(False),
    "cirun": Reader(False),
}
EMPTY_ONLY = {p for p, r in READERS.items() if not r.parsed}
