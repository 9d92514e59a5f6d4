"""The ``yaml:`` check: follow a path into a parsed YAML document and compare the node found.

Path elements: a mapping key (string), a list index (int), ``"*"`` (every key or element) or a
selector ``{field: value}`` (the list elements, or mapping values, whose fields equal those
values; a nested mapping in a selector matches as a subset). Comparisons: ``equals`` (deep
equality), ``set`` (a list with these elements, in any order), ``has`` (a list holding the
value, a mapping with the key, or a string holding the text outside shell comments) and
``present`` (the path resolves, or with ``false``: it does not). Comments never count, and a
duplicate key on the way is a failure, never last-wins.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field

import yaml

from infradocs.core.archmodel.facts import duplicate_keys
from infradocs.core.evidence.comments import strip_hash
from infradocs.core.inventory.yamlload import Loader, yaml_problem

COMPARISONS = ("equals", "set", "has", "present")


@dataclass
class Doc:
    """The documents of one file as node trees, a constructor for their values, or a problem."""

    nodes: list[yaml.Node] = field(default_factory=list)
    loader: Loader | None = None
    problem: str = ""

    def value(self, node: yaml.Node):
        """The Python value of a node (YAML 1.2 scalars, as the inventory reads them)."""
        return self.loader.construct_object(node, deep=True)


JINJA_LINE = re.compile(r"^[ \t]*\{%.*?%\}[ \t]*$", re.MULTILINE)
JINJA_EXPR = re.compile(r"\{\{.*?\}\}")
JINJA_VALUE = re.compile(r"(?<=: |- )(\{\{.*?\}\})(?=[ \t]*(?:#.*)?$)", re.MULTILINE)


def without_jinja(text: str) -> str:
    """A Jinja-templated YAML file (a recipe, construct.yaml) as plain YAML: ``{% %}`` lines
    blanked, a value that is one ``{{ }}`` expression read as that text with its double quotes
    made single (lines kept)."""
    text = JINJA_LINE.sub("", text)
    text = JINJA_EXPR.sub(lambda m: m.group(0).replace('"', "'"), text)
    return JINJA_VALUE.sub(lambda m: json.dumps(m.group(1)), text)


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Doc:
    """Compose every document of ``text`` (a Jinja template when it does not parse as it is);
    a parse error becomes ``problem`` (with its line)."""
    doc = _compose(text)
    if doc.problem and ("{%" in text or "{{" in text):
        templated = _compose(without_jinja(text))
        if not templated.problem:
            return templated
    return doc


def _compose(text: str) -> Doc:
    doc = Doc(loader=Loader(text))
    try:
        while doc.loader.check_node():
            node = doc.loader.get_node()
            if node is not None:
                doc.nodes.append(node)
    except yaml.YAMLError as exc:
        line, msg = yaml_problem(exc)
        doc.problem = f"line {line}: {msg}" if line else msg
    return doc


def line(node: yaml.Node) -> int:
    """1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def duplicate(node: yaml.Node, deep: bool = True) -> str:
    """``key 'x' twice (lines a and b)`` for the first duplicate mapping key under ``node``."""
    dups = duplicate_keys(node, deep)
    return f"key {dups[0][0]!r} twice (lines {dups[0][1]} and {dups[0][2]})" if dups else ""


def plain(value):
    """A value as the model's YAML would hold it: dates as ISO strings, recursively."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def same(a, b) -> bool:
    """Deep equality that tells booleans from numbers (``True`` is not ``1``)."""
    a, b = plain(a), plain(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _subset(want, have) -> bool:
    """``have`` matches a selector value: equal, or a mapping holding ``want``'s fields."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(
            k in have and _subset(v, have[k]) for k, v in want.items()
        )
    return same(want, have)


def _short(value, limit: int = 120) -> str:
    text = json.dumps(plain(value), ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Hit:
    """A node the path reached and its line to report (its key's line for a mapping value)."""

    node: yaml.Node
    line: int


def _children(doc: Doc, hits: list[Hit], step) -> tuple[list[Hit], str]:
    """The nodes one path element leads to from ``hits``, or why none (what is there instead)."""
    out: list[Hit] = []
    there: list[str] = []
    for hit in hits:
        n = hit.node
        if isinstance(n, yaml.MappingNode):
            pairs = [(k, v) for k, v in n.value if isinstance(k, yaml.ScalarNode)]
            dups = [
                d
                for d in duplicate_keys(n, deep=False)
                if not isinstance(step, (str, int)) or step == "*" or d[0] == str(step)
            ]
            if dups:  # only those on the way: a recipe may repeat keys under selectors
                return (
                    [],
                    f"duplicate key {dups[0][0]!r} twice (lines {dups[0][1]} and {dups[0][2]})",
                )
            if step == "*":
                out += [Hit(v, line(k)) for k, v in pairs]
            elif isinstance(step, dict):
                out += [Hit(v, line(k)) for k, v in pairs if _subset(step, doc.value(v))]
            else:
                out += [Hit(v, line(k)) for k, v in pairs if k.value == str(step)]
            keys = [k.value for k, _ in pairs]
            more = f", … ({len(keys)} keys)" if len(keys) > 12 else ""
            there.append("keys " + (", ".join(keys[:12]) or "none") + more)
        elif isinstance(n, yaml.SequenceNode):
            if step == "*":
                out += [Hit(c, line(c)) for c in n.value]
            elif isinstance(step, dict):
                out += [Hit(c, line(c)) for c in n.value if _subset(step, doc.value(c))]
            elif isinstance(step, int) and -len(n.value) <= step < len(n.value):
                out.append(Hit(n.value[step], line(n.value[step])))
            there.append(f"a list of {len(n.value)}")
        else:
            there.append(f"the scalar {_short(doc.value(n), 60)}")
    if out:
        return out, ""
    what = "; ".join(dict.fromkeys(there)) or "nothing"
    return [], f"{_short(step, 80)} not found (there: {what})"


def resolve(doc: Doc, path: list) -> tuple[list[Hit], str]:
    """Every node ``path`` leads to in any document, or which element did not resolve."""
    hits = [Hit(n, line(n)) for n in doc.nodes]
    for depth, step in enumerate(path):
        hits, why = _children(doc, hits, step)
        if not hits:
            return [], f"path element {depth + 1}, {why}"
    return hits, ""


def compare(doc: Doc, hit: Hit, kind: str, want) -> tuple[bool, int, str]:
    """(holds, line, what the node holds) for one comparison on one node."""
    value = doc.value(hit.node)
    if kind == "present":
        return True, hit.line, ""
    if kind == "equals":
        return same(value, want), hit.line, _short(value)
    if kind == "set":
        ok = isinstance(value, list) and sorted(map(_short, value)) == sorted(map(_short, want))
        return ok, hit.line, _short(value)
    if isinstance(value, list) and isinstance(hit.node, yaml.SequenceNode):
        for child, item in zip(hit.node.value, value, strict=True):
            if same(item, want):
                return True, line(child), ""
        return False, hit.line, _short(value)
    if isinstance(value, dict) and isinstance(hit.node, yaml.MappingNode):
        for k, _v in hit.node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(want):
                return True, line(k), ""
        return False, hit.line, "keys " + _short(list(value))
    if isinstance(value, str) and isinstance(want, str):
        code = strip_hash(value)
        at = code.find(want)
        if at >= 0:
            offset = 1 if hit.node.style in ("|", ">") else 0
            return True, line(hit.node) + offset + code.count("\n", 0, at), ""
        return False, hit.line, _short(value)
    return False, hit.line, _short(value)


def comparison(fields: dict) -> tuple[str, object]:
    """The item's one comparison (kind, expected value)."""
    for kind in COMPARISONS:
        if kind in fields:
            return kind, fields[kind]
    return "", None


def check(text: str, path: list, fields: dict) -> tuple[bool, int | None, str]:
    """(holds, line of the node that matched, what is there instead) for a ``yaml:`` item."""
    doc = parse(text)
    if doc.problem and not doc.nodes:
        return False, None, f"the file does not parse ({doc.problem})"
    kind, want = comparison(fields)
    hits, why = resolve(doc, list(path))
    if kind == "present" and want is False:
        if hits:
            return False, hits[0].line, f"{_where(path)} is there, at line {hits[0].line}"
        return True, None, ""
    if not hits:
        return False, None, f"{_where(path)}: {why}"
    found = []
    for hit in hits:
        dup = duplicate(hit.node)
        if dup:
            return False, hit.line, f"{_where(path)} (line {hit.line}) has a duplicate {dup}"
        ok, at, holds = compare(doc, hit, kind, want)
        if ok:
            return True, at, ""
        found.append(f"line {hit.line}: {holds}")
    verb = {"equals": "", "set": " (as a set)", "has": " (an element, key or text)"}[kind]
    return (
        False,
        hits[0].line,
        f"{_where(path)} is not {_short(want)}{verb}; it holds " + "; ".join(found[:3]),
    )


def _where(path: list) -> str:
    return "yaml " + _short(list(path), 200)
